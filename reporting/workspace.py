"""The report workspace ("Arbeta med rapporten"): an outline of everything a report holds, each
item empty, started or marked ready, the progress of the whole report and what is still missing.

``build_outline(report)`` is a view of the report's tree (``reporting.tree``) and runs a fixed
number of queries (``OUTLINE_QUERIES``) whatever the size of the report. The item forms live in
their own apps.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from budget import arithmetic
from budget.models import OperatingBudgetRow
from budget.services import neighbour_token

from . import tree
from .access import (
    EVERYTHING,
    EditScope,
    can_write,
    edit_scope,
    get_report_for_user,
    not_editable_message,
    require_internal,
)
from .editing import STATE_LABELS, item_state
from .forms import MOVE_LABELS, MOVES
from .frozen import report_data
from .models import Period, Report
from .numbers import format_amount
from .outline_filters import FILTERS, filtered_parts
from .panel import build_panel
from .review import stored_review
from .services import NEXT_PERIOD, NextReportError, create_next_report

OUTLINE_QUERIES = tree.QUERIES  # the tree's: the tables' row counts come with it


@dataclass(frozen=True)
class Move:
    """A "Flytta upp" or "Flytta ned" button of an economy subsection in the outline. It posts
    the versions of the two subsections that change places as the outline shows them, so a
    move made from an outline that is no longer the order is refused
    (``budget.services.move_subsection``)."""

    direction: str  # "upp" or "ned" (``reporting.forms.MOVES``)
    url: str
    version: int  # the subsection's
    neighbour: str  # the one it changes places with (``budget.services.neighbour_token``)

    @property
    def label(self) -> str:
        return MOVE_LABELS[self.direction]


@dataclass(frozen=True)
class Item:
    """One editable item of the report, as the outline shows it."""

    anchor: str
    kind: str
    title: str
    url: str
    state: str
    depth: int = 0
    detail: str = ""
    editable: bool = True  # False: outside the person's responsibilities, shown read-only
    moves: tuple[Move, ...] = ()  # an economy subsection's place among the others

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, "")

    @property
    def counts(self) -> bool:
        """A goal above an item but without an assessment row of its own is only a heading."""
        return bool(self.state)


@dataclass(frozen=True)
class Part:
    """A part of the report: the summary, the goals, the economy, ..."""

    title: str
    anchor: str
    items: tuple[Item, ...]

    @property
    def ready(self) -> int:
        return sum(1 for item in self.items if item.state == "ready")

    @property
    def total(self) -> int:
        return sum(1 for item in self.items if item.counts)


@dataclass(frozen=True)
class Outline:
    parts: tuple[Part, ...]
    items: tuple[Item, ...] = field(init=False)

    def __post_init__(self) -> None:
        items = tuple(i for p in self.parts for i in p.items if i.counts)
        object.__setattr__(self, "items", items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def ready(self) -> int:
        return sum(1 for item in self.items if item.state == "ready")

    @property
    def started(self) -> int:
        return sum(1 for item in self.items if item.state == "started")

    @property
    def empty(self) -> int:
        return sum(1 for item in self.items if item.state == "empty")

    @property
    def percent(self) -> int:
        return round(100 * self.ready / self.total) if self.total else 100

    @property
    def missing(self) -> tuple[tuple[Part, tuple[Item, ...]], ...]:
        """The items not yet marked ready, part by part."""
        result = []
        for part in self.parts:
            items = tuple(item for item in part.items if item.counts and item.state != "ready")
            if items:
                result.append((part, items))
        return tuple(result)


def _url(name: str, report: Report, *args) -> str:
    return reverse(name, args=[report.pk, *args])


def _item(
    node: tree.Node,
    kind: str,
    *,
    depth: int = 0,
    editable: bool = True,
    moves: tuple[Move, ...] = (),
) -> Item:
    return Item(
        anchor=_anchor(node),
        kind=kind,
        title=node.label,
        url=node.url,
        state=node.state,
        depth=depth,
        detail=node.detail,
        editable=editable,
        moves=moves,
    )


def _subsection_items(report: Report, nodes: list[tree.Node], scope: EditScope) -> list[Item]:
    """The economy's subsections in their order, each with "Flytta upp" (not the first) and
    "Flytta ned" (not the last): read from the tree, no query of their own."""
    items = []
    for index, node in enumerate(nodes):
        url = _url("budget:economy_subsection_move", report, node.row.pk)
        moves = tuple(
            Move(direction, url, node.row.version, neighbour_token(other.row))
            for direction, step in MOVES.items()
            if 0 <= index + step < len(nodes)
            for other in [nodes[index + step]]
        )
        items.append(_item(node, "Delavsnitt", editable=scope.everything, moves=moves))
    return items


def _anchor(node: tree.Node) -> str:
    """The id of an item in the workspace outline (the form leads back to it)."""
    row = node.row
    if node.kind == tree.Kind.GOAL:
        return f"mal-{row.pk}" if row is not None else f"{node.level.value}-{node.goal.pk}"
    return {
        tree.Kind.INDICATOR: "indikator-{}",
        tree.Kind.ACTIVITY: "aktivitet-{}",
        tree.Kind.BUDGET_ROW: "drift-{}",
        tree.Kind.SECTION: "avsnitt-{}",
        tree.Kind.ECONOMY_SUBSECTION: "ekonomi-delavsnitt-{}",
    }[node.kind].format(row.pk)


def _table_item(node: tree.Node, title: str, anchor: str, scope: EditScope) -> Item:
    """A table edited as a whole (the income statement, the investments): its ready mark and
    number of rows; no link when the table is outside the person's scope."""
    return Item(
        anchor,
        "Tabell",
        title,
        node.url if scope.everything else "",
        node.state,
        detail=f"{node.rows} rad{'er' if node.rows != 1 else ''}",
        editable=scope.everything,
    )


