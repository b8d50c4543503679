from decimal import Decimal

import pytest

from reporting.numbers import (
    NumberFormatError,
    format_amount,
    format_figure,
    format_number,
    parse_number,
)

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("1165.1"), None, f"1{NNBSP}165,1"),
        (Decimal("0.030000"), None, "0,03"),
        (Decimal("88.0"), None, "88"),
        (Decimal("-4.5"), None, f"{MINUS}4,5"),
        (Decimal("1234567.891"), 1, f"1{NNBSP}234{NNBSP}567,9"),
        (Decimal("5"), 2, "5,00"),
        (None, None, ""),
    ],
)
def test_format_number_writes_swedish_style(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_figure_puts_the_unit_after_a_no_break_space():
    assert format_figure(Decimal("0.03"), "%") == f"0,03{NBSP}%"
    assert format_figure(Decimal("20"), "st") == f"20{NBSP}st"
    assert format_figure("Tas fram av nämnden", "%") == "Tas fram av nämnden"
    assert format_figure(None, "%") == ""


def test_format_amount_has_one_decimal_and_an_optional_sign():
    assert format_amount(Decimal("5.85")) == "5,9"
    assert format_amount(Decimal("5.9"), sign=True) == "+5,9"
    assert format_amount(Decimal("-0.8"), sign=True) == f"{MINUS}0,8"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 165,1", Decimal("1165.1")),
        (f"1{NNBSP}165,1", Decimal("1165.1")),
        (f"1{NBSP}165,1", Decimal("1165.1")),
        ("0,03", Decimal("0.03")),
        ("0,03 %", Decimal("0.03")),
        ("0,03%", Decimal("0.03")),
        (f"{MINUS}4,5", Decimal("-4.5")),
        ("-4,5", Decimal("-4.5")),
        ("\u20134,5", Decimal("-4.5")),
        ("- 4,5", Decimal("-4.5")),
        ("4.5", Decimal("4.5")),
        ("1165", Decimal("1165")),
        ("  ", None),
        ("", None),
    ],
)
def test_parse_number_reads_what_swedes_type(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    "typed", ["12,3,4", "1.165,1", "abc", "1 16,5", "12a", "%", "-", ",", "1..2"]
)
def test_parse_number_refuses_what_is_not_a_number_with_a_swedish_message(typed):
    with pytest.raises(NumberFormatError) as error:
        parse_number(typed)
    assert "tal" in str(error.value)
