"""Indicators of a year's plan, their dated targets, and each report's figures.

A figure (utfall, prognos, årsmål, ...) is a number in the indicator's unit, a text printed in
its place ("Tas fram av nämnden"), or nothing. It is stored as two columns: ``<name>`` (Decimal)
and ``<name>_text``; a constraint keeps at most one of them set. ``get_figure``/``set_figure``
read and write the pair as one value.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from goals.models import GOAL_FIELDS, Kind, one_goal_only
from reporting.history import AuditedManager, audit_history
from reporting.levels import AttachedToGoal
from reporting.models import PERIOD_ORDER, Period, ReportItem, period_of_date

Figure = Decimal | str | None

FIGURE_MAX_DIGITS = 20
FIGURE_DECIMAL_PLACES = 6


def figure_number(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=FIGURE_MAX_DIGITS,
        decimal_places=FIGURE_DECIMAL_PLACES,
        null=True,
        blank=True,
    )


def figure_text(verbose_name: str) -> models.CharField:
    return models.CharField(
        f"{verbose_name} (text)",
        max_length=200,
        blank=True,
        help_text="Text som skrivs i stället för ett tal, t.ex. ”Tas fram av nämnden”.",
    )


def number_or_text(prefix: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}_text": ""}),
        name=f"{prefix}_{name}_number_or_text",
        violation_error_message="Ange antingen ett tal eller en text, inte båda.",
    )


class FigureMixin:
    """Reads and writes a figure stored as a number column and a text column."""

    FIGURES: tuple[str, ...] = ()

    def get_figure(self, name: str) -> Figure:
        number = getattr(self, name)
        if number is not None:
            return number
        return getattr(self, f"{name}_text") or None

    def set_figure(self, name: str, value: Figure) -> None:
        if isinstance(value, str):
            setattr(self, name, None)
            setattr(self, f"{name}_text", value)
        else:
            setattr(self, name, value)
            setattr(self, f"{name}_text", "")


class Indicator(AttachedToGoal):
    """Indikator: a measure of one goal, KF's or the board's own, with unit and direction."""

    class Direction(models.TextChoices):
        HIGHER = "higher_is_better", "Högre är bättre"
        LOWER = "lower_is_better", "Lägre är bättre"

    class Frequency(models.TextChoices):
        TERTIAL = "tertial", "Varje tertial"
        ANNUAL = "annual", "En gång om året"

    board = models.ForeignKey(
        "reporting.Board", models.PROTECT, related_name="indicators", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("år")
    area_goal = models.ForeignKey(
        "goals.AreaGoal",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="mål för verksamhetsområdet",
    )
    board_goal = models.ForeignKey(
        "goals.BoardGoal",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="nämndmål",
    )
    commitment = models.ForeignKey(
        "goals.Commitment",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="åtagande",
    )
    name = models.TextField("indikator")
    kind = models.CharField("slag", max_length=10, choices=Kind.choices, blank=True)
    unit = models.CharField(
        "enhet", max_length=30, blank=True, help_text="%, st, dagar, kr, index …"
    )
    decimals = models.PositiveSmallIntegerField(
        "decimaler", null=True, blank=True, help_text="Tomt: som talet skrevs in."
    )
    direction = models.CharField("riktning", max_length=20, choices=Direction.choices, blank=True)
    gender_split_required = models.BooleanField("kräver könsuppdelning", null=True, blank=True)
    frequency = models.CharField(
        "frekvens", max_length=10, choices=Frequency.choices, default=Frequency.TERTIAL
    )
    position = models.PositiveIntegerField("ordning", default=0)
    predecessor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name="föregående års indikator",
    )

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position"]
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"
        constraints = [
            one_goal_only("indicators_indicator", GOAL_FIELDS),
            models.UniqueConstraint(
                fields=["board", "area_goal", "name"],
                condition=Q(area_goal__isnull=False),
                name="indicators_indicator_unique_name_area_goal",
                violation_error_message="Målet har redan en indikator med det namnet.",
            ),
            models.UniqueConstraint(
                fields=["board_goal", "name"],
                condition=Q(board_goal__isnull=False),
                name="indicators_indicator_unique_name_board_goal",
                violation_error_message="Målet har redan en indikator med det namnet.",
            ),
            models.UniqueConstraint(
                fields=["commitment", "name"],
                condition=Q(commitment__isnull=False),
                name="indicators_indicator_unique_name_commitment",
                violation_error_message="Åtagandet har redan en indikator med det namnet.",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["", "higher_is_better", "lower_is_better"]),
                name="indicators_indicator_direction_valid",
                violation_error_message="Okänd riktning.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def target_for(self, period: str, targets: list["IndicatorTarget"]) -> "IndicatorTarget | None":
        """The targets in force in ``period``: the latest set from that period or before, else
        the earliest set at all (a target set at T2 also stands in a T1 made afterwards)."""
        return _in_force(period, targets)

    def changes(self) -> list["Change"]:
        """The indicator's dated history: every target and every responsible board, in the
        order they took effect (two queries)."""
        entries = [t.as_change() for t in self.targets.all()]
        entries += [r.as_change() for r in self.responsibilities.all()]
        return sorted(entries, key=lambda c: (PERIOD_ORDER[c.period], c.valid_from or date.min))


def _in_force(period: str, rows: list):
    """The row in force in ``period``: the latest from that period or before, else the
    earliest of all (a target set at T2 also stands in a T1 made afterwards)."""
    ordered = sorted(rows, key=lambda t: (PERIOD_ORDER[t.period], t.valid_from or date.min))
    before = [t for t in ordered if PERIOD_ORDER[t.period] <= PERIOD_ORDER[period]]
    if before:
        return before[-1]
    return ordered[0] if ordered else None


@dataclass(frozen=True)
class Change:
    """One entry of an indicator's history: what was decided, from when, by which decision."""

    kind: str  # "Målvärde", "Ansvar"
    period: str
    valid_from: date | None
    decision_reference: str
    description: str

    @property
    def period_label(self) -> str:
        return Period(self.period).label


