"""Granskning: the automatic review of a report before it is submitted and approved.

``review_report(report_or_data, *, today=None) -> list[Finding]`` reads a report's assembled data
(``reporting.assemble.ReportData``) and lists what a reader would stumble on. An error
("error") blocks submission and approval (``has_blocking_findings``); a warning ("warning") is
shown but does not block. Rules that can only be sure of what they find give errors; rules that
guess (a question that may be rhetorical, a heading that may be meant to differ) give warnings.
Findings are sorted errors first, then in the order of the printed report: cover memo, summary,
goals (each goal, its texts, indicators and activities, then the goals below it), economy,
internal control, other sections.

Each finding names its place (``location``: "1.4.1 › Andel barn …", "Tjänsteutlåtande ›
Förslag till beslut 3", "Uppföljning av ekonomi › Investeringar") and, for a goal and what
belongs to it, the id of the goal's heading on the report page (``anchor``: "mal-1-4-1").

Rules (code: severity; what fires it)

Goals, indicators, activities (not in a VP, which has no outcome yet):

- ``missing_assessment``: error for an area goal, board goal or commitment without assessment;
  warning for a direction goal (the city's reports often leave those unassessed); error for an
  internal-control section without its assessment.
- ``missing_analysis``: as ``missing_assessment``, for a missing analysis text.
- ``missing_outcome``: an indicator without outcome; error in a VB, warning in T1/T2 (an
  indicator reported once a year has no outcome in a tertial, and the data has no frequency).
- ``missing_gender_split`` (error): an indicator with an outcome, ``gender_split_required`` and
  no outcome for men or for women.
- ``split_mismatch`` (error): a count (unit "st", not an average "per …") whose total is not
  men + women; any other unit (rate, index, days, …) whose total lies outside the range of men
  and women, by more than the rounding of the figures as given.
- ``percentage_out_of_range``: a "%" figure over 100 or below 0: error for a share ("Andel
  …"), warning for other percentages (budget adherence, a forecast deviation may be).
- ``assessment_contradicts_indicators`` (warning): "helt" while none of the goal's own
  indicators meets its annual target, or "ej" while all do (``indicators.status``; only
  indicators with a numeric outcome — the forecast in T1/T2 —, a numeric annual target and a
  direction count). The officer decides, so it is a warning.
- ``activity_without_status`` (error): in a VB every activity without status (by the year's
  end each one is past its end date); in T1/T2 one whose end date is before ``today``.

Cover memo:

- ``decision_figure_not_in_report`` (error): a figure in a proposed decision ("återredovisar
  55,1 mnkr") that neither appears as printed in the report's texts nor equals (absolute value,
  rounded to the decimals printed) a figure of the economy: an operating-budget row's budget,
  outcome, forecast, deviation, adjustment or adjusted deviation, a column total, an
  adjustment column's sum, an income-statement or investment figure or total.

Texts (every text of the report: summary, analyses, descriptions, expected results, indicator and
activity texts, economy, internal control, other sections, proposed decisions):

- ``draft_mark`` (error): "???", "XXX", "TODO", "FIXME", "[fyll i …]", or a question to a
  colleague: a sentence ending in "?" that names the case officer or a signatory, or says
  "kolla", "stämmer det", "rätt siffra" ….
- ``draft_question`` (warning): a bare question in factual text ("… har förvaltningen bytt ut
  bilar?"): a sentence ending in "?" that does not open like a question (with an interrogative
  word or a verb such as "Hur", "Vad", "Är", "Kan") and is not quoted.
- ``draft_note`` (warning): a paragraph that is only a note to self ("Något om resepoliticy").
- ``html_tag`` (error): ``<p>``, ``<br>``, ``</b>``, any ``<tag>`` or an entity (``&nbsp;``).
- ``tertial_wording`` (VB only): error for what never fits an annual report ("hittills under
  året", "prognostiseras att uppnås", "bedöms uppfyllas"); warning for what may fit ("bedöms",
  "prognostiseras", "inför T2", and "prognos" in a goal text, unless the sentence is about T1/T2
  or a later year).
- ``near_duplicate`` (warning): two paragraphs of one text (over 80 characters, without the
  report's stock sentences) that are more than 90 % alike, or share a passage of 100 characters.
- ``duplicate_heading`` (warning): the same subheading twice in one text.
- ``missing_table`` (warning): "Tabellen nedan …" with no table (lines with "|") before the
  next subheading; in the economy text a subheading that has its structured table
  (Investeringar, driftbudget, resultaträkning, a named table) counts, and so does a goal's
  indicator table after its analysis.
- ``cut_off_sentence`` (warning): a paragraph (not a heading, list or table) that ends
  without . ! ? : ; or a closing bracket or quote.
- ``stray_punctuation`` (warning): a space before a comma or full stop ("till , som"): often a
  word is missing.
- ``ratio_mismatch`` (warning): "X av Y" (or "Av totalt Y …, … X …") and one percentage later in
  the same sentence that differ by a unit of the last printed digit or more (94 av 261 = 36 %,
  not 35); in an indicator's analysis also "X av Y kvinnor / män / totalt X av Y" against the
  indicator's outcome for that group.
- ``sum_mismatch`` (warning): "sammanlagt N …, fördelade på A …, B … och C …" or "N personer,
  A män och B kvinnor" where the parts do not add up to N.
- ``summary_heading_mismatch`` (warning): a single-line paragraph of the summary that is
  80–99 % like a goal's title (difflib), i.e. the goal's title slightly changed.
- ``board_goal_wording`` (warning): an area goal's analysis that speaks of "nämndmålet" without
  a number: the board goal's stock sentence pasted into the area goal.
- ``wrong_goal_name`` (warning): a direction goal's analysis naming "inriktningsmålet om …"
  with a name that matches none of the report's direction goals.
- ``missing_section_text``: error for a section with a title and no text (Övrigt); warning for a
  report (T1, T2, VB) without a summary.

Economy:

- ``economy_figure_mismatch`` (warning): a subheading "Barn och ungdom +5,9 mnkr" whose figure
  is neither the area's computed deviation nor its adjusted deviation.
- ``economy_totals_mismatch`` (warning, VB): the income statement's net (this year, last year)
  differs from the operating budget's total bokslut.

The reference report's ``anomalies`` (example-vb-2019-socialnamnden.json), item by item:

1. Draft text in the summary ("uppnåtts ???", "Något om resepoliticy", "bytt ut bilar?
   Uppnått årsmålet miljöbränsle?"): ``draft_mark``, ``draft_note``, ``draft_question``.
2. Summary headings differing from goal titles (1.5, 2.3, 2.2): ``summary_heading_mismatch``.
3. HTML tags in an activity text: ``html_tag`` (the importer removed these tags, so it fires on
   crafted data only).
4. Editing leftovers in parentheses in activity titles: not found: a parenthesis is ordinary
   in a title and nothing marks these as leftovers.
5. Tertial wording in the VB ("inför T2", "hittills under året", "prognostiseras att
   uppnås"): ``tertial_wording``.
6. Direction goal 1's analysis naming another goal: ``wrong_goal_name``.
7. Area goal 1.5's analysis in board-goal wording ("nämndmålet"): ``board_goal_wording``.
8. Misspelt assessments ("Uppfylles helt") are prevented by the data model (a choice); the
   missing one (2.4, "Ingen"): ``missing_assessment``.
9. A sentence cut off in 1.4.1: ``cut_off_sentence``.
10. The subsection "Resurscentrum för adopterade" twice in 1.4.1: ``duplicate_heading``.
11. A missing word in 1.2 ("till , som"): ``stray_punctuation``.
12. A garbled sentence (1.4) and 13. words run together (3.2): not found: that needs a
    grammar or a dictionary.
14. Board goal 1.1.1 without analysis: ``missing_analysis``.
15. Two paragraphs of 2.1 saying almost the same thing: ``near_duplicate`` (a shared passage).
16. "Tabellen nedan visar" with no table: ``missing_table``.
17. Övrigt with a heading and no text: ``missing_section_text``.
18. Bilagor marked "*" and missing: not found: the marks were dropped on import and the data has
    no attachment files to look for.
19. 55,5 mnkr in the prose against 55,1 everywhere else, and 20. 31,4 against 31,3: not found
    as such: prose and table figures cannot be paired reliably (a text names many amounts that
    are in no table). The cover memo's figure (55,1) is checked by
    ``decision_figure_not_in_report``.
21.–22. Facts that contradict each other between goals (1136 vs 1101 persons, nine vs 17
    persons): not found: it needs understanding what the figures count.
23. "76 platser, fördelade på 36 …, 40 … och fem …": ``sum_mismatch``.
24. 94 of 261 is 36 %, not 35: ``ratio_mismatch``.
25. A table headed "tkr" with figures in kronor, and averages that do not follow from the
    table: not found: units and derived columns of a table in text are not machine-readable.
26. 140 VFU places in a table against "cirka 170" in the text: not found (an approximate
    figure and a sum across table rows in text).
27. Rates in an indicator's analysis (0,11 in total, 0,07 and 0,08 by gender): not found: which
    figure belongs to which group is only in the wording.
28. "28 av 52 kvinnor" (54 %) against the women's outcome 47 %, "119 av 189" (63 %) against
    64 %: ``ratio_mismatch`` (indicator analysis against outcome).
29. Aktivt Medskapandeindex 80 outside 81–83: ``split_mismatch``.
30. 100 % for Skolfam when no child finished year 9: not found (needs reading the analysis).
31. "Samtliga medel har investerats" against 4,9 of 5,0, and balance-sheet figures: not found
    (prose against table, see 19).
32. "sjukfrånvaron är 5,2" without a unit: not found: which figures need a unit is a matter of
    wording.
33. Budget adherence before and after result transfers equal: not an error (see the note).
34. Income statement net 1 221,5 against the operating budget's 1 221,6:
    ``economy_totals_mismatch`` (the computed sums of the rows as given: 1 221,5 against
    1 221,8).
35.–36. Printed sums and deviations in the economy tables that do not add up: prevented by the
    data model (sums and deviations are computed, never stored); where a subheading repeats a
    deviation ("Barn och ungdom +5,9 mnkr" against 88,0 − 82,2 = 5,8):
    ``economy_figure_mismatch``.
"""

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from goals.models import Assessment
from indicators.status import TargetStatus, target_status

