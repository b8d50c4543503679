"""A report's data as an Excel workbook: ``render_xlsx(data) -> bytes``.

A renderer like ``render_html`` and ``render_pdf``: a function of ``ReportData`` that never
queries. The economy's sheets are written from the very ``Table`` rows the HTML and the PDF
print (``reporting.render.Document``), so every derived column and total comes from the same
arithmetic; the goals, indicators and activities are written from the same dataclasses as the
document's partials, with the same column headers.

Every sheet has its caption in row 1 and its column headers in row 2; both rows are frozen,
the header row has an autofilter and is repeated on every printed page; pages are A4
landscape with the report's name in the page header. Figures are numeric cells with a number
format (amounts in mnkr with one decimal, an indicator's figure with its unit, förbrukning as a
percentage), dates are date cells, and every text is a string cell: a text starting with
``=``, ``+``, ``-`` or ``@`` is never a formula (``data_type`` ``s`` and a quote prefix).

The file is the same bytes for the same data (fixed document dates and zip timestamps), so an
approved version's workbook is frozen with a stable SHA-256.
"""

from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.worksheet import Worksheet

from goals.models import ActivityFollowUp, Kind

from .document import ReportData
from .render import Document, Table, file_stem, goal_label
from .workbooks import (
    FIXED_TIME,
    clean_text,
    figure_format,
    set_text,
    set_value,
    stable_zip,
)

