"""Loading: a valid interchange document read into a report's data (``from_json``) and written
into the database (``import_report``), in one transaction or not at all.

New rows are written in bulk: the writer collects them per model and creates each model's rows
with one ``bulk_create`` (``_Writer.flush``), level by level of the goal tree, so that a child
is created after its parent has its key. Every written model has the audited manager
(``reporting.history.AuditedManager``), whose ``bulk_create`` writes the rows' history in bulk
too, with the acting user and the reason "import": the audit trail sees every created row as
it did row by row. A row that exists and changed is saved on its own (its version goes up, its
history records the change); a row that is no longer in the file is deleted on its own."""

import itertools
from collections import defaultdict
from functools import partial

from django.db import models, transaction

from budget.models import (
    AdjustmentKind,
    BudgetAdjustment,
    EconomySubsection,
    EconomyTable,
    EconomyTableRow,
    EconomyText,
    GivenTotals,
    IncomeStatementRow,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
)
from goals.models import (
    Activity,
    ActivityFollowUp,
    AreaGoal,
    BoardGoal,
    Commitment,
    DirectionGoal,
    GoalAssessment,
)
from indicators.models import VALUE_FIGURES, Indicator, IndicatorTarget, IndicatorValue

from ..document import (
    ActivityData,
    AreaGoalData,
    BoardGoalData,
    CommitmentData,
    CoverData,
    DirectionGoalData,
    EconomyData,
    IndicatorData,
    ReportData,
    document_from_interchange,
)
from ..history import AuditedManager
from ..models import (
    Board,
    CoverMemo,
    MemoAttachment,
    Municipality,
    ProposedDecision,
    Report,
    ReportItem,
    ReportTemplate,
    Section,
    Signatory,
    Unit,
)
from ..numbers import figures_to_json
from ..signals import report_content_changed
from .export import TARGET_FIGURES
from .validate import InvalidDocument, Problem, _control_value, validate

# -- reading a valid document ---------------------------------------------------------------

# The document dataclasses of a valid document: the document layer builds them, so that an
# approved report's frozen document is shown through the same function.
from_json = document_from_interchange


# -- import ---------------------------------------------------------------------------------


def import_report(document) -> Report:
    """Validate ``document`` fully, then write it in one transaction: ``InvalidDocument`` with
    every problem, and nothing written, when it is not valid."""
    problems = validate(document)
    if problems:
        raise InvalidDocument(problems)
    return _write(from_json(document))