from .assemble import (
    ActivityData,
    AreaGoalData,
    BoardGoalData,
    CommitmentData,
    DirectionGoalData,
    EconomyData,
    IndicatorData,
    ReportData,
    build_report_data,
)
from .models import Period
from .numbers import format_amount, format_number
from .text import Block, blocks

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "Fel", WARNING: "Varningar"}


@dataclass(frozen=True)
class Finding:
    """One thing the review found: ``severity`` "error" (blocks) or "warning"."""

    severity: str
    code: str
    message: str
    location: str
    anchor: str = ""

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "location": self.location,
            "anchor": self.anchor,
        }


def has_blocking_findings(findings) -> bool:
    """Whether any finding is an error: the report may then not be submitted or approved."""
    return any(finding.severity == ERROR for finding in findings)


def review_report(report_or_data, *, today: date | None = None) -> list[Finding]:
    """The findings of a report (a ``Report`` or its ``ReportData``), errors first, then in
    document order. ``today`` decides which activities are past their end date in T1/T2."""
    if isinstance(report_or_data, ReportData):
        data = report_or_data
    else:
        data = build_report_data(report_or_data)
    return _Review(data, today or date.today()).run()


# -- places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """Where a text or an item is: ``location`` for the list, ``name`` for a message (lower
    case, "analysen av nämndmål 1.4.1"), ``anchor`` for the link."""

    location: str
    name: str
    anchor: str = ""

    def at(self, heading: str | None) -> "_Place":
        """The place of a paragraph under ``heading`` inside this text."""
        if not heading:
            return self
        return _Place(f"{self.location} › {_short(heading, 60)}", self.name, self.anchor)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _quote(text: str, limit: int = 80) -> str:
    return f"”{_short(text, limit)}”"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def goal_anchor(number: str) -> str:
    """The id of a goal's heading on the report page: "1.4.1" -> "mal-1-4-1"."""
    return "mal-" + "-".join(p for p in re.split(r"[.\s]+", number.strip()) if p)


_GOAL_NAMES = {
    "direction": "inriktningsmål",
    "area": "KF:s mål",
    "board": "nämndmål",
}


# -- text helpers ---------------------------------------------------------------------------

_CLOSERS = '"”’»)]'
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"”’»)\]]*(?=\s|$)|$)", re.S)
_WORD = re.compile(r"[\wåäöÅÄÖéÉ]+(?:[-/][\wåäöÅÄÖéÉ]+)*")
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+"
_NUMBER_WORDS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "nitton": 19,
    "tjugo": 20,
}


def _sentences(paragraph: str) -> list[str]:
    return [m.group(0).strip() for m in _SENTENCE.finditer(" ".join(paragraph.split()))]


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def _integer(text: str) -> int | None:
    """A whole number as written: "1 136", "76", "fem"."""
    text = text.strip()
    if re.fullmatch(_NUMBER, text):
        return int(re.sub(r"\D", "", text))
    return _NUMBER_WORDS.get(text.casefold())


def _decimal(text: str) -> Decimal:
    """A figure as printed ("1 221,6", "35") as a Decimal."""
    return Decimal(re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))


def _places(figure: Decimal) -> int:
    return max(0, -figure.as_tuple().exponent)


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _is_table(block: Block) -> bool:
    return block.kind == "p" and any(line.count("|") >= 1 for line in block.lines)


def _is_heading(block: Block) -> bool:
    """A subheading: a short single-line paragraph without final punctuation."""
    if block.kind != "p" or len(block.lines) != 1 or _is_table(block):
        return False
    line = block.lines[0].strip()
    return (
        0 < len(line) <= 160
        and len(line.split()) <= 20
        and line[-1] not in ".!?:;,"
        and (line[0].isupper() or line[0].isdigit())
    )


