"""Saving items: optimistic locking through Model.save(), the conflict page, Klarmarkera and
Ångra klarmarkering."""

import pytest
from django.test import Client

from goals.forms import GoalAssessmentForm
from goals.models import GoalAssessment
from reporting.editing import Conflict, save_item
from tests.entry_helpers import entry_urls, form_data, shown_form


@pytest.fixture
def goal_row(report):
    return GoalAssessment.objects.get(report=report, board_goal__isnull=False)


@pytest.fixture
def goal_url(report):
    return entry_urls(report)["goal"]


def test_two_people_editing_the_same_analysis_the_second_is_refused_and_nothing_is_lost(
    report, editor, administrator, goal_row, goal_url
):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(administrator)
    _, first_data = shown_form(first, goal_url)
    _, second_data = shown_form(second, goal_url)

    first_data.update(assessment="full", analysis="Första personens analys.\n\nAndra stycket.")
    response = first.post(goal_url, first_data)
    assert response.status_code == 302

    second_data.update(assessment="partial", analysis="Andra personens analys.")
    response = second.post(goal_url, second_data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har sparat ändringar här medan du skrev" in html
    assert "Andra personens analys." in html  # yours, in the form and beside
    assert "Första personens analys." in html  # theirs, beside
    assert html.count("Andra personens analys.") >= 2
    assert "Uppfylls helt" in html and "Uppfylls delvis" in html

    goal_row.refresh_from_db()
    assert goal_row.analysis == "Första personens analys.\n\nAndra stycket."
    assert goal_row.assessment == "full"
    assert goal_row.version == 2

    form = response.context["form"]
    assert form["analysis"].value() == "Andra personens analys."
    assert form["version"].value() == "2"


def test_after_a_conflict_saving_again_is_a_deliberate_overwrite(
    report, editor, administrator, goal_row, goal_url
):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(administrator)
    _, first_data = shown_form(first, goal_url)
    _, second_data = shown_form(second, goal_url)
    first.post(goal_url, {**first_data, "analysis": "Först."})
    response = second.post(goal_url, {**second_data, "analysis": "Sedan."})
    assert response.status_code == 409
    again = form_data(response.context["form"])
    assert second.post(goal_url, again).status_code == 302
    goal_row.refresh_from_db()
    assert (goal_row.analysis, goal_row.version) == ("Sedan.", 3)


def test_the_save_goes_through_model_save_so_the_history_sees_it(
    client, editor, goal_row, goal_url
):
    client.force_login(editor)
    _, data = shown_form(client, goal_url)
    client.post(goal_url, {**data, "analysis": "Med historik."})
    history = goal_row.history.order_by("-history_date").first()
    assert history.analysis == "Med historik."
    assert history.version == 2
    assert history.history_user == editor


def test_save_item_refuses_a_stale_version_without_writing(report, goal_row):
    form = GoalAssessmentForm(
        {"version": "1", "assessment": "full", "analysis": "A"}, instance=goal_row, report=report
    )
    assert form.is_valid()
    saved = save_item(form, GoalAssessment, {"pk": goal_row.pk})
    assert saved.version == 2
    stale = GoalAssessmentForm(
        {"version": "1", "assessment": "", "analysis": "B"}, instance=goal_row, report=report
    )
    assert stale.is_valid()
    with pytest.raises(Conflict) as error:
        save_item(stale, GoalAssessment, {"pk": goal_row.pk})
    assert error.value.current.analysis == "A"
    goal_row.refresh_from_db()
    assert (goal_row.analysis, goal_row.version) == ("A", 2)


def test_a_row_that_is_gone_is_a_conflict_too(report, goal_row):
    form = GoalAssessmentForm(
        {"version": "1", "assessment": "", "analysis": "B"}, instance=goal_row, report=report
    )
    assert form.is_valid()
    with pytest.raises(Conflict) as error:
        save_item(form, GoalAssessment, {"pk": 999_999})
    assert error.value.current is None


# -- Klarmarkera / Ångra klarmarkering --------------------------------------------------------


def test_klarmarkera_saves_marks_ready_and_returns_to_the_workspace(
    client, editor, goal_row, goal_url, report
):
    client.force_login(editor)
    _, data = shown_form(client, goal_url)
    response = client.post(
        goal_url, {**data, "assessment": "full", "analysis": "Klar.", "action": "ready"}
    )
    assert response.status_code == 302
    assert response.url == f"/rapporter/{report.pk}/arbeta/#mal-{goal_row.pk}"
    goal_row.refresh_from_db()
    assert goal_row.ready and goal_row.analysis == "Klar."
    html = client.get(goal_url).content.decode()
    assert "Ångra klarmarkering" in html
    assert "Klarmarkerad" in html
    assert ">Klarmarkera<" not in html


def test_angra_klarmarkering_undoes_the_mark_and_keeps_the_text(client, editor, goal_row, goal_url):
    goal_row.ready, goal_row.analysis, goal_row.assessment = True, "Klar.", "full"
    goal_row.save()
    client.force_login(editor)
    _, data = shown_form(client, goal_url)
    response = client.post(goal_url, {**data, "action": "unready"})
    assert response.status_code == 302
    goal_row.refresh_from_db()
    assert not goal_row.ready
    assert goal_row.analysis == "Klar."
    html = client.get(response.url).content.decode()
    assert "Klarmarkeringen är ångrad" in html
    assert ">Klarmarkera<" in html


def test_a_plain_save_keeps_the_ready_mark(client, editor, goal_row, goal_url):
    goal_row.ready, goal_row.analysis, goal_row.assessment = True, "Klar.", "full"
    goal_row.save()
    client.force_login(editor)
    _, data = shown_form(client, goal_url)
    client.post(goal_url, {**data, "analysis": "Klar, med tillägg."})
    goal_row.refresh_from_db()
    assert goal_row.ready and goal_row.analysis == "Klar, med tillägg."


def test_an_empty_goal_cannot_be_marked_ready(client, editor, goal_row, goal_url):
    client.force_login(editor)
    _, data = shown_form(client, goal_url)
    response = client.post(goal_url, {**data, "action": "ready", "analysis": "Bara analys"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Välj en bedömning innan du klarmarkerar." in html
    assert "Bara analys" in html
    goal_row.refresh_from_db()
    assert not goal_row.ready and goal_row.analysis == ""


@pytest.mark.parametrize(
    "page",
    [
        "summary",
        "internal_control",
        "section",
        "cover_memo",
        "goal",
        "activity",
        "indicator",
        "budget_row",
        "economy_text",
    ],
)
def test_every_item_form_offers_klarmarkera_and_undoing_it(client, editor, report, page):
    url = entry_urls(report)[page]
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert 'name="action" value="ready"' in html
    assert ">Klarmarkera<" in html
    assert 'type="hidden" name="version"' in html


def test_after_a_conflict_the_buttons_follow_the_saved_row(
    report, editor, administrator, goal_row, goal_url
):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(administrator)
    _, first_data = shown_form(first, goal_url)
    _, second_data = shown_form(second, goal_url)
    first.post(goal_url, {**first_data, "assessment": "full", "analysis": "A", "action": "ready"})
    response = second.post(goal_url, {**second_data, "analysis": "B"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ångra klarmarkering" in html
    assert "Klarmarkerad" in html
