"""Small ``make_*`` helpers that build a board's plan and reports for tests."""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from budget.models import OperatingArea
from goals.models import Activity, AreaGoal, BoardGoal, DirectionGoal
from indicators.models import Indicator, IndicatorTarget
from reporting.models import Board, Membership, Municipality, Report
from reporting.services import create_report

_seq = itertools.count(1)


def make_board(name: str = "Socialnämnden", municipality: str = "Stockholms stad") -> Board:
    city, _ = Municipality.objects.get_or_create(name=municipality)
    board, _ = Board.objects.get_or_create(
        municipality=city, name=name, defaults={"administration": "Socialförvaltningen"}
    )
    return board


def make_user(username: str | None = None, *, board: Board | None = None, role: str | None = None):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(username=username, password="lösenord-för-test")
    if board and role:
        Membership.objects.create(user=user, board=board, role=role)
    return user


def make_plan(
    board: Board,
    year: int = 2019,
    *,
    board_goals: int = 1,
    indicators: int = 1,
    activities: int = 1,
    areas: int = 1,
) -> dict:
    """One direction goal, one area goal, ``board_goals`` board goals, each with ``indicators``
    indicators and ``activities`` activities, and ``areas`` operating areas."""
    direction_goal, _ = DirectionGoal.objects.get_or_create(
        municipality=board.municipality,
        year=year,
        number="1",
        defaults={"title": "En modern storstad med möjligheter och valfrihet för alla"},
    )
    area_goal, _ = AreaGoal.objects.get_or_create(
        direction_goal=direction_goal,
        number="1.1",
        defaults={"title": "I Stockholm är människor självförsörjande"},
    )
    start = BoardGoal.objects.filter(board=board, year=year).count()
    goals = []
    for n in range(start + 1, start + board_goals + 1):
        goal = BoardGoal.objects.create(
            board=board,
            area_goal=area_goal,
            year=year,
            number=f"1.1.{n}",
            title=f"Nämndmål nummer {n}",
            position=n,
        )
        goals.append(goal)
        for i in range(indicators):
            indicator = Indicator.objects.create(
                board=board,
                year=year,
                board_goal=goal,
                name=f"Andel nöjda {n}.{i}",
                kind="board",
                unit="%",
                position=i,
                gender_split_required=True,
                direction=Indicator.Direction.HIGHER,
            )
            IndicatorTarget.objects.create(
                indicator=indicator,
                period="VP",
                annual_target=Decimal("80"),
                kf_annual_target=Decimal("75"),
            )
        for i in range(activities):
            Activity.objects.create(
                board=board,
                year=year,
                board_goal=goal,
                title=f"Aktivitet {n}.{i}",
                kind="board",
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
                position=i,
            )
    start = OperatingArea.objects.filter(board=board, year=year).count()
    for n in range(start, start + areas):
        OperatingArea.objects.create(board=board, year=year, name=f"Område {n}", position=n)
    return {"direction_goal": direction_goal, "area_goal": area_goal, "board_goals": goals}


def make_report(board: Board | None = None, year: int = 2019, period: str = "VB", **plan) -> Report:
    board = board or make_board()
    make_plan(board, year, **plan)
    return create_report(board, year, period)


def fill_in(report: Report) -> Report:
    """Make every item of the report complete, so the review finds no error."""
    for row in report.goal_assessments.all():
        row.assessment = "full"
        row.analysis = "Nämnden bedömer att målet uppfylls helt."
        row.save()
    for value in report.indicator_values.all():
        value.outcome, value.outcome_men, value.outcome_women = (
            Decimal("85"),
            Decimal("84"),
            Decimal("86"),
        )
        value.save()
    for follow_up in report.activity_follow_ups.all():
        follow_up.status = "completed"
        follow_up.save()
    return report
