"""The reporting process in the browser: the front page's tasks per person and role, each
linking to the exact form; the focus after a failed save."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import IndicatorValue
from reporting.models import Role
from reporting.workflow import transition
from tests.factories import fill_in, make_report, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_s_front_page_lists_unready_items_the_deadline_and_a_return_comment(
    page_for, board
):
    editor = make_user("handlaggare", board=board, role=Role.EDITOR)
    approver = make_user("chef", board=board, role=Role.APPROVER)
    report = fill_in(make_report(board))
    report.deadline = timezone.localdate() + timedelta(days=4)
    report.save()
    transition(report, "submit", editor, confirm_unready=True)
    transition(report, "return", approver, comment="Komplettera analysen av indikatorn.")
    value = IndicatorValue.objects.get(report=report)

    page = page_for(editor)
    page.goto("/")
    tasks = page.locator(".my-tasks")
    text = tasks.inner_text()
    assert "Mina uppgifter" in text
    assert f"Sista dag {report.deadline:%Y-%m-%d} (om 4 dagar)" in text
    assert "Komplettera analysen av indikatorn." in text
    details = tasks.locator("details.task-items")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    with page.expect_navigation():
        tasks.get_by_role("link", name=value.indicator.name).click()
    assert page.url.endswith(reverse("indicators:indicator_value_edit", args=[report.pk, value.pk]))
    assert page.locator("h1").inner_text() == value.indicator.name


def test_an_approver_s_front_page_lists_the_submitted_report_linked_to_its_review(page_for, board):
    editor = make_user("handlaggare", board=board, role=Role.EDITOR)
    approver = make_user("chef", board=board, role=Role.APPROVER)
    report = fill_in(make_report(board))
    transition(report, "submit", editor, confirm_unready=True)

    page = page_for(approver)
    page.goto("/")
    task = page.locator(".task-review")
    assert "Att granska: Socialnämnden, Verksamhetsberättelse 2019" in task.inner_text()
    with page.expect_navigation():
        task.get_by_role("link", name="Socialnämnden, Verksamhetsberättelse 2019").click()
    assert page.url.endswith(reverse("reporting:report_review", args=[report.pk]))
    assert page.locator("h1").inner_text() == "Granskning"


def test_after_a_failed_save_the_focus_is_on_the_first_invalid_field(page_for, board):
    editor = make_user("handlaggare", board=board, role=Role.EDITOR)
    report = make_report(board)
    value = IndicatorValue.objects.get(report=report)
    page = page_for(editor)
    page.goto(reverse("indicators:indicator_value_edit", args=[report.pk, value.pk]))
    page.get_by_label("Periodens utfall (%)").fill("85")
    page.get_by_label("Utfall män/pojkar (%)").fill("åtta")
    page.get_by_label("Prognos helår (%)").fill("åttio")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara", exact=True).click()
    assert page.locator(".alert-danger").count() >= 1
    # Two unreadable figures: the one for men comes first on the page.
    assert page.evaluate("document.activeElement.id") == "id_outcome_men"
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"


def _outline_forms(report, user):
    """The forms ``user`` may change, in outline order."""
    from reporting.access import edit_scope
    from reporting.workspace import build_outline

    outline = build_outline(report, edit_scope(user, report))
    return [item.url for item in outline.items if item.editable and item.url]


def _row_text(report, url: str) -> str:
    """Every text of the row whose form is at ``url``, joined (to find what a save wrote)."""
    from reporting import tree

    report_tree = tree.load_tree(report)
    for node in report_tree.items():
        if node.url == url:
            row = type(node.row).objects.get(pk=node.row.pk)
            return " ".join(str(getattr(row, f.attname) or "") for f in row._meta.concrete_fields)
    return ""


def test_five_items_in_a_row_with_spara_och_nasta_only(page_for, board):
    editor = make_user("handlaggare", board=board, role=Role.EDITOR)
    report = make_report(board, board_goals=2)
    forms = _outline_forms(report, editor)
    assert len(forms) >= 6

    page = page_for(editor)
    page.goto(forms[0])
    for step in range(5):
        assert page.url.endswith(forms[step]), (step, page.url)
        page.locator("form.item-form textarea").first.fill(f"Skrivet i steg {step + 1}.")
        with page.expect_navigation():
            page.get_by_role("button", name="Spara och nästa").click()
        assert page.locator(".alert-danger").count() == 0
    # after five saves the sixth form in outline order is open
    assert page.url.endswith(forms[5])
    for step in range(5):
        assert f"Skrivet i steg {step + 1}." in _row_text(report, forms[step]), forms[step]


def test_the_workspace_filter_ej_klara_shows_only_the_unready_items(page_for, board):
    editor = make_user("handlaggare", board=board, role=Role.EDITOR)
    report = make_report(board, board_goals=2)
    value = IndicatorValue.objects.filter(report=report).first()
    value.ready = True
    value.save()
    follow_up = report.activity_follow_ups.first()
    follow_up.ready = True
    follow_up.save()

    page = page_for(editor)
    page.goto(reverse("reporting:workspace", args=[report.pk]))
    everything = page.locator("li.outline-item:not(.outline-heading)")
    states = everything.evaluate_all("items => items.map(i => i.dataset.state)")
    assert states.count("ready") == 2
    with page.expect_navigation():
        page.locator(".outline-filters").get_by_role("link", name="Ej klara").click()
    assert page.url.endswith("?visa=ej-klara")
    shown = page.locator("li.outline-item:not(.outline-heading)")
    shown_states = shown.evaluate_all("items => items.map(i => i.dataset.state)")
    assert "ready" not in shown_states
    assert len(shown_states) == len(states) - 2
    assert shown.filter(has_text=value.indicator.name).count() == 0
    assert shown.filter(has_text=follow_up.activity.title).count() == 0
    # the groups open, so that every item shown is visible
    for index in range(shown.count()):
        assert shown.nth(index).is_visible()
