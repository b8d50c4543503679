"""The interchange format (``reporting/schema/report-data.schema.json``): export, validation,
import.

- ``to_json(data)`` writes a report's assembled data as an interchange document: every key of
  the schema (null or [] where empty), numbers as JSON numbers in their shortest form, dates as
  YYYY-MM-DD.
- ``validate(document)`` returns every problem of a document, each with its place in the file
  (``direction_goals[1].area_goals[0].indicators[3].outcome``) and a Swedish message: the
  schema's rules plus what the database needs (unique numbers and names, numbers and texts that
  fit their columns, dates in order, the internal-control scale, commitments only in a unit's
  report).
- ``import_report(document)`` validates fully, then writes everything in one transaction, or
  nothing. It is idempotent: the plan is upserted by natural keys and never deleted (other
  reports of the year may use it); the report's own rows are made to equal the file (updated,
  created, and deleted where the file no longer has them). Every write goes through ``save()``
  or ``delete()`` on an instance, so signal-based audit history sees each change; a row is only
  saved when something in it changed. The status of an existing report is left as it is.

Normalisation: the importer reads a document as follows, so exporting what was imported gives
the same document apart from exactly this.

- An absent key, ``null``, ``""`` and ``[]`` mean the same where the schema allows them; the
  export writes the empty value the schema allows (``null`` for a nullable field, ``[]`` for a
  list, ``""`` for a text that may not be null: a signatory's ``name`` and ``title``).
- Text is stored exactly as given, whitespace included.
- Numbers are exported in their shortest form: ``88.0`` -> ``88``, ``0.030000`` -> ``0.03``.
- ``economy`` with nothing in it (no analysis and no rows or tables) is ``null``.
- ``internal_control`` with neither assessment nor analysis is ``null``; its assessment is
  matched without regard to case and exported as spelt in the scale (``tillräcklig`` ->
  ``Tillräcklig``).
- ``is_total`` absent is ``false``.

Outside the document itself: a board's ``administration`` is overwritten by the file's; an
indicator's ``previous_outcome`` is exported from last year's VB when the database holds it
(see ``reporting.assemble``); targets are stored for the imported report's period.
"""

import itertools
import json
import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from functools import cache, partial

from django.conf import settings
from django.db import models, transaction
from jsonschema import Draft202012Validator, FormatChecker

from budget.models import (
    BudgetAdjustment,
    EconomyTable,
    EconomyTableRow,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
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
from indicators.models import VALUE_FIGURES, Indicator, IndicatorTarget, IndicatorValue

from .assemble import (
    ActivityData,
    AdjustmentData,
    AreaGoalData,
    BoardGoalData,
    CommitmentData,
    CoverData,
    DirectionGoalData,
    EconomyData,
    IncomeStatementRowData,
    IndicatorData,
    InternalControlData,
    InvestmentRowData,
    OperatingBudgetRowData,
    OrganisationData,
    ReportData,
    SectionData,
    SignatoryData,
    TableData,
    TableRowData,
)
from .models import (
    Board,
    CoverMemo,
    InternalControlAssessment,
    MemoAttachment,
    Municipality,
    ProposedDecision,
    Report,
    ReportItem,
    Section,
    Signatory,
    Unit,
)
from .numbers import normalise

FORMAT_VERSION = 1
TARGET_FIGURES = ("annual_target", "kf_annual_target")
YEARS = (1990, 2200)  # reporting_report_year_range


# -- export ---------------------------------------------------------------------------------


def to_json(data: ReportData) -> dict:
    """The interchange document of a report's data (the dataclasses' fields are the keys)."""
    return {"format_version": FORMAT_VERSION, **_plain(asdict(data))}


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_number(value: Decimal) -> int | float:
    """The shortest JSON number: ``Decimal("88.0000")`` -> 88, ``Decimal("0.030000")`` -> 0.03."""
    value = normalise(value)
    return int(value) if value == value.to_integral_value() else float(str(value))


# -- problems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: a path into the document (``year``,
    ``direction_goals[0].area_goals[2].indicators[3].outcome``) or a line and column."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or 'dokumentet'}: {self.message}"


