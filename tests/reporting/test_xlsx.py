"""The report as an Excel workbook, read back with openpyxl and converted by LibreOffice: every
indicator, activity and operating-budget row, figures as numbers, totals as the document
prints them, texts that look like formulas kept as text, the same bytes for the same data, and
the approved version's workbook frozen with it."""

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from reporting.assemble import build_report_data
from reporting.document import ReportData, TableData, TableRowData
from reporting.interchange import import_report
from reporting.numbers import format_amount
from reporting.render import Document
from reporting.workflow import transition
from reporting.xlsx import XLSX_CONTENT_TYPE, render_xlsx
from tests.factories import fill_in, make_report

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "example-vb-2019-socialnamnden.json"
T1_EXAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "t1-2024-aldrenamnden.json"


def assembled(path: Path, django_db_blocker) -> ReportData:
    document = json.loads(path.read_text(encoding="utf-8"))
    with django_db_blocker.unblock(), transaction.atomic():
        data = build_report_data(import_report(document))
        transaction.set_rollback(True)
    return data


@pytest.fixture(scope="module")
def vb(django_db_setup, django_db_blocker) -> ReportData:
    return assembled(EXAMPLE, django_db_blocker)


@pytest.fixture(scope="module")
def t1(django_db_setup, django_db_blocker) -> ReportData:
    return assembled(T1_EXAMPLE, django_db_blocker)


@pytest.fixture(params=["vb", "t1"])
def data(request) -> ReportData:
    return request.getfixturevalue(request.param)


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def rows(sheet) -> list[dict]:
    """The rows below the header row (row 2) as dictionaries keyed by header."""
    headers = [cell.value for cell in sheet[2]]
    return [
        dict(zip(headers, [cell for cell in row], strict=False))
        for row in sheet.iter_rows(min_row=3)
        if any(cell.value is not None for cell in row)
    ]


def all_items(data: ReportData):
    for direction_goal in data.direction_goals:
        for area_goal in direction_goal.area_goals:
            for owner in (area_goal, *area_goal.board_goals):
                yield from (("indicator", i) for i in owner.indicators)
                yield from (("activity", a) for a in owner.activities)
                for commitment in getattr(owner, "commitments", ()):
                    yield from (("indicator", i) for i in commitment.indicators)
                    yield from (("activity", a) for a in commitment.activities)


def test_the_workbook_has_every_indicator_activity_and_budget_row_with_numeric_figures(data):
    book = workbook(render_xlsx(data))
    expected_sheets = {"Mål", "Indikatorer", "Aktiviteter", "Driftbudget", "Resultaträkning"}
    assert expected_sheets <= set(book.sheetnames)

    indicator_rows = rows(book["Indikatorer"])
    indicators = [item for kind, item in all_items(data) if kind == "indicator"]
    assert indicators
    assert [r["Indikator"].value for r in indicator_rows] == [i.name for i in indicators]
    numbers_seen = 0
    for row, indicator in zip(indicator_rows, indicators, strict=True):
        for header, value in (
            ("Periodens utfall", indicator.outcome),
            ("Utfall män/pojkar", indicator.outcome_men),
            ("Årsmål", indicator.annual_target),
            ("KF:s årsmål", indicator.kf_annual_target),
        ):
            cell = row[header]
            if isinstance(value, Decimal):
                assert cell.data_type == "n", (indicator.name, header)
                assert Decimal(str(cell.value)) == value
                if indicator.unit:
                    assert indicator.unit.replace('"', "") in cell.number_format
                numbers_seen += 1
            elif isinstance(value, str):
                assert cell.data_type == "s" and cell.value == value
            else:
                assert cell.value is None
    assert numbers_seen > len(indicators)

    activity_rows = rows(book["Aktiviteter"])
    activities = [item for kind, item in all_items(data) if kind == "activity"]
    assert activities
    assert [r["Aktivitet"].value for r in activity_rows] == [a.title for a in activities]
    for row, activity in zip(activity_rows, activities, strict=True):
        if activity.start_date:
            assert row["Startdatum"].value.date() == activity.start_date
            assert row["Startdatum"].number_format == "yyyy-mm-dd"

    budget = rows(book["Driftbudget"])
    areas = [row.area for row in data.economy.operating_budget]
    assert [r["Verksamhetsområde, mnkr"].value for r in budget] == [*areas, "Nämnden totalt"]
    for row in budget:
        figures = [cell for header, cell in row.items() if header != "Verksamhetsområde, mnkr"]
        assert all(c.data_type == "n" for c in figures if c.value is not None)
        assert any(c.value is not None for c in figures)


