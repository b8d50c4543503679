"""Item to item: "Spara och nästa" saves and opens the next item's form in outline order;
every item form links to the previous and the next item."""

from django.urls import reverse

from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue
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
    assert f'href="{value_url}" rel="next"' in page
    assert "Spara och nästa</button>" in page
    _, data = shown_form(client, goal_url)
    data.update(analysis="Målet uppfylls.", action="save_next")
    response = client.post(goal_url, data)
    assert response.status_code == 302 and response.url == value_url
    goal.refresh_from_db()
    assert goal.analysis == "Målet uppfylls."

    page = client.get(value_url).content.decode()
    assert f'href="{goal_url}" rel="prev"' in page
    assert f'href="{activity_url}" rel="next"' in page
