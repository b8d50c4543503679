"""The report document: a report's data as the dataclasses every renderer, the review and the
interchange export read (``ReportData`` and its parts).

The dataclasses mirror the interchange schema (``reporting/schema/report-data.schema.json``)
key for key, so ``reporting.interchange.to_json`` is a plain conversion. Figures are ``Decimal``
(a text printed in a figure's place stays a ``str``); only the cells of the free economy tables
are kept as they were given. Derived figures (deviations, adjusted deviations, sums) are
properties, never stored. ``reporting.assemble.build_report_data`` fills them from the database,
``reporting.interchange.from_json`` from a document.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from budget import arithmetic
from indicators.models import VALUE_FIGURES

from .models import (
    DEFAULT_SECTIONS,
    InternalControlAssessment,
    Period,
    is_tertial,
)

Value = Decimal | str | None


# The key of the row a part of the document comes from (``reporting.tree.item_key``): how a review
# finding names its item. Not part of the interchange document, nor of equality; "" for data
# read from a document rather than the database.
def item_key_field():
    return field(default="", compare=False, metadata={"interchange": False})


@dataclass(frozen=True)
class OrganisationData:
    municipality: str
    board: str
    administration: str | None
    unit: str | None


@dataclass(frozen=True)
class SignatoryData:
    name: str
    title: str


@dataclass(frozen=True)
class CoverData:
    """Tjänsteutlåtande."""

    case_officer: str | None
    phone: str | None
    to: str | None
    date: date | None
    dnr: str | None
    title: str | None
    proposed_decisions: tuple[str, ...]
    signatories: tuple[SignatoryData, ...]
    attachments: tuple[str, ...]
    key: str = item_key_field()


@dataclass(frozen=True)
class IndicatorData:
    name: str
    kind: str | None
    unit: str | None
    direction: str | None
    decimals: int | None
    frequency: str | None
    gender_split_required: bool | None
    outcome: Value
    outcome_men: Value
    outcome_women: Value
    previous_outcome: Value
    forecast: Value
    annual_target: Value
    kf_annual_target: Value
    period_label: str | None
    analysis: str | None
    key: str = item_key_field()
    # "Jag bekräftar värdet": who confirmed the figures and when ("Anna Andersson 2020-02-05
    # 14:05"), while they are still the ones confirmed; working material, not part of the
    # interchange document (but of the review's change stamp)
    confirmed: str = field(default="", compare=False, metadata={"interchange": False})


@dataclass(frozen=True)
class ActivityData:
    title: str
    kind: str | None
    start_date: date | None
    end_date: date | None
    status: str | None
    deviation: str | None
    analysis: str | None
    key: str = item_key_field()


@dataclass(frozen=True)
class CommitmentData:
    """Åtagande."""

    title: str
    assessment: str | None
    expected_results: tuple[str, ...]
    analysis: str | None
    indicators: tuple[IndicatorData, ...]
    activities: tuple[ActivityData, ...]
    key: str = item_key_field()


@dataclass(frozen=True)
class BoardGoalData:
    """Nämndmål."""

    number: str
    title: str
    assessment: str | None
    description: str | None
    expected_results: tuple[str, ...]
    analysis: str | None
    indicators: tuple[IndicatorData, ...]
    activities: tuple[ActivityData, ...]
    commitments: tuple[CommitmentData, ...]
    key: str = item_key_field()


@dataclass(frozen=True)
class AreaGoalData:
    """KF:s mål för verksamhetsområdet."""

    number: str
    title: str
    assessment: str | None
    analysis: str | None
    indicators: tuple[IndicatorData, ...]
    activities: tuple[ActivityData, ...]
    board_goals: tuple[BoardGoalData, ...]
    key: str = item_key_field()


@dataclass(frozen=True)
class DirectionGoalData:
    """KF:s inriktningsmål."""

    number: str
    title: str
    assessment: str | None
    analysis: str | None
    area_goals: tuple[AreaGoalData, ...]
    key: str = item_key_field()


_sum = arithmetic.total


# A report's printed figures where its exact amounts are unknown (a published report imported
# afterwards): column -> amount. Part of the interchange document only when there are any, so
# a document without them exports unchanged.
def given_figures_field():
    return field(default_factory=dict, metadata={"omit_empty": True})


def _shown(row, column: str) -> Decimal | None:
    """A column's figure as printed: the given one where the row carries it, else computed."""
    given = row.given.get(column)
    return given if given is not None else getattr(row, column)