def test_every_economy_table_is_written_as_the_document_prints_it(data):
    """Each sheet's rows are the document's table rows; a printed figure is the cell's
    number formatted as the PDF formats it (exact amounts, rounded once for print)."""
    doc = Document(data)
    book = workbook(render_xlsx(data))
    tables = [
        ("Driftbudget", doc.operating_budget),
        ("Resultaträkning", doc.income_statement),
        ("Investeringar", doc.investments),
    ]
    checked = 0
    for name, table in tables:
        if table is None:
            continue
        sheet_rows = rows(book[name])
        assert len(sheet_rows) == len(table.rows)
        for sheet_row, row in zip(sheet_rows, table.rows, strict=True):
            cells = list(sheet_row.values())
            assert cells[0].value == row.label
            assert cells[0].font.b == row.is_total
            for excel, printed in zip(cells[1:], row.cells, strict=True):
                if printed.value is None:
                    assert excel.value is None
                    continue
                assert excel.data_type == "n"
                if printed.text.endswith("%"):
                    assert excel.number_format == "0.0%"
                else:
                    assert excel.number_format == "#,##0.0"
                    assert format_amount(Decimal(str(excel.value))) == printed.text
                checked += 1
    assert checked > 10


def test_free_economy_tables_get_a_sheet_each_cells_as_given(vb):
    tables = (
        TableData(
            title="Återredovisning nyanlända: mottagande",
            columns=("2018", "2019", "Kommentar"),
            rows=(
                TableRowData(label="Antal", values=(120, Decimal("98.25"), "=1+1"), is_total=False),
                TableRowData(label="Summa", values=(120, 98.25, "minskat"), is_total=True),
            ),
        ),
        TableData(title="Lokaler [m²]", columns=("Yta",), rows=()),
    )
    data = replace(vb, economy=replace(vb.economy, tables=tables))
    book = workbook(render_xlsx(data))
    free_sheets = [name for name in book.sheetnames if name.startswith("Tabell ")]
    assert free_sheets == ["Tabell 1 Återredovisning nyanlä", "Tabell 2 Lokaler  m²"]
    sheet = book[free_sheets[0]]
    assert sheet["A1"].value == "Återredovisning nyanlända: mottagande"
    assert [c.value for c in sheet[2]] == ["Post", "2018", "2019", "Kommentar"]
    assert [c.value for c in sheet[3]] == ["Antal", 120, 98.25, "=1+1"]
    assert sheet["C3"].number_format == "#,##0.00"
    assert sheet["D3"].data_type == "s"
    assert sheet["A4"].font.b


def test_every_sheet_is_set_up_for_reading_filtering_and_printing(vb):
    book = workbook(render_xlsx(vb))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B3"
        assert sheet.auto_filter.ref.startswith("A2:")
        assert sheet.print_title_rows == "$1:$2"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.oddHeader.center.text == "Socialnämnden, Verksamhetsberättelse 2019"
        assert all(sheet.column_dimensions[c].width for c in ("A", "B"))
        assert all(cell.font.b for cell in sheet[2] if cell.value)


def test_a_text_that_looks_like_a_formula_stays_a_string_cell(db):
    report = fill_in(make_report())
    value = report.indicator_values.get()
    value.analysis = '=HYPERLINK("http://example.com";"klicka")'
    value.save()
    follow_up = report.activity_follow_ups.get()
    follow_up.deviation = "-tre veckor"
    follow_up.analysis = "@ansvarig +46 8 508 000 00"
    follow_up.save()
    content = render_xlsx(build_report_data(report))
    book = workbook(content)
    analysis = rows(book["Indikatorer"])[0]["Analys"]
    assert analysis.value == '=HYPERLINK("http://example.com";"klicka")'
    assert analysis.data_type == "s"
    assert analysis.quotePrefix
    activity = rows(book["Aktiviteter"])[0]
    assert activity["Avvikelse"].data_type == "s" and activity["Avvikelse"].value == "-tre veckor"
    assert activity["Analys"].data_type == "s" and activity["Analys"].quotePrefix
    # read as formulas, not merely cached values: there are none
    for sheet in book.worksheets:
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert b"<f>" not in b"".join(_entries(content))


def _entries(content: bytes):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            yield archive.read(name)


def test_control_characters_in_a_text_do_not_break_the_file(vb):
    data = vb
    goal = data.direction_goals[0]
    broken = replace(goal, analysis="Rad ett\x0bRad två\x00")
    data = replace(data, direction_goals=(broken, *data.direction_goals[1:]))
    book = workbook(render_xlsx(data))
    assert rows(book["Mål"])[0]["Analys"].value == "Rad ettRad två"


def test_the_same_data_gives_the_same_bytes(vb):
    assert render_xlsx(vb) == render_xlsx(vb)


