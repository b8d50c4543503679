"""Who may see and change a report: the one place where permission logic lives.

Every view that shows or changes a report gets it through ``get_report_for_user``. A person
sees the reports of the boards where they hold a role (see ``ReportQuerySet.for_user``);
editors and administrators may also write; readers and approvers may only read (an approver
reviews and approves, which is not writing the report's content). Superusers may do everything.

Only a draft can be written: once a report is submitted, approved or decided its content is
frozen for everyone (``write=True`` refuses it with a message saying why). Actions that do not
change the report's content but need a writer's role, such as creating the next period's
report from it, ask for ``write=True, draft=False``.

Responsibilities (``Responsibility``) narrow what an editor may change: an editor responsible for
goals or operating areas of the report's year changes only those and what lies under them (see
``EditScope``); everything else is left to editors without responsibilities and to
administrators. ``require_item_edit`` is called by every data-entry view before it shows a form.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import (
    Board,
    CouncilAdministrator,
    Membership,
    Municipality,
    Report,
    Responsibility,
    Role,
)

WRITE_ROLES = frozenset({Role.EDITOR, Role.ADMINISTRATOR})


def role_on_board(user, board_id: int) -> str | None:
    """The person's role on the board, or None when they hold none."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, board_id=board_id)
        .values_list("role", flat=True)
        .first()
    )


def can_write(user, report: Report) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role_on_board(user, report.board_id) in WRITE_ROLES


class ReportNotEditable(PermissionDenied):
    """The person may write, but the report is no longer a draft."""


def not_editable_message(report: Report) -> str:
    return (
        f"Rapporten har status ”{report.get_status_display()}” och kan inte ändras. "
        "Bara ett utkast kan ändras; behöver något rättas får förvaltningsledningen "
        "skicka tillbaka rapporten."
    )


def lock_draft(report: Report | int) -> Report:
    """Lock the report's row and return it as it is now, if it is still a draft.

    Call it inside ``transaction.atomic()`` before every write into a report's content: the
    status is read under the same lock that a workflow move takes, so a submit or an approval
    either happens before (and the write is refused) or waits until the write has committed.
    Raises ``ReportNotEditable`` (403) otherwise. On SQLite the transaction already holds the
    database's write lock (``transaction_mode = IMMEDIATE``)."""
    pk = report if isinstance(report, int) else report.pk
    current = (
        Report.objects.select_for_update(of=("self",)).select_related("board", "unit").get(pk=pk)
    )
    if current.status != Report.Status.DRAFT:
        raise ReportNotEditable(not_editable_message(current))
    return current


def get_report_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, draft: bool = True
) -> Report:
    """The report, if the person may see it (404 otherwise, so that a stranger cannot tell
    whether it exists) and, with ``write=True``, change it (403 otherwise). With ``write=True``
    the report must also be a draft, unless ``draft=False``."""
    reports = Report.objects.for_user(request.user).select_related("board", "unit")
    report = get_object_or_404(reports, pk=pk)
    if write and not can_write(request.user, report):
        raise PermissionDenied("Du har inte behörighet att ändra rapporten.")
    if write and draft and report.status != Report.Status.DRAFT:
        raise ReportNotEditable(not_editable_message(report))
    return report


# -- setting up the year ---------------------------------------------------------------------


def can_administer_board(user, board_id: int) -> bool:
    """Whether the person sets up the board's year: its administrators (and superusers)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or role_on_board(user, board_id) == Role.ADMINISTRATOR


def get_board_for_admin(request: HttpRequest, pk: int) -> Board:
    """The board, if the person is its administrator: 404 for a person without a role on it
    (a stranger cannot tell whether it exists), 403 for its other members."""
    board = get_object_or_404(Board.objects.select_related("municipality"), pk=pk)
    user = request.user
    if user.is_superuser:
        return board
    role = role_on_board(user, board.pk)
    if role is None:
        raise Http404("Ingen sådan nämnd.")
    if role != Role.ADMINISTRATOR:
        raise PermissionDenied("Bara nämndens administratör kan sätta upp året.")
    return board


def administered_boards(user):
    """The boards whose year the person sets up."""
    if not user.is_authenticated:
        return Board.objects.none()
    if user.is_superuser:
        return Board.objects.all()
    return Board.objects.filter(
        memberships__user=user, memberships__role=Role.ADMINISTRATOR
    ).distinct()


def is_council_administrator(user, municipality_id: int) -> bool:
    """Whether the person keeps the council's goals of the municipality (a city-level
    administrator, or a superuser). A board's administrator does not."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or CouncilAdministrator.objects.filter(user=user, municipality_id=municipality_id).exists()
    )


