"""Excel imports: reading a template's sheets, located problems, and the flow from upload
through preview to confirmation.

An importer (``reporting.budget_import.BudgetImport``, ``reporting.plan_import.PlanImport``)
says which sheets and columns its template has, turns an uploaded workbook into a list of
``Change`` (one per cell: old → new) or a list of ``Problem`` (each located by sheet, row and
column, in Swedish), and applies the changes all at once. ``import_view`` is the page:

1. GET: what the template holds, a link to download it, the upload form.
2. POST with a file: ``reporting.uploads`` refuses a file that is too large, not an .xlsx, a zip
   bomb or has macros, before anything parses it; then the importer reads it. Problems are
   listed and nothing is kept. Otherwise the changes are kept in the session (server side,
   keyed to the person and the report) and shown as a preview with a token, the SHA-256 of
   the changes, above it the importer's notices on how it read the file (``Problems.notice``).
3. POST "confirm" with that token: the kept changes are applied in one transaction, under the
   report's row lock and only while it is a draft (``access.lock_draft``), and only if every
   old value is still what the preview showed; otherwise nothing is applied. POST "cancel"
   forgets them.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation, localcontext

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .access import lock_draft
from .history import acting_user
from .models import Report
from .numbers import NumberFormatError, format_number, normalise, parse_number
from .uploads import UploadRefused, check_xlsx, open_workbook
from .workbooks import set_text, set_value, stable_zip

EMPTY = "tomt"
MAX_ROWS = 5000  # rows read per sheet: a template holds far fewer
MAX_PROBLEMS = 200  # problems listed: the first ones are enough to fix the file


class Stale(Exception):
    """The report changed between the preview and the confirmation."""


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = f"Blad {self.sheet}"
        if self.row is not None:
            place += f", rad {self.row}"
        if self.column:
            place += f", kolumn {self.column}"
        return f"{place}: {self.message}"


@dataclass(frozen=True)
class Change:
    """One cell that the import changes (or one item it creates): shown in the preview and
    kept until confirmed. ``target`` says, for the importer only, where it goes."""

    sheet: str
    item: str
    column: str
    old: str
    new: str
    target: dict


class Problems(list):
    """The problems found in one upload, in the order found, and the notices for its preview:
    what the person should know about how the file was read (not an error)."""

    def __init__(self) -> None:
        super().__init__()
        self.notices: list[str] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(Problem(sheet, row, column, message))

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)


# -- reading sheets -------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row's number in Excel
    cells: dict  # header -> raw cell value


def read_sheet(workbook, sheet: str, headers: list[str], problems: Problems, *, required=True):
    """The rows of ``sheet`` below its header row (row 1) as ``SheetRow``s keyed by the
    ``headers`` (matched without regard to case or surrounding spaces); rows with nothing in
    these columns are skipped. None, with a problem, when the sheet or a column is missing
    (without a problem when the sheet is not ``required``)."""
    names = {name.strip().lower(): name for name in workbook.sheetnames}
    if sheet.lower() not in names:
        if required:
            problems.add(sheet, None, None, "bladet saknas i filen.")
        return None
    rows = workbook[names[sheet.lower()]].iter_rows(values_only=True, max_row=MAX_ROWS + 1)
    first = next(rows, None) or ()
    found = {str(v).strip().lower(): i for i, v in enumerate(first) if v is not None}
    positions = {}
    for header in headers:
        if header.lower() not in found:
            problems.add(sheet, 1, header, "kolumnen saknas (rad 1 ska ha kolumnens rubrik).")
        else:
            positions[header] = found[header.lower()]
    if len(positions) < len(headers):
        return None
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {h: values[i] if i < len(values) else None for h, i in positions.items()}
        if any(not _blank(v) for v in cells.values()):
            result.append(SheetRow(number, cells))
    return result


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """A cell as text: '' for an empty cell, numbers without a needless '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def cell_number(value) -> Decimal | None:
    """A cell as an exact number, whatever its size (``number`` bounds it); ``ValueError``
    with a Swedish message when it is not one. A number cell is read to Excel's 15
    significant digits (so that 0.1 + 0.2 is 0,3); a text cell as a Swede types it
    (``1 165,1``, ``−4,5``). Zeros after the last decimal are dropped, nothing is rounded."""
    if _blank(value):
        return None
    if isinstance(value, bool | date | datetime):
        raise ValueError(f"”{text(value)}” är inte ett tal")
    if isinstance(value, int | float):
        try:
            result = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise ValueError(f"”{value}” är inte ett tal") from None
        if not result.is_finite():
            raise ValueError(f"”{value}” är inte ett tal")
    else:
        raw = str(value).strip()
        try:
            result = parse_number(raw)
        except NumberFormatError:
            raise ValueError(f"”{raw}” är inte ett tal") from None
        if result is None:
            return None
    return _without_trailing_zeros(result)


