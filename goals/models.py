"""The goal hierarchy of a year's plan, its activities, and what each report says about them.

Plan (one per year): DirectionGoal -> AreaGoal (the council's, shared by every board of the
municipality) -> BoardGoal (the board's own) -> Commitment (a unit's åtagande). Activities hang
on an area goal (KF-aktivitet), a board goal or a commitment.

Per report: GoalAssessment (assessment + analysis of one goal at any level) and ActivityFollowUp
(status, deviation, analysis of one activity). A report contains exactly the goals and
activities it has rows for.
"""

from django.db import models
from django.db.models import Q

from reporting.bounds import validate_goal_number
from reporting.history import AuditedManager, audit_history
from reporting.models import ReportItem


class Assessment(models.TextChoices):
    """Bedömning. Empty means not assessed. How a report prints it comes from ``label_for``."""

    FULL = "full", "Uppfylls helt"
    PARTIAL = "partial", "Uppfylls delvis"
    NOT_MET = "not_met", "Uppfylls ej"

    @classmethod
    def label_for(cls, value: str, *, forecast: bool = False, unassessed: str = "") -> str:
        """The assessment line: "Uppfylls helt" in every period (as Stockholm's T1 2024 prints
        it); with ``forecast`` (a template's choice for T1/T2) "Bedöms uppfyllas helt". An
        unassessed goal prints ``unassessed`` ("" for nothing, "Ingen", "Ej bedömd")."""
        if not value:
            return unassessed
        if forecast:
            return FORECAST_LABELS[value]
        return cls(value).label


FORECAST_LABELS = {
    Assessment.FULL: "Bedöms uppfyllas helt",
    Assessment.PARTIAL: "Bedöms uppfyllas delvis",
    Assessment.NOT_MET: "Bedöms ej uppfyllas",
}


ASSESSMENT_VALUES = ["", *Assessment.values]


class Kind(models.TextChoices):
    """Whose an indicator or activity is: the council's (KF) or the board's own."""

    KF = "kf", "KF"
    BOARD = "board", "Nämnd"


def one_goal_only(prefix: str, fields: list[str]) -> models.CheckConstraint:
    """Exactly one of the goal foreign keys is set."""
    options = []
    for chosen in fields:
        condition = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                condition &= Q(**{f"{other}__isnull": True})
        options.append(condition)
    condition = options[0]
    for option in options[1:]:
        condition |= option
    return models.CheckConstraint(
        condition=condition,
        name=f"{prefix}_exactly_one_goal",
        violation_error_message="Ange exakt ett mål.",
    )


class DirectionGoal(models.Model):
    """KF:s inriktningsmål, set by the council for a year and shared by every board."""

    municipality = models.ForeignKey(
        "reporting.Municipality",
        models.PROTECT,
        related_name="direction_goals",
        verbose_name="kommun",
    )
    year = models.PositiveSmallIntegerField("år")
    number = models.CharField("nummer", max_length=20, validators=[validate_goal_number])
    title = models.TextField("titel")
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position", "number"]
        verbose_name = "inriktningsmål"
        verbose_name_plural = "inriktningsmål"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "number"],
                name="goals_directiongoal_unique_number",
                violation_error_message="Det finns redan ett inriktningsmål med det numret i år.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AreaGoal(models.Model):
    """KF:s mål för verksamhetsområdet: the council's goal under a direction goal."""

    direction_goal = models.ForeignKey(
        DirectionGoal, models.CASCADE, related_name="area_goals", verbose_name="inriktningsmål"
    )
    number = models.CharField("nummer", max_length=20, validators=[validate_goal_number])
    title = models.TextField("titel")
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["direction_goal", "position", "number"]
        verbose_name = "mål för verksamhetsområdet"
        verbose_name_plural = "mål för verksamhetsområdet"
        constraints = [
            models.UniqueConstraint(
                fields=["direction_goal", "number"],
                name="goals_areagoal_unique_number",
                violation_error_message="Det finns redan ett mål med det numret under inriktningsmålet.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def year(self) -> int:
        return self.direction_goal.year


class BoardGoal(models.Model):
    """Nämndmål: a goal the board sets under one of the council's area goals."""

    board = models.ForeignKey(
        "reporting.Board", models.PROTECT, related_name="goals", verbose_name="nämnd"
    )
    area_goal = models.ForeignKey(
        AreaGoal,
        models.PROTECT,
        related_name="board_goals",
        verbose_name="mål för verksamhetsområdet",
    )
    year = models.PositiveSmallIntegerField("år")
    number = models.CharField("nummer", max_length=20, validators=[validate_goal_number])
    title = models.TextField("titel")
    description = models.TextField("beskrivning", blank=True)
    expected_results = models.JSONField(
        "förväntat resultat", default=list, blank=True, help_text="En punkt per rad."
    )
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position", "number"]
        verbose_name = "nämndmål"
        verbose_name_plural = "nämndmål"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "number"],
                name="goals_boardgoal_unique_number",
                violation_error_message="Nämnden har redan ett nämndmål med det numret i år.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Commitment(models.Model):
    """Åtagande: a unit's commitment under a board goal ("Vi åtar oss att ...")."""

    unit = models.ForeignKey(
        "reporting.Unit", models.PROTECT, related_name="commitments", verbose_name="enhet"
    )
    board_goal = models.ForeignKey(
        BoardGoal, models.CASCADE, related_name="commitments", verbose_name="nämndmål"
    )
    title = models.TextField("åtagande")
    expected_results = models.JSONField("förväntat resultat", default=list, blank=True)
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["board_goal", "position"]
        verbose_name = "åtagande"
        verbose_name_plural = "åtaganden"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "board_goal", "title"],
                name="goals_commitment_unique_title",
                violation_error_message="Enheten har redan ett åtagande med den titeln under målet.",
            )
        ]

    def __str__(self) -> str:
        return self.title


