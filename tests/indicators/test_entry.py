from decimal import Decimal

from indicators.models import IndicatorValue
from tests.entry_helpers import entry_urls, shown_form
from tests.factories import make_report

NBSP = "\u00a0"


def test_figures_typed_the_swedish_way_are_saved_and_shown_back(client, editor, report):
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(
        url,
        {
            **data,
            "outcome": "0,03 %",
            "outcome_men": "0,02",
            "outcome_women": "0,04",
            "forecast": "1,5",
            "analysis": "Analys av indikatorn.",
        },
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(report=report)
    assert value.outcome == Decimal("0.03")
    assert value.forecast == Decimal("1.5")
    html = client.get(url).content.decode()
    assert 'value="0,03"' in html
    assert 'value="1,5"' in html


def test_the_page_shows_unit_targets_last_year_and_status(client, editor, board, report):
    value = IndicatorValue.objects.get(report=report)
    value.outcome, value.outcome_men, value.outcome_women = (
        Decimal("85"),
        Decimal("80"),
        Decimal("90"),
    )
    value.previous_outcome = Decimal("77.5")
    value.save()
    client.force_login(editor)
    html = client.get(entry_urls(report)["indicator"]).content.decode()
    assert "Periodens utfall (%)" in html
    assert f"80{NBSP}%" in html  # annual target
    assert f"75{NBSP}%" in html  # KF's annual target
    assert f"77,5{NBSP}%" in html  # last year's outcome
    assert "Utfall VB 2018" in html
    assert "Utfall: Målet nås" in html


def test_last_years_outcome_comes_from_last_years_vb(client, editor, board):
    last_year = make_report(board, 2018)
    old = IndicatorValue.objects.get(report=last_year)
    old.outcome = Decimal("66.6")
    old.save()
    report = make_report(board, 2019)
    value = IndicatorValue.objects.get(report=report)
    value.indicator.predecessor = old.indicator
    value.indicator.save()
    client.force_login(editor)
    html = client.get(entry_urls(report)["indicator"]).content.decode()
    assert f"66,6{NBSP}%" in html


def test_a_bad_figure_is_shown_next_to_its_field_with_everything_else_kept(client, editor, report):
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(
        url,
        {**data, "outcome": "12,3,4", "outcome_men": "10", "forecast": "88", "analysis": "Kvar."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_outcome_error"' in html
    assert 'id="id_outcome_error" class="invalid-feedback"' in html
    assert "”12,3,4” är inte ett tal" in html
    assert 'value="12,3,4"' in html
    assert 'value="10"' in html
    assert 'value="88"' in html
    assert "Kvar.</textarea>" in html
    assert IndicatorValue.objects.get(report=report).version == 1


def test_the_confirmation_box_appears_with_the_error_and_accepts_on_the_second_save(
    client, editor, report
):
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    values = {"outcome": "104", "outcome_men": "102", "outcome_women": "106"}
    html = client.post(url, {**data, **values}).content.decode()
    assert "Jag bekräftar värdet" in html
    assert 'name="confirm"' in html
    response = client.post(url, {**data, **values, "confirm": "on"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(report=report).outcome == Decimal("104")
    assert 'name="confirm"' not in client.get(url).content.decode()


def test_klarmarkera_and_undo_on_an_indicator(client, editor, report):
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    client.post(url, {**data, "forecast": "82", "action": "ready"})
    assert IndicatorValue.objects.get(report=report).ready
    _, data = shown_form(client, url)
    client.post(url, {**data, "action": "unready"})
    value = IndicatorValue.objects.get(report=report)
    assert not value.ready and value.forecast == Decimal("82")