def number(value, *, max_digits: int, decimal_places: int) -> Decimal | None:
    """A cell as an exact number within a column's precision (``cell_number``);
    ``ValueError`` with a Swedish message otherwise."""
    result = cell_number(value)
    if result is None:
        return None
    exponent = result.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimal_places:
        raise ValueError(f"”{quoted(result)}” har fler än {decimal_places} decimaler")
    if abs(result) >= Decimal(10) ** (max_digits - decimal_places):
        raise ValueError(f"”{quoted(result)}” är för stort")
    return normalise(result)  # exact: the value has at most max_digits digits


def _without_trailing_zeros(value: Decimal) -> Decimal:
    """``1.500`` -> ``1.5``, exactly (``Decimal.normalize`` rounds to 28 digits)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    kept = list(digits)
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    return Decimal((sign, tuple(kept), exponent))


def quoted(value: Decimal) -> str:
    """A number as a message quotes it: the Swedish way, exact, cut at 40 characters."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    with localcontext() as context:
        context.prec = max(context.prec, len(digits) + max(exponent, 0) + 1)
        result = format_number(value)
    return result if len(result) <= 40 else result[:39] + "…"


def shown(value) -> str:
    """A value in the preview: Swedish numbers, dates, 'tomt' for nothing."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def stored(value) -> str | None:
    """A value as kept between requests (the session holds JSON): Decimals as strings."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(normalise(value))
    if isinstance(value, date):
        return value.isoformat()
    return value


def same(current, kept) -> bool:
    """Whether a stored value still is what the preview showed (``kept`` from ``stored``)."""
    if isinstance(current, Decimal) and kept is not None:
        try:
            return current == Decimal(kept)
        except InvalidOperation:
            return False
    return stored(current) == kept


# -- the flow -------------------------------------------------------------------------------


def _session_key(importer, report: Report) -> str:
    return f"excelimport:{importer.kind}:{report.pk}"


def _token(changes: list[dict]) -> str:
    return hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()


def import_view(request: HttpRequest, report: Report, importer) -> HttpResponse:
    """The import page of ``importer`` for ``report`` (see the module docstring). The caller
    has checked that the person may import into the report."""
    key = _session_key(importer, report)
    context = {"report": report, "importer": importer}
    if request.method != "POST":
        return render(request, "reporting/spreadsheet_import.html", context)
    action = request.POST.get("action", "upload")
    if action == "cancel":
        request.session.pop(key, None)
        messages.info(request, "Importen avbröts. Ingenting ändrades.")
        return redirect(request.path)
    if action == "confirm":
        return _confirm(request, report, importer, key, context)
    request.session.pop(key, None)
    upload = request.FILES.get("file")
    if upload is None:
        context["refusal"] = "Välj en Excelfil att ladda upp."
        return render(request, "reporting/spreadsheet_import.html", context)
    try:
        workbook = open_workbook(check_xlsx(upload))
    except UploadRefused as refused:
        context["refusal"] = str(refused)
        return render(request, "reporting/spreadsheet_import.html", context)
    problems = Problems()
    try:
        changes = importer.read(report, workbook, problems)
    finally:
        workbook.close()
    if problems:
        context["problems"] = [str(p) for p in problems]
        return render(request, "reporting/spreadsheet_import.html", context)
    kept = [asdict(change) for change in changes]
    request.session[key] = {"changes": kept, "token": _token(kept)}
    context.update(
        changes=changes, token=_token(kept), filename=upload.name, notices=problems.notices
    )
    return render(request, "reporting/spreadsheet_import.html", context)


