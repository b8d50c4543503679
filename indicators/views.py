"""Data entry for an indicator's figures in one report: outcome (total, men/boys,
women/girls), forecast and analysis, shown beside the unit, the annual targets, last year's
outcome and the status against the target. The rules are in ``indicators.forms``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from reporting.access import get_report_for_user
from reporting.editing import edit_item
from reporting.models import Period

from .forms import IndicatorValueForm
from .models import Indicator, IndicatorValue
from .status import target_status


def _previous_outcome(value: IndicatorValue):
    """The outcome in last year's VB of the indicator this one continues, else the figure the
    report itself holds for last year."""
    indicator, report = value.indicator, value.report
    if indicator.predecessor_id:
        previous = IndicatorValue.objects.filter(
            indicator_id=indicator.predecessor_id,
            report__board_id=report.board_id,
            report__unit_id=report.unit_id,
            report__year=report.year - 1,
            report__period=Period.VB,
        ).first()
        if previous is not None and previous.get_figure("outcome") is not None:
            return previous.get_figure("outcome")
    return value.get_figure("previous_outcome")


@login_required
@require_http_methods(["GET", "POST"])
def indicator_value_edit(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    report = get_report_for_user(request, report_pk, write=True)
    value = get_object_or_404(
        IndicatorValue.objects.select_related(
            "indicator", "confirmed_by", *Indicator.goal_chains("indicator__")
        ),
        pk=pk,
        report=report,
    )
    value.report = report
    indicator = value.indicator
    changes = indicator.changes()
    target = indicator.target_for(report.period, list(indicator.targets.all()))
    annual = target.get_figure("annual_target") if target else None
    level = indicator.goal_level
    statuses = []
    for label, name in (("Utfall", "outcome"), ("Prognos", "forecast")):
        status = target_status(value.get_figure(name), annual, indicator.direction)
        if status is not None:
            statuses.append((label, status))
    return edit_item(
        request,
        report=report,
        item=value,
        form_class=IndicatorValueForm,
        template="indicators/indicator_value_form.html",
        context={
            "indicator": indicator,
            "level_label": level.label,
            "goal_title": level.goal_title(indicator.goal),
            "annual_target": annual,
            "kf_annual_target": target.get_figure("kf_annual_target") if target else None,
            "previous_outcome": _previous_outcome(value),
            "previous_year": report.year - 1,
            "statuses": statuses,
            "changes": changes,
        },
        anchor=f"indikator-{value.pk}",
    )
