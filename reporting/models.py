"""Boards, their people and their reports: the root of everything a board follows up.

The plan of a year (goals, indicators, activities, operating areas) lives in the apps
``goals``, ``indicators`` and ``budget``; what one report says about that plan lives there too,
in rows that point at a ``Report``. A report's content is the set of rows that point at it, so a
report keeps its own structure when the plan changes during the year.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .history import AuditedManager, AuditedQuerySet, audit_history
from .levels import AttachedToGoal, GoalLevel


class Period(models.TextChoices):
    """The periods of the year's cycle, in the order they come."""

    VP = "VP", "Verksamhetsplan"
    T1 = "T1", "Tertialrapport 1"
    T2 = "T2", "Tertialrapport 2"
    VB = "VB", "Verksamhetsberättelse"


PERIOD_ORDER = {Period.VP: 0, Period.T1: 1, Period.T2: 2, Period.VB: 3}


def is_tertial(period: str) -> bool:
    return period in (Period.T1, Period.T2)


# The last month each period covers: T1 January–April, T2 January–August, VB the year. The
# plan (VP) is decided before the year.
PERIOD_LAST_MONTH = {Period.T1: 4, Period.T2: 8, Period.VB: 12}


def period_of_date(day: date, year: int) -> str:
    """The first report of ``year`` that a change valid from ``day`` reaches: a change from
    2019-06-17 is first shown in T2 2019 (which covers January–August), one from before the
    year already in the plan."""
    if day.year < year:
        return Period.VP
    if day.year > year:
        raise ValueError(f"{day} ligger efter år {year}.")
    for period, month in PERIOD_LAST_MONTH.items():
        if day.month <= month:
            return period
    raise AssertionError("unreachable")


class Municipality(models.Model):
    """Kommun: the city whose council (KF) sets the direction and area goals."""

    name = models.CharField("namn", max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "kommun"
        verbose_name_plural = "kommuner"

    def __str__(self) -> str:
        return self.name


class Board(models.Model):
    """Nämnd, with the förvaltning (administration) that serves it."""

    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="boards", verbose_name="kommun"
    )
    name = models.CharField("namn", max_length=200)
    administration = models.CharField("förvaltning", max_length=200, blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["name"]
        verbose_name = "nämnd"
        verbose_name_plural = "nämnder"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="reporting_board_unique_name",
                violation_error_message="Det finns redan en nämnd med det namnet i kommunen.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """Enhet: a unit of the board's administration, which may write its own report."""

    board = models.ForeignKey(Board, models.CASCADE, related_name="units", verbose_name="nämnd")
    name = models.CharField("namn", max_length=200)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["name"]
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "name"],
                name="reporting_unit_unique_name",
                violation_error_message="Det finns redan en enhet med det namnet i nämnden.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.board})"


class Role(models.TextChoices):
    EDITOR = "editor", "Handläggare"
    APPROVER = "approver", "Förvaltningsledning"
    ADMINISTRATOR = "administrator", "Administratör"
    READER = "reader", "Läsare"


