"""The report document: a report's data as the dataclasses every renderer, the review and the
interchange export read (``ReportData`` and its parts).

The dataclasses mirror the interchange schema (``reporting/schema/report-data.schema.json``)
key for key, so ``reporting.interchange.to_json`` is a plain conversion. Figures are ``Decimal``
(a text printed in a figure's place stays a ``str``); only the cells of the free economy tables
are kept as they were given. Derived figures (deviations, adjusted deviations, sums) are
properties, never stored. ``reporting.assemble.build_report_data`` fills them from the database,
``reporting.interchange.from_json`` from a document.
"""

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
    key: str = item_key_field()

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
        return _sum(a.amount for a in self.adjustments if a.label == label)


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

    @property
    def forecast_deviation(self) -> Decimal | None:
        return arithmetic.difference(self.previous_forecast, self.outcome)


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


@dataclass(frozen=True)
class EconomyData:
    """Uppföljning av ekonomi."""

    analysis: str | None
    tables: tuple[TableData, ...]
    operating_budget: tuple[OperatingBudgetRowData, ...]
    income_statement: tuple[IncomeStatementRowData, ...]
    investments: tuple[InvestmentRowData, ...]
    key: str = item_key_field()

    @property
    def adjustment_labels(self) -> tuple[str, ...]:
        """The adjustment columns of the operating budget, in the order they first appear."""
        labels = dict.fromkeys(a.label for row in self.operating_budget for a in row.adjustments)
        return tuple(labels)

    @property
    def operating_budget_total(self) -> OperatingBudgetTotal:
        rows = self.operating_budget
        return OperatingBudgetTotal(
            previous_year_outcome=_sum(r.previous_year_outcome for r in rows),
            budget=_sum(r.budget for r in rows),
            outcome=_sum(r.outcome for r in rows),
            forecast=_sum(r.forecast for r in rows),
            deviation=_sum(r.deviation for r in rows),
            adjustments=tuple(
                AdjustmentData(label, _sum(r.adjustment(label) for r in rows) or Decimal(0))
                for label in self.adjustment_labels
            ),
            adjusted_deviation=_sum(r.adjusted_deviation for r in rows),
        )

    def income_statement_total(self, kind: str | None = None) -> IncomeStatementRowData:
        """The sum of the income rows, of the cost rows, or (``kind=None``) of all: the net."""
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

    @property
    def investments_total(self) -> InvestmentTotal:
        rows = self.investments
        return InvestmentTotal(
            budget=_sum(r.budget for r in rows),
            outcome=_sum(r.outcome for r in rows),
            forecast=_sum(r.forecast for r in rows),
            previous_forecast=_sum(r.previous_forecast for r in rows),
            deviation=_sum(r.deviation for r in rows),
        )


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
            )
            for r in economy.get("investments", ())
        ),
    )
    empty = not (
        data.analysis
        or data.tables
        or data.operating_budget
        or data.income_statement
        or data.investments
    )
    return None if empty else data


def _internal_control(control: dict | None) -> InternalControlData | None:
    if control is None:
        return None
    value = control_value(control.get("assessment") or "")
    analysis = _text(control.get("analysis"))
    if value is None and analysis is None:
        return None
    label = InternalControlAssessment(value).label if value else None
    return InternalControlData(assessment=label, analysis=analysis)
