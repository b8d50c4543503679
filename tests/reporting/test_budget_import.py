"""Budget figures from Excel: the template, the preview of every change, cancel and confirm,
located problems, refused files, and nothing applied unless everything is."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budget.models import IncomeStatementRow, InvestmentRow, OperatingArea, OperatingBudgetRow
from reporting.models import Report
from tests.factories import make_report

from .excel_helpers import (
    amount_column,
    edited,
    find_row,
    snapshot,
    upload,
    with_entries,
    zipped,
)

pytestmark = pytest.mark.django_db

PLACES = OperatingBudgetRow._meta.get_field("budget").decimal_places
NBSP = "\u00a0"


@pytest.fixture
def report(board):
    report = make_report(board, areas=2)
    row = report.operating_budget_rows.get(area__name="Område 0")
    row.budget, row.outcome = Decimal("88"), Decimal("82.2")
    row.save()
    IncomeStatementRow.objects.create(
        report=report, position=1, label="Intäkter", kind="income", outcome=Decimal("-421.5")
    )
    IncomeStatementRow.objects.create(
        report=report, position=2, label="Personalkostnader", kind="cost", outcome=Decimal("500")
    )
    InvestmentRow.objects.create(report=report, position=1, category="Inventarier")
    return report


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def template(client, report) -> bytes:
    response = client.get(reverse("reporting:budget_template", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def import_url(report) -> str:
    return reverse("reporting:budget_import", args=[report.pk])


def fill(content: bytes, values: dict[tuple[str, str, str], object]) -> bytes:
    """Set (sheet, row label, header) -> value in the template; an amount column is named
    without its unit (``Budget`` for ``Budget (tkr)``)."""

    def edit(workbook):
        for (sheet, label, header), value in values.items():
            ws = workbook[sheet]
            ws.cell(row=find_row(ws, label), column=amount_column(ws, header)).value = value

    return edited(content, edit)


def test_the_template_lists_the_areas_and_rows_with_locked_labels_and_validated_numbers(
    admin_client, report
):
    OperatingArea.objects.create(board=report.board, year=2019, name="Nytt område", position=9)
    book = load_workbook(io.BytesIO(template(admin_client, report)))
    assert book.sheetnames == ["Instruktioner", "Driftbudget", "Resultaträkning", "Investeringar"]
    sheet = book["Driftbudget"]
    assert [c.value for c in sheet[1]] == [
        "Verksamhetsområde",
        "Bokslut föregående år (mnkr)",
        "Budget (mnkr)",
        "Bokslut (mnkr)",
    ]
    assert [sheet.cell(row=r, column=1).value for r in (2, 3, 4)] == [
        "Område 0",
        "Område 1",
        "Nytt område",
    ]
    assert sheet["C2"].value == 88 and sheet["D2"].value == 82.2
    assert sheet.protection.sheet
    assert sheet["A2"].protection.locked
    assert not sheet["C2"].protection.locked
    rules = sheet.data_validations.dataValidation
    assert any(r.type == "decimal" and "C2" in str(r.sqref) for r in rules)
    assert [c.value for c in book["Resultaträkning"]["A"]][1:] == ["Intäkter", "Personalkostnader"]
    assert book["Investeringar"]["A2"].value == "Inventarier"


def test_a_tertial_template_asks_for_the_forecast(admin_client, board):
    report = make_report(board, period="T1")
    sheet = load_workbook(io.BytesIO(template(admin_client, report)))["Driftbudget"]
    assert [c.value for c in sheet[1]][-1] == "Prognos (mnkr)"


def test_the_preview_lists_every_change_and_confirm_applies_them_all(
    admin_client, report, administrator
):
    content = fill(
        template(admin_client, report),
        {
            ("Driftbudget", "Område 0", "Budget"): 88.1234,
            ("Driftbudget", "Område 1", "Bokslut"): "1 165,1",
            ("Driftbudget", "Område 0", "Bokslut"): None,
            ("Resultaträkning", "Intäkter", "Utfall"): "−508,6",
            ("Investeringar", "Inventarier", "Budget"): 2,
        },
    )
    before = snapshot()
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    assert response.status_code == 200
    page = response.content.decode()
    changes = [(c.sheet, c.item, c.column, c.old, c.new) for c in response.context["changes"]]
    assert sorted(changes) == sorted(
        [
            ("Driftbudget", "Område 0", "Budget", f"88{NBSP}mnkr", f"88,1234{NBSP}mnkr"),
            ("Driftbudget", "Område 0", "Bokslut", f"82,2{NBSP}mnkr", "tomt"),
            ("Driftbudget", "Område 1", "Bokslut", "tomt", f"1\u202f165,1{NBSP}mnkr"),
            (
                "Resultaträkning",
                "Intäkter",
                "Utfall",
                f"\u2212421,5{NBSP}mnkr",
                f"\u2212508,6{NBSP}mnkr",
            ),
            ("Investeringar", "Inventarier", "Budget", "tomt", f"2{NBSP}mnkr"),
        ]
    )
    assert "Förhandsgranskning" in page and "88,1234" in page
    assert response.context["notices"] == []  # the report's own unit: nothing to say
    assert snapshot() == before  # nothing saved by the preview

    token = response.context["token"]
    response = admin_client.post(import_url(report), {"action": "confirm", "token": token})
    assert response.status_code == 302
    first = report.operating_budget_rows.get(area__name="Område 0")
    second = report.operating_budget_rows.get(area__name="Område 1")
    assert first.budget == Decimal("88.1234")  # the precision given is kept
    assert first.outcome is None
    assert first.version == 2
    assert second.outcome == Decimal("1165.1")
    assert report.income_statement_rows.get(label="Intäkter").outcome == Decimal("-508.6")
    assert report.investment_rows.get().budget == Decimal("2")
    record = first.history.first()
    assert record.history_user == administrator
    assert record.history_change_reason == "import"
    # the preview is used up: confirming again applies nothing twice
    again = admin_client.post(import_url(report), {"action": "confirm", "token": token})
    assert "Ladda upp filen igen" in again.content.decode()


def test_cancel_changes_nothing_and_forgets_the_preview(admin_client, report):
    content = fill(template(admin_client, report), {("Driftbudget", "Område 0", "Budget"): 1})
    before = snapshot()
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    token = response.context["token"]
    response = admin_client.post(import_url(report), {"action": "cancel"})
    assert response.status_code == 302
    assert snapshot() == before
    response = admin_client.post(import_url(report), {"action": "confirm", "token": token})
    assert response.status_code == 200
    assert snapshot() == before


def test_a_template_without_changes_says_so(admin_client, report):
    response = admin_client.post(
        import_url(report), upload("b.xlsx", template(admin_client, report))
    )
    assert response.context["changes"] == []
    assert "inga ändringar" in response.content.decode()


@pytest.mark.parametrize(
    "values, message",
    [
        (
            {("Driftbudget", "Område 0", "Budget"): "12,3,4"},
            "Blad Driftbudget, rad 2, kolumn Budget (mnkr): ”12,3,4” är inte ett tal.",
        ),
        (
            {("Driftbudget", "Område 1", "Verksamhetsområde"): "Barn och unga"},
            "Blad Driftbudget, rad 3, kolumn Verksamhetsområde: ”Barn och unga” finns inte i "
            "nämndens verksamhetsområden 2019.",
        ),
        (
            {("Driftbudget", "Område 0", "Budget"): "1," + "1" * (PLACES + 1)},
            f"Blad Driftbudget, rad 2, kolumn Budget (mnkr): ”1,{'1' * (PLACES + 1)}” går inte "
            "att spara. Beloppet har fler decimaler än som sparas: minsta steget är "
            "0,00000001 mnkr (1 öre).",
        ),
        (
            {("Investeringar", "Inventarier", "Kategori"): "Fordon"},
            "Blad Investeringar, rad 2, kolumn Kategori: ”Fordon” finns inte i rapportens "
            "investeringar.",
        ),
    ],
)
def test_a_wrong_cell_is_reported_by_sheet_row_and_column_and_nothing_is_kept(
    admin_client, report, values, message
):
    content = fill(template(admin_client, report), values)
    before = snapshot()
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    assert response.status_code == 200
    assert message in response.context["problems"]
    assert "Ingenting importerades" in response.content.decode()
    assert snapshot() == before
    assert not [k for k, _ in admin_client.session.items() if k.startswith("excelimport")]


def test_every_error_is_listed_and_none_of_the_good_rows_is_applied(admin_client, report):
    content = fill(
        template(admin_client, report),
        {
            ("Driftbudget", "Område 0", "Budget"): 5,  # fine on its own
            ("Driftbudget", "Område 1", "Budget"): "fem",
            ("Resultaträkning", "Intäkter", "Budget"): "1.2.3",
        },
    )
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    assert response.context["problems"] == [
        "Blad Driftbudget, rad 3, kolumn Budget (mnkr): ”fem” är inte ett tal.",
        "Blad Resultaträkning, rad 2, kolumn Budget (mnkr): ”1.2.3” är inte ett tal.",
    ]
    assert "changes" not in response.context or response.context["changes"] is None
    assert report.operating_budget_rows.get(area__name="Område 0").budget == Decimal("88")


def test_a_missing_sheet_is_reported(admin_client, report):
    content = edited(template(admin_client, report), lambda wb: wb.remove(wb["Driftbudget"]))
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    assert response.context["problems"] == ["Blad Driftbudget: bladet saknas i filen."]


def test_a_missing_column_is_reported(admin_client, report):
    def drop_budget(workbook):
        workbook["Driftbudget"].delete_cols(3)

    content = edited(template(admin_client, report), drop_budget)
    before = snapshot()
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    assert response.context["problems"] == [
        "Blad Driftbudget, rad 1, kolumn Budget: kolumnen saknas (rad 1 ska ha kolumnens rubrik)."
    ]
    assert snapshot() == before


def test_a_figure_changed_after_the_preview_stops_the_whole_import(admin_client, report):
    content = fill(
        template(admin_client, report),
        {("Driftbudget", "Område 0", "Budget"): 90, ("Driftbudget", "Område 1", "Budget"): 10},
    )
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    row = report.operating_budget_rows.get(area__name="Område 1")
    row.budget = Decimal("11")  # someone saves the form in between
    row.save()
    before = snapshot()
    response = admin_client.post(
        import_url(report), {"action": "confirm", "token": response.context["token"]}
    )
    assert response.status_code == 200
    assert "har ändrats sedan förhandsgranskningen" in response.context["refusal"]
    assert snapshot() == before


def test_confirm_is_refused_when_the_report_is_no_longer_a_draft(admin_client, report):
    content = fill(template(admin_client, report), {("Driftbudget", "Område 0", "Budget"): 1})
    response = admin_client.post(import_url(report), upload("budget.xlsx", content))
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    before = snapshot()
    response = admin_client.post(
        import_url(report), {"action": "confirm", "token": response.context["token"]}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_editors_and_readers_may_not_import(client, report, editor, reader):
    for person in (editor, reader):
        client.force_login(person)
        assert client.get(import_url(report)).status_code == 403
        assert client.get(reverse("reporting:budget_template", args=[report.pk])).status_code == 403


# -- refused before parsing ---------------------------------------------------------------------


def refused(admin_client, report, name: str, content: bytes) -> str:
    before = snapshot()
    response = admin_client.post(import_url(report), upload(name, content))
    assert response.status_code == 200
    assert snapshot() == before
    assert not [k for k, _ in admin_client.session.items() if k.startswith("excelimport")]
    return response.context["refusal"]


def test_an_oversized_file_is_refused(admin_client, report, settings):
    content = fill(template(admin_client, report), {("Driftbudget", "Område 0", "Budget"): 1})
    settings.XLSX_UPLOAD_MAX_BYTES = len(content) - 1
    assert "för stor" in refused(admin_client, report, "budget.xlsx", content)


def test_a_file_that_inflates_too_far_is_refused(admin_client, report):
    content = with_entries(
        template(admin_client, report), {"xl/media/nollor.bin": bytes(60_000_000)}
    )
    assert len(content) < 1_000_000
    assert "packas upp" in refused(admin_client, report, "budget.xlsx", content)


def test_an_entry_with_an_extreme_ratio_is_refused(admin_client, report, settings):
    settings.XLSX_UPLOAD_MAX_INFLATED_BYTES = 100_000_000
    content = with_entries(
        template(admin_client, report), {"xl/media/nollor.bin": bytes(20_000_000)}
    )
    message = refused(admin_client, report, "budget.xlsx", content)
    assert "packas upp till mycket mer" in message


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7 not a workbook",
        b"Verksamhetsomr\xe5de;Budget\nOmr\xe5de 0;12\n",
        zipped({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}),
        zipped({"xl/workbook.xml": b"<workbook/>"}),
    ],
    ids=["pdf", "csv", "docx-like zip", "zip without content types"],
)
def test_a_file_that_is_not_xlsx_is_refused(admin_client, report, content):
    assert "ingen Excelfil" in refused(admin_client, report, "budget.xlsx", content)


def test_a_workbook_with_macros_is_refused(admin_client, report):
    content = template(admin_client, report)
    types = with_entries(content, {})
    import zipfile

    with zipfile.ZipFile(io.BytesIO(types)) as archive:
        declared = archive.read("[Content_Types].xml").decode()
    macro_types = declared.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    xlsm = with_entries(
        content,
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"},
        replace={"[Content_Types].xml": macro_types.encode()},
    )
    assert "makron" in refused(admin_client, report, "budget.xlsm", xlsm)
    assert "makron" in refused(admin_client, report, "budget.xlsx", xlsm)
    only_vba = with_entries(content, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert "vbaProject.bin" in refused(admin_client, report, "budget.xlsx", only_vba)


def test_no_file_asks_for_one(admin_client, report):
    response = admin_client.post(import_url(report), {"action": "upload"})
    assert response.context["refusal"] == "Välj en Excelfil att ladda upp."
