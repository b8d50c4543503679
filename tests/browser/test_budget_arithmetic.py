"""The budget form's live sums agree with the server's arithmetic, on the same rows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget import arithmetic
from budget.models import BudgetAdjustment, IncomeStatementRow, OperatingBudgetRow
from reporting.assemble import build_report_data
from reporting.numbers import format_amount
from reporting.render import Document
from tests.factories import make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = Decimal
# Exact amounts (tkr to the krona) whose rounded rows do not add up to the rounded total, and
# deviations on the 0,05 boundary, where float arithmetic would round the wrong way.
OTHERS = [
    (D("144.840213"), D("147.412"), [D("-0.05")]),
    (D("272.240600"), D("259.390550"), []),
]
TYPED = {"budget": "88,045", "outcome": "82,1950", "adjustment": "−31,25"}


def test_the_live_sums_are_the_servers_figures(page_for, editor, board):
    report = make_report(board, areas=3)
    first, *others = OperatingBudgetRow.objects.filter(report=report).order_by("area__position")
    for row, (budget, outcome, adjustments) in zip(others, OTHERS, strict=True):
        row.budget, row.outcome = budget, outcome
        row.save()
        for position, amount in enumerate(adjustments, start=1):
            BudgetAdjustment.objects.create(
                row=row, label="Justering", amount=amount, position=position
            )
    page = page_for(editor)
    page.goto(reverse("budget:operating_budget_row_edit", args=[report.pk, first.pk]))
    page.get_by_label("Budget", exact=True).fill(TYPED["budget"])
    page.get_by_label("Bokslut", exact=True).fill(TYPED["outcome"])
    page.get_by_label("Justering, ny justering").fill("Justering")
    page.get_by_label("Belopp, ny justering").fill(TYPED["adjustment"])
    shown = {
        name: page.inner_text(f'[data-out="{name}"]')
        for name in ("deviation", "adjusted", "total-budget", "total-deviation", "total-adjusted")
    }

    # The server's figures for the same rows, from budget.arithmetic.
    budget, outcome, adjustment = D("88.045"), D("82.195"), D("-31.25")
    rows = [(budget, outcome, [adjustment]), *OTHERS]
    deviations = [arithmetic.deviation(b, o) for b, o, _ in rows]
    adjusted = [
        arithmetic.adjusted_deviation(d, a) for d, (_, _, a) in zip(deviations, rows, strict=True)
    ]
    expected = {
        "deviation": format_amount(deviations[0], sign=True),
        "adjusted": format_amount(adjusted[0], sign=True),
        "total-budget": format_amount(arithmetic.total(b for b, _, _ in rows)),
        "total-deviation": format_amount(arithmetic.total(deviations), sign=True),
        "total-adjusted": format_amount(arithmetic.total(adjusted), sign=True),
    }
    assert shown == expected
    assert expected["total-budget"] == "505,1"  # the printed rows 88,0 + 144,8 + 272,2 = 505,0
    assert expected["deviation"] == "+5,9"  # 5,85 exactly (in floats 5,8499…, printed 5,8)

    # Saved, the report prints the same total row.
    with page.expect_navigation():
        page.get_by_role("button", name="Spara", exact=True).click()
    total = build_report_data(report).economy.operating_budget_total
    assert format_amount(total.budget) == expected["total-budget"]
    assert format_amount(total.deviation, sign=True) == expected["total-deviation"]
    assert format_amount(total.adjusted_deviation, sign=True) == expected["total-adjusted"]


def test_the_income_statements_live_sums_in_tkr_are_the_servers_figures(page_for, editor, board):
    """Typed in tkr, to the krona: the change of each row and the sums shown while typing are
    the figures the report prints from the saved exact amounts."""
    report = make_report(board)
    report.amount_unit = "tkr"
    report.save()
    IncomeStatementRow.objects.create(
        report=report,
        position=1,
        label="Försäljning",
        kind="income",
        previous_outcome=D("-508.549"),
        outcome=D("-421.451"),
    )
    page = page_for(editor)
    page.goto(reverse("budget:income_statement_edit", args=[report.pk]))
    summary = page.locator("[data-budget-table-summary]")
    assert summary.locator("tbody tr").first.inner_text().split("\t") == [
        "Försäljning",
        "\u2212508,5",
        "\u2212421,5",
        "\u221287,1",  # −508,549 − (−421,451) = −87,098: the income fell by 87,1
    ]
    page.get_by_label("Intäkts- eller kostnadsslag, ny rad", exact=True).fill("Lokalkostnader")
    page.get_by_label("Slag, ny rad", exact=True).select_option("cost")
    page.get_by_label("Utfall föregående år, ny rad", exact=True).fill("204 949")
    page.get_by_label("Utfall, ny rad", exact=True).fill("211 549,5")
    shown = [row.split("\t") for row in summary.locator("tbody tr").all_inner_texts()]

    with page.expect_navigation():
        page.get_by_role("button", name="Spara", exact=True).click()
    table = Document(build_report_data(report)).income_statement
    printed = [[row.label, *(c.text for c in row.cells)] for row in table.rows]
    assert [[cell.replace("\u00a0", " ") for cell in row] for row in shown] == [
        [cell.replace("\u00a0", " ") for cell in row] for row in printed
    ]
    assert printed[-1] == ["Netto", "\u2212303,6", "\u2212209,9", "93,7"]
