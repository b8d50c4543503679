"""The report tree: a report's rows loaded once, in a fixed number of queries (``QUERIES``), as a
tree whose every node has a stable key.

``load_tree(report) -> ReportTree``. A node is one thing a person writes in the report or one
heading above such a thing:

- ``key``: the row's model and primary key, ``indicators.indicatorvalue:42`` (``item_key``);
  a goal above a reported item that has no assessment row of its own is a heading only, keyed by
  the goal (``goals.boardgoal:7``) and without a row;
- ``row``, ``version`` and ``ready``: the row itself, its version for the optimistic lock and its
  ready mark (``state``: empty, started or ready);
- its place: ``level`` and ``goal`` (the goal it is, or hangs on), ``goal_number``, ``label``
  (what a reader calls it) and ``anchor`` (the id of its heading on the report page);
- ``form_url(report)``: the form that changes it.

Every view of a report reads the same tree: the document (``reporting.assemble``), the workspace
outline and its progress (``reporting.workspace``), a finding's links (``reporting.links``: a
lookup of the finding's ``key``). A report contains exactly the goals, indicators, activities
and operating areas it has rows for, and the economy's subsections in their order; a goal above a contained item appears even without an
assessment row of its own. Children are ordered by their ``position``, goals then by number.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse

from budget.models import (
    EconomySubsection,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingBudgetRow,
    TableMark,
)
from goals.models import ActivityFollowUp, Assessment, GoalAssessment
from indicators.models import IndicatorTarget, IndicatorValue
from indicators.status import target_status

from .editing import STATE_LABELS, item_state
from .levels import GoalLevel, goal_anchor, number_key
from .models import CoverMemo, Period, Report, Section
from .numbers import format_figure

QUERIES = 14


SUMMARY_KEY = "summary"  # the summary before it has a row: its form creates it


def item_key(row) -> str:
    """The stable key of a row: ``indicators.indicatorvalue:42``."""
    return f"{row._meta.label_lower}:{row.pk}"


class Kind:
    """What a node is; each kind has its form (``FORMS``)."""

    GOAL = "goal"
    INDICATOR = "indicator"
    ACTIVITY = "activity"
    BUDGET_ROW = "budget_row"
    SUMMARY = "summary"
    INTERNAL_CONTROL = "internal_control"
    SECTION = "section"
    COVER = "cover"
    ECONOMY_TEXT = "economy_text"
    ECONOMY_SUBSECTION = "economy_subsection"
    INCOME_STATEMENT = "income_statement"  # a table edited as a whole: its ready mark
    INVESTMENTS = "investments"


TABLES = (Kind.INCOME_STATEMENT, Kind.INVESTMENTS)


# (URL name, whether the URL takes the row's pk)
FORMS = {
    Kind.GOAL: ("goals:goal_assessment_edit", True),
    Kind.INDICATOR: ("indicators:indicator_value_edit", True),
    Kind.ACTIVITY: ("goals:activity_follow_up_edit", True),
    Kind.BUDGET_ROW: ("budget:operating_budget_row_edit", True),
    Kind.SUMMARY: ("reporting:summary_edit", False),
    Kind.INTERNAL_CONTROL: ("reporting:internal_control_edit", False),
    Kind.SECTION: ("reporting:section_edit", True),
    Kind.COVER: ("reporting:cover_memo_edit", False),
    Kind.ECONOMY_TEXT: ("budget:economy_text_edit", False),
    Kind.ECONOMY_SUBSECTION: ("budget:economy_subsection_edit", True),
    Kind.INCOME_STATEMENT: ("budget:income_statement_edit", False),
    Kind.INVESTMENTS: ("budget:investments_edit", False),
}

PAGE_ANCHORS = {
    Kind.SUMMARY: "sammanfattande-analys",
    Kind.BUDGET_ROW: "ekonomi",
    Kind.ECONOMY_TEXT: "ekonomi",
    Kind.INCOME_STATEMENT: "ekonomi",
    Kind.INVESTMENTS: "ekonomi",
    Kind.INTERNAL_CONTROL: "intern-kontroll",
    Kind.COVER: "",  # the memo is not on the report page
}


@dataclass(eq=False)
class Node:
    key: str
    kind: str
    row: Any  # the report's row; None for a goal that is only a heading
    label: str
    anchor: str = ""
    level: GoalLevel | None = None
    goal: Any = None  # the goal the node is (a goal node) or hangs on
    children: list["Node"] = field(default_factory=list)  # the goals below (goal nodes)
    indicators: list["Node"] = field(default_factory=list)
    activities: list["Node"] = field(default_factory=list)
    target: IndicatorTarget | None = None  # an indicator's targets in force in the period
    previous_outcome: Any = None  # an indicator's outcome in last year's VB, when known
    rows: int = 0  # a table's number of rows (the income statement, the investments)
    report: Report | None = field(default=None, repr=False)

    @property
    def version(self) -> int | None:
        return self.row.version if self.row is not None else None

    @property
    def ready(self) -> bool:
        return bool(self.row is not None and self.row.ready)

    @property
    def state(self) -> str:
        """'empty', 'started' or 'ready'; '' for a goal that is only a heading. A table is
        started when it has rows, ready when its mark (the node's row) says so."""
        if self.kind in TABLES:
            if self.row is not None and self.row.ready:
                return "ready"
            return "started" if self.rows else "empty"
        if self.row is None:
            return "" if self.kind == Kind.GOAL else "empty"
        return item_state(self.row)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, "")

    @property
    def url(self) -> str:
        """The node's form in its report ('' for a goal without a row)."""
        return self.form_url(self.report) if self.report is not None else ""

    @property
    def detail(self) -> str:
        """A short line on where the item stands: an indicator's outcome, target and status, an
        activity's status, a goal's assessment."""
        row = self.row
        if row is None:
            return ""
        if self.kind == Kind.INDICATOR:
            return _indicator_detail(row, self.target)
        if self.kind == Kind.ACTIVITY:
            return row.get_status_display() if row.status else ""
        if self.kind == Kind.GOAL and row.assessment and self.report is not None:
            return Assessment.label_for(row.assessment, forecast=self.report.forecast_wording)
        if self.kind == Kind.INTERNAL_CONTROL and row.assessment:
            return row.get_assessment_display()
        return ""

    @property
    def goal_number(self) -> str:
        return self.level.number(self.goal) if self.level is not None else ""

    def form_url(self, report: Report) -> str:
        """The form that changes the node ('' for a goal without a row)."""
        name, with_pk = FORMS[self.kind]
        if with_pk and self.row is None:
            return ""
        return reverse(name, args=[report.pk, self.row.pk] if with_pk else [report.pk])

    def covered_by(self, scope) -> bool:
        """Whether ``scope`` (``reporting.access.EditScope``) lets the person change it."""
        if self.level is not None:
            return scope.covers_goal(self.level.value, self.goal)
        if self.kind == Kind.BUDGET_ROW:
            return scope.covers_area(self.row.area_id)
        return scope.everything


