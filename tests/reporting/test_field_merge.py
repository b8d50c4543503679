"""A save made from an older version is merged field by field with what someone else saved in
between (``reporting.editing.write_item``): different fields are both kept, the same field is
the conflict page with only that field beside, and what cannot be merged safely (rows of the
form's own, a base missing from the history) is the conflict page as before."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from budget.models import BudgetAdjustment, EconomySubsection, OperatingBudgetRow
from budget.services import neighbour_token
from goals.forms import GoalAssessmentForm
from goals.models import GoalAssessment
from indicators.models import IndicatorValue
from reporting.editing import (
    CONFLICT_MESSAGE,
    SAME_FIELDS_MESSAGE,
    Conflict,
    save_item,
    write_item,
)
from tests.entry_helpers import entry_urls, form_data, shown_form
from tests.reporting.test_entry_sections import make_memo, proposals

FIGURES = {"outcome": "85", "outcome_men": "84", "outcome_women": "86"}


@pytest.fixture
def statistician(administrator):
    administrator.first_name, administrator.last_name = "Stina", "Statistiker"
    administrator.save()
    return administrator


def logged_in(*users) -> list[Client]:
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def page_after(client: Client, response) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


# -- different fields: both kept ----------------------------------------------------------------


def test_outcome_by_one_and_analysis_by_another_are_both_kept(report, editor, statistician):
    url = entry_urls(report)["indicator"]
    value = IndicatorValue.objects.get(report=report)
    figures_client, text_client = logged_in(statistician, editor)
    _, figures_data = shown_form(figures_client, url)
    _, text_data = shown_form(text_client, url)

    assert figures_client.post(url, {**figures_data, **FIGURES}).status_code == 302
    response = text_client.post(url, {**text_data, "analysis": "Andelen nöjda ökar."})

    html = page_after(text_client, response)
    assert "Sparat." in html
    assert (
        "Stina Statistiker ändrade Periodens utfall, Utfall män/pojkar och Utfall "
        "kvinnor/flickor medan du skrev; båda ändringarna är sparade."
    ) in html
    value.refresh_from_db()
    assert (value.outcome, value.outcome_men, value.outcome_women) == (
        Decimal("85"),
        Decimal("84"),
        Decimal("86"),
    )
    assert (value.analysis, value.version) == ("Andelen nöjda ökar.", 3)
    records = value.history.order_by("version", "history_id")
    assert [(r.version, r.outcome, r.analysis, r.history_user) for r in records][-2:] == [
        (2, Decimal("85"), "", statistician),
        (3, Decimal("85"), "Andelen nöjda ökar.", editor),
    ]


def test_a_merged_save_reads_one_query_more_than_a_plain_save(report, django_assert_num_queries):
    row = GoalAssessment.objects.get(report=report, board_goal__isnull=False)

    def loaded_at_version_1(assessment: str, analysis: str) -> GoalAssessmentForm:
        posted = {"version": "1", "assessment": assessment, "analysis": analysis}
        form = GoalAssessmentForm(posted, instance=row, report=report)
        assert form.is_valid()
        return form

    first, second = loaded_at_version_1("", "Första."), loaded_at_version_1("full", "")
    with django_assert_num_queries(6):  # savepoint, report, row, update, history, release
        save_item(first, GoalAssessment, {"pk": row.pk})
    with django_assert_num_queries(7):  # the same and the base from the history
        saved, merged = write_item(second, GoalAssessment, {"pk": row.pk})
    assert (saved.assessment, saved.analysis, saved.version) == ("full", "Första.", 3)
    assert merged.theirs == ("Analys",) and merged.wrote


# -- the same field: the conflict page, with that field only ------------------------------------


def test_the_same_field_changed_by_both_is_a_conflict_listing_that_field_only(
    report, editor, statistician
):
    url = entry_urls(report)["indicator"]
    value = IndicatorValue.objects.get(report=report)
    first, second = logged_in(statistician, editor)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    first.post(url, {**first_data, **FIGURES, "analysis": "Första analysen."})

    response = second.post(url, {**second_data, "analysis": "Andra analysen."})

    assert response.status_code == 409
    assert response.context["conflict"].message == SAME_FIELDS_MESSAGE
    differences = response.context["conflict"].differences
    assert [(d.label, d.yours, d.theirs) for d in differences] == [
        ("Analys", "Andra analysen.", "Första analysen.")
    ]
    value.refresh_from_db()
    assert (value.analysis, value.outcome, value.version) == ("Första analysen.", 85, 2)
    # the form keeps the person's own analysis and takes the figures only the other changed
    form = response.context["form"]
    assert form["analysis"].value() == "Andra analysen."
    assert form["outcome"].value() == "85"
    assert form["version"].value() == "2"
    # so that saving it again replaces the analysis and nothing else
    assert second.post(url, form_data(form)).status_code == 302
    value.refresh_from_db()
    assert (value.analysis, value.outcome, value.outcome_women) == ("Andra analysen.", 85, 86)


def test_ten_saves_of_the_same_field_from_one_version_accept_one_and_refuse_nine(report):
    row = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    forms = []
    for i in range(10):
        posted = {"version": "1", "assessment": "", "analysis": f"Text {i}."}
        form = GoalAssessmentForm(posted, instance=row, report=report)
        assert form.is_valid()
        forms.append(form)
    accepted, refused = [], []
    for form in forms:
        try:
            save_item(form, GoalAssessment, {"pk": row.pk})
        except Conflict as error:
            assert error.fields == {"analysis"}
            refused.append(form)
        else:
            accepted.append(form)
    assert (len(accepted), len(refused)) == (1, 9)
    row.refresh_from_db()
    assert (row.analysis, row.version) == ("Text 0.", 2)


# -- a move is not a change of the text ---------------------------------------------------------


def test_a_text_saved_from_the_form_before_a_move_is_kept_with_the_move(
    report, editor, administrator
):
    subsections = list(EconomySubsection.objects.filter(report=report).order_by("position"))
    assert len(subsections) >= 2
    moved, below = subsections[0], subsections[1]
    url = entry_urls(report)["economy_subsection"]
    writer, mover = logged_in(editor, administrator)
    _, data = shown_form(writer, url)
    move = reverse("budget:economy_subsection_move", args=[report.pk, moved.pk])
    mover.post(move, {"riktning": "ned", "version": "1", "granne": neighbour_token(below)})
    moved.refresh_from_db()
    assert (moved.position, moved.version) == (2, 2)

    response = writer.post(url, {**data, "text": "Skrivet medan delavsnittet flyttades."})

    html = page_after(writer, response)
    assert "sekreterare ändrade Ordning medan du skrev; båda ändringarna är sparade." in html
    moved.refresh_from_db()
    assert (moved.text, moved.position, moved.version) == (
        "Skrivet medan delavsnittet flyttades.",
        2,
        3,
    )


# -- what is not merged: as before ----------------------------------------------------------------


def test_adjustments_changed_by_someone_else_are_a_conflict_as_before(
    report, editor, administrator
):
    url = entry_urls(report)["budget_row"]
    row = OperatingBudgetRow.objects.get(report=report)
    first, second = logged_in(administrator, editor)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    adjustment = {"justeringar-0-label": "Resultatöverföring", "justeringar-0-amount": "2,5"}
    assert first.post(url, {**first_data, **adjustment}).status_code == 302

    response = second.post(url, {**second_data, "comment": "Överskott av vakanser."})

    assert response.status_code == 409
    assert response.context["conflict"].message == CONFLICT_MESSAGE
    labels = [d.label for d in response.context["conflict"].differences]
    assert labels == ["Kommentar", "Justeringar"]
    row.refresh_from_db()
    assert (row.comment, row.version) == ("", 2)
    assert list(BudgetAdjustment.objects.filter(row=row).values_list("label", flat=True)) == [
        "Resultatöverföring"
    ]


def test_a_budget_row_whose_adjustments_are_as_saved_is_merged(report, editor, administrator):
    url = entry_urls(report)["budget_row"]
    row = OperatingBudgetRow.objects.get(report=report)
    first, second = logged_in(administrator, editor)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    assert first.post(url, {**first_data, "budget": "88"}).status_code == 302

    response = second.post(url, {**second_data, "comment": "Överskott av vakanser."})

    assert "ändrade Budget medan du skrev" in page_after(second, response)
    row.refresh_from_db()
    assert (row.budget, row.comment, row.version) == (88, "Överskott av vakanser.", 3)


def test_a_cover_memo_whose_lists_are_as_saved_is_merged(report, editor, administrator):
    memo = make_memo(report)
    url = entry_urls(report)["cover_memo"]
    first, second = logged_in(administrator, editor)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    assert first.post(url, {**first_data, "case_officer": "Anna Ek"}).status_code == 302

    response = second.post(url, {**second_data, "title": "Verksamhetsberättelse 2019"})

    assert "ändrade Handläggare medan du skrev" in page_after(second, response)
    memo.refresh_from_db()
    assert (memo.title, memo.case_officer, memo.version) == (
        "Verksamhetsberättelse 2019",
        "Anna Ek",
        3,
    )
    assert proposals(memo) == ["Ett.", "Två.", "Tre."]


def test_a_proposal_added_by_someone_else_is_a_conflict_as_before(report, editor, administrator):
    memo = make_memo(report)
    url = entry_urls(report)["cover_memo"]
    first, second = logged_in(administrator, editor)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    assert first.post(url, {**first_data, "forslag-3-text": "Fyra."}).status_code == 302

    response = second.post(url, {**second_data, "title": "Verksamhetsberättelse 2019"})

    assert response.status_code == 409
    assert response.context["conflict"].message == CONFLICT_MESSAGE
    memo.refresh_from_db()
    assert (memo.title, memo.version) == ("Tjänsteutlåtande", 2)
    assert proposals(memo) == ["Ett.", "Två.", "Tre.", "Fyra."]


def test_a_base_missing_from_the_history_is_a_conflict_as_before(report, editor, administrator):
    url = entry_urls(report)["goal"]
    row = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    GoalAssessment.history.filter(id=row.pk, version=1).delete()
    first, second = logged_in(administrator, editor)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    assert first.post(url, {**first_data, "assessment": "full"}).status_code == 302

    response = second.post(url, {**second_data, "analysis": "Min analys."})

    assert response.status_code == 409
    assert response.context["conflict"].message == CONFLICT_MESSAGE
    labels = [d.label for d in response.context["conflict"].differences]
    assert labels == ["Bedömning", "Analys"]  # every field that differs, as before
    row.refresh_from_db()
    assert (row.assessment, row.analysis, row.version) == ("full", "", 2)


def test_a_base_the_history_tells_two_ways_is_a_conflict_as_before(report, editor, statistician):
    url = entry_urls(report)["indicator"]
    value = IndicatorValue.objects.get(report=report)
    value.period_label = "Januari–augusti"
    value.save()  # a second record of version 1, telling another period
    first, second = logged_in(statistician, editor)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    assert first.post(url, {**first_data, **FIGURES}).status_code == 302

    response = second.post(url, {**second_data, "analysis": "Min analys."})

    assert response.status_code == 409
    value.refresh_from_db()
    assert (value.outcome, value.analysis, value.version) == (85, "", 2)


# -- the ready mark ------------------------------------------------------------------------------


@pytest.fixture
def written_goal(report):
    row = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    row.assessment, row.analysis, row.version = "full", "Målet uppfylls.", 2
    row.save()
    return row


def test_a_ready_mark_and_an_analysis_from_an_older_form_are_both_kept(
    report, editor, administrator, written_goal
):
    url = entry_urls(report)["goal"]
    marker, writer = logged_in(administrator, editor)
    _, marker_data = shown_form(marker, url)
    _, writer_data = shown_form(writer, url)
    assert marker.post(url, {**marker_data, "action": "ready"}).status_code == 302

    response = writer.post(url, {**writer_data, "analysis": "Målet uppfylls, med tillägg."})

    assert "ändrade Klarmarkering medan du skrev" in page_after(writer, response)
    written_goal.refresh_from_db()
    assert written_goal.ready
    assert (written_goal.analysis, written_goal.version) == ("Målet uppfylls, med tillägg.", 4)


def test_undoing_the_mark_while_someone_marks_it_ready_is_a_conflict(
    report, editor, administrator, written_goal
):
    written_goal.ready, written_goal.version = True, 3
    written_goal.save()
    url = entry_urls(report)["goal"]
    undoer, marker = logged_in(administrator, editor)
    _, undoer_data = shown_form(undoer, url)
    _, marker_data = shown_form(marker, url)
    assert undoer.post(url, {**undoer_data, "action": "unready"}).status_code == 302

    response = marker.post(url, {**marker_data, "action": "ready"})

    assert response.status_code == 409
    differences = response.context["conflict"].differences
    assert [(d.label, d.yours, d.theirs) for d in differences] == [
        ("Klarmarkering", "Klarmarkerad", "Inte klarmarkerad")
    ]
    assert "Inte klarmarkerad" in response.content.decode()
    written_goal.refresh_from_db()
    assert not written_goal.ready and written_goal.version == 4


def test_marking_ready_from_a_form_older_than_someone_elses_text_is_a_conflict(
    report, editor, administrator, written_goal
):
    """ "Klarmarkera" vouches for the content the person sees: marking ready from a form loaded
    before someone else changed the analysis shows that change first instead of marking a text
    the person has not read."""
    url = entry_urls(report)["goal"]
    writer, marker = logged_in(editor, administrator)
    _, writer_data = shown_form(writer, url)
    _, marker_data = shown_form(marker, url)
    assert (
        writer.post(url, {**writer_data, "analysis": "Målet uppfylls delvis."}).status_code == 302
    )

    response = marker.post(url, {**marker_data, "action": "ready"})

    assert response.status_code == 409
    differences = response.context["conflict"].differences
    assert [d.theirs for d in differences] == ["Målet uppfylls delvis."]
    written_goal.refresh_from_db()
    assert not written_goal.ready
    assert written_goal.analysis == "Målet uppfylls delvis."
    page = response.content.decode()
    assert "så det är inte klarmarkerat" in page
    # the form now holds their text: marking ready again marks what the person has read
    again = response.context["form"]
    assert again["analysis"].value() == "Målet uppfylls delvis."


def test_a_text_saved_from_a_form_opened_before_a_subsection_was_added_above_is_merged(
    report, editor, administrator
):
    """Adding a subsection first renumbers the others; each renumbered row gets a version of
    its own in the history, so the state the writer's form was loaded at is known, and the
    save merges with the new place and with a heading someone changed since."""
    first = EconomySubsection.objects.filter(report=report).order_by("position").first()
    url = reverse("budget:economy_subsection_edit", args=[report.pk, first.pk])
    writer, other = logged_in(editor, administrator)
    _, data = shown_form(writer, url)
    response = other.post(
        reverse("budget:economy_subsection_create", args=[report.pk]),
        {"heading": "Inledning till ekonomin", "text": "Kort inledning.", "after": "0"},
    )
    assert response.status_code == 302
    _, other_data = shown_form(other, url)
    assert other.post(url, {**other_data, "heading": "Ny rubrik"}).status_code == 302

    response = writer.post(url, {**data, "text": "Skrivet medan ett delavsnitt lades till."})

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.heading, first.text, first.position) == (
        "Ny rubrik",
        "Skrivet medan ett delavsnitt lades till.",
        2,
    )
