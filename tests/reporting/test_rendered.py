"""Rendered files: a PDF is made once in the worker, kept in storage and served from there;
approval answers before the version's PDF exists, and the worker makes it from the frozen data.

Most tests use the real queue (the database backend) and run the worker in-process
(``db_worker --batch``), so that "queued", "rendering" and "ready" are what a person sees."""

import hashlib
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reporting import render as render_module
from reporting.models import RenderedFile, Report
from reporting.workflow import transition
from tests.factories import fill_in, make_report

Status = Report.Status


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue; nothing runs until ``run_worker()``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """The worker in this thread. It closes the database connection between tasks, which on
    PostgreSQL would close the test's own transaction: the close is skipped here."""
    with mock.patch.object(connection, "close"):
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            verbosity=0,
        )


@pytest.fixture
def renderings(monkeypatch):
    """Counts the PDF renderings; each PDF carries the summary it was made from, so that a
    test can tell which data a served file was made of."""
    calls = []

    def fake_render_pdf(data, *, memo_only=False):
        calls.append(data)
        return b"%PDF-1.7 " + (data.summary or "").encode() + (b" memo" if memo_only else b"")

    monkeypatch.setattr(render_module, "render_pdf", fake_render_pdf)
    return calls


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_url(report) -> str:
    return reverse("reporting:report_pdf", args=[report.pk])


def set_summary(report, text: str) -> None:
    from reporting.models import Section

    section, _ = Section.objects.get_or_create(
        report=report, kind=Section.Kind.SUMMARY, defaults={"title": "Sammanfattning"}
    )
    section.text = text
    section.save()


def test_the_same_pdf_requested_twice_renders_once(
    client, reader, report, queue, renderings, media
):
    fill_in(report)
    client.force_login(reader)
    first, second = client.get(pdf_url(report)), client.get(pdf_url(report))
    assert first.status_code == second.status_code == 202  # queued: a progress page, no PDF
    assert "I kö" in second.content.decode()
    assert DBTaskResult.objects.count() == 1  # one rendering queued for the two requests
    assert RenderedFile.objects.get().status == RenderedFile.Status.QUEUED
    run_worker()
    assert len(renderings) == 1
    third, fourth = client.get(pdf_url(report)), client.get(pdf_url(report))
    assert third.status_code == fourth.status_code == 200
    assert third["Content-Type"] == "application/pdf"
    assert third.content == fourth.content
    assert third.content.startswith(b"%PDF")
    run_worker()
    assert len(renderings) == 1
    row = RenderedFile.objects.get()
    assert row.sha256 == hashlib.sha256(third.content).hexdigest()
    assert (media / row.file.name).read_bytes() == third.content  # kept in storage


def test_the_pdf_served_for_a_report_whose_data_changed_is_never_the_stale_one(
    client, reader, report, queue, renderings, media
):
    fill_in(report)
    set_summary(report, "Första lydelsen.")
    client.force_login(reader)
    client.get(pdf_url(report))
    run_worker()
    assert b"F\xc3\xb6rsta lydelsen." in client.get(pdf_url(report)).content
    set_summary(report, "Andra lydelsen.")
    changed = client.get(pdf_url(report))
    assert changed.status_code == 202  # the old file is not served: a new one is queued
    # the report changes again before the worker comes to it: the queued key is superseded
    set_summary(report, "Tredje lydelsen.")
    run_worker()
    assert [d.summary for d in renderings] == ["Första lydelsen."]
    assert client.get(pdf_url(report)).status_code == 202
    run_worker()
    served = client.get(pdf_url(report))
    assert served.status_code == 200
    assert b"Tredje lydelsen." in served.content
    assert [d.summary for d in renderings] == ["Första lydelsen.", "Tredje lydelsen."]
    # the older files are gone from storage; only the current one is kept
    assert [r.status for r in RenderedFile.objects.all()] == [RenderedFile.Status.READY]
    assert len(list((media / "rendered").iterdir())) == 1


