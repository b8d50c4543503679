"""Writes that set up a board's year: plan items saved into every open draft, plan items
removed from them, and a new year started from the last.

Every function runs in one transaction; every row is written through the audited managers or
``Model.save()``, so the audit trail sees who set up what (``reporting.history``).
"""

from dataclasses import dataclass, field

from django.db import transaction

from budget.models import (
    IncomeStatementCategory,
    IncomeStatementRow,
    InvestmentCategory,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
)
from goals.models import (
    Activity,
    ActivityFollowUp,
    AreaGoal,
    BoardGoal,
    DirectionGoal,
    GoalAssessment,
)
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from reporting.editing import has_content
from reporting.history import acting_user
from reporting.models import PERIOD_ORDER, Board, Report, Responsibility
from reporting.services import add_plan_rows_to_drafts, plan_area_goal_ids

PLAN_MODELS = (
    BoardGoal,
    Indicator,
    Activity,
    OperatingArea,
    IncomeStatementCategory,
    InvestmentCategory,
)


class StartYearError(ValueError):
    """The new year cannot be started; the message says why, in Swedish."""


class PlanItemLocked(ValueError):
    """A plan item that a submitted, approved or decided report holds cannot be removed."""

    def __init__(self, reports: list[Report]) -> None:
        self.reports = reports
        names = ", ".join(r.title for r in reports)
        super().__init__(
            f"Det kan inte tas bort: det ingår i {names}, som inte längre är "
            f"{'ett utkast' if len(reports) == 1 else 'utkast'}. Det som nämnden fått ändras aldrig."
        )


# -- saving and removing plan items -----------------------------------------------------------


@transaction.atomic
def save_plan_item(item, *, user=None) -> list[Report]:
    """Save a plan item (board goal, indicator, activity, operating area, category) and bring
    every open draft of its year up to the plan, so that a new item appears in them. Returns
    the drafts."""
    with acting_user(user):
        item.save()
        return add_plan_rows_to_drafts(item.board, item.year)


def report_rows(item) -> list:
    """The rows of every report that say something about ``item`` or what lies under it."""
    if isinstance(item, BoardGoal):
        indicators = Indicator.objects.filter(board_goal=item)
        activities = Activity.objects.filter(board_goal=item)
        return [
            *GoalAssessment.objects.filter(board_goal=item),
            *GoalAssessment.objects.filter(commitment__board_goal=item),
            *IndicatorValue.objects.filter(indicator__in=indicators),
            *IndicatorValue.objects.filter(indicator__commitment__board_goal=item),
            *ActivityFollowUp.objects.filter(activity__in=activities),
            *ActivityFollowUp.objects.filter(activity__commitment__board_goal=item),
        ]
    if isinstance(item, Indicator):
        return list(IndicatorValue.objects.filter(indicator=item))
    if isinstance(item, Activity):
        return list(ActivityFollowUp.objects.filter(activity=item))
    if isinstance(item, OperatingArea):
        return list(OperatingBudgetRow.objects.filter(area=item))
    reports = Report.objects.filter(board=item.board, year=item.year, unit=None)
    if isinstance(item, IncomeStatementCategory):
        return list(IncomeStatementRow.objects.filter(report__in=reports, label=item.name))
    if isinstance(item, InvestmentCategory):
        return list(InvestmentRow.objects.filter(report__in=reports, category=item.name))
    raise TypeError(f"{item!r} är ingen del av planen.")


def _filled(row) -> bool:
    if isinstance(row, IncomeStatementRow):
        return row.outcome is not None
    if isinstance(row, InvestmentRow):
        return row.outcome is not None or row.forecast is not None
    return has_content(row)


@dataclass(frozen=True)
class Removal:
    """What removing a plan item means: the reports it cannot be taken from (``locked``) and
    the drafts in which someone has filled it in (``filled``)."""

    locked: list[Report] = field(default_factory=list)
    filled: list[Report] = field(default_factory=list)


def removal_of(item) -> Removal:
    rows = report_rows(item)
    reports = {r.report_id: r.report for r in rows}
    locked = [r for r in reports.values() if r.status != Report.Status.DRAFT]
    filled_ids = {r.report_id for r in rows if _filled(r)}
    filled = [r for r in reports.values() if r.pk in filled_ids and r not in locked]
    return Removal(locked=_ordered(locked), filled=_ordered(filled))


def _ordered(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.year, PERIOD_ORDER[r.period], r.pk))


@transaction.atomic
def delete_plan_item(item, *, user=None) -> None:
    """Remove a plan item, with its rows in every draft (and what lies under it). Refused with
    ``PlanItemLocked`` when a report that is no longer a draft holds it."""
    removal = removal_of(item)
    if removal.locked:
        raise PlanItemLocked(removal.locked)
    with acting_user(user):
        for row in report_rows(item):
            row.delete()
        item.delete()


# -- a new year from the last -----------------------------------------------------------------


@dataclass
class NewYear:
    """What ``start_year`` made, counted for the message."""

    board: Board
    year: int
    counts: dict[str, int] = field(default_factory=dict)
    council_goals_created: int = 0

    def summary(self) -> str:
        parts = ", ".join(f"{n} {label}" for label, n in self.counts.items() if n)
        return f"{self.board.name} {self.year} är uppsatt från {self.year - 1}: {parts or 'en tom plan'}."


def plan_exists(board: Board, year: int) -> bool:
    return any(m.objects.filter(board=board, year=year).exists() for m in PLAN_MODELS) or (
        Report.objects.filter(board=board, year=year).exists()
    )