def administered_municipalities(user):
    if not user.is_authenticated:
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(council_administrators__user=user)


def get_municipality_for_council_admin(request: HttpRequest, pk: int) -> Municipality:
    """The municipality, if the person keeps its council goals: 403 for everyone else who
    may see reports (its goals are public in every report), 404 for a person of no board of
    the municipality."""
    municipality = get_object_or_404(Municipality, pk=pk)
    user = request.user
    if is_council_administrator(user, municipality.pk):
        return municipality
    if not Membership.objects.filter(user=user, board__municipality=municipality).exists():
        raise Http404("Ingen sådan kommun.")
    raise PermissionDenied(
        "KF:s mål delas av alla nämnder i kommunen och ändras bara av stadens administratör."
    )


def is_administrator(user, report: Report) -> bool:
    """Whether the person is an administrator of the report's board (or a superuser)."""
    return can_administer_board(user, report.board_id)


def get_report_for_administrator(request: HttpRequest, pk: int, *, draft: bool = True) -> Report:
    """The report for a task of the board's administrators (importing figures or the plan from
    Excel): 404 for a stranger, 403 for anyone else of the board and, with ``draft``, 403 for
    a report that is no longer a draft."""
    report = get_report_for_user(request, pk)
    if not is_administrator(request.user, report):
        raise PermissionDenied("Bara nämndens administratörer kan göra det här.")
    if draft and report.status != Report.Status.DRAFT:
        raise ReportNotEditable(not_editable_message(report))
    return report


# -- responsibilities -------------------------------------------------------------------------

GOAL_ITEMS = {"goals.goalassessment", "goals.activityfollowup", "indicators.indicatorvalue"}


@dataclass(frozen=True)
class EditScope:
    """What one person may change in one report: everything, or only the area goals, board
    goals and operating areas they are responsible for (``labels`` names them). An area goal
    covers its assessment, its own indicators and activities and everything under its board
    goals; a board goal covers its assessment, indicators, activities and commitments; an
    operating area covers its row of the operating budget (with its adjustments)."""

    everything: bool
    area_goals: frozenset[int] = frozenset()
    board_goals: frozenset[int] = frozenset()
    operating_areas: frozenset[int] = frozenset()
    labels: tuple[str, ...] = field(default=())

    def covers_goal(self, level: str, goal) -> bool:
        """Whether the goal at ``level`` (direction_goal, area_goal, board_goal, commitment)
        and what is reported about it lie within the scope."""
        if self.everything:
            return True
        if level == "area_goal":
            return goal.pk in self.area_goals
        if level == "board_goal":
            return goal.pk in self.board_goals or goal.area_goal_id in self.area_goals
        if level == "commitment":
            return self.covers_goal("board_goal", goal.board_goal)
        return False  # the council's direction goals belong to no one in particular

    def covers_area(self, area_id: int) -> bool:
        return self.everything or area_id in self.operating_areas

    def covers(self, item) -> bool:
        """Whether ``item`` (a row of the report's content) lies within the scope."""
        if self.everything:
            return True
        label = item._meta.label_lower
        if label in GOAL_ITEMS:
            return self.covers_goal(*goal_of(item))
        if label == "budget.operatingbudgetrow":
            return self.covers_area(item.area_id)
        if label == "budget.budgetadjustment":
            return self.covers(item.row)
        return False


NOTHING = EditScope(everything=False)
EVERYTHING = EditScope(everything=True)


def goal_of(item) -> tuple[str, object]:
    """(level, goal) of a goal's assessment, an indicator's value or an activity's follow-up."""
    label = item._meta.label_lower
    owner = {
        "goals.goalassessment": item,
        "indicators.indicatorvalue": getattr(item, "indicator", None),
        "goals.activityfollowup": getattr(item, "activity", None),
    }[label]
    level = owner.goal_level if owner is not None else None
    if level is None:
        raise ValueError(f"{item!r} hör inte till något mål.")
    return level.value, owner.goal


def _year_of_plan(year: int) -> Q:
    return (
        Q(area_goal__direction_goal__year=year)
        | Q(board_goal__year=year)
        | Q(operating_area__year=year)
    )


def responsibility_label(row: Responsibility) -> str:
    if row.area_goal_id:
        return f"KF:s mål {row.area_goal.number} {row.area_goal.title}"
    if row.board_goal_id:
        return f"nämndmål {row.board_goal.number} {row.board_goal.title}"
    return f"verksamhetsområdet {row.operating_area.name}"