def _paragraphs(text: str | None) -> list[tuple[Block, str | None]]:
    """The blocks of a text, each with the subheading it stands under."""
    result, heading = [], None
    for block in blocks(text):
        result.append((block, heading))
        if _is_heading(block) and not _NOTE.match(block.lines[0].strip()):
            heading = block.lines[0]
    return result


def _excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    prefix = "…" if start > width else ""
    suffix = "…" if end + width < len(text) else ""
    return f"”{prefix}{' '.join((before + text[start:end] + after).split())}{suffix}”"


# -- the patterns ---------------------------------------------------------------------------

_DRAFT_MARKS = re.compile(
    r"\?{2,}|\b[Xx]{3,}\b|\bTODO\b|\bFIXME\b|\[\s*(?:fyll(?:\s+(?:i|på))?|lägg in|infoga|"
    r"skriv|text|ange|kompletter\w*)\b[^\]]*\]",
)
_COLLEAGUE_CUES = re.compile(
    r"\b(?:dubbel)?koll(?:a|ar|at|as)\b|\bstämmer\s+(?:det|detta|den|dessa|siffr\w+|uppgift\w*)"
    r"|\brätt\s+(?:siffr\w+|uppgift\w*|belopp)\b|\bvem\s+(?:vet|kan|har|ansvarar)\b|@\w+",
    re.I,
)
_NOTE = re.compile(
    r"^(?:något|lite|text|skriv(?:\s+något)?|fyll\s+på)\s+om\s+\S+(?:\s+\S+){0,3}$", re.I
)
_QUESTION_OPENERS = set(
    """
    hur vad varför vilken vilket vilka vem vems när var vart varifrån huruvida
    är har hade kan kunde ska skall skulle bör borde måste får fick finns fanns blir blev
    vill ville går gick gör gjorde behöver behövde räcker leder ledde innebär innebar betyder
    klarar klarade når nådde ger gav syns märks hjälper fungerar påverkar beror handlar ser
    tar vet tror känner lever möter uppfattar upplever bidrar motsvarar stämmer hänger
    minskar ökar kommer kom brukar verkar tycks
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_LEADING_CONJUNCTIONS = {"men", "och", "så", "eller", "samt"}
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s+[^<>]*)?/?>|&(?:[a-z]{2,8}|#\d{2,5});")
_TERTIAL_ERRORS = re.compile(
    r"\bhittills\s+under\s+(?:året|perioden|tertialet)\b"
    r"|\bprognostiseras\s+(?:(?:inte|ej)\s+)?(?:att\s+)?(?:uppnås|nås|uppfyllas|uppfylls|klaras)\b"
    r"|\bbedöms\s+(?:(?:inte|ej)\s+)?(?:att\s+)?uppfyllas\b",
    re.I,
)
_TERTIAL_WARNINGS = re.compile(
    r"\binför\s+(?:T[12]|tertialrapport(?:en)?(?:\s+[12])?)\b|\bprognostiseras\b|\bbedöms\b",
    re.I,
)
_FORECAST = re.compile(r"\b(?:hel)?(?:års)?prognos(?:en)?\b|\bprognostiserar\b", re.I)
_ABOUT_TERTIAL = re.compile(r"\bT[12]\b|tertial", re.I)
_YEAR = re.compile(r"\b(19[9]\d|2[01]\d\d)\b")
_TABLE_ANNOUNCED = re.compile(
    r"\btabellen\s+nedan\b|\bnedanstående\s+tabell\b|\bföljande\s+tabell\b|\bse\s+tabell\w*\s+nedan\b",
    re.I,
)
_STRAY = re.compile(r"(?<=[\wåäöÅÄÖ])[ \t]+[,.](?=\s|$)")
_FRACTION = re.compile(
    rf"(?<![\d,.])(?P<x>{_NUMBER}) av (?:totalt |sammanlagt )?(?P<y>{_NUMBER})(?![\d]|,\d)"
)
_OF_TOTAL = re.compile(rf"\b[Aa]v (?:totalt |sammanlagt )?(?P<y>{_NUMBER})(?![\d]|,\d)")
_PERCENT = re.compile(rf"(?<![\d,.])(?P<p>(?:{_NUMBER})(?:,\d+)?)\s*(?:%|procent\b)")
_COMPARISON = re.compile(r"\b(?:jämfört|jämförelse|mot|från|än|föregående|förra)\b", re.I)
_INTEGER = re.compile(rf"(?<![\d,.])(?:{_NUMBER})(?![\d]|,\d)")
_SPREAD = re.compile(
    rf"\b(?:sammanlagt|totalt|sammantaget)\s+(?P<n>{_NUMBER})\s[^.;:]*?\bfördelad[eat]?\s+på\s+"
    r"(?P<parts>[^.;:()]+)",
    re.I,
)
_BY_GENDER = re.compile(
    rf"(?<![\d,.])(?P<n>{_NUMBER})\s+[^\d.;:()]{{1,40}}?[,(]\s*(?:varav\s+)?"
    rf"(?P<a>{_NUMBER})\s+(?:män|pojkar|kvinnor|flickor)\s+och\s+"
    rf"(?P<b>{_NUMBER})\s+(?:kvinnor|flickor|män|pojkar)\b"
)
_APPROXIMATE = re.compile(
    r"\b(?:cirka|ca\.?|drygt|knappt|ungefär|omkring|runt|nästan|närmare|över|under|minst|"
    r"högst|mer än|fler än|mindre än|färre än)\s*$",
    re.I,
)
_PARTS = re.compile(rf",\s*|\s+och\s+(?=(?:\d|(?:{'|'.join(_NUMBER_WORDS)})\b))", re.I)
_MEN = ("män", "pojkar")
_WOMEN = ("kvinnor", "flickor")
_ECONOMY_HEADING = re.compile(
    r"^(?P<area>.+?)\s+(?P<sign>[+\-−–])?\s?(?P<figure>\d{1,3}(?:[ \u00a0\u202f]\d{3})*,\d+)\s*mnkr$"
)
_DECISION_FIGURE = re.compile(
    rf"(?<![\d,.])(?P<figure>(?:{_NUMBER})(?:,\d+)?)(?![\d]|,\d)\s*"
    r"(?P<unit>mnkr|mkr|tkr|kr|kronor|miljoner|procent|%)?",
    re.I,
)


# -- the review -----------------------------------------------------------------------------


class _Review:
    """One review: walks the report in document order and collects what the rules find."""

    def __init__(self, data: ReportData, today: date) -> None:
        self.data = data
        self.today = today
        self.vb = data.period == Period.VB
        self.vp = data.period == Period.VP
        self.found: list[Finding] = []
        self.stock = _stock_sentences(data)
        self.stock_variants: dict[str, bool] = {}
        self.stock_matchers = [difflib.SequenceMatcher(None, b=s) for s in sorted(self.stock)]
        self.colleagues = _colleague_names(data)
        self.direction_titles = [g.title for g in data.direction_goals]

    def run(self) -> list[Finding]:
        self.cover()
        self.summary()
        for goal in self.data.direction_goals:
            self.direction_goal(goal)
        self.economy(self.data.economy)
        self.internal_control()
        self.sections()
        # sorted() is stable: within a severity the findings stay in document order
        return sorted(self.found, key=lambda finding: finding.severity != ERROR)

    def add(self, severity: str, code: str, message: str, place: _Place) -> None:
        finding = Finding(severity, code, message, place.location, place.anchor)
        if finding not in self.found:
            self.found.append(finding)

    # -- cover memo

    def cover(self) -> None:
        cover = self.data.cover
        if cover is None:
            return
        corpus = _corpus(self.data)
        figures = _economy_figures(self.data.economy)
        for number, text in enumerate(cover.proposed_decisions, start=1):
            place = _Place(
                f"Tjänsteutlåtande › Förslag till beslut {number}",
                f"förslag till beslut {number}",
            )
            self.text(text, place)
            for match in _DECISION_FIGURE.finditer(text):
                printed = match.group("figure")
                if "," not in printed and not match.group("unit"):
                    continue  # a year, a paragraph number: not a figure
                if not _figure_in_report(printed, corpus, figures):
                    self.add(
                        ERROR,
                        "decision_figure_not_in_report",
                        f"Förslag till beslut {number} nämner {match.group(0).strip()}, men "
                        f"beloppet {printed} finns inte i rapporten: varken i texten eller "
                        "bland ekonomins belopp, avvikelser och summor.",
                        place,
                    )

    # -- summary

    def summary(self) -> None:
        place = _Place("Sammanfattande analys", "sammanfattningen")
        summary = self.data.summary
        if summary is None:
            if not self.vp:
                self.add(
                    WARNING,
                    "missing_section_text",
                    "Rapporten saknar sammanfattande analys.",
                    place,
                )
            return
        self.text(summary, place)
        titles = [(_GOAL_NAMES["direction"], d.number, d.title) for d in self.data.direction_goals]
        for d in self.data.direction_goals:
            for a in d.area_goals:
                titles.append((_GOAL_NAMES["area"], a.number, a.title))
                titles += [(_GOAL_NAMES["board"], b.number, b.title) for b in a.board_goals]
        matchers = [
            (title, difflib.SequenceMatcher(None, b=title[2].strip().rstrip(" .")))
            for title in titles
        ]
        for block, heading in _paragraphs(summary):
            if block.kind != "p" or len(block.lines) != 1 or len(block.lines[0]) > 250:
                continue
            line = block.lines[0].strip()
            best, match = 0.0, None
            for title, matcher in matchers:
                if _alike(matcher, line.rstrip(" ."), 0.8) and matcher.ratio() > best:
                    best, match = matcher.ratio(), title
            if match and 0.8 <= best < 1:
                kind, number, title = match
                self.add(
                    WARNING,
                    "summary_heading_mismatch",
                    f"Rubriken {_quote(line, 120)} i sammanfattningen är nästan men inte exakt "
                    f"titeln på {kind} {number}: {_quote(title, 120)}.",
                    place.at(heading),
                )

    # -- goals

    def judged(self, kind: str, label: str, item, place: _Place) -> None:
        """Assessment and analysis of a goal (``kind``: direction, area, board, commitment)."""
        if self.vp:
            return
        severity = WARNING if kind == "direction" else ERROR
        if not item.assessment:
            self.add(severity, "missing_assessment", f"{_cap(label)} saknar bedömning.", place)
        if not item.analysis:
            self.add(severity, "missing_analysis", f"{_cap(label)} saknar analys.", place)

    def direction_goal(self, goal: DirectionGoalData) -> None:
        label = f"{_GOAL_NAMES['direction']} {goal.number}"
        place = _Place(goal.number, label, goal_anchor(goal.number))
        self.judged("direction", label, goal, place)
        analysis = _Place(f"{goal.number} › Analys", f"analysen av {label}", place.anchor)
        self.text(goal.analysis, analysis)
        self.goal_names(goal, analysis)
        for area_goal in goal.area_goals:
            self.area_goal(area_goal)

    def goal_names(self, goal: DirectionGoalData, place: _Place) -> None:
        for match in re.finditer(
            r"\binriktningsmål(?:et)?\s+om\s+(?P<name>[^.,;:!?]+)", goal.analysis or "", re.I
        ):
            name = _strip_article(match.group("name"))
            if len(name) < 10:
                continue
            if not any(_names(name, _strip_article(t)) for t in self.direction_titles):
                self.add(
                    WARNING,
                    "wrong_goal_name",
                    f"Analysen av inriktningsmål {goal.number} talar om inriktningsmålet om "
                    f"{_quote(match.group('name'), 60)}, men målet heter "
                    f"{_quote(goal.title, 100)}.",
                    place,
                )

    def area_goal(self, goal: AreaGoalData) -> None:
        label = f"{_GOAL_NAMES['area']} {goal.number}"
        place = _Place(goal.number, label, goal_anchor(goal.number))
        self.judged("area", label, goal, place)
        analysis = _Place(f"{goal.number} › Analys", f"analysen av {label}", place.anchor)
        self.text(goal.analysis, analysis, table_follows=bool(goal.indicators))
        for match in re.finditer(r"\bnämndmålet\b(?!\s+\d)", goal.analysis or "", re.I):
            self.add(
                WARNING,
                "board_goal_wording",
                f"Analysen av {label} talar om ”nämndmålet”: "
                f"{_excerpt(goal.analysis, match.start(), match.end())}. Är det nämndmålets "
                "text som har hamnat under KF:s mål?",
                analysis,
            )
            break
        self.goal_items(goal, label, place)
        for board_goal in goal.board_goals:
            self.board_goal(board_goal)

    def board_goal(self, goal: BoardGoalData) -> None:
        label = f"{_GOAL_NAMES['board']} {goal.number}"
        place = _Place(goal.number, label, goal_anchor(goal.number))
        self.judged("board", label, goal, place)
        self.text(
            goal.description,
            _Place(f"{goal.number} › Beskrivning", f"beskrivningen av {label}", place.anchor),
        )
        for n, result in enumerate(goal.expected_results, start=1):
            self.text(
                result,
                _Place(
                    f"{goal.number} › Förväntat resultat {n}",
                    f"förväntat resultat {n} under {label}",
                    place.anchor,
                ),
            )
        self.text(
            goal.analysis,
            _Place(f"{goal.number} › Analys", f"analysen av {label}", place.anchor),
            table_follows=bool(goal.indicators),
        )
        self.goal_items(goal, label, place)
        for commitment in goal.commitments:
            self.commitment(commitment, goal.number, label)

    def commitment(self, goal: CommitmentData, number: str, parent: str) -> None:
        label = f"åtagandet {_quote(goal.title, 60)} under {parent}"
        place = _Place(f"{number} › {_short(goal.title, 60)}", label, goal_anchor(number))
        self.judged("commitment", label, goal, place)
        for n, result in enumerate(goal.expected_results, start=1):
            self.text(
                result,
                _Place(
                    f"{place.location} › Förväntat resultat {n}",
                    f"förväntat resultat {n} för {label}",
                    place.anchor,
                ),
            )
        self.text(
            goal.analysis,
            _Place(f"{place.location} › Analys", f"analysen av {label}", place.anchor),
            table_follows=bool(goal.indicators),
        )
        self.goal_items(goal, label, place)

    def goal_items(self, goal, label: str, place: _Place) -> None:
        self.assessment_against_indicators(goal, label, place)
        for indicator in goal.indicators:
            self.indicator(indicator, label, place)
        for activity in goal.activities:
            self.activity(activity, label, place)

    def assessment_against_indicators(self, goal, label: str, place: _Place) -> None:
        statuses = []
        for indicator in goal.indicators:
            value = indicator.outcome
            if self.data.is_tertial and isinstance(indicator.forecast, Decimal):
                value = indicator.forecast
            status = target_status(value, indicator.annual_target, indicator.direction)
            if status is not None:
                statuses.append(status)
        if not statuses:
            return
        met = sum(1 for s in statuses if s == TargetStatus.MET)
        if goal.assessment == Assessment.FULL and met == 0:
            self.add(
                WARNING,
                "assessment_contradicts_indicators",
                f"{_cap(label)} bedöms uppfyllas helt, men ingen av dess {len(statuses)} "
                "indikatorer med årsmål når målet.",
                place,
            )
        elif goal.assessment == Assessment.NOT_MET and met == len(statuses):
            self.add(
                WARNING,
                "assessment_contradicts_indicators",
                f"{_cap(label)} bedöms inte uppfyllas, men alla dess {len(statuses)} "
                "indikatorer med årsmål når målet.",
                place,
            )

    def indicator(self, indicator: IndicatorData, label: str, goal: _Place) -> None:
        name = _quote(indicator.name, 70)
        place = _Place(
            f"{goal.location} › {_short(indicator.name, 60)}",
            f"indikatorn {name} under {label}",
            goal.anchor,
        )
        subject = f"Indikatorn {name} under {label}"
        outcome, men, women = indicator.outcome, indicator.outcome_men, indicator.outcome_women
        if not self.vp:
            if outcome is None:
                if self.vb:
                    self.add(ERROR, "missing_outcome", f"{subject} saknar utfall.", place)
                else:
                    self.add(
                        WARNING,
                        "missing_outcome",
                        f"{subject} saknar utfall. Rapporteras den varje tertial ska utfallet "
                        "fyllas i.",
                        place,
                    )
            elif indicator.gender_split_required and (men is None or women is None):
                missing = " och ".join(
                    label for label, value in (("män", men), ("kvinnor", women)) if value is None
                )
                self.add(
                    ERROR,
                    "missing_gender_split",
                    f"{subject} saknar utfall för {missing}, fast utfallet ska redovisas "
                    "uppdelat på kön.",
                    place,
                )
        self.split(indicator, subject, place)
        self.percentages(indicator, subject, place)
        self.text(
            indicator.analysis,
            _Place(f"{place.location} › Analys", f"analysen av {place.name}", place.anchor),
            indicator=indicator,
        )

    def split(self, indicator: IndicatorData, subject: str, place: _Place) -> None:
        total, men, women = indicator.outcome, indicator.outcome_men, indicator.outcome_women
        if not all(isinstance(v, Decimal) for v in (total, men, women)):
            return
        unit = indicator.unit or ""
        shown = {v: format_number(v) for v in (total, men, women)}
        if unit == "st" and not _is_average(indicator.name):
            if total != men + women:
                self.add(
                    ERROR,
                    "split_mismatch",
                    f"{subject}: totalen {shown[total]} st är inte summan av män "
                    f"({shown[men]}) och kvinnor ({shown[women]}) = "
                    f"{format_number(men + women)}.",
                    place,
                )
            return
        low, high = min(men, women), max(men, women)
        slack = Decimal(1).scaleb(-min(_places(total), _places(men), _places(women))) / 2
        if total < low - slack or total > high + slack:
            self.add(
                ERROR,
                "split_mismatch",
                f"{subject}: totalen {shown[total]} ligger utanför intervallet mellan män "
                f"({shown[men]}) och kvinnor ({shown[women]}); ett genomsnitt för alla kan "
                "inte vara lägre eller högre än båda.",
                place,
            )

    def percentages(self, indicator: IndicatorData, subject: str, place: _Place) -> None:
        if (indicator.unit or "").strip() != "%":
            return
        share = indicator.name.strip().casefold().startswith("andel")
        figures = (
            ("utfallet", indicator.outcome),
            ("utfallet för män", indicator.outcome_men),
            ("utfallet för kvinnor", indicator.outcome_women),
            ("prognosen", indicator.forecast),
            ("årsmålet", indicator.annual_target),
        )
        for what, value in figures:
            if isinstance(value, Decimal) and not 0 <= value <= 100:
                side = "över 100" if value > 100 else "under 0"
                self.add(
                    ERROR if share else WARNING,
                    "percentage_out_of_range",
                    f"{subject}: {what} {format_number(value)} % är {side} procent."
                    + ("" if share else " Kontrollera att det stämmer."),
                    place,
                )

    def activity(self, activity: ActivityData, label: str, goal: _Place) -> None:
        place = _Place(
            f"{goal.location} › {_short(activity.title, 60)}",
            f"aktiviteten {_quote(activity.title, 60)} under {label}",
            goal.anchor,
        )
        if not self.vp and not activity.status:
            end = activity.end_date
            if self.vb or (end is not None and end < self.today):
                when = f" (slutdatum {end.isoformat()})" if end else ""
                self.add(
                    ERROR,
                    "activity_without_status",
                    f"{_cap(place.name)} saknar status{when}.",
                    place,
                )
        self.text(
            activity.deviation,
            _Place(f"{place.location} › Avvikelse", f"avvikelsen för {place.name}", goal.anchor),
        )
        self.text(
            activity.analysis,
            _Place(f"{place.location} › Analys", f"analysen av {place.name}", goal.anchor),
        )

    # -- economy, internal control, other sections

    def economy(self, economy: EconomyData | None) -> None:
        if economy is None:
            return
        place = _Place("Uppföljning av ekonomi", "ekonomitexten")
        self.text(
            economy.analysis,
            place,
            table_follows=lambda heading: _has_structured_table(heading, economy),
        )
        for block, heading in _paragraphs(economy.analysis):
            if _is_heading(block):
                self.economy_heading(block.lines[0], economy, place.at(heading))
        for row in economy.operating_budget:
            self.text(
                row.comment,
                _Place(
                    f"Uppföljning av ekonomi › {row.area}", f"kommentaren till {_quote(row.area)}"
                ),
            )
        if self.vb and economy.income_statement and economy.operating_budget:
            net = economy.income_statement_total()
            total = economy.operating_budget_total
            for what, a, b in (
                ("utfallet", net.outcome, total.outcome),
                ("föregående års utfall", net.previous_outcome, total.previous_year_outcome),
            ):
                if a is not None and b is not None and _rounded(a, 1) != _rounded(b, 1):
                    self.add(
                        WARNING,
                        "economy_totals_mismatch",
                        f"Resultaträkningens netto för {what} ({format_amount(a)} mnkr) skiljer "
                        f"sig från driftbudgetens bokslut för nämnden totalt ({format_amount(b)} "
                        "mnkr).",
                        place,
                    )

    def economy_heading(self, heading: str, economy: EconomyData, place: _Place) -> None:
        match = _ECONOMY_HEADING.match(heading.strip())
        if not match:
            return
        wanted = _area_key(match.group("area"))
        best, row = 0.0, None
        for candidate in economy.operating_budget:
            ratio = difflib.SequenceMatcher(None, wanted, _area_key(candidate.area)).ratio()
            if ratio > best:
                best, row = ratio, candidate
        if row is None or best < 0.9:
            return
        printed = _decimal(match.group("figure"))
        if match.group("sign") in ("-", "−", "–"):
            printed = -printed
        places = _places(printed)
        computed = [v for v in (row.deviation, row.adjusted_deviation) if v is not None]
        if computed and all(_rounded(v, places) != printed for v in computed):
            self.add(
                WARNING,
                "economy_figure_mismatch",
                f"Rubriken {_quote(heading)} stämmer inte med driftbudgeten: för {row.area} är "
                f"avvikelsen {format_amount(row.deviation, sign=True)} mnkr och den justerade "
                f"avvikelsen {format_amount(row.adjusted_deviation, sign=True)} mnkr.",
                _Place(f"Uppföljning av ekonomi › {_short(heading, 60)}", place.name),
            )

    def internal_control(self) -> None:
        control = self.data.internal_control
        if control is None:
            return
        place = _Place("Intern kontroll", "bedömningen av den interna kontrollen")
        if not self.vp:
            if not control.assessment:
                self.add(
                    ERROR,
                    "missing_assessment",
                    "Den interna kontrollen saknar bedömning (tillräcklig, delvis tillräcklig "
                    "eller ej tillräcklig).",
                    place,
                )
            if not control.analysis:
                self.add(ERROR, "missing_analysis", "Den interna kontrollen saknar analys.", place)
        self.text(control.analysis, place)

    def sections(self) -> None:
        for section in self.data.other_sections:
            place = _Place(section.title, f"avsnittet {_quote(section.title)}")
            if not (section.text or "").strip():
                self.add(
                    ERROR,
                    "missing_section_text",
                    f"Avsnittet {_quote(section.title)} har en rubrik men ingen text.",
                    place,
                )
            self.text(section.text, place)

    # -- texts

    def text(
        self,
        text: str | None,
        place: _Place,
        *,
        table_follows: bool | Callable[[str | None], bool] = False,
        indicator: IndicatorData | None = None,
    ) -> None:
        """Every rule about text, on one text."""
        if not text or not text.strip():
            return
        paragraphs = _paragraphs(text)
        for block, heading in paragraphs:
            here = place.at(heading)
            for line in block.lines:
                self.draft_marks(line, here)
                self.html(line, here)
                self.stray_punctuation(line, here)
                self.sums(line, here)
                self.ratios(line, here, indicator)
            if block.kind == "p" and not _is_table(block):
                self.questions(" ".join(block.lines), here)
                if len(block.lines) == 1 and _NOTE.match(block.lines[0].strip()):
                    self.add(
                        WARNING,
                        "draft_note",
                        f"{_cap(place.name)} innehåller en anteckning i stället för text: "
                        f"{_quote(block.lines[0])}.",
                        here,
                    )
                self.cut_off(block, here)
        if self.vb:
            self.tertial_wording(text, place, paragraphs)
        self.duplicates(paragraphs, place)
        self.tables(paragraphs, place, table_follows)

    def draft_marks(self, line: str, place: _Place) -> None:
        for match in _DRAFT_MARKS.finditer(line):
            self.add(
                ERROR,
                "draft_mark",
                f"{_cap(place.name)} innehåller ett utkastmärke {_quote(match.group(0))}: "
                f"{_excerpt(line, match.start(), match.end())}.",
                place,
            )

    def questions(self, paragraph: str, place: _Place) -> None:
        for sentence in _sentences(paragraph):
            body = sentence.rstrip(_CLOSERS)
            if not body.endswith("?") or "??" in body:
                continue
            if sentence[len(body) :][:1] in ("”", '"', "’", "»") or sentence[:1] in "”\"'«":
                continue  # a quoted question: a survey item, a title
            names = [n for n in self.colleagues if re.search(rf"\b{re.escape(n)}\b", body)]
            if names or _COLLEAGUE_CUES.search(body):
                self.add(
                    ERROR,
                    "draft_mark",
                    f"{_cap(place.name)} innehåller en fråga till en kollega: "
                    f"{_quote(sentence, 120)}.",
                    place,
                )
                continue
            words = [w.casefold() for w in _WORD.findall(body)]
            while words and words[0] in _LEADING_CONJUNCTIONS:
                words.pop(0)
            if words and words[0] not in _QUESTION_OPENERS:
                self.add(
                    WARNING,
                    "draft_question",
                    f"{_cap(place.name)} innehåller en fråga mitt i den löpande texten, "
                    f"kanske en anteckning: {_quote(sentence, 120)}.",
                    place,
                )

    def html(self, line: str, place: _Place) -> None:
        tags = list(dict.fromkeys(m.group(0) for m in _HTML.finditer(line)))
        if tags:
            shown = ", ".join(_quote(t, 30) for t in tags[:5])
            self.add(
                ERROR,
                "html_tag",
                f"{_cap(place.name)} innehåller HTML-kod: {shown}. Skriv vanlig text.",
                place,
            )

    def stray_punctuation(self, line: str, place: _Place) -> None:
        for match in _STRAY.finditer(line):
            self.add(
                WARNING,
                "stray_punctuation",
                f"{_cap(place.name)} har ett mellanslag före ett skiljetecken, kanske saknas "
                f"ett ord: {_excerpt(line, match.start(), match.end())}.",
                place,
            )

    def cut_off(self, block: Block, place: _Place) -> None:
        if _is_heading(block) or len(block.lines) != 1:
            return
        line = block.lines[0].strip()
        if not line or line[-1] in ".!?:;…" + _CLOSERS + "*":
            return
        if len(_sentences(line)) < 2 and len(line.split()) <= 30:
            return  # a long heading, a caption or a label: one short sentence is no evidence
        self.add(
            WARNING,
            "cut_off_sentence",
            f"{_cap(place.name)} har ett stycke som slutar mitt i en mening: "
            f"{_quote('…' + line[-70:], 90)}.",
            place,
        )

    def tertial_wording(self, text: str, place: _Place, paragraphs) -> None:
        found: dict[str, dict[str, tuple[str, _Place]]] = {ERROR: {}, WARNING: {}}
        economy = place.location.startswith("Uppföljning av ekonomi")
        for block, heading in paragraphs:
            here = place.at(heading)
            for sentence in _sentences(" ".join(block.lines)):
                taken = []
                for match in _TERTIAL_ERRORS.finditer(sentence):
                    taken.append(match.span())
                    found[ERROR].setdefault(_normalise(match.group(0)), (match.group(0), here))
                for match in _TERTIAL_WARNINGS.finditer(sentence):
                    if not any(a <= match.start() < b for a, b in taken):
                        found[WARNING].setdefault(
                            _normalise(match.group(0)), (match.group(0), here)
                        )
                if economy or _ABOUT_TERTIAL.search(sentence):
                    continue
                if any(int(y) > self.data.year for y in _YEAR.findall(sentence)):
                    continue
                for match in _FORECAST.finditer(sentence):
                    found[WARNING].setdefault(_normalise(match.group(0)), (match.group(0), here))
        if found[ERROR]:
            phrases = ", ".join(_quote(p, 40) for p, _ in found[ERROR].values())
            self.add(
                ERROR,
                "tertial_wording",
                f"{_cap(place.name)} innehåller formuleringar från en tertialrapport: "
                f"{phrases}. Verksamhetsberättelsen redovisar årets utfall.",
                next(iter(found[ERROR].values()))[1],
            )
        if found[WARNING]:
            phrases = ", ".join(_quote(p, 40) for p, _ in found[WARNING].values())
            self.add(
                WARNING,
                "tertial_wording",
                f"{_cap(place.name)} innehåller ord som hör hemma i en tertialrapport: "
                f"{phrases}. Kontrollera att de passar i verksamhetsberättelsen.",
                next(iter(found[WARNING].values()))[1],
            )

    def duplicates(self, paragraphs, place: _Place) -> None:
        headings = Counter(
            _normalise(block.lines[0]) for block, _ in paragraphs if _is_heading(block)
        )
        shown = {}
        for block, heading in paragraphs:
            if _is_heading(block):
                key = _normalise(block.lines[0])
                if headings[key] > 1 and key not in shown:
                    shown[key] = True
                    self.add(
                        WARNING,
                        "duplicate_heading",
                        f"Rubriken {_quote(block.lines[0])} förekommer {headings[key]} gånger i "
                        f"{place.name}. Har avsnittet klistrats in två gånger?",
                        place.at(heading),
                    )
        texts = []
        for block, heading in paragraphs:
            if block.kind != "p" or _is_table(block):
                continue
            kept = " ".join(s for s in _sentences(" ".join(block.lines)) if not self.is_stock(s))
            if len(kept) > 80:
                texts.append((kept, heading, _shingles(kept, 4), _shingles(kept, 8)))
        for i, (a, heading, short_a, long_a) in enumerate(texts):
            for b, _, short_b, long_b in texts[i + 1 :]:
                shared = bool(long_a & long_b)
                similar = 2 * min(len(a), len(b)) > 0.9 * (len(a) + len(b)) and len(
                    short_a & short_b
                ) >= 0.5 * min(len(short_a), len(short_b))
                if not (shared or similar):
                    continue
                matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
                if similar and matcher.quick_ratio() > 0.9 and matcher.ratio() > 0.9:
                    what = "är nästan likadana"
                elif shared:
                    match = matcher.find_longest_match(0, len(a), 0, len(b))
                    if match.size < 100:
                        continue
                    what = "upprepar samma passage: " + _quote(
                        a[match.a : match.a + match.size].strip(), 100
                    )
                else:
                    continue
                self.add(
                    WARNING,
                    "near_duplicate",
                    f"Två stycken i {place.name} {what}. Första stycket börjar "
                    f"{_quote(a, 60)}, det andra {_quote(b, 60)}.",
                    place.at(heading),
                )

    def is_stock(self, sentence: str) -> bool:
        """Whether a sentence is one of the report's stock sentences, or a variant of one
        ("… att målet delvis uppnåtts")."""
        key = _normalise(sentence)
        if key not in self.stock_variants:
            self.stock_variants[key] = key in self.stock or any(
                _alike(matcher, key) for matcher in self.stock_matchers
            )
        return self.stock_variants[key]

    def tables(self, paragraphs, place: _Place, table_follows) -> None:
        for k, (block, heading) in enumerate(paragraphs):
            line = " ".join(block.lines)
            match = _TABLE_ANNOUNCED.search(line)
            if not match or _is_table(block):
                continue
            following = []
            for later, _ in paragraphs[k + 1 :]:
                if _is_heading(later):
                    break
                following.append(later)
            if any(_is_table(b) for b in following):
                continue
            if callable(table_follows) and table_follows(heading):
                continue
            if table_follows is True:
                continue
            self.add(
                WARNING,
                "missing_table",
                f"{_cap(place.name)} hänvisar till en tabell som inte finns: "
                f"{_excerpt(line, match.start(), match.end())}.",
                place.at(heading),
            )

    def sums(self, line: str, place: _Place) -> None:
        for match in _SPREAD.finditer(line):
            if _APPROXIMATE.search(line[: match.start("n")]):
                continue
            total = _integer(match.group("n"))
            parts = [p.strip() for p in _PARTS.split(match.group("parts"))]
            numbers = [_integer(p.split()[0]) if p.split() else None for p in parts if p]
            if total is None or len(numbers) < 2 or None in numbers:
                continue
            if sum(numbers) != total:
                self.add(
                    WARNING,
                    "sum_mismatch",
                    f"{_cap(place.name)}: delarna blir {sum(numbers)}, inte {total}: "
                    f"{_excerpt(line, match.start(), match.end(), 0)}.",
                    place,
                )
        for match in _BY_GENDER.finditer(line):
            if _APPROXIMATE.search(line[: match.start("n")]):
                continue
            total, a, b = (_integer(match.group(k)) for k in ("n", "a", "b"))
            if a + b != total:
                self.add(
                    WARNING,
                    "sum_mismatch",
                    f"{_cap(place.name)}: {a} + {b} blir {a + b}, inte {total}: "
                    f"{_excerpt(line, match.start(), match.end(), 0)}.",
                    place,
                )

    def ratios(self, line: str, place: _Place, indicator: IndicatorData | None) -> None:
        for sentence in _sentences(line):
            checked = _sentence_ratio(sentence)
            if checked:
                x, y, printed = checked
                self.ratio_finding(x, y, printed, f"{printed} %", sentence, place)
        if indicator is None or (indicator.unit or "").strip() != "%":
            return
        for match in _FRACTION.finditer(line):
            x, y = _integer(match.group("x")), _integer(match.group("y"))
            after = line[match.end() :].lstrip().casefold()
            before = line[: match.start()].rstrip().casefold()
            if after.startswith(_WOMEN):
                value, group = indicator.outcome_women, "kvinnor"
            elif after.startswith(_MEN):
                value, group = indicator.outcome_men, "män"
            elif before.endswith(("totalt", "sammanlagt")):
                value, group = indicator.outcome, "totalt"
            else:
                continue
            if isinstance(value, Decimal) and y > 0 and x <= y:
                self.ratio_finding(
                    x,
                    y,
                    value,
                    f"utfallet för {group} ({format_number(value)} %)",
                    match.group(0),
                    place,
                )

    def ratio_finding(self, x: int, y: int, printed: Decimal, shown: str, where, place) -> None:
        computed = Decimal(100 * x) / Decimal(y)
        if abs(computed - printed) >= Decimal(1).scaleb(-_places(printed)):
            self.add(
                WARNING,
                "ratio_mismatch",
                f"{_cap(place.name)}: {x} av {y} är {format_number(_rounded(computed, 1))} %, "
                f"inte {shown}: {_quote(where, 120)}.",
                place,
            )


# -- helpers of the rules -------------------------------------------------------------------


def _alike(matcher: difflib.SequenceMatcher, text: str, limit: float = 0.9) -> bool:
    """Whether ``text`` is at least ``limit`` alike the matcher's second sequence."""
    matcher.set_seq1(text)
    return (
        matcher.real_quick_ratio() >= limit
        and matcher.quick_ratio() >= limit
        and matcher.ratio() >= limit
    )


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:ett|en|att)\s+", "", " ".join(text.split()), flags=re.I).casefold()


