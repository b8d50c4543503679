"""Template filters for figures, amounts and texts in Swedish format."""

from django import template

from reporting import numbers, text

register = template.Library()


@register.filter
def figure(value, unit: str = ""):
    """``{{ value|figure:"%" }}`` -> ``0,03 %``."""
    return numbers.format_figure(value, unit or "")


@register.filter
def amount(value):
    """``{{ row.budget|amount }}`` -> ``1 165,1`` (mnkr, one decimal)."""
    return numbers.format_amount(value)


@register.filter
def signed_amount(value):
    """``+5,9`` for a surplus, ``−0,8`` for a deficit."""
    return numbers.format_amount(value, sign=True)


@register.filter
def number(value, decimals=None):
    return numbers.format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def plaintext(value):
    """Paragraphs and "- " lists as safe HTML; everything escaped."""
    return text.to_html(value)


@register.filter
def exact(value):
    """A Decimal for a script to read: fixed point, a dot, every decimal (``250.1``); ''
    for None. Never an exponent (``str(Decimal("0E-8"))`` is ``0E-8``)."""
    if value is None or value == "":
        return ""
    return f"{numbers.normalise(value):f}"


@register.filter
def share(value):
    """Förbrukning: ``Decimal("0.30835")`` -> ``30,8 %`` (rounded once)."""
    if value is None:
        return ""
    return numbers.format_figure(value * 100, "%", decimals=1)


@register.filter
def summary_cell(value, style: str):
    """A cell of a computed table as the report prints it: an amount, a signed deviation or
    change ("signed"), or a share ("percent")."""
    if style == "percent":
        return share(value)
    return numbers.format_amount(value, sign=style == "signed")