@dataclass(frozen=True)
class AdjustmentData:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class OperatingBudgetRowData:
    """Driftbudget for one verksamhetsområde."""

    area: str
    previous_year_outcome: Decimal | None
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    adjustments: tuple[AdjustmentData, ...]
    comment: str | None
    given: dict[str, Decimal] = given_figures_field()  # printed deviation, adjusted deviation
    key: str = item_key_field()

    def shown(self, column: str) -> Decimal | None:
        return _shown(self, column)

    @property
    def deviation(self) -> Decimal | None:
        """Avvikelse = budget − (bokslut, or prognos where there is no bokslut)."""
        spent = self.outcome if self.outcome is not None else self.forecast
        return arithmetic.deviation(self.budget, spent)

    @property
    def adjustments_total(self) -> Decimal:
        return arithmetic.total(a.amount for a in self.adjustments) or Decimal(0)

    @property
    def adjusted_deviation(self) -> Decimal | None:
        """Justerad avvikelse = avvikelse + every adjustment."""
        return arithmetic.adjusted_deviation(self.deviation, (a.amount for a in self.adjustments))

    def adjustment(self, label: str) -> Decimal | None:
        """The row's amount in the adjustment column ``label``; None when it has none."""
        return _adjustment(self, label)


@dataclass(frozen=True)
class OperatingBudgetTotal:
    """'Nämnden totalt': every column of the operating budget summed."""

    previous_year_outcome: Decimal | None
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    deviation: Decimal | None
    adjustments: tuple[AdjustmentData, ...]
    adjusted_deviation: Decimal | None


@dataclass(frozen=True)
class IncomeStatementRowData:
    """Resultaträkning: one intäkts- or kostnadsslag (revenues negative, costs positive)."""

    label: str
    kind: str
    budget: Decimal | None
    outcome: Decimal | None
    previous_budget: Decimal | None
    previous_outcome: Decimal | None
    given: dict[str, Decimal] = given_figures_field()  # the printed change

    def shown(self, column: str) -> Decimal | None:
        return _shown(self, column)

    @property
    def change(self) -> Decimal | None:
        """Förändring: the change of the income for an income row, of the cost otherwise
        (``budget.arithmetic.change``)."""
        return arithmetic.change(self.kind, self.outcome, self.previous_outcome)

    @property
    def consumption(self) -> Decimal | None:
        """Förbrukning: outcome / budget (compare with the riktvärde 4/12, 8/12)."""
        return arithmetic.consumption(self.outcome, self.budget)

    @property
    def previous_consumption(self) -> Decimal | None:
        return arithmetic.consumption(self.previous_outcome, self.previous_budget)


@dataclass(frozen=True)
class InvestmentRowData:
    category: str
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    previous_forecast: Decimal | None
    given: dict[str, Decimal] = given_figures_field()  # printed deviations

    def shown(self, column: str) -> Decimal | None:
        return _shown(self, column)

    @property
    def deviation(self) -> Decimal | None:
        """Avvikelse = budget − (bokslut, or prognos where there is no bokslut)."""
        spent = self.outcome if self.outcome is not None else self.forecast
        return arithmetic.deviation(self.budget, spent)

    @property
    def forecast_deviation(self) -> Decimal | None:
        """VB: Avvikelse prognos T2 = the T2 forecast − bokslut."""
        return arithmetic.difference(self.previous_forecast, self.outcome)


@dataclass(frozen=True)
class InvestmentTotal:
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    previous_forecast: Decimal | None
    deviation: Decimal | None
    given: dict[str, Decimal] = field(default_factory=dict)

    def shown(self, column: str) -> Decimal | None:
        return _shown(self, column)

    @property
    def forecast_deviation(self) -> Decimal | None:
        return arithmetic.difference(self.previous_forecast, self.outcome)


