"""Amounts typed in the unit the administration works in (``Report.amount_unit``: kr, tkr or
mnkr), stored in mnkr as exactly as typed, and every total printed as the rounded exact sum:
the same on the page, in the PDF and in the workbook (``budget.arithmetic``)."""

import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget.models import BudgetAdjustment, IncomeStatementRow, OperatingBudgetRow
from reporting.assemble import build_report_data
from reporting.render import Document, render_html, render_pdf
from reporting.xlsx import render_xlsx
from tests.entry_helpers import shown_form
from tests.factories import make_report

NNBSP, MINUS = "\u202f", "\u2212"


def row_url(row: OperatingBudgetRow) -> str:
    return f"/rapporter/{row.report_id}/ekonomi/driftbudget/{row.pk}/"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True
    )
    return " ".join(result.stdout.decode("utf-8").replace(NNBSP, " ").split())


@pytest.fixture
def tkr_report(board):
    report = make_report(board, areas=3)
    report.amount_unit = "tkr"
    report.save()
    return report


def test_exact_tkr_amounts_print_the_rounded_exact_total_not_the_sum_of_rounded_rows(
    client, editor, tkr_report
):
    """Three areas of 100 049 tkr each print 100,0 mnkr, which add up to 300,0; the printed
    total is the exact sum 300 147 tkr rounded once: 300,1. Likewise the deviations (0,0 each,
    0,1 in total) and last year's outcome (100,0 each, 299,9 in total)."""
    rows = list(OperatingBudgetRow.objects.filter(report=tkr_report).order_by("area__position"))
    client.force_login(editor)
    for row in rows:
        _, data = shown_form(client, row_url(row))
        response = client.post(
            row_url(row),
            {
                **data,
                "budget": "100 049",
                "outcome": "100 000",
                "previous_year_outcome": "99 951,5",
            },
        )
        assert response.status_code == 302
    for row in rows:
        row.refresh_from_db()
        assert (row.budget, row.outcome, row.previous_year_outcome) == (
            Decimal("100.049"),
            Decimal("100"),
            Decimal("99.9515"),
        )
    # the form shows the amounts back in tkr
    assert f'value="100{NNBSP}049"' in client.get(row_url(rows[0])).content.decode()

    data = build_report_data(tkr_report)
    table = Document(data).operating_budget
    assert [[c.text for c in row.cells[:4]] for row in table.rows] == [
        ["100,0", "100,0", "100,0", "0,0"],
        ["100,0", "100,0", "100,0", "0,0"],
        ["100,0", "100,0", "100,0", "0,0"],
        ["299,9", "300,1", "300,0", "0,1"],
    ]
    total_row = "Nämnden totalt 299,9 300,1 300,0 0,1"
    # the page
    page = " ".join(render_html(data).replace(NNBSP, " ").split())
    assert "<td" in page and all(f in page for f in ("299,9", "300,1", "300,0"))
    # the PDF
    assert total_row in pdf_text(render_pdf(data))
    # the workbook: the exact sums, shown with one decimal
    sheet = load_workbook(io.BytesIO(render_xlsx(data)))["Driftbudget"]
    [total] = [r for r in sheet.iter_rows() if r[0].value == "Nämnden totalt"]
    assert [round(Decimal(str(c.value)), 1) for c in total[1:5]] == [
        Decimal("299.9"),
        Decimal("300.1"),
        Decimal("300.0"),
        Decimal("0.1"),
    ]


def test_adjustments_are_typed_in_the_reports_unit_too(client, editor, tkr_report):
    row = OperatingBudgetRow.objects.filter(report=tkr_report).first()
    client.force_login(editor)
    _, data = shown_form(client, row_url(row))
    response = client.post(
        row_url(row),
        {
            **data,
            "budget": "1 000",
            "outcome": "900",
            "justeringar-0-label": "Resultatöverföring",
            "justeringar-0-amount": "−49,5",
        },
    )
    assert response.status_code == 302
    [adjustment] = BudgetAdjustment.objects.filter(row=row)
    assert adjustment.amount == Decimal("-0.0495")
    html = client.get(row_url(row)).content.decode()
    assert 'data-budget-unit="tkr"' in html and "Belopp i tkr" in html
    assert f'value="{MINUS}49,5"' in html


