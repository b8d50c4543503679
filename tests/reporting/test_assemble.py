import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from budget.models import BudgetAdjustment, OperatingBudgetRow
from goals.models import ActivityFollowUp, BoardGoal, GoalAssessment
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from reporting.assemble import (
    AdjustmentData,
    EconomyData,
    IncomeStatementRowData,
    InvestmentRowData,
    OperatingBudgetRowData,
    build_report_data,
)
from reporting.interchange import import_report
from reporting.models import CoverMemo, ProposedDecision, Section, Unit
from reporting.services import create_report
from tests.factories import make_plan, make_report

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "example-vb-2019-socialnamnden.json"

# the tree: report (with its tables' row counts); assessments; indicator values; targets; last
# year's outcomes; activity follow-ups; sections; the tables' ready marks; operating budget
# rows; economy subsections; then decisions, signatories, attachments; adjustments, operating
# budget, income statement, investments, table rows, tables, adjustment kinds (the given totals
# come with the report)
QUERIES = 23  # the tree, the cover memo, the economy (with its adjustment kinds)


def all_indicators(data):
    for direction_goal in data.direction_goals:
        for area_goal in direction_goal.area_goals:
            yield from area_goal.indicators
            for board_goal in area_goal.board_goals:
                yield from board_goal.indicators
                for commitment in board_goal.commitments:
                    yield from commitment.indicators


def all_activities(data):
    for direction_goal in data.direction_goals:
        for area_goal in direction_goal.area_goals:
            yield from area_goal.activities
            for board_goal in area_goal.board_goals:
                yield from board_goal.activities


def fill_in(report, n: int) -> None:
    """Give a report a cover memo, sections and economy rows, ``n`` of each kind."""
    memo = CoverMemo.objects.create(report=report, title="Verksamhetsberättelse")
    for i in range(n):
        ProposedDecision.objects.create(cover_memo=memo, position=i, text=f"Förslag {i}")
        Section.objects.create(report=report, kind="other", position=i, title=f"Avsnitt {i}")
        report.income_statement_rows.create(position=i, label=f"Slag {i}", kind="cost")
        report.investment_rows.create(position=i, category=f"Kategori {i}")
        table = report.economy_tables.create(position=i, title=f"Tabell {i}", columns=["A"])
        table.rows.create(position=0, label="Rad", values=[1])
    for row in OperatingBudgetRow.objects.filter(report=report):
        BudgetAdjustment.objects.create(row=row, label="Resultatöverföring", amount=Decimal(1))


def test_assembly_query_count_does_not_grow_when_the_plan_grows_tenfold(
    django_assert_num_queries, board
):
    small = make_report(board, 2019, "VB", board_goals=1, indicators=1, activities=1, areas=1)
    fill_in(small, 1)
    with django_assert_num_queries(QUERIES):
        data = build_report_data(small)
    assert len(list(all_indicators(data))) == 1

    big = make_report(board, 2020, "VB", board_goals=10, indicators=10, activities=10, areas=10)
    fill_in(big, 10)
    for indicator in Indicator.objects.filter(year=2020):  # every indicator has a predecessor
        indicator.predecessor = Indicator.objects.get(year=2019)
        indicator.save()
    with django_assert_num_queries(QUERIES):
        data = build_report_data(big)
    assert len(list(all_indicators(data))) == 100
    assert len(list(all_activities(data))) == 100
    assert len(data.economy.operating_budget) == 10
    assert len(data.cover.proposed_decisions) == 10


