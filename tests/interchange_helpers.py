"""What an interchange document should look like after import and export.

``canonical(document)`` applies the importer's documented normalisation to a document written
by hand, independently of the importer: it walks the schema itself. ``numbers(document)``
makes numbers comparable (``Decimal(str(x))``), so an export can be compared with
``canonical(input)`` as a whole.
"""

import copy
import json
from decimal import Decimal

from django.conf import settings

SCHEMA = json.loads(settings.INTERCHANGE_SCHEMA.read_text(encoding="utf-8"))
# Optional keys exported only when they hold something, so that a document without them
# exports unchanged; inside them a null figure means the same as an absent one.
OMITTED_WHEN_EMPTY = ("given", "given_totals", "adjustment_kinds")
CONTROL_SCALE = ("Tillräcklig", "Delvis tillräcklig", "Ej tillräcklig")


def _resolve(schema: dict) -> dict:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return {**SCHEMA["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _types(schema: dict) -> set:
    kinds = schema.get("type", [])
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    if None in schema.get("enum", []):
        kinds.add("null")
    return kinds


def _empty(schema: dict):
    """The value an absent key stands for: the schema's default, else the empty value."""
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    kinds = _types(schema)
    if "array" in kinds:
        return []
    if "null" in kinds:
        return None
    if kinds == {"boolean"}:
        return False
    if kinds == {"string"}:
        return ""
    raise AssertionError(f"an absent key with no empty value: {schema}")


def _walk(value, schema: dict, *, keyed: bool = True):
    """``keyed``: the value of an object's key, where "" means null. A list's items (the free
    table cells) are kept as given."""
    schema = _resolve(schema)
    if keyed and value in ("", None) and "default" in schema:
        return copy.deepcopy(schema["default"])
    if keyed and value == "" and "null" in _types(schema):
        return None
    if isinstance(value, dict) and "properties" in schema:
        walked = {}
        for key, sub in schema["properties"].items():
            if key in OMITTED_WHEN_EMPTY:
                kept = _without_nulls(value.get(key))
                if kept:
                    walked[key] = kept
            else:
                walked[key] = _walk(value[key], sub) if key in value else _empty(_resolve(sub))
        return walked
    if isinstance(value, list) and "items" in schema:
        return [_walk(item, schema["items"], keyed=False) for item in value]
    return value


def _without_nulls(value):
    """An optional figure object without its null (or empty) members."""
    if isinstance(value, dict):
        kept = {key: _without_nulls(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in (None, {}, [])}
    return value


def numbers(document):
    """Every number as ``Decimal(str(x))`` (booleans stay booleans)."""
    if isinstance(document, dict):
        return {key: numbers(value) for key, value in document.items()}
    if isinstance(document, list):
        return [numbers(value) for value in document]
    if isinstance(document, int | float) and not isinstance(document, bool):
        return Decimal(str(document))
    return document


def canonical(document: dict) -> dict:
    """The document as the importer's normalisation makes it, numbers as Decimal."""
    result = _walk(copy.deepcopy(document), SCHEMA)
    economy = result["economy"]
    if economy is not None and not any(economy.values()):
        result["economy"] = None
    control = result["internal_control"]
    if control is not None:
        if control["assessment"] is not None:
            spelt = {label.casefold(): label for label in CONTROL_SCALE}
            control["assessment"] = spelt[control["assessment"].strip().casefold()]
        if control["assessment"] is None and control["analysis"] is None:
            result["internal_control"] = None
    return numbers(result)
