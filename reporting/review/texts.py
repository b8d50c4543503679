"""Rules for every text of the report: draft marks, questions, HTML, wording, duplicates, tables,
sums and ratios."""

import difflib
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from ..document import (
    IndicatorData,
)
from ..numbers import format_number
from ..text import Block
from .base import Rules
from .common import (
    _ABOUT_TERTIAL,
    _APPROXIMATE,
    _BY_GENDER,
    _CLOSERS,
    _COLLEAGUE_CUES,
    _DRAFT_MARKS,
    _FORECAST,
    _FRACTION,
    _HTML,
    _LEADING_CONJUNCTIONS,
    _MEN,
    _NOTE,
    _PARTS,
    _QUESTION_OPENERS,
    _SPREAD,
    _STRAY,
    _TABLE_ANNOUNCED,
    _TERTIAL_ERRORS,
    _TERTIAL_WARNINGS,
    _WOMEN,
    _WORD,
    _YEAR,
    _cap,
    _excerpt,
    _integer,
    _is_heading,
    _is_table,
    _normalise,
    _paragraphs,
    _Place,
    _places,
    _quote,
    _rounded,
    _sentence_ratio,
    _sentences,
    _shingles,
)
from .findings import ERROR, WARNING


class TextRules(Rules):
    """Every text of the report."""

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
                self.personal_data(line, here)
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
            self.stock_variants[key] = key in self.stock or self.stock_index.has_alike(key)
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
            read = [_integer(p.split()[0]) if p.split() else None for p in parts if p]
            numbers = [n for n in read if n is not None]
            if total is None or len(numbers) < 2 or len(numbers) < len(read):
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
            if total is None or a is None or b is None:
                continue
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
            part, whole = _integer(match.group("x")), _integer(match.group("y"))
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
            if part is None or whole is None:
                continue
            if isinstance(value, Decimal) and whole > 0 and part <= whole:
                self.ratio_finding(
                    part,
                    whole,
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