def _goal_items(report_tree: tree.ReportTree, scope: EditScope) -> list[Item]:
    items = []
    for node, depth in report_tree.walk():
        editable = scope.covers_goal(node.level.value, node.goal)
        items.append(_item(node, node.level.label, depth=depth, editable=editable))
        for child in node.indicators:
            items.append(_item(child, "Indikator", depth=depth + 1, editable=editable))
        for child in node.activities:
            items.append(_item(child, "Aktivitet", depth=depth + 1, editable=editable))
    return items


def build_outline(
    report: Report, scope: EditScope = EVERYTHING, report_tree: tree.ReportTree | None = None
) -> Outline:
    """The outline of the report, in ``OUTLINE_QUERIES`` queries (none when ``report_tree``, the
    report's tree, is given). Items outside ``scope`` (the responsibilities of the person who
    asks) are marked not editable."""
    if report_tree is None:
        report_tree = tree.load_tree(report)
    goal_items = _goal_items(report_tree, scope)
    summary = report_tree.summary
    control = report_tree.internal_control
    memo = report_tree.cover
    economy_text = report_tree.economy_text
    spent = "forecast" if report.is_tertial else "outcome"

    def state(node) -> str:
        return node.state if node is not None else "empty"

    parts = [
        Part(
            "Sammanfattande analys",
            "del-sammanfattning",
            (
                Item(
                    "sammanfattning",
                    "Avsnitt",
                    "Sammanfattande analys",
                    _url("reporting:summary_edit", report),
                    state(summary),
                    editable=scope.everything,
                ),
            ),
        ),
        Part("Mål, indikatorer och aktiviteter", "del-mal", tuple(goal_items)),
        Part(
            "Uppföljning av ekonomi",
            "del-ekonomi",
            (
                *(
                    Item(
                        f"drift-{row.pk}",
                        "Driftbudget",
                        row.area.name,
                        _url("budget:operating_budget_row_edit", report, row.pk),
                        item_state(row),
                        detail=_budget_detail(row, spent),
                        editable=scope.covers_area(row.area_id),
                    )
                    for row in (node.row for node in report_tree.budget_rows)
                ),
                _table_item(
                    report_tree.income_statement,
                    "Resultaträkning (tabell)",
                    "resultatrakning",
                    scope,
                ),
                _table_item(
                    report_tree.investments, "Investeringar (tabell)", "investeringar", scope
                ),
                Item(
                    "ekonomitext",
                    "Text",
                    "Text om ekonomin",
                    _url("budget:economy_text_edit", report),
                    state(economy_text),
                    editable=scope.everything,
                ),
                *_subsection_items(report, report_tree.economy_subsections, scope),
            ),
        ),
        Part(
            "Övrigt",
            "del-ovrigt",
            (
                Item(
                    "intern-kontroll",
                    "Avsnitt",
                    "Bedömning av nämndens interna kontroll",
                    _url("reporting:internal_control_edit", report),
                    state(control),
                    detail=control.detail if control else "",
                    editable=scope.everything,
                ),
                *(
                    _item(node, "Avsnitt", editable=scope.everything)
                    for node in report_tree.sections
                ),
            ),
        ),
        Part(
            "Tjänsteutlåtande",
            "del-tjansteutlatande",
            (
                Item(
                    "tjansteutlatande",
                    "Tjänsteutlåtande",
                    memo.label if memo else "Tjänsteutlåtande",
                    _url("reporting:cover_memo_edit", report),
                    state(memo),
                    editable=scope.everything,
                ),
            ),
        ),
    ]
    return Outline(tuple(parts))


