"""The plain-text convention of the interchange format, turned into safe HTML.

Paragraphs are separated by a blank line; a line starting with ``- `` is a list item. Every
piece of user text is escaped: no HTML from users ever reaches a page or a PDF.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Block:
    kind: str  # "p" or "ul"
    lines: tuple[str, ...]


def blocks(text: str | None) -> list[Block]:
    """Split text into paragraphs and lists."""
    result: list[Block] = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if line.lstrip().startswith("- "):
                if paragraph:
                    result.append(Block("p", tuple(paragraph)))
                    paragraph = []
                items.append(line.lstrip()[2:].strip())
            elif items and line.startswith((" ", "\t")):
                items[-1] = f"{items[-1]} {line.strip()}"
            else:
                if items:
                    result.append(Block("ul", tuple(items)))
                    items = []
                paragraph.append(line.strip())
        if paragraph:
            result.append(Block("p", tuple(paragraph)))
        if items:
            result.append(Block("ul", tuple(items)))
    return result


def to_html(text: str | None) -> SafeString:
    """``<p>`` for paragraphs (single newlines become ``<br>``), ``<ul>`` for "- " lists."""
    parts = []
    for block in blocks(text):
        if block.kind == "ul":
            items = "".join(f"<li>{escape(item)}</li>" for item in block.lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(escape(line) for line in block.lines) + "</p>")
    return mark_safe("\n".join(parts))