def _names(phrase: str, title: str) -> bool:
    """Whether ``phrase`` names the goal ``title``: it begins with the title's first two words
    ("en modern storstad genom att …"), or with the whole title, perhaps slightly misspelt."""
    words, title_words = phrase.split(), title.split()
    if words[:2] == title_words[:2]:
        return True
    return difflib.SequenceMatcher(None, phrase[: len(title)], title).ratio() >= 0.8


def _is_average(name: str) -> bool:
    return bool(re.search(r"\b(?:per|genomsnitt\w*|medel\w*|snitt\w*)\b", name, re.I))


def _area_key(name: str) -> str:
    return " ".join(re.sub(r"[-–]", " ", name.casefold()).split())


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in _WORD.findall(text)]
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _sentence_ratio(sentence: str) -> tuple[int, int, Decimal] | None:
    """(X, Y, printed percentage) when a sentence states a share two ways."""
    percents = list(_PERCENT.finditer(sentence))
    if len(percents) != 1:
        return None
    percent = percents[0]
    printed = _decimal(percent.group("p"))
    fractions = list(_FRACTION.finditer(sentence))
    if fractions:
        if len(fractions) != 1 or fractions[0].end() > percent.start():
            return None
        x, y = _integer(fractions[0].group("x")), _integer(fractions[0].group("y"))
        start = fractions[0].end()
    else:
        wholes = list(_OF_TOTAL.finditer(sentence))
        if len(wholes) != 1 or wholes[0].end() > percent.start():
            return None
        y = _integer(wholes[0].group("y"))
        start = wholes[0].end()
        between = [
            m
            for m in _INTEGER.finditer(sentence, wholes[0].end(), percent.start())
            if not _YEAR.fullmatch(m.group(0))
        ]
        if len(between) != 1:
            return None
        x = _integer(between[0].group(0))
    if not y or x > y:
        return None
    if _COMPARISON.search(sentence, start, percent.start()) or _YEAR.match(
        sentence[percent.end() :].lstrip(" ,")
    ):
        return None  # "… jämfört med 40 procent 2018": another year's share
    return x, y, printed


