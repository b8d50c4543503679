"""Export: a report's assembled data as an interchange document (``to_json``)."""

from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal

from ..document import ReportData
from ..numbers import normalise

FORMAT_VERSION = 1
TARGET_FIGURES = ("annual_target", "kf_annual_target")
YEARS = (1990, 2200)  # reporting_report_year_range

# -- export ---------------------------------------------------------------------------------


def to_json(data: ReportData) -> dict:
    """The interchange document of a report's data (the dataclasses' fields are the keys)."""
    return {"format_version": FORMAT_VERSION, **_plain(data)}


def _plain(value):
    """JSON values of the document's dataclasses, without the fields that are not part of the
    interchange format (the items' keys), nor the optional ones that are empty (``given``,
    ``given_totals``, ``adjustment_kinds``: a document without them exports unchanged)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if f.metadata.get("interchange", True)
            and not (f.metadata.get("omit_empty") and not getattr(value, f.name))
        }
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_number(value: Decimal) -> int | float:
    """The shortest JSON number: ``Decimal("88.0000")`` -> 88, ``Decimal("0.030000")`` -> 0.03."""
    value = normalise(value)
    return int(value) if value == value.to_integral_value() else float(str(value))