__all__ = ["render_xlsx", "xlsx_filename", "XLSX_CONTENT_TYPE"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0%"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
CAPTION_FONT = Font(bold=True, size=13)
TOTAL_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15  # points, at the default font size
ROW_HEIGHT_LIMIT = 409  # points: Excel's highest row

LEVEL_LABELS = {
    "direction_goal": "KF:s inriktningsmål",
    "area_goal": "KF:s mål för verksamhetsområdet",
    "board_goal": "Nämndmål",
    "commitment": "Åtagande",
}


def xlsx_filename(data: ReportData) -> str:
    """'Socialnamnden-VB-2019.xlsx'."""
    return f"{file_stem(Document(data).owner, data.period, data.year)}.xlsx"


# -- sheets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    wrap: bool = False


class SheetNames:
    """Sheet titles as Excel allows them: no []:*?/\\, at most 31 characters, unique."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = INVALID_TITLE_REGEX.sub(" ", wanted).strip().strip("'")[:31] or "Blad"
        name, number = base, 2
        while name.lower() in self.used:
            suffix = f" ({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        self.used.add(name.lower())
        return name


def _header_text(title: str) -> str:
    """A text for a page header: '&' doubled (it starts a code there)."""
    return clean_text(title).replace("&", "&&")[:200]


def new_sheet(
    workbook: Workbook, name: str, caption: str, columns: list[Column], report_title: str
) -> Worksheet:
    """A sheet with its caption (row 1) and column headers (row 2), frozen, set up for
    printing: A4 landscape, fitted to the page width, the header rows on every page, the
    report's name in the page header and the page number in the footer."""
    sheet = workbook.create_sheet(name)
    set_text(sheet.cell(row=1, column=1), caption)
    sheet.cell(row=1, column=1).font = CAPTION_FONT
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=number)
        set_text(cell, column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "B3"
    sheet.print_title_rows = "1:2"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.oddHeader.center.text = _header_text(report_title)
    sheet.oddFooter.right.text = "&P(&N)"
    return sheet


def finish_sheet(sheet: Worksheet, columns: list[Column]) -> None:
    """Autofilter over the header row and the rows below; long texts wrapped, each row as high
    as its longest wrapped text needs (neither Excel nor LibreOffice measures rows that a
    program wrote, so the height is estimated from the text and the column's width)."""
    last_row = max(sheet.max_row, 2)
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{last_row}"
    for row in sheet.iter_rows(min_row=3, max_row=last_row, max_col=len(columns)):
        lines = 1
        for cell, column in zip(row, columns, strict=True):
            cell.alignment = WRAP if column.wrap else TOP
            if column.wrap and isinstance(cell.value, str):
                lines = max(lines, _wrapped_lines(cell.value, column.width))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = min(ROW_HEIGHT_LIMIT, LINE_HEIGHT * lines)


def _wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a column ``width`` characters wide."""
    per_line = max(1, int(width * 1.1))
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def append(sheet: Worksheet, values: list, formats: dict[int, str | None] | None = None) -> int:
    """Write one row after the last; ``formats`` gives a number format per column index."""
    row = sheet.max_row + 1
    for number, value in enumerate(values, start=1):
        fmt = (formats or {}).get(number - 1)
        set_value(sheet.cell(row=row, column=number), value, fmt=fmt)
    return row


# -- the goal tree --------------------------------------------------------------------------


def _goals(data: ReportData):
    """(level, number, goal) for every goal, in the document's order."""
    for direction_goal in data.direction_goals:
        yield "direction_goal", goal_label(direction_goal.number, "direction_goal"), direction_goal
        for area_goal in direction_goal.area_goals:
            yield "area_goal", area_goal.number, area_goal
            for board_goal in area_goal.board_goals:
                yield "board_goal", board_goal.number, board_goal
                for commitment in board_goal.commitments:
                    yield "commitment", board_goal.number, commitment


def _goal_name(level: str, number: str, goal) -> str:
    if level == "commitment":
        return f"Åtagande under {number}: {goal.title}"
    return f"{number} {goal.title}".strip()


def goals_sheet(workbook, names, data: ReportData, doc: Document, title: str) -> None:
    columns = [
        Column("Nivå", 18, wrap=True),
        Column("Nummer", 8),
        Column("Mål", 40, wrap=True),
        Column("Bedömning", 16, wrap=True),
        Column("Analys", 70, wrap=True),
        Column("Beskrivning", 40, wrap=True),
        Column("Förväntat resultat", 40, wrap=True),
    ]
    sheet = new_sheet(workbook, names("Mål"), "Mål och bedömningar", columns, title)
    for level, number, goal in _goals(data):
        append(
            sheet,
            [
                LEVEL_LABELS[level],
                "" if level == "commitment" else number,
                goal.title,
                doc.assessment_label(goal.assessment),
                goal.analysis,
                getattr(goal, "description", None),
                "\n".join(getattr(goal, "expected_results", ())),
            ],
        )
    finish_sheet(sheet, columns)


def indicators_sheet(workbook, names, data: ReportData, doc: Document, title: str) -> None:
    figures = [
        ("Periodens utfall", "outcome"),
        ("Utfall män/pojkar", "outcome_men"),
        ("Utfall kvinnor/flickor", "outcome_women"),
        (doc.previous_vb_label, "previous_outcome"),
        *([("Prognos helår", "forecast")] if doc.show_forecast else []),
        ("Årsmål", "annual_target"),
        ("KF:s årsmål", "kf_annual_target"),
    ]
    columns = [
        Column("Mål", 24, wrap=True),
        Column("Indikator", 40, wrap=True),
        Column("Slag", 8),
        Column("Enhet", 8),
        *(Column(header, 14) for header, _ in figures),
        Column("Period", 14),
        Column("Analys", 50, wrap=True),
    ]
    sheet = new_sheet(
        workbook, names("Indikatorer"), f"Indikatorer, {data_title(data)}", columns, title
    )
    first_figure = 4
    for level, number, goal in _goals(data):
        for indicator in getattr(goal, "indicators", ()):
            values = [getattr(indicator, name) for _, name in figures]
            append(
                sheet,
                [
                    _goal_name(level, number, goal),
                    indicator.name,
                    _kind_label(indicator.kind),
                    indicator.unit,
                    *values,
                    indicator.period_label,
                    indicator.analysis,
                ],
                {
                    first_figure + i: figure_format(value, indicator.unit)
                    for i, value in enumerate(values)
                },
            )
    finish_sheet(sheet, columns)


def _kind_label(kind: str | None) -> str:
    return Kind(kind).label if kind in Kind.values else (kind or "")


def _status_label(status: str | None) -> str:
    if status in ActivityFollowUp.Status.values:
        return ActivityFollowUp.Status(status).label
    return status or ""


def activities_sheet(workbook, names, data: ReportData, title: str) -> None:
    columns = [
        Column("Mål", 24, wrap=True),
        Column("Aktivitet", 45, wrap=True),
        Column("Slag", 8),
        Column("Startdatum", 12),
        Column("Slutdatum", 12),
        Column("Status", 14),
        Column("Avvikelse", 40, wrap=True),
        Column("Analys", 50, wrap=True),
    ]
    sheet = new_sheet(
        workbook, names("Aktiviteter"), f"Aktiviteter, {data_title(data)}", columns, title
    )
    for level, number, goal in _goals(data):
        for activity in getattr(goal, "activities", ()):
            append(
                sheet,
                [
                    _goal_name(level, number, goal),
                    activity.title,
                    _kind_label(activity.kind),
                    activity.start_date,
                    activity.end_date,
                    _status_label(activity.status),
                    activity.deviation,
                    activity.analysis,
                ],
            )
    finish_sheet(sheet, columns)


def table_sheet(workbook, names, name: str, table: Table, title: str, *, given: bool) -> None:
    """One table of the economy, row for row as the document prints it. Amounts are the exact
    figures, shown in mnkr with one decimal; förbrukning is a percentage; the cells of a free
    table keep the decimals they were given."""
    label_header = table.label_header or "Post"
    columns = [Column(label_header, 40, wrap=True)]
    columns += [Column(header, max(12, min(24, len(header) + 2))) for header in table.columns]
    caption = f"{table.caption}. {table.note}" if table.note else table.caption
    sheet = new_sheet(workbook, names(name), caption, columns, title)
    for row in table.rows:
        formats = {}
        values: list = [row.label]
        for index, cell in enumerate(row.cells, start=1):
            value = cell.value
            if cell.numeric and isinstance(value, Decimal) and not given:
                formats[index] = PERCENT_FORMAT if cell.text.endswith("%") else AMOUNT_FORMAT
            values.append(value)
        number = append(sheet, values, formats)
        if row.is_total:
            for cell in sheet[number]:
                cell.font = TOTAL_FONT
    finish_sheet(sheet, columns)


def data_title(data: ReportData) -> str:
    return data.title


# -- the workbook ---------------------------------------------------------------------------


def render_xlsx(data: ReportData) -> bytes:
    """The report as an .xlsx workbook (bytes), the same for the same data."""
    doc = Document(data)
    title = doc.title
    workbook = Workbook()
    workbook.remove(workbook.active)
    names = SheetNames()
    goals_sheet(workbook, names, data, doc, title)
    indicators_sheet(workbook, names, data, doc, title)
    activities_sheet(workbook, names, data, title)
    if doc.operating_budget:
        table_sheet(workbook, names, "Driftbudget", doc.operating_budget, title, given=False)
    if doc.income_statement:
        table_sheet(workbook, names, "Resultaträkning", doc.income_statement, title, given=False)
    if doc.investments:
        table_sheet(workbook, names, "Investeringar", doc.investments, title, given=False)
    for number, table in enumerate(doc.free_tables, start=1):
        name = f"Tabell {number} {table.caption}".strip()
        table_sheet(workbook, names, name, table, title, given=True)
    properties = workbook.properties
    properties.title = clean_text(title)
    properties.creator = clean_text(data.organisation.board)
    properties.language = "sv-SE"
    properties.created = properties.modified = FIXED_TIME
    return stable_zip(workbook)
