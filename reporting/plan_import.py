"""The year's plan from Excel: board goals, indicators with their targets, activities and
operating areas, read from a template and applied all at once (see ``reporting.spreadsheet``
for the flow: upload, preview of every change, confirm or cancel).

The template is made for a report (its board and year) and holds the plan as it stands:

| sheet | one row per | columns |
|---|---|---|
| Nämndmål | board goal | Nummer, KF:s mål (the area goal's number), Titel, Beskrivning, Förväntat resultat (one per line) |
| Indikatorer | indicator | Mål (a board goal's or KF's area goal's number), Indikator, Slag, Enhet, Decimaler, Riktning, Årsmål, KF:s årsmål, Könsuppdelad |
| Aktiviteter | activity | Mål, Aktivitet, Slag, Startdatum, Slutdatum |
| Verksamhetsområden | operating area | Verksamhetsområde |

A row whose key (a goal's number; a goal and an indicator's name or an activity's title; an
area's name) is already in the plan changes that item; any other row adds one, and every open
draft of the year gets its row for it (``reporting.services.add_plan_rows_to_drafts``: an
assessment, a value, a follow-up, a budget row). Nothing is deleted. Targets are written for the report's period (KF may change
them during the year; an earlier period keeps its own). Every sheet may be left out except
Nämndmål.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Max
from openpyxl import Workbook

from budget.models import OperatingArea
from goals.models import Activity, AreaGoal, BoardGoal, Kind
from indicators.models import (
    FIGURE_DECIMAL_PLACES,
    FIGURE_MAX_DIGITS,
    Indicator,
    IndicatorTarget,
)

from .models import Report
from .numbers import format_number
from .services import add_plan_rows_to_drafts
from .spreadsheet import (
    Change,
    Problems,
    Stale,
    TemplateColumn,
    instructions_sheet,
    number,
    read_sheet,
    template_bytes,
    template_sheet,
    text,
)

EMPTY = "tomt"
KINDS = {"kf": Kind.KF, "nämnd": Kind.BOARD, "namnd": Kind.BOARD}
DIRECTIONS = {label.lower(): value for value, label in Indicator.Direction.choices}
YES_NO = {"ja": True, "nej": False}
TEXT_LIMITS = {"number": 20, "title": 2000, "description": 20000, "unit": 30, "name": 2000}


@dataclass(frozen=True)
class Field:
    header: str
    name: str  # the attribute (targets: annual_target, kf_annual_target)
    kind: str = "text"  # text, lines, number, int, choice, bool, date, figure, goal
    limit: int = 2000
    required: bool = False


BOARD_GOAL_FIELDS = (
    Field("KF:s mål", "area_goal", "goal", required=True),
    Field("Titel", "title", required=True),
    Field("Beskrivning", "description", limit=20000),
    Field("Förväntat resultat", "expected_results", "lines", limit=20000),
)
INDICATOR_FIELDS = (
    Field("Slag", "kind", "choice"),
    Field("Enhet", "unit", limit=30),
    Field("Decimaler", "decimals", "int"),
    Field("Riktning", "direction", "choice"),
    Field("Årsmål", "annual_target", "figure"),
    Field("KF:s årsmål", "kf_annual_target", "figure"),
    Field("Könsuppdelad", "gender_split_required", "bool"),
)
ACTIVITY_FIELDS = (
    Field("Slag", "kind", "choice"),
    Field("Startdatum", "start_date", "date"),
    Field("Slutdatum", "end_date", "date"),
)


@dataclass(frozen=True)
class Sheet:
    name: str
    kind: str  # board_goal, indicator, activity, area
    keys: tuple[str, ...]  # the key columns' headers
    fields: tuple[Field, ...]
    required: bool = False


SHEETS = (
    Sheet("Nämndmål", "board_goal", ("Nummer",), BOARD_GOAL_FIELDS, required=True),
    Sheet("Indikatorer", "indicator", ("Mål", "Indikator"), INDICATOR_FIELDS),
    Sheet("Aktiviteter", "activity", ("Mål", "Aktivitet"), ACTIVITY_FIELDS),
    Sheet("Verksamhetsområden", "area", ("Verksamhetsområde",), ()),
)


# -- the plan as it stands --------------------------------------------------------------------


class Plan:
    """The board's plan for the report's year, keyed as the template keys it."""

    def __init__(self, report: Report) -> None:
        board, year = report.board, report.year
        self.report = report
        self.area_goals = {
            g.number.strip(): g
            for g in AreaGoal.objects.filter(
                direction_goal__municipality=board.municipality, direction_goal__year=year
            )
        }
        self.board_goals = {
            g.number.strip(): g
            for g in BoardGoal.objects.filter(board=board, year=year).select_related("area_goal")
        }
        indicators = Indicator.objects.filter(board=board, year=year, commitment__isnull=True)
        indicators = indicators.select_related("area_goal", "board_goal").order_by("position", "pk")
        targets: dict[int, list] = {}
        for target in IndicatorTarget.objects.filter(indicator__in=indicators):
            targets.setdefault(target.indicator_id, []).append(target)
        self.indicators = {}
        self.targets = {}
        for indicator in indicators:
            key = (_goal_number(indicator), indicator.name.strip().lower())
            self.indicators[key] = indicator
            self.targets[key] = _target_row(report, indicator, targets.get(indicator.pk, []))
        activities = Activity.objects.filter(board=board, year=year, commitment__isnull=True)
        self.activities = {
            (_goal_number(a), a.title.strip().lower()): a
            for a in activities.select_related("area_goal", "board_goal").order_by("position", "pk")
        }
        self.areas = {
            a.name.strip().lower(): a
            for a in OperatingArea.objects.filter(board=board, year=year).order_by("position", "pk")
        }

    def goal_numbers(self) -> set[str]:
        return set(self.board_goals) | set(self.area_goals)


def _goal_number(item) -> str:
    goal = item.board_goal or item.area_goal
    return goal.number.strip() if goal else ""


def _target_row(report: Report, indicator: Indicator, targets: list) -> IndicatorTarget | None:
    """The indicator's targets as they stand in the report's period."""
    return indicator.target_for(report.period, targets)


def current(item, field: Field, target=None):
    """A field's value as stored, in the form the template shows it."""
    if item is None:
        return None
    if field.kind == "figure":
        return target.get_figure(field.name) if target is not None else None
    if field.name == "area_goal":
        return item.area_goal.number.strip()
    value = getattr(item, field.name)
    if field.kind == "lines":
        return "\n".join(value or ()) or None
    if field.kind == "choice":
        return _choice_label(field.name, value)
    if value == "":
        return None
    return value


