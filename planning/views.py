"""The setup screens: a board's administrator sets up the year's plan, the board's people and
the year's reports; a city-level administrator keeps the council's goals.

Every view gets its board through ``reporting.access.get_board_for_admin`` (404 for a stranger,
403 for the board's other members) or its municipality through
``get_municipality_for_council_admin``.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from budget.models import IncomeStatementCategory, InvestmentCategory, OperatingArea
from goals.models import Activity, AreaGoal, BoardGoal, DirectionGoal
from indicators.models import Indicator, IndicatorTarget
from reporting.access import (
    administered_boards,
    administered_municipalities,
    get_board_for_admin,
    get_municipality_for_council_admin,
)
from reporting.history import acting_user
from reporting.models import PERIOD_ORDER, Board, Membership, Period, Report, Responsibility, Role
from reporting.numbers import format_figure
from reporting.services import create_report

from . import forms
from .services import (
    PlanItemLocked,
    StartYearError,
    delete_plan_item,
    plan_exists,
    removal_of,
    save_plan_item,
    start_year,
)


@dataclass(frozen=True)
class PlanKind:
    """One kind of plan item, as it appears in the URL (``slug``) and on the page."""

    slug: str
    model: type
    form: type
    noun: str  # "nämndmålet"
    new: str  # "Nytt nämndmål"
    anchor: str


KINDS = {
    k.slug: k
    for k in [
        PlanKind("namndmal", BoardGoal, forms.BoardGoalForm, "nämndmålet", "Nytt nämndmål", "mal"),
        PlanKind(
            "indikatorer", Indicator, forms.IndicatorForm, "indikatorn", "Ny indikator", "mal"
        ),
        PlanKind("aktiviteter", Activity, forms.ActivityForm, "aktiviteten", "Ny aktivitet", "mal"),
        PlanKind(
            "verksamhetsomraden",
            OperatingArea,
            forms.OperatingAreaForm,
            "verksamhetsområdet",
            "Nytt verksamhetsområde",
            "ekonomi",
        ),
        PlanKind(
            "intakts-och-kostnadsslag",
            IncomeStatementCategory,
            forms.IncomeStatementCategoryForm,
            "intäkts- eller kostnadsslaget",
            "Nytt intäkts- eller kostnadsslag",
            "ekonomi",
        ),
        PlanKind(
            "investeringskategorier",
            InvestmentCategory,
            forms.InvestmentCategoryForm,
            "investeringskategorin",
            "Ny investeringskategori",
            "ekonomi",
        ),
    ]
}


def _kind(slug: str) -> PlanKind:
    if slug not in KINDS:
        raise Http404("Okänd del av planen.")
    return KINDS[slug]


def plan_url(board: Board, year: int, anchor: str = "") -> str:
    url = reverse("planning:plan", args=[board.pk, year])
    return f"{url}#{anchor}" if anchor else url


# -- the index and the plan -------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The boards and municipalities the person sets up, with their years."""
    boards = []
    for board in administered_boards(request.user).select_related("municipality"):
        years = sorted(
            set(BoardGoal.objects.filter(board=board).values_list("year", flat=True))
            | set(Report.objects.filter(board=board).values_list("year", flat=True))
            | set(OperatingArea.objects.filter(board=board).values_list("year", flat=True)),
            reverse=True,
        )
        boards.append((board, years))
    municipalities = []
    for municipality in administered_municipalities(request.user):
        years = sorted(
            set(
                DirectionGoal.objects.filter(municipality=municipality).values_list(
                    "year", flat=True
                )
            ),
            reverse=True,
        )
        municipalities.append((municipality, years))
    return render(
        request,
        "planning/index.html",
        {"boards": boards, "municipalities": municipalities, "year_error": None},
    )


