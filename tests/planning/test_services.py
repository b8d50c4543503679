"""The plan's services: items saved into open drafts, removed with care, a year started from
the last."""

from datetime import date
from decimal import Decimal

import pytest

from budget.models import (
    IncomeStatementCategory,
    IncomeStatementRow,
    InvestmentCategory,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
)
from goals.models import Activity, ActivityFollowUp, AreaGoal, BoardGoal, GoalAssessment
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from planning.services import (
    PlanItemLocked,
    StartYearError,
    delete_plan_item,
    removal_of,
    save_plan_item,
    start_year,
)
from reporting.assemble import build_report_data
from reporting.models import Report, Responsibility, Role
from reporting.services import create_report
from tests.factories import fill_in, make_plan, make_report, make_user


def test_a_board_goal_added_to_the_plan_appears_in_every_open_draft_of_the_year(board):
    t1 = make_report(board, period="T1")
    t2 = create_report(board, 2019, "T2")
    t2.status = Report.Status.SUBMITTED
    t2.save()
    area_goal = AreaGoal.objects.get()
    goal = BoardGoal(board=board, year=2019, area_goal=area_goal, number="1.1.9", title="Nytt mål")
    drafts = save_plan_item(goal)
    assert drafts == [t1]
    assert GoalAssessment.objects.filter(report=t1, board_goal=goal).exists()
    assert not GoalAssessment.objects.filter(report=t2, board_goal=goal).exists()

    indicator = Indicator(board=board, year=2019, board_goal=goal, name="Ny indikator", unit="st")
    save_plan_item(indicator)
    activity = Activity(board=board, year=2019, board_goal=goal, title="Ny aktivitet")
    save_plan_item(activity)
    area = OperatingArea(board=board, year=2019, name="Nytt område")
    save_plan_item(area)
    save_plan_item(IncomeStatementCategory(board=board, year=2019, name="Bidrag", kind="income"))
    save_plan_item(InvestmentCategory(board=board, year=2019, name="Inventarier"))
    assert IndicatorValue.objects.filter(report=t1, indicator=indicator).exists()
    assert ActivityFollowUp.objects.filter(report=t1, activity=activity).exists()
    assert OperatingBudgetRow.objects.filter(report=t1, area=area).exists()
    assert IncomeStatementRow.objects.filter(report=t1, label="Bidrag", kind="income").exists()
    assert InvestmentRow.objects.filter(report=t1, category="Inventarier").exists()
    assert not IndicatorValue.objects.filter(report=t2, indicator=indicator).exists()
    # saving again adds nothing twice
    save_plan_item(indicator)
    assert IndicatorValue.objects.filter(report=t1, indicator=indicator).count() == 1


def test_a_new_area_goal_brings_its_council_goals_into_the_draft(board):
    report = make_report(board, period="T1")
    direction = AreaGoal.objects.get().direction_goal
    other = AreaGoal.objects.create(direction_goal=direction, number="1.2", title="Tryggt")
    save_plan_item(Indicator(board=board, year=2019, area_goal=other, name="KF-indikator"))
    assert GoalAssessment.objects.filter(report=report, area_goal=other).exists()


def test_removing_an_item_filled_in_names_the_drafts_and_removes_their_rows(board):
    report = fill_in(make_report(board, period="T1"))
    goal = BoardGoal.objects.get()
    removal = removal_of(goal)
    assert removal.filled == [report] and removal.locked == []
    delete_plan_item(goal)
    assert not BoardGoal.objects.filter(pk=goal.pk).exists()
    assert not IndicatorValue.objects.filter(report=report).exists()
    assert not Indicator.objects.exists()


def test_an_item_that_a_submitted_report_holds_cannot_be_removed(board):
    report = make_report(board, period="T1")
    report.status = Report.Status.SUBMITTED
    report.save()
    indicator = Indicator.objects.get()
    assert removal_of(indicator).locked == [report]
    with pytest.raises(PlanItemLocked, match="Tertialrapport 1 2019"):
        delete_plan_item(indicator)
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_an_empty_draft_row_is_no_reason_to_ask(board):
    make_report(board, period="T1")
    assert removal_of(Activity.objects.get()).filled == []