# -- reading ----------------------------------------------------------------------------------


def parse(field: Field, raw, plan: Plan):
    """A cell as the field's value; ``ValueError`` (a Swedish message) when it cannot be."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if field.required:
            raise ValueError("måste fyllas i")
        return None
    if field.kind in ("text", "lines", "goal"):
        value = text(raw)
        if len(value) > field.limit:
            raise ValueError(f"texten är längre än {field.limit} tecken")
        if field.kind == "lines":
            return "\n".join(line.strip() for line in value.splitlines() if line.strip()) or None
        if field.kind == "goal" and value not in plan.area_goals:
            raise ValueError(
                f"”{value}” finns inte bland KF:s mål för verksamhetsområdet {plan.report.year}"
            )
        return value
    if field.kind == "int":
        try:
            value = number(raw, max_digits=2, decimal_places=0)
        except ValueError:
            value = Decimal(-1)
        if not 0 <= value <= FIGURE_DECIMAL_PLACES:
            raise ValueError(f"”{text(raw)}” ska vara ett heltal 0–{FIGURE_DECIMAL_PLACES}")
        return int(value)
    if field.kind == "choice":
        choices = KINDS if field.name == "kind" else DIRECTIONS
        value = text(raw).lower()
        if value not in choices:
            labels = (
                ("KF", "Nämnd")
                if field.name == "kind"
                else tuple(label for _, label in Indicator.Direction.choices)
            )
            raise ValueError(f"”{text(raw)}” ska vara {' eller '.join(labels)}")
        return _choice_label(field.name, choices[value])
    if field.kind == "bool":
        value = text(raw).lower()
        if isinstance(raw, bool):
            return raw
        if value not in YES_NO:
            raise ValueError(f"”{text(raw)}” ska vara Ja eller Nej")
        return YES_NO[value]
    if field.kind == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(text(raw))
        except ValueError:
            raise ValueError(f"”{text(raw)}” är inte ett datum (skriv t.ex. 2019-12-31)") from None
    if field.kind == "figure":
        if isinstance(raw, str):
            try:
                return number(
                    raw, max_digits=FIGURE_MAX_DIGITS, decimal_places=FIGURE_DECIMAL_PLACES
                )
            except ValueError:
                value = raw.strip()
                if len(value) > 200:
                    raise ValueError("texten är längre än 200 tecken") from None
                return value  # a text in the figure's place ("Tas fram av nämnden")
        return number(raw, max_digits=FIGURE_MAX_DIGITS, decimal_places=FIGURE_DECIMAL_PLACES)
    raise AssertionError(field.kind)


def _choice_label(name: str, value) -> str | None:
    if not value:
        return None
    return Kind(value).label if name == "kind" else Indicator.Direction(value).label


def shown(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def kept(value):
    """A value as the session keeps it (JSON): tagged, so that a figure's number and text stay
    apart and a date stays a date."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    return ["s", value]


