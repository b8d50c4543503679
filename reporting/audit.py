"""The audit trail of one report, read back: every historical record of its content (see
``reporting.history``), newest first, with who, when, which item and each field's old and new
value.

``trail(report)`` is an index over all audited tables at once (a UNION of (time, id, model)),
so that a page of it is two queries (count and slice) whatever the number of records;
``entries(report, rows)`` then reads that page's records (one query per kind of row on the
page, each with the earlier records of the same items, to diff against) and the names of their
items (a query per kind of name). A page takes a fixed number of queries, never one per row.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import CharField, Q, Value
from django.urls import reverse
from django.utils import timezone

from budget.models import (
    BudgetAdjustment,
    EconomySubsection,
    EconomyTable,
    EconomyTableRow,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
    TableMark,
)
from goals.models import (
    Activity,
    ActivityFollowUp,
    AreaGoal,
    BoardGoal,
    Commitment,
    DirectionGoal,
    GoalAssessment,
)
from indicators.models import Indicator, IndicatorValue

from .models import CoverMemo, MemoAttachment, ProposedDecision, Report, Section, Signatory
from .numbers import format_number

PER_PAGE = 50
SHORT_TEXT = 120  # longer values are shortened, with the whole text behind a <details>


def _own(report: Report) -> Q:
    return Q(report_id=report.pk)


def _under(parent, field: str):
    """Rows under a parent row of the report, including parents deleted since."""

    def lookup(report: Report) -> Q:
        return Q(**{f"{field}__in": parent.history.filter(report_id=report.pk).values("id")})

    return lookup


# The audited content of a report, by "app_label.model", with the filter of its history.
AUDITED = {
    model._meta.label_lower: (model, lookup)
    for model, lookup in [
        (Report, lambda report: Q(id=report.pk)),
        (GoalAssessment, _own),
        (IndicatorValue, _own),
        (ActivityFollowUp, _own),
        (OperatingBudgetRow, _own),
        (BudgetAdjustment, _under(OperatingBudgetRow, "row_id")),
        (IncomeStatementRow, _own),
        (InvestmentRow, _own),
        (EconomyText, _own),
        (EconomySubsection, _own),
        (TableMark, _own),
        (EconomyTable, _own),
        (EconomyTableRow, _under(EconomyTable, "table_id")),
        (Section, _own),
        (CoverMemo, _own),
        (ProposedDecision, _under(CoverMemo, "cover_memo_id")),
        (Signatory, _under(CoverMemo, "cover_memo_id")),
        (MemoAttachment, _under(CoverMemo, "cover_memo_id")),
    ]
}


def records(report: Report, label: str, item_pk: int | None = None):
    """The historical records of one kind of row of the report (of one item, with
    ``item_pk``)."""
    model, lookup = AUDITED[label]
    found = model.history.filter(lookup(report))
    return found if item_pk is None else found.filter(id=item_pk)


def trail(report: Report, labels=None, item_pk: int | None = None):
    """The index of the report's history, newest first: rows of (time, history id, model)."""
    parts = [
        records(report, label, item_pk)
        .order_by()
        .annotate(model=Value(label, output_field=CharField()))
        .values_list("history_date", "history_id", "model")
        for label in labels or AUDITED
    ]
    first, *rest = parts
    index = first.union(*rest, all=True) if rest else first
    return index.order_by("-history_date", "-history_id")


# -- entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str

    @property
    def long(self) -> bool:
        return len(self.old) > SHORT_TEXT or len(self.new) > SHORT_TEXT


@dataclass(frozen=True)
class Entry:
    at: datetime
    user: str
    action: str  # Skapad, Ändrad, Borttagen
    item: str
    item_url: str
    changes: tuple[Change, ...]

    @property
    def fields(self) -> str:
        return ", ".join(change.label for change in self.changes)

    @property
    def heading(self) -> str:
        """'Nämndmål 1.1.1 – analys, bedömning' for a change; the item for a creation or a
        deletion, whose values are listed anyway."""
        return f"{self.item} – {self.fields}" if self.changed else self.item

    @property
    def changed(self) -> bool:
        return self.action == ACTIONS["~"] and bool(self.changes)


ACTIONS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


