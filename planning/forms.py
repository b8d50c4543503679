"""The forms of the setup screens: the year's plan, the board's people and the year's reports.

Every form shows its errors at the field and keeps what was typed. A plan form gets the board
and the year from the page, never from the person; the database's uniqueness rules are checked
here first so that a clash is told at the field it concerns.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from budget.models import IncomeStatementCategory, InvestmentCategory, OperatingArea
from goals.models import Activity, AreaGoal, BoardGoal, DirectionGoal
from indicators.models import Indicator, IndicatorTarget
from reporting.forms import SwedishDateInput
from reporting.models import (
    Board,
    Membership,
    Period,
    Report,
    ReportTemplate,
    Responsibility,
    Role,
)
from reporting.numbers import NumberFormatError, format_number, parse_number

GOAL_HELP = "Målet i planen som det här hör till: ett av KF:s mål för verksamhetsområdet eller ett nämndmål."
TARGET_HELP = (
    "Ett tal (80 eller 0,5 %) eller en text som skrivs i stället, till exempel "
    "”Tas fram av nämnden” eller ”öka”. Tomt: inget mål."
)
POSITION_HELP = "Lägre tal står först."
REPORT_PERIODS = [(p.value, p.label) for p in (Period.T1, Period.T2, Period.VB)]


class PlanForm(forms.ModelForm):
    """A plan item of one board's year: ``board`` and ``year`` come from the page."""

    unique_checks: tuple[tuple[str, str], ...] = ()  # (field, Swedish message)

    def __init__(self, *args, board: Board, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.board, self.year = board, year
        self.instance.board, self.instance.year = board, year
        if "position" in self.fields:
            self.fields["position"].required = False
            self.fields["position"].help_text = POSITION_HELP

    def clean_position(self) -> int:
        position = self.cleaned_data.get("position")
        if position is not None:
            return position
        model = self._meta.model
        last = model.objects.filter(board=self.board, year=self.year).order_by("-position").first()
        return (last.position + 1) if last else 1

    def clean(self) -> dict:
        cleaned = super().clean()
        model = self._meta.model
        for name, message in self.unique_checks:
            value = cleaned.get(name)
            if value in (None, ""):
                continue
            clash = model.objects.filter(board=self.board, year=self.year, **{name: value})
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(name, message)
        return cleaned


def lines(text: str) -> list[str]:
    return [line.strip().removeprefix("- ").strip() for line in text.splitlines() if line.strip()]


def area_goal_choices(board: Board, year: int):
    return AreaGoal.objects.filter(
        direction_goal__municipality=board.municipality, direction_goal__year=year
    ).select_related("direction_goal")


class AreaGoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AreaGoal) -> str:
        return f"{obj.number} {obj.title}"