@login_required
def plan(request: HttpRequest, board_pk: int, year: int) -> HttpResponse:
    """The year's plan of one board: the council's goals (as the city keeps them) with the
    board's goals, indicators and activities under them; operating areas; income-statement and
    investment categories; the year's reports with their deadlines."""
    board = get_board_for_admin(request, board_pk)
    _check_year(year)
    indicators = Indicator.objects.filter(board=board, year=year).prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.all())
    )
    activities = Activity.objects.filter(board=board, year=year)
    board_goals = list(
        BoardGoal.objects.filter(board=board, year=year).prefetch_related(
            Prefetch("indicators", queryset=indicators),
            Prefetch("activities", queryset=activities),
        )
    )
    direction_goals = list(
        DirectionGoal.objects.filter(municipality=board.municipality, year=year).prefetch_related(
            Prefetch(
                "area_goals",
                queryset=AreaGoal.objects.prefetch_related(
                    Prefetch("indicators", queryset=indicators),
                    Prefetch("activities", queryset=activities),
                ),
            )
        )
    )
    for direction in direction_goals:
        for area in direction.area_goals.all():
            area.own_goals = [g for g in board_goals if g.area_goal_id == area.pk]
            area.used = bool(area.own_goals or area.indicators.all() or area.activities.all())
    for goal in [*board_goals, *(a for d in direction_goals for a in d.area_goals.all())]:
        for indicator in goal.indicators.all():
            _show_targets(indicator)
    reports = sorted(
        Report.objects.filter(board=board, year=year, unit=None),
        key=lambda r: PERIOD_ORDER[r.period],
    )
    has_plan = plan_exists(board, year)
    return render(
        request,
        "planning/plan.html",
        {
            "board": board,
            "year": year,
            "direction_goals": direction_goals,
            "board_goal_count": len(board_goals),
            "areas": OperatingArea.objects.filter(board=board, year=year),
            "income_categories": IncomeStatementCategory.objects.filter(board=board, year=year),
            "investment_categories": InvestmentCategory.objects.filter(board=board, year=year),
            "reports": reports,
            "has_plan": has_plan,
            "can_start_next": has_plan and not plan_exists(board, year + 1),
            "can_start_this": not has_plan and plan_exists(board, year - 1),
            "report_form": forms.ReportCreateForm(board=board, year=year),
            "kinds": KINDS,
        },
    )


def _show_targets(indicator: Indicator) -> None:
    """The plan's targets of the indicator as printed (``80 %``, ``Tas fram av nämnden``)."""
    target = indicator.target_for(Period.VP, list(indicator.targets.all()))
    for name in ("annual_target", "kf_annual_target"):
        value = target.get_figure(name) if target else None
        shown = (
            format_figure(value, indicator.unit, indicator.decimals) if value is not None else "–"
        )
        setattr(indicator, f"{name}_shown", shown)


def _check_year(year: int) -> None:
    if not 1990 <= year <= 2200:
        raise Http404("Året måste ligga mellan 1990 och 2200.")


@login_required
def year_open(request: HttpRequest, board_pk: int) -> HttpResponse:
    """Go to the plan of a year the person types (the first year of a board)."""
    board = get_board_for_admin(request, board_pk)
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = 0
    if not 1990 <= year <= 2200:
        messages.error(request, "Skriv ett år mellan 1990 och 2200, till exempel 2020.")
        return redirect("planning:index")
    return redirect(plan_url(board, year))


# -- plan items -------------------------------------------------------------------------------


def _get_item(kind: PlanKind, board: Board, year: int, pk: int):
    return get_object_or_404(kind.model, pk=pk, board=board, year=year)


@login_required
def item_create(request: HttpRequest, board_pk: int, year: int, kind: str) -> HttpResponse:
    return _item_form(request, board_pk, year, _kind(kind), None)


@login_required
def item_edit(request: HttpRequest, board_pk: int, year: int, kind: str, pk: int) -> HttpResponse:
    return _item_form(request, board_pk, year, _kind(kind), pk)