class InvalidDocument(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_JSON_MESSAGES = {
    "Expecting value": "förväntade ett värde",
    "Expecting ',' delimiter": "förväntade ett kommatecken",
    "Expecting ':' delimiter": "förväntade ett kolon",
    "Expecting property name enclosed in double quotes": (
        "förväntade ett nyckelnamn inom dubbla citattecken"
    ),
    "Unterminated string starting at": "en text tar aldrig slut",
    "Invalid control character at": "otillåtet styrtecken i en text",
    "Invalid \\escape": "ogiltig escape-sekvens",
    "Invalid \\uXXXX escape": "ogiltig escape-sekvens",
    "Extra data": "mer data efter dokumentets slut",
    "Illegal trailing comma before end of object": "kommatecken före }",
    "Illegal trailing comma before end of array": "kommatecken före ]",
}


def parse(text: str | bytes) -> object:
    """A document from JSON text; ``InvalidDocument`` naming line and column when it is not
    JSON. NaN and Infinity are refused: they are not JSON numbers."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidDocument([Problem("", "filen är inte text i UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        message = _JSON_MESSAGES.get(error.msg, error.msg)
        place = f"rad {error.lineno}, kolumn {error.colno}"
        raise InvalidDocument([Problem(place, f"inte giltig JSON: {message}")]) from None
    except _NotANumber as error:
        message = f"inte giltig JSON: {error.args[0]} är inte ett tal i JSON"
        raise InvalidDocument([Problem("", message)]) from None


class _NotANumber(ValueError):
    pass


def _refuse_constant(name: str):
    raise _NotANumber(name)


# -- validation -----------------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(settings.INTERCHANGE_SCHEMA.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate(document) -> list[Problem]:
    """Every problem of the document: the schema's and the database's, in document order
    within each kind."""
    problems = [*_schema_problems(document), *_Checker(document).problems]
    return list(dict.fromkeys(problems))


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _path(parts) -> str:
    path = ""
    for part in parts:
        path = _join(path, part)
    return path


_TYPE_NAMES = {
    "string": "en text",
    "number": "ett tal",
    "integer": "ett heltal",
    "boolean": "true eller false",
    "null": "null",
    "object": "ett objekt",
    "array": "en lista",
}


def _alternatives(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} eller {words[-1]}"


def _show(value) -> str:
    """A value as JSON, shortened."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else f"{text[:57]}…"


def _kind_of(value) -> str:
    if value is None or isinstance(value, bool):
        return _show(value)
    if isinstance(value, int):
        return f"ett heltal ({value})"
    if isinstance(value, float | Decimal):
        return f"ett tal ({value})"
    if isinstance(value, str):
        return f"en text ({_show(value)})"
    if isinstance(value, list):
        return "en lista"
    return "ett objekt"


def _schema_problems(document):
    for error in _validator().iter_errors(document):
        path = _path(error.absolute_path)
        kind, expected, instance = error.validator, error.validator_value, error.instance
        if kind == "type":
            types = [expected] if isinstance(expected, str) else expected
            names = _alternatives([_TYPE_NAMES.get(t, t) for t in types])
            yield Problem(path, f"förväntade {names}, fick {_kind_of(instance)}")
        elif kind == "enum":
            allowed = _alternatives([_show(v) for v in expected])
            yield Problem(path, f"okänt värde {_show(instance)}; tillåtna värden är {allowed}")
        elif kind == "const":
            yield Problem(path, f"måste vara {_show(expected)}, fick {_show(instance)}")
        elif kind == "required":
            for key in expected:
                if key not in instance:
                    yield Problem(_join(path, key), "saknas men är obligatorisk")
        elif kind == "additionalProperties":
            known = list(error.schema.get("properties", {}))
            for key in instance:
                if key not in known:
                    yield Problem(
                        _join(path, key), f"okänd nyckel; tillåtna här är {', '.join(known)}"
                    )
        elif kind == "format" and expected == "date":
            yield Problem(path, f"{_show(instance)} är inte ett giltigt datum (ÅÅÅÅ-MM-DD)")
        elif kind == "format":
            yield Problem(path, f"{_show(instance)} har inte formatet {expected}")
        else:
            yield Problem(path, f"följer inte formatet ({kind}: {error.message})")


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def _items(obj, key: str, path: str):
    """(item, path) for every object in the list ``obj[key]``, whatever the rest holds."""
    items = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield item, _join(_join(path, key), i)


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


class _Checker:
    """What the schema cannot say and the database needs. Tolerates any shape: the schema's
    problems are reported separately, and both are reported together."""

    def __init__(self, document) -> None:
        self.problems: list[Problem] = []
        if isinstance(document, dict):
            self.check(document)

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- single values

    def text(self, obj: dict, path: str, key: str, model, field: str, *, required=False):
        self.text_value(obj.get(key), _join(path, key), model, field, required=required)

    def text_value(self, value, path: str, model, field: str, *, required=False) -> None:
        if not isinstance(value, str):
            return
        if required and not value.strip():
            self.add(path, "får inte vara tom")
        limit = _field(model, field).max_length
        if limit and len(value) > limit:
            self.add(path, f"texten är för lång: {len(value)} tecken, högst {limit} får plats")

    def number(self, value, path: str, model, field: str) -> None:
        if not _is_number(value):
            return
        number = _decimal(value)
        if not number.is_finite():
            self.add(path, "måste vara ett ändligt tal")
            return
        column = _field(model, field)
        places = column.decimal_places
        whole = column.max_digits - places
        _, digits, exponent = number.as_tuple()
        if len(digits) + exponent > whole:
            self.add(
                path,
                f"talet {value} är för stort: högst {whole} siffror före decimaltecknet får plats",
            )
        if -exponent > places:
            self.add(path, f"talet {value} har för många decimaler: högst {places} får plats")

    def figure(self, obj: dict, path: str, key: str, model) -> None:
        value = obj.get(key)
        if isinstance(value, str):
            self.text(obj, path, key, model, f"{key}_text")
        else:
            self.number(value, _join(path, key), model, key)

    def unique(self, obj: dict, path: str, key: str, seen: dict, what: str) -> None:
        value = obj.get(key)
        if not isinstance(value, str):
            return
        if value in seen:
            self.add(_join(path, key), f"{what} {_show(value)} förekommer redan i {seen[value]}")
        else:
            seen[value] = path

    # -- the document

    def check(self, doc: dict) -> None:
        year = doc.get("year")
        if _is_number(year) and not YEARS[0] <= year <= YEARS[1]:
            self.add("year", f"året måste ligga mellan {YEARS[0]} och {YEARS[1]}")
        organisation = doc.get("organisation")
        has_unit = False
        if isinstance(organisation, dict):
            path = "organisation"
            self.text(organisation, path, "municipality", Municipality, "name", required=True)
            self.text(organisation, path, "board", Board, "name", required=True)
            self.text(organisation, path, "administration", Board, "administration")
            self.text(organisation, path, "unit", Unit, "name")
            has_unit = bool(organisation.get("unit"))

        direction_numbers, area_numbers, board_numbers = {}, {}, {}
        for direction_goal, d_path in _items(doc, "direction_goals", ""):
            self.goal(direction_goal, d_path, DirectionGoal, direction_numbers, "inriktningsmålet")
            for area_goal, a_path in _items(direction_goal, "area_goals", d_path):
                self.goal(area_goal, a_path, AreaGoal, area_numbers, "målet")
                self.goal_items(area_goal, a_path)
                for board_goal, b_path in _items(area_goal, "board_goals", a_path):
                    self.goal(board_goal, b_path, BoardGoal, board_numbers, "nämndmålet")
                    self.goal_items(board_goal, b_path)
                    titles = {}
                    for commitment, c_path in _items(board_goal, "commitments", b_path):
                        if not has_unit:
                            self.add(
                                c_path,
                                "ett åtagande hör till en enhets rapport, men organisation.unit "
                                "saknas",
                            )
                        self.unique(commitment, c_path, "title", titles, "åtagandet")
                        self.text(commitment, c_path, "title", Commitment, "title", required=True)
                        self.goal_items(commitment, c_path)

        economy = doc.get("economy")
        if isinstance(economy, dict):
            self.economy(economy)
        control = doc.get("internal_control")
        assessment = control.get("assessment") if isinstance(control, dict) else None
        if isinstance(assessment, str) and assessment and _control_value(assessment) is None:
            allowed = _alternatives([f'"{c.label}"' for c in InternalControlAssessment])
            self.add(
                "internal_control.assessment",
                f"okänd bedömning {_show(assessment)}; tillåtna är {allowed}",
            )
        cover = doc.get("cover")
        if isinstance(cover, dict):
            for key in ("case_officer", "phone", "to", "title"):
                self.text(cover, "cover", key, CoverMemo, key)
            for signatory, path in _items(cover, "signatories", "cover"):
                self.text(signatory, path, "name", Signatory, "name")
                self.text(signatory, path, "title", Signatory, "title")
            attachments = cover.get("attachments")
            for i, title in enumerate(attachments if isinstance(attachments, list) else []):
                self.text_value(title, f"cover.attachments[{i}]", MemoAttachment, "title")
        for section, path in _items(doc, "other_sections", ""):
            self.text(section, path, "title", Section, "title")

    def goal(self, goal: dict, path: str, model, seen: dict, what: str) -> None:
        self.unique(goal, path, "number", seen, f"{what} med nummer")
        self.text(goal, path, "number", model, "number", required=True)

    def goal_items(self, goal: dict, path: str) -> None:
        names = {}
        for indicator, item_path in _items(goal, "indicators", path):
            self.unique(indicator, item_path, "name", names, "indikatorn")
            self.text(indicator, item_path, "name", Indicator, "name", required=True)
            self.text(indicator, item_path, "unit", Indicator, "unit")
            self.text(indicator, item_path, "period_label", IndicatorValue, "period_label")
            for key in VALUE_FIGURES:
                self.figure(indicator, item_path, key, IndicatorValue)
            for key in TARGET_FIGURES:
                self.figure(indicator, item_path, key, IndicatorTarget)
        titles = {}
        for activity, item_path in _items(goal, "activities", path):
            self.unique(activity, item_path, "title", titles, "aktiviteten")
            self.text(activity, item_path, "title", Activity, "title", required=True)
            start, end = (
                _date_or_none(activity.get("start_date")),
                _date_or_none(activity.get("end_date")),
            )
            if start and end and end < start:
                self.add(
                    _join(item_path, "end_date"),
                    f"slutdatum {end} ligger före startdatum {start}",
                )

    def economy(self, economy: dict) -> None:
        areas = {}
        for row, path in _items(economy, "operating_budget", "economy"):
            self.unique(row, path, "area", areas, "verksamhetsområdet")
            self.text(row, path, "area", OperatingArea, "name", required=True)
            for key in ("previous_year_outcome", "budget", "outcome", "forecast"):
                self.number(row.get(key), _join(path, key), OperatingBudgetRow, key)
            for adjustment, adjustment_path in _items(row, "adjustments", path):
                self.text(adjustment, adjustment_path, "label", BudgetAdjustment, "label")
                self.number(
                    adjustment.get("amount"),
                    _join(adjustment_path, "amount"),
                    BudgetAdjustment,
                    "amount",
                )
        for row, path in _items(economy, "income_statement", "economy"):
            self.text(row, path, "label", IncomeStatementRow, "label")
            for key in ("budget", "outcome", "previous_budget", "previous_outcome"):
                self.number(row.get(key), _join(path, key), IncomeStatementRow, key)
        for row, path in _items(economy, "investments", "economy"):
            self.text(row, path, "category", InvestmentRow, "category")
            for key in ("budget", "outcome", "forecast", "previous_forecast"):
                self.number(row.get(key), _join(path, key), InvestmentRow, key)
        for table, path in _items(economy, "tables", "economy"):
            self.text(table, path, "title", EconomyTable, "title")
            for row, row_path in _items(table, "rows", path):
                self.text(row, row_path, "label", EconomyTableRow, "label")
                values = row.get("values")
                for i, value in enumerate(values if isinstance(values, list) else []):
                    if _is_number(value) and not math.isfinite(value):
                        self.add(_join(_join(row_path, "values"), i), "måste vara ett ändligt tal")


def _date_or_none(value) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _control_value(label: str) -> str | None:
    """'Delvis tillräcklig' (any case) -> 'partly'."""
    for choice in InternalControlAssessment:
        if choice.label.casefold() == label.strip().casefold():
            return choice.value
    return None


# -- reading a valid document ---------------------------------------------------------------


def from_json(document: dict) -> ReportData:
    """The data of a valid document, normalised as the module docstring says."""
    organisation = document["organisation"]
    return ReportData(
        organisation=OrganisationData(
            municipality=organisation["municipality"],
            board=organisation["board"],
            administration=_text(organisation.get("administration")),
            unit=_text(organisation.get("unit")),
        ),
        year=document["year"],
        period=document["period"],
        cover=_cover(document.get("cover")),
        summary=_text(document.get("summary")),
        direction_goals=tuple(
            DirectionGoalData(
                number=goal["number"],
                title=goal["title"],
                assessment=goal.get("assessment"),
                analysis=_text(goal.get("analysis")),
                area_goals=tuple(_area_goal(g) for g in goal.get("area_goals", ())),
            )
            for goal in document["direction_goals"]
        ),
        economy=_economy(document.get("economy")),
        internal_control=_internal_control(document.get("internal_control")),
        other_sections=tuple(
            SectionData(title=s["title"], text=_text(s.get("text")))
            for s in document.get("other_sections", ())
        ),
        anomalies=tuple(document.get("anomalies", ())),
    )


def _text(value: str | None) -> str | None:
    return value or None


def _value(value):
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else _decimal(value)


def _amount(value) -> Decimal | None:
    return None if value is None else _decimal(value)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _indicators(goal: dict) -> tuple[IndicatorData, ...]:
    return tuple(
        IndicatorData(
            name=i["name"],
            kind=i.get("kind"),
            unit=_text(i.get("unit")),
            direction=i.get("direction"),
            gender_split_required=i.get("gender_split_required"),
            **{key: _value(i.get(key)) for key in (*VALUE_FIGURES, *TARGET_FIGURES)},
            period_label=_text(i.get("period_label")),
            analysis=_text(i.get("analysis")),
        )
        for i in goal.get("indicators", ())
    )


def _activities(goal: dict) -> tuple[ActivityData, ...]:
    return tuple(
        ActivityData(
            title=a["title"],
            kind=a.get("kind"),
            start_date=_day(a.get("start_date")),
            end_date=_day(a.get("end_date")),
            status=a.get("status"),
            deviation=_text(a.get("deviation")),
            analysis=_text(a.get("analysis")),
        )
        for a in goal.get("activities", ())
    )


def _area_goal(goal: dict) -> AreaGoalData:
    return AreaGoalData(
        number=goal["number"],
        title=goal["title"],
        assessment=goal.get("assessment"),
        analysis=_text(goal.get("analysis")),
        indicators=_indicators(goal),
        activities=_activities(goal),
        board_goals=tuple(
            BoardGoalData(
                number=g["number"],
                title=g["title"],
                assessment=g.get("assessment"),
                description=_text(g.get("description")),
                expected_results=tuple(g.get("expected_results", ())),
                analysis=_text(g.get("analysis")),
                indicators=_indicators(g),
                activities=_activities(g),
                commitments=tuple(
                    CommitmentData(
                        title=c["title"],
                        assessment=c.get("assessment"),
                        expected_results=tuple(c.get("expected_results", ())),
                        analysis=_text(c.get("analysis")),
                        indicators=_indicators(c),
                        activities=_activities(c),
                    )
                    for c in g.get("commitments", ())
                ),
            )
            for g in goal.get("board_goals", ())
        ),
    )


def _cover(cover: dict | None) -> CoverData | None:
    if cover is None:
        return None
    return CoverData(
        case_officer=_text(cover.get("case_officer")),
        phone=_text(cover.get("phone")),
        to=_text(cover.get("to")),
        date=_day(cover.get("date")),
        title=_text(cover.get("title")),
        proposed_decisions=tuple(cover.get("proposed_decisions", ())),
        signatories=tuple(
            SignatoryData(name=s.get("name", ""), title=s.get("title", ""))
            for s in cover.get("signatories", ())
        ),
        attachments=tuple(cover.get("attachments", ())),
    )


def _economy(economy: dict | None) -> EconomyData | None:
    if economy is None:
        return None
    data = EconomyData(
        analysis=_text(economy.get("analysis")),
        tables=tuple(
            TableData(
                title=t["title"],
                columns=tuple(t["columns"]),
                rows=tuple(
                    TableRowData(
                        label=r["label"],
                        values=tuple(r["values"]),
                        is_total=r.get("is_total", False),
                    )
                    for r in t["rows"]
                ),
            )
            for t in economy.get("tables", ())
        ),
        operating_budget=tuple(
            OperatingBudgetRowData(
                area=r["area"],
                previous_year_outcome=_amount(r.get("previous_year_outcome")),
                budget=_amount(r.get("budget")),
                outcome=_amount(r.get("outcome")),
                forecast=_amount(r.get("forecast")),
                adjustments=tuple(
                    AdjustmentData(label=a["label"], amount=_decimal(a["amount"]))
                    for a in r.get("adjustments", ())
                ),
                comment=_text(r.get("comment")),
            )
            for r in economy.get("operating_budget", ())
        ),
        income_statement=tuple(
            IncomeStatementRowData(
                label=r["label"],
                kind=r["kind"],
                **{
                    key: _amount(r.get(key))
                    for key in ("budget", "outcome", "previous_budget", "previous_outcome")
                },
            )
            for r in economy.get("income_statement", ())
        ),
        investments=tuple(
            InvestmentRowData(
                category=r["category"],
                **{
                    key: _amount(r.get(key))
                    for key in ("budget", "outcome", "forecast", "previous_forecast")
                },
            )
            for r in economy.get("investments", ())
        ),
    )
    empty = not (
        data.analysis
        or data.tables
        or data.operating_budget
        or data.income_statement
        or data.investments
    )
    return None if empty else data


def _internal_control(control: dict | None) -> InternalControlData | None:
    if control is None:
        return None
    value = _control_value(control.get("assessment") or "")
    analysis = _text(control.get("analysis"))
    if value is None and analysis is None:
        return None
    label = InternalControlAssessment(value).label if value else None
    return InternalControlData(assessment=label, analysis=analysis)


# -- import ---------------------------------------------------------------------------------


def import_report(document) -> Report:
    """Validate ``document`` fully, then write it in one transaction: ``InvalidDocument`` with
    every problem, and nothing written, when it is not valid."""
    problems = validate(document)
    if problems:
        raise InvalidDocument(problems)
    return _write(from_json(document))


def _put(instance: models.Model, **fields) -> models.Model:
    """Save ``instance`` when it is new or one of ``fields`` changed. A changed report item
    gets a new version, so an editor who holds the old one meets a conflict."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if instance.pk is None:
        instance.save()
    elif changed:
        if isinstance(instance, ReportItem):
            instance.version += 1
        instance.save()
    return instance


def _sync_list(existing: list, wanted: list[dict], make, *, start: int = 0) -> list:
    """Make the ordered rows ``existing`` equal ``wanted``, matched by position."""
    rows = []
    for i, fields in enumerate(wanted):
        row = existing[i] if i < len(existing) else make()
        rows.append(_put(row, position=start + i, **fields))
    for row in existing[len(wanted) :]:
        row.delete()
    return rows


def _singleton(row, wanted: dict | None, make) -> None:
    """Make the single row ``row`` (or its absence) equal ``wanted`` (None: no row)."""
    if wanted is None:
        if row is not None:
            row.delete()
    else:
        _put(row or make(), **wanted)


def _figures(item, names) -> dict:
    fields = {}
    for name in names:
        value = getattr(item, name)
        text = value if isinstance(value, str) else ""
        fields[name] = None if isinstance(value, str) else value
        fields[f"{name}_text"] = text
    return fields


def _goal_key(row) -> tuple[str, int]:
    for level in ("direction_goal", "area_goal", "board_goal", "commitment"):
        goal_id = getattr(row, f"{level}_id", None)
        if goal_id is not None:
            return level, goal_id
    raise ValueError(f"{row!r} hör inte till något mål.")


@transaction.atomic
def _write(data: ReportData) -> Report:
    organisation = data.organisation
    municipality, _ = Municipality.objects.get_or_create(name=organisation.municipality)
    board, _ = Board.objects.get_or_create(municipality=municipality, name=organisation.board)
    _put(board, administration=organisation.administration or "")
    unit = None
    if organisation.unit:
        unit, _ = Unit.objects.get_or_create(board=board, name=organisation.unit)
    report, _ = Report.objects.get_or_create(
        board=board, unit=unit, year=data.year, period=data.period
    )
    if report.status != Report.Status.DRAFT:
        raise InvalidDocument(
            [
                Problem(
                    "period",
                    f"{report} har status ”{report.get_status_display()}” och kan inte skrivas "
                    "över av en import. Bara ett utkast kan ändras; öppna rapporten igen först.",
                )
            ]
        )
    _put(report, source_anomalies=list(data.anomalies))
    _Writer(report).write(data)
    return report


class _Writer:
    """Writes one report's data: upserts the plan, makes the report's rows equal the data."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.board = board = report.board
        self.unit = unit = report.unit
        self.year = year = report.year
        self.positions = defaultdict(itertools.count)
        # the plan of the year, by natural key
        self.direction_goals = {
            g.number: g
            for g in DirectionGoal.objects.filter(municipality=board.municipality, year=year)
        }
        self.area_goals = {
            (g.direction_goal_id, g.number): g
            for g in AreaGoal.objects.filter(
                direction_goal__municipality=board.municipality, direction_goal__year=year
            )
        }
        self.board_goals = {g.number: g for g in BoardGoal.objects.filter(board=board, year=year)}
        self.commitments = {}
        if unit:
            self.commitments = {
                (c.board_goal_id, c.title): c
                for c in Commitment.objects.filter(
                    unit=unit, board_goal__board=board, board_goal__year=year
                )
            }
        plan_goals = ("area_goal", "board_goal", "commitment__board_goal")
        self.indicators = {
            (_goal_key(i), i.name): i
            for i in Indicator.objects.filter(board=board, year=year).select_related(*plan_goals)
        }
        self.activities = {
            (_goal_key(a), a.title): a for a in Activity.objects.filter(board=board, year=year)
        }
        self.areas = {a.name: a for a in OperatingArea.objects.filter(board=board, year=year)}
        self.targets = {
            t.indicator_id: t
            for t in IndicatorTarget.objects.filter(
                indicator__board=board, indicator__year=year, period=report.period
            )
        }
        # the report's own rows; what is left in these at the end is deleted
        self.assessments = {_goal_key(a): a for a in report.goal_assessments.all()}
        self.values = {v.indicator_id: v for v in report.indicator_values.all()}
        self.follow_ups = {f.activity_id: f for f in report.activity_follow_ups.all()}
        self.budget_rows = {r.area_id: r for r in report.operating_budget_rows.all()}
        self.imported_indicators: list[Indicator] = []

    def upsert(self, cache: dict, key, make, **fields):
        instance = cache.get(key) or make()
        cache[key] = _put(instance, **fields)
        return instance

    def write(self, data: ReportData) -> None:
        for direction_goal in data.direction_goals:
            self.direction_goal(direction_goal)
        self.link_predecessors()
        self.economy(data.economy)
        self.sections(data)
        self.cover(data.cover)
        for rows in (self.assessments, self.values, self.follow_ups, self.budget_rows):
            for row in rows.values():
                row.delete()

    # -- goals, indicators, activities

    def assess(self, level: str, goal, item) -> None:
        row = self.assessments.pop((level, goal.pk), None)
        row = row or GoalAssessment(report=self.report, **{level: goal})
        _put(row, assessment=item.assessment or "", analysis=item.analysis or "")

    def direction_goal(self, item: DirectionGoalData) -> None:
        municipality = self.board.municipality
        goal = self.upsert(
            self.direction_goals,
            item.number,
            lambda: DirectionGoal(municipality=municipality, year=self.year, number=item.number),
            title=item.title,
            position=next(self.positions[DirectionGoal]),
        )
        self.assess("direction_goal", goal, item)
        for area_goal in item.area_goals:
            self.area_goal(goal, area_goal)

    def area_goal(self, direction_goal: DirectionGoal, item: AreaGoalData) -> None:
        goal = self.upsert(
            self.area_goals,
            (direction_goal.pk, item.number),
            lambda: AreaGoal(direction_goal=direction_goal, number=item.number),
            title=item.title,
            position=next(self.positions[AreaGoal]),
        )
        self.assess("area_goal", goal, item)
        self.goal_items("area_goal", goal, item)
        for board_goal in item.board_goals:
            self.board_goal(goal, board_goal)

    def board_goal(self, area_goal: AreaGoal, item: BoardGoalData) -> None:
        goal = self.upsert(
            self.board_goals,
            item.number,
            lambda: BoardGoal(board=self.board, year=self.year, number=item.number),
            area_goal_id=area_goal.pk,
            title=item.title,
            description=item.description or "",
            expected_results=list(item.expected_results),
            position=next(self.positions[BoardGoal]),
        )
        self.assess("board_goal", goal, item)
        self.goal_items("board_goal", goal, item)
        for commitment in item.commitments:
            self.commitment(goal, commitment)

    def commitment(self, board_goal: BoardGoal, item: CommitmentData) -> None:
        goal = self.upsert(
            self.commitments,
            (board_goal.pk, item.title),
            lambda: Commitment(unit=self.unit, board_goal=board_goal, title=item.title),
            expected_results=list(item.expected_results),
            position=next(self.positions[Commitment]),
        )
        self.assess("commitment", goal, item)
        self.goal_items("commitment", goal, item)

    def goal_items(self, level: str, goal, item) -> None:
        for indicator in item.indicators:
            self.indicator(level, goal, indicator)
        for activity in item.activities:
            self.activity(level, goal, activity)

    def indicator(self, level: str, goal, item: IndicatorData) -> None:
        indicator = self.upsert(
            self.indicators,
            ((level, goal.pk), item.name),
            lambda: Indicator(board=self.board, year=self.year, name=item.name, **{level: goal}),
            kind=item.kind or "",
            unit=item.unit or "",
            direction=item.direction or "",
            gender_split_required=item.gender_split_required,
            position=next(self.positions[Indicator]),
        )
        self.imported_indicators.append(indicator)
        target = self.targets.get(indicator.pk)
        _put(
            target or IndicatorTarget(indicator=indicator, period=self.report.period),
            **_figures(item, TARGET_FIGURES),
        )
        value = self.values.pop(indicator.pk, None)
        _put(
            value or IndicatorValue(report=self.report, indicator=indicator),
            **_figures(item, VALUE_FIGURES),
            period_label=item.period_label or "",
            analysis=item.analysis or "",
        )

    def activity(self, level: str, goal, item: ActivityData) -> None:
        activity = self.upsert(
            self.activities,
            ((level, goal.pk), item.title),
            lambda: Activity(board=self.board, year=self.year, title=item.title, **{level: goal}),
            kind=item.kind or "",
            start_date=item.start_date,
            end_date=item.end_date,
            position=next(self.positions[Activity]),
        )
        follow_up = self.follow_ups.pop(activity.pk, None)
        _put(
            follow_up or ActivityFollowUp(report=self.report, activity=activity),
            status=item.status or "",
            deviation=item.deviation or "",
            analysis=item.analysis or "",
        )

    def link_predecessors(self) -> None:
        """Link each imported indicator to last year's indicator of the same name, and next
        year's indicators of that name that have no predecessor to it. Links already made
        are kept."""
        imported = self.imported_indicators
        names = {i.name for i in imported}
        goals = ("area_goal", "board_goal", "commitment__board_goal")
        earlier = list(
            Indicator.objects.filter(
                board=self.board, year=self.year - 1, name__in=names
            ).select_related(*goals)
        )
        later = Indicator.objects.filter(
            board=self.board, year=self.year + 1, name__in=names, predecessor__isnull=True
        ).select_related(*goals)
        for indicator in imported:
            if indicator.predecessor_id is None:
                match = _same_indicator(indicator, earlier)
                if match:
                    _put(indicator, predecessor_id=match.pk)
        for successor in later:
            match = _same_indicator(successor, imported)
            if match:
                _put(successor, predecessor_id=match.pk)

    # -- economy, sections, cover memo

    def economy(self, economy: EconomyData | None) -> None:
        report = self.report
        economy = economy or EconomyData(None, (), (), (), ())
        _singleton(
            EconomyText.objects.filter(report=report).first(),
            {"analysis": economy.analysis} if economy.analysis else None,
            lambda: EconomyText(report=report),
        )
        adjustments = defaultdict(list)
        for adjustment in BudgetAdjustment.objects.filter(row__report=report).order_by(
            "position", "pk"
        ):
            adjustments[adjustment.row_id].append(adjustment)
        for item in economy.operating_budget:
            area = self.upsert(
                self.areas,
                item.area,
                partial(OperatingArea, board=self.board, year=self.year, name=item.area),
                position=next(self.positions[OperatingArea]),
            )
            row = self.budget_rows.pop(area.pk, None)
            row = _put(
                row or OperatingBudgetRow(report=report, area=area),
                previous_year_outcome=item.previous_year_outcome,
                budget=item.budget,
                outcome=item.outcome,
                forecast=item.forecast,
                comment=item.comment or "",
            )
            _sync_list(
                adjustments[row.pk],
                [{"label": a.label, "amount": a.amount} for a in item.adjustments],
                lambda row=row: BudgetAdjustment(row=row),
            )
        _sync_list(
            list(report.income_statement_rows.order_by("position", "pk")),
            [
                {
                    "label": r.label,
                    "kind": r.kind,
                    "budget": r.budget,
                    "outcome": r.outcome,
                    "previous_budget": r.previous_budget,
                    "previous_outcome": r.previous_outcome,
                }
                for r in economy.income_statement
            ],
            lambda: IncomeStatementRow(report=report),
        )
        _sync_list(
            list(report.investment_rows.order_by("position", "pk")),
            [
                {
                    "category": r.category,
                    "budget": r.budget,
                    "outcome": r.outcome,
                    "forecast": r.forecast,
                    "previous_forecast": r.previous_forecast,
                }
                for r in economy.investments
            ],
            lambda: InvestmentRow(report=report),
        )
        table_rows = defaultdict(list)
        for row in EconomyTableRow.objects.filter(table__report=report).order_by("position", "pk"):
            table_rows[row.table_id].append(row)
        tables = _sync_list(
            list(report.economy_tables.order_by("position", "pk")),
            [{"title": t.title, "columns": list(t.columns)} for t in economy.tables],
            lambda: EconomyTable(report=report),
        )
        for table, item in zip(tables, economy.tables, strict=True):
            _sync_list(
                table_rows[table.pk],
                [
                    {"label": r.label, "values": list(r.values), "is_total": r.is_total}
                    for r in item.rows
                ],
                lambda table=table: EconomyTableRow(table=table),
            )

    def sections(self, data: ReportData) -> None:
        report = self.report
        sections = list(report.sections.order_by("position", "pk"))
        by_kind = {s.kind: s for s in sections if s.kind != Section.Kind.OTHER}
        _singleton(
            by_kind.get(Section.Kind.SUMMARY),
            {"text": data.summary, "position": 0} if data.summary else None,
            lambda: Section(report=report, kind=Section.Kind.SUMMARY),
        )
        control = data.internal_control
        _singleton(
            by_kind.get(Section.Kind.INTERNAL_CONTROL),
            {
                "assessment": _control_value(control.assessment or "") or "",
                "text": control.analysis or "",
                "position": 1,
            }
            if control
            else None,
            lambda: Section(report=report, kind=Section.Kind.INTERNAL_CONTROL),
        )
        _sync_list(
            [s for s in sections if s.kind == Section.Kind.OTHER],
            [{"title": s.title, "text": s.text or ""} for s in data.other_sections],
            lambda: Section(report=report, kind=Section.Kind.OTHER),
            start=2,
        )

    def cover(self, cover: CoverData | None) -> None:
        report = self.report
        memo = CoverMemo.objects.filter(report=report).first()
        if cover is None:
            if memo is not None:
                memo.delete()
            return
        memo = _put(
            memo or CoverMemo(report=report),
            case_officer=cover.case_officer or "",
            phone=cover.phone or "",
            to=cover.to or "",
            date=cover.date,
            title=cover.title or "",
        )
        _sync_list(
            list(memo.proposed_decisions.all()),
            [{"text": text} for text in cover.proposed_decisions],
            lambda: ProposedDecision(cover_memo=memo),
        )
        _sync_list(
            list(memo.signatories.all()),
            [{"name": s.name, "title": s.title} for s in cover.signatories],
            lambda: Signatory(cover_memo=memo),
        )
        _sync_list(
            list(memo.attachments.all()),
            [{"title": title} for title in cover.attachments],
            lambda: MemoAttachment(cover_memo=memo),
        )


def _goal_number(indicator: Indicator) -> tuple:
    if indicator.commitment_id:
        return ("commitment", indicator.commitment.board_goal.number, indicator.commitment.title)
    goal = indicator.area_goal if indicator.area_goal_id else indicator.board_goal
    return ("area_goal" if indicator.area_goal_id else "board_goal", goal.number)


def _same_indicator(indicator: Indicator, candidates: list[Indicator]) -> Indicator | None:
    """The one candidate with the indicator's name; among several, the one under a goal with
    the same number; None when that does not settle it."""
    same = [c for c in candidates if c.name == indicator.name and c.pk != indicator.pk]
    if len(same) > 1:
        same = [c for c in same if _goal_number(c) == _goal_number(indicator)]
    return same[0] if len(same) == 1 else None