class BoardGoalForm(PlanForm):
    unique_checks = (("number", "Nämnden har redan ett nämndmål med det numret i år."),)

    area_goal = AreaGoalChoiceField(
        label="Under KF:s mål för verksamhetsområdet",
        queryset=AreaGoal.objects.none(),
        empty_label="Välj mål …",
        error_messages={"required": "Välj det av KF:s mål som nämndmålet hör till."},
    )
    expected_results_text = forms.CharField(
        label="Förväntat resultat",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ett förväntat resultat per rad.",
    )

    class Meta:
        model = BoardGoal
        fields = ["area_goal", "number", "title", "description", "position"]
        labels = {
            "number": "Nummer",
            "title": "Titel",
            "description": "Beskrivning",
            "position": "Ordning",
        }
        help_texts = {"number": "Till exempel 1.1.1: KF:s mål följt av nämndmålets nummer."}
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "number": {"required": "Ange nämndmålets nummer."},
            "title": {"required": "Ange nämndmålets titel."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_goal"].queryset = area_goal_choices(self.board, self.year)
        if not self.fields["area_goal"].queryset.exists():
            self.fields[
                "area_goal"
            ].help_text = f"Stadens administratör har inte lagt in KF:s mål för {self.year} än."
        if not self.is_bound:
            self.initial["expected_results_text"] = "\n".join(self.instance.expected_results or [])
        self.order_fields(["area_goal", "number", "title", "description", "expected_results_text"])

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()

    def save(self, commit: bool = True) -> BoardGoal:
        self.instance.expected_results = lines(self.cleaned_data["expected_results_text"])
        return super().save(commit=commit)


class GoalChoiceField(forms.ChoiceField):
    """One goal of the year's plan, KF's area goal or the board's own goal, as
    ``area_goal:ID`` or ``board_goal:ID``."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Mål")
        kwargs.setdefault("help_text", GOAL_HELP)
        kwargs.setdefault("error_messages", {"required": "Välj målet det hör till."})
        super().__init__(**kwargs)

    def set_plan(self, board: Board, year: int) -> None:
        area = [
            (f"area_goal:{g.pk}", f"KF:s mål {g.number} {g.title}")
            for g in area_goal_choices(board, year)
        ]
        own = [
            (f"board_goal:{g.pk}", f"Nämndmål {g.number} {g.title}")
            for g in BoardGoal.objects.filter(board=board, year=year)
        ]
        self.choices = [("", "Välj mål …"), ("KF:s mål", area), ("Nämndens mål", own)]


def goal_value(item) -> str:
    if item.board_goal_id:
        return f"board_goal:{item.board_goal_id}"
    if item.area_goal_id:
        return f"area_goal:{item.area_goal_id}"
    return ""


def apply_goal(item, value: str) -> None:
    level, _, pk = value.partition(":")
    item.area_goal_id = int(pk) if level == "area_goal" else None
    item.board_goal_id = int(pk) if level == "board_goal" else None
    item.commitment_id = None


class GoalItemForm(PlanForm):
    """An indicator or activity: the goal it belongs to is chosen in one list."""

    goal = GoalChoiceField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].set_plan(self.board, self.year)
        if not self.is_bound and self.instance.pk:
            self.initial["goal"] = goal_value(self.instance)
        self.order_fields(["goal"])

    def clean(self) -> dict:
        goal = self.cleaned_data.get("goal")
        if goal:
            apply_goal(self.instance, goal)
            field = "name" if "name" in self.fields else "title"
            value = self.cleaned_data.get(field)
            level, _, pk = goal.partition(":")
            clash = self._meta.model.objects.filter(
                board=self.board, **{f"{level}_id": int(pk), field: value}
            )
            if value and clash.exclude(pk=self.instance.pk).exists():
                noun = (
                    "en indikator med det namnet"
                    if field == "name"
                    else "en aktivitet med den titeln"
                )
                self.add_error(field, f"Målet har redan {noun}.")
        return super().clean()


class FigureInput:
    """A target typed as a number (``80``, ``0,5 %``) or a text printed in its place."""

    @staticmethod
    def parse(text: str) -> Decimal | str | None:
        text = (text or "").strip()
        if not text:
            return None
        try:
            return parse_number(text)
        except NumberFormatError:
            return text

    @staticmethod
    def show(value) -> str:
        if isinstance(value, Decimal):
            return format_number(value)
        return value or ""


def target_field(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=200, help_text=TARGET_HELP)


class IndicatorForm(GoalItemForm):
    annual_target = target_field("Årsmål")
    kf_annual_target = target_field("KF:s årsmål")

    class Meta:
        model = Indicator
        fields = [
            "name",
            "kind",
            "unit",
            "decimals",
            "direction",
            "frequency",
            "gender_split_required",
            "position",
        ]
        labels = {
            "name": "Indikator",
            "kind": "KF:s eller nämndens",
            "unit": "Enhet",
            "decimals": "Decimaler",
            "direction": "Riktning",
            "frequency": "Frekvens",
            "gender_split_required": "Kräver könsuppdelning (utfall för män/pojkar och kvinnor/flickor)",
            "position": "Ordning",
        }
        help_texts = {
            "unit": "%, st, dagar, kr, index … eller tomt.",
            "decimals": "Hur många decimaler utfallet skrivs med. Tomt: som talet skrevs in.",
            "direction": "Om ett högre eller ett lägre utfall är bättre.",
            "frequency": "Många enkäter mäts bara en gång om året och redovisas i VB.",
        }
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "gender_split_required": forms.CheckboxInput,
            "kind": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
        }
        error_messages = {"name": {"required": "Ange indikatorns namn."}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("kf", "KF-indikator"), ("board", "Nämndens indikator")]
        self.fields["kind"].required = True
        self.fields["kind"].error_messages["required"] = (
            "Ange om det är KF:s eller nämndens indikator."
        )
        self.fields["direction"].choices = list(Indicator.Direction.choices)
        self.fields["direction"].required = True
        self.fields["direction"].error_messages["required"] = "Ange om högre eller lägre är bättre."
        self.fields["decimals"].widget.attrs["max"] = 6
        self.target = self._plan_target()
        if not self.is_bound and self.target is not None:
            self.initial["annual_target"] = FigureInput.show(
                self.target.get_figure("annual_target")
            )
            self.initial["kf_annual_target"] = FigureInput.show(
                self.target.get_figure("kf_annual_target")
            )
        self.order_fields(
            [
                "goal",
                "name",
                "kind",
                "unit",
                "decimals",
                "direction",
                "frequency",
                "gender_split_required",
                "annual_target",
                "kf_annual_target",
            ]
        )

    def _plan_target(self) -> IndicatorTarget | None:
        """The target the plan sets: the earliest of the year (VP, or the first set)."""
        if not self.instance.pk:
            return None
        targets = list(self.instance.targets.all())
        return self.instance.target_for(Period.VP, targets)

    def clean_decimals(self):
        decimals = self.cleaned_data.get("decimals")
        if decimals is not None and decimals > 6:
            raise ValidationError("Högst 6 decimaler.")
        return decimals

    def clean_gender_split_required(self) -> bool:
        return bool(self.cleaned_data.get("gender_split_required"))

    def save_target(self) -> IndicatorTarget:
        target = self.target or IndicatorTarget(indicator=self.instance, period=Period.VP)
        for name in ("annual_target", "kf_annual_target"):
            target.set_figure(name, FigureInput.parse(self.cleaned_data.get(name)))
        target.save()
        return target


class ActivityForm(GoalItemForm):
    class Meta:
        model = Activity
        fields = ["title", "kind", "start_date", "end_date", "position"]
        labels = {
            "title": "Aktivitet",
            "kind": "KF-aktivitet eller nämndens",
            "start_date": "Startdatum",
            "end_date": "Slutdatum",
            "position": "Ordning",
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "kind": forms.RadioSelect,
            "start_date": SwedishDateInput(),
            "end_date": SwedishDateInput(),
        }
        error_messages = {
            "title": {"required": "Ange aktiviteten."},
            "start_date": {"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2020-01-01."},
            "end_date": {"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2020-12-31."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("kf", "KF-aktivitet (uppdrag i budgeten)"),
            ("board", "Nämndens aktivitet"),
        ]
        self.fields["kind"].required = True
        self.fields["kind"].error_messages["required"] = (
            "Ange om det är en KF-aktivitet eller nämndens."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Slutdatum kan inte ligga före startdatum.")
        return cleaned


class OperatingAreaForm(PlanForm):
    unique_checks = (("name", "Nämnden har redan ett verksamhetsområde med det namnet i år."),)

    class Meta:
        model = OperatingArea
        fields = ["name", "position"]
        labels = {"name": "Verksamhetsområde", "position": "Ordning"}
        error_messages = {"name": {"required": "Ange verksamhetsområdets namn."}}


class IncomeStatementCategoryForm(PlanForm):
    unique_checks = (("name", "Nämnden har redan ett slag med det namnet i år."),)

    class Meta:
        model = IncomeStatementCategory
        fields = ["name", "kind", "position"]
        labels = {"name": "Intäkts- eller kostnadsslag", "kind": "Slag", "position": "Ordning"}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Ange slagets namn."},
            "kind": {"required": "Ange om det är en intäkt eller en kostnad."},
        }


class InvestmentCategoryForm(PlanForm):
    unique_checks = (("name", "Nämnden har redan en kategori med det namnet i år."),)

    class Meta:
        model = InvestmentCategory
        fields = ["name", "position"]
        labels = {"name": "Investeringskategori", "position": "Ordning"}
        error_messages = {"name": {"required": "Ange kategorins namn."}}


# -- people and roles -------------------------------------------------------------------------

ROLE_CHOICES = [(r.value, r.label) for r in Role]


class MembershipCreateForm(forms.Form):
    """A person added to the board with a role: an existing account by its user name, or a new
    account (name, e-mail and a first password)."""

    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        help_text="Finns kontot redan räcker användarnamnet; annars skapas ett nytt.",
        error_messages={"required": "Ange personens användarnamn."},
    )
    role = forms.ChoiceField(
        label="Roll",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj en roll."},
    )
    first_name = forms.CharField(label="Förnamn", max_length=150, required=False)
    last_name = forms.CharField(label="Efternamn", max_length=150, required=False)
    email = forms.EmailField(
        label="E-post",
        required=False,
        error_messages={"invalid": "Skriv en e-postadress, till exempel namn@stad.se."},
    )
    password = forms.CharField(
        label="Första lösenord (bara för ett nytt konto)",
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text="Personen byter det vid första inloggningen.",
    )

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.board = board
        self.user = None

    def clean(self) -> dict:
        cleaned = super().clean()
        username = (cleaned.get("username") or "").strip()
        if not username:
            return cleaned
        User = get_user_model()
        self.user = User.objects.filter(username=username).first()
        if self.user is not None:
            if Membership.objects.filter(user=self.user, board=self.board).exists():
                self.add_error("username", "Personen har redan en roll i nämnden.")
            return cleaned
        if not cleaned.get("first_name", "").strip():
            self.add_error("first_name", "Ange förnamn för det nya kontot.")
        if not cleaned.get("last_name", "").strip():
            self.add_error("last_name", "Ange efternamn för det nya kontot.")
        password = cleaned.get("password") or ""
        if not password:
            self.add_error("password", "Ange ett första lösenord för det nya kontot.")
        else:
            try:
                validate_password(password, User(username=username))
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def save(self) -> Membership:
        data = self.cleaned_data
        if self.user is None:
            self.user = get_user_model().objects.create_user(
                username=data["username"].strip(),
                password=data["password"],
                first_name=data["first_name"].strip(),
                last_name=data["last_name"].strip(),
                email=data["email"],
            )
        return Membership.objects.create(user=self.user, board=self.board, role=data["role"])


class MembershipRoleForm(forms.ModelForm):
    role = forms.ChoiceField(label="Roll", choices=ROLE_CHOICES, widget=forms.RadioSelect)

    class Meta:
        model = Membership
        fields = ["role"]
        labels = {"role": "Roll"}
        widgets = {"role": forms.RadioSelect}


class ResponsibilityForm(forms.Form):
    """An editor made responsible for a goal or an operating area of a year."""

    item = forms.ChoiceField(
        label="Ansvarar för",
        error_messages={"required": "Välj ett mål eller ett verksamhetsområde."},
        help_text="Handläggaren ändrar då bara detta (med det som hör till) i årets rapporter.",
    )

    def __init__(self, *args, membership: Membership, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.membership, self.year = membership, year
        board = membership.board
        self.fields["item"].choices = [
            ("", "Välj …"),
            (
                "Nämndmål",
                [
                    (f"board_goal:{g.pk}", f"Nämndmål {g.number} {g.title}")
                    for g in BoardGoal.objects.filter(board=board, year=year)
                ],
            ),
            (
                "KF:s mål för verksamhetsområdet",
                [
                    (f"area_goal:{g.pk}", f"KF:s mål {g.number} {g.title}")
                    for g in area_goal_choices(board, year)
                ],
            ),
            (
                "Verksamhetsområden",
                [
                    (f"operating_area:{a.pk}", f"Verksamhetsområde {a.name}")
                    for a in OperatingArea.objects.filter(board=board, year=year)
                ],
            ),
        ]

    def clean_item(self) -> dict:
        level, _, pk = self.cleaned_data["item"].partition(":")
        lookup = {f"{level}_id": int(pk)}
        if Responsibility.objects.filter(membership=self.membership, **lookup).exists():
            raise ValidationError("Personen har redan det ansvaret.")
        return lookup

    def save(self) -> Responsibility:
        return Responsibility.objects.create(
            membership=self.membership, **self.cleaned_data["item"]
        )


# -- the year's reports -----------------------------------------------------------------------


class ReportCreateForm(forms.Form):
    """A report of the year with its deadline and template."""

    period = forms.ChoiceField(
        label="Rapport",
        choices=REPORT_PERIODS,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj T1, T2 eller VB."},
    )
    deadline = forms.DateField(
        label="Sista dag",
        required=False,
        widget=SwedishDateInput(),
        input_formats=["%Y-%m-%d"],
        help_text="Dagen då rapporten ska vara inskickad för granskning (ÅÅÅÅ-MM-DD).",
        error_messages={"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2020-05-15."},
    )

    template = forms.ModelChoiceField(
        label="Mall",
        queryset=ReportTemplate.objects.none(),
        required=False,
        empty_label="Standardmallen",
        help_text="Vilka avsnitt rapporten har och i vilken ordning, och hur bedömningen skrivs.",
    )

    def __init__(self, *args, board: Board, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.board, self.year = board, year
        self.fields["template"].queryset = ReportTemplate.for_board(board)

    def clean_period(self) -> str:
        period = self.cleaned_data["period"]
        if Report.objects.filter(
            board=self.board, unit=None, year=self.year, period=period
        ).exists():
            raise ValidationError(f"{Period(period).label} {self.year} finns redan.")
        return period


class ReportDeadlineForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["deadline"]
        labels = {"deadline": "Sista dag"}
        widgets = {"deadline": SwedishDateInput()}
        error_messages = {
            "deadline": {"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2020-05-15."}
        }


class StartYearForm(forms.Form):
    """Nothing to fill in: the button confirms."""


# -- the council's goals (city-level) ---------------------------------------------------------


class DirectionGoalForm(forms.ModelForm):
    class Meta:
        model = DirectionGoal
        fields = ["number", "title", "position"]
        labels = {"number": "Nummer", "title": "Inriktningsmål", "position": "Ordning"}
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "number": {"required": "Ange numret."},
            "title": {"required": "Ange inriktningsmålet."},
        }

    def __init__(self, *args, municipality, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality, self.instance.year = municipality, year
        self.fields["position"].required = False

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        clash = DirectionGoal.objects.filter(
            municipality=self.instance.municipality, year=self.instance.year, number=number
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("Det finns redan ett inriktningsmål med det numret i år.")
        return number

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0


class AreaGoalForm(forms.ModelForm):
    class Meta:
        model = AreaGoal
        fields = ["direction_goal", "number", "title", "position"]
        labels = {
            "direction_goal": "Under inriktningsmålet",
            "number": "Nummer",
            "title": "Mål för verksamhetsområdet",
            "position": "Ordning",
        }
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "direction_goal": {"required": "Välj inriktningsmålet."},
            "number": {"required": "Ange numret."},
            "title": {"required": "Ange målet."},
        }

    def __init__(self, *args, municipality, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction_goal"].queryset = DirectionGoal.objects.filter(
            municipality=municipality, year=year
        )
        self.fields["position"].required = False

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0

    def clean(self) -> dict:
        cleaned = super().clean()
        direction, number = cleaned.get("direction_goal"), (cleaned.get("number") or "").strip()
        if direction and number:
            cleaned["number"] = number
            clash = AreaGoal.objects.filter(direction_goal=direction, number=number)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "number", "Det finns redan ett mål med det numret under inriktningsmålet."
                )
        return cleaned
