from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.forms import TextInput

from reporting.admin import DECIMALS, REPORT_FILTERS, AuditedAdmin, DecimalInput
from reporting.numbers import format_figure

from .models import Indicator, IndicatorTarget, IndicatorValue


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    fields = [
        "period",
        "annual_target",
        "annual_target_text",
        "kf_annual_target",
        "kf_annual_target_text",
        "decided_on",
    ]
    formfield_overrides = {
        models.DecimalField: {
            **DECIMALS[models.DecimalField],
            "widget": DecimalInput(attrs={"size": 8}),
        },
        models.CharField: {"widget": TextInput(attrs={"size": 14})},
    }
    extra = 0


def figure_column(name: str, description: str):
    """A list column showing a figure (number or text) the Swedish way, with its unit."""

    @admin.display(description=description)
    def column(self, obj) -> str:
        indicator = obj if isinstance(obj, Indicator) else obj.indicator
        return format_figure(obj.get_figure(name), indicator.unit)

    return column


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["name", "goal", "board", "year", "unit", "frequency"]
    list_filter = ["year", "board", "kind", "frequency", "direction", "gender_split_required"]
    list_select_related = ["board", "area_goal", "board_goal", "commitment"]
    search_fields = ["name", "board_goal__number", "area_goal__number", "=year"]
    autocomplete_fields = ["board", "area_goal", "board_goal", "commitment", "predecessor"]
    fields = [
        ("board", "year"),
        "name",
        "kind",
        "area_goal",
        "board_goal",
        "commitment",
        ("unit", "decimals"),
        ("direction", "frequency"),
        "gender_split_required",
        "position",
        "predecessor",
    ]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}
    inlines = [IndicatorTargetInline]

    @admin.display(description="mål")
    def goal(self, obj: Indicator):
        return obj.area_goal or obj.board_goal or obj.commitment


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(AuditedAdmin):
    list_display = ["indicator", "period", "annual", "kf_annual", "decided_on"]
    list_filter = ["period", "indicator__year", "indicator__board"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name"]
    autocomplete_fields = ["indicator"]
    formfield_overrides = DECIMALS

    annual = figure_column("annual_target", "årsmål")
    kf_annual = figure_column("kf_annual_target", "KF:s årsmål")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AuditedAdmin):
    list_display = [
        "indicator",
        "report",
        "outcome_figure",
        "forecast_figure",
        "ready",
    ]
    ordering = ["-report__year", "report__board__name", "report__period", "indicator__position"]
    list_filter = ["ready", *REPORT_FILTERS]
    list_select_related = ["indicator", "report__board", "report__unit"]
    search_fields = ["indicator__name", "analysis"]
    autocomplete_fields = ["report", "indicator"]
    formfield_overrides = DECIMALS

    outcome_figure = figure_column("outcome", "utfall")
    forecast_figure = figure_column("forecast", "prognos")
