"""Validation: every problem of an interchange document, each with its place in the file
(``parse``, ``validate``, ``Problem``, ``InvalidDocument``)."""

import json
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.db import models
from jsonschema import Draft202012Validator, FormatChecker

from budget.models import (
    AdjustmentKind,
    BudgetAdjustment,
    EconomySubsection,
    EconomyTable,
    EconomyTableRow,
    IncomeStatementRow,
    InvestmentRow,
    OperatingArea,
    OperatingBudgetRow,
)
from goals.models import (
    Activity,
    AreaGoal,
    BoardGoal,
    Commitment,
    DirectionGoal,
)
from indicators.models import VALUE_FIGURES, Indicator, IndicatorTarget, IndicatorValue

from .. import bounds
from ..document import control_value
from ..models import (
    Board,
    CoverMemo,
    InternalControlAssessment,
    MemoAttachment,
    Municipality,
    ReportTemplate,
    Section,
    Signatory,
    Unit,
)
from .export import TARGET_FIGURES, YEARS


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
    JSON. NaN and Infinity are refused: they are not JSON numbers. The file's size, encoding,
    nesting and number lengths are checked first (``guard.check``)."""
    from .guard import check

    text = check(text)
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
    forbidden = list(_character_problems(document, ""))
    if forbidden:  # the other messages could quote the text, which cannot even be printed
        return forbidden
    problems = [
        *_long_texts(document, ""),
        *_schema_problems(document),
        *_Checker(document).problems,
    ]
    return list(dict.fromkeys(problems))


def _long_texts(node, path: str):
    """Every text of the document within ``bounds.TEXT_MAX_CHARS`` (columns with a shorter
    bound are checked by ``_Checker``)."""
    if isinstance(node, str):
        problem = bounds.length_problem(node, bounds.TEXT_MAX_CHARS)
        if problem:
            yield Problem(path, problem)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _long_texts(value, _join(path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _long_texts(value, _join(path, index))


def _character_problems(node, path: str):
    """NUL and lone surrogates, anywhere in the document (keys too), with their place."""
    if isinstance(node, str):
        problem = bounds.character_problem(node)
        if problem:
            yield Problem(path, problem)
    elif isinstance(node, dict):
        for key, value in node.items():
            problem = bounds.character_problem(key) if isinstance(key, str) else None
            if problem:
                yield Problem(path, f"ett nyckelnamn: {problem}")
                continue
            yield from _character_problems(value, _join(path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _character_problems(value, _join(path, index))


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
        problem = bounds.length_problem(value, bounds.max_length(model, field))
        if problem:
            self.add(path, problem)

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
            for key in ("case_officer", "phone", "to", "dnr", "title"):
                self.text(cover, "cover", key, CoverMemo, key)
            for signatory, path in _items(cover, "signatories", "cover"):
                self.text(signatory, path, "name", Signatory, "name")
                self.text(signatory, path, "title", Signatory, "title")
            attachments = cover.get("attachments")
            for i, title in enumerate(attachments if isinstance(attachments, list) else []):
                self.text_value(title, f"cover.attachments[{i}]", MemoAttachment, "title")
        for section, path in _items(doc, "other_sections", ""):
            self.text(section, path, "title", Section, "title")
        template = doc.get("template")
        if isinstance(template, dict):
            self.text(template, "template", "name", ReportTemplate, "name", required=True)
            sections = template.get("sections")
            for i, title in enumerate(sections if isinstance(sections, list) else []):
                self.text_value(title, f"template.sections[{i}]", Section, "title")

    def goal(self, goal: dict, path: str, model, seen: dict, what: str) -> None:
        self.unique(goal, path, "number", seen, f"{what} med nummer")
        self.text(goal, path, "number", model, "number", required=True)
        if isinstance(goal.get("number"), str) and goal["number"].strip():
            problem = bounds.goal_number_problem(goal["number"])
            if problem:
                self.add(_join(path, "number"), problem)

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

    def given(self, figures, path: str) -> None:
        """Printed figures (``given``, ``given_totals``): each fits an amount's column."""
        if not isinstance(figures, dict):
            return
        for column, value in figures.items():
            if isinstance(value, dict):
                self.given(value, _join(path, column))
            else:
                self.number(value, _join(path, column), BudgetAdjustment, "amount")

    def economy(self, economy: dict) -> None:
        kinds: dict = {}
        labels = economy.get("adjustment_kinds")
        for i, label in enumerate(labels if isinstance(labels, list) else []):
            path = f"economy.adjustment_kinds[{i}]"
            self.text_value(label, path, AdjustmentKind, "label", required=True)
            if isinstance(label, str):
                key = label.strip().casefold()
                if key in kinds:
                    self.add(path, f"justeringen {_show(label)} förekommer redan i {kinds[key]}")
                else:
                    kinds[key] = path
        self.given(economy.get("given_totals"), "economy.given_totals")
        for key in ("operating_budget", "income_statement", "investments"):
            for row, path in _items(economy, key, "economy"):
                self.given(row.get("given"), _join(path, "given"))
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
        self.subsections(economy)

    def subsections(self, economy: dict) -> None:
        """Each subsection's heading fits; each table stands in at most one subsection, a free
        table's index names one of ``economy.tables``, a subsection's free tables in order."""
        tables = economy.get("tables")
        count = len(tables) if isinstance(tables, list) else 0
        placed: dict = {}
        for subsection, path in _items(economy, "subsections", "economy"):
            self.text(subsection, path, "heading", EconomySubsection, "heading", required=True)
            names = subsection.get("tables")
            last = -1
            for i, name in enumerate(names if isinstance(names, list) else []):
                where = _join(_join(path, "tables"), i)
                if isinstance(name, bool) or not isinstance(name, int | str):
                    continue
                if isinstance(name, int):
                    if name >= count:
                        self.add(where, f"det finns ingen tabell {name} i economy.tables")
                        continue
                    if name < last:
                        self.add(where, "ett delavsnitts egna tabeller står i tabellernas ordning")
                    last = max(last, name)
                if name in placed:
                    self.add(where, f"tabellen står redan i {placed[name]}")
                else:
                    placed[name] = path


def _date_or_none(value) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


_control_value = control_value
