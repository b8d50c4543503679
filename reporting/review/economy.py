"""Rules for the economy: its texts' subheadings against its tables, and the totals."""

import difflib

from ..document import (
    EconomyData,
    EconomySubsectionData,
)
from ..numbers import format_amount
from .base import Rules
from .common import (
    _ECONOMY_HEADING,
    _area_key,
    _decimal,
    _has_structured_table,
    _is_heading,
    _paragraphs,
    _Place,
    _places,
    _quote,
    _rounded,
    _short,
)
from .findings import WARNING


class EconomyRules(Rules):
    """The economy section."""

    # -- economy, internal control, other sections

    def economy(self, economy: EconomyData | None) -> None:
        if economy is None:
            return
        place = _Place("Uppföljning av ekonomi", "ekonomitexten", key=economy.key)
        self.text(
            economy.analysis,
            place,
            table_follows=lambda heading: _has_structured_table(heading, economy),
        )
        for block, heading in _paragraphs(economy.analysis):
            if _is_heading(block):
                self.economy_heading(block.lines[0], economy, place.at(heading))
        for subsection in economy.subsections:
            self.subsection(subsection, economy)
        for row in economy.operating_budget:
            self.text(
                row.comment,
                _Place(
                    f"Uppföljning av ekonomi › {row.area}",
                    f"kommentaren till {_quote(row.area)}",
                    key=row.key,
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

    def subsection(self, subsection: EconomySubsectionData, economy: EconomyData) -> None:
        """A subsection's text, at its key (its form) and under its heading."""
        heading = subsection.heading
        place = _Place(
            f"Uppföljning av ekonomi › {_short(heading, 60)}",
            f"texten under {_quote(_short(heading, 60))}",
            key=subsection.key,
        )
        holds_table = any(economy.has_table(t) for t in subsection.tables)
        self.text(
            subsection.text,
            place,
            table_follows=lambda h: holds_table or _has_structured_table(h, economy),
        )
        for block, sub_heading in _paragraphs(subsection.text):
            if _is_heading(block):
                self.economy_heading(block.lines[0], economy, place.at(sub_heading))

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
                _Place(
                    f"Uppföljning av ekonomi › {_short(heading, 60)}", place.name, key=place.key
                ),
            )
