"""The economy's subsections reordered in the workspace with the keyboard alone."""

import pytest

from budget.models import EconomySubsection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def headings(report) -> list[str]:
    return list(
        EconomySubsection.objects.filter(report=report)
        .order_by("position", "pk")
        .values_list("heading", flat=True)
    )


def test_a_subsection_is_moved_down_with_the_keyboard_and_the_focus_stays_with_it(
    page_for, editor, report
):
    first, second = headings(report)[:2]
    page = page_for(editor)
    page.goto(f"/rapporter/{report.pk}/arbeta/")
    economy = page.locator("#del-ekonomi")
    assert economy.get_by_role("button", name=f"Flytta upp delavsnittet {first}").count() == 0
    button = economy.get_by_role("button", name=f"Flytta ned delavsnittet {first}")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".alert-success").inner_text() == f"Delavsnittet ”{first}” är flyttat ned."
    assert headings(report)[:2] == [second, first]
    titles = page.locator("#del-ekonomi li[id^=ekonomi-delavsnitt] .outline-title")
    assert [t.strip() for t in titles.all_inner_texts()][:2] == [second, first]
    # the page opens at the moved subsection: the next Tab reaches its own link and buttons
    assert page.evaluate("document.querySelector(':target').id").startswith("ekonomi-delavsnitt-")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        f"Flytta upp delavsnittet {first}"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert headings(report)[:2] == [first, second]
