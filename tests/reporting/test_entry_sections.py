"""The summary, the internal control, other sections and the cover memo."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import CoverMemo, MemoAttachment, ProposedDecision, Section, Signatory
from tests.entry_helpers import entry_urls, form_data, shown_form


def test_the_summary_is_created_at_the_first_save_and_placed_first(client, editor, report):
    url = entry_urls(report)["summary"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    assert client.post(url, {**data, "text": "Året i korthet.\n\n- Punkt"}).status_code == 302
    summary = Section.objects.get(report=report, kind="summary")
    assert (summary.text, summary.position, summary.version) == ("Året i korthet.\n\n- Punkt", 0, 1)
    _, data = shown_form(client, url)
    assert data["version"] == "1"
    client.post(url, {**data, "text": "Ändrad.", "action": "ready"})
    summary.refresh_from_db()
    assert (summary.text, summary.ready, summary.version) == ("Ändrad.", True, 2)


def test_internal_control_has_its_own_scale(client, editor, report):
    url = entry_urls(report)["internal_control"]
    client.force_login(editor)
    form, data = shown_form(client, url)
    html = client.get(url).content.decode()
    for label in ["Tillräcklig", "Delvis tillräcklig", "Ej tillräcklig"]:
        assert label in html
    assert "Uppfylls" not in html
    response = client.post(url, {**data, "assessment": "partly", "text": "Två brister."})
    assert response.status_code == 302
    section = Section.objects.get(report=report, kind="internal_control")
    assert (section.assessment, section.text) == ("partly", "Två brister.")
    response = client.post(url, {**data, "version": "1", "assessment": "full", "text": "x"})
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_internal_control_needs_an_assessment_and_a_text_to_be_ready(client, editor, report):
    url = entry_urls(report)["internal_control"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    html = client.post(url, {**data, "action": "ready"}).content.decode()
    assert "Välj en bedömning innan du klarmarkerar." in html
    assert "Skriv en analys innan du klarmarkerar." in html
    assert not Section.objects.filter(report=report, kind="internal_control").exists()


def test_another_section_is_created_edited_and_removed(client, editor, report):
    client.force_login(editor)
    create = reverse("reporting:section_create", args=[report.pk])
    html = client.post(create, {"version": "0", "title": "", "text": "Text"}).content.decode()
    assert "Ange en rubrik för avsnittet." in html
    response = client.post(
        create, {"version": "0", "title": "Kvalitetsarbete", "text": "Lex Sarah"}
    )
    section = Section.objects.get(report=report, kind="other")
    assert response.url == reverse("reporting:section_edit", args=[report.pk, section.pk])
    url = response.url
    _, data = shown_form(client, url)
    client.post(url, {**data, "title": "Kvalitet", "text": "Klagomål"})
    section.refresh_from_db()
    assert (section.title, section.text) == ("Kvalitet", "Klagomål")
    delete = reverse("reporting:section_delete", args=[report.pk, section.pk])
    assert "Ta bort avsnittet ”Kvalitet”?" in client.get(delete).content.decode()
    client.post(delete, {"version": "1"})  # stale: it is at version 2 now
    assert Section.objects.filter(pk=section.pk).exists()
    client.post(delete, {"version": "2"})
    assert not Section.objects.filter(pk=section.pk).exists()


def test_new_sections_go_after_the_others(client, editor, report):
    client.force_login(editor)
    create = reverse("reporting:section_create", args=[report.pk])
    for title in ["Kvalitetsarbete", "Medarbetare"]:
        client.post(create, {"version": "0", "title": title, "text": ""})
    titles = list(Section.objects.filter(report=report).order_by("position").values_list("title"))
    assert titles == [("Kvalitetsarbete",), ("Medarbetare",)]


# -- cover memo ------------------------------------------------------------------------------


@pytest.fixture
def memo_url(report):
    return entry_urls(report)["cover_memo"]


def test_the_cover_memo_with_its_lists_is_created_at_the_first_save(
    client, editor, report, memo_url
):
    client.force_login(editor)
    _, data = shown_form(client, memo_url)
    data.update(
        {
            "title": "Verksamhetsberättelse 2019 för Socialnämnden",
            "case_officer": "Anna Ek",
            "phone": "08-508 25 000",
            "to": "Socialnämnden",
            "date": "2020-01-28",
            "dnr": "1.2.3-45/2020",
            "forslag-0-text": "Socialnämnden godkänner verksamhetsberättelsen för 2019.",
            "undertecknare-0-name": "Eva Lind",
            "undertecknare-0-title": "Förvaltningschef",
            "bilagor-0-title": "Verksamhetsberättelse 2019",
        }
    )
    response = client.post(memo_url, data)
    assert response.status_code == 302
    memo = CoverMemo.objects.get(report=report)
    assert (memo.title, memo.date, memo.version) == (
        "Verksamhetsberättelse 2019 för Socialnämnden",
        date(2020, 1, 28),
        1,
    )
    assert list(memo.proposed_decisions.values_list("position", "text")) == [
        (1, "Socialnämnden godkänner verksamhetsberättelsen för 2019.")
    ]
    assert list(memo.signatories.values_list("name", "title")) == [("Eva Lind", "Förvaltningschef")]
    assert list(memo.attachments.values_list("title", flat=True)) == ["Verksamhetsberättelse 2019"]


def make_memo(report) -> CoverMemo:
    memo = CoverMemo.objects.create(report=report, title="Tjänsteutlåtande")
    for position, text in enumerate(["Ett.", "Två.", "Tre."], start=1):
        ProposedDecision.objects.create(cover_memo=memo, position=position, text=text)
    Signatory.objects.create(cover_memo=memo, position=1, name="Eva Lind", title="Chef")
    MemoAttachment.objects.create(cover_memo=memo, position=1, title="Bilaga 1")
    return memo


def proposals(memo) -> list[str]:
    return list(memo.proposed_decisions.order_by("position").values_list("text", flat=True))


def test_proposals_are_added_to_the_end(client, editor, report, memo_url):
    memo = make_memo(report)
    client.force_login(editor)
    _, data = shown_form(client, memo_url)
    client.post(memo_url, {**data, "forslag-3-text": "Fyra."})
    assert proposals(memo) == ["Ett.", "Två.", "Tre.", "Fyra."]
    assert list(memo.proposed_decisions.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_a_proposal_is_removed_and_the_rest_renumbered(client, editor, report, memo_url):
    memo = make_memo(report)
    client.force_login(editor)
    _, data = shown_form(client, memo_url)
    client.post(memo_url, {**data, "forslag-1-DELETE": "on"})
    assert proposals(memo) == ["Ett.", "Tre."]
    assert list(memo.proposed_decisions.values_list("position", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("move", "expected"),
    [
        ("forslag-2-upp", ["Ett.", "Tre.", "Två."]),
        ("forslag-0-ned", ["Två.", "Ett.", "Tre."]),
        ("forslag-0-upp", ["Ett.", "Två.", "Tre."]),
        ("forslag-2-ned", ["Ett.", "Två.", "Tre."]),
    ],
)
def test_up_and_down_buttons_reorder_without_javascript(
    client, editor, report, memo_url, move, expected
):
    memo = make_memo(report)
    client.force_login(editor)
    _, data = shown_form(client, memo_url)
    response = client.post(memo_url, {**data, "move": move, "forslag-1-text": "Två."})
    assert response.status_code == 302
    assert response.url.endswith("#forslag")
    assert proposals(memo) == expected


def test_the_up_and_down_buttons_are_submit_buttons_with_names(client, editor, report, memo_url):
    make_memo(report)
    client.force_login(editor)
    html = client.get(memo_url).content.decode()
    assert re.search(r'<button type="submit" name="move" value="forslag-1-upp"', html)
    assert 'aria-label="Flytta förslag 2 upp"' in html
    # Enter in a text field saves rather than moving a row: the first button saves.
    first_button = re.search(r"<button[^>]*>", html[html.index('class="item-form"') :]).group(0)
    assert 'value="save"' in first_button


def test_a_bad_date_is_an_error_in_swedish_and_the_lists_are_kept(client, editor, report, memo_url):
    make_memo(report)
    client.force_login(editor)
    _, data = shown_form(client, memo_url)
    response = client.post(memo_url, {**data, "date": "28/1 2020", "forslag-3-text": "Fyra."})
    html = response.content.decode()
    assert "Skriv datumet som ÅÅÅÅ-MM-DD" in html
    assert 'value="28/1 2020"' in html
    assert "Fyra.</textarea>" in html
    assert ProposedDecision.objects.count() == 3


def test_the_memo_needs_a_title_and_a_proposal_to_be_ready(client, editor, report, memo_url):
    client.force_login(editor)
    _, data = shown_form(client, memo_url)
    html = client.post(memo_url, {**data, "action": "ready"}).content.decode()
    assert "Ange ärendets titel innan du klarmarkerar." in html
    assert "Skriv minst ett förslag till beslut innan du klarmarkerar." in html
    data.update(title="T", **{"forslag-0-text": "Godkänner."}, action="ready")
    assert client.post(memo_url, data).status_code == 302
    assert CoverMemo.objects.get(report=report).ready


def test_a_conflict_on_the_memo_shows_both_lists(report, editor, administrator, memo_url):
    make_memo(report)
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(administrator)
    _, first_data = shown_form(first, memo_url)
    _, second_data = shown_form(second, memo_url)
    first.post(memo_url, {**first_data, "forslag-0-text": "Ett, enligt första."})
    response = second.post(memo_url, {**second_data, "forslag-0-text": "Ett, enligt andra."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ett, enligt första." in html and "Ett, enligt andra." in html
    assert proposals(CoverMemo.objects.get(report=report))[0] == "Ett, enligt första."
    again = form_data(response.context["form"])
    assert again["forslag-0-text"] == "Ett, enligt andra."
