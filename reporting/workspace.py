"""The report workspace ("Arbeta med rapporten"): an outline of everything a report holds, each
item empty, started or marked ready, the progress of the whole report and what is still missing.

``build_outline(report)`` runs a fixed number of queries (``OUTLINE_QUERIES``) whatever the
size of the report: one flat query per kind of row, the goal tree built in Python. Like
``assemble``, this module reads across the apps; the item forms live in their own apps.
"""

import re
from dataclasses import dataclass, field, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from budget import arithmetic
from budget.models import EconomyText, IncomeStatementRow, InvestmentRow, OperatingBudgetRow
from goals.models import ActivityFollowUp, Assessment, GoalAssessment
from indicators.models import IndicatorTarget, IndicatorValue
from indicators.status import target_status

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
from .models import CoverMemo, Period, Report, Section
from .numbers import format_amount, format_figure
from .outline_filters import FILTERS, filtered_parts
from .panel import build_panel
from .review import review_report
from .services import NEXT_PERIOD, NextReportError, create_next_report

OUTLINE_QUERIES = 10

GOAL_LEVELS = ("direction_goal", "area_goal", "board_goal", "commitment")
PARENT = {"area_goal": "direction_goal", "board_goal": "area_goal", "commitment": "board_goal"}
LEVEL_LABELS = {
    "direction_goal": "KF:s inriktningsmål",
    "area_goal": "KF:s mål för verksamhetsområdet",
    "board_goal": "Nämndmål",
    "commitment": "Åtagande",
}
_CHAINS = (
    "direction_goal",
    "area_goal__direction_goal",
    "board_goal__area_goal__direction_goal",
    "commitment__board_goal__area_goal__direction_goal",
)


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
    tables: tuple[tuple[str, str, int], ...] = ()  # (title, url, number of rows): no state

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


def _number_key(number: str) -> tuple:
    """'1.10' after '1.9': compare the numbers part by part."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\s]+", number or "")
    )


def _level_of(row) -> tuple[str, object]:
    for level in GOAL_LEVELS:
        if getattr(row, f"{level}_id", None):
            return level, getattr(row, level)
    raise ValueError(f"{row!r} hör inte till något mål.")


def goal_title(level: str, goal) -> str:
    if level == "commitment":
        return goal.title
    separator = ". " if level == "direction_goal" else " "
    return f"{goal.number}{separator}{goal.title}"


class _Node:
    def __init__(self, level: str, goal) -> None:
        self.level, self.goal = level, goal
        self.assessment: GoalAssessment | None = None
        self.children: list[_Node] = []
        self.indicators: list[Item] = []
        self.activities: list[Item] = []

    @property
    def sort_key(self) -> tuple:
        return (self.goal.position, _number_key(getattr(self.goal, "number", "")), self.goal.pk)


class _Tree:
    """Every goal with a row in the report, and every goal above an item, as a tree."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, int], _Node] = {}
        self.roots: list[_Node] = []

    def node(self, level: str, goal) -> _Node:
        key = (level, goal.pk)
        if key not in self.nodes:
            node = self.nodes[key] = _Node(level, goal)
            parent = PARENT.get(level)
            if parent:
                self.node(parent, getattr(goal, parent)).children.append(node)
            else:
                self.roots.append(node)
        return self.nodes[key]

    def walk(self, nodes=None, depth: int = 0):
        for node in sorted(self.roots if nodes is None else nodes, key=lambda n: n.sort_key):
            yield node, depth
            yield from self.walk(node.children, depth + 1)


def _url(name: str, report: Report, *args) -> str:
    return reverse(name, args=[report.pk, *args])


def _indicator_detail(value: IndicatorValue, target: IndicatorTarget | None) -> str:
    unit = value.indicator.unit
    outcome = value.get_figure("outcome")
    parts = []
    if outcome is not None:
        parts.append(f"Utfall {format_figure(outcome, unit)}")
    annual = target.get_figure("annual_target") if target else None
    if annual is not None:
        parts.append(f"årsmål {format_figure(annual, unit)}")
    status = target_status(outcome, annual, value.indicator.direction)
    if status is not None:
        parts.append(status.label.lower())
    return ", ".join(parts)


def indicator_items(report: Report, values, targets: dict[int, list]) -> list[Item]:
    return [
        Item(
            anchor=f"indikator-{value.pk}",
            kind="Indikator",
            title=value.indicator.name,
            url=_url("indicators:indicator_value_edit", report, value.pk),
            state=item_state(value),
            detail=_indicator_detail(
                value,
                value.indicator.target_for(report.period, targets.get(value.indicator_id, [])),
            ),
        )
        for value in sorted(values, key=lambda v: (v.indicator.position, v.indicator.pk))
    ]


def activity_items(report: Report, follow_ups) -> list[Item]:
    return [
        Item(
            anchor=f"aktivitet-{follow_up.pk}",
            kind="Aktivitet",
            title=follow_up.activity.title,
            url=_url("goals:activity_follow_up_edit", report, follow_up.pk),
            state=item_state(follow_up),
            detail=follow_up.get_status_display() if follow_up.status else "",
        )
        for follow_up in sorted(follow_ups, key=lambda f: (f.activity.position, f.activity.pk))
    ]


