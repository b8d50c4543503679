"""Every data-entry view against the permission ladder, the draft rule, unknown ids and
garbage input."""

import pytest
from django.urls import reverse

from goals.models import GoalAssessment
from reporting.models import Report
from tests.entry_helpers import entry_urls, snapshot
from tests.factories import make_report

ENTRY_PAGES = [
    "workspace",
    "next_report",
    "summary",
    "internal_control",
    "section",
    "section_create",
    "section_delete",
    "cover_memo",
    "goal",
    "activity",
    "indicator",
    "budget_row",
    "economy_text",
    "income_statement",
    "investments",
]
FORM_PAGES = [p for p in ENTRY_PAGES if p not in ("workspace", "next_report", "section_delete")]


@pytest.fixture
def urls(report):
    return entry_urls(report)


@pytest.mark.parametrize("page", ENTRY_PAGES)
def test_anonymous_is_sent_to_the_login_page(client, urls, page):
    response = client.get(urls[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", ENTRY_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("reader", 403),
        ("approver", 403),
        ("editor", 200),
        ("administrator", 200),
        ("superuser", 200),
    ],
)
def test_every_entry_page_follows_the_permission_ladder(
    client, request, urls, page, persona, status
):
    if (persona, page) == ("approver", "workspace"):
        status = 200  # the approver follows the outline and progress, read-only
    client.force_login(request.getfixturevalue(persona))
    assert client.get(urls[page]).status_code == status


@pytest.mark.parametrize("page", FORM_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"), [("outsider", 404), ("reader", 403), ("approver", 403)]
)
def test_a_post_from_someone_who_may_not_write_is_refused(
    client, request, urls, page, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(urls[page], {"version": "1", "analysis": "x"}).status_code == status


def test_the_403_page_says_why_in_swedish(client, reader, urls):
    client.force_login(reader)
    response = client.get(urls["goal"])
    assert "Du har inte behörighet att ändra rapporten." in response.content.decode()


# -- only a draft can be edited --------------------------------------------------------------


@pytest.fixture
def submitted(report):
    report.status = Report.Status.SUBMITTED
    report.save()
    return report


@pytest.mark.parametrize("page", FORM_PAGES + ["section_delete"])
def test_a_report_that_is_not_a_draft_cannot_be_opened_for_editing(
    client, editor, urls, submitted, page
):
    client.force_login(editor)
    response = client.get(urls[page])
    assert response.status_code == 403
    html = response.content.decode()
    assert "Inskickad för granskning" in html
    assert "kan inte ändras" in html


def test_a_post_to_a_report_that_is_not_a_draft_changes_nothing(client, editor, urls, submitted):
    row = GoalAssessment.objects.get(report=submitted, board_goal__isnull=False)
    client.force_login(editor)
    response = client.post(urls["goal"], {"version": "1", "assessment": "full", "analysis": "Ny"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.assessment, row.analysis, row.version) == ("", "", 1)


def test_the_workspace_of_a_submitted_report_shows_why_it_is_locked(
    client, editor, urls, submitted
):
    client.force_login(editor)
    response = client.get(urls["workspace"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "kan inte ändras" in html
    assert urls["goal"] not in html  # no links into forms that would refuse


# -- unknown ids, ids of another report, non-numeric ids -------------------------------------


def test_an_item_of_another_report_is_not_found_through_this_report(client, editor, board, report):
    other = make_report(board, 2020)
    client.force_login(editor)
    for page, url in entry_urls(other).items():
        if page in ("goal", "activity", "indicator", "budget_row", "section", "section_delete"):
            foreign = url.replace(f"/rapporter/{other.pk}/", f"/rapporter/{report.pk}/")
            assert client.get(foreign).status_code == 404, page
            assert client.post(foreign, {"version": "1"}).status_code == 404, page


@pytest.mark.parametrize(
    "path",
    [
        "/rapporter/999999/arbeta/",
        "/rapporter/abc/arbeta/",
        "/rapporter/{pk}/mal/999999/",
        "/rapporter/{pk}/mal/x/",
        "/rapporter/{pk}/indikatorer/999999/",
        "/rapporter/{pk}/aktiviteter/-1/",
        "/rapporter/{pk}/ekonomi/driftbudget/999999/",
        "/rapporter/{pk}/avsnitt/999999/",
        "/rapporter/{pk}/avsnitt/999999/ta-bort/",
        "/rapporter/999999/tjansteutlatande/",
    ],
)
def test_unknown_ids_are_404(client, editor, report, path):
    client.force_login(editor)
    assert client.get(path.format(pk=report.pk)).status_code == 404


def test_the_summary_of_a_section_url_cannot_be_edited_as_another_section(client, editor, report):
    client.force_login(editor)
    client.post(reverse("reporting:summary_edit", args=[report.pk]), {"version": "0", "text": "S"})
    summary = report.sections.get(kind="summary")
    url = reverse("reporting:section_edit", args=[report.pk, summary.pk])
    assert client.get(url).status_code == 404


# -- no 500 for any input --------------------------------------------------------------------

GARBAGE = [
    {},
    {"version": "abc"},
    {"version": "-5", "action": "explode"},
    {"version": "1", "assessment": "<script>", "status": "??", "kind": "x", "date": "31/12/2019"},
    {"version": "99999999999999999999999"},
    {
        "version": "1",
        "outcome": "1e999",
        "budget": "9" * 40,
        "forecast": "NaN",
        "rader-TOTAL_FORMS": "x",
        "rader-INITIAL_FORMS": "7",
        "justeringar-TOTAL_FORMS": "3",
        "justeringar-INITIAL_FORMS": "0",
        "forslag-TOTAL_FORMS": "2",
        "forslag-INITIAL_FORMS": "1",
        "forslag-0-id": "abc",
        "move": "forslag-0-upp",
    },
    {"move": "nonsense", "version": "0", "forslag-TOTAL_FORMS": "100000"},
]


@pytest.mark.parametrize("page", FORM_PAGES)
@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_input_never_gives_a_500_and_writes_nothing(
    client, editor, urls, page, report, data
):
    client.force_login(editor)
    before = snapshot(report)
    response = client.post(urls[page], data)
    assert response.status_code in (200, 302, 409)
    assert snapshot(report) == before


def test_garbage_sent_to_delete_a_section_deletes_nothing(client, editor, urls, report):
    client.force_login(editor)
    for data in GARBAGE:
        if data.get("version") == "1":
            continue  # the section's actual version: that is a real deletion
        assert client.post(urls["section_delete"], data).status_code == 302
    assert report.sections.filter(kind="other").exists()


def test_garbage_sent_to_create_the_next_report_gives_no_500(client, editor, urls):
    client.force_login(editor)
    for data in GARBAGE:
        assert client.post(urls["next_report"], data).status_code == 302


@pytest.mark.parametrize("page", FORM_PAGES)
def test_a_post_with_missing_fields_gives_form_errors_and_saves_nothing(
    client, editor, urls, page, report
):
    client.force_login(editor)
    before = snapshot(report)
    response = client.post(urls[page], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Det du skrev är inte sparat" in html or "inte skapat" in html
    assert snapshot(report) == before


def test_a_missing_text_field_is_reported_at_the_field_not_saved_as_empty(
    client, editor, urls, report
):
    row = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    row.analysis = "Befintlig analys"
    row.save()
    client.force_login(editor)
    response = client.post(urls["goal"], {"version": "1", "assessment": "full"})
    assert response.status_code == 200
    assert "Uppgiften saknas i det som skickades" in response.content.decode()
    row.refresh_from_db()
    assert row.analysis == "Befintlig analys"
    assert row.assessment == ""
