"""A report's data as a document: the web page, the print HTML and the PDF.

Every renderer is a small function of ``ReportData`` (``reporting.assemble``); nothing here
queries the database. Screen and print share one template, ``reporting/_document.html``; the
print wrapper (``reporting/report_print.html``) adds the cover memo, the table of contents and
the page rules. The PDF is that print HTML through WeasyPrint:

- ``render_html(data)``: the document as an HTML fragment, as on the report page;
- ``render_print_html(data, memo_only=False)``: exactly the HTML WeasyPrint receives;
- ``render_pdf(data, memo_only=False)``: a tagged PDF/A-3a with the report's data attached
  as ``rapportdata.json`` (the interchange document);
- ``goal_anchor(number)``: the id of a goal's heading (``1.4.1`` -> ``mal-1-4-1``), which
  other pages link to.

Tables are built here as rows of cells (``Table``), so that the HTML and any other export
(Excel) print the same figures; derived figures come from the dataclasses' properties.
"""

import json
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from urllib.parse import unquote, urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from budget import arithmetic
from goals.models import Assessment

from . import text as plain_text
from .document import (
    DEFAULT_TEMPLATE,
    EconomyData,
    EconomySubsectionData,
    ReportData,
    SectionData,
    TemplateData,
)
from .interchange import to_json
from .levels import goal_anchor
from .numbers import format_amount, format_figure, format_number
from .tree import economy_subsection_anchor

same_label = arithmetic.same_label

__all__ = [
    "Document",
    "goal_anchor",
    "pdf_filename",
    "render_html",
    "render_pdf",
    "render_print_html",
    "rich_text",
]

PDF_VARIANT = "pdf/a-3a"  # archival (PDF/A-3), tagged (level a), attachments allowed (3)
ATTACHMENT_NAME = "rapportdata.json"
# An indicator's or activity's analysis longer than this goes after the table, not in a row:
# a table row never splits across pages, so a long one would not fit.
ANALYSIS_ROW_LIMIT = 1200
# Förbrukning is compared with the share of the year that has passed.
GUIDE_VALUES = arithmetic.GUIDE_VALUES

STYLESHEETS = ("css/document.css", "css/print.css")


def goal_label(number: str, level: str) -> str:
    """How a goal's number is printed before its title: ``1.``, ``1.1``, ``1.1.1``."""
    number = (number or "").strip()
    if level == "direction_goal" and number and not number.endswith("."):
        return f"{number}."
    return number


# -- text -----------------------------------------------------------------------------------

_PIPE_LINE = re.compile(r"(^\|\s)|(\s\|\s)|(\s\|$)")
_NUMERIC = re.compile(r"^[−+-]?\d[\d\s\u00a0\u202f]*([,.]\d+)?\s?%?$")


def _is_pipe_line(line: str) -> bool:
    # Most lines are prose without a bar: the regex runs only on the few that have one.
    return "|" in line and bool(_PIPE_LINE.search(line.strip()))