@dataclass(eq=False)
class ReportTree:
    report: Report
    goals: list[Node]  # the direction goals, in document order
    summary: Node  # keyed "summary" while the report has no summary row
    internal_control: Node | None
    sections: list[Node]  # the other sections (Övrigt), in document order
    budget_rows: list[Node]
    economy_text: Node | None
    cover: Node | None
    income_statement: Node  # the table's ready mark; keyed "income_statement" until it has one
    investments: Node
    economy_subsections: list[Node] = field(default_factory=list)  # in document order
    nodes: dict[str, Node] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in self.all():
            node.report = self.report
            self.nodes[node.key] = node

    def walk(self, nodes: list[Node] | None = None, depth: int = 0) -> Iterator[tuple[Node, int]]:
        """The goal nodes in document order, each with its depth (0 for a direction goal)."""
        for node in self.goals if nodes is None else nodes:
            yield node, depth
            yield from self.walk(node.children, depth + 1)

    def all(self) -> Iterator[Node]:
        """Every node: goals with their indicators and activities, then the rest."""
        for goal, _ in self.walk():
            yield goal
            yield from goal.indicators
            yield from goal.activities
        for node in (self.summary, self.internal_control, self.economy_text, self.cover):
            if node is not None:
                yield node
        yield from self.budget_rows
        yield from self.economy_subsections
        yield self.income_statement
        yield self.investments
        yield from self.sections

    def items(self) -> Iterator[Node]:
        """The nodes with a row: everything a person writes."""
        return (node for node in self.all() if node.row is not None)

    def get(self, key: str) -> Node | None:
        return self.nodes.get(key)


