"""A report's data, gathered once: ``build_report_data(report) -> ReportData``.

The dataclasses are in ``reporting.document`` (re-exported here for older imports).

``build_report_data`` runs a fixed number of queries (``QUERIES``) whatever the report's size: a
handful of flat queries keyed by the report, with the tree built in Python. A report contains
exactly the goals, indicators, activities and operating areas it has rows for
(GoalAssessment, IndicatorValue, ActivityFollowUp, OperatingBudgetRow); a goal above a
contained item appears even without an assessment row of its own, unassessed, so that nothing
the report holds is lost. Children are ordered by their ``position``.
"""

import re
from collections import defaultdict
from decimal import Decimal

from budget.models import (
    BudgetAdjustment,
    EconomyTable,
    EconomyTableRow,
    IncomeStatementRow,
    InvestmentRow,
    OperatingBudgetRow,
)
from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import VALUE_FIGURES, Indicator, IndicatorTarget, IndicatorValue

from .document import (  # noqa: F401 (re-exported: the document's names, where they were)
    ActivityData,
    AdjustmentData,
    AreaGoalData,
    BoardGoalData,
    CommitmentData,
    CoverData,
    DirectionGoalData,
    EconomyData,
    IncomeStatementRowData,
    IndicatorData,
    InternalControlData,
    InvestmentRowData,
    InvestmentTotal,
    OperatingBudgetRowData,
    OperatingBudgetTotal,
    OrganisationData,
    ReportData,
    SectionData,
    SignatoryData,
    TableData,
    TableRowData,
    TemplateData,
    Value,
)
from .models import (
    DEFAULT_SECTIONS,
    InternalControlAssessment,
    MemoAttachment,
    Period,
    ProposedDecision,
    Report,
    ReportTemplate,
    Section,
    Signatory,
)
from .numbers import normalise

QUERIES = 16

# -- assembly -------------------------------------------------------------------------------

GOAL_LEVELS = ("direction_goal", "area_goal", "board_goal", "commitment")
PARENT = {"area_goal": "direction_goal", "board_goal": "area_goal", "commitment": "board_goal"}
# select_related paths from a row pointing at a goal up to its direction goal
_CHAINS = (
    "direction_goal",
    "area_goal__direction_goal",
    "board_goal__area_goal__direction_goal",
    "commitment__board_goal__area_goal__direction_goal",
)


def _text(value: str) -> str | None:
    return value or None


def _number(value: Decimal | None) -> Decimal | None:
    return None if value is None else normalise(value)


def _figure(row, name: str) -> Value:
    value = row.get_figure(name)
    return normalise(value) if isinstance(value, Decimal) else value