def test_kronor_with_ore_are_kept_exactly(client, editor, board):
    report = make_report(board, areas=1)
    report.amount_unit = "kr"
    report.save()
    row = OperatingBudgetRow.objects.get(report=report)
    client.force_login(editor)
    _, data = shown_form(client, row_url(row))
    response = client.post(row_url(row), {**data, "budget": "1 234 567,89", "outcome": "0,01"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.budget, row.outcome) == (Decimal("1.23456789"), Decimal("0.00000001"))


def test_an_amount_finer_than_one_ore_is_refused_in_swedish_at_its_field(
    client, editor, tkr_report
):
    row = OperatingBudgetRow.objects.filter(report=tkr_report).first()
    client.force_login(editor)
    _, data = shown_form(client, row_url(row))
    response = client.post(row_url(row), {**data, "budget": "100,000001"})
    assert response.status_code == 200
    errors = response.context["form"].errors["budget"]
    assert errors == [
        "Beloppet har fler decimaler än som sparas: minsta steget är 0,00001 tkr (1 öre)."
    ]
    row.refresh_from_db()
    assert row.budget is None


def test_an_amount_too_large_for_its_column_is_refused_in_the_unit_typed(client, editor, board):
    """The forms and the Excel import share the check (``budget.forms.check_amount``): the
    column holds less than 10¹² mnkr, said in the unit the amount was typed in."""
    report = make_report(board, areas=1)
    report.amount_unit = "kr"
    report.save()
    row = OperatingBudgetRow.objects.get(report=report)
    client.force_login(editor)
    _, data = shown_form(client, row_url(row))
    response = client.post(row_url(row), {**data, "budget": "1 000 000 000 000 000 000"})
    assert response.status_code == 200
    limit = NNBSP.join(["1"] + ["000"] * 6)
    assert response.context["form"].errors["budget"] == [
        f"Beloppet är för stort: det ska vara mindre än {limit} kr."
    ]
    just_below = client.post(row_url(row), {**data, "budget": "999 999 999 999 999 999,99"})
    assert just_below.status_code == 302  # (SQLite keeps it as a float: not read back here)


def test_the_income_statement_page_shows_the_computed_columns_and_sums(client, editor, board):
    """Under the form, the table as the report prints it: each row's change and the sums
    from the exact amounts (VB 2019: the incomes fell by 87,0, printed −87,0)."""
    report = make_report(board)
    report.amount_unit = "tkr"
    report.save()
    IncomeStatementRow.objects.create(
        report=report,
        position=1,
        label="Försäljning",
        kind="income",
        previous_outcome=Decimal("-508.6"),
        outcome=Decimal("-421.5"),
    )
    IncomeStatementRow.objects.create(
        report=report,
        position=2,
        label="Lokalkostnader",
        kind="cost",
        previous_outcome=Decimal("204.949"),
        outcome=Decimal("211.549"),
    )
    client.force_login(editor)
    response = client.get(f"/rapporter/{report.pk}/ekonomi/resultatrakning/")
    summary = response.context["summary"]
    assert [(r["label"], [c[0] for c in r["cells"]][2]) for r in summary["rows"]] == [
        ("Försäljning", Decimal("-87.1")),
        ("Summa intäkter", Decimal("-87.1")),
        ("Lokalkostnader", Decimal("6.6")),
        ("Summa kostnader", Decimal("6.6")),
        ("Netto", Decimal("93.7")),
    ]
    html = " ".join(response.content.decode().split())
    assert "data-budget-table-summary" in html and 'data-budget-unit="tkr"' in html
    assert f'<td class="text-end">{MINUS}87,1</td>' in html
    cells = '<td class="text-end">204,9</td><td class="text-end">211,5</td>'
    assert cells + '<td class="text-end">6,6</td>' in html  # printed as in the report
    assert "Rader, belopp i tkr" in html


def test_an_editor_sets_the_reports_unit_and_the_forms_follow(client, editor, report):
    client.force_login(editor)
    url = f"/rapporter/{report.pk}/ekonomi/beloppsenhet/"
    page = client.get(url).content.decode()
    assert "Belopp anges i" in page and 'value="tkr"' in page
    response = client.post(url, {"amount_unit": "tkr"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.amount_unit == "tkr"
    assert report.history.first().amount_unit == "tkr"  # in the audit trail
    row = OperatingBudgetRow.objects.filter(report=report).first()
    assert "Belopp i tkr" in client.get(row_url(row)).content.decode()
    refused = client.post(url, {"amount_unit": "öre"})
    assert refused.status_code == 200 and refused.context["form"].errors["amount_unit"]
