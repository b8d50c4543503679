"""What the rules share: places (``_Place``), the shortening of titles, the
patterns of Swedish report prose and the helpers of the rules."""

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..document import (
    EconomyData,
    ReportData,
)
from ..text import Block, blocks


@dataclass(frozen=True)
class _Place:
    """Where a text or an item is: ``location`` for the list, ``name`` for a message (lower
    case, "analysen av nämndmål 1.4.1"), ``anchor`` for the link."""

    location: str
    name: str
    anchor: str = ""
    key: str = ""  # the item's key (``reporting.tree.item_key``): its form

    def at(self, heading: str | None) -> "_Place":
        """The place of a paragraph under ``heading`` inside this text."""
        if not heading:
            return self
        return self.part(_short(heading, 60), self.name)

    def part(self, what: str, name: str) -> "_Place":
        """A part of the same item: its analysis, its deviation, ..."""
        return _Place(f"{self.location} › {what}", name, self.anchor, self.key)


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


_GOAL_NAMES = {
    "direction": "inriktningsmål",
    "area": "KF:s mål",
    "board": "nämndmål",
}


# -- text helpers ---------------------------------------------------------------------------

_CLOSERS = '"”’»)]'
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"”’»)\]]*(?=\s|$)|$)", re.S)
_WORD = re.compile(r"[\wåäöÅÄÖéÉ]+(?:[-/][\wåäöÅÄÖéÉ]+)*")
# A whole number as prose prints it, at most 18 digits: a longer run of digits is no figure
# (and must not reach int() or a Decimal quantize, which refuse numbers of thousands of digits).
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,5}|\d{1,18}"
_FRACTION_DIGITS = r",\d{1,9}"
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
        digits = re.sub(r"\D", "", text)
        # A figure in a text is compared, never computed with: one of thousands of digits
        # (which int() refuses) is no figure a sentence gives.
        return int(digits) if len(digits) <= 30 else None
    return _NUMBER_WORDS.get(text.casefold())


def _decimal(text: str) -> Decimal:
    """A figure as printed ("1 221,6", "35") as a Decimal."""
    return Decimal(re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))


def _places(figure: Decimal) -> int:
    """The figure's decimal places (none for an infinite or NaN value, which a figure is not)."""
    exponent = figure.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


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
    result: list[tuple[Block, str | None]] = []
    heading: str | None = None
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
_PERCENT = re.compile(
    rf"(?<![\d,.])(?P<p>(?:{_NUMBER})(?:{_FRACTION_DIGITS})?)(?!\d)\s*(?:%|procent\b)"
)
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
    r"^(?P<area>.+?)\s+(?P<sign>[+\-−–])?\s?"
    r"(?P<figure>\d{1,3}(?:[ \u00a0\u202f]\d{3}){0,5},\d{1,9})\s*mnkr$"
)
_DECISION_FIGURE = re.compile(
    rf"(?<![\d,.])(?P<figure>(?:{_NUMBER})(?:{_FRACTION_DIGITS})?)(?![\d]|,\d)\s*"
    r"(?P<unit>mnkr|mkr|tkr|kr|kronor|miljoner|procent|%)?",
    re.I,
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


class _SimilarIndex:
    """Texts to find one alike (difflib ratio ≥ ``limit``) without comparing with every one:
    a text that much alike another of about its length shares its beginning or its end (the
    first or last ``EDGE`` characters), so only those are compared. Keeps the review linear in
    the report's size."""

    EDGE = 16

    def __init__(self, texts, limit: float = 0.9) -> None:
        self.limit = limit
        self.buckets: dict[tuple[str, str], list[difflib.SequenceMatcher]] = defaultdict(list)
        for text in sorted(texts):
            matcher = difflib.SequenceMatcher(None, b=text)
            for key in self._keys(text):
                self.buckets[key].append(matcher)

    def _keys(self, text: str) -> set[tuple[str, str]]:
        return {("^", text[: self.EDGE]), ("$", text[-self.EDGE :])}

    def candidates(self, text: str):
        seen: set[int] = set()
        for key in self._keys(text):
            for matcher in self.buckets.get(key, ()):
                if id(matcher) not in seen:
                    seen.add(id(matcher))
                    yield matcher

    def has_alike(self, text: str) -> bool:
        return any(_alike(m, text, self.limit) for m in self.candidates(text))


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
    if x is None or not y or x > y:
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
        for subsection in data.economy.subsections:
            yield subsection.text or ""
        for row in data.economy.operating_budget:
            yield row.comment or ""
        for table in data.economy.tables:
            for table_row in table.rows:
                yield " | ".join(str(v) for v in (table_row.label, *table_row.values))
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
    values: list = []
    for budget_row in economy.operating_budget:
        values += [budget_row.previous_year_outcome, budget_row.budget, budget_row.outcome]
        values += [budget_row.forecast, budget_row.deviation, budget_row.adjusted_deviation]
        values += [budget_row.adjustments_total, *(a.amount for a in budget_row.adjustments)]
        values += list(budget_row.given.values())
    total = economy.operating_budget_total
    values += [total.previous_year_outcome, total.budget, total.outcome, total.forecast]
    values += [total.deviation, total.adjusted_deviation]
    values += [a.amount for a in total.adjustments]
    for kind in ("income", "cost", None):
        for income in [*economy.income_statement, economy.income_statement_total(kind)]:
            values += [income.budget, income.outcome, income.previous_budget]
            values += [income.previous_outcome, income.change, income.shown("change")]
    investments: list = [*economy.investments, economy.investments_total]
    for investment in investments:
        values += [investment.budget, investment.outcome, investment.forecast]
        values += [investment.previous_forecast, investment.deviation]
        values += [investment.shown("forecast_deviation")]
    for table in economy.tables:
        for table_row in table.rows:
            values += [Decimal(str(v)) for v in table_row.values if isinstance(v, int | float)]
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