def _has_structured_table(heading: str | None, economy: EconomyData) -> bool:
    """Whether the economy subsection ``heading`` is shown with one of the economy's tables."""
    if not heading:
        return False
    key = heading.casefold()
    if "investering" in key and economy.investments:
        return True
    if ("driftbudget" in key or "verksamhetsområde" in key) and economy.operating_budget:
        return True
    if ("resultaträkning" in key or "intäkt" in key or "kostnadsslag" in key) and (
        economy.income_statement
    ):
        return True
    return any(
        key in table.title.casefold()
        or difflib.SequenceMatcher(None, key, table.title.casefold()).ratio() > 0.8
        for table in economy.tables
    )


def _texts(data: ReportData) -> Iterator[str]:
    """Every text of the report except the cover memo."""
    if data.summary:
        yield data.summary

    def items(goal) -> Iterator[str]:
        for indicator in goal.indicators:
            yield indicator.name
            yield indicator.analysis or ""
        for activity in goal.activities:
            yield activity.title
            yield activity.deviation or ""
            yield activity.analysis or ""

    for direction_goal in data.direction_goals:
        yield direction_goal.analysis or ""
        for area_goal in direction_goal.area_goals:
            yield area_goal.analysis or ""
            yield from items(area_goal)
            for board_goal in area_goal.board_goals:
                yield board_goal.description or ""
                yield from board_goal.expected_results
                yield board_goal.analysis or ""
                yield from items(board_goal)
                for commitment in board_goal.commitments:
                    yield from commitment.expected_results
                    yield commitment.analysis or ""
                    yield from items(commitment)
    if data.economy:
        yield data.economy.analysis or ""
        for row in data.economy.operating_budget:
            yield row.comment or ""
        for table in data.economy.tables:
            for row in table.rows:
                yield " | ".join(str(v) for v in (row.label, *row.values))
    if data.internal_control:
        yield data.internal_control.analysis or ""
    for section in data.other_sections:
        yield section.text or ""