@transaction.atomic
def start_year(board: Board, year: int, *, user=None) -> NewYear:
    """Start ``year`` of the board from the plan of the year before: board goals (with
    commitments), indicators with their targets to revise (the last target of the old year
    becomes the new plan's), activities (dates moved one year on), operating areas,
    income-statement and investment categories, and the editors' responsibilities. No outcome,
    assessment or text is copied: those belong to reports. Each new indicator remembers its
    predecessor, so last year's VB outcome fills the new year's comparison column.

    The council's goals of the new year are the municipality's (shared by every board): those
    that exist are used as they are; one the new year lacks is created from last year's."""
    Board.objects.select_for_update().filter(pk=board.pk).first()
    if plan_exists(board, year):
        raise StartYearError(
            f"{board.name} har redan en plan eller rapporter för {year}. "
            "Ett år startas bara en gång; ändra planen för året i stället."
        )
    previous = year - 1
    if not plan_exists(board, previous):
        raise StartYearError(f"{board.name} har ingen plan för {previous} att starta {year} från.")
    result = NewYear(board=board, year=year)
    with acting_user(user, reason=f"nytt år {year}"):
        area_goals = _council_goals(board, previous, year, result)
        board_goals = _copy_all(
            BoardGoal.objects.filter(board=board, year=previous),
            lambda g: {"year": year, "area_goal": area_goals[g.area_goal_id]},
        )
        commitments = {}
        for old, new in board_goals.values():
            for commitment in old.commitments.all():
                commitments[commitment.pk] = _copy(commitment, board_goal=new)

        def goals_of(item) -> dict:
            return {
                "year": year,
                "area_goal": area_goals.get(item.area_goal_id),
                "board_goal": _new(board_goals, item.board_goal_id),
                "commitment": commitments.get(item.commitment_id),
            }

        indicators = _copy_all(
            Indicator.objects.filter(board=board, year=previous),
            lambda i: {**goals_of(i), "predecessor": i},
        )
        for old, new in indicators.values():
            target = old.target_for("VB", list(old.targets.all()))
            if target is not None:
                IndicatorTarget.objects.create(
                    indicator=new,
                    period="VP",
                    annual_target=target.annual_target,
                    annual_target_text=target.annual_target_text,
                    kf_annual_target=target.kf_annual_target,
                    kf_annual_target_text=target.kf_annual_target_text,
                )
        activities = _copy_all(
            Activity.objects.filter(board=board, year=previous),
            lambda a: {
                **goals_of(a),
                "start_date": _next_year(a.start_date),
                "end_date": _next_year(a.end_date),
            },
        )
        areas = _copy_all(
            OperatingArea.objects.filter(board=board, year=previous), lambda a: {"year": year}
        )
        income = _copy_all(
            IncomeStatementCategory.objects.filter(board=board, year=previous),
            lambda c: {"year": year},
        )
        investments = _copy_all(
            InvestmentCategory.objects.filter(board=board, year=previous),
            lambda c: {"year": year},
        )
        responsibilities = 0
        for row in Responsibility.objects.filter(membership__board=board):
            new = {
                "area_goal": None,
                "board_goal": _new(board_goals, row.board_goal_id),
                "operating_area": _new(areas, row.operating_area_id),
            }
            if row.area_goal_id and row.area_goal.direction_goal.year == previous:
                new["area_goal"] = area_goals[row.area_goal_id]
            if any(new.values()):
                Responsibility.objects.create(membership=row.membership, **new)
                responsibilities += 1
    result.counts = {
        "nämndmål": len(board_goals),
        "indikatorer": len(indicators),
        "aktiviteter": len(activities),
        "verksamhetsområden": len(areas),
        "intäkts- och kostnadsslag": len(income),
        "investeringskategorier": len(investments),
        "ansvar": responsibilities,
    }
    return result


def _council_goals(board: Board, previous: int, year: int, result: NewYear) -> dict[int, AreaGoal]:
    """Last year's area goals the board's plan uses, mapped to this year's of the same number
    (created from last year's where the municipality has none yet)."""
    mapping = {}
    used = AreaGoal.objects.filter(id__in=plan_area_goal_ids(board, previous))
    for old in used.select_related("direction_goal").order_by(
        "direction_goal__position", "position", "pk"
    ):
        old_direction = old.direction_goal
        direction, created = DirectionGoal.objects.get_or_create(
            municipality=board.municipality,
            year=year,
            number=old_direction.number,
            defaults={"title": old_direction.title, "position": old_direction.position},
        )
        result.council_goals_created += created
        new, created = AreaGoal.objects.get_or_create(
            direction_goal=direction,
            number=old.number,
            defaults={"title": old.title, "position": old.position},
        )
        result.council_goals_created += created
        mapping[old.pk] = new
    return mapping


def _next_year(day):
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _new(mapping: dict, old_id):
    return mapping[old_id][1] if old_id is not None and old_id in mapping else None


def _copy_all(queryset, changes) -> dict:
    """Copy every row of ``queryset`` with ``changes(row)``; {old pk: (old row, new row)}."""
    return {
        row.pk: (row, _copy(row, **changes(row))) for row in queryset.order_by("position", "pk")
    }


def _copy(original, **changes):
    values = {
        f.attname: getattr(original, f.attname)
        for f in original._meta.concrete_fields
        if not f.primary_key
    }
    for name in changes:
        values.pop(original._meta.get_field(name).attname, None)
    values.update(changes)
    copy = type(original)(**values)
    copy.save()
    return copy