# The columns a given total may name, per table (``GivenTotalsData``).
OPERATING_BUDGET_COLUMNS = (
    "previous_year_outcome",
    "budget",
    "outcome",
    "forecast",
    "deviation",
    "adjusted_deviation",
)
INCOME_STATEMENT_COLUMNS = ("budget", "outcome", "previous_budget", "previous_outcome", "change")
INCOME_STATEMENT_SUMS = ("income", "cost", "net")  # Summa intäkter, Summa kostnader, Netto
INVESTMENT_COLUMNS = (
    "budget",
    "outcome",
    "forecast",
    "previous_forecast",
    "deviation",
    "forecast_deviation",
)


@dataclass(frozen=True)
class GivenTotalsData:
    """The totals a published report printed, kept where only its rounded rows exist: printed
    as given, checked by the review against the sum of the rows (``given_total_mismatch``).

    - ``operating_budget``: 'Nämnden totalt', column -> amount (``OPERATING_BUDGET_COLUMNS``),
      and ``adjustments``: adjustment label -> amount;
    - ``income_statement``: ``income``, ``cost``, ``net`` -> column -> amount;
    - ``investments``: 'Summa', column -> amount."""

    operating_budget: dict = given_figures_field()
    income_statement: dict = given_figures_field()
    investments: dict = given_figures_field()


@dataclass(frozen=True)
class TableRowData:
    label: str
    values: tuple
    is_total: bool


@dataclass(frozen=True)
class TableData:
    title: str
    columns: tuple[str, ...]
    rows: tuple[TableRowData, ...]


BUILT_IN_TABLES = ("operating_budget", "income_statement", "investments")
# The headings of the subsections a report without any prints (``EconomyData.layout``).
LEGACY_HEADINGS = {
    "operating_budget": "Driftbudget per verksamhetsområde",
    "income_statement": "Resultaträkning per intäkts- och kostnadsslag",
    "investments": "Investeringar",
}
LEGACY_ANALYSIS = "Analys av ekonomin"


def legacy_table_heading(table: "TableData") -> str:
    return (table.title or "Tabell")[:200]


@dataclass(frozen=True)
class EconomySubsectionData:
    """A subsection of the economy: a heading, its text and its tables in order, each one of
    ``BUILT_IN_TABLES`` or the index of a free table in ``EconomyData.tables``."""

    heading: str
    text: str | None
    tables: tuple[str | int, ...]
    key: str = item_key_field()


