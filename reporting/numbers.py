"""Numbers the Swedish way: ``1 165,1``, ``0,03 %``, ``−4,5``.

Printing uses a narrow no-break space between thousands, a decimal comma, the true minus sign
and a no-break space before a unit. Parsing accepts what people type: spaces of any kind
between thousands, a comma or a dot as the decimal mark, ``-``, ``−`` or ``–`` as minus, and
an optional trailing ``%``.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

THOUSANDS = "\u202f"  # narrow no-break space
NBSP = "\u00a0"
MINUS = "\u2212"

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_SHAPE = re.compile(r"^[+-]?(\d+|\d{1,3}( \d{3})+)?([.,]\d+)?$")


class NumberFormatError(ValueError):
    """Raised with a Swedish message when a typed figure cannot be read."""


def normalise(value: Decimal) -> Decimal:
    """Drop trailing zeros (``0.030000`` -> ``0.03``, ``88.0`` -> ``88``) without exponent."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def format_number(
    value: Decimal | int | None, decimals: int | None = None, *, sign: bool = False
) -> str:
    """``Decimal("1165.1")`` -> ``1 165,1``. ``decimals=None`` keeps the value's own precision."""
    if value is None:
        return ""
    value = Decimal(value)
    if decimals is None:
        value = normalise(value)
        text = f"{abs(value):,f}"
    else:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", THOUSANDS).replace(".", ",")
    if value < 0:
        return MINUS + text
    if sign and value > 0:
        return "+" + text
    return text


def format_figure(value: Decimal | str | None, unit: str = "", decimals: int | None = None) -> str:
    """An indicator figure with its unit (``0,03 %``, ``20 st``); a text figure as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    text = format_number(value, decimals)
    return f"{text}{NBSP}{unit}" if unit else text


def format_amount(value: Decimal | None, *, sign: bool = False) -> str:
    """An amount in mnkr with one decimal: ``1 165,1``; ``sign`` adds ``+`` to a surplus."""
    return format_number(value, 1, sign=sign)


def parse_number(text: str) -> Decimal | None:
    """Read a typed figure. Empty input is None; anything unreadable raises NumberFormatError."""
    raw = (text or "").strip()
    if not raw:
        return None
    cleaned = raw.replace(MINUS, "-").replace("\u2013", "-")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].rstrip()
    cleaned = _SPACES.sub(" ", cleaned).strip()
    cleaned = re.sub(r"^([+-]) ", r"\1", cleaned)
    if "," in cleaned and "." in cleaned:
        raise NumberFormatError(
            f"”{raw}” går inte att läsa som ett tal: använd kommatecken (eller punkt) som "
            "decimaltecken och mellanslag mellan tusental, t.ex. 1 165,1."
        )
    if not _SHAPE.match(cleaned) or not re.search(r"\d", cleaned):
        raise NumberFormatError(
            f"”{raw}” är inte ett tal. Skriv till exempel 1 165,1 eller 0,03 eller −4,5."
        )
    try:
        return Decimal(cleaned.replace(" ", "").replace(",", "."))
    except InvalidOperation as error:  # the shape check above should make this unreachable
        raise NumberFormatError(f"”{raw}” är inte ett tal.") from error


def figures_to_json(figures: dict) -> dict:
    """Printed figures (column -> Decimal, or a nested dict of them, as in ``given``) as JSON
    for a model's JSON field: amounts as text, so that no decimal is lost."""
    return {
        column: figures_to_json(value) if isinstance(value, dict) else str(normalise(value))
        for column, value in figures.items()
        if value is not None
    }


def figures_from_json(stored) -> dict:
    """The figures a JSON field holds (``figures_to_json``) as Decimals; what is not a number
    is left out."""
    result: dict = {}
    for column, value in (stored or {}).items() if isinstance(stored, dict) else ():
        if isinstance(value, dict):
            nested = figures_from_json(value)
            if nested:
                result[column] = nested
            continue
        try:
            number = Decimal(str(value))
        except (ArithmeticError, ValueError):
            continue
        if number.is_finite():
            result[column] = normalise(number)
    return result
