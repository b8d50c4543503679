import pytest
from django import forms

from goals.forms import ExpectedResultsField


class ExpectedResultsForm(forms.Form):
    expected_results = ExpectedResultsField()


def test_lines_become_a_list_of_strings():
    form = ExpectedResultsForm({"expected_results": "Fler i arbete\nFärre hemlösa"})
    assert form.is_valid()
    assert form.cleaned_data["expected_results"] == ["Fler i arbete", "Färre hemlösa"]


def test_empty_lines_and_surrounding_spaces_are_dropped():
    text = "\n  Fler i arbete  \r\n\r\n   \nFärre hemlösa\n\n"
    form = ExpectedResultsForm({"expected_results": text})
    assert form.is_valid()
    assert form.cleaned_data["expected_results"] == ["Fler i arbete", "Färre hemlösa"]


def test_an_empty_field_is_an_empty_list():
    form = ExpectedResultsForm({"expected_results": " \n "})
    assert form.is_valid()
    assert form.cleaned_data["expected_results"] == []


def test_a_required_field_refuses_only_blank_lines_in_swedish():
    class RequiredForm(forms.Form):
        expected_results = ExpectedResultsField(required=True)

    form = RequiredForm({"expected_results": "\n\n"})
    assert not form.is_valid()
    assert form.errors["expected_results"] == ["Detta fält måste fyllas i."]


def test_a_list_is_shown_one_item_per_line():
    form = ExpectedResultsForm(initial={"expected_results": ["Fler i arbete", "Färre hemlösa"]})
    assert form["expected_results"].value() == "Fler i arbete\nFärre hemlösa"
    assert ">\nFler i arbete\nFärre hemlösa</textarea>" in str(form["expected_results"])


def test_typed_text_survives_an_error_unchanged():
    class FormWithAnotherField(forms.Form):
        expected_results = ExpectedResultsField()
        title = forms.CharField()

    typed = "Fler i arbete\n\nFärre hemlösa"
    form = FormWithAnotherField({"expected_results": typed, "title": ""})
    assert not form.is_valid()
    assert form["expected_results"].value() == typed


@pytest.mark.parametrize(
    "items",
    [[], ["En punkt"], ["Första", "Andra med åäö", "Tredje – med tankstreck"]],
)
def test_lines_and_list_round_trip(items):
    shown = ExpectedResultsField().prepare_value(items)
    form = ExpectedResultsForm({"expected_results": shown})
    assert form.is_valid()
    assert form.cleaned_data["expected_results"] == items


def test_an_unchanged_list_is_not_reported_as_changed():
    field = ExpectedResultsField()
    assert not field.has_changed(["Första", "Andra"], "Första\r\nAndra\r\n")
    assert field.has_changed(["Första", "Andra"], "Första")


def test_the_field_has_a_swedish_label_and_help_text():
    field = ExpectedResultsField()
    assert field.label == "Förväntat resultat"
    assert field.help_text == "En punkt per rad."
    assert isinstance(field.widget, forms.Textarea)