@dataclass(frozen=True)
class EconomyData:
    """Uppföljning av ekonomi: an introduction (``analysis``), the figures and the free tables,
    and the subsections that place them (``layout``)."""

    analysis: str | None
    tables: tuple[TableData, ...]
    operating_budget: tuple[OperatingBudgetRowData, ...]
    income_statement: tuple[IncomeStatementRowData, ...]
    investments: tuple[InvestmentRowData, ...]
    subsections: tuple[EconomySubsectionData, ...] = ()
    key: str = item_key_field()
    # The board's VB adjustment columns in their order (``budget.models.AdjustmentKind``).
    adjustment_kinds: tuple[str, ...] = field(default=(), metadata={"omit_empty": True})
    given_totals: GivenTotalsData | None = field(default=None, metadata={"omit_empty": True})

    def has_table(self, table: str | int) -> bool:
        """Whether the table has anything to print."""
        if isinstance(table, int):
            return 0 <= table < len(self.tables)
        return bool(getattr(self, table, ()))

    @property
    def introduction(self) -> str | None:
        """The text under "Uppföljning av ekonomi" before the first subsection; in the format
        before subsections, ``analysis`` is the last subsection's text instead."""
        return self.analysis if self.subsections else None

    @property
    def layout(self) -> tuple[EconomySubsectionData, ...]:
        """The subsections as printed: the report's own, then one for every table with rows
        that none of them holds, so that nothing is lost; without subsections (the format
        before them), ``legacy_layout``."""
        if not self.subsections:
            return self.legacy_layout()
        placed = {t for s in self.subsections for t in s.tables}
        rest = [s for s in self.legacy_layout(text=False) if s.tables[0] not in placed]
        return (*self.subsections, *rest)

    def legacy_layout(self, *, text: bool = True) -> tuple[EconomySubsectionData, ...]:
        """The subsections of the format before them: each built-in table with rows under its
        own heading, each free table under its title, then the text under "Analys av
        ekonomin" (a report's subsections in the database after the upgrade, or after loading
        such a file)."""
        parts = [
            EconomySubsectionData(heading=LEGACY_HEADINGS[kind], text=None, tables=(kind,))
            for kind in BUILT_IN_TABLES
            if getattr(self, kind)
        ]
        parts += [
            EconomySubsectionData(heading=legacy_table_heading(table), text=None, tables=(number,))
            for number, table in enumerate(self.tables)
        ]
        if text and self.analysis:
            parts.append(EconomySubsectionData(LEGACY_ANALYSIS, self.analysis, ()))
        return tuple(parts)

    @property
    def adjustment_labels(self) -> tuple[str, ...]:
        """The VB's adjustment columns: the board's kinds in their order, then any other label
        a row uses in the order it first appears (``arithmetic.adjustment_columns``)."""
        return self.adjustment_columns(tertial=False)

    def adjustment_columns(self, *, tertial: bool) -> tuple[str, ...]:
        """The operating budget's adjustment columns of a VB or (``tertial``) a T1/T2, whose
        fixed columns are always printed."""
        present = (a.label for row in self.operating_budget for a in row.adjustments)
        return arithmetic.adjustment_columns(tertial, self.adjustment_kinds, present)

    def _given_total(self, table: str) -> dict:
        return getattr(self.given_totals, table) if self.given_totals else {}

    def operating_budget_sums(self, labels: tuple[str, ...] | None = None) -> OperatingBudgetTotal:
        """Every column of the operating budget summed from the exact amounts."""
        rows = self.operating_budget
        labels = self.adjustment_labels if labels is None else labels
        return OperatingBudgetTotal(
            previous_year_outcome=_sum(r.previous_year_outcome for r in rows),
            budget=_sum(r.budget for r in rows),
            outcome=_sum(r.outcome for r in rows),
            forecast=_sum(r.forecast for r in rows),
            deviation=_sum(r.deviation for r in rows),
            adjustments=tuple(
                AdjustmentData(label, _sum(_adjustment(r, label) for r in rows) or Decimal(0))
                for label in labels
            ),
            adjusted_deviation=_sum(r.adjusted_deviation for r in rows),
        )

    def operating_budget_total_for(self, labels: tuple[str, ...]) -> OperatingBudgetTotal:
        """'Nämnden totalt' as printed: the exact sums, or the given totals where the report
        carries them (``GivenTotalsData``), with the adjustment columns ``labels``."""
        sums = self.operating_budget_sums(labels)
        given = self._given_total("operating_budget")
        if not given:
            return sums
        given_adjustments = given.get("adjustments") or {}

        def adjustment(item: AdjustmentData) -> AdjustmentData:
            for label, amount in given_adjustments.items():
                if arithmetic.same_label(label, item.label):
                    return AdjustmentData(item.label, amount)
            return item

        return OperatingBudgetTotal(
            **{
                column: given.get(column, getattr(sums, column))
                for column in OPERATING_BUDGET_COLUMNS
            },
            adjustments=tuple(adjustment(a) for a in sums.adjustments),
        )

    @property
    def operating_budget_total(self) -> OperatingBudgetTotal:
        """'Nämnden totalt' of a VB as printed (``operating_budget_total_for``)."""
        return self.operating_budget_total_for(self.adjustment_labels)

    def income_statement_sums(self, kind: str | None = None) -> IncomeStatementRowData:
        """The sum of the income rows, of the cost rows, or (``kind=None``) of all: the net,
        from the exact amounts."""
        rows = [r for r in self.income_statement if kind is None or r.kind == kind]
        labels = {"income": "Summa intäkter", "cost": "Summa kostnader", None: "Netto"}
        return IncomeStatementRowData(
            label=labels[kind],
            kind=kind or "",
            budget=_sum(r.budget for r in rows),
            outcome=_sum(r.outcome for r in rows),
            previous_budget=_sum(r.previous_budget for r in rows),
            previous_outcome=_sum(r.previous_outcome for r in rows),
        )

    def income_statement_total(self, kind: str | None = None) -> IncomeStatementRowData:
        """Summa intäkter, Summa kostnader or Netto as printed: the exact sums, or the given
        totals where the report carries them (the printed change among them)."""
        sums = self.income_statement_sums(kind)
        given = self._given_total("income_statement").get(kind or "net") or {}
        if not given:
            return sums
        figures = {c: given.get(c, getattr(sums, c)) for c in INCOME_STATEMENT_COLUMNS[:4]}
        change = {"change": given["change"]} if "change" in given else {}
        return IncomeStatementRowData(label=sums.label, kind=sums.kind, **figures, given=change)

    def investments_sums(self) -> InvestmentTotal:
        rows = self.investments
        return InvestmentTotal(
            budget=_sum(r.budget for r in rows),
            outcome=_sum(r.outcome for r in rows),
            forecast=_sum(r.forecast for r in rows),
            previous_forecast=_sum(r.previous_forecast for r in rows),
            deviation=_sum(r.deviation for r in rows),
        )

    @property
    def investments_total(self) -> InvestmentTotal:
        """'Summa' as printed: the exact sums, or the given totals."""
        sums = self.investments_sums()
        given = self._given_total("investments")
        if not given:
            return sums
        return InvestmentTotal(
            **{c: given.get(c, getattr(sums, c)) for c in INVESTMENT_COLUMNS[:5]},
            given={"forecast_deviation": given["forecast_deviation"]}
            if "forecast_deviation" in given
            else {},
        )


