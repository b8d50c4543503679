from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from goals.models import GoalAssessment
from indicators.models import IndicatorValue
from reporting.history import acting_user
from tests.factories import make_report, make_user


def board_goal_assessment(report) -> GoalAssessment:
    return report.goal_assessments.get(board_goal__isnull=False)


def test_an_edit_records_user_time_old_and_new_value(board):
    report = make_report(board)
    editor = make_user("handlaggare")
    row = board_goal_assessment(report)
    with acting_user(editor):
        row.analysis = "Första versionen."
        row.save()
        row.analysis = "Andra versionen."
        row.save()
    newest, previous = row.history.all()[:2]
    delta = newest.diff_against(previous)
    [change] = [c for c in delta.changes if c.field == "analysis"]
    assert (change.old, change.new) == ("Första versionen.", "Andra versionen.")
    assert newest.history_user == editor
    assert newest.history_date is not None and newest.history_type == "~"


def test_the_user_of_a_request_is_recorded(board):
    report = make_report(board)
    editor = make_user("handlaggare")
    request = RequestFactory().post("/")
    request.user = editor
    HistoricalRecords.context.request = request
    try:
        row = board_goal_assessment(report)
        row.assessment = "full"
        row.save()
    finally:
        del HistoricalRecords.context.request
    assert row.history.first().history_user == editor


def test_a_bulk_update_is_recorded_in_the_history(board):
    report = make_report(board, indicators=3)
    values = IndicatorValue.objects.filter(report=report)
    before = IndicatorValue.history.count()
    assert values.update(analysis="Samma analys överallt.") == 3
    assert IndicatorValue.history.count() == before + 3
    assert set(
        IndicatorValue.history.filter(analysis="Samma analys överallt.").values_list(
            "id", flat=True
        )
    ) == set(values.values_list("id", flat=True))


def test_rows_created_in_bulk_have_a_creation_record(board):
    report = make_report(board, board_goals=2, indicators=2)
    created = IndicatorValue.history.filter(report_id=report.pk, history_type="+")
    assert created.count() == 4


def test_a_deletion_is_recorded(board):
    report = make_report(board)
    row = board_goal_assessment(report)
    pk = row.pk
    row.delete()
    assert GoalAssessment.history.filter(id=pk, history_type="-").exists()


def test_bulk_update_through_the_manager_is_recorded(board):
    report = make_report(board, indicators=2)
    values = list(IndicatorValue.objects.filter(report=report))
    for value in values:
        value.analysis = "Ändrad i klump."
    IndicatorValue.objects.bulk_update(values, ["analysis"])
    assert IndicatorValue.history.filter(analysis="Ändrad i klump.").count() == 2