def unkept(value):
    if value is None:
        return None
    tag, raw = value
    return {
        "b": lambda v: v,
        "i": int,
        "n": Decimal,
        "d": date.fromisoformat,
        "s": lambda v: v,
    }[tag](raw)


def _equal(a, b) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return type(a) is type(b) and a == b or (a is None and b is None)


class PlanImport:
    kind = "plan"
    title = "Årets plan från Excel"
    template_url_name = "reporting:plan_template"
    description = (
        "Mallen har ett blad per del av planen: Nämndmål, Indikatorer (med enhet, decimaler, "
        "riktning, årsmål och om utfallet ska delas upp på kön), Aktiviteter (med datum) och "
        "Verksamhetsområden, ifyllda med planen som den är nu. En rad med ett nytt nummer eller "
        "namn lägger till något, en rad som redan finns ändrar det; ingenting tas bort."
    )

    # -- the template --

    def template(self, report: Report) -> bytes:
        plan = Plan(report)
        workbook = Workbook()
        workbook.remove(workbook.active)
        instructions_sheet(
            workbook,
            f"Årets plan för {report.board.name} {report.year}",
            [
                self.description,
                "Nämndmål: ”KF:s mål” är numret på KF:s mål för verksamhetsområdet som "
                "nämndmålet hör till, t.ex. 1.1. Förväntade resultat skrivs ett per rad i cellen.",
                "Indikatorer och aktiviteter: ”Mål” är numret på nämndmålet (eller på KF:s mål, "
                "för KF:s indikatorer och aktiviteter). Slag: KF eller Nämnd. Riktning: Högre är "
                "bättre eller Lägre är bättre. Könsuppdelad: Ja eller Nej. Årsmålen gäller från "
                f"{report.get_period_display().lower()} och kan vara tal eller text "
                "(”Tas fram av nämnden”).",
                "Datum skrivs 2019-12-31. Ladda upp filen på sidan ”Importera årets plan från "
                "Excel”; du ser varje ändring innan något sparas.",
            ],
        )
        kinds = ("KF", "Nämnd")
        directions = tuple(label for _, label in Indicator.Direction.choices)
        template_sheet(
            workbook,
            "Nämndmål",
            [
                TemplateColumn("Nummer", 10, kind="text"),
                TemplateColumn("KF:s mål", 10, kind="text"),
                TemplateColumn("Titel", 60, kind="text"),
                TemplateColumn("Beskrivning", 60, kind="text"),
                TemplateColumn("Förväntat resultat", 60, kind="text"),
            ],
            [
                [number, *(current(goal, f) for f in BOARD_GOAL_FIELDS)]
                for number, goal in sorted(plan.board_goals.items(), key=lambda x: _order(x[0]))
            ],
        )
        template_sheet(
            workbook,
            "Indikatorer",
            [
                TemplateColumn("Mål", 10, kind="text"),
                TemplateColumn("Indikator", 60, kind="text"),
                TemplateColumn("Slag", 9, kind="choice", choices=kinds),
                TemplateColumn("Enhet", 9, kind="text"),
                TemplateColumn("Decimaler", 10, kind="number"),
                TemplateColumn("Riktning", 18, kind="choice", choices=directions),
                TemplateColumn("Årsmål", 14, kind="text"),
                TemplateColumn("KF:s årsmål", 14, kind="text"),
                TemplateColumn("Könsuppdelad", 13, kind="choice", choices=("Ja", "Nej")),
            ],
            [
                [
                    key[0],
                    indicator.name,
                    *(
                        _shown_cell(current(indicator, f, plan.targets[key]))
                        for f in INDICATOR_FIELDS
                    ),
                ]
                for key, indicator in plan.indicators.items()
            ],
        )
        template_sheet(
            workbook,
            "Aktiviteter",
            [
                TemplateColumn("Mål", 10, kind="text"),
                TemplateColumn("Aktivitet", 70, kind="text"),
                TemplateColumn("Slag", 9, kind="choice", choices=kinds),
                TemplateColumn("Startdatum", 13, kind="date"),
                TemplateColumn("Slutdatum", 13, kind="date"),
            ],
            [
                [
                    key[0],
                    activity.title,
                    *(current(activity, f) for f in ACTIVITY_FIELDS),
                ]
                for key, activity in plan.activities.items()
            ],
        )
        template_sheet(
            workbook,
            "Verksamhetsområden",
            [TemplateColumn("Verksamhetsområde", 50, kind="text")],
            [[area.name] for area in plan.areas.values()],
        )
        return template_bytes(workbook)

    # -- reading --

    def read(self, report: Report, workbook, problems: Problems) -> list[Change]:
        plan = Plan(report)
        rows = {
            sheet.kind: read_sheet(
                workbook,
                sheet.name,
                [*sheet.keys, *(f.header for f in sheet.fields)],
                problems,
                required=sheet.required,
            )
            for sheet in SHEETS
        }
        goal_numbers = set(plan.goal_numbers())
        for sheet_row in rows["board_goal"] or ():
            goal_numbers.add(text(sheet_row.cells["Nummer"]))
        changes: list[Change] = []
        for sheet in SHEETS:
            seen: dict[tuple, int] = {}
            for sheet_row in rows[sheet.kind] or ():
                key = self._key(sheet, sheet_row, plan, goal_numbers, problems)
                if key is None:
                    continue
                if key in seen:
                    problems.add(
                        sheet.name,
                        sheet_row.number,
                        sheet.keys[-1],
                        f"”{text(sheet_row.cells[sheet.keys[-1]])}” står redan på rad {seen[key]}.",
                    )
                    continue
                seen[key] = sheet_row.number
                changes += self._row_changes(sheet, sheet_row, key, plan, problems)
        return changes

    def _key(self, sheet, sheet_row, plan, goal_numbers, problems) -> tuple | None:
        values = [text(sheet_row.cells[header]) for header in sheet.keys]
        for header, value in zip(sheet.keys, values, strict=True):
            if not value:
                problems.add(sheet.name, sheet_row.number, header, "måste fyllas i.")
                return None
            limit = TEXT_LIMITS["number"] if header in ("Nummer", "Mål") else 2000
            if len(value) > limit:
                problems.add(
                    sheet.name, sheet_row.number, header, f"texten är längre än {limit} tecken."
                )
                return None
        if sheet.kind in ("indicator", "activity") and values[0] not in goal_numbers:
            problems.add(
                sheet.name,
                sheet_row.number,
                "Mål",
                f"”{values[0]}” är inget nämndmål eller KF:s mål för verksamhetsområdet "
                f"{plan.report.year}.",
            )
            return None
        if sheet.kind == "board_goal":
            if values[0] in plan.area_goals and values[0] not in plan.board_goals:
                problems.add(
                    sheet.name,
                    sheet_row.number,
                    "Nummer",
                    f"”{values[0]}” är numret på ett av KF:s mål; ge nämndmålet ett eget nummer.",
                )
                return None
            return (values[0],)
        if sheet.kind == "area":
            return (values[0].lower(),)
        return (values[0], values[1].lower())

    def _row_changes(self, sheet, sheet_row, key, plan, problems) -> list[Change]:
        item = {
            "board_goal": plan.board_goals,
            "indicator": plan.indicators,
            "activity": plan.activities,
            "area": plan.areas,
        }[sheet.kind].get(key[0] if len(key) == 1 else key)
        target = plan.targets.get(key) if sheet.kind == "indicator" else None
        label = " ".join(text(sheet_row.cells[h]) for h in sheet.keys)
        values, ok = {}, True
        for field in sheet.fields:
            try:
                values[field.name] = parse(field, sheet_row.cells[field.header], plan)
            except ValueError as error:
                problems.add(sheet.name, sheet_row.number, field.header, f"{error}.")
                ok = False
        if "start_date" in values and ok:
            start, end = values.get("start_date"), values.get("end_date")
            if start and end and end < start:
                problems.add(
                    sheet.name, sheet_row.number, "Slutdatum", "slutdatum ligger före startdatum."
                )
                ok = False
        if not ok:
            return []
        changes = []
        base = {"kind": sheet.kind, "key": list(key), "pk": item.pk if item else None}
        if item is None:
            shown_key = label
            changes.append(
                Change(
                    sheet=sheet.name,
                    item=shown_key,
                    column=" / ".join(sheet.keys),
                    old="finns inte",
                    new=f"läggs till: {shown_key}",
                    target={
                        **base,
                        "field": None,
                        "keys": [text(sheet_row.cells[h]) for h in sheet.keys],
                        "old": None,
                        "new": None,
                    },
                )
            )
        for field in sheet.fields:
            new = values[field.name]
            old = current(item, field, target) if item is not None else None
            if _equal(old, new):
                continue
            if item is None and new is None:
                continue
            changes.append(
                Change(
                    sheet=sheet.name,
                    item=label,
                    column=field.header,
                    old=shown(old),
                    new=shown(new),
                    target={**base, "field": field.name, "old": kept(old), "new": kept(new)},
                )
            )
        if item is not None and len(changes) == 0:
            return []
        return changes

    # -- applying --

    def apply(self, report: Report, changes: list[Change]) -> None:
        plan = Plan(report)
        groups: dict[tuple, list[Change]] = {}
        for change in changes:
            groups.setdefault((change.target["kind"], tuple(change.target["key"])), []).append(
                change
            )
        for kind in ("area", "board_goal", "indicator", "activity"):
            for (group_kind, key), group in groups.items():
                if group_kind == kind:
                    _apply_item(report, plan, kind, key, group)
        add_plan_rows_to_drafts(report.board, report.year)


