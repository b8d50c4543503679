"""A handläggare fills in a period in the browser."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import OperatingBudgetRow
from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import Indicator, IndicatorValue
from tests.factories import make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


def plain(text: str) -> str:
    """Spaces of every kind as ordinary spaces, the true minus as a hyphen."""
    return text.replace(NNBSP, " ").replace(NBSP, " ").replace(MINUS, "-")


@pytest.fixture
def report(board):
    """A VB with one board goal, a percentage indicator with gender split, a count without,
    one activity and one operating area."""
    report = make_report(board, indicators=2)
    count = Indicator.objects.get(name="Andel nöjda 1.1")
    count.name, count.unit, count.gender_split_required = "Antal besök", "st", False
    count.save()
    return report


def urls(report) -> dict[str, str]:
    goal = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    rate = IndicatorValue.objects.get(report=report, indicator__unit="%")
    count = IndicatorValue.objects.get(report=report, indicator__unit="st")
    activity = ActivityFollowUp.objects.get(report=report)
    row = OperatingBudgetRow.objects.get(report=report)
    return {
        "goal": reverse("goals:goal_assessment_edit", args=[report.pk, goal.pk]),
        "rate": reverse("indicators:indicator_value_edit", args=[report.pk, rate.pk]),
        "count": reverse("indicators:indicator_value_edit", args=[report.pk, count.pk]),
        "activity": reverse("goals:activity_follow_up_edit", args=[report.pk, activity.pk]),
        "budget_row": reverse("budget:operating_budget_row_edit", args=[report.pk, row.pk]),
        "workspace": reverse("reporting:workspace", args=[report.pk]),
        "report": reverse("reporting:report_detail", args=[report.pk]),
    }


def save(page, button: str = "Spara") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    assert page.locator(".alert-success").count() == 1, page.inner_text("main")[:2000]


def test_a_handlaggare_fills_in_a_period_and_finds_it_saved(page_for, editor, report):
    url = urls(report)
    page = page_for(editor)

    page.goto(url["goal"])
    page.get_by_label("Uppfylls delvis").check()
    page.get_by_label("Analys").fill(
        "Nämnden bedömer att målet uppfylls delvis.\n\n- Fler i arbete"
    )
    save(page)

    page.goto(url["count"])
    page.get_by_label("Periodens utfall (st)").fill("1 165")
    save(page)

    page.goto(url["rate"])
    page.get_by_label("Periodens utfall (%)").fill("0,03 %")
    page.get_by_label("Utfall män/pojkar (%)").fill("0,02")
    page.get_by_label("Utfall kvinnor/flickor (%)").fill("0,04 %")
    page.get_by_label("Analys").fill("Andelen är låg.")
    save(page)

    page.goto(url["activity"])
    page.get_by_label("Pågående").check()
    page.get_by_label("Avvikelse").fill("Startade en månad sent.")
    save(page, "Klarmarkera")
    assert page.url.endswith(url["workspace"] + f"#aktivitet-{ActivityFollowUp.objects.get().pk}")
    assert "1 av 23 klara" in page.inner_text(".progress-panel")  # 10 economy subsections, 2 tables

    page.goto(url["budget_row"])
    page.get_by_label("Budget", exact=True).fill("1 165,1")
    page.get_by_label("Bokslut", exact=True).fill("1 170")
    # the deviation and the total are recomputed while typing
    assert plain(page.inner_text('[data-out="deviation"]')) == "-4,9"
    assert plain(page.inner_text('[data-out="total-deviation"]')) == "-4,9"
    page.get_by_label("Justering, ny justering").fill("Resultatöverföring")
    page.get_by_label("Belopp, ny justering").fill("2,5")
    assert plain(page.inner_text('[data-out="adjusted"]')) == "-2,4"
    save(page)

    # Reloaded, every form shows what was typed, numbers in Swedish format.
    page.goto(url["goal"])
    assert page.get_by_label("Uppfylls delvis").is_checked()
    assert page.get_by_label("Analys").input_value().startswith("Nämnden bedömer att")
    page.goto(url["count"])
    assert plain(page.get_by_label("Periodens utfall (st)").input_value()) == "1 165"
    page.goto(url["rate"])
    assert page.get_by_label("Periodens utfall (%)").input_value() == "0,03"
    assert page.get_by_label("Utfall kvinnor/flickor (%)").input_value() == "0,04"
    page.goto(url["activity"])
    assert page.get_by_label("Pågående").is_checked()
    assert page.get_by_text("Klarmarkerad", exact=True).is_visible()
    page.goto(url["budget_row"])
    assert plain(page.get_by_label("Budget", exact=True).input_value()) == "1 165,1"
    assert plain(page.inner_text('[data-out="adjusted"]')) == "-2,4"

    # The database holds the numbers, not the typed text.
    goal = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    assert (goal.assessment, goal.version) == ("partial", 2)
    assert IndicatorValue.objects.get(indicator__unit="st").outcome == Decimal("1165")
    rate = IndicatorValue.objects.get(indicator__unit="%")
    assert (rate.outcome, rate.outcome_women) == (Decimal("0.03"), Decimal("0.04"))
    activity = ActivityFollowUp.objects.get()
    assert (activity.status, activity.ready) == ("ongoing", True)
    row = OperatingBudgetRow.objects.get()
    assert (row.budget, row.outcome) == (Decimal("1165.1"), Decimal("1170"))

    # The report page shows the document with the values.
    page.goto(url["report"])
    text = plain(page.inner_text("main"))
    assert "Nämnden bedömer att målet uppfylls delvis." in text
    assert "Uppfylls delvis" in text
    assert "0,03 %" in text
    assert "1 165,1" in text
    assert "Startade en månad sent." in text


def test_a_bad_figure_is_shown_next_to_its_field_and_nothing_typed_is_lost(
    page_for, editor, report
):
    page = page_for(editor)
    page.goto(urls(report)["rate"])
    page.get_by_label("Periodens utfall (%)").fill("12,3,4")
    page.get_by_label("Utfall män/pojkar (%)").fill("10")
    page.get_by_label("Utfall kvinnor/flickor (%)").fill("14,5")
    page.get_by_label("Prognos helår (%)").fill("88")
    page.get_by_label("Analys").fill("Min analys, som inte får försvinna.")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara", exact=True).click()

    outcome = page.get_by_label("Periodens utfall (%)")
    assert outcome.get_attribute("aria-invalid") == "true"
    assert "id_outcome_error" in outcome.get_attribute("aria-describedby")
    error = page.locator("#id_outcome_error")
    assert error.is_visible()
    assert "invalid-feedback" in error.get_attribute("class")
    assert "”12,3,4” är inte ett tal" in error.inner_text()
    assert outcome.input_value() == "12,3,4"
    assert page.get_by_label("Utfall män/pojkar (%)").input_value() == "10"
    assert page.get_by_label("Utfall kvinnor/flickor (%)").input_value() == "14,5"
    assert page.get_by_label("Prognos helår (%)").input_value() == "88"
    assert page.get_by_label("Analys").input_value() == "Min analys, som inte får försvinna."
    assert page.get_by_label("Utfall män/pojkar (%)").get_attribute("aria-invalid") is None
    assert IndicatorValue.objects.get(indicator__unit="%").version == 1


def focus_by_tab(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received the focus")


def test_a_form_can_be_completed_with_the_keyboard_alone(page_for, editor, report):
    page = page_for(editor)
    page.goto(urls(report)["rate"])
    focus_by_tab(page, "#id_outcome")
    page.keyboard.type("55,5")
    page.keyboard.press("Tab")  # the box "Text i stället för tal"
    page.keyboard.press("Tab")
    page.keyboard.type("50")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("60,1")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Mäts i VB")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_forecast_as_text"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Skriven med tangentbordet.")
    focus_by_tab(page, 'button[value="save"]:not(.visually-hidden)', limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".alert-success").count() == 1, page.inner_text("main")[:2000]

    value = IndicatorValue.objects.get(indicator__unit="%")
    assert (value.outcome, value.outcome_men, value.outcome_women) == (
        Decimal("55.5"),
        Decimal("50"),
        Decimal("60.1"),
    )
    assert value.get_figure("forecast") == "Mäts i VB"
    assert value.analysis == "Skriven med tangentbordet."


def test_a_goal_is_assessed_with_the_keyboard_and_saved_with_enter(page_for, editor, report):
    page = page_for(editor)
    page.goto(urls(report)["goal"])
    focus_by_tab(page, 'input[name="assessment"]')
    page.keyboard.press("ArrowDown")  # from "Ej bedömd" to "Uppfylls helt"
    page.keyboard.press("Tab")
    page.keyboard.type("Målet nås.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Spara"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".alert-success").count() == 1, page.inner_text("main")[:2000]
    goal = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    assert (goal.assessment, goal.analysis) == ("full", "Målet nås.")


def test_the_focus_is_visible(page_for, editor, report):
    page = page_for(editor)
    page.goto(urls(report)["goal"])
    focus_by_tab(page, "#id_analysis")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert outline == "solid" and width >= 2
