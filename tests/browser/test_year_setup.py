"""A board's administrator sets up the year in the browser; the editor finds it in the report."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import BoardGoal
from indicators.models import Indicator
from reporting.models import Report
from tests.factories import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = None  # set to a folder to keep screenshots of the pages while developing


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    assert page.locator(".alert-success").count() == 1, page.inner_text("main")[:2000]


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def year_2020(board):
    """The council's goals for 2020 (kept by the city) and nothing of the board's own yet."""
    return make_plan(board, 2020, board_goals=0, indicators=0, activities=0, areas=1)


def add_board_goal(page, number: str, title: str) -> None:
    page.get_by_role("link", name="Nytt nämndmål").first.click()
    page.locator("#id_area_goal").select_option(
        label="1.1 I Stockholm är människor självförsörjande"
    )
    page.locator("#id_number").fill(number)
    page.locator("#id_title").fill(title)
    page.locator("#id_description").fill("Fler ska försörja sig själva.")
    page.locator("#id_expected_results_text").fill("Fler i arbete\nKortare tid med bistånd")
    submit(page, "Lägg till")


def test_the_administrator_sets_up_the_year_and_the_editor_finds_the_goal(
    page_for, administrator, board, year_2020
):
    plan = reverse("planning:plan", args=[board.pk, 2020])
    page = page_for(administrator)
    page.goto(plan)
    shot(page, "plan-empty")

    add_board_goal(page, "1.1.1", "Stockholmare arbetar och är självförsörjande")
    goal = BoardGoal.objects.get(board=board, year=2020)
    assert goal.expected_results == ["Fler i arbete", "Kortare tid med bistånd"]

    # an indicator with a target; a mistake first: no direction given
    page.get_by_role("link", name="Ny indikator").first.click()
    page.locator("#id_goal").select_option(label=f"Nämndmål 1.1.1 {goal.title}")
    page.locator("#id_name").fill("Andel som lämnat ekonomiskt bistånd för arbete")
    page.get_by_label("Nämndens indikator").check()
    page.locator("#id_unit").fill("%")
    page.locator("#id_annual_target").fill("42,5")
    page.locator("#id_kf_annual_target").fill("Tas fram av nämnden")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till").click()
    error = page.locator("#id_direction + .invalid-feedback, .invalid-feedback").first
    assert "Ange om högre eller lägre är bättre." in page.inner_text("main")
    assert error.is_visible()
    assert (
        page.locator("#id_name").input_value() == "Andel som lämnat ekonomiskt bistånd för arbete"
    )
    assert page.locator("#id_annual_target").input_value() == "42,5"
    shot(page, "indicator-error")
    page.get_by_label("Högre är bättre").check()
    page.get_by_label("Kräver könsuppdelning").check()
    submit(page, "Lägg till")
    indicator = Indicator.objects.get(year=2020)
    target = indicator.targets.get()
    assert target.get_figure("annual_target") == 42.5
    assert target.get_figure("kf_annual_target") == "Tas fram av nämnden"
    assert indicator.direction == "higher_is_better" and indicator.gender_split_required
    assert "42,5" in page.inner_text(f"#indikatorer-{indicator.pk}")

    page.get_by_role("link", name="Ny aktivitet").first.click()
    page.locator("#id_goal").select_option(label=f"Nämndmål 1.1.1 {goal.title}")
    page.locator("#id_title").fill("Jobbtorg för unga")
    page.get_by_label("Nämndens aktivitet").check()
    page.locator("#id_start_date").fill("2020-01-01")
    page.locator("#id_end_date").fill("2020-12-31")
    submit(page, "Lägg till")
    shot(page, "plan-filled")

    # a new person, made editor responsible for the goal
    page.get_by_role("link", name="Personer och roller").first.click()
    page.get_by_role("link", name="Lägg till person").click()
    page.locator("#id_username").fill("eva")
    page.get_by_label("Handläggare").check()
    page.locator("#id_first_name").fill("Eva")
    page.locator("#id_last_name").fill("Ek")
    page.locator("#id_password").fill("ett-langt-losenord-2020")
    submit(page, "Lägg till")
    page.locator("#id_ansvar-item").select_option(label=f"Nämndmål 1.1.1 {goal.title}")
    submit(page, "Lägg till ansvar")
    shot(page, "membership")
    assert "Nämndmål 1.1.1" in page.inner_text("main")

    # the T1 with a deadline
    page.goto(plan)
    page.get_by_role("link", name="Skapa rapport").click()
    page.get_by_label("Tertialrapport 1").check()
    page.locator("#id_deadline").fill("2020-05-15")
    submit(page, "Skapa rapporten")
    report = Report.objects.get(board=board, year=2020, period="T1")
    assert str(report.deadline) == "2020-05-15"
    assert "2020-05-15" in page.inner_text("#rapporter")

    eva = get_user_model().objects.get(username="eva")
    editor_page = page_for(eva)
    # what is not ready yet, with the direction goals opened
    editor_page.goto(reverse("reporting:workspace", args=[report.pk]) + "?visa=ej-klara")
    outline = editor_page.inner_text("main")
    assert "1.1.1" in outline and goal.title in outline
    assert "Andel som lämnat ekonomiskt bistånd för arbete" in outline
    assert "Jobbtorg för unga" in outline


def test_a_goal_added_after_the_report_was_created_appears_in_the_open_draft(
    page_for, administrator, editor, board, year_2020
):
    page = page_for(administrator)
    page.goto(reverse("planning:plan", args=[board.pk, 2020]))
    page.get_by_role("link", name="Skapa rapport").click()
    page.get_by_label("Tertialrapport 1").check()
    submit(page, "Skapa rapporten")
    report = Report.objects.get(board=board, year=2020, period="T1")

    workspace = reverse("reporting:workspace", args=[report.pk]) + "?visa=ej-klara"
    editor_page = page_for(editor)
    editor_page.goto(workspace)
    assert "Nytt mål efter starten" not in editor_page.inner_text("main")

    add_board_goal(page, "1.1.2", "Nytt mål efter starten")
    assert "Det finns nu också i Tertialrapport 1 2020" in page.inner_text(".alert-success")

    editor_page.goto(workspace)
    assert "1.1.2 Nytt mål efter starten" in editor_page.inner_text("main")
