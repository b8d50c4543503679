"""Approved versions: listed on the report page, their PDF and data served exactly as frozen,
and the PDF of an approved or decided report is the frozen one."""

import hashlib
import json

import pytest
from django.urls import reverse

from reporting.assemble import build_report_data
from reporting.interchange import to_json
from reporting.models import Report, ReportVersion
from reporting.workflow import transition
from tests.factories import fill_in, make_report, make_user

Status = Report.Status


def frozen(report, number: int, pdf: bytes, data: str | None = None) -> ReportVersion:
    """A version as ``workflow.freeze`` writes it, with made-up PDF bytes (no rendering); the
    data is the report's own interchange document unless given."""
    if data is None:
        data = json.dumps(to_json(build_report_data(report)), ensure_ascii=False, indent=2)
    return ReportVersion.objects.create(
        report=report,
        number=number,
        approved_by=make_user(f"godkannare{number}"),
        data=data,
        data_sha256=hashlib.sha256(data.encode()).hexdigest(),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )


def get(client, name: str, report, *args):
    return client.get(reverse(name, args=[report.pk, *args]))


def test_the_version_pdf_of_a_real_approval_is_the_stored_bytes_with_their_sha256(
    client, board, editor, approver, reader
):
    report = transition(fill_in(make_report(board)), "submit", editor, confirm_unready=True)
    report = transition(report, "approve", approver)
    version = report.versions.get()
    client.force_login(reader)
    response = get(client, "reporting:version_pdf", report, 1)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Socialnamnden-VB-2019-v1.pdf"'
    assert response.content == bytes(version.pdf)
    assert hashlib.sha256(response.content).hexdigest() == version.pdf_sha256
    # the report's own PDF link now gives the same bytes: what the board gets
    main = get(client, "reporting:report_pdf", report)
    assert main.content == response.content
    data = get(client, "reporting:version_json", report, 1)
    assert hashlib.sha256(data.content).hexdigest() == version.data_sha256
    assert json.loads(data.content)["year"] == 2019


def test_report_pdf_of_an_approved_report_serves_the_newest_frozen_bytes(client, report, reader):
    frozen(report, 1, b"%PDF-1.7 first approval")
    frozen(report, 2, b"%PDF-1.7 second approval")
    for status in (Status.APPROVED, Status.DECIDED):
        report.status = status
        report.save()
        client.force_login(reader)
        response = get(client, "reporting:report_pdf", report)
        assert response.content == b"%PDF-1.7 second approval"
        assert response["Content-Disposition"] == (
            'attachment; filename="Socialnamnden-VB-2019-v2.pdf"'
        )


def test_report_pdf_of_a_reopened_draft_is_rendered_afresh(client, report, reader):
    frozen(report, 1, b"%PDF-1.7 an earlier approval")
    client.force_login(reader)
    response = get(client, "reporting:report_pdf", report)
    assert response.content.startswith(b"%PDF-")
    assert response.content != b"%PDF-1.7 an earlier approval"
    assert response["Content-Disposition"] == 'attachment; filename="Socialnamnden-VB-2019.pdf"'


def test_the_version_data_is_served_exactly_as_stored(client, report, reader):
    data = '{\n  "year": 2019,\n  "title": "Verksamhetsberättelse"\n}'
    version = frozen(report, 1, b"%PDF-1.7 x", data)
    client.force_login(reader)
    response = get(client, "reporting:version_json", report, 1)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="Socialnamnden-VB-2019-v1.json"'
    )
    assert response.content == data.encode()
    assert hashlib.sha256(response.content).hexdigest() == version.data_sha256


def test_the_report_page_lists_the_versions_with_a_shortened_sha256(client, report, reader):
    first = frozen(report, 1, b"%PDF-1.7 first")
    second = frozen(report, 2, b"%PDF-1.7 second")
    report.status = Status.APPROVED
    report.save()
    client.force_login(reader)
    html = get(client, "reporting:report_detail", report).content.decode()
    assert "Godkända versioner" in html
    for version in (first, second):
        sha = version.pdf_sha256
        assert f'<code class="sha" title="{sha}">' in html
        assert f'<span aria-hidden="true">{sha[:12]}…</span>' in html
        assert f'<span class="visually-hidden">{sha}</span>' in html
        assert reverse("reporting:version_pdf", args=[report.pk, version.number]) in html
        assert reverse("reporting:version_json", args=[report.pk, version.number]) in html
    assert html.index('<th scope="row">2</th>') < html.index('<th scope="row">1</th>')
    assert "Rapporten som PDF (godkänd version 2)" in html


def test_a_draft_without_versions_lists_none(client, report, reader):
    client.force_login(reader)
    html = get(client, "reporting:report_detail", report).content.decode()
    assert "Godkända versioner" not in html
    assert "Rapporten som PDF</a>" in html


def test_an_unknown_version_or_another_reports_version_is_404(client, board, report, reader):
    other = make_report(board, 2020, board_goals=0, indicators=0, activities=0, areas=0)
    frozen(other, 1, b"%PDF-1.7 other")
    client.force_login(reader)
    assert get(client, "reporting:version_pdf", report, 1).status_code == 404
    assert get(client, "reporting:version_json", report, 1).status_code == 404
    assert get(client, "reporting:version_pdf", other, 2).status_code == 404


@pytest.mark.parametrize("view", ["reporting:version_pdf", "reporting:version_json"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("reader", 200),
        ("editor", 200),
        ("approver", 200),
        ("administrator", 200),
    ],
)
def test_the_version_downloads_follow_the_permission_ladder(
    client, request, report, view, persona, status
):
    frozen(report, 1, b"%PDF-1.7 x")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = get(client, view, report, 1)
    assert response.status_code == status
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))
