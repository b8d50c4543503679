from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from reporting.admin import REPORT_FILTERS, SHORT_TEXT, AuditedAdmin

from .forms import ExpectedResultsField
from .models import (
    Activity,
    ActivityFollowUp,
    AreaGoal,
    BoardGoal,
    Commitment,
    DirectionGoal,
    GoalAssessment,
)


def expected_results_field() -> ExpectedResultsField:
    return ExpectedResultsField(widget=AdminTextareaWidget(attrs={"rows": 5}))


class BoardGoalForm(forms.ModelForm):
    expected_results = expected_results_field()

    class Meta:
        model = BoardGoal
        fields = [
            "board",
            "area_goal",
            "year",
            "number",
            "title",
            "description",
            "expected_results",
            "position",
        ]


class CommitmentForm(forms.ModelForm):
    expected_results = expected_results_field()

    class Meta:
        model = Commitment
        fields = ["unit", "board_goal", "title", "expected_results", "position"]


class AreaGoalInline(admin.TabularInline):
    model = AreaGoal
    fields = ["number", "title", "position"]
    formfield_overrides = SHORT_TEXT
    extra = 0
    show_change_link = True


@admin.register(DirectionGoal)
class DirectionGoalAdmin(AuditedAdmin):
    list_display = ["number", "title", "year", "municipality", "position"]
    list_display_links = ["number", "title"]
    list_filter = ["year", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["number", "title", "=year"]
    inlines = [AreaGoalInline]


@admin.register(AreaGoal)
class AreaGoalAdmin(AuditedAdmin):
    list_display = ["number", "title", "year", "direction_goal", "position"]
    list_display_links = ["number", "title"]
    list_filter = ["direction_goal__year", "direction_goal__municipality"]
    list_select_related = ["direction_goal"]
    search_fields = ["number", "title", "=direction_goal__year"]
    autocomplete_fields = ["direction_goal"]

    @admin.display(description="år", ordering="direction_goal__year")
    def year(self, obj: AreaGoal) -> int:
        return obj.direction_goal.year


class PlanItemInline(admin.TabularInline):
    """Activities entered under a goal: they take board and year from the goal."""

    formfield_overrides = SHORT_TEXT
    extra = 0
    show_change_link = True


class ActivityInline(PlanItemInline):
    model = Activity
    fields = ["title", "kind", "start_date", "end_date", "position"]


class CommitmentInline(PlanItemInline):
    model = Commitment
    form = CommitmentForm
    fields = ["unit", "title", "expected_results", "position"]
    autocomplete_fields = ["unit"]


def save_plan_items(formset, board, year: int) -> None:
    """Save an inline formset of activities, giving new ones the board and year of their goal."""
    for obj in formset.save(commit=False):
        if isinstance(obj, Activity):
            obj.board = board
            obj.year = year
        obj.save()
    for obj in formset.deleted_objects:
        obj.delete()
    formset.save_m2m()


def changelist_link(model: str, count: int, **filters) -> str:
    url = reverse(f"admin:{model.replace('.', '_')}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, count)


@admin.register(BoardGoal)
class BoardGoalAdmin(AuditedAdmin):
    form = BoardGoalForm
    list_display = ["number", "title", "board", "year", "indicator_count", "activity_count"]
    list_display_links = ["number", "title"]
    list_filter = ["year", "board"]
    ordering = ["-year", "board", "position", "number"]
    list_select_related = ["board", "area_goal"]
    search_fields = ["number", "title", "description", "=year"]
    autocomplete_fields = ["board", "area_goal"]
    fields = [
        ("board", "year"),
        "area_goal",
        ("number", "position"),
        "title",
        "description",
        "expected_results",
    ]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}
    inlines = [CommitmentInline, ActivityInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                indicator_total=Count("indicators", distinct=True),
                activity_total=Count("activities", distinct=True),
            )
        )

    @admin.display(description="indikatorer", ordering="indicator_total")
    def indicator_count(self, obj: BoardGoal) -> str:
        return changelist_link(
            "indicators.indicator", obj.indicator_total, board_goal__id__exact=obj.pk
        )

    @admin.display(description="aktiviteter", ordering="activity_total")
    def activity_count(self, obj: BoardGoal) -> str:
        return changelist_link("goals.activity", obj.activity_total, board_goal__id__exact=obj.pk)

    def save_formset(self, request, form, formset, change: bool) -> None:
        save_plan_items(formset, form.instance.board, form.instance.year)


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin):
    form = CommitmentForm
    list_display = ["title", "unit", "board_goal"]
    list_filter = ["board_goal__year", "unit__board", "unit"]
    list_select_related = ["unit__board", "board_goal"]
    search_fields = ["title", "unit__name", "board_goal__number", "board_goal__title"]
    autocomplete_fields = ["unit", "board_goal"]
    inlines = [ActivityInline]

    def save_formset(self, request, form, formset, change: bool) -> None:
        goal = form.instance.board_goal
        save_plan_items(formset, goal.board, goal.year)


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = ["title", "goal", "board", "year", "start_date", "end_date"]
    list_filter = ["year", "board", "kind"]
    list_select_related = ["board", "area_goal", "board_goal", "commitment"]
    search_fields = ["title", "board_goal__number", "area_goal__number"]
    autocomplete_fields = ["board", "area_goal", "board_goal", "commitment"]
    fields = [
        ("board", "year"),
        "title",
        "kind",
        "area_goal",
        "board_goal",
        "commitment",
        ("start_date", "end_date"),
        "position",
    ]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}

    @admin.display(description="mål")
    def goal(self, obj: Activity):
        return obj.area_goal or obj.board_goal or obj.commitment


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(AuditedAdmin):
    list_display = ["goal", "report", "assessment", "ready"]
    ordering = ["-report__year", "report__board__name", "report__period", "id"]
    list_filter = ["assessment", "ready", *REPORT_FILTERS]
    list_select_related = [
        "report__board",
        "report__unit",
        "direction_goal",
        "area_goal",
        "board_goal",
        "commitment",
    ]
    search_fields = [
        "direction_goal__title",
        "area_goal__number",
        "area_goal__title",
        "board_goal__number",
        "board_goal__title",
        "commitment__title",
        "analysis",
    ]
    autocomplete_fields = ["report", "direction_goal", "area_goal", "board_goal", "commitment"]

    @admin.display(description="mål")
    def goal(self, obj: GoalAssessment):
        return obj.goal


@admin.register(ActivityFollowUp)
class ActivityFollowUpAdmin(AuditedAdmin):
    list_display = ["activity", "report", "status", "ready"]
    ordering = ["-report__year", "report__board__name", "report__period", "activity__position"]
    list_filter = ["status", "ready", *REPORT_FILTERS]
    list_select_related = ["activity", "report__board", "report__unit"]
    search_fields = ["activity__title", "deviation", "analysis"]
    autocomplete_fields = ["report", "activity"]