def _order(number: str) -> tuple:
    """'1.10' after '1.9': the numbers compared part by part."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in number.split("."))


def _shown_cell(value):
    """A template cell: numbers as numbers, everything else as the template shows it."""
    if value is None or isinstance(value, Decimal | int | str | date):
        return value
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return str(value)


def _apply_item(report: Report, plan: Plan, kind: str, key: tuple, group: list[Change]) -> None:
    first = group[0].target
    values = {c.target["field"]: unkept(c.target["new"]) for c in group if c.target["field"]}
    olds = {c.target["field"]: unkept(c.target["old"]) for c in group if c.target["field"]}
    label = group[0].item
    if first["pk"] is None:
        keys = next(c.target["keys"] for c in group if "keys" in c.target)
        _create(report, plan, kind, keys, values, label)
        return
    model = {
        "board_goal": BoardGoal,
        "indicator": Indicator,
        "activity": Activity,
        "area": OperatingArea,
    }[kind]
    item = model.objects.select_for_update().filter(pk=first["pk"]).first()
    if item is None:
        raise Stale(f"”{label}”")
    target = None
    if kind == "indicator":
        targets = list(IndicatorTarget.objects.select_for_update().filter(indicator=item))
        target = _target_row(report, item, targets)
    sheet = next(s for s in SHEETS if s.kind == kind)
    for field in sheet.fields:
        if field.name in olds and not _equal(current(item, field, target), olds[field.name]):
            raise Stale(f"”{label}”, {field.header.lower()},")
    _set(report, plan, kind, item, values)


def _set(report: Report, plan: Plan, kind: str, item, values: dict) -> None:
    figures = {}
    for name, value in values.items():
        if name in ("annual_target", "kf_annual_target"):
            figures[name] = value
        elif name == "area_goal":
            item.area_goal = plan.area_goals[value]
        elif name == "expected_results":
            item.expected_results = value.split("\n") if value else []
        elif name in ("kind", "direction"):
            choices = KINDS if name == "kind" else DIRECTIONS
            setattr(item, name, choices[value.lower()] if value else "")
        elif name in ("description", "unit"):
            setattr(item, name, value or "")
        else:
            setattr(item, name, value)
    item.save()
    if figures:
        target = IndicatorTarget.objects.filter(indicator=item, period=report.period).first()
        if target is None:
            target = IndicatorTarget(indicator=item, period=report.period)
            existing = _target_row(
                report, item, list(IndicatorTarget.objects.filter(indicator=item))
            )
            for name in ("annual_target", "kf_annual_target"):
                if existing is not None and name not in figures:
                    target.set_figure(name, existing.get_figure(name))
        for name, value in figures.items():
            target.set_figure(name, value)
        target.save()


def _goal(plan: Plan, number: str, report: Report) -> dict:
    goal = BoardGoal.objects.filter(board=report.board, year=report.year, number=number).first()
    if goal is not None:
        return {"board_goal": goal}
    return {"area_goal": plan.area_goals[number]}


def _create(report, plan, kind, keys, values, label) -> None:
    board, year = report.board, report.year
    if kind == "area":
        if OperatingArea.objects.filter(board=board, year=year, name__iexact=keys[0]).exists():
            raise Stale(f"”{label}”")
        position = (
            OperatingArea.objects.filter(board=board, year=year).aggregate(m=Max("position"))["m"]
            or 0
        ) + 1
        OperatingArea.objects.create(board=board, year=year, name=keys[0], position=position)
        return
    if kind == "board_goal":
        if BoardGoal.objects.filter(board=board, year=year, number=keys[0]).exists():
            raise Stale(f"”{label}”")
        position = (
            BoardGoal.objects.filter(board=board, year=year).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        goal = BoardGoal(board=board, year=year, number=keys[0], position=position)
        _set(report, plan, kind, goal, values)
        return
    owner = _goal(plan, keys[0], report)
    model = Indicator if kind == "indicator" else Activity
    name_field = "name" if kind == "indicator" else "title"
    existing = model.objects.filter(board=board, year=year, **owner)
    if existing.filter(**{f"{name_field}__iexact": keys[1]}).exists():
        raise Stale(f"”{label}”")
    position = (existing.aggregate(m=Max("position"))["m"] or 0) + 1
    item = model(board=board, year=year, position=position, **owner, **{name_field: keys[1]})
    _set(report, plan, kind, item, values)
