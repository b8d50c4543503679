"""Every view against every persona: anonymous, a user of another board, reader, editor,
approver, administrator. ``MATRIX`` has one row per URL name; the guard test fails when a URL
of the project has no row, so a new view cannot be added without deciding who may use it."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goals.models import BoardGoal, DirectionGoal
from reporting.models import (
    Comment,
    CoverMemo,
    Membership,
    ReportVersion,
    Responsibility,
    Role,
    Section,
)
from tests.factories import make_board, make_report, make_user

PERSONAS = ["anonymous", "outsider", "reader", "editor", "approver", "administrator"]

# Who may do what, as HTTP status codes per persona.
READ = dict(anonymous=302, outsider=404, reader=200, editor=200, approver=200, administrator=200)
WRITE = dict(anonymous=302, outsider=404, reader=403, editor=200, approver=403, administrator=200)
# The förvaltning's working material (review, comments, audit trail): not for readers.
INTERNAL = dict(
    anonymous=302, outsider=404, reader=403, editor=200, approver=200, administrator=200
)
ADMIN = dict(anonymous=302, outsider=404, reader=403, editor=403, approver=403, administrator=200)
EVERYONE = dict.fromkeys(PERSONAS, 200)
POST_ONLY = dict.fromkeys(PERSONAS, 405)
# Setting up the year: the board's administrator only; the council's goals: the city's.
SETUP = dict(anonymous=302, outsider=404, reader=403, editor=403, approver=403, administrator=200)
COUNCIL = dict(anonymous=302, **dict.fromkeys(PERSONAS[1:], 403))
LOGGED_IN = dict(anonymous=302, **dict.fromkeys(PERSONAS[1:], 200))


@dataclass(frozen=True)
class Row:
    kwargs: str  # which objects the URL takes, see ``url_kwargs``
    get: dict  # expected status of a GET per persona
    post: dict | None = None  # expected status of an empty POST per persona (200: allowed)
    writes: bool = False  # an editing view: refused for an approved report


MATRIX: dict[str, Row] = {
    "login": Row("none", EVERYONE),
    "logout": Row("none", POST_ONLY, post=dict.fromkeys(PERSONAS, 302)),
    "reporting:report_list": Row("none", {**READ, "outsider": 200}),
    "reporting:preferences": Row("none", {**READ, "outsider": 200}, post={**READ, "outsider": 302}),
    "reporting:report_detail": Row("report", READ),
    "reporting:report_print": Row("report", READ),
    "reporting:report_pdf": Row("report", READ),
    "reporting:report_xlsx": Row("report", READ),
    "reporting:memo_pdf": Row("report", READ),
    "reporting:rendered_file_status": Row("rendered_file", READ),
    "reporting:version_pdf_status": Row("version", READ),
    "reporting:report_review": Row("report", INTERNAL),
    "reporting:review_summary": Row("report", INTERNAL),
    "reporting:report_history": Row("report", INTERNAL),
    "reporting:item_history": Row("item_history", INTERNAL),
    "reporting:item_comments": Row("item_comments", INTERNAL, post=INTERNAL),
    "reporting:comment_reply": Row("comment", POST_ONLY, post=INTERNAL),
    "reporting:comment_resolve": Row("comment", POST_ONLY, post=INTERNAL),
    "reporting:version_pdf": Row("version", READ),
    "reporting:version_xlsx": Row("version", READ),
    "reporting:version_json": Row("version", READ),
    "reporting:report_transition": Row("transition", POST_ONLY, post=WRITE),
    "reporting:workspace": Row("report", INTERNAL),  # the approver follows, read-only
    # to the next item's form (a redirect), for those who may change the report
    "reporting:item_step": Row("report", {**WRITE, "editor": 302, "administrator": 302}),
    "reporting:budget_template": Row("report", ADMIN),
    "reporting:budget_import": Row("report", ADMIN, post=ADMIN, writes=True),
    "reporting:plan_template": Row("report", ADMIN),
    "reporting:plan_import": Row("report", ADMIN, post=ADMIN, writes=True),
    "reporting:next_report": Row("report", WRITE),
    "reporting:summary_edit": Row("report", WRITE, post=WRITE, writes=True),
    "reporting:internal_control_edit": Row("report", WRITE, post=WRITE, writes=True),
    "reporting:section_create": Row("report", WRITE, post=WRITE, writes=True),
    "reporting:section_edit": Row("section", WRITE, post=WRITE, writes=True),
    "reporting:section_delete": Row("section", WRITE, post=WRITE, writes=True),
    "reporting:cover_memo_edit": Row("report", WRITE, post=WRITE, writes=True),
    "goals:goal_assessment_edit": Row("goal_assessment", WRITE, post=WRITE, writes=True),
    "goals:activity_follow_up_edit": Row("activity_follow_up", WRITE, post=WRITE, writes=True),
    "indicators:indicator_value_edit": Row("indicator_value", WRITE, post=WRITE, writes=True),
    "budget:operating_budget_row_edit": Row("budget_row", WRITE, post=WRITE, writes=True),
    "budget:economy_text_edit": Row("report_pk", WRITE, post=WRITE, writes=True),
    "budget:economy_subsection_create": Row("report_pk", WRITE, post=WRITE, writes=True),
    "budget:economy_subsection_delete": Row("economy_subsection", WRITE, post=WRITE, writes=True),
    "budget:economy_subsection_edit": Row("economy_subsection", WRITE, post=WRITE, writes=True),
    # "Flytta upp/ned" in the outline (an approved report: tests/budget/test_economy_subsection_order)
    "budget:economy_subsection_move": Row("economy_subsection", POST_ONLY, post=WRITE),
    "budget:income_statement_edit": Row("report_pk", WRITE, post=WRITE, writes=True),
    "budget:investments_edit": Row("report_pk", WRITE, post=WRITE, writes=True),
    "budget:amount_unit_edit": Row("report_pk", WRITE, post=WRITE, writes=True),
    # the setup screens (planning)
    "planning:index": Row("none", LOGGED_IN),
    "planning:year_open": Row("board", {**SETUP, "administrator": 302}),
    "planning:plan": Row("board_year", SETUP),
    "planning:year_start": Row("next_year", SETUP, post=SETUP),
    "planning:report_create": Row("board_year", SETUP, post=SETUP),
    "planning:report_deadline": Row("plan_report", SETUP, post=SETUP),
    "planning:item_create": Row("plan_kind", SETUP, post=SETUP),
    "planning:item_edit": Row("plan_item", SETUP, post=SETUP),
    "planning:item_delete": Row("plan_item", SETUP, post=SETUP),
    "planning:people": Row("board", SETUP),
    "planning:membership_create": Row("board", SETUP, post=SETUP),
    "planning:membership_edit": Row("membership", SETUP, post=SETUP),
    "planning:membership_delete": Row("membership", SETUP, post=SETUP),
    "planning:responsibility_delete": Row("responsibility", POST_ONLY, post=SETUP),
    "planning:council_goals": Row("council", COUNCIL),
    "planning:council_goal_create": Row("council_kind", COUNCIL, post=COUNCIL),
    "planning:council_goal_edit": Row("council_item", COUNCIL, post=COUNCIL),
}


def project_url_names() -> set[str]:
    """Every named URL of the project, the Django admin's aside."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def make_world():
    """A board's report with an item of every kind, its people, and a stranger."""
    board = make_board()
    report = make_report(board)
    CoverMemo.objects.create(report=report, title="Verksamhetsberättelse 2019", to="Socialnämnden")
    section = Section.objects.create(report=report, kind="other", title="Övrigt", position=1)
    ReportVersion.objects.create(
        report=report,
        number=1,
        approved_by=make_user("tidigare-chef"),
        data="{}",
        data_sha256="0" * 64,
        pdf=b"%PDF-1.7 test",
        pdf_sha256="0" * 64,
        xlsx=b"PK test",
        xlsx_sha256="0" * 64,
    )
    users = {"anonymous": None}
    users["outsider"] = make_user("utomstaende", board=make_board("Äldrenämnden"), role=Role.EDITOR)
    for role in [Role.READER, Role.EDITOR, Role.APPROVER, Role.ADMINISTRATOR]:
        users[str(role)] = make_user(str(role), board=board, role=role)
    return report, section, users


