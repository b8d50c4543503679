"""Item to item: "Spara och nästa" saves and opens the next item's form in outline order;
every item form links to the previous and the next item (through ``reporting:item_step``, so
that a form page does not read the whole outline)."""

from django.urls import reverse

from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue
from reporting.navigation import step_url
from tests.entry_helpers import shown_form


def test_save_and_next_goes_to_the_next_item_of_the_outline(client, report, editor):
    client.force_login(editor)
    goal = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    value = IndicatorValue.objects.get(report=report)
    activity = ActivityFollowUp.objects.get(report=report)
    goal_url = reverse("goals:goal_assessment_edit", args=[report.pk, goal.pk])
    value_url = reverse("indicators:indicator_value_edit", args=[report.pk, value.pk])
    activity_url = reverse("goals:activity_follow_up_edit", args=[report.pk, activity.pk])

    page = client.get(goal_url).content.decode()
    assert "Spara och nästa</button>" in page
    assert 'rel="next"' in page and 'rel="prev"' in page
    _, data = shown_form(client, goal_url)
    data.update(analysis="Målet uppfylls.", action="save_next")
    response = client.post(goal_url, data)
    assert response.status_code == 302 and response.url == step_url(report, goal_url)
    assert client.get(response.url).url == value_url
    goal.refresh_from_db()
    assert goal.analysis == "Målet uppfylls."

    assert client.get(step_url(report, value_url)).url == activity_url
    assert client.get(step_url(report, value_url, "foregaende")).url == goal_url


def test_after_the_last_item_the_step_leads_back_to_the_workspace(client, report, editor):
    client.force_login(editor)
    memo_url = reverse("reporting:cover_memo_edit", args=[report.pk])
    response = client.get(step_url(report, memo_url))
    assert response.url == reverse("reporting:workspace", args=[report.pk])
