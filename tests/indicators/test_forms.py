from decimal import Decimal

import pytest

from indicators.forms import IndicatorValueForm
from indicators.models import IndicatorValue
from tests.factories import make_report


@pytest.fixture
def value(db):
    """The outcome of 'Andel nöjda' (unit %, gender split required) in a VB report."""
    report = make_report()
    return IndicatorValue.objects.select_related("indicator", "report").get(report=report)


def with_unit(value, unit: str, *, split: bool | None = True):
    value.indicator.unit = unit
    value.indicator.gender_split_required = split
    value.indicator.save()
    return value


def data(**figures) -> dict:
    result = {
        "version": "1",
        "outcome": "",
        "outcome_men": "",
        "outcome_women": "",
        "forecast": "",
        "analysis": "",
    }
    result.update({k: v for k, v in figures.items()})
    return result


def form_for(value, **figures) -> IndicatorValueForm:
    return IndicatorValueForm(data(**figures), instance=value, report=value.report)


def saved(value, form) -> IndicatorValue:
    assert form.is_valid(), form.errors
    form.apply(value)
    value.save()
    value.refresh_from_db()
    return value


def test_percentages_typed_the_swedish_way_are_read(value):
    form = form_for(value, outcome="0,03 %", outcome_men="0,02", outcome_women="0,04 %")
    value = saved(value, form)
    assert value.outcome == Decimal("0.03")
    assert value.outcome_men == Decimal("0.02")
    assert value.outcome_women == Decimal("0.04")


def test_a_count_with_thousands_and_a_minus_sign_is_read(value):
    with_unit(value, "st", split=False)
    value = saved(value, form_for(value, outcome="1 165", forecast="−4"))
    assert value.outcome == Decimal("1165")
    assert value.forecast == Decimal("-4")


def test_a_fraction_of_a_count_is_asked_about_and_kept_when_confirmed(value):
    with_unit(value, "st", split=False)
    form = form_for(value, outcome="1 165,1", forecast="−4,5")
    assert not form.is_valid()
    assert "1\u202f165,1\xa0st är inte ett helt antal" in form.errors["outcome"][0]
    assert "Jag bekräftar värdet" in form.errors["forecast"][0]
    assert form.show_confirm
    value = saved(value, form_for(value, outcome="1 165,1", forecast="−4,5", confirm="on"))
    assert value.outcome == Decimal("1165.1")
    assert value.forecast == Decimal("-4.5")


def test_a_stored_figure_is_shown_in_swedish_format(value):
    with_unit(value, "st", split=False)
    value.outcome = Decimal("1165.100000")
    value.save()
    form = IndicatorValueForm(instance=value, report=value.report)
    assert form["outcome"].value() == "1\u202f165,1"


def test_a_bad_figure_is_an_error_at_its_field_and_hints_at_the_text_box(value):
    form = form_for(value, outcome="12,3,4", outcome_men="5", analysis="Min analys")
    assert not form.is_valid()
    assert "”12,3,4” är inte ett tal" in form.errors["outcome"][0]
    assert "Text i stället för tal" in form.errors["outcome"][1]
    assert set(form.errors) == {"outcome"}
    assert form["outcome_men"].value() == "5"
    assert form["analysis"].value() == "Min analys"


# -- text in place of a number ---------------------------------------------------------------


def test_text_is_refused_in_a_figure_unless_the_box_is_ticked(value):
    form = form_for(value, outcome="Uppgift saknas")
    assert not form.is_valid()
    assert "är inte ett tal" in form.errors["outcome"][0]

    form = form_for(value, outcome="Uppgift saknas", outcome_as_text="on")
    value = saved(value, form)
    assert value.outcome is None
    assert value.outcome_text == "Uppgift saknas"
    assert value.get_figure("outcome") == "Uppgift saknas"


def test_a_text_figure_starts_with_the_box_ticked_and_stays_text(value):
    value.set_figure("forecast", "Mäts i VB")
    value.save()
    form = IndicatorValueForm(instance=value, report=value.report)
    assert form["forecast"].value() == "Mäts i VB"
    assert form["forecast_as_text"].value() is True
    assert form["outcome_as_text"].value() is False


def test_unticking_the_box_turns_a_text_figure_back_into_a_number(value):
    value.set_figure("forecast", "Mäts i VB")
    value.save()
    value = saved(value, form_for(value, forecast="81,5"))
    assert value.forecast == Decimal("81.5")
    assert value.forecast_text == ""


def test_the_rule_is_told_in_the_form(value):
    form = IndicatorValueForm(instance=value, report=value.report)
    assert "Text i stället för tal" in form.figure_help
    assert form.fields["outcome_as_text"].label == "Text i stället för tal"


