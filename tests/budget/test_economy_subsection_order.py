"""The order of the economy's subsections in the workspace: "Flytta upp" / "Flytta ned" in the
outline, safe when two people work at once, followed by the document, its table of contents
and the export; and "Ta bort delavsnittet", which never lets a table leave the document
unnoticed."""

import re
from html import unescape
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from budget.models import EconomySubsection, EconomyTable
from budget.services import ORDER_CHANGED
from goals.models import BoardGoal
from reporting.access import get_report_for_user
from reporting.assemble import build_report_data
from reporting.interchange import to_json
from reporting.models import Membership, Report, Responsibility, Role
from reporting.render import Document, render_html, render_print_html
from tests.entry_helpers import shown_form, snapshot
from tests.factories import make_report, make_user
from tests.reporting.test_economy_subsections import three_subsections
from tests.reporting.test_write_races import approving_after_the_check

BUDGET, INCOME, RETURNED = (
    "Uppföljning av driftbudget",
    "Intäkts- och kostnadsutveckling",
    "Återredovisning av medel för nyanlända",
)
UNITS = "Resultatenheter"


@pytest.fixture
def report(board):
    """Four subsections: the operating budget's, the income statement's, one with a free
    table, and Resultatenheter, which holds no table."""
    report = make_report(board, areas=2)
    three_subsections(report, paragraphs=1)
    EconomySubsection.objects.create(
        report=report, position=4, heading=UNITS, text="Inte aktuellt.", tables=[]
    )
    return report


def workspace_url(report) -> str:
    return reverse("reporting:workspace", args=[report.pk])


def subsection(report, heading: str) -> EconomySubsection:
    return EconomySubsection.objects.get(report=report, heading=heading)


def order(report) -> list[str]:
    return list(
        EconomySubsection.objects.filter(report=report)
        .order_by("position", "pk")
        .values_list("heading", flat=True)
    )


def saved(report) -> list[tuple]:
    """The subsections as stored: what a refused move must leave exactly as it was."""
    return list(
        EconomySubsection.objects.filter(report=report)
        .order_by("pk")
        .values_list("pk", "position", "version", "updated_at")
    )


def printed(report) -> tuple[list[str], list[str], list[str]]:
    """The subsections' headings in the order of the document's HTML, of its table of contents
    and of the table of contents in the print HTML (what WeasyPrint receives)."""
    data = build_report_data(report)
    html = render_html(data)
    headings = [h for h in (BUDGET, INCOME, RETURNED, UNITS) if h in html]
    in_document = sorted(headings, key=html.index)
    in_toc = [e.text for e in Document(data).toc if e.text in headings]
    toc = render_print_html(data).split('class="doc-toc"', 1)[1].split("</nav>", 1)[0]
    in_print_toc = sorted(headings, key=toc.index)
    return in_document, in_toc, in_print_toc


def move_buttons(html: str) -> dict[str, dict]:
    """The outline's move buttons by their accessible name, each with the data its form
    posts and where."""
    buttons = {}
    for form in re.findall(
        r"<form method=\"post\" action=\"([^\"]+/flytta/)\">(.*?)</form>", html, re.S
    ):
        action, body = form
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))
        fields.pop("csrfmiddlewaretoken", None)  # the test client does not check it
        label = unescape(re.search(r'aria-label="([^"]+)"', body).group(1))
        text = re.search(r">([^<>]+)</button>", body).group(1)
        buttons[label] = {"url": action, "data": fields, "text": text}
    return buttons


def shown_buttons(client, report) -> dict[str, dict]:
    response = client.get(workspace_url(report))
    assert response.status_code == 200
    return move_buttons(response.content.decode())


def press(client, button: dict):
    return client.post(button["url"], button["data"])