def url_kwargs(kind: str, report, section) -> dict:
    first = {
        "goal_assessment": report.goal_assessments.filter(board_goal__isnull=False).first,
        "activity_follow_up": report.activity_follow_ups.first,
        "indicator_value": report.indicator_values.first,
        "budget_row": report.operating_budget_rows.first,
        "economy_subsection": report.economy_subsections.first,
    }
    if kind == "none":
        return {}
    if kind == "report":
        return {"pk": report.pk}
    if kind == "report_pk":
        return {"report_pk": report.pk}
    if kind == "section":
        return {"pk": report.pk, "section_pk": section.pk}
    if kind == "version":
        return {"pk": report.pk, "number": 1}
    if kind == "rendered_file":
        return {"pk": report.pk, "kind": "report_pdf"}
    if kind == "transition":
        return {"pk": report.pk, "name": "submit"}
    if kind == "item_comments":
        value = report.indicator_values.first()
        return {"pk": report.pk, "key": f"indicators.indicatorvalue:{value.pk}"}
    if kind == "comment":
        value = report.indicator_values.first()
        thread = Comment.objects.create(
            report=report,
            item_key=f"indicators.indicatorvalue:{value.pk}",
            author=report.board.memberships.get(role=Role.APPROVER).user,
            text="Stämmer siffran?",
        )
        return {"pk": report.pk, "comment_pk": thread.pk}
    if kind in PLANNING_KWARGS:
        return PLANNING_KWARGS[kind](report)
    if kind == "item_history":
        item = report.goal_assessments.filter(board_goal__isnull=False).first()
        return {"pk": report.pk, "model": "goals.goalassessment", "item_pk": item.pk}
    return {"report_pk": report.pk, "pk": first[kind]().pk}


