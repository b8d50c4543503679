"""An approved report is frozen: every attempt to change it is refused and its stored PDF
stays byte for byte what the board got."""

import copy
import hashlib

import pytest

from reporting.interchange import InvalidDocument, import_report
from reporting.models import Report, Role
from reporting.workflow import transition
from tests.factories import make_user
from tests.reporting.test_interchange import TERTIAL, counts, load


@pytest.fixture
def approved(db, monkeypatch):
    """The T1 example, filled in enough to pass review, submitted and approved."""
    document = load(TERTIAL)
    report = import_report(document)
    editor = make_user("handlaggare", board=report.board, role=Role.EDITOR)
    approver = make_user("chef", board=report.board, role=Role.APPROVER)
    report.status = Report.Status.SUBMITTED  # the example's own findings are not the point here
    report.save()
    monkeypatch.setattr("reporting.workflow.blocking_findings", lambda report: [])
    report = transition(report, "approve", approver)
    return report, document, editor


def stored_pdf_hash(report) -> str:
    version = report.versions.get()
    return hashlib.sha256(bytes(version.pdf)).hexdigest()


def test_the_import_is_refused_for_an_approved_report(approved):
    report, document, _ = approved
    before_hash, before_counts = stored_pdf_hash(report), counts()
    changed = copy.deepcopy(document)
    changed["summary"] = "En ny sammanfattning som inte får skriva över den godkända."
    with pytest.raises(InvalidDocument) as refused:
        import_report(changed)
    assert "Godkänd" in str(refused.value) and "kan inte skrivas över" in str(refused.value)
    assert counts() == before_counts
    assert stored_pdf_hash(report) == before_hash
    assert stored_pdf_hash(report) == report.versions.get().pdf_sha256


def admin_client(client):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(superuser)
    return client


def test_the_admin_refuses_to_change_an_approved_reports_content(approved, client):
    from django.urls import reverse

    report, _, _ = approved
    before_hash, before_counts = stored_pdf_hash(report), counts()
    client = admin_client(client)
    row = report.goal_assessments.filter(board_goal__isnull=False).first()
    url = reverse("admin:goals_goalassessment_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    refused = client.post(url, {"assessment": "not_met", "analysis": "Ändrad i admin."})
    assert refused.status_code == 403
    delete = client.post(
        reverse("admin:goals_goalassessment_delete", args=[row.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    memo_url = reverse("admin:reporting_covermemo_change", args=[report.cover_memo.pk])
    assert client.post(memo_url, {"title": "Ny titel"}).status_code == 403
    row.refresh_from_db()
    assert row.analysis != "Ändrad i admin."
    assert counts() == before_counts and stored_pdf_hash(report) == before_hash


def test_the_admin_shows_status_but_leaves_changing_it_to_the_workflow(db, client):
    from django.urls import reverse

    from tests.factories import make_report

    report = make_report()
    client = admin_client(client)
    page = client.get(reverse("admin:reporting_report_change", args=[report.pk])).content.decode()
    assert 'name="status"' not in page and "Utkast" in page


def test_the_history_cannot_revert_a_change(db, client):
    from django.urls import reverse

    from tests.factories import make_report

    report = make_report()
    row = report.goal_assessments.filter(board_goal__isnull=False).get()
    row.analysis = "Första."
    row.save()
    first = row.history.first()
    row.analysis = "Andra."
    row.save()
    client = admin_client(client)
    url = reverse("admin:goals_goalassessment_simple_history", args=[row.pk, first.history_id])
    form = {
        "report": report.pk,
        "board_goal": row.board_goal_id,
        "assessment": "",
        "analysis": "Första.",
        "_save": "Återställ",
    }
    page = client.get(url).content.decode()
    assert "Återställ" not in page
    client.post(url, form)
    row.refresh_from_db()
    assert row.analysis == "Andra."


def test_every_editing_view_refuses_an_approved_report(approved):
    from django.urls import reverse

    from reporting.assemble import build_report_data
    from reporting.interchange import to_json
    from reporting.models import Section
    from tests.reporting.test_matrix import MATRIX, client_for, url_kwargs

    report, _, editor = approved
    administrator = make_user("sekreterare", board=report.board, role=Role.ADMINISTRATOR)
    section = Section.objects.filter(report=report, kind="other").first()
    before = (stored_pdf_hash(report), counts(), to_json(build_report_data(report)))
    editing = [name for name, row in MATRIX.items() if row.writes]
    assert len(editing) >= 12
    for name in editing:
        url = reverse(name, kwargs=url_kwargs(MATRIX[name].kwargs, report, section))
        for user in (editor, administrator):
            client = client_for(user)
            assert client.get(url).status_code == 403, (name, "GET")
            posted = client.post(url, {"analysis": "Ändrad", "text": "Ändrad", "version": "1"})
            assert posted.status_code == 403, (name, "POST")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert (stored_pdf_hash(report), counts(), to_json(build_report_data(report))) == before