def test_the_progress_fragment_polls_until_ready_and_then_offers_the_file(
    client, reader, report, queue, renderings, media
):
    fill_in(report)
    client.force_login(reader)
    page = client.get(pdf_url(report)).content.decode()
    status_url = reverse("reporting:rendered_file_status", args=[report.pk, "report_pdf"])
    assert "htmx.min.js" in page
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
    RenderedFile.objects.update(status=RenderedFile.Status.RENDERING)
    assert "Görs nu" in client.get(status_url).content.decode()
    RenderedFile.objects.update(status=RenderedFile.Status.QUEUED)
    run_worker()
    ready = client.get(status_url).content.decode()
    assert "hx-trigger" not in ready  # the polling stops here
    assert f'href="{pdf_url(report)}"' in ready and "Ladda ned" in ready
    assert (
        client.get(reverse("reporting:rendered_file_status", args=[report.pk, "x"])).status_code
        == 404
    )


def test_a_failed_rendering_is_shown_and_queued_again_on_the_next_request(
    client, reader, report, queue, monkeypatch, media
):
    fill_in(report)
    client.force_login(reader)

    def broken(data, *, memo_only=False):
        raise RuntimeError("trasig mall")

    monkeypatch.setattr(render_module, "render_pdf", broken)
    client.get(pdf_url(report))
    run_worker()
    row = RenderedFile.objects.get()
    assert row.status == RenderedFile.Status.FAILED and "trasig mall" in row.error
    status_url = reverse("reporting:rendered_file_status", args=[report.pk, "report_pdf"])
    # asking again queues it again, once
    assert "I kö" in client.get(status_url).content.decode()
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_memo_pdf_is_its_own_file(client, reader, report, queue, renderings, media):
    from reporting.models import CoverMemo

    fill_in(report)
    CoverMemo.objects.create(report=report, title="Verksamhetsberättelse 2019", to="Nämnden")
    client.force_login(reader)
    client.get(pdf_url(report))
    client.get(reverse("reporting:memo_pdf", args=[report.pk]))
    run_worker()
    memo = client.get(reverse("reporting:memo_pdf", args=[report.pk]))
    assert memo.content.endswith(b" memo")
    assert not client.get(pdf_url(report)).content.endswith(b" memo")
    assert len(renderings) == 2


def test_an_approval_returns_before_the_pdf_exists_and_the_worker_adds_it_with_its_sha256(
    client, board, editor, approver, reader, queue, media
):
    report = transition(fill_in(make_report(board)), "submit", editor, confirm_unready=True)
    client.force_login(approver)
    url = reverse("reporting:report_transition", args=[report.pk, "approve"])
    response = client.post(url, {})
    assert response.status_code == 302
    version = report.versions.get()
    assert not version.pdf_ready and bytes(version.pdf) == b""  # nothing rendered in the request
    assert version.data_sha256 == hashlib.sha256(version.data.encode()).hexdigest()
    client.force_login(reader)
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "PDF görs" in page
    pending = client.get(reverse("reporting:version_pdf", args=[report.pk, 1]))
    assert pending.status_code == 202 and "PDF görs" in pending.content.decode()
    assert client.get(pdf_url(report)).status_code == 202  # the board's PDF is that one too
    run_worker()  # the real renderer, from the frozen data
    version.refresh_from_db()
    assert version.pdf_ready
    assert bytes(version.pdf).startswith(b"%PDF")
    assert version.pdf_sha256 == hashlib.sha256(bytes(version.pdf)).hexdigest()
    served = client.get(reverse("reporting:version_pdf", args=[report.pk, 1]))
    assert served.status_code == 200 and served.content == bytes(version.pdf)
    assert client.get(pdf_url(report)).content == bytes(version.pdf)
    status = reverse("reporting:version_pdf_status", args=[report.pk, 1])
    assert version.pdf_sha256 in client.get(status).content.decode()


def test_a_version_pdf_is_made_from_the_frozen_data_even_when_the_report_changed_since(
    board, editor, approver, administrator, queue, renderings
):
    report = fill_in(make_report(board))
    set_summary(report, "Det godkända.")
    report = transition(report, "submit", editor, confirm_unready=True)
    report = transition(report, "approve", approver)
    report = transition(report, "reopen", administrator, comment="Fel siffra.")
    set_summary(report, "Ändrat efter godkännandet.")
    run_worker()
    version = report.versions.get()
    assert version.pdf_ready
    assert [d.summary for d in renderings] == ["Det godkända."]
    assert b"Det godk" in bytes(version.pdf)