def _adjustment(row: OperatingBudgetRowData, label: str) -> Decimal | None:
    """The row's amount in the adjustment column ``label`` (labels match without regard to
    case); None when it has none."""
    return _sum(a.amount for a in row.adjustments if arithmetic.same_label(a.label, label))


@dataclass(frozen=True)
class InternalControlData:
    """Bedömning av nämndens interna kontroll; ``assessment`` as printed ('Tillräcklig')."""

    assessment: str | None
    analysis: str | None
    key: str = item_key_field()


@dataclass(frozen=True)
class SectionData:
    title: str
    text: str | None
    key: str = item_key_field()


@dataclass(frozen=True)
class TemplateData:
    """Rapportmall: the sections in their order (``TEMPLATE_SECTIONS`` keys, or the title of
    one of the report's own sections) and the wording of the assessment lines. Part of the
    document, so that an approved report prints as it did whatever happens to the template."""

    name: str
    sections: tuple[str, ...]
    tertial_wording: str  # "stated": "Uppfylls helt"; "forecast": "Bedöms uppfyllas helt"
    unassessed_label: str | None  # None: no line; "Ingen"; "Ej bedömd"


DEFAULT_TEMPLATE = TemplateData(
    name="Standard", sections=DEFAULT_SECTIONS, tertial_wording="stated", unassessed_label=None
)


@dataclass(frozen=True)
class ReportData:
    organisation: OrganisationData
    year: int
    period: str
    deadline: date | None
    template: TemplateData | None
    cover: CoverData | None
    summary: str | None
    direction_goals: tuple[DirectionGoalData, ...]
    economy: EconomyData | None
    internal_control: InternalControlData | None
    other_sections: tuple[SectionData, ...]
    anomalies: tuple[str, ...]
    summary_key: str = item_key_field()  # the summary's row

    @property
    def is_tertial(self) -> bool:
        return is_tertial(self.period)

    @property
    def title(self) -> str:
        """'Verksamhetsberättelse 2019', 'Tertialrapport 1 2024'."""
        return f"{Period(self.period).label} {self.year}"


def data_digest(data: ReportData) -> str:
    """A SHA-256 of ``data``: of its ``repr``, which frozen dataclasses of str, Decimal, date and
    tuples make complete (the items' keys included). Equal data, equal digest; what a stored
    review, a rendered file and a rendered page are keyed by. Computed once a ``ReportData``
    object (kept on it; the data are frozen)."""
    digest = data.__dict__.get("_digest")
    if digest is None:
        digest = hashlib.sha256(repr(data).encode("utf-8", "surrogatepass")).hexdigest()
        object.__setattr__(data, "_digest", digest)
    return digest


TARGET_FIGURES = ("annual_target", "kf_annual_target")


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def control_value(label: str) -> str | None:
    """'Delvis tillräcklig' (any case) -> 'partly'."""
    for choice in InternalControlAssessment:
        if choice.label.casefold() == label.strip().casefold():
            return choice.value
    return None


