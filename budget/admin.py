from django.contrib import admin

from reporting.admin import DECIMALS, REPORT_FILTERS, AuditedAdmin, FrozenReportMixin
from reporting.numbers import format_number

from .models import (
    AdjustmentKind,
    BudgetAdjustment,
    EconomySubsection,
    EconomyTable,
    EconomyTableRow,
    EconomyText,
    GivenTotals,
    IncomeStatementCategory,
    IncomeStatementRow,
    InvestmentCategory,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
    TableMark,
)


def amount_column(name: str, description: str):
    """A list column showing an amount in mnkr the Swedish way (1 165,1), at its own precision."""

    @admin.display(description=description, ordering=name)
    def column(self, obj) -> str:
        return format_number(getattr(obj, name))

    return column


class ReportRowAdmin(AuditedAdmin):
    """Rows that belong to one report."""

    list_filter = REPORT_FILTERS
    list_select_related = ["report__board", "report__unit"]
    autocomplete_fields = ["report"]
    formfield_overrides = DECIMALS


@admin.register(OperatingArea)
class OperatingAreaAdmin(AuditedAdmin):
    list_display = ["name", "board", "year", "position"]
    list_filter = ["year", "board"]
    list_select_related = ["board"]
    search_fields = ["name", "=year"]
    autocomplete_fields = ["board"]


@admin.register(AdjustmentKind)
class AdjustmentKindAdmin(AuditedAdmin):
    list_display = ["label", "board", "year", "position"]
    list_filter = ["year", "board"]
    list_select_related = ["board"]
    search_fields = ["label", "=year"]
    autocomplete_fields = ["board"]


@admin.register(IncomeStatementCategory)
class IncomeStatementCategoryAdmin(AuditedAdmin):
    list_display = ["name", "kind", "board", "year", "position"]
    list_filter = ["year", "board"]
    list_select_related = ["board"]
    search_fields = ["name", "=year"]
    autocomplete_fields = ["board"]


@admin.register(InvestmentCategory)
class InvestmentCategoryAdmin(AuditedAdmin):
    list_display = ["name", "board", "year", "position"]
    list_filter = ["year", "board"]
    list_select_related = ["board"]
    search_fields = ["name", "=year"]
    autocomplete_fields = ["board"]


class BudgetAdjustmentInline(FrozenReportMixin, admin.TabularInline):
    model = BudgetAdjustment
    formfield_overrides = DECIMALS
    extra = 0


@admin.register(OperatingBudgetRow)
class OperatingBudgetRowAdmin(ReportRowAdmin):
    list_display = [
        "area",
        "report",
        "previous_year",
        "budget_amount",
        "outcome_amount",
        "forecast_amount",
    ]
    list_filter = ["ready", *REPORT_FILTERS]
    list_select_related = ["area", "report__board", "report__unit"]
    search_fields = ["area__name", "comment", "report__board__name"]
    autocomplete_fields = ["report", "area"]
    inlines = [BudgetAdjustmentInline]

    previous_year = amount_column("previous_year_outcome", "bokslut föregående år")
    budget_amount = amount_column("budget", "budget")
    outcome_amount = amount_column("outcome", "bokslut")
    forecast_amount = amount_column("forecast", "prognos")


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(AuditedAdmin):
    list_display = ["label", "adjustment_amount", "row", "position"]
    list_filter = ["row__report__year", "row__report__period", "row__report__board"]
    list_select_related = ["row__area", "row__report__board", "row__report__unit"]
    search_fields = ["label", "row__area__name"]
    autocomplete_fields = ["row"]
    formfield_overrides = DECIMALS

    adjustment_amount = amount_column("amount", "belopp")


@admin.register(IncomeStatementRow)
class IncomeStatementRowAdmin(ReportRowAdmin):
    list_display = ["label", "kind", "report", "budget_amount", "outcome_amount", "position"]
    list_filter = ["kind", *REPORT_FILTERS]
    search_fields = ["label"]

    budget_amount = amount_column("budget", "budget")
    outcome_amount = amount_column("outcome", "utfall")


@admin.register(InvestmentRow)
class InvestmentRowAdmin(ReportRowAdmin):
    list_display = [
        "category",
        "report",
        "budget_amount",
        "outcome_amount",
        "forecast_amount",
        "position",
    ]
    search_fields = ["category"]

    budget_amount = amount_column("budget", "budget")
    outcome_amount = amount_column("outcome", "bokslut")
    forecast_amount = amount_column("forecast", "prognos")


@admin.register(EconomyText)
class EconomyTextAdmin(ReportRowAdmin):
    list_display = ["__str__", "report", "ready"]
    list_filter = ["ready", *REPORT_FILTERS]
    search_fields = ["analysis", "report__board__name"]


@admin.register(EconomySubsection)
class EconomySubsectionAdmin(ReportRowAdmin):
    list_display = ["heading", "report", "position", "ready"]
    list_filter = ["ready", *REPORT_FILTERS]
    search_fields = ["heading", "text", "report__board__name"]


@admin.register(TableMark)
class TableMarkAdmin(ReportRowAdmin):
    list_display = ["__str__", "report", "table", "ready"]
    list_filter = ["table", "ready", *REPORT_FILTERS]
    search_fields = ["report__board__name"]


@admin.register(GivenTotals)
class GivenTotalsAdmin(ReportRowAdmin):
    list_display = ["__str__", "report"]
    search_fields = ["report__board__name"]


class EconomyTableRowInline(FrozenReportMixin, admin.TabularInline):
    model = EconomyTableRow
    extra = 0


@admin.register(EconomyTable)
class EconomyTableAdmin(ReportRowAdmin):
    list_display = ["title", "report", "subsection", "position"]
    search_fields = ["title"]
    autocomplete_fields = ["report", "subsection"]
    inlines = [EconomyTableRowInline]


@admin.register(EconomyTableRow)
class EconomyTableRowAdmin(AuditedAdmin):
    list_display = ["label", "table", "is_total", "position"]
    list_filter = ["is_total", "table__report__year", "table__report__board"]
    list_select_related = ["table"]
    search_fields = ["label", "table__title"]
    autocomplete_fields = ["table"]