# -- a new year from the last -----------------------------------------------------------------


@pytest.fixture
def year_2019(board):
    """A 2019 plan with a VB filled in, categories and an editor responsible for the goal."""
    report = fill_in(make_report(board, 2019, "VB"))
    IncomeStatementCategory.objects.create(board=board, year=2019, name="Bidrag", kind="income")
    InvestmentCategory.objects.create(board=board, year=2019, name="Inventarier")
    editor = make_user("ansvarig", board=board, role=Role.EDITOR)
    Responsibility.objects.create(
        membership=editor.memberships.get(), board_goal=BoardGoal.objects.get(year=2019)
    )
    indicator = Indicator.objects.get(year=2019)
    IndicatorTarget.objects.create(indicator=indicator, period="T2", annual_target=Decimal("82"))
    return report


def test_start_year_copies_the_plan_and_no_outcome(board, year_2019):
    result = start_year(board, 2020)
    assert result.counts["nämndmål"] == 1 and result.counts["indikatorer"] == 1
    goal = BoardGoal.objects.get(year=2020)
    old_goal = BoardGoal.objects.get(year=2019)
    assert (goal.number, goal.title) == (old_goal.number, old_goal.title)
    assert goal.area_goal.year == 2020 and goal.area_goal.number == old_goal.area_goal.number
    indicator = Indicator.objects.get(year=2020)
    assert indicator.predecessor == Indicator.objects.get(year=2019)
    assert indicator.board_goal == goal and indicator.unit == "%"
    target = indicator.targets.get()
    assert (target.period, target.annual_target) == ("VP", Decimal("82"))
    activity = Activity.objects.get(year=2020)
    assert (activity.start_date, activity.end_date) == (date(2020, 1, 1), date(2020, 12, 31))
    assert OperatingArea.objects.filter(year=2020).count() == 1
    assert IncomeStatementCategory.objects.filter(year=2020, name="Bidrag").exists()
    assert InvestmentCategory.objects.filter(year=2020, name="Inventarier").exists()
    assert Responsibility.objects.filter(board_goal=goal).count() == 1
    # no report, so no outcome, assessment or text
    assert not Report.objects.filter(year=2020).exists()


def test_the_new_years_report_compares_with_last_years_vb(board, year_2019):
    start_year(board, 2020)
    t1 = create_report(board, 2020, "T1")
    value = IndicatorValue.objects.get(report=t1)
    assert value.outcome is None and value.analysis == ""
    assert not GoalAssessment.objects.filter(report=t1).exclude(assessment="").exists()
    data = build_report_data(t1)
    indicator = data.direction_goals[0].area_goals[0].board_goals[0].indicators[0]
    assert indicator.previous_outcome == Decimal("85")
    assert indicator.outcome is None


def test_start_year_is_refused_when_the_year_exists(board, year_2019):
    start_year(board, 2020)
    with pytest.raises(StartYearError, match="har redan en plan eller rapporter för 2020"):
        start_year(board, 2020)
    assert BoardGoal.objects.filter(year=2020).count() == 1


def test_start_year_without_last_years_plan_is_refused(board):
    with pytest.raises(StartYearError, match="ingen plan för 2019"):
        start_year(board, 2020)


def test_start_year_uses_the_council_goals_the_city_already_set(board, other_board, year_2019):
    make_plan(other_board, 2020, board_goals=0, indicators=0, activities=0, areas=0)
    city_goal = AreaGoal.objects.get(direction_goal__year=2020)
    city_goal.title = "Så står det 2020"
    city_goal.save()
    result = start_year(board, 2020)
    assert result.council_goals_created == 0
    assert BoardGoal.objects.get(year=2020).area_goal == city_goal
    assert AreaGoal.objects.get(direction_goal__year=2020).title == "Så står det 2020"


def test_start_year_is_audited_with_the_person_and_the_reason(board, year_2019, administrator):
    start_year(board, 2020, user=administrator)
    goal = BoardGoal.objects.get(year=2020)
    record = goal.history.get()
    assert record.history_user == administrator
    assert record.history_change_reason == "nytt år 2020"
    assert Indicator.objects.get(year=2020).history.get().history_user == administrator
