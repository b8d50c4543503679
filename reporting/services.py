"""Writes that touch several models of a report."""

from django.db import transaction
from django.db.models import Q

from budget.models import (
    BudgetAdjustment,
    EconomySubsection,
    EconomyTable,
    EconomyTableRow,
    EconomyText,
    IncomeStatementCategory,
    IncomeStatementRow,
    InvestmentCategory,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
)
from goals.models import Activity, ActivityFollowUp, AreaGoal, BoardGoal, Commitment, GoalAssessment
from indicators.models import VALUE_FIGURES, Indicator, IndicatorValue

from .models import (
    Board,
    CoverMemo,
    MemoAttachment,
    Period,
    ProposedDecision,
    Report,
    ReportTemplate,
    Section,
    Signatory,
    Unit,
    is_tertial,
)

NEXT_PERIOD = {Period.T1: Period.T2, Period.T2: Period.VB}


class NextReportError(ValueError):
    """The next report cannot be created; the message says why, in Swedish."""


def plan_area_goal_ids(board: Board, year: int, unit: Unit | None = None) -> set[int]:
    """The council's area goals a board follows up in a year: those under which it has goals,
    indicators or activities, and those an earlier report of the year assessed."""
    ids = set(BoardGoal.objects.filter(board=board, year=year).values_list("area_goal", flat=True))
    ids |= set(
        Indicator.objects.filter(board=board, year=year, area_goal__isnull=False).values_list(
            "area_goal", flat=True
        )
    )
    ids |= set(
        Activity.objects.filter(board=board, year=year, area_goal__isnull=False).values_list(
            "area_goal", flat=True
        )
    )
    ids |= set(
        GoalAssessment.objects.filter(
            report__board=board, report__unit=unit, report__year=year, area_goal__isnull=False
        ).values_list("area_goal", flat=True)
    )
    return ids


@transaction.atomic
def create_report(
    board: Board,
    year: int,
    period: str,
    *,
    unit: Unit | None = None,
    copy_from: Report | None = None,
    **fields,
) -> Report:
    """Create a report with a row for every goal, indicator, activity and operating area of the
    year's plan, ready to be filled in. With ``copy_from`` (an earlier report of the same year),
    its texts, values, assessments and statuses are copied in (see ``copy_content``). Other
    ``fields`` (``deadline``) are set on the report."""
    report = Report.objects.create(board=board, unit=unit, year=year, period=period, **fields)
    add_plan_rows(report, categories=copy_from is None)
    if copy_from is not None:
        copy_content(copy_from, report)
        add_plan_rows(report)
    else:
        add_economy_subsections(report)
    return report


def template_subsections(report: Report) -> list[tuple[str, tuple[str, ...]]]:
    """The economy's subsections the report's template gives its period (the default
    template's when it has none): (heading, tables)."""
    template = report.template or ReportTemplate(name="Standard")
    return template.economy_subsections(report.period)


def add_economy_subsections(report: Report) -> list[EconomySubsection]:
    """Give a report without economy subsections its template's, empty and not ready."""
    if EconomySubsection.objects.filter(report=report).exists():
        return []
    return [
        EconomySubsection.objects.create(
            report=report, position=position, heading=heading, tables=list(tables)
        )
        for position, (heading, tables) in enumerate(template_subsections(report), start=1)
    ]


def _copy_economy_subsections(source: Report, report: Report) -> dict[int, EconomySubsection]:
    """The economy's subsections of the next report: the same ones within T1 and T2; from a
    tertial report to a VB the template's, with the text of a subsection of the same heading.
    Returns the new subsection of each old one (by the old one's pk)."""
    old = list(EconomySubsection.objects.filter(report=source).order_by("position", "pk"))
    if old and is_tertial(source.period) == is_tertial(report.period):
        return {subsection.pk: _copy(subsection, report=report) for subsection in old}
    by_heading = {s.heading.strip().casefold(): s for s in old}
    copied = {}
    for subsection in add_economy_subsections(report):
        match = by_heading.get(subsection.heading.strip().casefold())
        if match is not None and match.text:
            subsection.text = match.text
            subsection.save()
            copied[match.pk] = subsection
    return copied


