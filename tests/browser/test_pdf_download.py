"""A PDF asked for in the browser arrives without a page reload: the request queues it, a real
background worker (``db_worker``'s loop, in a thread) renders it, and the page, polling with
htmx, offers the file when it is ready."""

import threading
import time

import pytest
from django.db import connections
from django.db.utils import OperationalError
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker

from tests.factories import fill_in, make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """The database queue, and ``start()``: one worker working it off in a thread, as
    ``make run`` has. (Started once the PDF is queued: SQLite's shared test database answers
    "table is locked" when a polling worker and a page write at the same moment.)"""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loop = Worker(
        queue_names=["default"],
        interval=0.5,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="browser-test",
        excluded_queue_names=[],
    )
    threads = []

    def run():
        try:
            while loop.running and not loop._run_tasks:
                try:
                    loop.run()
                except OperationalError:  # SQLite's shared test database: "table is locked"
                    time.sleep(0.5)
        finally:
            connections.close_all()

    def start():
        threads.append(threading.Thread(target=run, daemon=True))
        threads[0].start()

    yield start
    loop.running = False
    for thread in threads:
        thread.join(timeout=60)


def test_a_pdf_asked_for_in_the_browser_arrives_without_a_reload(
    page_for, reader, board, worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report = fill_in(make_report(board))
    page = page_for(reader)
    page.goto(reverse("reporting:report_detail", args=[report.pk]))
    page.get_by_role("link", name="Rapporten som PDF").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Rapporten som PDF").is_visible()
    status = page.locator("#rendered-status")
    assert status.get_attribute("data-status") in {"queued", "rendering", "ready"}
    page.evaluate("window.stillTheSamePage = true")
    worker()  # the worker comes to the queued PDF
    download_link = page.get_by_role("link", name="Ladda ned rapporten som pdf")
    download_link.wait_for(timeout=60_000)  # the worker renders; htmx swaps the status in
    assert page.evaluate("window.stillTheSamePage") is True  # no reload, no navigation
    assert status.get_attribute("data-status") == "ready"
    with page.expect_download() as download:
        download_link.click()
    pdf = (tmp_path / "downloaded.pdf").resolve()
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == "Socialnamnden-VB-2019.pdf"