# -- percentages outside 0–100 ---------------------------------------------------------------


def test_a_percentage_above_100_needs_a_confirmation(value):
    form = form_for(value, outcome="120", outcome_men="110", outcome_women="130")
    assert not form.is_valid()
    assert "120\u00a0%" in form.errors["outcome"][0]
    assert "utanför 0–100 %" in form.errors["outcome"][0]
    assert "Jag bekräftar värdet" in form.errors["outcome"][0]
    assert form.show_confirm

    form = form_for(value, outcome="120", outcome_men="110", outcome_women="130", confirm="on")
    value = saved(value, form)
    assert value.outcome == Decimal("120")


def test_a_negative_percentage_needs_a_confirmation_too(value):
    form = form_for(value, forecast="-3")
    assert not form.is_valid()
    assert "utanför 0–100 %" in form.errors["forecast"][0]


def test_a_confirmed_value_is_not_questioned_again_at_the_next_save(value):
    value = saved(value, form_for(value, forecast="150", confirm="on"))
    value.version = 1
    form = form_for(value, forecast="150", analysis="Ny text")
    assert form.is_valid(), form.errors


def test_the_confirmation_box_appears_only_with_such_an_error(value):
    form = form_for(value, outcome="12,3,4")
    assert not form.is_valid()
    assert not form.show_confirm


def test_percent_limits_do_not_apply_to_other_units(value):
    with_unit(value, "kr", split=False)
    assert form_for(value, outcome="505").is_valid()


# -- gender split ----------------------------------------------------------------------------


def test_a_missing_required_split_is_an_error_next_to_men_and_women(value):
    form = form_for(value, outcome="55")
    assert not form.is_valid()
    assert set(form.errors) == {"outcome_men", "outcome_women"}
    assert "uppdelad på kön" in form.errors["outcome_men"][0]
    assert "män/pojkar" in form.errors["outcome_men"][0]
    assert "kvinnor/flickor" in form.errors["outcome_women"][0]
    assert not form.show_confirm


def test_a_missing_required_split_cannot_be_confirmed_away(value):
    form = form_for(value, outcome="55", outcome_men="50", confirm="on")
    assert not form.is_valid()
    assert set(form.errors) == {"outcome_women"}


def test_a_missing_split_can_be_given_as_text(value):
    form = form_for(
        value,
        outcome="55",
        outcome_men="Uppgift saknas",
        outcome_men_as_text="on",
        outcome_women="Uppgift saknas",
        outcome_women_as_text="on",
    )
    assert form.is_valid(), form.errors


def test_no_split_is_needed_where_the_indicator_does_not_require_one(value):
    with_unit(value, "%", split=False)
    assert form_for(value, outcome="55").is_valid()


def test_no_split_is_needed_without_an_outcome(value):
    assert form_for(value, forecast="55", analysis="Prognos").is_valid()


def test_a_count_must_be_the_sum_of_men_and_women(value):
    with_unit(value, "st")
    form = form_for(value, outcome="30", outcome_men="12", outcome_women="15")
    assert not form.is_valid()
    message = form.errors["outcome"][0]
    assert "inte summan" in message
    assert "12 + 15 = 27" in message
    assert form.show_confirm
    assert form_for(value, outcome="27", outcome_men="12", outcome_women="15").is_valid()
    confirmed = form_for(value, outcome="30", outcome_men="12", outcome_women="15", confirm="on")
    assert confirmed.is_valid()


@pytest.mark.parametrize("unit", ["%", "index", "dagar"])
def test_a_rate_lies_between_men_and_women(value, unit):
    with_unit(value, unit)
    form = form_for(value, outcome="60", outcome_men="40", outcome_women="50")
    assert not form.is_valid()
    assert "utanför intervallet" in form.errors["outcome"][0]
    assert form_for(value, outcome="45", outcome_men="40", outcome_women="50").is_valid()
    assert form_for(value, outcome="40", outcome_men="50", outcome_women="40").is_valid()
    assert form_for(
        value, outcome="60", outcome_men="40", outcome_women="50", confirm="on"
    ).is_valid()


# -- klarmarkera -----------------------------------------------------------------------------


def test_an_indicator_needs_an_outcome_or_a_forecast_to_be_marked_ready(value):
    form = IndicatorValueForm(data(), instance=value, report=value.report, action="ready")
    assert not form.is_valid()
    assert "innan du klarmarkerar" in form.errors["outcome"][0]
    form = IndicatorValueForm(
        data(forecast="Mäts i VB", forecast_as_text="on"),
        instance=value,
        report=value.report,
        action="ready",
    )
    assert form.is_valid(), form.errors
