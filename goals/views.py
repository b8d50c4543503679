"""Data entry for goals and activities: a goal's assessment and analysis (any level), an
activity's status, deviation and analysis. The save cycle is ``reporting.editing.edit_item``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from reporting.access import get_report_for_user
from reporting.editing import edit_item
from reporting.tree import load_goal_items

from .forms import ActivityFollowUpForm, GoalAssessmentForm
from .models import Activity, ActivityFollowUp, GoalAssessment


@login_required
@require_http_methods(["GET", "POST"])
def goal_assessment_edit(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    report = get_report_for_user(request, report_pk, write=True)
    row = get_object_or_404(
        GoalAssessment.objects.select_related(*GoalAssessment.goal_chains()),
        pk=pk,
        report=report,
    )
    level, goal = row.goal_level, row.goal
    indicators, activities = load_goal_items(report, level, goal)
    context = {
        "level_label": level.label,
        "goal": goal,
        "goal_title": level.goal_title(goal),
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
        ActivityFollowUp.objects.select_related("activity", *Activity.goal_chains("activity__")),
        pk=pk,
        report=report,
    )
    activity = row.activity
    level, goal = activity.goal_level, activity.goal
    return edit_item(
        request,
        report=report,
        item=row,
        form_class=ActivityFollowUpForm,
        template="goals/activity_follow_up_form.html",
        context={
            "activity": activity,
            "level_label": level.label,
            "goal_title": level.goal_title(goal),
        },
        anchor=f"aktivitet-{row.pk}",
    )
