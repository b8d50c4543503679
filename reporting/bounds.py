"""Bounds on what people and files may put into a report (the foundation's part of issue 14).

Every text and number that reaches the review, the document or the export is bounded here:

- a text holds at most ``TEXT_MAX_CHARS`` characters, a title or name that the database indexes
  (a goal's title, an activity's, an indicator's name) at most ``TITLE_MAX_CHARS``, a column
  with its own ``max_length`` at most that;
- no text holds NUL (PostgreSQL refuses it) or a lone surrogate (it cannot be stored as UTF-8);
- a goal number is ASCII digits separated by dots (``1.4.2``), nothing else (``1.²`` is not a
  number a page, a PDF or a sort can rely on);
- numbers are read within their column's precision by the form fields
  (``reporting.forms.SwedishDecimalField``) and by the importer's validation.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

TEXT_MAX_CHARS = 100_000  # the demo's longest analysis is 63 338
TITLE_MAX_CHARS = 600  # 4 bytes a character at most: within an index entry (2 704 bytes)

# Text columns without a max_length of their own that are part of a unique index.
INDEXED_TEXTS = {
    ("goals", "directiongoal", "title"),
    ("goals", "areagoal", "title"),
    ("goals", "boardgoal", "title"),
    ("goals", "commitment", "title"),
    ("goals", "activity", "title"),
    ("indicators", "indicator", "name"),
}

GOAL_NUMBER = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){0,5}\.?", re.ASCII)  # 1.4.2, 3.1.1.


def max_length(model: type[models.Model], field: str) -> int:
    """The longest text the column ``model.field`` takes."""
    column = model._meta.get_field(field)
    if getattr(column, "max_length", None):
        return column.max_length
    key = (model._meta.app_label, model._meta.model_name, field)
    return TITLE_MAX_CHARS if key in INDEXED_TEXTS else TEXT_MAX_CHARS


def forbidden_character(text: str) -> tuple[int, str] | None:
    """(1-based place, description) of the first character no text may hold, or None."""
    for place, char in enumerate(text, start=1):
        code = ord(char)
        if code == 0:
            return place, "tecknet NUL (U+0000)"
        if 0xD800 <= code <= 0xDFFF:
            return place, f"ett ensamt surrogattecken (U+{code:04X})"
    return None


def character_problem(text: str) -> str | None:
    """A Swedish message when ``text`` holds a character no text may hold."""
    if "\x00" not in text and not _has_surrogate(text):
        return None
    place, what = forbidden_character(text)
    return f"texten innehåller {what} vid tecken {place}; ta bort det"


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def length_problem(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"texten är för lång: {len(text)} tecken, högst {limit} får plats"
    return None


def goal_number_problem(number: str) -> str | None:
    if GOAL_NUMBER.fullmatch(number):
        return None
    return f"målnumret ”{number[:40]}” ska bestå av siffror 0–9 åtskilda av punkter, t.ex. 1.4.2"


def validate_text(value: str) -> None:
    """A form validator: NUL and lone surrogates are refused at the field."""
    problem = character_problem(value or "")
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:] + ".", code="forbidden_character")


def validate_goal_number(value: str) -> None:
    problem = goal_number_problem(value or "")
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:] + ".", code="goal_number")