class Membership(models.Model):
    """A person's role on one board. A person may hold roles on several boards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name="användare",
    )
    board = models.ForeignKey(
        Board, models.CASCADE, related_name="memberships", verbose_name="nämnd"
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["board", "user"]
        verbose_name = "behörighet"
        verbose_name_plural = "behörigheter"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "board"],
                name="reporting_membership_one_role_per_board",
                violation_error_message="Personen har redan en roll i nämnden.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="reporting_membership_role_valid",
                violation_error_message="Okänd roll.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.board}"


# The sections a report template can place, by key; any other entry of a template's list is the
# title of one of the report's own sections ("Bakgrund", "Ärendets beredning").
TEMPLATE_SECTIONS = {
    "summary": "Sammanfattande analys",
    "goals": "Uppföljning av Kommunfullmäktiges inriktningsmål",
    "economy": "Uppföljning av ekonomi",
    "internal_control": "Bedömning av nämndens interna kontroll",
    "other": "Övriga avsnitt (de som inte står i listan med sin rubrik)",
}
DEFAULT_SECTIONS = ("summary", "goals", "economy", "internal_control", "other")


def default_sections() -> list[str]:
    return list(DEFAULT_SECTIONS)


# The subsections of Uppföljning av ekonomi a new report gets (DOMAIN.md §6), each a heading and
# the tables it holds ("operating_budget", "income_statement", "investments").
DEFAULT_VB_ECONOMY = (
    ("Analys av resultaträkning", ("income_statement",)),
    ("Uppföljning av driftbudget per verksamhetsområde", ("operating_budget",)),
    ("Jämförelse utfall med lämnad prognos i tertialrapport 2", ()),
    ("Resultatenheter", ()),
    ("Investeringar", ("investments",)),
    ("Försäljningar av anläggningstillgångar", ()),
    ("Verksamhetsprojekt (driftprojekt)", ()),
    ("Ombudgeteringar", ()),
    ("Medel för lokaländamål", ()),
    ("Analys av balansräkning", ()),
)
DEFAULT_TERTIAL_ECONOMY = (
    ("Tertialbokslut", ("income_statement",)),
    ("Prognos", ("operating_budget",)),
    ("Resultatenheter", ()),
    ("Investeringar", ("investments",)),
    ("Försäljningar av anläggningstillgångar", ()),
    ("Verksamhetsprojekt (driftprojekt)", ()),
    ("Budgetjusteringar", ()),
    ("Omslutningsförändringar", ()),
    ("Medel för lokaländamål", ()),
)
ECONOMY_TABLES = ("operating_budget", "income_statement", "investments", "table")


def _subsection_lines(subsections) -> list[str]:
    return [
        f"{heading}: {', '.join(tables)}" if tables else heading for heading, tables in subsections
    ]


def default_vb_economy() -> list[str]:
    return _subsection_lines(DEFAULT_VB_ECONOMY)


def default_tertial_economy() -> list[str]:
    return _subsection_lines(DEFAULT_TERTIAL_ECONOMY)


def parse_subsection_line(line: str) -> tuple[str, tuple[str, ...]]:
    """'Investeringar: investments' -> ('Investeringar', ('investments',)): a template's
    economy subsection, its heading and the tables it holds. A colon followed by anything but
    table names is part of the heading."""
    heading, colon, rest = line.rpartition(":")
    tables = tuple(t.strip() for t in rest.split(",") if t.strip())
    if colon and tables and all(t in ECONOMY_TABLES for t in tables):
        return heading.strip(), tables
    return line.strip(), ()


ECONOMY_HELP = (
    "Ett delavsnitt per rad, i ordning: rubriken, och efter ett kolon de tabeller det har, "
    "t.ex. ”Investeringar: investments”. Tabeller: operating_budget (driftbudgeten), "
    "income_statement (resultaträkningen), investments (investeringarna)."
)


class ReportTemplate(models.Model):
    """Rapportmall: which sections a report has and in which order, and how its assessment
    lines are worded. A board's own templates come before its municipality's; a report without
    a template prints the default (``DEFAULT_SECTIONS``, "Uppfylls helt" in every period,
    nothing on an unassessed goal's line)."""

    class Wording(models.TextChoices):
        STATED = "stated", "Uppfylls helt / Uppfylls delvis / Uppfylls ej"
        FORECAST = (
            "forecast",
            "Bedöms uppfyllas helt / Bedöms uppfyllas delvis / Bedöms ej uppfyllas",
        )

    class Unassessed(models.TextChoices):
        NOTHING = "", "Ingenting (ingen bedömningsrad)"
        NONE = "Ingen", "Ingen"
        NOT_ASSESSED = "Ej bedömd", "Ej bedömd"

    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="report_templates",
        verbose_name="kommun",
    )
    board = models.ForeignKey(
        Board,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="report_templates",
        verbose_name="nämnd",
    )
    name = models.CharField("namn", max_length=200)
    sections = models.JSONField(
        "avsnitt i ordning",
        default=default_sections,
        help_text=(
            "Ett avsnitt per rad: summary (sammanfattande analys), goals (inriktningsmålen), "
            "economy, internal_control, other (övriga avsnitt), eller rubriken på ett eget "
            "avsnitt, t.ex. Bakgrund. Det som inte står med skrivs inte ut."
        ),
    )
    vb_economy = models.JSONField(
        "ekonomins delavsnitt i verksamhetsberättelsen",
        default=default_vb_economy,
        blank=True,
        help_text=ECONOMY_HELP,
    )
    tertial_economy = models.JSONField(
        "ekonomins delavsnitt i tertialrapporten",
        default=default_tertial_economy,
        blank=True,
        help_text=ECONOMY_HELP,
    )
    tertial_wording = models.CharField(
        "bedömningsrad i T1 och T2",
        max_length=10,
        choices=Wording.choices,
        default=Wording.STATED,
        help_text="I verksamhetsberättelsen står alltid ”Uppfylls helt / delvis / ej”.",
    )
    unassessed_label = models.CharField(
        "mål utan bedömning",
        max_length=20,
        choices=Unassessed.choices,
        blank=True,
        default=Unassessed.NOTHING,
    )

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["name"]
        verbose_name = "rapportmall"
        verbose_name_plural = "rapportmallar"
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, board__isnull=True)
                | Q(municipality__isnull=True, board__isnull=False),
                name="reporting_reporttemplate_one_owner",
                violation_error_message="Ange antingen en kommun eller en nämnd.",
            ),
            models.UniqueConstraint(
                fields=["municipality", "name"],
                condition=Q(municipality__isnull=False),
                name="reporting_reporttemplate_unique_name_municipality",
                violation_error_message="Kommunen har redan en mall med det namnet.",
            ),
            models.UniqueConstraint(
                fields=["board", "name"],
                condition=Q(board__isnull=False),
                name="reporting_reporttemplate_unique_name_board",
                violation_error_message="Nämnden har redan en mall med det namnet.",
            ),
            models.CheckConstraint(
                condition=Q(tertial_wording__in=["stated", "forecast"]),
                name="reporting_reporttemplate_wording_valid",
                violation_error_message="Okänd formulering.",
            ),
            models.CheckConstraint(
                condition=Q(unassessed_label__in=["", "Ingen", "Ej bedömd"]),
                name="reporting_reporttemplate_unassessed_valid",
                violation_error_message="Okänd text för mål utan bedömning.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        sections = self.sections
        if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
            raise ValidationError({"sections": "Ange avsnitten som en lista med texter."})
        cleaned = [s.strip() for s in sections if s.strip()]
        if not cleaned:
            raise ValidationError({"sections": "Mallen måste ha minst ett avsnitt."})
        folded = [s.casefold() for s in cleaned]
        if len(set(folded)) != len(folded):
            raise ValidationError({"sections": "Ett avsnitt står två gånger i listan."})
        self.sections = cleaned
        for name in ("vb_economy", "tertial_economy"):
            lines = getattr(self, name)
            if not isinstance(lines, list) or not all(isinstance(s, str) for s in lines):
                raise ValidationError({name: "Ange delavsnitten som en lista med texter."})
            setattr(self, name, [s.strip() for s in lines if s.strip()])

    def economy_subsections(self, period: str) -> list[tuple[str, tuple[str, ...]]]:
        """The economy's subsections a new report of ``period`` gets: (heading, tables)."""
        lines = self.tertial_economy if is_tertial(period) else self.vb_economy
        return [parse_subsection_line(line) for line in lines or ()]

    @classmethod
    def for_board(cls, board: Board) -> "models.QuerySet[ReportTemplate]":
        """The templates a board may use: its own and its municipality's."""
        return cls.objects.filter(Q(board=board) | Q(municipality_id=board.municipality_id))


class CouncilAdministrator(models.Model):
    """Stadens administratör: a person of the city's central office who keeps the council's
    goals (inriktningsmål, mål för verksamhetsområdet), which every board of the municipality
    shares. A board's administrator cannot change them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="council_administrations",
        verbose_name="användare",
    )
    municipality = models.ForeignKey(
        Municipality, models.CASCADE, related_name="council_administrators", verbose_name="kommun"
    )

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["municipality", "user"]
        verbose_name = "stadens administratör"
        verbose_name_plural = "stadens administratörer"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                name="reporting_counciladministrator_unique",
                violation_error_message="Personen är redan administratör för kommunen.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – administratör för {self.municipality}"


class ReportQuerySet(AuditedQuerySet):
    def for_user(self, user) -> "ReportQuerySet":
        """The reports a person may see: those of the boards where they hold a role."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(board__memberships__user=user).distinct()


class AmountUnit(models.TextChoices):
    """The unit the economy's forms take amounts in (``budget.arithmetic.UNITS``); stored and
    printed in mnkr."""

    KR = "kr", "kr"
    TKR = "tkr", "tkr"
    MNKR = "mnkr", "mnkr"


class Report(models.Model):
    """A board's (or one unit's) report for one period of one year: T1, T2, VB (or the VP)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Inskickad för granskning"
        APPROVED = "approved", "Godkänd"
        DECIDED = "decided", "Beslutad"

    board = models.ForeignKey(Board, models.PROTECT, related_name="reports", verbose_name="nämnd")
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="enhet",
        help_text="Tomt för nämndens egen rapport.",
    )
    year = models.PositiveSmallIntegerField("år")
    period = models.CharField("period", max_length=2, choices=Period.choices)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    deadline = models.DateField(
        "sista dag",
        null=True,
        blank=True,
        help_text="Dagen då rapporten ska vara inskickad för granskning.",
    )
    decision_date = models.DateField("beslutsdatum", null=True, blank=True)
    decision_paragraph = models.CharField("paragraf", max_length=40, blank=True)
    template = models.ForeignKey(
        ReportTemplate,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="mall",
        help_text="Tomt: standardmallen.",
    )
    amount_unit = models.CharField(
        "belopp anges i",
        max_length=4,
        choices=AmountUnit.choices,
        default=AmountUnit.MNKR,
        help_text="Enheten som ekonomiformulären tar emot belopp i; rapporten skrivs i mnkr.",
    )
    source_anomalies = models.JSONField(
        "anmärkningar från källan",
        default=list,
        blank=True,
        help_text="Vad som såg fel ut i originalet (från importen).",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    updated_at = models.DateTimeField("ändrad", auto_now=True)

    objects = AuditedManager.from_queryset(ReportQuerySet)()
    history = audit_history()

    class Meta:
        ordering = ["-year", "board__name", "period"]
        verbose_name = "rapport"
        verbose_name_plural = "rapporter"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "period"],
                condition=Q(unit__isnull=True),
                name="reporting_report_unique_board_period",
                violation_error_message="Nämnden har redan en rapport för den perioden.",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "period"],
                condition=Q(unit__isnull=False),
                name="reporting_report_unique_unit_period",
                violation_error_message="Enheten har redan en rapport för den perioden.",
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values),
                name="reporting_report_period_valid",
                violation_error_message="Okänd period.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved", "decided"]),
                name="reporting_report_status_valid",
                violation_error_message="Okänd status.",
            ),
            models.CheckConstraint(
                condition=Q(amount_unit__in=["kr", "tkr", "mnkr"]),
                name="reporting_report_amount_unit_valid",
                violation_error_message="Ange kr, tkr eller mnkr.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2200),
                name="reporting_report_year_range",
                violation_error_message="Året måste ligga mellan 1990 och 2200.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name}, {self.title}"

    @property
    def owner_name(self) -> str:
        return self.unit.name if self.unit_id else self.board.name

    @property
    def title(self) -> str:
        """'Verksamhetsberättelse 2019', 'Tertialrapport 1 2024'."""
        return f"{self.get_period_display()} {self.year}"

    @property
    def is_tertial(self) -> bool:
        return is_tertial(self.period)

    @property
    def forecast_wording(self) -> bool:
        """Whether the assessment lines read "Bedöms uppfyllas helt": only in T1/T2, and only
        when the report's template says so (the default is "Uppfylls helt" everywhere)."""
        return (
            self.is_tertial
            and self.template_id is not None
            and self.template.tertial_wording == ReportTemplate.Wording.FORECAST
        )

    def is_overdue(self, today=None) -> bool:
        """A draft whose deadline has passed."""
        today = today or timezone.localdate()
        return (
            self.deadline is not None and self.status == self.Status.DRAFT and self.deadline < today
        )


class ReportItem(models.Model):
    """What every editable piece of a report has: a version for optimistic locking and a mark
    that the author considers it ready ("klarmarkerad")."""

    version = models.PositiveIntegerField("version", default=1, editable=False)
    ready = models.BooleanField("klarmarkerad", default=False)
    updated_at = models.DateTimeField("ändrad", auto_now=True)

    class Meta:
        abstract = True


class CoverMemo(ReportItem):
    """Tjänsteutlåtande: the memo that carries the report to the board."""

    report = models.OneToOneField(
        Report, models.CASCADE, related_name="cover_memo", verbose_name="rapport"
    )
    case_officer = models.CharField("handläggare", max_length=200, blank=True)
    phone = models.CharField("telefon", max_length=60, blank=True)
    to = models.CharField("till", max_length=200, blank=True)
    date = models.DateField("datum", null=True, blank=True)
    dnr = models.CharField("diarienummer", max_length=60, blank=True)
    title = models.CharField("titel", max_length=400, blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        verbose_name = "tjänsteutlåtande"
        verbose_name_plural = "tjänsteutlåtanden"

    def __str__(self) -> str:
        return self.title or f"Tjänsteutlåtande för {self.report}"


class ProposedDecision(models.Model):
    """Förslag till beslut: one numbered proposal of the cover memo."""

    cover_memo = models.ForeignKey(
        CoverMemo, models.CASCADE, related_name="proposed_decisions", verbose_name="utlåtande"
    )
    position = models.PositiveIntegerField("ordning")
    text = models.TextField("förslag")

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["position"]
        verbose_name = "förslag till beslut"
        verbose_name_plural = "förslag till beslut"

    def __str__(self) -> str:
        return self.text


class Signatory(models.Model):
    """A person who signs the cover memo (Förvaltningschef, Avdelningschef, ...)."""

    cover_memo = models.ForeignKey(
        CoverMemo, models.CASCADE, related_name="signatories", verbose_name="utlåtande"
    )
    position = models.PositiveIntegerField("ordning")
    name = models.CharField("namn", max_length=200, blank=True)
    title = models.CharField("titel", max_length=200, blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["position"]
        verbose_name = "undertecknare"
        verbose_name_plural = "undertecknare"

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


class MemoAttachment(models.Model):
    """Bilaga: one attachment listed in the cover memo."""

    cover_memo = models.ForeignKey(
        CoverMemo, models.CASCADE, related_name="attachments", verbose_name="utlåtande"
    )
    position = models.PositiveIntegerField("ordning")
    title = models.CharField("bilaga", max_length=400)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["position"]
        verbose_name = "bilaga"
        verbose_name_plural = "bilagor"

    def __str__(self) -> str:
        return self.title


class InternalControlAssessment(models.TextChoices):
    SUFFICIENT = "sufficient", "Tillräcklig"
    PARTLY = "partly", "Delvis tillräcklig"
    INSUFFICIENT = "insufficient", "Ej tillräcklig"


class Section(ReportItem):
    """A titled text of the report outside the goal hierarchy: the summary (Sammanfattande
    analys), the internal control (Bedömning av nämndens interna kontroll) and the other
    sections (Kvalitetsarbete, Övrigt, ...), in order."""

    class Kind(models.TextChoices):
        SUMMARY = "summary", "Sammanfattande analys"
        INTERNAL_CONTROL = "internal_control", "Bedömning av nämndens interna kontroll"
        OTHER = "other", "Övrigt avsnitt"

    report = models.ForeignKey(Report, models.CASCADE, related_name="sections")
    kind = models.CharField("slag", max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField("ordning", default=0)
    title = models.CharField("rubrik", max_length=400, blank=True)
    text = models.TextField("text", blank=True)
    assessment = models.CharField(
        "bedömning",
        max_length=20,
        choices=InternalControlAssessment.choices,
        blank=True,
        help_text="Endast för den interna kontrollen.",
    )

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = "avsnitt"
        verbose_name_plural = "avsnitt"
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(kind="summary"),
                name="reporting_section_one_summary",
                violation_error_message="Rapporten har redan en sammanfattande analys.",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(kind="internal_control"),
                name="reporting_section_one_internal_control",
                violation_error_message="Rapporten har redan ett avsnitt om intern kontroll.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["summary", "internal_control", "other"]),
                name="reporting_section_kind_valid",
                violation_error_message="Okänt slag av avsnitt.",
            ),
            models.CheckConstraint(
                condition=Q(assessment="")
                | (Q(kind="internal_control") & Q(assessment__in=InternalControlAssessment.values)),
                name="reporting_section_assessment_valid",
                violation_error_message=(
                    "Bedömningen måste vara Tillräcklig, Delvis tillräcklig eller Ej tillräcklig."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class Responsibility(AttachedToGoal):
    """An editor made responsible for particular goals or operating areas of a year; an editor
    with responsibilities edits only those (and what lies under them)."""

    GOAL_LEVELS = (GoalLevel.AREA_GOAL, GoalLevel.BOARD_GOAL)  # or an operating area

    membership = models.ForeignKey(
        Membership, models.CASCADE, related_name="responsibilities", verbose_name="behörighet"
    )
    area_goal = models.ForeignKey(
        "goals.AreaGoal",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="mål för verksamhetsområdet",
    )
    board_goal = models.ForeignKey(
        "goals.BoardGoal",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="nämndmål",
    )
    operating_area = models.ForeignKey(
        "budget.OperatingArea",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="verksamhetsområde",
    )

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        verbose_name = "ansvar"
        verbose_name_plural = "ansvar"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(area_goal__isnull=False, board_goal__isnull=True, operating_area__isnull=True)
                    | Q(
                        area_goal__isnull=True,
                        board_goal__isnull=False,
                        operating_area__isnull=True,
                    )
                    | Q(
                        area_goal__isnull=True,
                        board_goal__isnull=True,
                        operating_area__isnull=False,
                    )
                ),
                name="reporting_responsibility_exactly_one_item",
                violation_error_message="Ange exakt ett mål eller verksamhetsområde.",
            )
        ]

    def __str__(self) -> str:
        item = self.area_goal or self.board_goal or self.operating_area
        return f"{self.membership.user} ansvarar för {item}"


class ReportEvent(models.Model):
    """One step of a report's way from draft to decision: who moved it, when, and why (the
    comment of a return, the reason of a reopening)."""

    report = models.ForeignKey(
        Report, models.CASCADE, related_name="events", verbose_name="rapport"
    )
    from_status = models.CharField("från", max_length=20, choices=Report.Status.choices)
    to_status = models.CharField("till", max_length=20, choices=Report.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="av"
    )
    at = models.DateTimeField("tid", auto_now_add=True)
    comment = models.TextField("kommentar", blank=True)
    unready = models.JSONField(
        "ej klarmarkerade",
        default=list,
        blank=True,
        help_text="Delarna som inte var klarmarkerade när rapporten skickades in ändå.",
    )
    justification = models.TextField(
        "motivering",
        blank=True,
        help_text="Varför rapporten godkändes trots fel i granskningen (skrivs aldrig ut).",
    )

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = "händelse"
        verbose_name_plural = "händelser"

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReportVersion(models.Model):
    """A frozen approved version: the report's data (interchange JSON), its PDF, the cover
    memo's PDF and its Excel workbook, each with its SHA-256, written once and never changed.
    This PDF is what the board gets; the report's page, print and export of an approved report
    are made from ``data``, so nothing edited later reaches them. (Versions approved before
    workbooks were frozen have none.)"""

    report = models.ForeignKey(
        Report, models.PROTECT, related_name="versions", verbose_name="rapport"
    )
    number = models.PositiveIntegerField("version")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="godkänd av"
    )
    approved_at = models.DateTimeField("godkänd", auto_now_add=True)
    data = models.TextField("data (JSON)")
    data_sha256 = models.CharField("SHA-256 för data", max_length=64)
    # The PDFs follow from the worker (reporting.tasks.render_version_pdf), rendered from
    # ``data``; empty until then ("PDF görs"), then written once with their SHA-256.
    pdf = models.BinaryField("PDF", blank=True, default=b"")
    pdf_sha256 = models.CharField("SHA-256 för PDF", max_length=64, blank=True)
    memo_pdf = models.BinaryField("tjänsteutlåtandet som PDF", null=True, blank=True)
    memo_pdf_sha256 = models.CharField("SHA-256 för tjänsteutlåtandet", max_length=64, blank=True)
    xlsx = models.BinaryField("Excel", blank=True, default=b"")
    xlsx_sha256 = models.CharField("SHA-256 för Excel", max_length=64, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = "godkänd version"
        verbose_name_plural = "godkända versioner"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="reporting_reportversion_unique_number",
                violation_error_message="Versionen finns redan.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("En godkänd version ändras aldrig.")
        super().save(*args, **kwargs)

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf_sha256)


class RenderedFile(models.Model):
    """A rendered document of a report (its PDF, the cover memo's PDF, ...), kept in storage.

    ``key`` is a hash of what the file is made of: the report's data, the templates and the
    renderer's version (``reporting.rendered.file_key``). A report whose data has not changed
    has the same key, so its file is served from storage at once; a changed report has a new
    key and a new row. One row per key, so that two requests for the same file start one
    rendering; the worker (``reporting.tasks.render_file``) fills it in."""

    class Kind(models.TextChoices):
        REPORT_PDF = "report_pdf", "Rapporten som PDF"
        MEMO_PDF = "memo_pdf", "Tjänsteutlåtandet som PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", "I kö"
        RENDERING = "rendering", "Görs"
        READY = "ready", "Klar"
        FAILED = "failed", "Misslyckades"

    key = models.CharField("nyckel", max_length=64, unique=True)
    report = models.ForeignKey(
        Report, models.CASCADE, related_name="rendered_files", verbose_name="rapport"
    )
    kind = models.CharField("slag", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField("fil", upload_to="rendered/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    error = models.TextField("fel", blank=True)
    requested_at = models.DateTimeField("beställd", auto_now_add=True)
    started_at = models.DateTimeField("påbörjad", null=True, blank=True)
    finished_at = models.DateTimeField("klar", null=True, blank=True)

    class Meta:
        ordering = ["report", "kind", "-requested_at"]
        verbose_name = "framställd fil"
        verbose_name_plural = "framställda filer"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="reporting_renderedfile_status_valid",
                violation_error_message="Okänd status.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report}, {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY


class ReviewResult(models.Model):
    """The review's last result for a report (``reporting.review.stored``), with the stamp of
    the report's data it was made from: reused until the report changes, so a page shows the
    counts without running the rules."""

    report = models.OneToOneField(
        Report, models.CASCADE, related_name="review_result", verbose_name="rapport"
    )
    stamp = models.CharField("ändringsstämpel", max_length=64)
    findings = models.JSONField("fynd", default=list)
    errors = models.PositiveIntegerField("fel", default=0)
    warnings = models.PositiveIntegerField("varningar", default=0)
    reviewed_at = models.DateTimeField("granskad", auto_now=True)

    class Meta:
        verbose_name = "granskningsresultat"
        verbose_name_plural = "granskningsresultat"

    def __str__(self) -> str:
        return f"Granskning av {self.report}: {self.errors} fel, {self.warnings} varningar"


class ReviewRefresh(models.Model):
    """A refresh of a report's stored review waiting in the worker's queue
    (``reporting.tasks.queue_review_refresh``): at most one a report, however many saves
    asked for it. The worker deletes it when it starts the refresh, so a save made while the
    rules run queues the next one."""

    report = models.OneToOneField(
        Report,
        models.CASCADE,
        primary_key=True,
        related_name="review_refresh",
        verbose_name="rapport",
    )
    queued_at = models.DateTimeField("köad", default=timezone.now)

    class Meta:
        verbose_name = "granskning i kö"
        verbose_name_plural = "granskningar i kö"

    def __str__(self) -> str:
        return f"Granskning av {self.report} i kö sedan {self.queued_at:%Y-%m-%d %H:%M}"


class CommentQuerySet(AuditedQuerySet):
    def threads(self) -> "CommentQuerySet":
        """The first comments of threads (a reply belongs to its thread)."""
        return self.filter(parent__isnull=True)

    def open(self) -> "CommentQuerySet":
        return self.filter(parent__isnull=True, resolved_at__isnull=True)

    def for_item(self, key: str) -> "CommentQuerySet":
        return self.filter(item_key=key)


class Comment(models.Model):
    """Kommentar: a remark on one item of a report (a goal's assessment, an indicator's value,
    an activity's follow-up, an operating budget row, a section), from an approver or a
    colleague to a person, answered in replies and marked resolved. Internal working material:
    readers never see it and no document prints it.

    The item is named by its stable key, ``"<app_label>.<model>:<pk>"`` (e.g.
    ``indicators.indicatorvalue:42``); ``item_title`` keeps its title as it was when the
    comment was written, for lists that should not look every item up."""

    report = models.ForeignKey(
        Report, models.CASCADE, related_name="comments", verbose_name="rapport"
    )
    item_key = models.CharField("del av rapporten", max_length=80)
    item_title = models.CharField("rubrik", max_length=400, blank=True)
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="svar på",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="av"
    )
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="till",
        help_text="Tomt: till rapportens handläggare.",
    )
    text = models.TextField("kommentar", max_length=4000)
    resolved_at = models.DateTimeField("löst", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="löst av",
    )
    created_at = models.DateTimeField("skriven", auto_now_add=True)
    updated_at = models.DateTimeField("ändrad", auto_now=True)

    objects = AuditedManager.from_queryset(CommentQuerySet)()
    history = audit_history()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "kommentar"
        verbose_name_plural = "kommentarer"
        indexes = [models.Index(fields=["report", "item_key"], name="reporting_comment_item")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="reporting_comment_text_not_empty",
                violation_error_message="Skriv en kommentar.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} om {self.item_title or self.item_key}"

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


class Profile(models.Model):
    """A person's own settings: whether they want reminders by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name="användare"
    )
    email_reminders = models.BooleanField(
        "påminnelser via e-post",
        default=True,
        help_text="Påminnelser när sista dagen för en rapport närmar sig eller har passerat.",
    )

    class Meta:
        verbose_name = "inställning"
        verbose_name_plural = "inställningar"

    def __str__(self) -> str:
        return f"Inställningar för {self.user}"


class ReminderLog(models.Model):
    """A reminder sent: one per person, report, kind and day, so that no run sends two."""

    class Kind(models.TextChoices):
        DUE = "due", "Sista dagen närmar sig"
        OVERDUE = "overdue", "Sista dagen har passerat"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="till"
    )
    report = models.ForeignKey(
        Report, models.CASCADE, related_name="reminders", verbose_name="rapport"
    )
    kind = models.CharField("slag", max_length=10, choices=Kind.choices)
    sent_on = models.DateField("skickad")

    class Meta:
        ordering = ["-sent_on", "report", "user"]
        verbose_name = "skickad påminnelse"
        verbose_name_plural = "skickade påminnelser"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "report", "sent_on"],
                name="reporting_reminderlog_once_a_day",
                violation_error_message="Personen har redan fått en påminnelse om rapporten i dag.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.report} till {self.user} {self.sent_on}"
