"""The economy's figures as the ledger prints them: every total and ratio computed from the
exact amounts and rounded once, given (printed) figures printed as given, the columns of the
period in their order (DOMAIN.md §6, ``budget.arithmetic``)."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from budget.arithmetic import TERTIAL_ADJUSTMENTS, adjustment_columns
from reporting.document import document_from_interchange
from reporting.render import Document

T1 = Path(__file__).parent.parent / "data" / "t1-2024-aldrenamnden.json"
MINUS = "\u2212"


@pytest.fixture
def t1() -> dict:
    return json.loads(T1.read_text(encoding="utf-8"))


def with_economy(document: dict, **economy) -> Document:
    document = copy.deepcopy(document)
    document["economy"].update(economy)
    return Document(document_from_interchange(document))


def test_a_total_deviation_within_rounding_prints_in_balance_not_the_sum_of_rounded_rows(t1):
    """Two areas whose deviations print 0,1 and 0,0 (+0,05 and −0,04) are together 0,01 in
    balance: the total prints 0,0, as the text's "i balans" says, not 0,1."""
    doc = with_economy(
        t1,
        operating_budget=[
            {"area": "Hemtjänst", "budget": 10.05, "forecast": 10, "adjustments": []},
            {"area": "Särskilt boende", "budget": 10, "forecast": 10.04, "adjustments": []},
        ],
    )
    deviation = doc.operating_budget.columns.index("Avvikelse")
    assert [row.cells[deviation].text for row in doc.operating_budget.rows] == [
        "0,1",
        "0,0",  # never −0,0
        "0,0",
    ]


def test_consumption_is_computed_from_the_exact_amounts(t1):
    """30,85 of 100,049 mnkr is 30,8 %, though the rounded 30,9 of 100,0 would be 30,9 %."""
    doc = with_economy(
        t1,
        income_statement=[
            {"label": "Personalkostnader", "kind": "cost", "budget": 100.049, "outcome": 30.85}
        ],
    )
    table = doc.income_statement
    personnel = next(row for row in table.rows if row.label == "Personalkostnader")
    this_year = table.columns.index("Förbrukning 2024")
    assert [c.text for c in personnel.cells[this_year - 2 : this_year + 1]] == [
        "100,0",
        "30,9",
        "30,8\u00a0%",
    ]


def test_an_income_rows_change_is_the_change_of_the_income_itself():
    """VB 2019: incomes of −508,6 and −421,5 mnkr fell by 87,0: printed −87,0; a cost that grew
    from 204,9 to 211,5 printed +6,6. The net is the costs' change less the incomes'."""
    document = {
        "format_version": 1,
        "organisation": {"municipality": "Stockholms stad", "board": "Socialnämnden"},
        "year": 2019,
        "period": "VB",
        "direction_goals": [],
        "economy": {
            "income_statement": [
                {
                    "label": "Intäkter",
                    "kind": "income",
                    "previous_outcome": -508.6,
                    "outcome": -421.5,
                },
                {"label": "Lokaler", "kind": "cost", "previous_outcome": 204.9, "outcome": 211.5},
            ]
        },
    }
    table = Document(document_from_interchange(document)).income_statement
    changes = {row.label: row.cells[2].text for row in table.rows}
    assert changes == {
        "Intäkter": f"{MINUS}87,1",
        "Summa intäkter": f"{MINUS}87,1",
        "Lokaler": "6,6",
        "Summa kostnader": "6,6",
        "Netto": "93,7",  # 290,0 − 196,3 = 6,6 − (−87,1)
    }


def test_given_figures_are_printed_as_given_and_everything_else_computed(t1):
    doc = with_economy(
        t1,
        operating_budget=[
            {
                "area": "Hemtjänst",
                "budget": 88,
                "forecast": 82.2,
                "adjustments": [],
                "given": {"deviation": 5.9},
            },
            {"area": "Särskilt boende", "budget": 10, "forecast": 10, "adjustments": []},
        ],
        given_totals={"operating_budget": {"budget": 98.1}},
    )
    rows = doc.operating_budget.rows
    assert [c.text for c in rows[0].cells[:4]] == ["", "88,0", "82,2", "5,9"]
    assert rows[0].cells[-1].text == "5,8"  # the adjusted deviation was not given: computed
    assert [c.text for c in rows[-1].cells[:4]] == ["", "98,1", "92,2", "5,8"]


def test_the_vb_adjustment_columns_follow_the_boards_kinds_then_first_use():
    present = ["Justering Nyanlända", "Omställning", "Resultatöverföring"]
    kinds = ["Resultatöverföring", "Justering nyanlända", "Medel för lokaler"]
    assert adjustment_columns(False, kinds, present) == (
        "Resultatöverföring",
        "Justering nyanlända",  # the kind's spelling; matched without regard to case
        "Medel för lokaler",  # printed though no area has an amount in it
        "Omställning",  # a label no kind names: after the kinds
    )
    assert adjustment_columns(True, kinds, present) == (
        *TERTIAL_ADJUSTMENTS,
        "Justering Nyanlända",
        "Omställning",
        "Resultatöverföring",
    )


def test_an_unused_adjustment_kind_prints_an_empty_column_and_total(t1):
    document = copy.deepcopy(t1)
    document["period"] = "VB"
    for row in document["economy"]["operating_budget"]:
        row["outcome"], row["adjustments"] = row.get("forecast"), []
    document["economy"]["adjustment_kinds"] = ["Resultatöverföring"]
    table = Document(document_from_interchange(document)).operating_budget
    column = table.columns.index("Resultatöverföring")
    assert table.columns[column + 1] == "Justerad avvikelse"
    assert {row.cells[column].text for row in table.rows} == {""}
    assert Decimal(0) not in {row.cells[column].value for row in table.rows}