class DatedChange(models.Model):
    """What every dated change of the plan carries: the period from which it is shown, the date
    from which it is valid and the decision behind it ("KF T2 2019, bilaga 3")."""

    period = models.CharField(
        "gäller från period",
        max_length=2,
        choices=Period.choices,
        help_text="Följer av datumet när ett datum är angivet.",
    )
    valid_from = models.DateField("gäller från och med", null=True, blank=True)
    decision_reference = models.CharField(
        "beslut",
        max_length=200,
        blank=True,
        help_text="Vilket beslut ändringen bygger på, t.ex. ”KF T2 2019, bilaga 3”.",
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_from is None or not self.indicator_id:
            return
        year = self.indicator.year
        try:
            period = period_of_date(self.valid_from, year)
        except ValueError:
            raise ValidationError(
                {"valid_from": f"Datumet ligger efter indikatorns år ({year})."}
            ) from None
        if self.period and self.period != period:
            raise ValidationError(
                {
                    "period": f"Ett datum {self.valid_from} visas första gången i "
                    f"{Period(period).label} {year}; välj den perioden."
                }
            )
        self.period = period


class IndicatorTarget(FigureMixin, DatedChange):
    """Årsmål and KF:s årsmål as they stand from one period of the year on. KF may change a
    target during the year (typically at T2): each change is a new row with its date and
    decision, so earlier reports keep the target they were written against."""

    FIGURES = ("annual_target", "kf_annual_target")

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="targets", verbose_name="indikator"
    )
    annual_target = figure_number("årsmål")
    annual_target_text = figure_text("årsmål")
    kf_annual_target = figure_number("KF:s årsmål")
    kf_annual_target_text = figure_text("KF:s årsmål")
    decided_on = models.DateField("beslutsdatum", null=True, blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = "målvärde"
        verbose_name_plural = "målvärden"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicators_indicatortarget_unique_period",
                violation_error_message="Indikatorn har redan målvärden från den perioden.",
            ),
            number_or_text("indicators_indicatortarget", "annual_target"),
            number_or_text("indicators_indicatortarget", "kf_annual_target"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} från {self.period}"

    def as_change(self) -> Change:
        from reporting.numbers import format_figure

        unit = self.indicator.unit
        parts = [
            f"{label} {format_figure(self.get_figure(name), unit) or '–'}"
            for label, name in (("Årsmål", "annual_target"), ("KF:s årsmål", "kf_annual_target"))
        ]
        return Change(
            "Målvärde", self.period, self.valid_from, self.decision_reference, ", ".join(parts)
        )


