"""Rules for the parts outside the goals and the economy: the cover memo, the summary, internal
control and the other sections."""

import difflib

from .base import Rules
from .common import (
    _DECISION_FIGURE,
    _GOAL_NAMES,
    _alike,
    _corpus,
    _economy_figures,
    _figure_in_report,
    _paragraphs,
    _Place,
    _quote,
)
from .findings import ERROR, WARNING


class SectionRules(Rules):
    """The cover memo, the summary, internal control and the other sections."""

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
                key=cover.key,
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
        place = _Place("Sammanfattande analys", "sammanfattningen", key=self.data.summary_key)
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
                kind, number, name = match
                self.add(
                    WARNING,
                    "summary_heading_mismatch",
                    f"Rubriken {_quote(line, 120)} i sammanfattningen är nästan men inte exakt "
                    f"titeln på {kind} {number}: {_quote(name, 120)}.",
                    place.at(heading),
                )

    def internal_control(self) -> None:
        control = self.data.internal_control
        if control is None:
            return
        place = _Place("Intern kontroll", "bedömningen av den interna kontrollen", key=control.key)
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
            place = _Place(section.title, f"avsnittet {_quote(section.title)}", key=section.key)
            if not (section.text or "").strip():
                self.add(
                    ERROR,
                    "missing_section_text",
                    f"Avsnittet {_quote(section.title)} har en rubrik men ingen text.",
                    place,
                )
            self.text(section.text, place)
