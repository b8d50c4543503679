"""What changed: on resubmission the approver sees per item exactly what changed since the
previous submission, old → new, from the audit trail."""

from decimal import Decimal

from django.urls import reverse

from reporting.changes import since_previous_submission
from reporting.history import acting_user
from reporting.workflow import transition
from tests.factories import fill_in


def test_a_resubmission_after_one_change_shows_the_approver_exactly_that_change(
    client, report, editor, approver
):
    fill_in(report)
    report = transition(report, "submit", editor, confirm_unready=True)
    assert since_previous_submission(report) is None  # the first submission
    report = transition(report, "return", approver, comment="Utfallet för 1.0 stämmer inte.")
    value = report.indicator_values.get(indicator__name="Andel nöjda 1.0")
    with acting_user(editor):
        value.outcome = Decimal("84.5")
        value.ready = True  # a ready mark alone is no change of content
        value.save()
        goal = report.goal_assessments.get(board_goal__isnull=False)
        goal.ready = True
        goal.save()
    report = transition(report, "submit", editor, confirm_unready=True)

    resubmission = since_previous_submission(report)
    assert len(resubmission.items) == 1
    change = resubmission.items[0]
    assert change.item == "Indikator ”Andel nöjda 1.0”"
    assert [(c.label, c.old, c.new) for c in change.changes] == [("periodens utfall", "85", "84,5")]

    client.force_login(approver)
    html = client.get(reverse("reporting:report_review", args=[report.pk])).content.decode()
    assert "Ändrat sedan förra inskickningen (1)" in html
    assert "Indikator ”Andel nöjda 1.0”" in html
    assert "<del>85</del> → <ins>84,5</ins>" in html


def test_an_item_changed_and_changed_back_shows_nothing(report, editor, approver):
    fill_in(report)
    report = transition(report, "submit", editor, confirm_unready=True)
    report = transition(report, "return", approver, comment="Titta igen.")
    goal = report.goal_assessments.get(board_goal__isnull=False)
    analysis = goal.analysis
    goal.analysis = "Något annat."
    goal.save()
    goal.analysis = analysis
    goal.save()
    report = transition(report, "submit", editor, confirm_unready=True)
    assert since_previous_submission(report).items == ()