def test_the_outline_offers_up_and_down_with_names_that_say_which_subsection(
    client, editor, report
):
    client.force_login(editor)
    buttons = shown_buttons(client, report)
    assert sorted(buttons) == sorted(
        [
            f"Flytta ned delavsnittet {BUDGET}",
            f"Flytta upp delavsnittet {INCOME}",
            f"Flytta ned delavsnittet {INCOME}",
            f"Flytta upp delavsnittet {RETURNED}",
            f"Flytta ned delavsnittet {RETURNED}",
            f"Flytta upp delavsnittet {UNITS}",
        ]
    )  # the first has no "upp", the last no "ned"
    assert buttons[f"Flytta upp delavsnittet {INCOME}"]["text"] == "Flytta upp"
    assert buttons[f"Flytta ned delavsnittet {INCOME}"]["text"] == "Flytta ned"
    income, budget = subsection(report, INCOME), subsection(report, BUDGET)
    assert buttons[f"Flytta upp delavsnittet {INCOME}"]["data"] == {
        "riktning": "upp",
        "version": str(income.version),
        "granne": f"{budget.pk}:{budget.version}",
    }
    # a filtered outline shows only some subsections: no buttons that would jump hidden ones
    html = client.get(workspace_url(report) + "?visa=ej-klara").content.decode()
    assert not move_buttons(html)


@pytest.mark.parametrize("persona", ["reader", "approver", "responsible_editor"])
def test_only_those_who_may_edit_the_economy_see_the_buttons_or_can_move(
    client, request, report, persona
):
    if persona == "responsible_editor":
        user = make_user("ansvarig", board=report.board, role=Role.EDITOR)
        Responsibility.objects.create(
            membership=Membership.objects.get(user=user),
            board_goal=BoardGoal.objects.filter(board=report.board).first(),
        )
    else:
        user = request.getfixturevalue(persona)
    editor = make_user("handlaggare", board=report.board, role=Role.EDITOR)
    client.force_login(editor)
    button = shown_buttons(client, report)[f"Flytta upp delavsnittet {INCOME}"]
    before = saved(report)

    client.force_login(user)
    page = client.get(workspace_url(report))
    if persona == "reader":
        assert page.status_code == 403  # readers do not see the working material at all
    else:
        assert page.status_code == 200 and not move_buttons(page.content.decode())
    assert press(client, button).status_code == 403
    assert saved(report) == before


def test_moving_down_and_up_changes_the_printed_order_and_the_table_of_contents(
    client, editor, report
):
    client.force_login(editor)
    start = [BUDGET, INCOME, RETURNED, UNITS]
    assert printed(report) == (start, start, start)

    button = shown_buttons(client, report)[f"Flytta ned delavsnittet {BUDGET}"]
    response = press(client, button)
    budget = subsection(report, BUDGET)
    assert response.status_code == 302
    assert response["Location"] == f"{workspace_url(report)}#ekonomi-delavsnitt-{budget.pk}"
    moved = [INCOME, BUDGET, RETURNED, UNITS]
    assert order(report) == moved
    assert printed(report) == (moved, moved, moved)
    html = client.get(response["Location"]).content.decode()
    assert f"Delavsnittet ”{BUDGET}” är flyttat ned." in html
    # the outline now shows the new order and offers moves from it
    assert html.index(f"delavsnittet {INCOME}") < html.index(f"delavsnittet {BUDGET}")

    press(client, shown_buttons(client, report)[f"Flytta upp delavsnittet {UNITS}"])
    moved = [INCOME, BUDGET, UNITS, RETURNED]
    assert order(report) == moved
    assert printed(report) == (moved, moved, moved)
    # the export and the page anchors follow the order
    economy = to_json(build_report_data(report))["economy"]
    assert [s["heading"] for s in economy["subsections"]] == moved


def test_a_move_is_recorded_in_the_history_with_who_made_it(client, editor, report):
    client.force_login(editor)
    press(client, shown_buttons(client, report)[f"Flytta upp delavsnittet {INCOME}"])
    for heading, position in ((INCOME, 1), (BUDGET, 2)):
        record = subsection(report, heading).history.order_by("-history_id").first()
        assert record.history_type == "~" and record.history_user == editor
        assert record.position == position
        assert record.prev_record.position == 3 - position
    history = client.get(
        reverse("reporting:report_history", args=[report.pk]) + "?modell=budget.economysubsection"
    ).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", unescape(history)).split())
    assert (
        f"handlaggare Ekonomi, delavsnitt ”{BUDGET}” – ordning (ändrad) ordning: före: 1 → efter: 2"
        in text
    )