def _libreoffice_csv(content: bytes, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every sheet converted to CSV by LibreOffice headless (raw values, UTF-8)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail(  # `make test` installs it (test-tools); never skipped silently
            "LibreOffice saknas: installera paketet libreoffice-calc-nogui (make test-tools)."
        )
    source = tmp_path / "rapport.xlsx"
    source.write_bytes(content)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            # , separated, " quoted, UTF-8, from line 1, values not as shown, every sheet
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    sheets = {}
    for path in tmp_path.glob("rapport-*.csv"):
        with path.open(encoding="utf-8", newline="") as file:
            sheets[path.stem.removeprefix("rapport-")] = list(csv.reader(file))
    return sheets


def test_libreoffice_reads_the_same_figures(vb, tmp_path):
    doc = Document(vb)
    sheets = _libreoffice_csv(render_xlsx(vb), tmp_path)
    assert {"Indikatorer", "Aktiviteter", "Driftbudget", "Resultaträkning"} <= set(sheets)
    budget = sheets["Driftbudget"][2:]
    table = doc.operating_budget
    assert [line[0] for line in budget] == [row.label for row in table.rows]
    for line, row in zip(budget, table.rows, strict=True):
        for text, cell in zip(line[1:], row.cells, strict=True):
            if cell.value is None:
                assert text == ""
            else:
                assert format_amount(Decimal(text)) == cell.text, (row.label, text)
    total = budget[-1]
    assert total[0] == "Nämnden totalt"
    indicators = sheets["Indikatorer"][2:]
    names = [item.name for kind, item in all_items(vb) if kind == "indicator"]
    assert [line[1] for line in indicators] == names
    header = sheets["Indikatorer"][1]
    outcome = header.index("Periodens utfall")
    for line, (_, indicator) in zip(
        indicators, [x for x in all_items(vb) if x[0] == "indicator"], strict=True
    ):
        if isinstance(indicator.outcome, Decimal):
            assert Decimal(line[outcome]) == indicator.outcome
        elif isinstance(indicator.outcome, str):
            assert line[outcome] == indicator.outcome


def test_render_report_writes_the_workbook(tmp_path, db):
    report = make_report()
    output = tmp_path / "vb.xlsx"
    call_command(
        "render_report",
        "--board",
        report.board.name,
        "--year",
        "2019",
        "--period",
        "VB",
        "--format",
        "xlsx",
        "-o",
        str(output),
    )
    assert output.read_bytes() == render_xlsx(build_report_data(report))


def test_the_report_page_links_the_workbook_and_serves_it(client, report, reader):
    client.force_login(reader)
    page = client.get(reverse("reporting:report_detail", args=[report.pk]))
    url = reverse("reporting:report_xlsx", args=[report.pk])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="Socialnamnden-VB-2019.xlsx"'
    assert response.content == render_xlsx(build_report_data(report))


def test_the_approved_versions_workbook_is_frozen_with_it(client, board, editor, approver, reader):
    report = transition(fill_in(make_report(board)), "submit", editor, confirm_unready=True)
    report = transition(report, "approve", approver)
    version = report.versions.get()
    assert version.xlsx_sha256 == hashlib.sha256(bytes(version.xlsx)).hexdigest()
    # a change after approval (reopened) does not reach the frozen workbook
    client.force_login(reader)
    url = reverse("reporting:version_xlsx", args=[report.pk, 1])
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert first["Content-Disposition"] == 'attachment; filename="Socialnamnden-VB-2019-v1.xlsx"'
    assert hashlib.sha256(first.content).hexdigest() == version.xlsx_sha256
    assert hashlib.sha256(second.content).hexdigest() == version.xlsx_sha256
    assert client.get(reverse("reporting:report_xlsx", args=[report.pk])).content == first.content
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert url in page
    transition(report, "reopen", approver, comment="En siffra ska rättas.")
    value = report.indicator_values.get()
    value.outcome = Decimal("12")
    value.save()
    assert client.get(url).content == first.content
    fresh = client.get(reverse("reporting:report_xlsx", args=[report.pk])).content
    assert fresh != first.content


def test_a_version_frozen_before_workbooks_gets_one_from_its_frozen_data(client, board, reader):
    from reporting.interchange import to_json
    from reporting.models import Report, ReportVersion

    report = fill_in(make_report(board))
    frozen_data = build_report_data(report)
    ReportVersion.objects.create(
        report=report,
        number=1,
        approved_by=reader,
        data=json.dumps(to_json(frozen_data), ensure_ascii=False),
        data_sha256="0" * 64,
        pdf=b"%PDF",
        pdf_sha256="0" * 64,
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)
    value = report.indicator_values.get()
    value.outcome = Decimal("12")  # changed after the approval (by the admin, say)
    value.save()
    client.force_login(reader)
    url = reverse("reporting:version_xlsx", args=[report.pk, 1])
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert first.content == second.content
    outcome = rows(workbook(first.content)["Indikatorer"])[0]["Periodens utfall"]
    assert outcome.value == 85  # as approved, not the later 12
    assert client.get(reverse("reporting:report_xlsx", args=[report.pk])).content == first.content
