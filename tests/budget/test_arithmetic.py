"""budget.arithmetic: the one place every derived economy figure is computed."""

from decimal import Decimal

import pytest

from budget import arithmetic
from reporting.numbers import format_amount

D = Decimal

# Four areas in tkr, exact to the krona: each row rounds down to x,x, but the sum rounds up.
# Printed rows: 88,0 + 144,8 + 272,2 + 27,5 = 532,5; the exact total 532,64 prints 532,6.
BUDGETS_TKR = ["88040.213", "144840.000", "272240.600", "27520.000"]


def test_a_total_is_the_exact_sum_rounded_once():
    budgets = [arithmetic.to_mnkr(D(v), "tkr") for v in BUDGETS_TKR]
    printed_rows = [format_amount(b) for b in budgets]
    assert printed_rows == ["88,0", "144,8", "272,2", "27,5"]
    assert sum(D(p.replace(",", ".")) for p in printed_rows) == D("532.5")
    assert format_amount(arithmetic.total(budgets)) == "532,6"


def test_deviation_is_budget_minus_outcome_and_adjustments_add():
    assert arithmetic.deviation(D("88.04"), D("82.16")) == D("5.88")  # a surplus, +5,9
    assert arithmetic.deviation(D("27.5"), D("28.4")) == D("-0.9")
    assert arithmetic.deviation(None, D("1")) is None
    assert arithmetic.adjusted_deviation(D("25.2"), [D("-0.1"), D("-23.8")]) == D("1.3")
    assert arithmetic.adjusted_deviation(D("5.9"), []) == D("5.9")
    assert arithmetic.adjusted_deviation(None, [D("1")]) is None


def test_the_change_of_an_income_row_is_the_change_of_the_income():
    # VB 2019: the income fell from 508,6 to 421,5 mnkr (ledger: −508,6 → −421,5): −87,0
    assert arithmetic.change("income", D("-421.5"), D("-508.6")) == D("-87.1")
    assert arithmetic.change("income", D("-54.6"), D("-54.5")) == D("0.1")  # rose by 0,1
    assert arithmetic.change("cost", D("620.7"), D("659.4")) == D("-38.7")
    assert arithmetic.change(None, D("1221.5"), D("1165.1")) == D("56.4")  # the net


@pytest.mark.parametrize(
    ("value", "printed"),
    [(D("5.85"), "5.9"), (D("-5.85"), "-5.9"), (D("-0.04"), "0.0"), (D("0.049"), "0.0")],
)
def test_rounding_is_once_half_away_from_zero_and_never_minus_zero(value, printed):
    assert str(arithmetic.rounded(value)) == printed


def test_in_balance_when_the_deviation_prints_as_zero():
    assert arithmetic.in_balance(D("0.04")) and arithmetic.in_balance(D("-0.049"))
    assert not arithmetic.in_balance(D("0.05")) and not arithmetic.in_balance(None)


def test_consumption_is_rounded_from_the_exact_share():
    # 12,3412 of 40,0132 mnkr is 30,84 %: printed 30,8 % (from the rounded amounts 12,3 and
    # 40,0 it would be 30,75 %, printed 30,8 % only by luck; a share is never computed from them)
    share = arithmetic.consumption(D("12.3412"), D("40.0132"))
    assert arithmetic.rounded(share * 100) == D("30.8")


def test_a_given_total_fits_when_rounding_explains_it():
    rows = [D("92.2"), D("147.7"), D("273.1")]  # 513,0 summed
    assert arithmetic.fits(D("513.1"), rows)
    assert arithmetic.fits(D("513.15"), rows)  # 3 × 0,05
    assert not arithmetic.fits(D("513.2"), rows)
    assert arithmetic.fits(None, rows) and arithmetic.fits(D("1"), [None])


def test_units_convert_to_mnkr_and_back():
    assert arithmetic.to_mnkr(D("1165100"), "tkr") == D("1165.1")
    assert arithmetic.to_mnkr(D("1234567.89"), "kr") == D("1.23456789")
    assert arithmetic.from_mnkr(D("1.23456789"), "kr") == D("1234567.89")