def someone_else_moves(report):
    other = Client()
    other.force_login(make_user("kollega", board=report.board, role=Role.EDITOR))
    response = press(
        other,
        move_buttons(other.get(workspace_url(report)).content.decode())[
            f"Flytta upp delavsnittet {RETURNED}"
        ],
    )
    assert response.status_code == 302


def someone_else_adds_one_between(report):
    other = Client()
    other.force_login(make_user("kollega", board=report.board, role=Role.EDITOR))
    response = other.post(
        reverse("budget:economy_subsection_create", args=[report.pk]),
        {
            "heading": "Medel för lokaländamål",
            "text": "Inte aktuellt.",
            "after": str(subsection(report, BUDGET).pk),
        },
    )
    assert response.status_code == 302


def someone_else_removes_the_neighbour(report):
    subsection(report, BUDGET).delete()


@pytest.mark.parametrize(
    "meanwhile",
    [someone_else_moves, someone_else_adds_one_between, someone_else_removes_the_neighbour],
)
def test_a_move_from_an_outline_that_is_no_longer_the_order_is_refused(
    client, editor, report, meanwhile
):
    client.force_login(editor)
    button = shown_buttons(client, report)[f"Flytta upp delavsnittet {INCOME}"]
    meanwhile(report)
    now, before = order(report), saved(report)
    response = press(client, button)
    assert response.status_code == 302
    assert response["Location"] == f"{workspace_url(report)}#del-ekonomi"
    html = client.get(response["Location"]).content.decode()
    assert "Ordningen hann ändras av någon annan; här är den nu." in html
    assert order(report) == now and saved(report) == before
    # the outline shown with the message is the order as it is now
    assert sorted(now, key=lambda h: html.index(f'delavsnittet {h}"')) == now


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"riktning": "sidled", "version": "1", "granne": "1:1"},
        {"riktning": "upp", "version": "x" * 5000, "granne": ""},
        {"riktning": "upp"},
    ],
)
def test_garbage_sent_to_move_moves_nothing(client, editor, report, data):
    client.force_login(editor)
    before = saved(report)
    url = reverse("budget:economy_subsection_move", args=[report.pk, subsection(report, INCOME).pk])
    response = client.post(url, data)
    assert response.status_code == 302
    assert ORDER_CHANGED in client.get(response["Location"]).content.decode()
    assert saved(report) == before


def test_the_first_cannot_move_up_nor_the_last_down(client, editor, report):
    client.force_login(editor)
    budget, units = subsection(report, BUDGET), subsection(report, UNITS)
    before = saved(report)
    for row, direction in ((budget, "upp"), (units, "ned")):
        url = reverse("budget:economy_subsection_move", args=[report.pk, row.pk])
        data = {"riktning": direction, "version": str(row.version), "granne": f"{row.pk}:1"}
        assert client.post(url, data).status_code == 302
    assert saved(report) == before


def test_an_approved_report_cannot_be_reordered(client, editor, report):
    client.force_login(editor)
    button = shown_buttons(client, report)[f"Flytta ned delavsnittet {BUDGET}"]
    before = snapshot(report), saved(report)
    # approved between the view's check and the write: the write sees it under the lock
    with mock.patch(
        "budget.views.get_report_for_user", approving_after_the_check(get_report_for_user)
    ):
        response = press(client, button)
    assert response.status_code == 403
    assert "kan inte ändras" in response.content.decode()
    assert (snapshot(report), saved(report)) == before
    # and once approved, the workspace offers no moves and a move is refused
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert not shown_buttons(client, report)
    assert press(client, button).status_code == 403
    assert (snapshot(report), saved(report)) == before