def _number_key(number: str) -> tuple:
    """'1.10' after '1.9': compare the numbers part by part."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\s]+", number))


def _goal_of(row) -> tuple[str, object]:
    for level in GOAL_LEVELS:
        goal = getattr(row, level, None)
        if goal is not None:
            return level, goal
    raise ValueError(f"{row!r} hör inte till något mål.")


class _Goals:
    """The goals of a report as a tree: every goal with a row, and every goal above an item."""

    def __init__(self) -> None:
        self.goals: dict[tuple[str, int], object] = {}
        self.assessments: dict[tuple[str, int], GoalAssessment] = {}
        self.indicators: dict[tuple[str, int], list] = defaultdict(list)
        self.activities: dict[tuple[str, int], list] = defaultdict(list)

    def add(self, level: str, goal) -> tuple[str, int]:
        key = (level, goal.pk)
        while level is not None and (level, goal.pk) not in self.goals:
            self.goals[(level, goal.pk)] = goal
            level = PARENT.get(level)
            goal = getattr(goal, level) if level else None
        return key

    def children(self, level: str) -> dict[tuple[str, int] | None, list]:
        result = defaultdict(list)
        for (goal_level, _), goal in self.goals.items():
            if goal_level == level:
                parent_level = PARENT.get(level)
                parent = (
                    (parent_level, getattr(goal, f"{parent_level}_id")) if parent_level else None
                )
                result[parent].append(goal)
        for goals in result.values():
            goals.sort(key=lambda g: (g.position, _number_key(getattr(g, "number", "")), g.pk))
        return result


def build_report_data(report: Report) -> ReportData:
    """Everything the report holds, in ``QUERIES`` queries."""
    report = Report.objects.select_related(
        "board__municipality", "unit", "cover_memo", "economy_text", "template"
    ).get(pk=report.pk)
    goals = _Goals()
    for row in GoalAssessment.objects.filter(report=report).select_related(*_CHAINS):
        goals.assessments[goals.add(*_goal_of(row))] = row

    values = list(
        IndicatorValue.objects.filter(report=report).select_related(
            *(f"indicator__{chain}" for chain in _CHAINS[1:]), "indicator"
        )
    )
    targets = defaultdict(list)
    for target in IndicatorTarget.objects.filter(indicator__values__report=report):
        targets[target.indicator_id].append(target)
    previous = _previous_outcomes(report)
    for value in sorted(values, key=lambda v: (v.indicator.position, v.indicator.pk)):
        indicator = value.indicator
        key = goals.add(*_goal_of(indicator))
        goals.indicators[key].append(
            _indicator(value, indicator.target_for(report.period, targets[indicator.pk]), previous)
        )

    follow_ups = ActivityFollowUp.objects.filter(report=report).select_related(
        *(f"activity__{chain}" for chain in _CHAINS[1:]), "activity"
    )
    for follow_up in sorted(follow_ups, key=lambda f: (f.activity.position, f.activity.pk)):
        key = goals.add(*_goal_of(follow_up.activity))
        goals.activities[key].append(_activity(follow_up))

    sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    by_kind = {s.kind: s for s in sections if s.kind != Section.Kind.OTHER}
    summary = by_kind.get(Section.Kind.SUMMARY)
    control = by_kind.get(Section.Kind.INTERNAL_CONTROL)
    return ReportData(
        organisation=OrganisationData(
            municipality=report.board.municipality.name,
            board=report.board.name,
            administration=_text(report.board.administration),
            unit=report.unit.name if report.unit else None,
        ),
        year=report.year,
        period=report.period,
        deadline=report.deadline,
        template=_template(report.template),
        cover=_cover(report),
        summary=_text(summary.text) if summary else None,
        direction_goals=_direction_goals(goals),
        economy=_economy(report),
        internal_control=_internal_control(control),
        other_sections=tuple(
            SectionData(title=s.title, text=_text(s.text))
            for s in sections
            if s.kind == Section.Kind.OTHER
        ),
        anomalies=tuple(report.source_anomalies or ()),
    )


def _previous_outcomes(report: Report) -> dict[int, Value]:
    """Outcomes in last year's VB of the same board (and unit), keyed by the indicator they
    are the predecessor of. One query."""
    rows = IndicatorValue.objects.filter(
        report__board_id=report.board_id,
        report__unit_id=report.unit_id,
        report__year=report.year - 1,
        report__period=Period.VB,
        indicator__successors__values__report=report,
    )
    return {row.indicator_id: _figure(row, "outcome") for row in rows}


def _indicator(value: IndicatorValue, target: IndicatorTarget | None, previous) -> IndicatorData:
    indicator: Indicator = value.indicator
    figures = {name: _figure(value, name) for name in VALUE_FIGURES}
    last_year = previous.get(indicator.predecessor_id)
    if last_year is not None:
        figures["previous_outcome"] = last_year
    return IndicatorData(
        name=indicator.name,
        kind=_text(indicator.kind),
        unit=_text(indicator.unit),
        direction=_text(indicator.direction),
        decimals=indicator.decimals,
        frequency=indicator.frequency,
        gender_split_required=indicator.gender_split_required,
        **figures,
        annual_target=_figure(target, "annual_target") if target else None,
        kf_annual_target=_figure(target, "kf_annual_target") if target else None,
        period_label=_text(value.period_label),
        analysis=_text(value.analysis),
    )


def _activity(follow_up: ActivityFollowUp) -> ActivityData:
    activity = follow_up.activity
    return ActivityData(
        title=activity.title,
        kind=_text(activity.kind),
        start_date=activity.start_date,
        end_date=activity.end_date,
        status=_text(follow_up.status),
        deviation=_text(follow_up.deviation),
        analysis=_text(follow_up.analysis),
    )


def _direction_goals(goals: _Goals) -> tuple[DirectionGoalData, ...]:
    tree = {level: goals.children(level) for level in GOAL_LEVELS}

    def judged(level: str, goal) -> dict:
        row = goals.assessments.get((level, goal.pk))
        return {
            "assessment": _text(row.assessment) if row else None,
            "analysis": _text(row.analysis) if row else None,
        }

    def items(level: str, goal) -> dict:
        return {
            "indicators": tuple(goals.indicators[(level, goal.pk)]),
            "activities": tuple(goals.activities[(level, goal.pk)]),
        }

    def commitment(goal) -> CommitmentData:
        return CommitmentData(
            title=goal.title,
            expected_results=tuple(goal.expected_results or ()),
            **judged("commitment", goal),
            **items("commitment", goal),
        )

    def board_goal(goal) -> BoardGoalData:
        return BoardGoalData(
            number=goal.number,
            title=goal.title,
            description=_text(goal.description),
            expected_results=tuple(goal.expected_results or ()),
            **judged("board_goal", goal),
            **items("board_goal", goal),
            commitments=tuple(commitment(c) for c in tree["commitment"][("board_goal", goal.pk)]),
        )

    def area_goal(goal) -> AreaGoalData:
        return AreaGoalData(
            number=goal.number,
            title=goal.title,
            **judged("area_goal", goal),
            **items("area_goal", goal),
            board_goals=tuple(board_goal(g) for g in tree["board_goal"][("area_goal", goal.pk)]),
        )

    return tuple(
        DirectionGoalData(
            number=goal.number,
            title=goal.title,
            **judged("direction_goal", goal),
            area_goals=tuple(area_goal(g) for g in tree["area_goal"][("direction_goal", goal.pk)]),
        )
        for goal in tree["direction_goal"][None]
    )


def _template(template: ReportTemplate | None) -> TemplateData | None:
    if template is None:
        return None
    return TemplateData(
        name=template.name,
        sections=tuple(template.sections or DEFAULT_SECTIONS),
        tertial_wording=template.tertial_wording,
        unassessed_label=_text(template.unassessed_label),
    )


def _cover(report: Report) -> CoverData | None:
    memo = getattr(report, "cover_memo", None)
    # The lists are read even without a memo, so the number of queries never varies.
    decisions = ProposedDecision.objects.filter(cover_memo__report=report).order_by("position")
    signatories = Signatory.objects.filter(cover_memo__report=report).order_by("position")
    attachments = MemoAttachment.objects.filter(cover_memo__report=report).order_by("position")
    decisions, signatories, attachments = list(decisions), list(signatories), list(attachments)
    if memo is None:
        return None
    return CoverData(
        case_officer=_text(memo.case_officer),
        phone=_text(memo.phone),
        to=_text(memo.to),
        date=memo.date,
        dnr=_text(memo.dnr),
        title=_text(memo.title),
        proposed_decisions=tuple(d.text for d in decisions),
        signatories=tuple(SignatoryData(name=s.name, title=s.title) for s in signatories),
        attachments=tuple(a.title for a in attachments),
    )


def _economy(report: Report) -> EconomyData | None:
    adjustments = defaultdict(list)
    for adjustment in BudgetAdjustment.objects.filter(row__report=report).order_by(
        "position", "pk"
    ):
        adjustments[adjustment.row_id].append(
            AdjustmentData(label=adjustment.label, amount=normalise(adjustment.amount))
        )
    operating_budget = tuple(
        OperatingBudgetRowData(
            area=row.area.name,
            previous_year_outcome=_number(row.previous_year_outcome),
            budget=_number(row.budget),
            outcome=_number(row.outcome),
            forecast=_number(row.forecast),
            adjustments=tuple(adjustments[row.pk]),
            comment=_text(row.comment),
        )
        for row in OperatingBudgetRow.objects.filter(report=report)
        .select_related("area")
        .order_by("area__position", "area__pk")
    )
    income_statement = tuple(
        IncomeStatementRowData(
            label=row.label,
            kind=row.kind,
            budget=_number(row.budget),
            outcome=_number(row.outcome),
            previous_budget=_number(row.previous_budget),
            previous_outcome=_number(row.previous_outcome),
        )
        for row in IncomeStatementRow.objects.filter(report=report).order_by("position", "pk")
    )
    investments = tuple(
        InvestmentRowData(
            category=row.category,
            budget=_number(row.budget),
            outcome=_number(row.outcome),
            forecast=_number(row.forecast),
            previous_forecast=_number(row.previous_forecast),
        )
        for row in InvestmentRow.objects.filter(report=report).order_by("position", "pk")
    )
    table_rows = defaultdict(list)
    for row in EconomyTableRow.objects.filter(table__report=report).order_by("position", "pk"):
        table_rows[row.table_id].append(
            TableRowData(label=row.label, values=tuple(row.values), is_total=row.is_total)
        )
    tables = tuple(
        TableData(title=t.title, columns=tuple(t.columns), rows=tuple(table_rows[t.pk]))
        for t in EconomyTable.objects.filter(report=report).order_by("position", "pk")
    )
    economy_text = getattr(report, "economy_text", None)
    analysis = _text(economy_text.analysis) if economy_text else None
    if not (analysis or tables or operating_budget or income_statement or investments):
        return None
    return EconomyData(
        analysis=analysis,
        tables=tables,
        operating_budget=operating_budget,
        income_statement=income_statement,
        investments=investments,
    )


def _internal_control(section: Section | None) -> InternalControlData | None:
    if section is None or not (section.assessment or section.text):
        return None
    label = InternalControlAssessment(section.assessment).label if section.assessment else None
    return InternalControlData(assessment=label, analysis=_text(section.text))
