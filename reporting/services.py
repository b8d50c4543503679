"""Writes that touch several models of a report."""

from django.db import transaction
from django.db.models import Q

from budget.models import OperatingArea, OperatingBudgetRow
from goals.models import Activity, ActivityFollowUp, AreaGoal, BoardGoal, Commitment, GoalAssessment
from indicators.models import Indicator, IndicatorValue

from .models import Board, Report, Unit


def plan_area_goal_ids(board: Board, year: int, unit: Unit | None = None) -> set[int]:
    """The council's area goals a board follows up in a year: those under which it has goals,
    indicators or activities, and those an earlier report of the year assessed."""
    ids = set(BoardGoal.objects.filter(board=board, year=year).values_list("area_goal", flat=True))
    ids |= set(
        Indicator.objects.filter(board=board, year=year, area_goal__isnull=False).values_list(
            "area_goal", flat=True
        )
    )
    ids |= set(
        Activity.objects.filter(board=board, year=year, area_goal__isnull=False).values_list(
            "area_goal", flat=True
        )
    )
    ids |= set(
        GoalAssessment.objects.filter(
            report__board=board, report__unit=unit, report__year=year, area_goal__isnull=False
        ).values_list("area_goal", flat=True)
    )
    return ids


@transaction.atomic
def create_report(board: Board, year: int, period: str, *, unit: Unit | None = None) -> Report:
    """Create a report with a row for every goal, indicator, activity and operating area of the
    year's plan, ready to be filled in."""
    report = Report.objects.create(board=board, unit=unit, year=year, period=period)
    area_goals = AreaGoal.objects.filter(id__in=plan_area_goal_ids(board, year, unit))
    direction_goal_ids = set(area_goals.values_list("direction_goal", flat=True))
    board_goals = BoardGoal.objects.filter(board=board, year=year, area_goal__in=area_goals)
    commitments = Commitment.objects.filter(unit=unit, board_goal__in=board_goals) if unit else []

    GoalAssessment.objects.bulk_create(
        [GoalAssessment(report=report, direction_goal_id=i) for i in sorted(direction_goal_ids)]
        + [GoalAssessment(report=report, area_goal=g) for g in area_goals]
        + [GoalAssessment(report=report, board_goal=g) for g in board_goals]
        + [GoalAssessment(report=report, commitment=c) for c in commitments]
    )
    indicators = Indicator.objects.filter(board=board, year=year).filter(
        _goal_filter(area_goals, board_goals, commitments)
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=report, indicator=i) for i in indicators
    )
    activities = Activity.objects.filter(board=board, year=year).filter(
        _goal_filter(area_goals, board_goals, commitments)
    )
    ActivityFollowUp.objects.bulk_create(
        ActivityFollowUp(report=report, activity=a) for a in activities
    )
    if unit is None:
        OperatingBudgetRow.objects.bulk_create(
            OperatingBudgetRow(report=report, area=a)
            for a in OperatingArea.objects.filter(board=board, year=year)
        )
    return report


def _goal_filter(area_goals, board_goals, commitments) -> Q:
    condition = Q(area_goal__in=area_goals) | Q(board_goal__in=board_goals)
    if commitments:
        condition |= Q(commitment__in=commitments)
    return condition
