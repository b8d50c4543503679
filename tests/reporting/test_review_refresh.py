"""The stored review is refreshed in the worker after a change, not in the save request: the
save queues one refresh (however many saves come before the worker gets to it), the page shows
the stored counts as being updated until then, and the current counts afterwards."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from goals.models import GoalAssessment
from reporting.assemble import build_report_data
from reporting.models import ReviewRefresh, ReviewResult, Role
from reporting.review import engine, refresh_stored_review, stored_review
from reporting.tasks import queue_review_refresh
from tests.factories import make_report, make_user
from tests.reporting.test_rendered import run_worker

REFRESH = "reporting.tasks.refresh_review"


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue; nothing runs until ``run_worker()``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def rule_runs(monkeypatch):
    runs = []
    original = engine._Review.run

    def counted(self):
        runs.append(1)
        return original(self)

    monkeypatch.setattr(engine._Review, "run", counted)
    return runs


@pytest.fixture
def reviewed(db, board):
    """A report whose stored review is current, and an editor of its board."""
    report = make_report(board, board_goals=2, indicators=1, activities=1)
    refresh_stored_review(report)
    return report, make_user("redaktor", board=board, role=Role.EDITOR)


def save(client, report, item: GoalAssessment, text: str):
    item.refresh_from_db()
    url = reverse("goals:goal_assessment_edit", args=[report.pk, item.pk])
    body = {"assessment": "full", "analysis": text, "version": item.version}
    return client.post(url, body)


def refreshes() -> int:
    return DBTaskResult.objects.filter(task_path=REFRESH).count()


def summary(client, report) -> str:
    html = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    start = html.index('class="review-summary')
    return html[start : html.index("</p>", start)]


def test_two_saves_queue_one_refresh_and_the_worker_makes_the_review_current(
    client, reviewed, queue, rule_runs, django_capture_on_commit_callbacks
):
    report, editor = reviewed
    client.force_login(editor)
    first, second = GoalAssessment.objects.filter(report=report).order_by("pk")[:2]

    with django_capture_on_commit_callbacks(execute=True):
        assert save(client, report, first, "Målet uppfylls helt, se analysen.").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert save(client, report, second, "Också uppfyllt.").status_code == 302

    assert rule_runs == []  # the save requests never ran the rules
    assert refreshes() == 1  # two saves, one refresh waiting
    assert ReviewRefresh.objects.filter(report=report).count() == 1
    data = build_report_data(report)
    assert not stored_review(report, data).current
    assert "uppdateras nu" in summary(client, report)

    run_worker()

    assert rule_runs == [1]
    assert not ReviewRefresh.objects.filter(report=report).exists()
    assert stored_review(report, build_report_data(report)).current
    assert "uppdateras" not in summary(client, report)
    result = DBTaskResult.objects.get(task_path=REFRESH)
    assert result.return_value == "reviewed"


def test_a_save_after_the_worker_started_queues_the_next_refresh(
    client, reviewed, queue, django_capture_on_commit_callbacks
):
    report, editor = reviewed
    client.force_login(editor)
    item = GoalAssessment.objects.filter(report=report).first()
    with django_capture_on_commit_callbacks(execute=True):
        save(client, report, item, "Första ändringen.")
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        save(client, report, item, "Andra ändringen.")

    assert refreshes() == 2
    run_worker()
    assert stored_review(report, build_report_data(report)).current


def test_a_save_that_changes_nothing_queues_nothing(
    client, reviewed, queue, django_capture_on_commit_callbacks
):
    report, editor = reviewed
    client.force_login(editor)
    item = GoalAssessment.objects.filter(report=report).first()
    with django_capture_on_commit_callbacks(execute=True):
        save(client, report, item, "Samma text.")
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        save(client, report, item, "Samma text.")
    assert refreshes() == 1


def test_a_page_that_finds_its_review_out_of_date_queues_one_refresh(
    client, reviewed, queue, rule_runs, django_capture_on_commit_callbacks
):
    """Changed without a form (here: directly in the database), or a tertial report on a new
    day: the page sees the stamp differ and queues the refresh itself, once."""
    report, editor = reviewed
    client.force_login(editor)
    row = GoalAssessment.objects.filter(report=report).first()
    row.analysis = "Ändrad utan formuläret."
    row.save()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert "uppdateras nu" in summary(client, report)
    assert refreshes() == 1
    assert rule_runs == []
    run_worker()
    assert rule_runs == [1]
    assert ReviewResult.objects.get(report=report).stamp
    assert "uppdateras" not in summary(client, report)


def test_a_refresh_whose_task_was_lost_is_queued_again(reviewed, queue):
    report, _ = reviewed
    assert queue_review_refresh(report.pk) is True
    assert queue_review_refresh(report.pk) is True
    assert refreshes() == 1
    ReviewRefresh.objects.filter(report=report).update(
        queued_at=timezone.now() - timedelta(hours=1)
    )
    assert queue_review_refresh(report.pk) is True
    assert refreshes() == 2


def test_with_the_immediate_backend_the_refresh_runs_at_once(reviewed, rule_runs):
    """What `DJANGO_TASKS_BACKEND=immediate` (and the rest of the suite) does: no queue mark is
    left behind."""
    report, _ = reviewed
    row = GoalAssessment.objects.filter(report=report).first()
    row.analysis = "Ändrad."
    row.save()
    assert queue_review_refresh(report.pk) is True
    assert rule_runs == [1]
    assert not ReviewRefresh.objects.exists()
    assert stored_review(report, build_report_data(report)).current


def test_a_save_whose_refresh_cannot_be_queued_is_still_saved(
    client, reviewed, queue, monkeypatch, django_capture_on_commit_callbacks
):
    from reporting import tasks

    def broken(report_id):
        raise RuntimeError("the queue's table is gone")

    monkeypatch.setattr(tasks, "queue_review_refresh", broken)
    report, editor = reviewed
    client.force_login(editor)
    item = GoalAssessment.objects.filter(report=report).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, report, item, "Sparas ändå.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.analysis == "Sparas ändå."
    assert refreshes() == 0


def test_the_page_polls_while_the_counts_are_updated_and_gets_them_without_a_reload(
    client, reviewed, queue, rule_runs, django_capture_on_commit_callbacks
):
    report, editor = reviewed
    client.force_login(editor)
    item = GoalAssessment.objects.filter(report=report).first()
    with django_capture_on_commit_callbacks(execute=True):
        save(client, report, item, "En ändring som granskningen ska se.")
    fragment = reverse("reporting:review_summary", args=[report.pk])
    waiting = summary(client, report)
    assert f'hx-get="{fragment}"' in waiting and 'hx-trigger="every 5s"' in waiting

    assert client.get(fragment).status_code == 204  # still queued: nothing to swap
    run_worker()
    response = client.get(fragment)

    assert response.status_code == 200
    html = response.content.decode()
    stored = ReviewResult.objects.get(report=report)
    assert f"Granskningen: <strong>{stored.errors} fel</strong>" in html
    assert "hx-get" not in html  # current: the polling stops
    assert rule_runs == [1]  # the worker's run; neither the page nor the fragment ran the rules


def test_adding_and_removing_a_section_queue_the_refresh_too(
    client, reviewed, queue, django_capture_on_commit_callbacks
):
    """Not only an item's save changes what the review reads: a new section (Övrigt), its
    removal and a new economy subsection do too, and each queues the refresh."""
    from budget.models import EconomySubsection
    from reporting.models import Section

    report, editor = reviewed
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:section_create", args=[report.pk]),
            {"version": "0", "title": "Kvalitetsarbete", "text": "Lex Sarah."},
        )
    assert response.status_code == 302
    assert refreshes() == 1
    ReviewRefresh.objects.all().delete()  # as the worker does once it has taken the refresh
    DBTaskResult.objects.all().delete()

    section = Section.objects.get(report=report, title="Kvalitetsarbete")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:section_delete", args=[report.pk, section.pk]),
            {"version": str(section.version)},
        )
    assert not Section.objects.filter(pk=section.pk).exists()
    assert refreshes() == 1
    ReviewRefresh.objects.all().delete()
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("budget:economy_subsection_create", args=[report.pk]),
            {
                "heading": "Återredovisning",
                "text": "Nämnden återredovisar 55,1 mnkr.",
                "after": "0",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EconomySubsection.objects.filter(report=report, heading="Återredovisning").exists()
    assert refreshes() == 1
