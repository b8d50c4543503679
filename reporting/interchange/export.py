"""Export: a report's assembled data as an interchange document (``to_json``)."""

from dataclasses import asdict
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
    return {"format_version": FORMAT_VERSION, **_plain(asdict(data))}


def _plain(value):
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
