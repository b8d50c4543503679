"""What an import file must satisfy before the JSON parser sees it (issue 14, defect 5).

``check(raw)`` reads the file once, cheaply, and refuses with a located Swedish message:

- a file larger than ``settings.IMPORT_MAX_BYTES`` (default 10 MB), before anything else;
- bytes that are not UTF-8 (line and column of the first bad byte);
- nesting deeper than the schema's own depth plus a margin (``max_depth()``): a file of a
  thousand ``[`` would otherwise exhaust the parser's recursion;
- a number longer than ``MAX_NUMBER_CHARS`` characters (no column holds more than 16 digits; a
  number of thousands of digits would otherwise make the parser or ``int()`` fail);
- ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON numbers.

It returns the text. Syntax errors are left to the parser, which names their place too.
"""

import json
import re
from functools import cache

from django.conf import settings

from .validate import InvalidDocument, Problem

MAX_NUMBER_CHARS = 40
DEPTH_MARGIN = 2
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_TOKENS = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|-?Infinity|NaN|-?[0-9][0-9.eE+-]*', re.DOTALL
)


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@cache
def max_depth() -> int:
    """How deep the schema nests objects and arrays, plus a margin."""
    schema = json.loads(settings.INTERCHANGE_SCHEMA.read_text(encoding="utf-8"))
    definitions = schema.get("$defs", {})

    def depth(node, seen: frozenset) -> int:
        if isinstance(node, list):
            return max((depth(n, seen) for n in node), default=0)
        if not isinstance(node, dict):
            return 0
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name in seen:
                return 0
            return depth(definitions.get(name, {}), seen | {name})
        kinds = node.get("type", [])
        kinds = {kinds} if isinstance(kinds, str) else set(kinds)
        own = 1 if kinds & {"object", "array"} else 0
        children = [
            *node.get("properties", {}).values(),
            *[node[key] for key in ("items", "additionalProperties") if key in node],
            *node.get("anyOf", []),
            *node.get("oneOf", []),
            *node.get("allOf", []),
        ]
        return own + max((depth(c, seen) for c in children), default=0)

    return depth(schema, frozenset()) + DEPTH_MARGIN


def place(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"rad {line}, kolumn {column}"


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB".replace(".", ",")


def check(raw: str | bytes) -> str:
    """The file as text, if it is within bounds; ``InvalidDocument`` with a place otherwise."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > max_bytes():
        raise InvalidDocument(
            [
                Problem(
                    "",
                    f"filen är {_size(size)}; en import får vara högst {_size(max_bytes())}",
                )
            ]
        )
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            start = error.start
            line_start = raw.rfind(b"\n", 0, start) + 1
            column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
            line = raw.count(b"\n", 0, start) + 1
            raise InvalidDocument(
                [
                    Problem(
                        f"rad {line}, kolumn {column}",
                        f"filen är inte text i UTF-8 (byte {start + 1} är 0x{raw[start]:02x})",
                    )
                ]
            ) from None
    else:
        text = raw
    text = text.removeprefix("\ufeff")
    limit = max_depth()
    depth = 0
    for token in _TOKENS.finditer(text):
        kind = token.group()[0]
        if kind == '"':
            continue
        if kind in "[{":
            depth += 1
            if depth > limit:
                raise InvalidDocument(
                    [
                        Problem(
                            place(text, token.start()),
                            f"filen är nästlad djupare än {limit} nivåer, djupare än "
                            "utbytesformatet någonsin går",
                        )
                    ]
                )
        elif kind in "]}":
            depth -= 1
        elif token.group().lstrip("-") in ("NaN", "Infinity"):
            raise InvalidDocument(
                [
                    Problem(
                        place(text, token.start()),
                        f"inte giltig JSON: {token.group()} är inte ett tal i JSON",
                    )
                ]
            )
        elif len(token.group()) > MAX_NUMBER_CHARS:
            raise InvalidDocument(
                [
                    Problem(
                        place(text, token.start()),
                        f"talet är {len(token.group())} tecken långt; ett tal i filen får vara "
                        f"högst {MAX_NUMBER_CHARS} tecken",
                    )
                ]
            )
    return text