def _budget_detail(row: OperatingBudgetRow, spent: str) -> str:
    deviation = arithmetic.deviation(row.budget, getattr(row, spent))
    if deviation is None:
        return ""
    return f"Avvikelse {format_amount(deviation, sign=True)} mnkr"


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    require_internal(request.user, report)  # an approver follows the work, read-only
    return render(request, "reporting/workspace.html", workspace_context(request, report))


def workspace_context(request: HttpRequest, report: Report, **refused) -> dict:
    """The workspace: the outline (read-only outside the person's responsibilities), the
    workflow panel and the next report. ``refused`` shows a move that was just refused."""
    scope = edit_scope(request.user, report)
    report_tree = tree.load_tree(report)
    outline = build_outline(report, scope, report_tree)
    data = report_data(report, report_tree)  # what the report page shows: the stamp agrees
    next_period = NEXT_PERIOD.get(report.period)
    next_report = (
        Report.objects.filter(
            board_id=report.board_id, unit_id=report.unit_id, year=report.year, period=next_period
        ).first()
        if next_period
        else None
    )
    writer = can_write(request.user, report)
    editable = report.status == Report.Status.DRAFT and writer
    review = stored_review(report, data)  # the stored findings: the rules never run here
    findings = review.findings if review else ()
    wanted = request.GET.get("visa", "")
    wanted = wanted if wanted in FILTERS else ""
    return {
        "report": report,
        "outline": outline,
        "parts": filtered_parts(outline, report, findings, wanted, editable=editable),
        "filters": FILTERS,
        "wanted": wanted,
        "writer": writer,
        "scope": scope,
        "editable": editable,
        "locked_message": (
            not_editable_message(report)
            if report.status != Report.Status.DRAFT
            else "Du följer arbetet: rapporten ändras av handläggarna."
            if not editable
            else ""
        ),
        "next_period_title": f"{Period(next_period).label} {report.year}" if next_period else "",
        "next_report": next_report,
        "panel": build_panel(request.user, report, review, origin="workspace", **refused),
    }


@login_required
@require_http_methods(["GET", "POST"])
def next_report(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Skapa nästa rapport": T2 from T1, VB from T2, with every text and value copied."""
    report = get_report_for_user(request, pk, write=True, draft=False)
    if request.method == "POST":
        try:
            created = create_next_report(report)
        except NextReportError as error:
            messages.error(request, str(error))
            return redirect("reporting:workspace", pk=report.pk)
        messages.success(
            request,
            f"{created.title} är skapad med texterna och värdena från {report.title}. "
            "Gå igenom allt och uppdatera det som har ändrats.",
        )
        return redirect("reporting:workspace", pk=created.pk)
    next_period = NEXT_PERIOD.get(report.period)
    return render(
        request,
        "reporting/workspace_next_report.html",
        {
            "report": report,
            "next_period_title": (
                f"{Period(next_period).label} {report.year}" if next_period else ""
            ),
        },
    )
