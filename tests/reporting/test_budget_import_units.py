"""The Excel budget template and import in the report's amount unit (``Report.amount_unit``):
the template writes kr, tkr or mnkr and names the unit in every amount header, the import reads
the unit the headers name (not the report's unit now), a template from before units is read as
mnkr with a notice, and every refusal (a mixed or missing unit, an amount finer than 1 öre or
too large after conversion) is named at its cell with nothing written."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budget.models import IncomeStatementRow, InvestmentRow
from reporting.budget_import import NO_UNIT_NOTICE
from reporting.models import Report
from reporting.spreadsheet import number
from tests.factories import make_report

from .excel_helpers import amount_column, edited, find_row, snapshot, upload

pytestmark = pytest.mark.django_db

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.fixture
def report(board):
    report = make_report(board, areas=2)
    row = report.operating_budget_rows.get(area__name="Område 0")
    row.budget, row.outcome = Decimal("1.234567"), Decimal("82.2")
    row.save()
    IncomeStatementRow.objects.create(
        report=report, position=1, label="Intäkter", kind="income", outcome=Decimal("-421.5")
    )
    InvestmentRow.objects.create(report=report, position=1, category="Inventarier")
    return report


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def set_unit(report: Report, unit: str) -> None:
    Report.objects.filter(pk=report.pk).update(amount_unit=unit)
    report.refresh_from_db()


def template(client, report) -> bytes:
    response = client.get(reverse("reporting:budget_template", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def import_url(report) -> str:
    return reverse("reporting:budget_import", args=[report.pk])


def fill(content: bytes, values: dict[tuple[str, str, str], object]) -> bytes:
    """Set (sheet, row label, column name without its unit) -> value."""

    def edit(workbook):
        for (sheet, label, name), value in values.items():
            ws = workbook[sheet]
            ws.cell(row=find_row(ws, label), column=amount_column(ws, name)).value = value

    return edited(content, edit)


def headed(content: bytes, headers: dict[tuple[str, str], str]) -> bytes:
    """Rewrite headers: (sheet, column name without its unit) -> the header to write."""

    def edit(workbook):
        for (sheet, name), header in headers.items():
            ws = workbook[sheet]
            ws.cell(row=1, column=amount_column(ws, name)).value = header

    return edited(content, edit)


def without_units(content: bytes, sheets=("Driftbudget", "Resultaträkning", "Investeringar")):
    """The template as written before units: every amount header without its ``(unit)``."""

    def edit(workbook):
        for sheet in sheets:
            for cell in workbook[sheet][1]:
                cell.value = str(cell.value).split(" (")[0]

    return edited(content, edit)


def preview(client, report, content: bytes):
    response = client.post(import_url(report), upload("budget.xlsx", content))
    assert response.status_code == 200
    return response


def confirm(client, report, response) -> None:
    done = client.post(
        import_url(report), {"action": "confirm", "token": response.context["token"]}
    )
    assert done.status_code == 302


def changed(response) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {(c.sheet, c.item, c.column): (c.old, c.new) for c in response.context["changes"]}


def refused(client, report, content: bytes) -> list[str]:
    """The problems of an upload that is refused: nothing written, nothing kept."""
    before = snapshot()
    response = preview(client, report, content)
    assert "Ingenting importerades" in response.content.decode()
    assert snapshot() == before
    assert not [k for k, _ in client.session.items() if k.startswith("excelimport")]
    return response.context["problems"]


def stored_figures(report) -> tuple[Decimal | None, ...]:
    first = report.operating_budget_rows.get(area__name="Område 0")
    second = report.operating_budget_rows.get(area__name="Område 1")
    return (
        first.budget,
        second.outcome,
        report.income_statement_rows.get(label="Intäkter").outcome,
        report.investment_rows.get().budget,
    )


# -- the template -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit, budget, income",
    [
        ("mnkr", Decimal("1.234567"), Decimal("-421.5")),
        ("tkr", Decimal("1234.567"), Decimal("-421500")),
        ("kr", Decimal("1234567"), Decimal("-421500000")),
    ],
)
def test_the_template_writes_every_amount_exactly_in_the_reports_unit_and_names_it(
    admin_client, report, unit, budget, income
):
    set_unit(report, unit)
    book = load_workbook(io.BytesIO(template(admin_client, report)))
    sheet = book["Driftbudget"]
    assert [c.value for c in sheet[1]] == [
        "Verksamhetsområde",
        f"Bokslut föregående år ({unit})",
        f"Budget ({unit})",
        f"Bokslut ({unit})",
    ]
    assert Decimal(str(sheet["C2"].value)) == budget
    statement = book["Resultaträkning"]
    assert [c.value for c in statement[1]][1:] == [
        f"Budget ({unit})",
        f"Utfall ({unit})",
        f"Budget föregående år ({unit})",
        f"Utfall föregående år ({unit})",
    ]
    assert Decimal(str(statement["C2"].value)) == income
    assert [c.value for c in book["Investeringar"][1]][1] == f"Budget ({unit})"
    instructions = " ".join(str(c.value) for c in book["Instruktioner"]["A"] if c.value)
    assert f"Beloppen i den här mallen står i {unit}" in instructions
    assert f"”Budget ({unit})”" in instructions
    assert "i mnkr;" not in instructions


def test_the_import_page_names_the_unit_the_template_writes(admin_client, report):
    set_unit(report, "tkr")
    page = admin_client.get(import_url(report)).content.decode()
    assert "Mallen skriver beloppen i <strong>tkr</strong>" in page
    assert reverse("budget:amount_unit_edit", args=[report.pk]) in page


# -- round trips ------------------------------------------------------------------------------

EXACT = (Decimal("1.23456789"), Decimal("4.5"), Decimal("-508.6"), Decimal("0.00000001"))


@pytest.mark.parametrize(
    "unit, typed, shown_budget",
    [
        ("kr", ["1 234 567,89", 4500000, -508600000, 0.01], f"1{NNBSP}234{NNBSP}567,89{NBSP}kr"),
        ("tkr", [1234.56789, "4 500", "−508 600", "0,00001"], f"1{NNBSP}234,56789{NBSP}tkr"),
        ("mnkr", [1.23456789, "4,5", -508.6, 0.00000001], f"1,23456789{NBSP}mnkr"),
    ],
)
def test_a_template_filled_in_in_the_reports_unit_is_stored_in_exact_mnkr(
    admin_client, report, unit, typed, shown_budget
):
    set_unit(report, unit)
    content = fill(
        template(admin_client, report),
        {
            ("Driftbudget", "Område 0", "Budget"): typed[0],
            ("Driftbudget", "Område 1", "Bokslut"): typed[1],
            ("Resultaträkning", "Intäkter", "Utfall"): typed[2],
            ("Investeringar", "Inventarier", "Budget"): typed[3],
        },
    )
    response = preview(admin_client, report, content)
    assert response.context["notices"] == []
    assert changed(response)[("Driftbudget", "Område 0", "Budget")][1] == shown_budget
    assert shown_budget in response.content.decode()
    confirm(admin_client, report, response)
    assert stored_figures(report) == EXACT


def test_a_tkr_template_is_read_as_tkr_after_the_report_switched_to_kr(admin_client, report):
    set_unit(report, "tkr")
    downloaded = template(admin_client, report)
    content = fill(
        downloaded,
        {
            ("Driftbudget", "Område 0", "Budget"): 1234.56789,
            ("Driftbudget", "Område 1", "Bokslut"): "4 500",
            ("Resultaträkning", "Intäkter", "Utfall"): -508600,
            ("Investeringar", "Inventarier", "Budget"): "0,00001",
        },
    )
    set_unit(report, "kr")

    # the untouched template holds what is saved, read as tkr: nothing to change
    assert preview(admin_client, report, downloaded).context["changes"] == []

    response = preview(admin_client, report, content)
    assert response.context["notices"] == [
        "Filens rubriker anger tkr: beloppen läses som tkr.",
        "Förhandsgranskningen visar beloppen i kr, rapportens beloppsenhet.",
    ]
    assert changed(response)[("Driftbudget", "Område 0", "Budget")] == (
        f"1{NNBSP}234{NNBSP}567{NBSP}kr",
        f"1{NNBSP}234{NNBSP}567,89{NBSP}kr",
    )
    assert changed(response)[("Investeringar", "Inventarier", "Budget")] == (
        "tomt",
        f"0,01{NBSP}kr",
    )
    page = response.content.decode()
    assert "Filens rubriker anger tkr" in page
    confirm(admin_client, report, response)
    assert stored_figures(report) == EXACT


def test_an_old_template_without_units_is_read_as_mnkr_and_the_preview_says_so(
    admin_client, report
):
    old = without_units(template(admin_client, report))  # the report was in mnkr
    assert load_workbook(io.BytesIO(old))["Driftbudget"]["C1"].value == "Budget"
    content = fill(
        old,
        {
            ("Driftbudget", "Område 0", "Budget"): 90,
            ("Resultaträkning", "Intäkter", "Utfall"): "−508,6",
        },
    )
    set_unit(report, "tkr")
    response = preview(admin_client, report, content)
    assert response.context["notices"] == [
        NO_UNIT_NOTICE,
        "Förhandsgranskningen visar beloppen i tkr, rapportens beloppsenhet.",
    ]
    assert NO_UNIT_NOTICE == "Filen saknar enhet i rubrikerna: beloppen läses som mnkr."
    assert NO_UNIT_NOTICE in response.content.decode()
    assert changed(response) == {
        ("Driftbudget", "Område 0", "Budget"): (
            f"1{NNBSP}234,567{NBSP}tkr",
            f"90{NNBSP}000{NBSP}tkr",
        ),
        ("Resultaträkning", "Intäkter", "Utfall"): (
            f"{MINUS}421{NNBSP}500{NBSP}tkr",
            f"{MINUS}508{NNBSP}600{NBSP}tkr",
        ),
    }
    confirm(admin_client, report, response)
    assert stored_figures(report)[0] == Decimal("90")
    assert stored_figures(report)[2] == Decimal("-508.6")


def test_an_old_sheet_among_new_ones_is_read_as_mnkr_and_named(admin_client, report):
    set_unit(report, "tkr")
    content = without_units(
        fill(
            template(admin_client, report),
            {
                ("Driftbudget", "Område 0", "Budget"): 2000,  # tkr
                ("Investeringar", "Inventarier", "Budget"): 3,  # mnkr: the sheet has no unit
            },
        ),
        sheets=["Investeringar"],
    )
    response = preview(admin_client, report, content)
    assert response.context["notices"] == [
        "Bladet Investeringar saknar enhet i rubrikerna: beloppen där läses som mnkr.",
        "Förhandsgranskningen visar beloppen i tkr, rapportens beloppsenhet.",
    ]
    confirm(admin_client, report, response)
    assert stored_figures(report)[0] == Decimal("2")
    assert stored_figures(report)[3] == Decimal("3")


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, problems",
    [
        (
            {("Driftbudget", "Bokslut"): "Bokslut (kr)"},
            [
                "Blad Driftbudget, rad 1, kolumn Bokslut (kr): rubriken anger kr, men bladets "
                "andra beloppskolumner står i tkr: alla belopp på ett blad ska stå i samma enhet. "
                "Räkna om kolumnen och ändra rubriken, eller hämta en ny mall."
            ],
        ),
        (
            {("Resultaträkning", "Utfall"): "Utfall"},
            [
                "Blad Resultaträkning, rad 1, kolumn Utfall: rubriken anger ingen enhet, men "
                "bladets andra beloppskolumner står i tkr: alla belopp på ett blad ska stå i "
                "samma enhet. Skriv enheten inom parentes, t.ex. ”Utfall (tkr)”."
            ],
        ),
        (
            {("Investeringar", "Prognos"): "Prognos (Mkr)"},
            [
                "Blad Investeringar, rad 1, kolumn Prognos (Mkr): ”Mkr” är ingen enhet som "
                "importen känner till. Skriv kr, tkr eller mnkr inom parentes, t.ex. "
                "”Prognos (tkr)”."
            ],
        ),
    ],
    ids=["another unit", "no unit", "unknown unit"],
)
def test_a_sheet_with_mixed_units_is_refused_at_its_header_and_nothing_is_written(
    admin_client, report, headers, problems
):
    set_unit(report, "tkr")
    content = headed(
        fill(
            template(admin_client, report),
            {
                ("Driftbudget", "Område 0", "Budget"): 5000,
                ("Driftbudget", "Område 1", "Bokslut"): 100,
                ("Resultaträkning", "Intäkter", "Utfall"): -500000,
                ("Investeringar", "Inventarier", "Budget"): 7,
            },
        ),
        headers,
    )
    assert refused(admin_client, report, content) == problems


def test_a_unit_the_header_writes_in_capitals_is_read(admin_client, report):
    set_unit(report, "tkr")
    content = headed(
        fill(template(admin_client, report), {("Driftbudget", "Område 0", "Budget"): 2000}),
        {("Driftbudget", "Budget"): "budget (TKR)"},
    )
    confirm(admin_client, report, preview(admin_client, report, content))
    assert stored_figures(report)[0] == Decimal("2")


@pytest.mark.parametrize(
    "unit, typed, problem",
    [
        (
            "kr",
            "1 234 567,891",
            f"Blad Driftbudget, rad 2, kolumn Budget (kr): ”1{NNBSP}234{NNBSP}567,891” går "
            "inte att spara. Beloppet har fler decimaler än som sparas: minsta steget är "
            "0,01 kr (1 öre).",
        ),
        (
            "tkr",
            1234.567891,
            f"Blad Driftbudget, rad 2, kolumn Budget (tkr): ”1{NNBSP}234,567891” går inte att "
            "spara. Beloppet har fler decimaler än som sparas: minsta steget är 0,00001 tkr "
            "(1 öre).",
        ),
        (
            # more digits than Python's decimals keep: refused, never rounded to 0,1
            "tkr",
            "0,100000000000000000000000000001",
            "Blad Driftbudget, rad 2, kolumn Budget (tkr): ”0,100000000000000000000000000001” "
            "går inte att spara. Beloppet har fler decimaler än som sparas: minsta steget är "
            "0,00001 tkr (1 öre).",
        ),
        (
            "kr",
            10**18,
            f"Blad Driftbudget, rad 2, kolumn Budget (kr): ”1{NNBSP}000{NNBSP}000{NNBSP}000"
            f"{NNBSP}000{NNBSP}000{NNBSP}000” går inte att spara. Beloppet är för stort: det ska "
            f"vara mindre än 1{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000 kr.",
        ),
        (
            "mnkr",
            1e40,
            f"Blad Driftbudget, rad 2, kolumn Budget (mnkr): ”10{(NNBSP + '000') * 9}{NNBSP}…” "
            "går inte att spara. Beloppet är för stort: det "
            f"ska vara mindre än 1{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000 mnkr.",
        ),
    ],
    ids=["kr finer than öre", "tkr finer than öre", "beyond 28 digits", "kr too large", "1e40"],
)
def test_an_amount_the_column_cannot_hold_after_conversion_is_refused_at_its_cell(
    admin_client, report, unit, typed, problem
):
    set_unit(report, unit)
    content = fill(
        template(admin_client, report),
        {
            ("Driftbudget", "Område 0", "Budget"): typed,
            ("Driftbudget", "Område 1", "Bokslut"): 4,  # a good change: not written either
        },
    )
    assert refused(admin_client, report, content) == [problem]


def test_a_refusal_on_the_last_sheet_writes_none_of_the_good_sheets(admin_client, report):
    set_unit(report, "tkr")
    good = {
        ("Driftbudget", "Område 0", "Budget"): 5000,
        ("Driftbudget", "Område 1", "Bokslut"): 100,
        ("Resultaträkning", "Intäkter", "Utfall"): -500000,
    }
    content = fill(
        template(admin_client, report),
        {**good, ("Investeringar", "Inventarier", "Budget"): "0,000001"},
    )
    before = stored_figures(report)
    assert refused(admin_client, report, content) == [
        "Blad Investeringar, rad 2, kolumn Budget (tkr): ”0,000001” går inte att spara. "
        "Beloppet har fler decimaler än som sparas: minsta steget är 0,00001 tkr (1 öre)."
    ]
    assert stored_figures(report) == before
    # corrected, the same file goes in whole
    fixed = fill(content, {("Investeringar", "Inventarier", "Budget"): "0,00001"})
    confirm(admin_client, report, preview(admin_client, report, fixed))
    assert stored_figures(report) == (
        Decimal("5"),
        Decimal("0.1"),
        Decimal("-500"),
        Decimal("0.00000001"),
    )


def test_a_cell_number_is_never_rounded_nor_a_server_error():
    """``number`` (every Excel import) bounds the exact value: a text with more digits than
    Python's 28 is refused, not rounded into range, and a huge number is "för stort"."""
    with pytest.raises(ValueError, match="har fler än 8 decimaler"):
        number("1,00000000000000000000000000001", max_digits=20, decimal_places=8)
    with pytest.raises(ValueError, match="är för stort"):
        number(1e40, max_digits=20, decimal_places=8)
    with pytest.raises(ValueError, match="är för stort"):
        number("1" + "0" * 40, max_digits=20, decimal_places=8)
    assert number("1,500000000", max_digits=20, decimal_places=8) == Decimal("1.5")
    assert number(1000.0, max_digits=20, decimal_places=8) == Decimal("1000")
