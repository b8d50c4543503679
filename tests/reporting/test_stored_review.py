"""The review is stored with the report's change stamp: the report page and the workspace show
the stored counts and never run the rules; their query counts do not grow with the report."""

import pytest
from django.urls import reverse

from reporting.assemble import build_report_data
from reporting.models import ReviewResult, Role
from reporting.review import engine, refresh_stored_review, review_stamp, stored_review
from tests.factories import make_user
from tests.scale import import_scaled_demo

# The report page and the workspace, the same at 1× and 4× the demo (literal numbers: a change
# shows up here): session and user, the report and the person's role, the document's 20 (the
# tree's 10 with the economy's subsections and the tables' ready marks, cover memo 3, economy 7
# with the adjustment kinds), the stored review (1), the panel's events (1), ...
# (30 since the reporting process: whether the person sees internal material, and comments;
# then one more each for the economy's subsections, the adjustment kinds and the tables' ready
# marks, while the outline no longer counts the tables' rows itself; then four more, one for
# each goal level, since the tree loads the goals on their own instead of by a chain of joins;
# then one less: the economy takes the operating budget's rows from the tree)
DETAIL_QUERIES = 36
WORKSPACE_QUERIES = 34


@pytest.fixture
def rule_runs(monkeypatch):
    """How many times the review's rules ran."""
    runs = []
    original = engine._Review.run

    def counted(self):
        runs.append(1)
        return original(self)

    monkeypatch.setattr(engine._Review, "run", counted)
    return runs


def pages(report):
    return (
        reverse("reporting:report_detail", args=[report.pk]),
        reverse("reporting:workspace", args=[report.pk]),
    )


@pytest.mark.parametrize("size", [1, 4])
def test_the_report_page_and_the_workspace_never_run_the_rules_and_keep_their_query_counts(
    client, db, size, rule_runs, django_assert_num_queries
):
    report = import_scaled_demo(size)
    editor = make_user("handlaggare", board=report.board, role=Role.EDITOR)
    client.force_login(editor)
    detail, workspace = pages(report)
    refresh_stored_review(report)
    assert rule_runs == [1]
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(detail).status_code == 200
    with django_assert_num_queries(WORKSPACE_QUERIES):
        assert client.get(workspace).status_code == 200
    assert rule_runs == [1]  # neither page ran the rules
    html = client.get(detail).content.decode()
    stored = ReviewResult.objects.get(report=report)
    assert f"Granskningen: <strong>{stored.errors} fel</strong>" in html
    assert rule_runs == [1]


def test_the_stored_review_is_reused_until_the_report_changes(db, rule_runs):
    report = import_scaled_demo(1)
    assert refresh_stored_review(report) is True
    assert refresh_stored_review(report) is False  # unchanged: the stored result stands
    assert rule_runs == [1]
    data = build_report_data(report)
    assert stored_review(report, data).current
    row = report.goal_assessments.exclude(analysis="").first()
    row.analysis += " Ett tillägg."
    row.save()
    changed = build_report_data(report)
    assert review_stamp(changed) != review_stamp(data)
    assert not stored_review(report, changed).current
    assert refresh_stored_review(report) is True
    assert rule_runs == [1, 1]
    assert stored_review(report, changed).current


def test_the_review_page_and_a_refused_move_store_the_review(client, db, rule_runs):
    report = import_scaled_demo(1)
    editor = make_user("handlaggare", board=report.board, role=Role.EDITOR)
    client.force_login(editor)
    client.get(reverse("reporting:report_review", args=[report.pk]))
    assert rule_runs == [1]
    assert ReviewResult.objects.filter(report=report).exists()
    response = client.post(reverse("reporting:report_transition", args=[report.pk, "submit"]))
    assert "Granskningen hittade" in response.content.decode()
    assert rule_runs == [1, 1]  # once for the move; the page shows what it stored
    data = build_report_data(report)
    assert stored_review(report, data).current


def test_a_stored_review_is_not_current_for_a_tertial_report_on_another_day(db, board):
    from datetime import date

    from tests.factories import make_report

    report = make_report(board, period="T1")
    data = build_report_data(report)
    assert review_stamp(data, date(2019, 5, 1)) != review_stamp(data, date(2019, 5, 2))
    vb = make_report(board, year=2020, period="VB")
    vb_data = build_report_data(vb)
    assert review_stamp(vb_data, date(2020, 5, 1)) == review_stamp(vb_data, date(2020, 5, 2))
