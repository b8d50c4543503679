"""A report's data, gathered once: ``build_report_data(report) -> ReportData``.

The dataclasses are in ``reporting.document`` (re-exported here for older imports).

``build_report_data`` runs a fixed number of queries (``QUERIES``) whatever the report's size: a
handful of flat queries keyed by the report, with the tree built in Python. A report contains
exactly the goals, indicators, activities and operating areas it has rows for
(GoalAssessment, IndicatorValue, ActivityFollowUp, OperatingBudgetRow); a goal above a
contained item appears even without an assessment row of its own, unassessed, so that nothing
the report holds is lost. Children are ordered by their ``position``.
"""

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.utils import timezone

from budget.models import (
    AdjustmentKind,
    BudgetAdjustment,
    EconomyTable,
    EconomyTableRow,
    GivenTotals,
    IncomeStatementRow,
    InvestmentRow,
)
from goals.models import ActivityFollowUp
from indicators.models import VALUE_FIGURES, Indicator, IndicatorTarget, IndicatorValue

from .document import (  # noqa: F401 (re-exported: the document's names, where they were)
    BUILT_IN_TABLES,
    LEGACY_ANALYSIS,
    ActivityData,
    AdjustmentData,
    AreaGoalData,
    BoardGoalData,
    CommitmentData,
    CoverData,
    DirectionGoalData,
    EconomyData,
    EconomySubsectionData,
    GivenTotalsData,
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
    ProposedDecision,
    Report,
    ReportTemplate,
    Section,
    Signatory,
)
from .numbers import figures_from_json, normalise
from .tree import Node, ReportTree, item_key, load_tree

QUERIES = 23  # the tree's (reporting.tree.QUERIES) and the cover memo's and economy's

# -- assembly -------------------------------------------------------------------------------


def _text(value: str) -> str | None:
    return value or None


def _number(value: Decimal | None) -> Decimal | None:
    return None if value is None else normalise(value)


def _value(value: Value) -> Value:
    return normalise(value) if isinstance(value, Decimal) else value


def _figure(row, name: str) -> Value:
    return _value(row.get_figure(name))


def build_report_data(report: Report, tree: ReportTree | None = None) -> ReportData:
    """Everything the report holds, in ``QUERIES`` queries (fewer when ``tree`` is given: the
    report's tree, ``reporting.tree.load_tree``)."""
    if tree is None:
        tree = load_tree(report)
    report = tree.report
    summary = tree.summary.row
    control = tree.internal_control.row if tree.internal_control else None
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
        summary_key=tree.summary.key,
        direction_goals=tuple(_direction_goal(node) for node in tree.goals),
        economy=_economy(report, tree),
        internal_control=_internal_control(control),
        other_sections=tuple(
            SectionData(title=node.row.title, text=_text(node.row.text), key=node.key)
            for node in tree.sections
        ),
        anomalies=tuple(report.source_anomalies or ()),
    )


def _indicator(node: Node) -> IndicatorData:
    value: IndicatorValue = node.row
    indicator: Indicator = value.indicator
    target: IndicatorTarget | None = node.target
    figures = {name: _figure(value, name) for name in VALUE_FIGURES}
    if node.previous_outcome is not None:
        figures["previous_outcome"] = _value(node.previous_outcome)
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
        key=node.key,
        confirmed=_confirmed(value),
    )


def _confirmed(value: IndicatorValue) -> str:
    """Who confirmed the value's figures and when, while they are the ones confirmed."""
    if not value.confirmation_holds:
        return ""
    user = value.confirmed_by
    who = (user.get_full_name() or user.get_username()) if user else "en borttagen användare"
    return f"{who} {timezone.localtime(value.confirmed_at):%Y-%m-%d %H:%M}"


def _activity(node: Node) -> ActivityData:
    follow_up: ActivityFollowUp = node.row
    activity = follow_up.activity
    return ActivityData(
        title=activity.title,
        kind=_text(activity.kind),
        start_date=activity.start_date,
        end_date=activity.end_date,
        status=_text(follow_up.status),
        deviation=_text(follow_up.deviation),
        analysis=_text(follow_up.analysis),
        key=node.key,
    )


def _judged(node: Node) -> dict:
    row = node.row
    return {
        "assessment": _text(row.assessment) if row else None,
        "analysis": _text(row.analysis) if row else None,
        "key": node.key,
    }


def _items(node: Node) -> dict:
    return {
        "indicators": tuple(_indicator(n) for n in node.indicators),
        "activities": tuple(_activity(n) for n in node.activities),
    }


def _commitment(node: Node) -> CommitmentData:
    goal = node.goal
    return CommitmentData(
        title=goal.title,
        expected_results=tuple(goal.expected_results or ()),
        **_judged(node),
        **_items(node),
    )


def _board_goal(node: Node) -> BoardGoalData:
    goal = node.goal
    return BoardGoalData(
        number=goal.number,
        title=goal.title,
        description=_text(goal.description),
        expected_results=tuple(goal.expected_results or ()),
        **_judged(node),
        **_items(node),
        commitments=tuple(_commitment(n) for n in node.children),
    )


