"""Low-level help for writing workbooks with openpyxl: cells that hold what they should, number
formats, and a zip that is the same bytes for the same workbook. Used by the report's export
(``reporting.xlsx``) and the import templates (``reporting.spreadsheet``)."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = datetime(1980, 1, 1)  # the earliest a zip entry can carry
FORMULA_STARTS = ("=", "+", "-", "@")
CELL_TEXT_LIMIT = 32767  # Excel's limit for one cell
DATE_FORMAT = "yyyy-mm-dd"


# -- cells ----------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """A text as a cell may hold it: without the control characters XML refuses, and no
    longer than Excel allows."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_TEXT_LIMIT]


def set_text(cell, value: str) -> None:
    """A string cell, whatever the text looks like: never a formula."""
    cell.value = clean_text(value)
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _decimals(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)


def number_format(decimals: int, unit: str = "") -> str:
    """``#,##0.00" %"``: thousands grouped, ``decimals`` decimals, the unit as a literal."""
    base = "#,##0" + ("." + "0" * decimals if decimals else "")
    if not unit:
        return base
    literal = unit.replace('"', "")
    return f'{base}" {literal}"'


def set_value(cell, value, *, fmt: str | None = None) -> None:
    """Any value of the report: a number (Decimal), a date, a text or nothing."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        set_text(cell, value)
    elif isinstance(value, bool):
        set_text(cell, "Ja" if value else "Nej")
    elif isinstance(value, Decimal | int | float):
        cell.value = value
        cell.number_format = fmt or number_format(_decimals(Decimal(str(value))))
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        set_text(cell, str(value))


def figure_format(value, unit: str | None) -> str | None:
    """An indicator figure with its own decimals and its unit (as the document prints it)."""
    if not isinstance(value, Decimal):
        return None
    return number_format(_decimals(value), unit or "")


def stable_zip(workbook: Workbook) -> bytes:
    """The workbook's zip with every entry dated ``FIXED_TIME``, so that the same workbook is
    the same bytes."""
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(workbook, archive).save()  # writes and closes the archive
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