def edit_scope(user, report: Report) -> EditScope:
    """What ``user`` may change in ``report`` (its status aside: only a draft is written)."""
    if not user.is_authenticated:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    role = role_on_board(user, report.board_id)
    if role not in WRITE_ROLES:
        return NOTHING
    if role == Role.ADMINISTRATOR:
        return EVERYTHING
    rows = list(
        Responsibility.objects.filter(membership__user=user, membership__board_id=report.board_id)
        .filter(_year_of_plan(report.year))
        .select_related("area_goal", "board_goal", "operating_area")
    )
    if not rows:
        return EVERYTHING
    return EditScope(
        everything=False,
        area_goals=frozenset(r.area_goal_id for r in rows if r.area_goal_id),
        board_goals=frozenset(r.board_goal_id for r in rows if r.board_goal_id),
        operating_areas=frozenset(r.operating_area_id for r in rows if r.operating_area_id),
        labels=tuple(sorted(responsibility_label(r) for r in rows)),
    )


def can_edit_item(user, report: Report, item) -> bool:
    """Whether ``user`` may change ``item`` of ``report``: a writer's role on the board and,
    for an editor with responsibilities, an item within them."""
    return edit_scope(user, report).covers(item)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def responsible_for(report: Report, item) -> list[str] | None:
    """The people responsible for ``item`` on the report's board, or None when the item is one
    of the report's common parts, which belong to no one in particular."""
    label = item._meta.label_lower
    if label in GOAL_ITEMS:
        level, goal = goal_of(item)
        if level == "direction_goal":
            return None
        board_goal = {"board_goal": goal, "commitment": getattr(goal, "board_goal", None)}.get(
            level
        )
        lookup = Q(area_goal_id=board_goal.area_goal_id if board_goal else goal.pk)
        if board_goal is not None:
            lookup |= Q(board_goal_id=board_goal.pk)
    elif label in ("budget.operatingbudgetrow", "budget.budgetadjustment"):
        row = item if label == "budget.operatingbudgetrow" else item.row
        lookup = Q(operating_area_id=row.area_id)
    else:
        return None
    rows = Responsibility.objects.filter(lookup, membership__board_id=report.board_id)
    return sorted({_person(r.membership.user) for r in rows.select_related("membership__user")})


COMMON_PARTS = (
    "Rapportens gemensamma delar (sammanfattningen, inriktningsmålen, ekonomins text och "
    "tabeller, den interna kontrollen, övriga avsnitt och tjänsteutlåtandet) ändras av "
    "handläggare utan eget ansvarsområde och av nämndens administratörer."
)


def not_responsible_message(scope: EditScope, report: Report, item) -> str:
    """Why an editor with responsibilities may not change ``item``, in Swedish."""
    message = (
        f"Du kan inte ändra det här. Ditt ansvar i rapporten: {'; '.join(scope.labels)} "
        "(med det som hör till). "
    )
    people = responsible_for(report, item)
    if people is None:
        return message + COMMON_PARTS
    if people:
        return message + f"Ansvarig för det här: {', '.join(people)}."
    return message + (
        "Ingen har ansvaret för det här, så det ändras av handläggare utan eget "
        "ansvarsområde och av nämndens administratörer."
    )


def require_item_edit(request: HttpRequest, report: Report, item) -> EditScope:
    """Raise 403, with a message naming the responsibilities, when the person may not change
    ``item``; return the person's scope otherwise."""
    scope = edit_scope(request.user, report)
    if not scope.covers(item):
        if scope.labels:
            raise PermissionDenied(not_responsible_message(scope, report, item))
        raise PermissionDenied("Du har inte behörighet att ändra rapporten.")
    return scope


INTERNAL_ROLES = frozenset({Role.EDITOR, Role.APPROVER, Role.ADMINISTRATOR})


def sees_internal(user, report: Report) -> bool:
    """Whether the person sees the förvaltning's working material of the report: comments,
    the review's findings, the event log, the audit trail. Readers (board members, auditors)
    see the report and its approved versions only."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role_on_board(user, report.board_id) in INTERNAL_ROLES


def require_internal(user, report: Report) -> None:
    if not sees_internal(user, report):
        raise PermissionDenied(
            "Det här är förvaltningens arbetsmaterial. Som läsare ser du rapporten och dess "
            "godkända versioner."
        )
