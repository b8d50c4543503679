"""The small things of issue 11, each with its test: an unchanged save writes no history entry;
number fields bring up a numeric keypad; the indicator form says why no status against the
target is computed; the focus after a failed save."""

from django.urls import reverse

from indicators.models import Indicator
from tests.entry_helpers import entry_urls, shown_form


def test_saving_an_unchanged_form_writes_no_history_entry(client, report, editor):
    client.force_login(editor)
    goal = report.goal_assessments.get(board_goal__isnull=False)
    url = reverse("goals:goal_assessment_edit", args=[report.pk, goal.pk])
    _, data = shown_form(client, url)
    data.update(assessment="full", analysis="Målet uppfylls.", action="save")
    assert client.post(url, data).status_code == 302
    goal.refresh_from_db()
    records, version = goal.history.count(), goal.version
    _, data = shown_form(client, url)
    data["action"] = "save"
    assert client.post(url, data).status_code == 302
    goal.refresh_from_db()
    assert (goal.history.count(), goal.version) == (records, version)
    # Marking it ready is a change, and is recorded.
    _, data = shown_form(client, url)
    data["action"] = "ready"
    client.post(url, data)
    goal.refresh_from_db()
    assert goal.ready and goal.history.count() == records + 1


def test_every_unchanged_item_form_saves_without_history(client, report, editor):
    client.force_login(editor)
    urls = entry_urls(report)
    for name in ("indicator", "activity", "budget_row", "section"):
        form, data = shown_form(client, urls[name])
        item = form.instance
        before = type(item).history.filter(id=item.pk).count()
        data["action"] = "save"
        assert client.post(urls[name], data).status_code == 302, name
        assert type(item).history.filter(id=item.pk).count() == before, name


def test_number_fields_ask_a_phone_for_a_numeric_keypad(client, report, editor):
    client.force_login(editor)
    urls = entry_urls(report)
    page = client.get(urls["indicator"]).content.decode()
    assert page.count('inputmode="decimal"') == 4  # outcome, men, women, forecast
    page = client.get(urls["budget_row"]).content.decode()
    assert 'inputmode="decimal"' in page


def test_the_form_says_why_no_status_is_computed_for_an_indicator_without_direction(
    client, report, editor
):
    client.force_login(editor)
    urls = entry_urls(report)
    Indicator.objects.update(direction="")
    page = client.get(urls["indicator"]).content.decode()
    assert "Räknas inte ut: indikatorn saknar riktning" in page


def test_after_a_failed_save_the_first_invalid_field_has_the_focus(client, report, editor):
    client.force_login(editor)
    url = entry_urls(report)["indicator"]
    _, data = shown_form(client, url)
    data.update(outcome="85", outcome_men="åtta", outcome_women="", forecast="åttio", action="save")
    page = client.post(url, data).content.decode()
    assert page.count("autofocus") == 1
    assert 'name="outcome_men"' in page.split("autofocus")[0].rsplit("<input", 1)[1]


def test_when_every_error_can_be_confirmed_the_confirm_box_has_the_focus(client, report, editor):
    client.force_login(editor)
    url = entry_urls(report)["indicator"]
    _, data = shown_form(client, url)
    data.update(outcome="120", outcome_men="110", outcome_women="130", action="save")
    page = client.post(url, data).content.decode()
    assert page.count("autofocus") == 1
    assert 'name="confirm"' in page.split("autofocus")[0].rsplit("<input", 1)[1]