# -- from an interchange document -----------------------------------------------------------


def document_from_interchange(document: dict) -> ReportData:
    """The data of a valid interchange document, normalised as ``reporting.interchange``
    says. An approved report is shown, printed and exported through this from its frozen
    version's document (``reporting.frozen``), so that nothing edited later reaches it."""
    organisation = document["organisation"]
    return ReportData(
        organisation=OrganisationData(
            municipality=organisation["municipality"],
            board=organisation["board"],
            administration=_text(organisation.get("administration")),
            unit=_text(organisation.get("unit")),
        ),
        year=document["year"],
        period=document["period"],
        deadline=_day(document.get("deadline")),
        template=_template(document.get("template")),
        cover=_cover(document.get("cover")),
        summary=_text(document.get("summary")),
        direction_goals=tuple(
            DirectionGoalData(
                number=goal["number"],
                title=goal["title"],
                assessment=goal.get("assessment"),
                analysis=_text(goal.get("analysis")),
                area_goals=tuple(_area_goal(g) for g in goal.get("area_goals", ())),
            )
            for goal in document["direction_goals"]
        ),
        economy=_economy(document.get("economy")),
        internal_control=_internal_control(document.get("internal_control")),
        other_sections=tuple(
            SectionData(title=s["title"], text=_text(s.get("text")))
            for s in document.get("other_sections", ())
        ),
        anomalies=tuple(document.get("anomalies", ())),
    )


def _text(value: str | None) -> str | None:
    return value or None


def _value(value):
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else _decimal(value)


def _amount(value) -> Decimal | None:
    return None if value is None else _decimal(value)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _indicators(goal: dict) -> tuple[IndicatorData, ...]:
    return tuple(
        IndicatorData(
            name=i["name"],
            kind=i.get("kind"),
            unit=_text(i.get("unit")),
            direction=i.get("direction"),
            decimals=i.get("decimals"),
            frequency=i.get("frequency") or "tertial",
            gender_split_required=i.get("gender_split_required"),
            **{key: _value(i.get(key)) for key in (*VALUE_FIGURES, *TARGET_FIGURES)},
            period_label=_text(i.get("period_label")),
            analysis=_text(i.get("analysis")),
        )
        for i in goal.get("indicators", ())
    )


def _activities(goal: dict) -> tuple[ActivityData, ...]:
    return tuple(
        ActivityData(
            title=a["title"],
            kind=a.get("kind"),
            start_date=_day(a.get("start_date")),
            end_date=_day(a.get("end_date")),
            status=a.get("status"),
            deviation=_text(a.get("deviation")),
            analysis=_text(a.get("analysis")),
        )
        for a in goal.get("activities", ())
    )


def _area_goal(goal: dict) -> AreaGoalData:
    return AreaGoalData(
        number=goal["number"],
        title=goal["title"],
        assessment=goal.get("assessment"),
        analysis=_text(goal.get("analysis")),
        indicators=_indicators(goal),
        activities=_activities(goal),
        board_goals=tuple(
            BoardGoalData(
                number=g["number"],
                title=g["title"],
                assessment=g.get("assessment"),
                description=_text(g.get("description")),
                expected_results=tuple(g.get("expected_results", ())),
                analysis=_text(g.get("analysis")),
                indicators=_indicators(g),
                activities=_activities(g),
                commitments=tuple(
                    CommitmentData(
                        title=c["title"],
                        assessment=c.get("assessment"),
                        expected_results=tuple(c.get("expected_results", ())),
                        analysis=_text(c.get("analysis")),
                        indicators=_indicators(c),
                        activities=_activities(c),
                    )
                    for c in g.get("commitments", ())
                ),
            )
            for g in goal.get("board_goals", ())
        ),
    )


def _template(template: dict | None) -> TemplateData | None:
    if template is None:
        return None
    return TemplateData(
        name=template["name"],
        sections=tuple(template.get("sections") or DEFAULT_SECTIONS),
        tertial_wording=template.get("tertial_wording") or "stated",
        unassessed_label=_text(template.get("unassessed_label")),
    )