def _pipe_table(lines: list[str]) -> str:
    """Consecutive 'a | b | c' lines as a simple table, the first line as its header."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    if lines[0].lstrip().startswith("|"):  # '| 2019 | 2018': the first header cell is empty
        rows[0].insert(0, "")
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]

    def cell(tag: str, value: str, scope: str) -> str:
        numeric = ' class="num"' if _NUMERIC.match(value) else ""
        scope_attr = f' scope="{scope}"' if tag == "th" else ""
        return f"<{tag}{scope_attr}{numeric}>{escape(value)}</{tag}>"

    head = "".join(cell("th", value, "col") for value in rows[0])
    body = "".join(
        "<tr>"
        + cell("th", row[0], "row")
        + "".join(cell("td", value, "") for value in row[1:])
        + "</tr>"
        for row in rows[1:]
    )
    return (
        f'<table class="doc-table text-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _is_subheading(block: plain_text.Block, following: plain_text.Block | None) -> bool:
    """A short line of its own with no closing punctuation, followed by more text: printed
    bold and kept with what follows ('Ekonomiskt bistånd' above its paragraphs)."""
    if block.kind != "p" or len(block.lines) != 1 or following is None:
        return False
    line = block.lines[0].strip()
    return (
        len(line) <= 90
        and not line.endswith((".", ":", ";", ",", "!", "?"))
        and not _is_pipe_line(line)
    )


def rich_text(value: str | None, *, more_follows: bool = False) -> SafeString:
    """Plain text as safe HTML: paragraphs, "- " lists (``reporting.text``) and pipe tables
    (consecutive lines of 'a | b | c', the first line the header). A short line standing
    alone before more text (or, with ``more_follows``, last before a table) is a subheading.
    Everything is escaped."""
    parts = []
    blocks = plain_text.blocks(value)
    after = plain_text.Block("p", ("…",)) if more_follows else None
    for position, block in enumerate(blocks):
        following = blocks[position + 1] if position + 1 < len(blocks) else after
        if block.kind == "ul":
            items = "".join(f"<li>{escape(item)}</li>" for item in block.lines)
            parts.append(f"<ul>{items}</ul>")
            continue
        if _is_subheading(block, following):
            parts.append(f'<p class="text-heading">{escape(block.lines[0].strip())}</p>')
            continue
        run: list[str] = []
        kind = None
        for line in (*block.lines, None):
            line_kind = None if line is None else ("table" if _is_pipe_line(line) else "p")
            if run and line_kind != kind:
                if kind == "table" and len(run) > 1:
                    parts.append(_pipe_table(run))
                else:
                    parts.append("<p>" + "<br>".join(escape(item) for item in run) + "</p>")
                run = []
            kind = line_kind
            if line is not None:
                run.append(line)
    return mark_safe("\n".join(parts))


def fits_in_row(analysis: str | None) -> bool:
    return bool(analysis) and len(analysis) <= ANALYSIS_ROW_LIMIT


def assessment_label(value: str | None, *, forecast: bool = False, unassessed: str = "") -> str:
    """'Uppfylls helt' in every period; 'Bedöms uppfyllas helt' where the template words T1/T2
    as a forecast; an unassessed goal as the template says (nothing, 'Ingen', 'Ej bedömd')."""
    return Assessment.label_for(value or "", forecast=forecast, unassessed=unassessed)


# -- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: object  # Decimal, str or None: what an Excel cell would hold
    text: str  # as printed
    numeric: bool = True


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    label_header: str  # the first column's header, e.g. "Verksamhetsområde, mnkr"
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""


def _amount(value: Decimal | None) -> Cell:
    return Cell(value, format_amount(value))


def _percent(value: Decimal | None) -> Cell:
    if value is None:
        return Cell(None, "")
    return Cell(value, format_figure(value * 100, "%", decimals=1))


def _given(value) -> Cell:
    """A cell of a free economy table, printed with the decimals it was given."""
    if value is None or value == "":
        return Cell(None, "", numeric=False)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return Cell(value, str(value), numeric=False)
    number = Decimal(str(value))
    decimals = max(0, -number.as_tuple().exponent)
    return Cell(number, format_number(number, decimals))


def operating_budget_table(data: ReportData) -> Table | None:
    """Driftbudget per verksamhetsområde, with 'Nämnden totalt'. The adjustment columns are
    the period's (``EconomyData.adjustment_columns``): T1/T2 always print their three fixed
    columns, a VB the board's adjustment kinds in their order. A figure the report carries as
    given (a published report's) is printed as given; every other is computed."""
    economy = data.economy
    if economy is None or not economy.operating_budget:
        return None
    year, tertial = data.year, data.is_tertial
    labels = economy.adjustment_columns(tertial=tertial)
    columns = (
        f"Bokslut {year - 1}",
        f"Budget {year}",
        f"Prognos {year}" if tertial else f"Bokslut {year}",
        "Avvikelse",
        *labels,
        "Justerad avvikelse",
    )
    rows = [
        Row(
            label=row.area,
            cells=(
                _amount(row.previous_year_outcome),
                _amount(row.budget),
                _amount(row.forecast if tertial else row.outcome),
                _amount(row.shown("deviation")),
                *(_amount(row.adjustment(label)) for label in labels),
                _amount(row.shown("adjusted_deviation")),
            ),
        )
        for row in economy.operating_budget
    ]
    total = economy.operating_budget_total_for(labels)
    rows.append(
        Row(
            label="Nämnden totalt",
            cells=(
                _amount(total.previous_year_outcome),
                _amount(total.budget),
                _amount(total.forecast if tertial else total.outcome),
                _amount(total.deviation),
                *(
                    _amount(a.amount if _any_amount(economy, a.label) else None)
                    for a in total.adjustments
                ),
                _amount(total.adjusted_deviation),
            ),
            is_total=True,
        )
    )
    return Table(
        id="driftbudget",
        caption=f"Driftbudget {year} per verksamhetsområde",
        label_header="Verksamhetsområde, mnkr",
        columns=columns,
        rows=tuple(rows),
    )


def _any_amount(economy: EconomyData, label: str) -> bool:
    """Whether a row, or the given total, has an amount in the adjustment column ``label``:
    an empty column prints empty, also on the total row."""
    given = economy.given_totals.operating_budget if economy.given_totals else {}
    in_given = any(same_label(g, label) for g in given.get("adjustments") or {})
    return in_given or any(row.adjustment(label) is not None for row in economy.operating_budget)


@dataclass(frozen=True)
class AreaComment:
    """The comment on one verksamhetsområde, headed 'Barn och ungdom +5,9 mnkr'."""

    heading: str
    text: str


def area_comments(economy: EconomyData | None) -> tuple[AreaComment, ...]:
    """One comment per area that has one, headed by the area and its (adjusted) deviation.

    The figure in the heading is computed; a first line typed as such a heading ('Hemtjänst
    −9,5 mnkr') is left out, so that the printed figure is always the table's."""
    comments = []
    for row in economy.operating_budget if economy else ():
        if not row.comment:
            continue
        deviation = row.shown("adjusted_deviation")
        heading = (
            row.area
            if deviation is None
            else f"{row.area} {format_amount(deviation, sign=True)} mnkr"
        )
        text = row.comment
        first, _, rest = text.strip().partition("\n\n")
        if "\n" not in first and first.startswith(row.area) and first.rstrip().endswith("mnkr"):
            text = rest
        comments.append(AreaComment(heading=heading, text=text))
    return tuple(comments)


def income_statement_table(data: ReportData) -> Table | None:
    """Resultaträkning per intäkts- och kostnadsslag, with the sums and the net."""
    economy = data.economy
    if economy is None or not economy.income_statement:
        return None
    year = data.year
    if data.is_tertial:  # years left to right, oldest first
        columns = (
            f"Budget {year - 1}",
            f"Utfall {data.period} {year - 1}",
            f"Förbrukning {year - 1}",
            f"Budget {year}",
            f"Utfall {data.period} {year}",
            f"Förbrukning {year}",
        )

        def cells(row):
            return (
                _amount(row.previous_budget),
                _amount(row.previous_outcome),
                _percent(row.previous_consumption),
                _amount(row.budget),
                _amount(row.outcome),
                _percent(row.consumption),
            )

        guide = format_figure(GUIDE_VALUES[data.period] * 100, "%", decimals=1)
        note = f"Riktvärde för förbrukningen i {data.period}: {guide} av årets budget."
    else:
        columns = (f"Utfall {year - 1}", f"Utfall {year}", "Förändring")

        def cells(row):
            return (
                _amount(row.previous_outcome),
                _amount(row.outcome),
                _amount(row.shown("change")),
            )

        note = ""
    rows = []
    for kind in ("income", "cost"):
        of_kind = [r for r in economy.income_statement if r.kind == kind]
        rows += [Row(label=r.label, cells=cells(r)) for r in of_kind]
        if of_kind:
            total = economy.income_statement_total(kind)
            rows.append(Row(label=total.label, cells=cells(total), is_total=True))
    net = economy.income_statement_total()
    rows.append(Row(label=net.label, cells=cells(net), is_total=True))
    return Table(
        id="resultatrakning",
        caption="Resultaträkning per intäkts- och kostnadsslag",
        label_header="Intäkts- och kostnadsslag, mnkr",
        columns=columns,
        rows=tuple(rows),
        note=note,
    )


def investments_table(data: ReportData) -> Table | None:
    """Investeringar per kategori, with a sum. A VB also shows the deviation from the
    forecast given in T2 (that forecast − bokslut)."""
    economy = data.economy
    if economy is None or not economy.investments:
        return None
    year = data.year
    if data.is_tertial:
        columns = (f"Budget {year}", f"Prognos {year}", "Avvikelse")

        def cells(row):
            return (_amount(row.budget), _amount(row.forecast), _amount(row.shown("deviation")))
    else:
        columns = (f"Budget {year}", f"Bokslut {year}", "Avvikelse", f"Avvikelse prognos T2 {year}")

        def cells(row):
            return (
                _amount(row.budget),
                _amount(row.outcome),
                _amount(row.shown("deviation")),
                _amount(row.shown("forecast_deviation")),
            )

    rows = [Row(label=row.category, cells=cells(row)) for row in economy.investments]
    rows.append(Row(label="Summa", cells=cells(economy.investments_total), is_total=True))
    return Table(
        id="investeringar",
        caption=f"Investeringar {year}",
        label_header="Investeringar, mnkr",
        columns=columns,
        rows=tuple(rows),
    )


def free_tables(data: ReportData) -> tuple[Table, ...]:
    """The economy's own tables, cells as they were given."""
    tables = []
    for number, table in enumerate(data.economy.tables if data.economy else (), start=1):
        width = len(table.columns)
        rows = []
        for row in table.rows:
            values = list(row.values)[:width]
            values += [None] * (width - len(values))
            rows.append(
                Row(
                    label=row.label,
                    cells=tuple(_given(value) for value in values),
                    is_total=row.is_total,
                )
            )
        tables.append(
            Table(
                id=f"ekonomitabell-{number}",
                caption=table.title,
                label_header="",
                columns=tuple(table.columns),
                rows=tuple(rows),
            )
        )
    return tuple(tables)


# -- the economy's subsections -----------------------------------------------------------------

# A line of its own in a subsection's text that places the subsection's next table there.
TABLE_MARK = re.compile(r"^\s*\[tabell\]\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Part:
    """A piece of a subsection in print order: a text, a table, or the operating areas'
    comments (after the text that follows the operating budget)."""

    kind: str  # "text", "table" or "area_comments"
    text: str = ""
    table: Table | None = None
    before_table: bool = False  # a text a table follows

    @property
    def html(self) -> SafeString:
        """The text as HTML; a short line last before a table is that table's subheading."""
        return rich_text(self.text, more_follows=self.before_table)


@dataclass(frozen=True)
class Subsection:
    anchor: str
    heading: str
    parts: tuple[Part, ...]
    key: str = ""


def economy_subsections(
    economy: EconomyData | None, tables: dict, area_comments: tuple
) -> tuple[Subsection, ...]:
    """The economy's subsections as printed (``EconomyData.layout``): each heading, its text
    and its tables, a table where a line "[tabell]" stands in the text (in order) and the
    rest after the text. A subsection with neither text nor a table with rows is left out; a
    built-in table is printed once, where it first stands. ``tables`` maps a table's name or
    free-table index to its ``Table``."""
    if economy is None:
        return ()
    printed: set = set()
    subsections = []
    for number, subsection in enumerate(economy.layout, start=1):
        parts = _subsection_parts(subsection, tables, printed, area_comments)
        if parts:
            anchor = economy_subsection_anchor(number)
            subsections.append(Subsection(anchor, subsection.heading, parts, subsection.key))
    return tuple(subsections)


def _subsection_parts(
    subsection: EconomySubsectionData, tables: dict, printed: set, area_comments: tuple
) -> tuple[Part, ...]:
    queue = []
    for name in subsection.tables:
        table = tables.get(name)
        if table is not None and name not in printed:
            printed.add(name)
            queue.append(table)
    has_budget = any(table.id == "driftbudget" for table in queue)
    chunks = TABLE_MARK.split(subsection.text or "")
    parts = []
    for position, chunk in enumerate(chunks):
        placed = position < len(chunks) - 1 and bool(queue)
        if chunk.strip():
            parts.append(Part("text", text=chunk.strip("\n"), before_table=placed))
        if placed:
            parts.append(Part("table", table=queue.pop(0)))
    parts += [Part("table", table=table) for table in queue]
    if has_budget and area_comments:
        parts.append(Part("area_comments"))
    return tuple(parts)


# -- the document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    text: str


SECTION_IDS = {
    "summary": "sammanfattande-analys",
    "goals": "inriktningsmal",
    "economy": "ekonomi",
    "internal_control": "intern-kontroll",
}
# The built-in sections a template can place, with their printed headings.
BUILT_IN = {
    "summary": "Sammanfattande analys",
    "goals": "Uppföljning av Kommunfullmäktiges inriktningsmål",
    "economy": "Uppföljning av ekonomi",
    "internal_control": "Bedömning av nämndens interna kontroll",
}


@dataclass(frozen=True)
class Block:
    """One section of the printed report, in the template's order."""

    kind: str  # "summary", "goals", "economy", "internal_control" or "section" (its own)
    anchor: str
    title: str
    section: SectionData | None = None


def section_anchor(position: int) -> str:
    """The id of the n-th of the report's other sections (Kvalitetsarbete, Övrigt, ...)."""
    return f"avsnitt-{position}"


class Document:
    """What the document templates need besides the data itself: labels worded for the
    period, which columns to show, the tables and the table of contents."""

    def __init__(self, data: ReportData) -> None:
        self.data = data

    @property
    def tertial(self) -> bool:
        return self.data.is_tertial

    @property
    def template(self) -> TemplateData:
        """The report's template, or the default: the sections in their usual order,
        "Uppfylls helt" in every period, no line for an unassessed goal."""
        return self.data.template or DEFAULT_TEMPLATE

    def assessment_label(self, value: str | None) -> str:
        """The assessment line's words as the template says: "Uppfylls helt" in every period
        unless it words T1/T2 as a forecast ("Bedöms uppfyllas helt"); an unassessed goal
        prints nothing, "Ingen" or "Ej bedömd"."""
        template = self.template
        forecast = self.tertial and template.tertial_wording == "forecast"
        return assessment_label(
            value, forecast=forecast, unassessed=template.unassessed_label or ""
        )

    @property
    def owner(self) -> str:
        """Whose report it is: the unit's name, or the board's."""
        organisation = self.data.organisation
        return organisation.unit or organisation.board

    @property
    def title(self) -> str:
        """'Socialnämnden, Verksamhetsberättelse 2019': the running footer and the PDF title."""
        return f"{self.owner}, {self.data.title}"

    @property
    def memo_title(self) -> str:
        cover = self.data.cover
        return (cover.title if cover and cover.title else None) or (
            f"Tjänsteutlåtande: {self.data.title} för {self.owner}"
        )

    @property
    def author(self) -> str:
        return self.data.organisation.board

    @property
    def previous_vb_label(self) -> str:
        return f"Periodens utfall VB {self.data.year - 1}"

    @cached_property
    def show_forecast(self) -> bool:
        """Prognos helår: always in a tertial report, in a VB only when an indicator has one."""
        return self.tertial or any(i.forecast is not None for i in _all_indicators(self.data))

    @property
    def indicator_columns(self) -> int:
        return 9 if self.show_forecast else 8

    @cached_property
    def operating_budget(self) -> Table | None:
        return operating_budget_table(self.data)

    @cached_property
    def area_comments(self) -> tuple[AreaComment, ...]:
        return area_comments(self.data.economy)

    @cached_property
    def income_statement(self) -> Table | None:
        return income_statement_table(self.data)

    @cached_property
    def investments(self) -> Table | None:
        return investments_table(self.data)

    @cached_property
    def free_tables(self) -> tuple[Table, ...]:
        return free_tables(self.data)

    @cached_property
    def economy_subsections(self) -> tuple[Subsection, ...]:
        tables: dict = {
            "operating_budget": self.operating_budget,
            "income_statement": self.income_statement,
            "investments": self.investments,
        }
        tables.update(enumerate(self.free_tables))
        tables = {name: table for name, table in tables.items() if table is not None}
        return economy_subsections(self.data.economy, tables, self.area_comments)

    @property
    def economy_introduction(self) -> str | None:
        economy = self.data.economy
        return economy.introduction if economy is not None else None

    @cached_property
    def blocks(self) -> tuple["Block", ...]:
        """The report's sections in the template's order (``TemplateData.sections``): the
        built-in ones it names and has content for, each of its own sections named by title,
        and the rest of its own sections where "other" stands (or last)."""
        data = self.data
        present = {
            "summary": bool(data.summary),
            "goals": bool(data.direction_goals),
            "economy": bool(self.economy_introduction or self.economy_subsections),
            "internal_control": data.internal_control is not None,
        }
        own = list(enumerate(data.other_sections, start=1))
        by_title: dict[str, tuple[int, SectionData]] = {}
        for position, section in own:
            by_title.setdefault(section.title.strip().casefold(), (position, section))
        entries = self.template.sections
        named = {
            by_title[key][0]
            for key in (e.strip().casefold() for e in entries if e not in BUILT_IN)
            if key in by_title
        }
        rest = [(p, s) for p, s in own if p not in named]

        def section(position: int, item: SectionData) -> Block:
            return Block("section", section_anchor(position), item.title, item)

        blocks = []
        for entry in entries:
            if entry == "other":
                blocks += [section(*item) for item in rest]
                rest = []
            elif entry in BUILT_IN:
                if present[entry]:
                    blocks.append(Block(entry, SECTION_IDS[entry], BUILT_IN[entry]))
            elif entry.strip().casefold() in by_title:
                blocks.append(section(*by_title[entry.strip().casefold()]))
        blocks += [section(*item) for item in rest]
        return tuple(blocks)

    @cached_property
    def toc(self) -> tuple[TocEntry, ...]:
        """Innehållsförteckning: the sections in the template's order, under the goals the
        direction goals and the area goals, under the economy its subsections."""
        entries = []
        for block in self.blocks:
            entries.append(TocEntry(1, block.anchor, block.title))
            if block.kind == "economy":
                entries += [TocEntry(2, s.anchor, s.heading) for s in self.economy_subsections]
            if block.kind != "goals":
                continue
            for direction_goal in self.data.direction_goals:
                label = goal_label(direction_goal.number, "direction_goal")
                entries.append(
                    TocEntry(
                        2, goal_anchor(direction_goal.number), f"{label} {direction_goal.title}"
                    )
                )
                for area_goal in direction_goal.area_goals:
                    entries.append(
                        TocEntry(
                            3,
                            goal_anchor(area_goal.number),
                            f"{area_goal.number} {area_goal.title}",
                        )
                    )
        return tuple(entries)


def _all_indicators(data: ReportData):
    for direction_goal in data.direction_goals:
        for area_goal in direction_goal.area_goals:
            yield from area_goal.indicators
            for board_goal in area_goal.board_goals:
                yield from board_goal.indicators
                for commitment in board_goal.commitments:
                    yield from commitment.indicators


# -- renderers ------------------------------------------------------------------------------


def render_html(data: ReportData) -> str:
    """The document as an HTML fragment: what the report page shows."""
    return render_to_string("reporting/_document.html", {"doc": Document(data)})


def render_print_html(data: ReportData, *, memo_only: bool = False) -> str:
    """The whole print document, exactly as WeasyPrint receives it: the cover memo, the
    title, the table of contents and the document (or the memo alone)."""
    doc = Document(data)
    template = "reporting/memo_print.html" if memo_only else "reporting/report_print.html"
    return render_to_string(
        template,
        {
            "doc": doc,
            "title": doc.memo_title if memo_only else doc.title,
            "page_css": mark_safe(_page_css(doc.title)),
            "styles": mark_safe(_stylesheets()),
        },
    )


def render_pdf(data: ReportData, *, memo_only: bool = False) -> bytes:
    """The PDF: A4, tagged PDF/A-3a, fonts from ``static/fonts``, never the network. The
    report (not the memo alone) carries its data as the attachment ``rapportdata.json``."""
    html = render_print_html(data, memo_only=memo_only)
    attachments = []
    if not memo_only:
        document = json.dumps(to_json(data), ensure_ascii=False, indent=2).encode("utf-8")
        attachments.append(
            Attachment(
                string=document,
                name=ATTACHMENT_NAME,
                description="Rapportens data i utbytesformatet (JSON)",
                relationship="Data",
            )
        )
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT, attachments=attachments, finisher=_one_entry_per_attachment
    )


def file_stem(owner: str, period: str, year: int) -> str:
    """'Socialnamnden-VB-2019': the owner's name in ASCII, the period and the year."""
    ascii_name = unicodedata.normalize("NFKD", owner).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-") or "rapport"
    return f"{slug}-{period}-{year}"


def pdf_filename(data: ReportData, *, memo_only: bool = False) -> str:
    """'Socialnamnden-VB-2019.pdf', 'Socialnamnden-VB-2019-tjansteutlatande.pdf'."""
    suffix = "-tjansteutlatande" if memo_only else ""
    return f"{file_stem(Document(data).owner, data.period, data.year)}{suffix}.pdf"


def _css_string(value: str) -> str:
    """A CSS string literal: quotes, backslashes, line breaks and '<' escaped."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\<' else f"\\{ord(ch):x} " for ch in value
    )
    return f'"{escaped}"'


def _page_css(running_title: str) -> str:
    return (
        "@page { @bottom-left { content: " + _css_string(running_title) + "; } "
        '@bottom-right { content: counter(page) "(" counter(pages) ")"; } }'
    )


@cache
def _stylesheets() -> str:
    parts = []
    for name in STYLESHEETS:
        path = finders.find(name)
        with open(path, encoding="utf-8") as css:
            parts.append(f"/* {name} */\n{css.read()}")
    return "\n".join(parts).replace("</", "<\\/")


def _one_entry_per_attachment(document, pdf) -> None:
    """WeasyPrint 70 lists each PDF/A-3 attachment twice in the catalog's /AF; once is right."""
    files = pdf.catalog.get("AF")
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)


# -- fetching -------------------------------------------------------------------------------

# Relative and root-relative URLs in the print HTML (the fonts, '/static/fonts/...') resolve
# against the project folder; LocalFetcher serves them from the static files and refuses
# everything else, so rendering never touches the network.
BASE_URL = settings.BASE_DIR.as_uri() + "/"


class LocalFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that only reads the project's static files."""

    def fetch(self, url, headers=None):
        prefix = urljoin(BASE_URL, static(""))
        if not url.startswith(prefix):
            raise ValueError(f"Utskriften hämtar inget utifrån: {url}")
        name = unquote(url[len(prefix) :].split("?")[0].split("#")[0])
        try:
            path = finders.find(name)
        except SuspiciousFileOperation:
            path = None
        if not path:
            raise ValueError(f"Ingen statisk fil {name}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
