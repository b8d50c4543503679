"""Dated changes of an indicator during the year: a new target, another responsible board."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from reporting.models import period_of_date

from .models import Figure, Indicator, IndicatorResponsibility, IndicatorTarget


def _period(indicator: Indicator, valid_from: date) -> str:
    try:
        return period_of_date(valid_from, indicator.year)
    except ValueError:
        raise ValidationError(
            {"valid_from": f"Datumet ligger efter indikatorns år ({indicator.year})."}
        ) from None


@transaction.atomic
def change_target(
    indicator: Indicator,
    *,
    valid_from: date,
    decision_reference: str,
    annual_target: Figure = None,
    kf_annual_target: Figure = None,
) -> IndicatorTarget:
    """Record a target decided during the year (KF changes targets at T2): valid from
    ``valid_from``, first shown in the report whose period covers that date; earlier reports
    keep the target they were written against. A second change in the same period replaces
    the first."""
    period = _period(indicator, valid_from)
    target = IndicatorTarget.objects.filter(indicator=indicator, period=period).first()
    target = target or IndicatorTarget(indicator=indicator, period=period)
    target.valid_from = valid_from
    target.decision_reference = decision_reference
    target.set_figure("annual_target", annual_target)
    target.set_figure("kf_annual_target", kf_annual_target)
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def change_responsibility(
    indicator: Indicator, *, valid_from: date, decision_reference: str, responsible: str
) -> IndicatorResponsibility:
    """Record that another board answers for the indicator from ``valid_from`` on."""
    period = _period(indicator, valid_from)
    row = IndicatorResponsibility.objects.filter(indicator=indicator, period=period).first()
    row = row or IndicatorResponsibility(indicator=indicator, period=period)
    row.valid_from = valid_from
    row.decision_reference = decision_reference
    row.responsible = responsible
    row.full_clean()
    row.save()
    return row
