"""``manage.py demo``: set up once, never overwritten."""

import io
from datetime import date

from django.core.management import call_command

from goals.models import BoardGoal, GoalAssessment
from reporting.models import Report
from reporting.review import ERROR, review_report


def run_demo(settings) -> None:
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())


def test_the_demo_twice_keeps_what_was_saved_in_between(db, settings):
    run_demo(settings)
    t1 = Report.objects.get(year=2020, period="T1")
    assert t1.deadline == date(2020, 5, 15) and t1.status == Report.Status.DRAFT
    row = GoalAssessment.objects.filter(report=t1, board_goal__isnull=False).first()
    row.analysis = "Skrivet mellan två körningar."
    row.save()
    vb = Report.objects.get(year=2019, period="VB")
    vb_changed = GoalAssessment.objects.filter(report=vb, board_goal__isnull=False).first()
    vb_changed.analysis = "Ändrat i VB 2019."
    vb_changed.save()
    counts = (Report.objects.count(), BoardGoal.objects.count(), GoalAssessment.objects.count())

    run_demo(settings)

    row.refresh_from_db()
    vb_changed.refresh_from_db()
    assert row.analysis == "Skrivet mellan två körningar."
    assert vb_changed.analysis == "Ändrat i VB 2019."
    assert (
        Report.objects.count(),
        BoardGoal.objects.count(),
        GoalAssessment.objects.count(),
    ) == counts


def test_the_demo_t1_2020_is_partly_filled_in_and_free_of_errors_the_vb_keeps_its_faults(
    db, settings
):
    run_demo(settings)
    t1 = Report.objects.get(year=2020, period="T1")
    assert not [f for f in review_report(t1) if f.severity == ERROR]
    rows = GoalAssessment.objects.filter(report=t1, direction_goal__isnull=True)
    assert rows.filter(ready=True).exists() and rows.filter(ready=False).exists()
    assert not t1.sections.exists()  # the summary is left for the newcomer
    vb = Report.objects.get(year=2019, period="VB")
    # its faults: errors only of the kinds that make a report wrong or incomplete (issue 11),
    # the wording and draft marks as warnings
    vb_findings = review_report(vb)
    assert len([f for f in vb_findings if f.severity == ERROR]) >= 5
    assert len(vb_findings) > 50
    assert (
        BoardGoal.objects.filter(year=2020).count() == BoardGoal.objects.filter(year=2019).count()
    )
