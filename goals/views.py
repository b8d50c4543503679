"""Data entry for goals and activities: a goal's assessment and analysis (any level), an
activity's status, deviation and analysis. The save cycle is ``reporting.editing.edit_item``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from reporting.access import get_report_for_user
from reporting.editing import edit_item
from reporting.workspace import LEVEL_LABELS, goal_contents, goal_title

from .forms import ActivityFollowUpForm, GoalAssessmentForm
from .models import GOAL_FIELDS, ActivityFollowUp, GoalAssessment

LEVELS = ("direction_goal", *GOAL_FIELDS)


@login_required
@require_http_methods(["GET", "POST"])
def goal_assessment_edit(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    report = get_report_for_user(request, report_pk, write=True)
    row = get_object_or_404(
        GoalAssessment.objects.select_related(*LEVELS, "board_goal__area_goal"),
        pk=pk,
        report=report,
    )
    level = next(name for name in LEVELS if getattr(row, f"{name}_id"))
    goal = row.goal
    indicators, activities = goal_contents(report, level, goal)
    context = {
        "level_label": LEVEL_LABELS[level],
        "goal": goal,
        "goal_title": goal_title(level, goal),
        "indicators": indicators,
        "activities": activities,
    }
    return edit_item(
        request,
        report=report,
        item=row,
        form_class=GoalAssessmentForm,
        template="goals/goal_assessment_form.html",
        context=context,
        anchor=f"mal-{row.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_follow_up_edit(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    report = get_report_for_user(request, report_pk, write=True)
    row = get_object_or_404(
        ActivityFollowUp.objects.select_related(
            "activity", *(f"activity__{name}" for name in GOAL_FIELDS)
        ),
        pk=pk,
        report=report,
    )
    activity = row.activity
    level = next(name for name in GOAL_FIELDS if getattr(activity, f"{name}_id"))
    goal = getattr(activity, level)
    return edit_item(
        request,
        report=report,
        item=row,
        form_class=ActivityFollowUpForm,
        template="goals/activity_follow_up_form.html",
        context={
            "activity": activity,
            "level_label": LEVEL_LABELS[level],
            "goal_title": goal_title(level, goal),
        },
        anchor=f"aktivitet-{row.pk}",
    )