# -- loading ----------------------------------------------------------------------------------


def load_tree(report: Report) -> ReportTree:
    """The tree of ``report``, in ``QUERIES`` queries whatever its size."""
    report = (
        Report.objects.select_related(
            "board__municipality", "unit", "cover_memo", "economy_text", "given_totals", "template"
        )
        .annotate(
            income_statement_count=_count(IncomeStatementRow),
            investment_count=_count(InvestmentRow),
        )
        .get(pk=report.pk)
    )
    assessments = list(GoalAssessment.objects.filter(report=report))
    values = list(
        IndicatorValue.objects.filter(report=report).select_related("indicator", "confirmed_by")
    )
    follow_ups = list(ActivityFollowUp.objects.filter(report=report).select_related("activity"))
    plan = GoalsOf(
        [*assessments, *(v.indicator for v in values), *(f.activity for f in follow_ups)]
    )
    goals = _GoalTree()
    for row in assessments:
        plan.attach(row)
        goals.node(row.goal_level, row.goal).row = row
    targets = defaultdict(list)
    for target in IndicatorTarget.objects.filter(indicator__values__report=report):
        targets[target.indicator_id].append(target)
    previous = previous_outcomes(report)
    for value in sorted(values, key=lambda v: (v.indicator.position, v.indicator.pk)):
        indicator = value.indicator
        plan.attach(indicator)
        node = goals.node(indicator.goal_level, indicator.goal)
        node.indicators.append(_indicator(report, node, value, targets, previous))

    for follow_up in sorted(follow_ups, key=lambda f: (f.activity.position, f.activity.pk)):
        activity = follow_up.activity
        plan.attach(activity)
        node = goals.node(activity.goal_level, activity.goal)
        node.activities.append(_activity(node, follow_up))
    roots = goals.ordered()
    _anchor(roots)

    sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    by_kind = {s.kind: s for s in sections if s.kind != Section.Kind.OTHER}
    others = [s for s in sections if s.kind == Section.Kind.OTHER]
    budget_rows = OperatingBudgetRow.objects.filter(report=report).select_related("area")
    marks = {mark.table: mark for mark in TableMark.objects.filter(report=report)}
    memo: CoverMemo | None = getattr(report, "cover_memo", None)
    economy_text: EconomyText | None = getattr(report, "economy_text", None)
    return ReportTree(
        report=report,
        goals=roots,
        summary=_single(Kind.SUMMARY, by_kind.get(Section.Kind.SUMMARY), "Sammanfattande analys")
        or Node(
            SUMMARY_KEY, Kind.SUMMARY, None, "Sammanfattande analys", anchor="sammanfattande-analys"
        ),
        internal_control=_single(
            Kind.INTERNAL_CONTROL,
            by_kind.get(Section.Kind.INTERNAL_CONTROL),
            "Bedömning av nämndens interna kontroll",
        ),
        sections=[
            Node(
                item_key(s),
                Kind.SECTION,
                s,
                s.title or s.get_kind_display(),
                anchor=f"avsnitt-{number}",
            )
            for number, s in enumerate(others, start=1)
        ],
        budget_rows=[
            Node(item_key(r), Kind.BUDGET_ROW, r, r.area.name, anchor=PAGE_ANCHORS[Kind.BUDGET_ROW])
            for r in sorted(budget_rows, key=lambda r: (r.area.position, r.area.pk))
        ],
        economy_text=_single(Kind.ECONOMY_TEXT, economy_text, "Text om ekonomin"),
        economy_subsections=[
            Node(
                item_key(s),
                Kind.ECONOMY_SUBSECTION,
                s,
                s.heading,
                anchor=economy_subsection_anchor(number),
            )
            for number, s in enumerate(
                EconomySubsection.objects.filter(report=report).order_by("position", "pk"),
                start=1,
            )
        ],
        cover=_single(
            Kind.COVER, memo, memo.title if memo is not None and memo.title else "Tjänsteutlåtande"
        ),
        income_statement=_table(
            Kind.INCOME_STATEMENT, marks, "Resultaträkning (tabell)", report.income_statement_count
        ),
        investments=_table(
            Kind.INVESTMENTS, marks, "Investeringar (tabell)", report.investment_count
        ),
    )