# -- removal -----------------------------------------------------------------------------------


def delete_url(report, row) -> str:
    return reverse("budget:economy_subsection_delete", args=[report.pk, row.pk])


def test_a_subsection_without_tables_is_removed_after_a_confirmation(client, editor, report):
    client.force_login(editor)
    units = subsection(report, UNITS)
    edit = reverse("budget:economy_subsection_edit", args=[report.pk, units.pk])
    assert delete_url(report, units) in client.get(edit).content.decode()
    page = client.get(delete_url(report, units)).content.decode()
    assert f"Ta bort delavsnittet ”{UNITS}”?" in page and "det har inga tabeller" in page
    response = client.post(delete_url(report, units), {"version": str(units.version)})
    assert response.status_code == 302
    assert (
        f"Delavsnittet ”{UNITS}” är borttaget." in client.get(response["Location"]).content.decode()
    )
    assert order(report) == [BUDGET, INCOME, RETURNED]
    assert printed(report)[0] == [BUDGET, INCOME, RETURNED]
    record = units.history.order_by("-history_id").first()
    assert record.history_type == "-" and record.history_user == editor


@pytest.mark.parametrize(
    ("heading", "named"),
    [
        (BUDGET, "tabellen Driftbudget per verksamhetsområde står i det"),
        (RETURNED, "tabellen ”Återredovisning nyanlända, mnkr” står i det"),
    ],
)
def test_a_subsection_that_places_tables_is_not_removed_and_the_tables_are_named(
    client, editor, report, heading, named
):
    client.force_login(editor)
    row = subsection(report, heading)
    page = client.get(delete_url(report, row)).content.decode()
    assert named in unescape(page)
    assert "Ta bort delavsnittet</button>" not in page  # nothing to confirm
    before = saved(report), printed(report)
    response = client.post(delete_url(report, row), {"version": str(row.version)})
    assert response.status_code == 302 and response["Location"] == delete_url(report, row)
    assert named in unescape(client.get(response["Location"]).content.decode())
    assert (saved(report), printed(report)) == before
    assert EconomyTable.objects.filter(report=report, subsection__heading=RETURNED).exists()


def test_once_its_table_stands_elsewhere_the_subsection_can_be_removed(client, editor, report):
    client.force_login(editor)
    budget, units = subsection(report, BUDGET), subsection(report, UNITS)
    url = reverse("budget:economy_subsection_edit", args=[report.pk, budget.pk])
    _, data = shown_form(client, url)
    data["tables"] = []
    assert client.post(url, data).status_code == 302
    url = reverse("budget:economy_subsection_edit", args=[report.pk, units.pk])
    _, data = shown_form(client, url)
    data["tables"] = ["operating_budget"]
    assert client.post(url, data).status_code == 302
    budget.refresh_from_db()
    client.post(delete_url(report, budget), {"version": str(budget.version)})
    assert order(report) == [INCOME, RETURNED, UNITS]
    html = render_html(build_report_data(report))
    assert html.index(UNITS) < html.index("Nämnden totalt")  # the table now stands there


def test_the_only_subsection_is_not_removed(client, editor, report):
    client.force_login(editor)
    EconomySubsection.objects.filter(report=report).exclude(heading=UNITS).delete()
    units = subsection(report, UNITS)
    message = f"”{UNITS}” är det enda delavsnittet i ekonomin och kan inte tas bort."
    assert message in unescape(client.get(delete_url(report, units)).content.decode())
    client.post(delete_url(report, units), {"version": str(units.version)})
    assert order(report) == [UNITS]


def test_removing_from_a_stale_page_removes_nothing(client, editor, report):
    client.force_login(editor)
    units = subsection(report, UNITS)
    response = client.post(delete_url(report, units), {"version": str(units.version + 1)})
    assert response.status_code == 302
    assert (
        "Delavsnittet har ändrats av någon annan"
        in client.get(response["Location"]).content.decode()
    )
    assert UNITS in order(report)