def _item_form(request, board_pk: int, year: int, kind: PlanKind, pk: int | None):
    board = get_board_for_admin(request, board_pk)
    _check_year(year)
    item = _get_item(kind, board, year, pk) if pk else kind.model(board=board, year=year)
    initial = {}
    if pk is None and request.GET.get("mal"):
        initial["goal"] = request.GET["mal"]
        initial["area_goal"] = request.GET["mal"].partition(":")[2]
    form = kind.form(request.POST or None, instance=item, board=board, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            item = form.save(commit=False)
            drafts = save_plan_item(item, user=request.user)
            if hasattr(form, "save_target"):
                with acting_user(request.user):
                    form.save_target()
        verb = "sparat" if pk else "lagt till"
        text = f"Du har {verb} {kind.noun} ”{item}”."
        if drafts and not pk:
            text += " Det finns nu också i " + ", ".join(r.title for r in drafts) + "."
        messages.success(request, text)
        return redirect(plan_url(board, year, f"{kind.slug}-{item.pk}"))
    return render(
        request,
        "planning/item_form.html",
        {
            "board": board,
            "year": year,
            "kind": kind,
            "item": item,
            "form": form,
            "creating": pk is None,
        },
    )


@login_required
def item_delete(request: HttpRequest, board_pk: int, year: int, kind: str, pk: int) -> HttpResponse:
    """Ask first: name the drafts in which someone has filled the item in; refuse when a
    report that is no longer a draft holds it."""
    kind_ = _kind(kind)
    board = get_board_for_admin(request, board_pk)
    item = _get_item(kind_, board, year, pk)
    removal = removal_of(item)
    if request.method == "POST" and not removal.locked:
        name = str(item)
        try:
            delete_plan_item(item, user=request.user)
        except PlanItemLocked as refused:  # a report moved on in between
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Du har tagit bort {kind_.noun} ”{name}”.")
            return redirect(plan_url(board, year, kind_.anchor))
    return render(
        request,
        "planning/item_delete.html",
        {"board": board, "year": year, "kind": kind_, "item": item, "removal": removal},
        status=200,
    )


# -- the year's reports -----------------------------------------------------------------------


@login_required
def report_create(request: HttpRequest, board_pk: int, year: int) -> HttpResponse:
    board = get_board_for_admin(request, board_pk)
    _check_year(year)
    form = forms.ReportCreateForm(request.POST or None, board=board, year=year)
    if request.method == "POST" and form.is_valid():
        with acting_user(request.user):
            report = create_report(
                board,
                year,
                form.cleaned_data["period"],
                deadline=form.cleaned_data["deadline"],
                template=form.cleaned_data["template"],
            )
        deadline = f" med sista dag {report.deadline:%Y-%m-%d}" if report.deadline else ""
        messages.success(
            request, f"{report.title}{deadline} är skapad, med en rad för varje del av planen."
        )
        return redirect(plan_url(board, year, "rapporter"))
    return render(
        request, "planning/report_form.html", {"board": board, "year": year, "form": form}
    )


@login_required
def report_deadline(request: HttpRequest, board_pk: int, year: int, pk: int) -> HttpResponse:
    board = get_board_for_admin(request, board_pk)
    report = get_object_or_404(Report, pk=pk, board=board, year=year)
    form = forms.ReportDeadlineForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        with acting_user(request.user):
            form.save()
        messages.success(request, f"Sista dag för {report.title} är sparad.")
        return redirect(plan_url(board, year, "rapporter"))
    return render(
        request,
        "planning/report_deadline.html",
        {"board": board, "year": year, "report": report, "form": form},
    )


@login_required
def year_start(request: HttpRequest, board_pk: int, year: int) -> HttpResponse:
    """Starta nytt år: ``year`` from the plan of the year before (GET asks, POST starts)."""
    board = get_board_for_admin(request, board_pk)
    _check_year(year)
    error = None
    if request.method == "POST":
        try:
            result = start_year(board, year, user=request.user)
        except StartYearError as refused:
            error = str(refused)
        else:
            messages.success(request, result.summary() + " Se över målvärdena för det nya året.")
            return redirect(plan_url(board, year))
    return render(
        request,
        "planning/year_start.html",
        {"board": board, "year": year, "error": error, "exists": plan_exists(board, year)},
        status=409 if error else 200,
    )


# -- people and roles -------------------------------------------------------------------------


def _latest_year(board: Board) -> int | None:
    years = set(BoardGoal.objects.filter(board=board).values_list("year", flat=True)) | set(
        OperatingArea.objects.filter(board=board).values_list("year", flat=True)
    )
    return max(years) if years else None


@login_required
def people(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_board_for_admin(request, board_pk)
    memberships = (
        Membership.objects.filter(board=board)
        .select_related("user")
        .prefetch_related(
            "responsibilities__board_goal",
            "responsibilities__area_goal",
            "responsibilities__operating_area",
        )
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return render(
        request,
        "planning/people.html",
        {"board": board, "memberships": memberships, "year": _latest_year(board)},
    )


@login_required
def membership_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_board_for_admin(request, board_pk)
    form = forms.MembershipCreateForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), acting_user(request.user):
            membership = form.save()
        messages.success(
            request,
            f"{_person(membership.user)} har lagts till i {board.name} som "
            f"{membership.get_role_display().lower()}.",
        )
        return redirect("planning:membership_edit", board.pk, membership.pk)
    return render(request, "planning/membership_create.html", {"board": board, "form": form})


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _membership(board: Board, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, board=board)


@login_required
def membership_edit(request: HttpRequest, board_pk: int, pk: int) -> HttpResponse:
    """A person's role on the board and, for an editor, what they are responsible for."""
    board = get_board_for_admin(request, board_pk)
    membership = _membership(board, pk)
    year = _year_param(request) or _latest_year(board)
    role_form = forms.MembershipRoleForm(instance=membership, prefix="roll")
    responsibility_form = (
        forms.ResponsibilityForm(membership=membership, year=year, prefix="ansvar")
        if year
        else None
    )
    if request.method == "POST" and "roll-role" in request.POST:
        role_form = forms.MembershipRoleForm(request.POST, instance=membership, prefix="roll")
        if role_form.is_valid():
            if (
                membership.user == request.user
                and role_form.cleaned_data["role"] != Role.ADMINISTRATOR
            ):
                role_form.add_error(
                    "role", "Du kan inte ta ifrån dig själv rollen som administratör."
                )
            else:
                with acting_user(request.user):
                    role_form.save()
                messages.success(
                    request,
                    f"{_person(membership.user)} är nu {membership.get_role_display().lower()}.",
                )
                return redirect("planning:membership_edit", board.pk, membership.pk)
    elif request.method == "POST" and year:
        responsibility_form = forms.ResponsibilityForm(
            request.POST, membership=membership, year=year, prefix="ansvar"
        )
        if membership.role != Role.EDITOR:
            responsibility_form.is_valid()
            responsibility_form.add_error(
                None, "Bara en handläggare kan ha ansvar för mål eller verksamhetsområden."
            )
        elif responsibility_form.is_valid():
            with acting_user(request.user):
                row = responsibility_form.save()
            messages.success(
                request, f"{_person(membership.user)} ansvarar nu för {_responsibility_label(row)}."
            )
            return redirect(
                reverse("planning:membership_edit", args=[board.pk, membership.pk]) + f"?ar={year}"
            )
    responsibilities = membership.responsibilities.select_related(
        "board_goal", "area_goal__direction_goal", "operating_area"
    )
    return render(
        request,
        "planning/membership_edit.html",
        {
            "board": board,
            "membership": membership,
            "role_form": role_form,
            "responsibility_form": responsibility_form,
            "responsibilities": [(r, _responsibility_label(r)) for r in responsibilities],
            "year": year,
        },
    )


def _year_param(request: HttpRequest) -> int | None:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return None
    return year if 1990 <= year <= 2200 else None


def _responsibility_label(row: Responsibility) -> str:
    if row.board_goal_id:
        return f"nämndmål {row.board_goal.number} {row.board_goal.title} ({row.board_goal.year})"
    if row.area_goal_id:
        return f"KF:s mål {row.area_goal.number} {row.area_goal.title} ({row.area_goal.year})"
    return f"verksamhetsområdet {row.operating_area.name} ({row.operating_area.year})"


@login_required
def membership_delete(request: HttpRequest, board_pk: int, pk: int) -> HttpResponse:
    board = get_board_for_admin(request, board_pk)
    membership = _membership(board, pk)
    error = None
    if membership.user == request.user:
        error = "Du kan inte ta bort dig själv från nämnden. Be en annan administratör."
    if request.method == "POST" and error is None:
        name = _person(membership.user)
        with transaction.atomic(), acting_user(request.user):
            membership.delete()
        messages.success(request, f"{name} har inte längre någon roll i {board.name}.")
        return redirect("planning:people", board.pk)
    return render(
        request,
        "planning/membership_delete.html",
        {"board": board, "membership": membership, "error": error},
    )


@require_POST
@login_required
def responsibility_delete(request: HttpRequest, board_pk: int, pk: int) -> HttpResponse:
    board = get_board_for_admin(request, board_pk)
    row = get_object_or_404(
        Responsibility.objects.select_related(
            "membership__user", "board_goal", "area_goal__direction_goal", "operating_area"
        ),
        pk=pk,
        membership__board=board,
    )
    label = _responsibility_label(row)
    with acting_user(request.user):
        row.delete()
    messages.success(request, f"{_person(row.membership.user)} ansvarar inte längre för {label}.")
    return redirect("planning:membership_edit", board.pk, row.membership_id)


# -- the council's goals (city-level) ---------------------------------------------------------

COUNCIL_KINDS = {
    "inriktningsmal": (DirectionGoal, forms.DirectionGoalForm, "inriktningsmålet"),
    "mal-for-verksamhetsomradet": (AreaGoal, forms.AreaGoalForm, "målet för verksamhetsområdet"),
}


@login_required
def council_goals(request: HttpRequest, municipality_pk: int, year: int) -> HttpResponse:
    municipality = get_municipality_for_council_admin(request, municipality_pk)
    _check_year(year)
    goals = DirectionGoal.objects.filter(municipality=municipality, year=year).prefetch_related(
        "area_goals"
    )
    return render(
        request,
        "planning/council_goals.html",
        {"municipality": municipality, "year": year, "direction_goals": goals},
    )


@login_required
def council_goal_edit(
    request: HttpRequest, municipality_pk: int, year: int, kind: str, pk: int | None = None
) -> HttpResponse:
    municipality = get_municipality_for_council_admin(request, municipality_pk)
    _check_year(year)
    if kind not in COUNCIL_KINDS:
        raise Http404("Okänt slag av mål.")
    model, form_class, noun = COUNCIL_KINDS[kind]
    lookup = (
        {"municipality": municipality, "year": year}
        if model is DirectionGoal
        else {"direction_goal__municipality": municipality, "direction_goal__year": year}
    )
    item = get_object_or_404(model, pk=pk, **lookup) if pk else None
    form = form_class(request.POST or None, instance=item, municipality=municipality, year=year)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), acting_user(request.user):
            item = form.save()
        messages.success(
            request,
            f"Du har sparat {noun} ”{item}”. Det gäller alla nämnder i {municipality.name}.",
        )
        return redirect("planning:council_goals", municipality.pk, year)
    return render(
        request,
        "planning/council_goal_form.html",
        {"municipality": municipality, "year": year, "form": form, "noun": noun, "item": item},
    )
