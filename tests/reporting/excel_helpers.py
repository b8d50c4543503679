"""Helpers for the Excel import tests: workbooks edited in memory, uploads, and a snapshot of
everything an import could change."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from budget.models import (
    BudgetAdjustment,
    IncomeStatementRow,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
)
from goals.models import Activity, ActivityFollowUp, BoardGoal, GoalAssessment
from indicators.models import Indicator, IndicatorTarget, IndicatorValue

MODELS = [
    OperatingArea,
    OperatingBudgetRow,
    BudgetAdjustment,
    IncomeStatementRow,
    InvestmentRow,
    BoardGoal,
    GoalAssessment,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Activity,
    ActivityFollowUp,
]


def snapshot() -> dict:
    """Every row of every model an import touches, as plain values."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def edited(content: bytes, edit) -> bytes:
    """The workbook with ``edit(workbook)`` applied, saved again."""
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> dict:
    return {"action": "upload", "file": SimpleUploadedFile(name, content)}


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_entries(content: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None):
    """An .xlsx's zip with entries added or replaced."""
    out = io.BytesIO()
    replace = replace or {}
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def find_row(sheet, label: str) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"{label} not in {sheet.title}")


def column(sheet, header: str) -> int:
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"{header} not in {sheet.title}")


def amount_column(sheet, name: str) -> int:
    """The column headed ``name``, with or without a unit: ``Budget (tkr)`` for ``Budget``."""
    for cell in sheet[1]:
        header = str(cell.value or "")
        if header == name or header.startswith(f"{name} ("):
            return cell.column
    raise AssertionError(f"{name} not in {sheet.title}")