def _confirm(request, report, importer, key, context) -> HttpResponse:
    kept = request.session.get(key)
    if not kept or request.POST.get("token") != kept.get("token"):
        context["refusal"] = (
            "Förhandsgranskningen finns inte längre (den gäller en uppladdning i taget). "
            "Ladda upp filen igen."
        )
        return render(request, "reporting/spreadsheet_import.html", context)
    changes = [Change(**change) for change in kept["changes"]]
    try:
        with transaction.atomic(), acting_user(request.user, reason="import"):
            importer.apply(lock_draft(report), changes)
    except Stale as stale:
        request.session.pop(key, None)
        context["refusal"] = (
            f"{stale} har ändrats sedan förhandsgranskningen, så ingenting importerades. "
            "Ladda upp filen igen för att se ändringarna mot det som nu är sparat."
        )
        return render(request, "reporting/spreadsheet_import.html", context)
    request.session.pop(key, None)
    messages.success(
        request, f"{importer.title}: {len(changes)} ändringar är sparade, alla på en gång."
    )
    return redirect("reporting:report_detail", report.pk)


# -- templates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    width: float
    kind: str = "label"  # label (locked), number, text, date, choice
    choices: tuple[str, ...] = ()
    number_format: str = "#,##0.0###"  # how a number column shows its figures


def template_sheet(workbook, name: str, columns: list[TemplateColumn], rows: list[list]):
    """A template sheet: headers in row 1 (frozen), the given rows below, label columns locked
    and the others open; number columns accept only numbers (Excel's validation; the upload
    is checked again on the server), choice columns offer their choices. The sheet is
    protected without a password, so labels are not changed by mistake; rows added below
    the given ones stay open for a plan."""
    sheet = workbook.create_sheet(name)
    open_cell = Protection(locked=False)
    last_row = max(len(rows) + 1, 2) + (200 if not any(c.kind == "label" for c in columns) else 0)
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        cell = sheet.cell(row=1, column=number)
        set_value(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        sheet.column_dimensions[letter].width = column.width
        area = f"{letter}2:{letter}{last_row}"
        if column.kind == "number":
            rule = DataValidation(
                type="decimal",
                operator="between",
                formula1="-1000000000000",
                formula2="1000000000000",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Inte ett tal",
                error=f"{column.header}: skriv ett tal, t.ex. 1165,1 eller -4,5.",
            )
        elif column.kind == "date":
            rule = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="1",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Inte ett datum",
                error=f"{column.header}: skriv ett datum, t.ex. 2019-12-31.",
            )
        elif column.kind == "choice":
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Okänt värde",
                error=f"{column.header}: välj ett av {', '.join(column.choices)}.",
            )
        else:
            rule = None
        if rule is not None:
            rule.add(area)
            sheet.add_data_validation(rule)
    for index, values in enumerate(rows, start=2):
        for number, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=index, column=number)
            set_value(cell, value)
            if column.kind == "number" and isinstance(value, Decimal):
                cell.number_format = column.number_format
    for number, column in enumerate(columns, start=1):
        if column.kind == "label":
            continue
        for row in range(2, last_row + 1):
            sheet.cell(row=row, column=number).protection = open_cell
    if any(c.kind == "label" for c in columns):
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        sheet.protection.autoFilter = False
        sheet.protection.sort = False
    sheet.freeze_panes = "B2"
    return sheet


def instructions_sheet(workbook, title: str, lines: list[str]) -> None:
    sheet = workbook.create_sheet("Instruktioner", 0)
    sheet.column_dimensions["A"].width = 110
    set_text(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for index, line in enumerate(lines, start=3):
        set_text(sheet.cell(row=index, column=1), line)
        sheet.cell(row=index, column=1).alignment = Alignment(wrap_text=True, vertical="top")


def template_bytes(workbook) -> bytes:
    return stable_zip(workbook)