class IndicatorResponsibility(DatedChange):
    """Ansvarig nämnd: which board answers for the indicator from a date on. KF may move an
    indicator to another board during the year; each change is a row with its decision."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="responsibilities", verbose_name="indikator"
    )
    responsible = models.CharField("ansvarig nämnd", max_length=200)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["indicator", "period", "valid_from"]
        verbose_name = "ansvarig nämnd"
        verbose_name_plural = "ansvariga nämnder"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicators_indicatorresponsibility_unique_period",
                violation_error_message="Indikatorn har redan en ansvarig nämnd från den perioden.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.responsible} från {self.period}"

    def as_change(self) -> Change:
        return Change(
            "Ansvar", self.period, self.valid_from, self.decision_reference, self.responsible
        )


VALUE_FIGURES = ("outcome", "outcome_men", "outcome_women", "forecast", "previous_outcome")


class IndicatorValue(FigureMixin, ReportItem):
    """What one report says about one indicator: outcome (total, men, women), forecast,
    the previous year's outcome as reported, and an analysis."""

    FIGURES = VALUE_FIGURES

    report = models.ForeignKey(
        "reporting.Report", models.CASCADE, related_name="indicator_values", verbose_name="rapport"
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="values", verbose_name="indikator"
    )
    outcome = figure_number("periodens utfall")
    outcome_text = figure_text("periodens utfall")
    outcome_men = figure_number("utfall män/pojkar")
    outcome_men_text = figure_text("utfall män/pojkar")
    outcome_women = figure_number("utfall kvinnor/flickor")
    outcome_women_text = figure_text("utfall kvinnor/flickor")
    forecast = figure_number("prognos helår")
    forecast_text = figure_text("prognos helår")
    previous_outcome = figure_number("föregående års utfall")
    previous_outcome_text = figure_text("föregående års utfall")
    period_label = models.CharField("period", max_length=60, blank=True)
    analysis = models.TextField("analys", blank=True)
    # "Jag bekräftar värdet": who confirmed an unlikely value, when, and the figures confirmed
    # (``confirmation_holds`` only while the figures are still those)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bekräftat av",
    )
    confirmed_at = models.DateTimeField("bekräftat", null=True, blank=True)
    confirmed_figures = models.CharField("bekräftade värden", max_length=400, blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        verbose_name = "indikatorvärde"
        verbose_name_plural = "indikatorvärden"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"],
                name="indicators_indicatorvalue_unique",
                violation_error_message="Indikatorn har redan värden i rapporten.",
            ),
            *[number_or_text("indicators_indicatorvalue", name) for name in VALUE_FIGURES],
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.report})"

    CONFIRMED_FIGURES = ("outcome", "outcome_men", "outcome_women", "forecast")

    def figures_fingerprint(self) -> str:
        """The figures a confirmation is about, as one text (``1|0,5|…``)."""

        def shown(value) -> str:
            if isinstance(value, Decimal):
                return format(value.normalize(), "f") if value else "0"
            return "" if value is None else f"t:{value}"

        return "|".join(shown(self.get_figure(name)) for name in self.CONFIRMED_FIGURES)

    def confirm(self, user, at) -> None:
        """Record "Jag bekräftar värdet" for the figures as they are now."""
        self.confirmed_by, self.confirmed_at = user, at
        self.confirmed_figures = self.figures_fingerprint()

    @property
    def confirmation_holds(self) -> bool:
        """Whether the figures are still the ones confirmed."""
        return self.confirmed_at is not None and (
            self.confirmed_figures == self.figures_fingerprint()
        )