def add_plan_rows(report: Report, *, categories: bool = True) -> None:
    """Give ``report`` a row for every goal, indicator, activity and operating area of its
    year's plan that it has no row for yet (and, for a board's own report with
    ``categories``, an income statement or investments line for every category of the plan
    that is not there by name). Rows it already has are left alone; nothing is removed."""
    board, year, unit = report.board, report.year, report.unit
    area_goals = AreaGoal.objects.filter(id__in=plan_area_goal_ids(board, year, unit))
    direction_goal_ids = set(area_goals.values_list("direction_goal", flat=True))
    board_goals = BoardGoal.objects.filter(board=board, year=year, area_goal__in=area_goals)
    commitments = Commitment.objects.filter(unit=unit, board_goal__in=board_goals) if unit else []

    have = GoalAssessment.objects.filter(report=report)
    have_goals = {
        key: set(have.exclude(**{key: None}).values_list(key, flat=True)) for key in GOAL_KEYS
    }
    GoalAssessment.objects.bulk_create(
        [
            GoalAssessment(report=report, direction_goal_id=i)
            for i in sorted(direction_goal_ids - have_goals["direction_goal_id"])
        ]
        + [
            GoalAssessment(report=report, area_goal=g)
            for g in area_goals
            if g.pk not in have_goals["area_goal_id"]
        ]
        + [
            GoalAssessment(report=report, board_goal=g)
            for g in board_goals
            if g.pk not in have_goals["board_goal_id"]
        ]
        + [
            GoalAssessment(report=report, commitment=c)
            for c in commitments
            if c.pk not in have_goals["commitment_id"]
        ]
    )
    goal_filter = _goal_filter(area_goals, board_goals, commitments)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=report, indicator=i)
        for i in Indicator.objects.filter(board=board, year=year)
        .filter(goal_filter)
        .exclude(values__report=report)
    )
    ActivityFollowUp.objects.bulk_create(
        ActivityFollowUp(report=report, activity=a)
        for a in Activity.objects.filter(board=board, year=year)
        .filter(goal_filter)
        .exclude(follow_ups__report=report)
    )
    if unit is not None:
        return
    OperatingBudgetRow.objects.bulk_create(
        OperatingBudgetRow(report=report, area=a)
        for a in OperatingArea.objects.filter(board=board, year=year).exclude(
            budget_rows__report=report
        )
    )
    if not categories:
        return
    labels = set(IncomeStatementRow.objects.filter(report=report).values_list("label", flat=True))
    for category in IncomeStatementCategory.objects.filter(board=board, year=year):
        if category.name not in labels:
            IncomeStatementRow.objects.create(
                report=report, position=category.position, label=category.name, kind=category.kind
            )
    names = set(InvestmentRow.objects.filter(report=report).values_list("category", flat=True))
    for category in InvestmentCategory.objects.filter(board=board, year=year):
        if category.name not in names:
            InvestmentRow.objects.create(
                report=report, position=category.position, category=category.name
            )


def add_plan_rows_to_drafts(board: Board, year: int) -> list[Report]:
    """Bring every open draft of the board's year up to its plan (see ``add_plan_rows``):
    an item added to the plan appears in them. Returns the drafts."""
    drafts = list(
        Report.objects.filter(board=board, year=year, status=Report.Status.DRAFT).select_related(
            "board", "unit"
        )
    )
    for report in drafts:
        add_plan_rows(report)
    return drafts


def create_next_report(previous: Report) -> Report:
    """T2 from T1 and VB from T2 of the same board (or unit) and year, starting from every text
    and value of ``previous`` so that nobody retypes them."""
    period = NEXT_PERIOD.get(previous.period)
    if period is None:
        raise NextReportError(
            f"Efter {previous.get_period_display().lower()} kommer ingen fler rapport samma år. "
            "Nästa års rapporter skapas av administratören när året är uppsatt."
        )
    exists = Report.objects.filter(
        board_id=previous.board_id, unit_id=previous.unit_id, year=previous.year, period=period
    ).exists()
    if exists:
        raise NextReportError(f"{Period(period).label} {previous.year} finns redan.")
    return create_report(
        previous.board, previous.year, period, unit=previous.unit, copy_from=previous
    )


def _fields(source, target, names) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


GOAL_KEYS = ("direction_goal_id", "area_goal_id", "board_goal_id", "commitment_id")