def _put(instance: models.Model, **fields) -> models.Model:
    """Save ``instance`` when it is new or one of ``fields`` changed. A changed report item
    gets a new version, so an editor who holds the old one meets a conflict."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if instance.pk is None:
        instance.save()
    elif changed:
        if isinstance(instance, ReportItem):
            instance.version += 1
        instance.save()
    return instance


def _sync_list(existing: list, wanted: list[dict], make, *, start: int = 0, put=_put) -> list:
    """Make the ordered rows ``existing`` equal ``wanted``, matched by position."""
    rows = []
    for i, fields in enumerate(wanted):
        row = existing[i] if i < len(existing) else make()
        rows.append(put(row, position=start + i, **fields))
    for row in existing[len(wanted) :]:
        row.delete()
    return rows


def _singleton(row, wanted: dict | None, make, put=_put) -> None:
    """Make the single row ``row`` (or its absence) equal ``wanted`` (None: no row)."""
    if wanted is None:
        if row is not None:
            row.delete()
    else:
        put(row or make(), **wanted)


def _figures(item, names) -> dict:
    fields = {}
    for name in names:
        value = getattr(item, name)
        text = value if isinstance(value, str) else ""
        fields[name] = None if isinstance(value, str) else value
        fields[f"{name}_text"] = text
    return fields


def _goal_key(row) -> tuple[str, int]:
    """(level, goal id) of a row that hangs on a goal (``reporting.levels.AttachedToGoal``)."""
    level = row.goal_level
    if level is None:
        raise ValueError(f"{row!r} hör inte till något mål.")
    return level.value, getattr(row, f"{level.value}_id")


@transaction.atomic
def _write(data: ReportData) -> Report:
    organisation = data.organisation
    municipality, _ = Municipality.objects.get_or_create(name=organisation.municipality)
    board, _ = Board.objects.get_or_create(municipality=municipality, name=organisation.board)
    _put(board, administration=organisation.administration or "")
    unit = None
    if organisation.unit:
        unit, _ = Unit.objects.get_or_create(board=board, name=organisation.unit)
    report, _ = Report.objects.get_or_create(
        board=board, unit=unit, year=data.year, period=data.period
    )
    # The status under the row lock that a workflow move takes (see access.lock_draft).
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.DRAFT:
        raise InvalidDocument(
            [
                Problem(
                    "period",
                    f"{report} har status ”{report.get_status_display()}” och kan inte skrivas "
                    "över av en import. Bara ett utkast kan ändras; öppna rapporten igen först.",
                )
            ]
        )
    _put(report, source_anomalies=list(data.anomalies), **_report_fields(report, data))
    writer = _Writer(report)
    writer.write(data)
    report.import_warnings = writer.warnings
    report_content_changed(report.pk)  # the stored review is refreshed in the worker
    return report


def _report_fields(report: Report, data: ReportData) -> dict:
    """The report's deadline and template from the document; without them (null or absent, as
    in documents made before they were in the format) the report keeps its own. A template is
    found by name among the board's and then the municipality's; one the database does not
    know is made for the board as the document describes it; an existing template is never
    changed by an import."""
    fields = {}
    if data.deadline is not None:
        fields["deadline"] = data.deadline
    if data.template is not None:
        templates = ReportTemplate.for_board(report.board).filter(name=data.template.name)
        template = min(templates, key=lambda t: t.board_id is None, default=None)
        if template is None:
            template = ReportTemplate.objects.create(
                board=report.board,
                name=data.template.name,
                sections=list(data.template.sections),
                tertial_wording=data.template.tertial_wording,
                unassessed_label=data.template.unassessed_label or "",
            )
        fields["template_id"] = template.pk
    return fields


class _Writer:
    """Writes one report's data: upserts the plan, makes the report's rows equal the data."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.board = board = report.board
        self.unit = unit = report.unit
        self.year = year = report.year
        self.positions = defaultdict(itertools.count)
        # the plan of the year, by natural key
        self.direction_goals = {
            g.number: g
            for g in DirectionGoal.objects.filter(municipality=board.municipality, year=year)
        }
        self.area_goals = {
            (g.direction_goal_id, g.number): g
            for g in AreaGoal.objects.filter(
                direction_goal__municipality=board.municipality, direction_goal__year=year
            )
        }
        self.board_goals = {g.number: g for g in BoardGoal.objects.filter(board=board, year=year)}
        self.commitments = {}
        if unit:
            self.commitments = {
                (c.board_goal_id, c.title): c
                for c in Commitment.objects.filter(
                    unit=unit, board_goal__board=board, board_goal__year=year
                )
            }
        plan_goals = ("area_goal", "board_goal", "commitment__board_goal")
        self.indicators = {
            (_goal_key(i), i.name): i
            for i in Indicator.objects.filter(board=board, year=year).select_related(*plan_goals)
        }
        self.activities = {
            (_goal_key(a), a.title): a for a in Activity.objects.filter(board=board, year=year)
        }
        self.areas = {a.name: a for a in OperatingArea.objects.filter(board=board, year=year)}
        self.adjustment_kinds = {
            k.label.strip().casefold(): k
            for k in AdjustmentKind.objects.filter(board=board, year=year)
        }
        self.targets = {
            t.indicator_id: t
            for t in IndicatorTarget.objects.filter(
                indicator__board=board, indicator__year=year, period=report.period
            )
        }
        # the report's own rows; what is left in these at the end is deleted
        self.assessments = {_goal_key(a): a for a in report.goal_assessments.all()}
        self.values = {v.indicator_id: v for v in report.indicator_values.all()}
        self.follow_ups = {f.activity_id: f for f in report.activity_follow_ups.all()}
        self.budget_rows = {r.area_id: r for r in report.operating_budget_rows.all()}
        self.imported_indicators: list[Indicator] = []
        self.warnings: list[str] = []
        # new rows, per model in the order their models first appear: written by flush()
        self.pending: dict[type[models.Model], list[models.Model]] = {}
        self.pending_ids: set[int] = set()

    def put(self, instance: models.Model, **fields) -> models.Model:
        """``_put``, except that a new row waits in ``self.pending`` for the next flush."""
        if instance.pk is not None:
            return _put(instance, **fields)
        for name, value in fields.items():
            setattr(instance, name, value)
        if id(instance) not in self.pending_ids:  # a row named twice is written once
            self.pending_ids.add(id(instance))
            self.pending.setdefault(type(instance), []).append(instance)
        return instance

    def flush(self) -> None:
        """Create the pending rows, one ``bulk_create`` a model (and one for its history).
        A model that keeps a history without the audited manager is written row by row,
        so that its history never misses a row."""
        for model, rows in self.pending.items():
            manager = model._default_manager
            if hasattr(model, "history") and not isinstance(manager, AuditedManager):
                for row in rows:
                    row.save()
            else:
                manager.bulk_create(rows)
        self.pending, self.pending_ids = {}, set()

    def upsert(self, cache: dict, key, make, **fields):
        instance = cache.get(key) or make()
        cache[key] = self.put(instance, **fields)
        return instance

    def council_goal(self, cache: dict, key, make, label: str, *, title: str, position: int):
        """The council's goals are shared by every board of the municipality and kept by the
        city: an import creates one the year lacks, but never changes one that exists (another
        board's plan and reports show it). A title that differs is reported in
        ``self.warnings``, not applied."""
        existing = cache.get(key)
        if existing is None:
            return self.upsert(cache, key, make, title=title, position=position)
        if existing.title.strip() != (title or "").strip():
            self.warnings.append(
                f"{label} heter ”{existing.title}” i kommunens mål men ”{title}” i filen. "
                "KF:s mål delas av alla nämnder och ändras bara av stadens administratör; "
                "rubriken i filen används inte."
            )
        return existing

    def write(self, data: ReportData) -> None:
        self.goals(data)
        self.economy(data.economy)
        self.sections(data)
        self.cover(data.cover)
        self.flush()
        for rows in (self.assessments, self.values, self.follow_ups, self.budget_rows):
            for row in rows.values():
                row.delete()

    # -- goals, indicators, activities

    def goals(self, data: ReportData) -> None:
        """The goal tree level by level (each level's new goals in one write, so that the next
        level finds their keys), then each goal's assessment, indicators and activities in the
        document's order, then the links between the years' indicators."""
        goal: dict[int, models.Model] = {}  # id() of a goal's data -> its row
        for d in data.direction_goals:
            goal[id(d)] = self.direction_goal(d)
        self.flush()
        for d in data.direction_goals:
            for a in d.area_goals:
                goal[id(a)] = self.area_goal(goal[id(d)], a)
        self.flush()
        for d in data.direction_goals:
            for a in d.area_goals:
                for b in a.board_goals:
                    goal[id(b)] = self.board_goal(goal[id(a)], b)
        self.flush()
        for d in data.direction_goals:
            for a in d.area_goals:
                for b in a.board_goals:
                    for c in b.commitments:
                        goal[id(c)] = self.commitment(goal[id(b)], c)
        self.flush()
        for d in data.direction_goals:
            self.assess("direction_goal", goal[id(d)], d)
            for a in d.area_goals:
                self.assess("area_goal", goal[id(a)], a)
                self.goal_items("area_goal", goal[id(a)], a)
                for b in a.board_goals:
                    self.assess("board_goal", goal[id(b)], b)
                    self.goal_items("board_goal", goal[id(b)], b)
                    for c in b.commitments:
                        self.assess("commitment", goal[id(c)], c)
                        self.goal_items("commitment", goal[id(c)], c)
        self.link_to_earlier()
        self.flush()
        self.link_later()

    def assess(self, level: str, goal, item) -> None:
        row = self.assessments.pop((level, goal.pk), None)
        row = row or GoalAssessment(report=self.report, **{level: goal})
        self.put(row, assessment=item.assessment or "", analysis=item.analysis or "")

    def direction_goal(self, item: DirectionGoalData) -> DirectionGoal:
        municipality = self.board.municipality
        return self.council_goal(
            self.direction_goals,
            item.number,
            lambda: DirectionGoal(municipality=municipality, year=self.year, number=item.number),
            f"Inriktningsmål {item.number}",
            title=item.title,
            position=next(self.positions[DirectionGoal]),
        )

    def area_goal(self, direction_goal: DirectionGoal, item: AreaGoalData) -> AreaGoal:
        return self.council_goal(
            self.area_goals,
            (direction_goal.pk, item.number),
            lambda: AreaGoal(direction_goal=direction_goal, number=item.number),
            f"KF:s mål för verksamhetsområdet {item.number}",
            title=item.title,
            position=next(self.positions[AreaGoal]),
        )

    def board_goal(self, area_goal: AreaGoal, item: BoardGoalData) -> BoardGoal:
        return self.upsert(
            self.board_goals,
            item.number,
            lambda: BoardGoal(board=self.board, year=self.year, number=item.number),
            area_goal_id=area_goal.pk,
            title=item.title,
            description=item.description or "",
            expected_results=list(item.expected_results),
            position=next(self.positions[BoardGoal]),
        )

    def commitment(self, board_goal: BoardGoal, item: CommitmentData) -> Commitment:
        return self.upsert(
            self.commitments,
            (board_goal.pk, item.title),
            lambda: Commitment(unit=self.unit, board_goal=board_goal, title=item.title),
            expected_results=list(item.expected_results),
            position=next(self.positions[Commitment]),
        )

    def goal_items(self, level: str, goal, item) -> None:
        for indicator in item.indicators:
            self.indicator(level, goal, indicator)
        for activity in item.activities:
            self.activity(level, goal, activity)

    def indicator(self, level: str, goal, item: IndicatorData) -> None:
        indicator = self.upsert(
            self.indicators,
            ((level, goal.pk), item.name),
            lambda: Indicator(board=self.board, year=self.year, name=item.name, **{level: goal}),
            kind=item.kind or "",
            unit=item.unit or "",
            direction=item.direction or "",
            decimals=item.decimals,
            frequency=item.frequency or Indicator.Frequency.TERTIAL,
            gender_split_required=item.gender_split_required,
            position=next(self.positions[Indicator]),
        )
        self.imported_indicators.append(indicator)
        # a new indicator has no key yet: it has neither a target nor a value to find
        target = self.targets.get(indicator.pk) if indicator.pk else None
        self.put(
            target or IndicatorTarget(indicator=indicator, period=self.report.period),
            **_figures(item, TARGET_FIGURES),
        )
        value = self.values.pop(indicator.pk, None) if indicator.pk else None
        self.put(
            value or IndicatorValue(report=self.report, indicator=indicator),
            **_figures(item, VALUE_FIGURES),
            period_label=item.period_label or "",
            analysis=item.analysis or "",
        )

    def activity(self, level: str, goal, item: ActivityData) -> None:
        activity = self.upsert(
            self.activities,
            ((level, goal.pk), item.title),
            lambda: Activity(board=self.board, year=self.year, title=item.title, **{level: goal}),
            kind=item.kind or "",
            start_date=item.start_date,
            end_date=item.end_date,
            position=next(self.positions[Activity]),
        )
        follow_up = self.follow_ups.pop(activity.pk, None) if activity.pk else None
        self.put(
            follow_up or ActivityFollowUp(report=self.report, activity=activity),
            status=item.status or "",
            deviation=item.deviation or "",
            analysis=item.analysis or "",
        )

    def link_to_earlier(self) -> None:
        """Link each imported indicator without a predecessor to last year's indicator of the
        same name (a new one before it is written). Links already made are kept."""
        names = {i.name for i in self.imported_indicators}
        goals = ("area_goal", "board_goal", "commitment__board_goal")
        earlier = list(
            Indicator.objects.filter(
                board=self.board, year=self.year - 1, name__in=names
            ).select_related(*goals)
        )
        if not earlier:
            return
        for indicator in self.imported_indicators:
            if indicator.predecessor_id is None:
                match = _same_indicator(indicator, earlier)
                if match:
                    self.put(indicator, predecessor_id=match.pk)

    def link_later(self) -> None:
        """Link next year's indicators of an imported indicator's name that have no
        predecessor to it (the imported ones are written by now)."""
        imported = self.imported_indicators
        goals = ("area_goal", "board_goal", "commitment__board_goal")
        later = Indicator.objects.filter(
            board=self.board,
            year=self.year + 1,
            name__in={i.name for i in imported},
            predecessor__isnull=True,
        ).select_related(*goals)
        for successor in later:
            match = _same_indicator(successor, imported)
            if match:
                _put(successor, predecessor_id=match.pk)

    # -- economy, sections, cover memo

    def economy(self, economy: EconomyData | None) -> None:
        report = self.report
        economy = economy or EconomyData(None, (), (), (), ())
        # Without subsections (the format before them) the economy is laid out as it always
        # printed, its text last under "Analys av ekonomin"; that is what the database keeps
        # (``reporting.assemble`` gives such a report back in the same format).
        legacy = not economy.subsections
        subsections = economy.legacy_layout() if legacy else economy.subsections
        introduction = None if legacy else economy.analysis
        _singleton(
            EconomyText.objects.filter(report=report).first(),
            {"analysis": introduction} if introduction else None,
            lambda: EconomyText(report=report),
            put=self.put,
        )
        self.adjustment_kind_order(economy.adjustment_kinds)
        given = economy.given_totals
        _singleton(
            GivenTotals.objects.filter(report=report).first(),
            {
                "operating_budget": figures_to_json(given.operating_budget),
                "income_statement": figures_to_json(given.income_statement),
                "investments": figures_to_json(given.investments),
            }
            if given
            else None,
            lambda: GivenTotals(report=report),
            put=self.put,
        )
        rows = _sync_list(
            list(report.economy_subsections.order_by("position", "pk")),
            [
                {
                    "heading": s.heading,
                    "text": s.text or "",
                    "tables": ["table" if isinstance(t, int) else t for t in s.tables],
                }
                for s in subsections
            ],
            lambda: EconomySubsection(report=report),
            start=1,
            put=self.put,
        )
        self.flush()  # the new subsections' keys, for the free tables they hold
        holder = {
            table: row.pk
            for row, item in zip(rows, subsections, strict=True)
            for table in item.tables
            if isinstance(table, int)
        }
        adjustments = defaultdict(list)
        for adjustment in BudgetAdjustment.objects.filter(row__report=report).order_by(
            "position", "pk"
        ):
            adjustments[adjustment.row_id].append(adjustment)
        for item in economy.operating_budget:
            area = self.upsert(
                self.areas,
                item.area,
                partial(OperatingArea, board=self.board, year=self.year, name=item.area),
                position=next(self.positions[OperatingArea]),
            )
            row = self.budget_rows.pop(area.pk, None)
            row = self.put(
                row or OperatingBudgetRow(report=report, area=area),
                previous_year_outcome=item.previous_year_outcome,
                budget=item.budget,
                outcome=item.outcome,
                forecast=item.forecast,
                comment=item.comment or "",
                given=figures_to_json(item.given),
            )
            _sync_list(
                adjustments[row.pk],
                [{"label": a.label, "amount": a.amount} for a in item.adjustments],
                lambda row=row: BudgetAdjustment(row=row),
                put=self.put,
            )
        _sync_list(
            list(report.income_statement_rows.order_by("position", "pk")),
            [
                {
                    "label": r.label,
                    "kind": r.kind,
                    "budget": r.budget,
                    "outcome": r.outcome,
                    "previous_budget": r.previous_budget,
                    "previous_outcome": r.previous_outcome,
                    "given": figures_to_json(r.given),
                }
                for r in economy.income_statement
            ],
            lambda: IncomeStatementRow(report=report),
            put=self.put,
        )
        _sync_list(
            list(report.investment_rows.order_by("position", "pk")),
            [
                {
                    "category": r.category,
                    "budget": r.budget,
                    "outcome": r.outcome,
                    "forecast": r.forecast,
                    "previous_forecast": r.previous_forecast,
                    "given": figures_to_json(r.given),
                }
                for r in economy.investments
            ],
            lambda: InvestmentRow(report=report),
            put=self.put,
        )
        table_rows = defaultdict(list)
        for row in EconomyTableRow.objects.filter(table__report=report).order_by("position", "pk"):
            table_rows[row.table_id].append(row)
        tables = _sync_list(
            list(report.economy_tables.order_by("position", "pk")),
            [
                {"title": t.title, "columns": list(t.columns), "subsection_id": holder.get(number)}
                for number, t in enumerate(economy.tables)
            ],
            lambda: EconomyTable(report=report),
            put=self.put,
        )
        for table, item in zip(tables, economy.tables, strict=True):
            _sync_list(
                table_rows[table.pk],
                [
                    {"label": r.label, "values": list(r.values), "is_total": r.is_total}
                    for r in item.rows
                ],
                lambda table=table: EconomyTableRow(table=table),
                put=self.put,
            )

    def adjustment_kind_order(self, labels: tuple[str, ...]) -> None:
        """The board's adjustment kinds of the year in the file's order: part of the plan, so
        they are upserted (matched without regard to case) and never deleted; kinds the file
        does not name keep their place after the ones it names."""
        if not labels:
            return
        named = []
        for label in labels:
            key = label.strip().casefold()
            kind = self.adjustment_kinds.get(key) or AdjustmentKind(
                board=self.board, year=self.year, label=label.strip()
            )
            self.adjustment_kinds[key] = kind
            named.append(kind)
        others = sorted(
            (k for k in self.adjustment_kinds.values() if k not in named),
            key=lambda k: (k.position, k.pk or 0),
        )
        for position, kind in enumerate([*named, *others], start=1):
            self.put(kind, position=position)

    def sections(self, data: ReportData) -> None:
        report = self.report
        sections = list(report.sections.order_by("position", "pk"))
        by_kind = {s.kind: s for s in sections if s.kind != Section.Kind.OTHER}
        _singleton(
            by_kind.get(Section.Kind.SUMMARY),
            {"text": data.summary, "position": 0} if data.summary else None,
            lambda: Section(report=report, kind=Section.Kind.SUMMARY),
            put=self.put,
        )
        control = data.internal_control
        _singleton(
            by_kind.get(Section.Kind.INTERNAL_CONTROL),
            {
                "assessment": _control_value(control.assessment or "") or "",
                "text": control.analysis or "",
                "position": 1,
            }
            if control
            else None,
            lambda: Section(report=report, kind=Section.Kind.INTERNAL_CONTROL),
            put=self.put,
        )
        _sync_list(
            [s for s in sections if s.kind == Section.Kind.OTHER],
            [{"title": s.title, "text": s.text or ""} for s in data.other_sections],
            lambda: Section(report=report, kind=Section.Kind.OTHER),
            start=2,
            put=self.put,
        )

    def cover(self, cover: CoverData | None) -> None:
        report = self.report
        memo = CoverMemo.objects.filter(report=report).first()
        if cover is None:
            if memo is not None:
                memo.delete()
            return
        memo = self.put(
            memo or CoverMemo(report=report),
            case_officer=cover.case_officer or "",
            phone=cover.phone or "",
            to=cover.to or "",
            date=cover.date,
            dnr=cover.dnr or "",
            title=cover.title or "",
        )
        _sync_list(
            list(memo.proposed_decisions.all()) if memo.pk else [],
            [{"text": text} for text in cover.proposed_decisions],
            lambda: ProposedDecision(cover_memo=memo),
            put=self.put,
        )
        _sync_list(
            list(memo.signatories.all()) if memo.pk else [],
            [{"name": s.name, "title": s.title} for s in cover.signatories],
            lambda: Signatory(cover_memo=memo),
            put=self.put,
        )
        _sync_list(
            list(memo.attachments.all()) if memo.pk else [],
            [{"title": title} for title in cover.attachments],
            lambda: MemoAttachment(cover_memo=memo),
            put=self.put,
        )


def _goal_number(indicator: Indicator) -> tuple:
    if indicator.commitment_id:
        return ("commitment", indicator.commitment.board_goal.number, indicator.commitment.title)
    goal = indicator.area_goal if indicator.area_goal_id else indicator.board_goal
    return ("area_goal" if indicator.area_goal_id else "board_goal", goal.number)


def _same_indicator(indicator: Indicator, candidates: list[Indicator]) -> Indicator | None:
    """The one candidate with the indicator's name; among several, the one under a goal with
    the same number; None when that does not settle it."""
    same = [c for c in candidates if c.name == indicator.name and c.pk != indicator.pk]
    if len(same) > 1:
        same = [c for c in same if _goal_number(c) == _goal_number(indicator)]
    return same[0] if len(same) == 1 else None
