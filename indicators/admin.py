from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.forms import TextInput
from django.template.loader import render_to_string

from reporting.admin import DECIMALS, REPORT_FILTERS, AuditedAdmin, DecimalInput
from reporting.numbers import format_figure

from .models import Indicator, IndicatorResponsibility, IndicatorTarget, IndicatorValue


class IndicatorTargetInline(admin.TabularInline):
    """The indicator's targets, one row per change: from which period and date, by which
    decision. A change is a new row, so earlier reports keep the target they were written
    against."""

    model = IndicatorTarget
    verbose_name_plural = "målvärden och ändringar av dem"
    fields = [
        "period",
        "valid_from",
        "decision_reference",
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


class IndicatorResponsibilityInline(admin.TabularInline):
    """Which board answers for the indicator, from which period and date, by which decision."""

    model = IndicatorResponsibility
    fields = ["period", "valid_from", "decision_reference", "responsible"]
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
    inlines = [IndicatorTargetInline, IndicatorResponsibilityInline]
    readonly_fields = ["change_history"]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if obj is None else [*fields, "change_history"]

    @admin.display(description="historik (mål och ansvar)")
    def change_history(self, obj: Indicator) -> str:
        return render_to_string("indicators/_changes.html", {"changes": obj.changes()})

    @admin.display(description="mål")
    def goal(self, obj: Indicator):
        return obj.area_goal or obj.board_goal or obj.commitment


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(AuditedAdmin):
    list_display = [
        "indicator",
        "period",
        "valid_from",
        "decision_reference",
        "annual",
        "kf_annual",
        "decided_on",
    ]
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


@admin.register(IndicatorResponsibility)
class IndicatorResponsibilityAdmin(AuditedAdmin):
    list_display = ["indicator", "responsible", "period", "valid_from", "decision_reference"]
    list_filter = ["period", "indicator__year", "indicator__board"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "responsible", "decision_reference"]
    autocomplete_fields = ["indicator"]