def copy_content(source: Report, report: Report) -> None:
    """Copy what ``source`` says into the fresh ``report``: goal assessments, indicator values,
    activity follow-ups and operating budget rows where the same goal, indicator, activity and
    operating area is in both; the income statement, investments, economy text and tables,
    sections and cover memo whole. Nothing is marked ready. Every row is written with
    ``save()`` so that the audit history sees it."""

    def goal_key(row) -> tuple:
        return tuple(getattr(row, key) for key in GOAL_KEYS)

    previous = {goal_key(r): r for r in GoalAssessment.objects.filter(report=source)}
    for row in GoalAssessment.objects.filter(report=report):
        if old := previous.get(goal_key(row)):
            _fields(old, row, ("assessment", "analysis"))
            row.save()

    figures = [f for name in VALUE_FIGURES for f in (name, f"{name}_text")]
    previous = {r.indicator_id: r for r in IndicatorValue.objects.filter(report=source)}
    for row in IndicatorValue.objects.filter(report=report):
        if old := previous.get(row.indicator_id):
            _fields(old, row, [*figures, "analysis"])
            row.save()

    previous = {r.activity_id: r for r in ActivityFollowUp.objects.filter(report=source)}
    for row in ActivityFollowUp.objects.filter(report=report):
        if old := previous.get(row.activity_id):
            _fields(old, row, ("status", "deviation", "analysis"))
            row.save()

    previous = {r.area_id: r for r in OperatingBudgetRow.objects.filter(report=source)}
    for row in OperatingBudgetRow.objects.filter(report=report):
        if old := previous.get(row.area_id):
            _fields(old, row, ("previous_year_outcome", "budget", "outcome", "forecast", "comment"))
            row.save()
            for adjustment in BudgetAdjustment.objects.filter(row=old).order_by("position", "pk"):
                _copy(adjustment, row=row)

    for row in IncomeStatementRow.objects.filter(report=source).order_by("position", "pk"):
        _copy(row, report=report)
    for row in InvestmentRow.objects.filter(report=source).order_by("position", "pk"):
        _copy(row, report=report)
    subsections = _copy_economy_subsections(source, report)
    for table in EconomyTable.objects.filter(report=source).order_by("position", "pk"):
        rows = list(EconomyTableRow.objects.filter(table=table).order_by("position", "pk"))
        copied = _copy(table, report=report, subsection=subsections.get(table.subsection_id))
        for row in rows:
            _copy(row, table=copied)
    for text in EconomyText.objects.filter(report=source):
        EconomyText.objects.create(report=report, analysis=text.analysis)
    for section in Section.objects.filter(report=source).order_by("position", "pk"):
        Section.objects.create(
            report=report,
            kind=section.kind,
            position=section.position,
            title=section.title,
            text=section.text,
            assessment=section.assessment,
        )
    memo = CoverMemo.objects.filter(report=source).first()
    if memo is not None:
        _copy_cover_memo(memo, source, report)


def _copy(original, **changes):
    """A copy of ``original`` with ``changes``, saved as a new row."""
    values = {
        f.attname: getattr(original, f.attname)
        for f in original._meta.concrete_fields
        if not f.primary_key and f.attname not in ("version", "ready", "updated_at")
    }
    for name in changes:
        values.pop(original._meta.get_field(name).attname, None)
    values.update(changes)
    copy = type(original)(**values)
    copy.save()
    return copy


def _copy_cover_memo(memo: CoverMemo, source: Report, report: Report) -> None:
    """The memo with its title and proposals moved to the new period ("Tertialrapport 1 2024"
    becomes "Tertialrapport 2 2024"); the date is left for the new decision."""

    def retitled(text: str) -> str:
        for old, new in (
            (source.title, report.title),
            (source.title.lower(), report.title.lower()),
        ):
            text = text.replace(old, new)
        return text

    copy = CoverMemo.objects.create(
        report=report,
        case_officer=memo.case_officer,
        phone=memo.phone,
        to=memo.to,
        dnr=memo.dnr,
        title=retitled(memo.title),
    )
    for decision in ProposedDecision.objects.filter(cover_memo=memo).order_by("position"):
        ProposedDecision.objects.create(
            cover_memo=copy, position=decision.position, text=retitled(decision.text)
        )
    for signatory in Signatory.objects.filter(cover_memo=memo).order_by("position"):
        _copy(signatory, cover_memo=copy)
    for attachment in MemoAttachment.objects.filter(cover_memo=memo).order_by("position"):
        _copy(attachment, cover_memo=copy)


def _goal_filter(area_goals, board_goals, commitments) -> Q:
    condition = Q(area_goal__in=area_goals) | Q(board_goal__in=board_goals)
    if commitments:
        condition |= Q(commitment__in=commitments)
    return condition
