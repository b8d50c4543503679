"""Helpers for the data-entry tests: the URLs of a report's item forms, and the data a browser
would send back for a form as it was shown."""

from django import forms
from django.urls import reverse

from budget.models import (
    BudgetAdjustment,
    EconomySubsection,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingBudgetRow,
)
from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue
from reporting.models import CoverMemo, ProposedDecision, Report, Section

ITEM_MODELS = (
    GoalAssessment,
    ActivityFollowUp,
    IndicatorValue,
    OperatingBudgetRow,
    EconomyText,
    EconomySubsection,
    Section,
    CoverMemo,
)


def snapshot(report: Report) -> dict:
    """Everything a data-entry page could write, to show that nothing was written."""
    state = {
        model.__name__: sorted(
            model.objects.filter(report=report).values_list("pk", "version", "updated_at")
        )
        for model in ITEM_MODELS
    }
    for model, lookup in (
        (IncomeStatementRow, "report"),
        (InvestmentRow, "report"),
        (BudgetAdjustment, "row__report"),
        (ProposedDecision, "cover_memo__report"),
    ):
        state[model.__name__] = sorted(model.objects.filter(**{lookup: report}).values_list("pk"))
    return state


def entry_urls(report: Report) -> dict[str, str]:
    """One URL of every kind of data-entry page of ``report``, by a short name."""
    board_goal = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    activity = ActivityFollowUp.objects.filter(report=report).first()
    value = IndicatorValue.objects.filter(report=report).first()
    row = OperatingBudgetRow.objects.filter(report=report).first()
    subsection = EconomySubsection.objects.filter(report=report).order_by("position").first()
    section, _ = Section.objects.get_or_create(
        report=report, kind=Section.Kind.OTHER, defaults={"title": "Kvalitetsarbete", "position": 5}
    )
    pk = report.pk
    return {
        "workspace": reverse("reporting:workspace", args=[pk]),
        "next_report": reverse("reporting:next_report", args=[pk]),
        "summary": reverse("reporting:summary_edit", args=[pk]),
        "internal_control": reverse("reporting:internal_control_edit", args=[pk]),
        "section": reverse("reporting:section_edit", args=[pk, section.pk]),
        "section_create": reverse("reporting:section_create", args=[pk]),
        "section_delete": reverse("reporting:section_delete", args=[pk, section.pk]),
        "cover_memo": reverse("reporting:cover_memo_edit", args=[pk]),
        "goal": reverse("goals:goal_assessment_edit", args=[pk, board_goal.pk]),
        "activity": reverse("goals:activity_follow_up_edit", args=[pk, activity.pk]),
        "indicator": reverse("indicators:indicator_value_edit", args=[pk, value.pk]),
        "budget_row": reverse("budget:operating_budget_row_edit", args=[pk, row.pk]),
        "economy_text": reverse("budget:economy_text_edit", args=[pk]),
        "economy_subsection": reverse("budget:economy_subsection_edit", args=[pk, subsection.pk]),
        "income_statement": reverse("budget:income_statement_edit", args=[pk]),
        "investments": reverse("budget:investments_edit", args=[pk]),
    }


def form_data(form) -> dict:
    """What a browser sends for ``form`` (or a formset) as shown: every field's current value,
    ticked checkboxes only."""
    if isinstance(form, forms.BaseFormSet):
        data = form_data(form.management_form)
        for member in form.forms:
            data.update(form_data(member))
        return data
    data = {}
    for field in form:
        value = field.value()
        if isinstance(field.field.widget, forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
            continue
        if isinstance(value, list | tuple):  # several choices (checkboxes): every one sent
            data[field.html_name] = [str(item) for item in value]
            continue
        data[field.html_name] = "" if value is None else str(value)
    for formset in getattr(form, "formsets", {}).values():
        data.update(form_data(formset))
    if getattr(form, "adjustments", None) is not None:
        data.update(form_data(form.adjustments))
    return data


def shown_form(client, url: str):
    """The form of the page at ``url``, with the data to send it back unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    return form, form_data(form)
