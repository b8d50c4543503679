"""Filters of the report document (``reporting/_document.html`` and its partials)."""

from django import template

from goals.models import ActivityFollowUp
from reporting import render
from reporting.numbers import format_figure

register = template.Library()


@register.filter
def rich_text(value):
    """Paragraphs, "- " lists and 'a | b' pipe tables as safe HTML; everything escaped."""
    return render.rich_text(value)


@register.filter
def fits_in_row(analysis) -> bool:
    """Whether an analysis is short enough for a table row (long ones go after the table)."""
    return render.fits_in_row(analysis)


@register.filter
def goal_anchor(number) -> str:
    """``{{ goal.number|goal_anchor }}`` -> ``mal-1-4-1``."""
    return render.goal_anchor(number)


@register.filter
def assessment_label(value, doc) -> str:
    """``{{ goal.assessment|assessment_label:doc }}`` -> ``Uppfylls helt``, worded as the
    report's template says (``reporting.render.Document.assessment_label``)."""
    return doc.assessment_label(value)


@register.filter
def indicator_figure(value, indicator) -> str:
    """``{{ indicator.outcome|indicator_figure:indicator }}`` -> ``0,03 %``: with the
    indicator's unit, and with its decimals when the plan fixes them."""
    return format_figure(value, indicator.unit or "", indicator.decimals)


@register.filter
def direction_goal_number(number) -> str:
    """``1`` -> ``1.`` as printed before an inriktningsmål's title."""
    return render.goal_label(number, "direction_goal")


@register.filter
def activity_status(value) -> str:
    """``ongoing`` -> ``Pågående``."""
    return ActivityFollowUp.Status(value).label if value else ""