def _count(model) -> Subquery:
    """The number of ``model``'s rows in the report, as a subquery of the report's query."""
    rows = (
        model.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(rows, output_field=IntegerField())


def _table(kind: str, marks: dict, label: str, rows: int | None) -> Node:
    mark = marks.get(kind)
    key = item_key(mark) if mark is not None else kind
    return Node(key, kind, mark, label, anchor=PAGE_ANCHORS[kind], rows=rows or 0)


def _indicator(report: Report, goal: Node, value: IndicatorValue, targets, previous) -> Node:
    indicator = value.indicator
    return Node(
        item_key(value),
        Kind.INDICATOR,
        value,
        indicator.name,
        level=goal.level,
        goal=goal.goal,
        target=indicator.target_for(report.period, targets.get(indicator.pk, [])),
        previous_outcome=previous.get(indicator.predecessor_id),
        report=report,
    )


def _activity(goal: Node, follow_up: ActivityFollowUp) -> Node:
    return Node(
        item_key(follow_up),
        Kind.ACTIVITY,
        follow_up,
        follow_up.activity.title,
        level=goal.level,
        goal=goal.goal,
        anchor=goal.anchor,
    )


def load_goal_items(report: Report, level: GoalLevel, goal) -> tuple[list[Node], list[Node]]:
    """The indicators and activities one goal has in the report (its assessment page), in three
    queries."""
    if level == GoalLevel.DIRECTION_GOAL:
        return [], []
    node = Node(item_key(goal), Kind.GOAL, None, level.goal_title(goal), level=level, goal=goal)
    values = IndicatorValue.objects.filter(report=report, **{f"indicator__{level.value}": goal})
    values = list(values.select_related("indicator"))
    targets = defaultdict(list)
    for target in IndicatorTarget.objects.filter(indicator__in=[v.indicator_id for v in values]):
        targets[target.indicator_id].append(target)
    follow_ups = ActivityFollowUp.objects.filter(
        report=report, **{f"activity__{level.value}": goal}
    ).select_related("activity")
    indicators = [
        _indicator(report, node, value, targets, {})
        for value in sorted(values, key=lambda v: (v.indicator.position, v.indicator.pk))
    ]
    activities = [
        _activity(node, follow_up)
        for follow_up in sorted(follow_ups, key=lambda f: (f.activity.position, f.activity.pk))
    ]
    for item in activities:
        item.report = report
    return indicators, activities


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


def previous_outcomes(report: Report) -> dict[int, Any]:
    """Outcomes in last year's VB of the same board (and unit), keyed by the indicator they are
    the predecessor of. One query."""
    rows = IndicatorValue.objects.filter(
        report__board_id=report.board_id,
        report__unit_id=report.unit_id,
        report__year=report.year - 1,
        report__period=Period.VB,
        indicator__successors__values__report=report,
    )
    return {row.indicator_id: row.get_figure("outcome") for row in rows}


def economy_subsection_anchor(number: int) -> str:
    """The id of the heading of the economy's n-th subsection on the report page."""
    return f"ekonomi-{number}"


def _single(kind: str, row, label: str) -> Node | None:
    if row is None:
        return None
    return Node(item_key(row), kind, row, label, anchor=PAGE_ANCHORS[kind])


class GoalsOf:
    """The goals the report's rows hang on, and every goal above them: one query a level (four
    in all, whatever the report holds), from the lowest level up, each by the ids the rows and
    the level below point at, linked to their parents here.

    A row's goal and the goals above it come from here (``attach``) rather than from a
    ``select_related`` chain: a chain over every level a row may hang on is a query of a dozen
    joins, which PostgreSQL spends longer planning than running, and which builds every goal
    again for every row."""

    LEVELS = (
        GoalLevel.COMMITMENT,
        GoalLevel.BOARD_GOAL,
        GoalLevel.AREA_GOAL,
        GoalLevel.DIRECTION_GOAL,
    )

    def __init__(self, rows) -> None:
        wanted: dict[GoalLevel, set[int]] = {level: set() for level in self.LEVELS}
        for row in rows:
            level = row.goal_level
            if level is not None:
                wanted[level].add(getattr(row, f"{level.value}_id"))
        self.goals: dict[GoalLevel, dict[int, Any]] = {}
        for level in self.LEVELS:
            # [0] when none is wanted: no goal has the id 0, and the level still costs its
            # one query, so the count is the same for every report
            ids = sorted(wanted[level]) or [0]
            self.goals[level] = {
                g.pk: g for g in _model(level).objects.filter(pk__in=ids).order_by()
            }
            parent = level.parent
            if parent is not None:
                wanted[parent].update(
                    getattr(g, f"{parent.value}_id") for g in self.goals[level].values()
                )
        for level in self.LEVELS:
            parent = level.parent
            if parent is not None:
                for goal in self.goals[level].values():
                    setattr(
                        goal, parent.value, self.goals[parent][getattr(goal, f"{parent.value}_id")]
                    )

    def attach(self, row) -> None:
        """Give ``row`` (an ``AttachedToGoal``) its goal, with every goal above it."""
        level = row.goal_level
        if level is not None:
            setattr(row, level.value, self.goals[level][getattr(row, f"{level.value}_id")])


def _model(level: GoalLevel):
    """The model of a goal level's goals."""
    return GoalAssessment._meta.get_field(level.value).related_model


class _GoalTree:
    """Every goal with a row in the report, and every goal above an item."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, int], Node] = {}
        self.roots: list[Node] = []

    def node(self, level: GoalLevel, goal) -> Node:
        key = (level.value, goal.pk)
        if key not in self.nodes:
            node = self.nodes[key] = Node(
                item_key(goal), Kind.GOAL, None, level.goal_title(goal), level=level, goal=goal
            )
            parent = level.parent
            if parent is not None:
                self.node(parent, getattr(goal, parent.value)).children.append(node)
            else:
                self.roots.append(node)
        return self.nodes[key]

    def ordered(self) -> list[Node]:
        def sort(nodes: list[Node]) -> list[Node]:
            nodes.sort(
                key=lambda n: (
                    n.goal.position,
                    number_key(getattr(n.goal, "number", "")),
                    n.goal.pk,
                )
            )
            for node in nodes:
                node.children = sort(node.children)
            return nodes

        return sort(self.roots)


def _anchor(nodes: list[Node], parent: Node | None = None) -> None:
    """The heading ids of the report page: a goal's own (``mal-1-4-1``), a commitment's
    (``mal-1-4-1-atagande-2``); an indicator or activity is under its goal's heading. A goal
    row's key is its assessment's once it has one."""
    commitments = 0
    for node in nodes:
        if node.level == GoalLevel.COMMITMENT:
            commitments += 1
            base = parent.anchor if parent is not None else ""
            node.anchor = f"{base}-atagande-{commitments}"
        else:
            node.anchor = goal_anchor(node.goal.number)
        if node.row is not None:
            node.key = item_key(node.row)
        for item in (*node.indicators, *node.activities):
            item.anchor = node.anchor
        _anchor(node.children, node)
