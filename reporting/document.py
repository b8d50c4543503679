"""The report document: a report's data as the dataclasses every renderer, the review and the
interchange export read (``ReportData`` and its parts).

The dataclasses mirror the interchange schema (``reporting/schema/report-data.schema.json``)
key for key, so ``reporting.interchange.to_json`` is a plain conversion. Figures are ``Decimal``
(a text printed in a figure's place stays a ``str``); only the cells of the free economy tables
are kept as they were given. Derived figures (deviations, adjusted deviations, sums) are
properties, never stored. ``reporting.assemble.build_report_data`` fills them from the database,
``reporting.interchange.from_json`` from a document.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from budget import arithmetic

from .models import (
    Period,
    is_tertial,
)

Value = Decimal | str | None


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
    title: str | None
    proposed_decisions: tuple[str, ...]
    signatories: tuple[SignatoryData, ...]
    attachments: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorData:
    name: str
    kind: str | None
    unit: str | None
    direction: str | None
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


@dataclass(frozen=True)
class ActivityData:
    title: str
    kind: str | None
    start_date: date | None
    end_date: date | None
    status: str | None
    deviation: str | None
    analysis: str | None


@dataclass(frozen=True)
class CommitmentData:
    """Åtagande."""

    title: str
    assessment: str | None
    expected_results: tuple[str, ...]
    analysis: str | None
    indicators: tuple[IndicatorData, ...]
    activities: tuple[ActivityData, ...]


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


@dataclass(frozen=True)
class DirectionGoalData:
    """KF:s inriktningsmål."""

    number: str
    title: str
    assessment: str | None
    analysis: str | None
    area_goals: tuple[AreaGoalData, ...]


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
                AdjustmentData(label, _sum(r.adjustment(label) for r in rows))
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


@dataclass(frozen=True)
class SectionData:
    title: str
    text: str | None


@dataclass(frozen=True)
class ReportData:
    organisation: OrganisationData
    year: int
    period: str
    cover: CoverData | None
    summary: str | None
    direction_goals: tuple[DirectionGoalData, ...]
    economy: EconomyData | None
    internal_control: InternalControlData | None
    other_sections: tuple[SectionData, ...]
    anomalies: tuple[str, ...]

    @property
    def is_tertial(self) -> bool:
        return is_tertial(self.period)

    @property
    def title(self) -> str:
        """'Verksamhetsberättelse 2019', 'Tertialrapport 1 2024'."""
        return f"{Period(self.period).label} {self.year}"
