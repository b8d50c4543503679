from decimal import Decimal

import pytest
from django import forms

from reporting.forms import SwedishDecimalField, move_in_formset

NNBSP, MINUS = "\u202f", "\u2212"


class AmountForm(forms.Form):
    amount = SwedishDecimalField(max_digits=16, decimal_places=4)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 165,1", Decimal("1165.1")),
        (f"1{NNBSP}165,1", Decimal("1165.1")),
        ("1\u00a0165,1", Decimal("1165.1")),
        ("0,03", Decimal("0.03")),
        ("0,03 %", Decimal("0.03")),
        ("0,03%", Decimal("0.03")),
        (f"{MINUS}4,5", Decimal("-4.5")),
        ("-4,5", Decimal("-4.5")),
        ("\u20134,5", Decimal("-4.5")),
        ("4.5", Decimal("4.5")),
        ("  12  ", Decimal("12")),
        ("", None),
        ("   ", None),
    ],
)
def test_swedish_numbers_are_read_as_typed(typed, expected):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == expected


@pytest.mark.parametrize("typed", ["12,3,4", "1.165,1", "tolv", "1 16,5", "--4", "%", ",", "1e5"])
def test_unreadable_numbers_get_a_swedish_message_and_keep_the_input(typed):
    form = AmountForm({"amount": typed})
    assert not form.is_valid()
    message = form.errors["amount"][0]
    assert "tal" in message
    assert "1 165,1" in message
    assert f'value="{typed}"' in str(form["amount"])


def test_too_many_decimals_are_refused_in_swedish():
    form = AmountForm({"amount": "1,123456"})
    assert not form.is_valid()
    assert "decimal" in form.errors["amount"][0]


def test_a_stored_value_is_shown_back_in_swedish_format():
    form = AmountForm(initial={"amount": Decimal("-1165.1000")})
    html = str(form["amount"])
    assert f'value="{MINUS}1{NNBSP}165,1"' in html
    assert 'type="text"' in html


def test_a_number_shown_back_reads_back_as_the_same_number():
    shown = AmountForm(initial={"amount": Decimal("1234567.25")})["amount"].value()
    form = AmountForm({"amount": shown})
    assert form.is_valid()
    assert form.cleaned_data["amount"] == Decimal("1234567.25")


def order_data(orders: list[str]) -> dict:
    data = {"p-TOTAL_FORMS": str(len(orders))}
    data.update({f"p-{i}-ORDER": order for i, order in enumerate(orders)})
    return data


def test_moving_a_row_up_swaps_its_order_with_the_row_above():
    data = order_data(["1", "2", "3", ""])
    assert move_in_formset(data, "p", 2, -1)
    assert [data[f"p-{i}-ORDER"] for i in range(4)] == ["1", "3", "2", ""]


def test_moving_the_first_row_up_or_the_last_row_down_does_nothing():
    data = order_data(["1", "2", ""])
    assert not move_in_formset(data, "p", 0, -1)
    assert not move_in_formset(data, "p", 1, 1)
    assert not move_in_formset(data, "p", 2, -1)  # the empty new row has no place
    assert [data[f"p-{i}-ORDER"] for i in range(3)] == ["1", "2", ""]


def test_moving_survives_garbage():
    assert not move_in_formset({"p-TOTAL_FORMS": "x"}, "p", 0, 1)
    data = order_data(["a", "2"])  # an unreadable order sorts last
    assert not move_in_formset(data, "p", 1, -1)
    assert move_in_formset(data, "p", 1, 1)
    assert (data["p-0-ORDER"], data["p-1-ORDER"]) == ("2", "a")
