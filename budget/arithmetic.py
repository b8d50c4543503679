"""The economy's one arithmetic: every derived column and every total of Uppföljning av ekonomi.

The document (``reporting.assemble``), the budget forms (``budget.views``, and
``static/js/budget.js``, which mirrors these rules digit for digit and is tested on the same
rows) and the exports call these functions; nothing else computes a deviation or a sum.

**Amounts** are kept in mnkr as exactly as they were given (kronor with öre are 8 decimals of
mnkr, ``AMOUNT_DECIMALS``). Every derived figure is computed from the exact amounts and rounded
once, when printed (``rounded``): so "Nämnden totalt" is the rounded exact sum, which may differ
by a few tenths from the sum of the printed rows, exactly as the ledger prints it.

**Signs** (DOMAIN.md §6, the ledger view): revenues are negative, costs positive.

- Avvikelse = budget − bokslut (or budget − prognos in T1/T2): a positive deviation is a surplus.
- Justerad avvikelse = avvikelse + every adjustment (Resultatöverföring −0,1 lowers it).
- Resultaträkning, Förändring: for a cost row, a cost sum and the net, this year − last year; for
  an income row and the income sum, the change of the income itself, last year − this year in
  ledger signs (−508,6 → −421,5: the income fell by 87,0, printed −87,0).
- Förbrukning = outcome / budget, compared with the riktvärde (the share of the year passed).
- Investeringar: avvikelse = budget − bokslut (or prognos); in a VB also the deviation from the
  T2 forecast = that forecast − bokslut.

**Given totals**: a report imported from a published PDF has only rounded rows; its printed
totals are kept as data and printed as given. ``fits`` says whether a given total is explained by
rounding: it may differ from the sum of its n rounded terms by at most n × 0,05.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

AMOUNT_MAX_DIGITS = 20
AMOUNT_DECIMALS = 8  # 1 öre = 0,00000001 mnkr
PRINT_STEP = Decimal("0.1")  # amounts print in mnkr with one decimal
HALF_STEP = PRINT_STEP / 2

INCOME = "income"
COST = "cost"

# Riktvärde for förbrukning: the share of the year passed at the end of the period.
GUIDE_VALUES = {"T1": Decimal(4) / 12, "T2": Decimal(8) / 12}

# The operating budget's adjustment columns a tertial report always prints, in this order
# (DOMAIN.md §6), whether or not a row has an amount in them.
TERTIAL_ADJUSTMENTS = (
    "Prognos prestationsförändringar",
    "Prognos budgetjustering",
    "Prognos resultatöverföring",
)

# Units an administration may type amounts in; the factor turns them into mnkr.
UNITS = {"kr": Decimal("0.000001"), "tkr": Decimal("0.001"), "mnkr": Decimal(1)}


def total(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the values that are set; None when none is."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """a − b, or None when either is missing."""
    return None if a is None or b is None else a - b


def deviation(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    """Avvikelse = budget − bokslut (or prognos): positive is a surplus."""
    return difference(budget, spent)


def adjusted_deviation(
    deviation: Decimal | None, adjustments: Iterable[Decimal | None]
) -> Decimal | None:
    """Justerad avvikelse = avvikelse + every adjustment; None without a deviation."""
    if deviation is None:
        return None
    return deviation + (total(adjustments) or Decimal(0))


def change(kind: str | None, outcome: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Förändring of an income-statement row: the change of the income for an income row (its
    size in ledger signs: previous − outcome), this year − last year otherwise."""
    if kind == INCOME:
        return difference(previous, outcome)
    return difference(outcome, previous)


def consumption(outcome: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """Förbrukning = outcome / budget, a share (0,308 for 30,8 %)."""
    if outcome is None or not budget:
        return None
    return outcome / budget


def rounded(value: Decimal | None, step: Decimal = PRINT_STEP) -> Decimal | None:
    """The value as printed: rounded once, half away from zero, never −0,0."""
    if value is None:
        return None
    result = value.quantize(step, rounding=ROUND_HALF_UP)
    return result.copy_abs() if result.is_zero() else result


def in_balance(value: Decimal | None) -> bool:
    """A deviation that prints as 0,0 is 'i balans'."""
    return value is not None and rounded(value).is_zero()


def fits(given: Decimal | None, terms: Iterable[Decimal | None]) -> bool:
    """Whether a given (printed) total is explained by rounding its terms: it differs from
    their sum by at most n × 0,05, n being the number of terms that are set."""
    present = [t for t in terms if t is not None]
    if given is None or not present:
        return True
    return abs(given - sum(present, Decimal(0))) <= HALF_STEP * len(present)


def adjustment_columns(
    tertial: bool, kinds: Iterable[str], present: Iterable[str]
) -> tuple[str, ...]:
    """The operating budget's adjustment columns, left to right: in a tertial report the fixed
    ``TERTIAL_ADJUSTMENTS``, in a VB the board's adjustment kinds in their order
    (``AdjustmentKind``), each printed even when no row has an amount in it; then any other
    label a row uses, in the order it first appears. Labels match without regard to case."""
    columns: dict[str, str] = {}
    for label in (*(TERTIAL_ADJUSTMENTS if tertial else kinds), *present):
        columns.setdefault(label.strip().casefold(), label)
    return tuple(columns.values())


def same_label(a: str, b: str) -> bool:
    """Whether two adjustment labels name the same column."""
    return a.strip().casefold() == b.strip().casefold()


def to_mnkr(value: Decimal | None, unit: str) -> Decimal | None:
    """An amount typed in ``unit`` (kr, tkr, mnkr) in mnkr, as stored."""
    return None if value is None else value * UNITS[unit]


def from_mnkr(value: Decimal | None, unit: str) -> Decimal | None:
    """A stored amount in ``unit``, for a form."""
    return None if value is None else value / UNITS[unit]