def goal_contents(report: Report, level: str, goal) -> tuple[list[Item], list[Item]]:
    """The indicators and activities of one goal in the report, for its assessment page."""
    if level == "direction_goal":
        return [], []
    values = IndicatorValue.objects.filter(report=report, **{f"indicator__{level}": goal})
    values = list(values.select_related("indicator"))
    targets: dict[int, list] = {}
    for target in IndicatorTarget.objects.filter(indicator__in=[v.indicator_id for v in values]):
        targets.setdefault(target.indicator_id, []).append(target)
    follow_ups = ActivityFollowUp.objects.filter(report=report, **{f"activity__{level}": goal})
    return (
        indicator_items(report, values, targets),
        activity_items(report, follow_ups.select_related("activity")),
    )


def _targets(report: Report) -> dict[int, list]:
    targets: dict[int, list] = {}
    for target in IndicatorTarget.objects.filter(indicator__values__report=report):
        targets.setdefault(target.indicator_id, []).append(target)
    return targets


def _goal_items(report: Report, scope: EditScope) -> list[Item]:
    tree = _Tree()
    for row in GoalAssessment.objects.filter(report=report).select_related(*_CHAINS):
        tree.node(*_level_of(row)).assessment = row
    values = IndicatorValue.objects.filter(report=report).select_related(
        "indicator", *(f"indicator__{chain}" for chain in _CHAINS[1:])
    )
    targets = _targets(report)
    by_goal: dict[tuple[str, int], list] = {}
    for value in values:
        level, goal = _level_of(value.indicator)
        tree.node(level, goal)
        by_goal.setdefault((level, goal.pk), []).append(value)
    for key, rows in by_goal.items():
        tree.nodes[key].indicators = indicator_items(report, rows, targets)
    follow_ups = ActivityFollowUp.objects.filter(report=report).select_related(
        "activity", *(f"activity__{chain}" for chain in _CHAINS[1:])
    )
    by_goal = {}
    for follow_up in follow_ups:
        level, goal = _level_of(follow_up.activity)
        tree.node(level, goal)
        by_goal.setdefault((level, goal.pk), []).append(follow_up)
    for key, rows in by_goal.items():
        tree.nodes[key].activities = activity_items(report, rows)

    items = []
    for node, depth in tree.walk():
        row = node.assessment
        editable = scope.covers_goal(node.level, node.goal)
        items.append(
            Item(
                anchor=f"mal-{row.pk}" if row else f"{node.level}-{node.goal.pk}",
                kind=LEVEL_LABELS[node.level],
                title=goal_title(node.level, node.goal),
                url=_url("goals:goal_assessment_edit", report, row.pk) if row else "",
                state=item_state(row) if row else "",
                depth=depth,
                detail=(
                    Assessment.label_for(row.assessment, forecast=report.forecast_wording)
                    if row and row.assessment
                    else ""
                ),
                editable=editable,
            )
        )
        for item in (*node.indicators, *node.activities):
            items.append(replace(item, depth=depth + 1, editable=editable))
    return items


def build_outline(report: Report, scope: EditScope = EVERYTHING) -> Outline:
    """The outline of the report, in ``OUTLINE_QUERIES`` queries. Items outside ``scope`` (the
    responsibilities of the person who asks) are marked not editable."""
    goal_items = _goal_items(report, scope)  # 4 queries
    budget_rows = OperatingBudgetRow.objects.filter(report=report).select_related("area")
    sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    memo = CoverMemo.objects.filter(report=report).first()
    economy_text = EconomyText.objects.filter(report=report).first()
    income_rows = IncomeStatementRow.objects.filter(report=report).count()
    investment_rows = InvestmentRow.objects.filter(report=report).count()

    by_kind = {s.kind: s for s in sections if s.kind != Section.Kind.OTHER}
    summary = by_kind.get(Section.Kind.SUMMARY)
    control = by_kind.get(Section.Kind.INTERNAL_CONTROL)
    spent = "forecast" if report.is_tertial else "outcome"

    def state(row) -> str:
        return item_state(row) if row is not None else "empty"

    def _table_url(name: str) -> str:
        """A table's form, or no link when the table is outside the person's scope."""
        return _url(name, report) if scope.everything else ""

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
                    for row in sorted(budget_rows, key=lambda r: (r.area.position, r.area.pk))
                ),
                Item(
                    "ekonomitext",
                    "Text",
                    "Text om ekonomin",
                    _url("budget:economy_text_edit", report),
                    state(economy_text),
                    editable=scope.everything,
                ),
            ),
            tables=(
                ("Resultaträkning", _table_url("budget:income_statement_edit"), income_rows),
                ("Investeringar", _table_url("budget:investments_edit"), investment_rows),
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
                    detail=control.get_assessment_display()
                    if control and control.assessment
                    else "",
                    editable=scope.everything,
                ),
                *(
                    Item(
                        f"avsnitt-{s.pk}",
                        "Avsnitt",
                        s.title or s.get_kind_display(),
                        _url("reporting:section_edit", report, s.pk),
                        item_state(s),
                        editable=scope.everything,
                    )
                    for s in sections
                    if s.kind == Section.Kind.OTHER
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
                    memo.title if memo and memo.title else "Tjänsteutlåtande",
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
    outline = build_outline(report, scope)
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
    findings = review_report(report)
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
        "panel": build_panel(request.user, report, findings, origin="workspace", **refused),
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