def who(record) -> str:
    """The person, or where the change came from when no person made it."""
    user = record.history_user
    if user is not None:
        return user.get_full_name() or user.get_username()
    return "import" if record.history_change_reason == "import" else "system"


def display(field: models.Field, value) -> str:
    """A stored value as a person reads it: choices by label, Swedish numbers, dates."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def _fields(model) -> dict[str, models.Field]:
    """The fields a person fills in: editable, not the links to the report and the plan."""
    return {
        f.name: f
        for f in model._meta.fields
        if f.editable and not f.is_relation and not f.primary_key
    }


def changes(record, previous) -> tuple[Change, ...]:
    fields = _fields(record.instance_type)
    if record.history_type == "-":
        return tuple(
            Change(f.verbose_name, display(f, getattr(record, name)), "")
            for name, f in fields.items()
            if display(f, getattr(record, name))
        )
    if previous is None:  # a creation: the values it was given (an unticked box is none)
        return tuple(
            Change(f.verbose_name, "", display(f, getattr(record, name)))
            for name, f in fields.items()
            if getattr(record, name) is not False and display(f, getattr(record, name))
        )
    delta = record.diff_against(previous, included_fields=list(fields))
    return tuple(
        Change(
            fields[c.field].verbose_name,
            display(fields[c.field], c.old),
            display(fields[c.field], c.new),
        )
        for c in sorted(delta.changes, key=lambda c: list(fields).index(c.field))
    )


def _with_previous(label: str, history_ids: list[int], until: datetime) -> tuple[dict, dict]:
    """The records ``history_ids`` and, for each, the record of the same item just before."""
    historical = AUDITED[label][0].history.model
    items = historical.objects.filter(history_id__in=history_ids).values("id")
    rows = (
        historical.objects.filter(id__in=items, history_date__lte=until)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    found, previous, last = {}, {}, {}
    for row in rows:
        before = last.get(row.id)
        previous[row.history_id] = before
        found[row.history_id] = row
        last[row.id] = row
    return found, previous


def entries(report: Report, rows) -> list[Entry]:
    """The entries of ``rows`` (from ``trail``), in their order."""
    rows = list(rows)
    by_label: dict[str, list[int]] = defaultdict(list)
    for _at, history_id, label in rows:
        by_label[label].append(history_id)
    until = max((at for at, _, _ in rows), default=None)
    found, previous = {}, {}
    for label, ids in by_label.items():
        records_, previous_ = _with_previous(label, ids, until)
        found.update({(label, k): v for k, v in records_.items()})
        previous.update({(label, k): v for k, v in previous_.items()})
    names = Names({label: [found[(label, i)] for i in ids] for label, ids in by_label.items()})
    result = []
    for _at, history_id, label in rows:
        record = found[(label, history_id)]
        result.append(
            Entry(
                at=record.history_date,
                user=who(record),
                action=ACTIONS[record.history_type],
                item=names.of(label, record),
                item_url=reverse("reporting:item_history", args=[report.pk, label, record.id]),
                changes=changes(record, previous[(label, history_id)]),
            )
        )
    return result


# -- the names of items -----------------------------------------------------------------------


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return f"”{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


class Names:
    """Readable names of the items of a page of records, read in one query per kind of name."""

    def __init__(self, by_label: dict[str, list]) -> None:
        def ids(label: str, attname: str) -> set:
            return {getattr(r, attname) for r in by_label.get(label, [])} - {None}

        goals = "goals.goalassessment"
        self.direction_goals = _bulk(DirectionGoal.objects, ids(goals, "direction_goal_id"))
        self.area_goals = _bulk(AreaGoal.objects, ids(goals, "area_goal_id"))
        self.board_goals = _bulk(BoardGoal.objects, ids(goals, "board_goal_id"))
        self.commitments = _bulk(
            Commitment.objects.select_related("board_goal"), ids(goals, "commitment_id")
        )
        self.indicators = _bulk(Indicator.objects, ids("indicators.indicatorvalue", "indicator_id"))
        self.activities = _bulk(Activity.objects, ids("goals.activityfollowup", "activity_id"))
        row_ids = ids("budget.budgetadjustment", "row_id")
        self.row_areas = dict(
            OperatingBudgetRow.history.filter(id__in=row_ids)
            .values_list("id", "area_id")
            .distinct()
            if row_ids
            else ()
        )
        area_ids = ids("budget.operatingbudgetrow", "area_id") | set(self.row_areas.values())
        self.areas = _bulk(OperatingArea.objects, area_ids)
        table_ids = ids("budget.economytablerow", "table_id")
        self.tables = dict(
            EconomyTable.history.filter(id__in=table_ids).values_list("id", "title").distinct()
            if table_ids
            else ()
        )

    def of(self, label: str, record) -> str:
        name = getattr(self, "_" + label.split(".")[1], None)
        return name(record) if name else str(record.instance_type._meta.verbose_name).capitalize()

    def _report(self, record) -> str:
        return "Rapporten"

    def _goalassessment(self, record) -> str:
        if record.direction_goal_id:
            goal = self.direction_goals.get(record.direction_goal_id)
            return f"KF:s inriktningsmål {goal.number}" if goal else "KF:s inriktningsmål"
        if record.area_goal_id:
            goal = self.area_goals.get(record.area_goal_id)
            return f"KF:s mål {goal.number}" if goal else "KF:s mål"
        if record.board_goal_id:
            goal = self.board_goals.get(record.board_goal_id)
            return f"Nämndmål {goal.number}" if goal else "Nämndmål"
        goal = self.commitments.get(record.commitment_id)
        if goal is None:
            return "Åtagande"
        return f"Åtagande {_quoted(goal.title, 40)} under nämndmål {goal.board_goal.number}"

    def _indicatorvalue(self, record) -> str:
        indicator = self.indicators.get(record.indicator_id)
        return f"Indikator {_quoted(indicator.name)}" if indicator else "Indikator"

    def _activityfollowup(self, record) -> str:
        activity = self.activities.get(record.activity_id)
        return f"Aktivitet {_quoted(activity.title)}" if activity else "Aktivitet"

    def _operatingbudgetrow(self, record) -> str:
        area = self.areas.get(record.area_id)
        return f"Driftbudget, {area.name}" if area else "Driftbudget"

    def _budgetadjustment(self, record) -> str:
        area = self.areas.get(self.row_areas.get(record.row_id))
        where = f"Driftbudget, {area.name}" if area else "Driftbudget"
        return f"{where}, justering {_quoted(record.label)}"

    def _incomestatementrow(self, record) -> str:
        return f"Resultaträkning, {_quoted(record.label)}"

    def _investmentrow(self, record) -> str:
        return f"Investeringar, {_quoted(record.category)}"

    def _economytext(self, record) -> str:
        return "Text om ekonomin"

    def _economysubsection(self, record) -> str:
        return f"Ekonomi, delavsnitt {_quoted(record.heading)}"

    def _economytable(self, record) -> str:
        return f"Tabell {_quoted(record.title)}"

    def _economytablerow(self, record) -> str:
        title = self.tables.get(record.table_id)
        where = f"Tabell {_quoted(title)}" if title else "Tabell"
        return f"{where}, rad {_quoted(record.label)}"

    def _section(self, record) -> str:
        if record.kind == Section.Kind.SUMMARY:
            return "Sammanfattande analys"
        if record.kind == Section.Kind.INTERNAL_CONTROL:
            return "Intern kontroll"
        return f"Avsnitt {_quoted(record.title)}" if record.title else "Avsnitt"

    def _covermemo(self, record) -> str:
        return "Tjänsteutlåtande"

    def _proposeddecision(self, record) -> str:
        return f"Tjänsteutlåtande, förslag till beslut {record.position}"

    def _signatory(self, record) -> str:
        return f"Tjänsteutlåtande, undertecknare {_quoted(record.name or record.title)}"

    def _memoattachment(self, record) -> str:
        return f"Tjänsteutlåtande, bilaga {_quoted(record.title)}"


def _bulk(queryset, ids: set) -> dict:
    return queryset.in_bulk(ids) if ids else {}


def recent(report: Report, item, limit: int = 5) -> list[Entry]:
    """The newest changes of one item of the report, for its form page."""
    if item.pk is None:
        return []
    return entries(report, trail(report, [item._meta.label_lower], item.pk)[:limit])