def _responsibility(report):
    membership = Membership.objects.get(board=report.board, role=Role.EDITOR)
    goal = BoardGoal.objects.filter(board=report.board).first()
    return Responsibility.objects.get_or_create(membership=membership, board_goal=goal)[0]


PLANNING_KWARGS = {
    "board": lambda r: {"board_pk": r.board_id},
    "board_year": lambda r: {"board_pk": r.board_id, "year": r.year},
    "next_year": lambda r: {"board_pk": r.board_id, "year": r.year + 1},
    "plan_report": lambda r: {"board_pk": r.board_id, "year": r.year, "pk": r.pk},
    "plan_kind": lambda r: {"board_pk": r.board_id, "year": r.year, "kind": "namndmal"},
    "plan_item": lambda r: {
        "board_pk": r.board_id,
        "year": r.year,
        "kind": "namndmal",
        "pk": BoardGoal.objects.filter(board=r.board).first().pk,
    },
    "membership": lambda r: {
        "board_pk": r.board_id,
        "pk": Membership.objects.get(board=r.board, role=Role.READER).pk,
    },
    "responsibility": lambda r: {"board_pk": r.board_id, "pk": _responsibility(r).pk},
    "council": lambda r: {"municipality_pk": r.board.municipality_id, "year": r.year},
    "council_kind": lambda r: {
        "municipality_pk": r.board.municipality_id,
        "year": r.year,
        "kind": "inriktningsmal",
    },
    "council_item": lambda r: {
        "municipality_pk": r.board.municipality_id,
        "year": r.year,
        "kind": "inriktningsmal",
        "pk": DirectionGoal.objects.get(municipality=r.board.municipality, year=r.year).pk,
    },
}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_of_the_project_has_a_row_in_the_matrix():
    missing = project_url_names() - set(MATRIX)
    assert not missing, f"Lägg till dessa vyer i MATRIX: {sorted(missing)}"
    assert not set(MATRIX) - project_url_names(), "MATRIX names a URL that no longer exists"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_view_answers_every_persona_as_the_matrix_says(db, name):
    row = MATRIX[name]
    report, section, users = make_world()
    url = reverse(name, kwargs=url_kwargs(row.kwargs, report, section))
    seen, expected = {}, {}
    for persona in PERSONAS:
        user = users[persona]
        seen[f"GET {persona}"] = client_for(user).get(url).status_code
        expected[f"GET {persona}"] = row.get[persona]
        if row.post is not None:
            status = client_for(user).post(url, {}).status_code
            want = row.post[persona]
            if want == 200:  # allowed: the form answers (errors or a redirect), never 4xx/5xx
                seen[f"POST {persona}"] = status in (200, 302)
                expected[f"POST {persona}"] = True
            else:
                seen[f"POST {persona}"] = status
                expected[f"POST {persona}"] = want
    assert seen == expected