def _area_goal(node: Node) -> AreaGoalData:
    goal = node.goal
    return AreaGoalData(
        number=goal.number,
        title=goal.title,
        **_judged(node),
        **_items(node),
        board_goals=tuple(_board_goal(n) for n in node.children),
    )


def _direction_goal(node: Node) -> DirectionGoalData:
    goal = node.goal
    return DirectionGoalData(
        number=goal.number,
        title=goal.title,
        **_judged(node),
        area_goals=tuple(_area_goal(n) for n in node.children),
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
        key=item_key(memo),
    )


def _economy(report: Report, tree: ReportTree) -> EconomyData | None:
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
            given=figures_from_json(row.given),
            key=item_key(row),
        )
        for row in (node.row for node in tree.budget_rows)  # in the areas' order
    )
    income_statement = tuple(
        IncomeStatementRowData(
            label=row.label,
            kind=row.kind,
            budget=_number(row.budget),
            outcome=_number(row.outcome),
            previous_budget=_number(row.previous_budget),
            previous_outcome=_number(row.previous_outcome),
            given=figures_from_json(row.given),
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
            given=figures_from_json(row.given),
        )
        for row in InvestmentRow.objects.filter(report=report).order_by("position", "pk")
    )
    table_rows = defaultdict(list)
    for row in EconomyTableRow.objects.filter(table__report=report).order_by("position", "pk"):
        table_rows[row.table_id].append(
            TableRowData(label=row.label, values=tuple(row.values), is_total=row.is_total)
        )
    free_tables = list(EconomyTable.objects.filter(report=report).order_by("position", "pk"))
    tables = tuple(
        TableData(title=t.title, columns=tuple(t.columns), rows=tuple(table_rows[t.pk]))
        for t in free_tables
    )
    # Read even without an economy, so the number of queries never varies.
    adjustment_kinds = tuple(
        AdjustmentKind.objects.filter(board_id=report.board_id, year=report.year)
        .order_by("position", "pk")
        .values_list("label", flat=True)
    )
    given_totals = _given_totals(getattr(report, "given_totals", None))  # with the tree's report
    economy_text = getattr(report, "economy_text", None)
    data = EconomyData(
        analysis=_text(economy_text.analysis) if economy_text else None,
        tables=tables,
        operating_budget=operating_budget,
        income_statement=income_statement,
        investments=investments,
        subsections=_subsections(tree.economy_subsections, free_tables),
        key=item_key(economy_text) if economy_text else "",
        adjustment_kinds=adjustment_kinds,
        given_totals=given_totals,
    )
    data = _as_legacy(data)
    if not (
        data.analysis
        or tables
        or operating_budget
        or income_statement
        or investments
        or data.subsections
    ):
        return None
    return data


def _subsections(nodes: list[Node], free_tables: list[EconomyTable]):
    """Each subsection with its tables: a built-in table by name, a free table by its index
    in the economy's tables (``"table"`` takes the subsection's next own table; its own
    tables no ``"table"`` names follow)."""
    own = defaultdict(list)
    for number, table in enumerate(free_tables):
        if table.subsection_id is not None:
            own[table.subsection_id].append(number)
    subsections = []
    for node in nodes:
        row = node.row
        queue = own[row.pk]
        tables: list[str | int] = []
        for name in row.tables or ():
            if name in BUILT_IN_TABLES and name not in tables:
                tables.append(name)
            elif name == "table" and queue:
                tables.append(queue.pop(0))
        tables += queue
        subsections.append(
            EconomySubsectionData(
                heading=row.heading, text=_text(row.text), tables=tuple(tables), key=node.key
            )
        )
    return tuple(subsections)


def _as_legacy(data: EconomyData) -> EconomyData:
    """Subsections exactly as the format before them lays the economy out (a report upgraded
    or loaded from such a file) are that format: the text of "Analys av ekonomin" is the
    economy's ``analysis`` and there are no subsections, so the report exports as it was."""
    subsections = data.subsections
    if not subsections or data.analysis:
        return data
    last = subsections[-1]
    analysis = None
    if last.heading == LEGACY_ANALYSIS and not last.tables and last.text:
        analysis = last.text
    legacy = replace(data, analysis=analysis, subsections=())
    shape = [(s.heading, s.text, s.tables) for s in subsections]
    if shape != [(s.heading, s.text, s.tables) for s in legacy.legacy_layout()]:
        return data
    key = last.key if analysis else data.key
    return replace(legacy, key=key)


def _given_totals(row: GivenTotals | None) -> GivenTotalsData | None:
    if row is None:
        return None
    data = GivenTotalsData(
        operating_budget=figures_from_json(row.operating_budget),
        income_statement=figures_from_json(row.income_statement),
        investments=figures_from_json(row.investments),
    )
    return data if data.operating_budget or data.income_statement or data.investments else None


def _internal_control(section: Section | None) -> InternalControlData | None:
    if section is None or not (section.assessment or section.text):
        return None
    label = InternalControlAssessment(section.assessment).label if section.assessment else None
    return InternalControlData(
        assessment=label, analysis=_text(section.text), key=item_key(section)
    )