GOAL_FIELDS = ["area_goal", "board_goal", "commitment"]


class Activity(models.Model):
    """Aktivitet: a KF assignment (under an area goal) or the board's own (under a board goal
    or a commitment), with its planned dates."""

    board = models.ForeignKey(
        "reporting.Board", models.PROTECT, related_name="activities", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("år")
    area_goal = models.ForeignKey(
        AreaGoal,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="mål för verksamhetsområdet",
    )
    board_goal = models.ForeignKey(
        BoardGoal,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="nämndmål",
    )
    commitment = models.ForeignKey(
        Commitment,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="åtagande",
    )
    title = models.TextField("aktivitet")
    kind = models.CharField("slag", max_length=10, choices=Kind.choices, blank=True)
    start_date = models.DateField("startdatum", null=True, blank=True)
    end_date = models.DateField("slutdatum", null=True, blank=True)
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position"]
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter"
        constraints = [
            one_goal_only("goals_activity", GOAL_FIELDS),
            models.UniqueConstraint(
                fields=["board", "area_goal", "title"],
                condition=Q(area_goal__isnull=False),
                name="goals_activity_unique_title_area_goal",
                violation_error_message="Målet har redan en aktivitet med den titeln.",
            ),
            models.UniqueConstraint(
                fields=["board_goal", "title"],
                condition=Q(board_goal__isnull=False),
                name="goals_activity_unique_title_board_goal",
                violation_error_message="Målet har redan en aktivitet med den titeln.",
            ),
            models.UniqueConstraint(
                fields=["commitment", "title"],
                condition=Q(commitment__isnull=False),
                name="goals_activity_unique_title_commitment",
                violation_error_message="Åtagandet har redan en aktivitet med den titeln.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="goals_activity_dates_in_order",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GoalAssessment(ReportItem):
    """What one report says about one goal: its assessment (bedömning) and analysis."""

    report = models.ForeignKey(
        "reporting.Report", models.CASCADE, related_name="goal_assessments", verbose_name="rapport"
    )
    direction_goal = models.ForeignKey(
        DirectionGoal, models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    area_goal = models.ForeignKey(
        AreaGoal, models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    board_goal = models.ForeignKey(
        BoardGoal, models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    commitment = models.ForeignKey(
        Commitment, models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    assessment = models.CharField(
        "bedömning", max_length=10, choices=Assessment.choices, blank=True
    )
    analysis = models.TextField("analys", blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        verbose_name = "bedömning av mål"
        verbose_name_plural = "bedömningar av mål"
        constraints = [
            one_goal_only("goals_goalassessment", ["direction_goal", *GOAL_FIELDS]),
            models.CheckConstraint(
                condition=Q(assessment__in=ASSESSMENT_VALUES),
                name="goals_goalassessment_assessment_on_scale",
                violation_error_message="Bedömningen måste vara helt, delvis eller ej uppfyllt.",
            ),
            *[
                models.UniqueConstraint(
                    fields=["report", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"goals_goalassessment_unique_{field}",
                    violation_error_message="Målet är redan bedömt i rapporten.",
                )
                for field in ["direction_goal", *GOAL_FIELDS]
            ],
        ]

    def __str__(self) -> str:
        return f"{self.goal} – {self.get_assessment_display() or 'ej bedömd'}"

    @property
    def goal(self):
        return self.direction_goal or self.area_goal or self.board_goal or self.commitment


class ActivityFollowUp(ReportItem):
    """What one report says about one activity: status, deviation (avvikelse) and analysis."""

    class Status(models.TextChoices):
        COMPLETED = "completed", "Slutförd"
        ONGOING = "ongoing", "Pågående"
        NOT_STARTED = "not_started", "Ej påbörjad"
        CANCELLED = "cancelled", "Avbruten"

    report = models.ForeignKey(
        "reporting.Report",
        models.CASCADE,
        related_name="activity_follow_ups",
        verbose_name="rapport",
    )
    activity = models.ForeignKey(
        Activity, models.PROTECT, related_name="follow_ups", verbose_name="aktivitet"
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, blank=True)
    deviation = models.TextField("avvikelse", blank=True)
    analysis = models.TextField("analys", blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        verbose_name = "uppföljning av aktivitet"
        verbose_name_plural = "uppföljningar av aktiviteter"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "activity"],
                name="goals_activityfollowup_unique",
                violation_error_message="Aktiviteten är redan följd upp i rapporten.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["", "completed", "ongoing", "not_started", "cancelled"]),
                name="goals_activityfollowup_status_valid",
                violation_error_message="Okänd status.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} – {self.get_status_display() or 'ej rapporterad'}"
