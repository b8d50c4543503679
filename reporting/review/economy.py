"""Rules for the economy: its texts' subheadings against its tables, and the totals."""

import difflib
from decimal import Decimal

from budget import arithmetic

from ..document import (
    EconomyData,
    EconomySubsectionData,
)
from ..numbers import format_amount, format_number
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
from .findings import ERROR, WARNING

# How a given total's column is named in a message.
COLUMN_NAMES = {
    "previous_year_outcome": "bokslut föregående år",
    "budget": "budget",
    "outcome": "bokslut/utfall",
    "forecast": "prognos",
    "deviation": "avvikelse",
    "adjusted_deviation": "justerad avvikelse",
    "previous_budget": "budget föregående år",
    "previous_outcome": "utfall föregående år",
    "change": "förändring",
    "forecast_deviation": "avvikelse prognos T2",
}
SUM_NAMES = {"income": "Summa intäkter", "cost": "Summa kostnader", "net": "Netto"}


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
        self.given_totals(economy, place)
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

    def given_totals(self, economy: EconomyData, place: _Place) -> None:
        """A given (printed) total must be explained by rounding its rows: it may differ from
        the sum of its n rows by at most n × 0,05 (``arithmetic.fits``). An error: the table
        then contradicts itself."""
        given = economy.given_totals
        if given is None:
            return
        budget_rows = economy.operating_budget
        for column, amount in given.operating_budget.items():
            if column == "adjustments":
                for label, value in amount.items():
                    terms = [row.adjustment(label) for row in budget_rows]
                    self.given_total(value, terms, f"Nämnden totalt, {label}", place)
            else:
                terms = [row.shown(column) for row in budget_rows]
                self.given_total(amount, terms, f"Nämnden totalt, {COLUMN_NAMES[column]}", place)
        for kind, figures in given.income_statement.items():
            rows = [r for r in economy.income_statement if kind == "net" or r.kind == kind]
            for column, amount in figures.items():
                if column == "change" and kind == "net":
                    terms = [_net_change(r) for r in rows]
                else:
                    terms = [r.shown(column) for r in rows]
                what = f"{SUM_NAMES[kind]}, {COLUMN_NAMES[column]}"
                self.given_total(amount, terms, what, place)
        for column, amount in given.investments.items():
            terms = [row.shown(column) for row in economy.investments]
            self.given_total(amount, terms, f"Investeringar, summa, {COLUMN_NAMES[column]}", place)

    def given_total(
        self, given: Decimal, terms: list[Decimal | None], what: str, place: _Place
    ) -> None:
        present = [t for t in terms if t is not None]
        fits = arithmetic.fits(given, present) if present else given.is_zero()
        if fits:
            return
        total = arithmetic.total(present) or Decimal(0)
        most = arithmetic.HALF_STEP * len(present)
        self.add(
            ERROR,
            "given_total_mismatch",
            f"Den tryckta summan {what} ({format_amount(given)} mnkr) stämmer inte med "
            f"summan av raderna ({format_number(total)} mnkr): skillnaden är större än "
            f"avrundningen av {len(present)} rader förklarar (högst "
            f"{format_number(most)} mnkr).",
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
        shown = (row.shown("deviation"), row.shown("adjusted_deviation"))
        computed = [v for v in (row.deviation, row.adjusted_deviation, *shown) if v is not None]
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


def _net_change(row) -> Decimal | None:
    """A row's share of the net's change: the costs' change less the incomes' (an income
    row's change is that of the income itself, ``arithmetic.change``)."""
    change = row.shown("change")
    if change is None or row.kind != arithmetic.INCOME:
        return change
    return -change