def _cover(cover: dict | None) -> CoverData | None:
    if cover is None:
        return None
    return CoverData(
        case_officer=_text(cover.get("case_officer")),
        phone=_text(cover.get("phone")),
        to=_text(cover.get("to")),
        date=_day(cover.get("date")),
        dnr=_text(cover.get("dnr")),
        title=_text(cover.get("title")),
        proposed_decisions=tuple(cover.get("proposed_decisions", ())),
        signatories=tuple(
            SignatoryData(name=s.get("name", ""), title=s.get("title", ""))
            for s in cover.get("signatories", ())
        ),
        attachments=tuple(cover.get("attachments", ())),
    )


def _economy(economy: dict | None) -> EconomyData | None:
    if economy is None:
        return None
    data = EconomyData(
        analysis=_text(economy.get("analysis")),
        tables=tuple(
            TableData(
                title=t["title"],
                columns=tuple(t["columns"]),
                rows=tuple(
                    TableRowData(
                        label=r["label"],
                        values=tuple(r["values"]),
                        is_total=r.get("is_total", False),
                    )
                    for r in t["rows"]
                ),
            )
            for t in economy.get("tables", ())
        ),
        operating_budget=tuple(
            OperatingBudgetRowData(
                area=r["area"],
                previous_year_outcome=_amount(r.get("previous_year_outcome")),
                budget=_amount(r.get("budget")),
                outcome=_amount(r.get("outcome")),
                forecast=_amount(r.get("forecast")),
                adjustments=tuple(
                    AdjustmentData(label=a["label"], amount=_decimal(a["amount"]))
                    for a in r.get("adjustments", ())
                ),
                comment=_text(r.get("comment")),
                given=_given_figures(r.get("given")),
            )
            for r in economy.get("operating_budget", ())
        ),
        income_statement=tuple(
            IncomeStatementRowData(
                label=r["label"],
                kind=r["kind"],
                **{
                    key: _amount(r.get(key))
                    for key in ("budget", "outcome", "previous_budget", "previous_outcome")
                },
                given=_given_figures(r.get("given")),
            )
            for r in economy.get("income_statement", ())
        ),
        investments=tuple(
            InvestmentRowData(
                category=r["category"],
                **{
                    key: _amount(r.get(key))
                    for key in ("budget", "outcome", "forecast", "previous_forecast")
                },
                given=_given_figures(r.get("given")),
            )
            for r in economy.get("investments", ())
        ),
        adjustment_kinds=tuple(economy.get("adjustment_kinds") or ()),
        given_totals=_given_totals(economy.get("given_totals")),
        subsections=tuple(
            EconomySubsectionData(
                heading=s["heading"],
                text=_text(s.get("text")),
                tables=tuple(s.get("tables", ())),
            )
            for s in economy.get("subsections", ())
        ),
    )
    empty = not (
        data.analysis
        or data.tables
        or data.operating_budget
        or data.income_statement
        or data.investments
        or data.subsections
    )
    return None if empty else data


def _given_figures(figures: dict | None) -> dict:
    """Printed figures (column -> number, or a nested dict of them) as Decimals; nulls left
    out. (Not ``_given``: that name reads a free table's cell in ``reporting.render``.)"""
    result: dict = {}
    for column, value in (figures or {}).items():
        if isinstance(value, dict):
            nested = _given_figures(value)
            if nested:
                result[column] = nested
        elif value is not None:
            result[column] = _decimal(value)
    return result


def _given_totals(totals: dict | None) -> GivenTotalsData | None:
    """A report's given totals; None when it carries none."""
    if not totals:
        return None
    data = GivenTotalsData(
        operating_budget=_given_figures(totals.get("operating_budget")),
        income_statement=_given_figures(totals.get("income_statement")),
        investments=_given_figures(totals.get("investments")),
    )
    return data if data.operating_budget or data.income_statement or data.investments else None


def _internal_control(control: dict | None) -> InternalControlData | None:
    if control is None:
        return None
    value = control_value(control.get("assessment") or "")
    analysis = _text(control.get("analysis"))
    if value is None and analysis is None:
        return None
    label = InternalControlAssessment(value).label if value else None
    return InternalControlData(assessment=label, analysis=analysis)