def _stock_sentences(data: ReportData) -> set[str]:
    """Sentences the report uses three times or more: the city's stock phrases, which are
    meant to repeat."""
    counts = Counter(
        _normalise(sentence)
        for text in _texts(data)
        for block in blocks(text)
        for sentence in _sentences(" ".join(block.lines))
    )
    return {sentence for sentence, n in counts.items() if n >= 3 and len(sentence) < 250}


def _colleague_names(data: ReportData) -> list[str]:
    people = []
    if data.cover:
        people.append(data.cover.case_officer or "")
        people += [s.name for s in data.cover.signatories]
    names = {part for person in people for part in person.split() if len(part) >= 3}
    return sorted(n for n in names if n[:1].isupper())


def _corpus(data: ReportData) -> str:
    return " ".join(" ".join(_texts(data)).replace("\u00a0", " ").replace("\u202f", " ").split())


def _economy_figures(economy: EconomyData | None) -> list[Decimal]:
    if economy is None:
        return []
    values = []
    for row in economy.operating_budget:
        values += [row.previous_year_outcome, row.budget, row.outcome, row.forecast]
        values += [row.deviation, row.adjusted_deviation, row.adjustments_total]
        values += [a.amount for a in row.adjustments]
    total = economy.operating_budget_total
    values += [total.previous_year_outcome, total.budget, total.outcome, total.forecast]
    values += [total.deviation, total.adjusted_deviation]
    values += [a.amount for a in total.adjustments]
    for kind in ("income", "cost", None):
        rows = [*economy.income_statement, economy.income_statement_total(kind)]
        for row in rows:
            values += [row.budget, row.outcome, row.previous_budget, row.previous_outcome]
            values.append(row.change)
    for row in [*economy.investments, economy.investments_total]:
        values += [row.budget, row.outcome, row.forecast, row.previous_forecast, row.deviation]
    for table in economy.tables:
        for row in table.rows:
            values += [Decimal(str(v)) for v in row.values if isinstance(v, int | float)]
    return [v for v in values if isinstance(v, Decimal)]


def _figure_in_report(printed: str, corpus: str, figures: list[Decimal]) -> bool:
    """Whether a figure as printed ("55,1", "1 221,6") is in the texts or, as an absolute
    value rounded to the printed decimals, among the computed figures."""
    digits = re.split(r"[ \u00a0\u202f]", printed.strip())
    pattern = r"(?<![\d])(?<!\d,)" + r"[ ]?".join(map(re.escape, digits)) + r"(?![\d]|,\d)"
    if re.search(pattern, corpus):
        return True
    wanted = _decimal(printed)
    places = _places(wanted)
    return any(_rounded(abs(value), places) == wanted for value in figures)