def test_assembly_of_the_real_example_takes_the_same_queries(django_assert_num_queries, db):
    report = import_report(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    with django_assert_num_queries(QUERIES):
        data = build_report_data(report)
    assert len(list(all_indicators(data))) == 52
    assert len(list(all_activities(data))) == 81


def test_report_contains_exactly_the_items_it_has_rows_for(board):
    report = make_report(board, board_goals=2, indicators=2, activities=2, areas=2)
    IndicatorValue.objects.filter(report=report, indicator__name="Andel nöjda 1.1").delete()
    ActivityFollowUp.objects.filter(report=report, activity__title="Aktivitet 2.0").delete()
    OperatingBudgetRow.objects.filter(report=report, area__name="Område 0").delete()

    data = build_report_data(report)

    board_goals = data.direction_goals[0].area_goals[0].board_goals
    assert [i.name for i in board_goals[0].indicators] == ["Andel nöjda 1.0"]
    assert [a.title for a in board_goals[1].activities] == ["Aktivitet 2.1"]
    assert [row.area for row in data.economy.operating_budget] == ["Område 1"]


def test_goals_follow_their_position_not_their_number(board):
    report = make_report(board, board_goals=3)
    for goal in BoardGoal.objects.all():
        goal.position = 10 - int(goal.number.split(".")[-1])
        goal.save()

    data = build_report_data(report)

    numbers = [g.number for g in data.direction_goals[0].area_goals[0].board_goals]
    assert numbers == ["1.1.3", "1.1.2", "1.1.1"]


def test_a_goal_above_a_reported_item_appears_unassessed_without_its_own_row(board):
    report = make_report(board)
    GoalAssessment.objects.filter(report=report, board_goal__isnull=True).delete()

    data = build_report_data(report)

    direction_goal = data.direction_goals[0]
    assert direction_goal.assessment is None
    assert direction_goal.area_goals[0].board_goals[0].number == "1.1.1"


def test_indicator_target_is_the_one_in_force_in_the_reports_period(board):
    make_plan(board, 2019)
    indicator = Indicator.objects.get()
    IndicatorTarget.objects.create(indicator=indicator, period="T2", annual_target_text="öka")
    t1, t2, vb = (create_report(board, 2019, period) for period in ("T1", "T2", "VB"))

    def target(report):
        return next(all_indicators(build_report_data(report))).annual_target

    assert target(t1) == Decimal(80)  # set in the plan (VP)
    assert target(t2) == "öka"
    assert target(vb) == "öka"


def previous_year_setup(board, *, last_year_outcome, last_period="VB"):
    make_plan(board, 2018)
    last_year = create_report(board, 2018, last_period)
    value = IndicatorValue.objects.get(report=last_year)
    value.set_figure("outcome", last_year_outcome)
    value.save()
    make_plan(board, 2019)
    indicator = Indicator.objects.get(year=2019)
    indicator.predecessor = Indicator.objects.get(year=2018)
    indicator.save()
    report = create_report(board, 2019, "VB")
    value = IndicatorValue.objects.get(report=report)
    value.previous_outcome = Decimal("10")
    value.save()
    return report


def test_previous_outcome_comes_from_last_years_vb_through_the_predecessor(board):
    report = previous_year_setup(board, last_year_outcome=Decimal("12.5"))
    assert next(all_indicators(build_report_data(report))).previous_outcome == Decimal("12.5")


@pytest.mark.parametrize(
    "outcome, period",
    [(None, "VB"), (Decimal("12.5"), "T2")],
    ids=["last-vb-has-no-outcome", "last-year-has-no-vb"],
)
def test_previous_outcome_falls_back_to_the_stored_one(board, outcome, period):
    report = previous_year_setup(board, last_year_outcome=outcome, last_period=period)
    assert next(all_indicators(build_report_data(report))).previous_outcome == Decimal(10)


def test_previous_outcome_of_a_board_report_ignores_a_units_vb(board):
    unit = Unit.objects.create(board=board, name="Beställarenheten")
    make_plan(board, 2018)
    value = IndicatorValue.objects.get(report=create_report(board, 2018, "VB", unit=unit))
    value.outcome = Decimal(99)
    value.save()
    make_plan(board, 2019)
    indicator = Indicator.objects.get(year=2019)
    indicator.predecessor = value.indicator
    indicator.save()
    report = create_report(board, 2019, "VB")
    assert next(all_indicators(build_report_data(report))).previous_outcome is None


def test_assembled_figures_are_decimals_in_their_shortest_form(board):
    report = make_report(board)
    value = IndicatorValue.objects.get(report=report)
    value.outcome = Decimal("0.03")
    value.save()

    indicator = next(all_indicators(build_report_data(report)))

    assert indicator.outcome == Decimal("0.03")
    assert str(indicator.outcome) == "0.03"  # not 0.030000 as stored
    assert str(indicator.annual_target) == "80"


def test_report_data_is_frozen(report):
    data = build_report_data(report)
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.year = 2020


def row(area, budget, outcome=None, forecast=None, adjustments=()):
    return OperatingBudgetRowData(
        area=area,
        previous_year_outcome=None,
        budget=Decimal(budget),
        outcome=None if outcome is None else Decimal(outcome),
        forecast=None if forecast is None else Decimal(forecast),
        adjustments=tuple(AdjustmentData(label, Decimal(amount)) for label, amount in adjustments),
        comment=None,
    )


def test_operating_budget_deviations_are_derived_from_the_figures():
    vb = row("Barn och ungdom", "88.0", outcome="82.1", forecast="90")
    t1 = row("Hemtjänst", "820.0", forecast="829.5", adjustments=[("Prognos", "6.0")])
    assert vb.deviation == Decimal("5.9")  # the outcome wins over a forecast
    assert vb.adjusted_deviation == Decimal("5.9")
    assert t1.deviation == Decimal("-9.5")
    assert t1.adjusted_deviation == Decimal("-3.5")
    assert row("Tomt", "1").deviation is None


def test_economy_totals_sum_every_column():
    economy = EconomyData(
        analysis=None,
        tables=(),
        operating_budget=(
            row("A", "100", outcome="90", adjustments=[("Resultatöverföring", "-1")]),
            row("B", "50", outcome="55", adjustments=[("Justering", "2"), ("Justering", "1")]),
        ),
        income_statement=(
            IncomeStatementRowData("Avgifter", "income", Decimal(-30), Decimal(-10), None, None),
            IncomeStatementRowData("Personal", "cost", Decimal(90), Decimal(30), None, Decimal(28)),
        ),
        investments=(
            InvestmentRowData("Inventarier", Decimal(4), None, Decimal("3.5"), Decimal(4)),
            InvestmentRowData("Klimat", Decimal(1), None, Decimal(1), None),
        ),
    )
    total = economy.operating_budget_total
    assert economy.adjustment_labels == ("Resultatöverföring", "Justering")
    assert (total.budget, total.outcome, total.forecast) == (Decimal(150), Decimal(145), None)
    assert total.deviation == Decimal(5)
    assert total.adjustments == (
        AdjustmentData("Resultatöverföring", Decimal(-1)),
        AdjustmentData("Justering", Decimal(3)),
    )
    assert total.adjusted_deviation == Decimal(7)
    assert economy.operating_budget[1].adjustment("Resultatöverföring") is None

    costs = economy.income_statement_total("cost")
    assert (costs.budget, costs.outcome, costs.change) == (Decimal(90), Decimal(30), Decimal(2))
    assert costs.consumption == Decimal(30) / Decimal(90)
    assert economy.income_statement_total().budget == Decimal(60)
    assert economy.investments_total.deviation == Decimal("0.5")
