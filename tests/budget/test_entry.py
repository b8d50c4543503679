import re
from decimal import Decimal

import pytest
from django.test import Client

from budget.models import (
    BudgetAdjustment,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingBudgetRow,
)
from tests.entry_helpers import entry_urls, form_data, shown_form
from tests.factories import make_report

MINUS, NNBSP = "\u2212", "\u202f"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_budget_row_with_an_adjustment_is_saved_and_its_deviation_computed(
    client, editor, report
):
    url = entry_urls(report)["budget_row"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(
        url,
        {
            **data,
            "budget": "1 165,1",
            "outcome": "1 170",
            "previous_year_outcome": "1 100,5",
            "comment": "Område 0 −4,9 mnkr",
            "justeringar-0-label": "Resultatöverföring",
            "justeringar-0-amount": "2,5",
        },
    )
    assert response.status_code == 302
    row = OperatingBudgetRow.objects.get(report=report)
    assert (row.budget, row.outcome, row.previous_year_outcome) == (
        Decimal("1165.1"),
        Decimal("1170"),
        Decimal("1100.5"),
    )
    assert [(a.label, a.amount, a.position) for a in row.adjustments.all()] == [
        ("Resultatöverföring", Decimal("2.5"), 1)
    ]
    html = client.get(url).content.decode()
    assert f'value="1{NNBSP}165,1"' in html
    assert f"{MINUS}4,9" in html  # deviation = budget − outcome
    assert f"{MINUS}2,4" in html  # adjusted deviation
    assert "Nämnden totalt" in html
    assert 'src="/static/js/budget.js"' in html


def test_the_total_adds_the_other_areas(client, editor, board):
    report = make_report(board, areas=3)
    rows = list(OperatingBudgetRow.objects.filter(report=report).order_by("area__position"))
    for row, (budget, outcome) in zip(rows, [(100, 90), (200, 210), (50, 50)], strict=True):
        row.budget, row.outcome = Decimal(budget), Decimal(outcome)
        row.save()
    client.force_login(editor)
    response = client.get(f"/rapporter/{report.pk}/ekonomi/driftbudget/{rows[0].pk}/")
    assert response.context["others"]["budget"] == Decimal(250)
    assert response.context["total"]["budget"] == Decimal(350)
    assert response.context["total"]["deviation"] == Decimal(0)
    assert 'data-other-budget="250' in response.content.decode()


def test_a_tertial_report_asks_for_the_forecast_not_the_outcome(client, editor, board):
    report = make_report(board, 2020, "T2")
    client.force_login(editor)
    form, data = shown_form(client, entry_urls(report)["budget_row"])
    assert "forecast" in form.fields and "outcome" not in form.fields
    client.post(entry_urls(report)["budget_row"], {**data, "budget": "10", "forecast": "12,5"})
    row = OperatingBudgetRow.objects.get(report=report)
    assert (row.forecast, row.outcome) == (Decimal("12.5"), None)


def test_an_adjustment_can_be_removed(client, editor, report):
    row = OperatingBudgetRow.objects.get(report=report)
    BudgetAdjustment.objects.create(row=row, label="Justering", amount=Decimal("1"), position=1)
    url = entry_urls(report)["budget_row"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    assert client.post(url, {**data, "justeringar-0-DELETE": "on"}).status_code == 302
    assert not BudgetAdjustment.objects.filter(row=row).exists()


def test_an_adjustment_without_an_amount_or_with_a_bad_one_is_an_error(client, editor, report):
    url = entry_urls(report)["budget_row"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    html = client.post(url, {**data, "justeringar-0-label": "Resultatöverföring"}).content.decode()
    assert "Ange justeringens belopp." in html
    html = client.post(
        url, {**data, "budget": "12,3,4", "justeringar-0-label": "X", "justeringar-0-amount": "tre"}
    ).content.decode()
    assert "”12,3,4” är inte ett tal" in html
    assert "”tre” är inte ett tal" in html
    assert re.search(r'name="justeringar-0-label" value="X"', html)
    assert re.search(r'name="justeringar-0-amount" value="tre"', html)
    assert not BudgetAdjustment.objects.exists()


def test_a_budget_row_needs_its_outcome_to_be_marked_ready(client, editor, report):
    url = entry_urls(report)["budget_row"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    assert (
        "Ange bokslut innan du klarmarkerar."
        in client.post(url, {**data, "action": "ready"}).content.decode()
    )
    client.post(url, {**data, "outcome": "5", "action": "ready"})
    assert OperatingBudgetRow.objects.get(report=report).ready


def test_the_economy_text_is_created_at_the_first_save(client, editor, report):
    url = entry_urls(report)["economy_text"]
    client.force_login(editor)
    form, data = shown_form(client, url)
    assert data["version"] == "0"
    assert client.post(url, {**data, "analysis": "Ekonomin är i balans."}).status_code == 302
    text = EconomyText.objects.get(report=report)
    assert (text.analysis, text.version) == ("Ekonomin är i balans.", 1)


def test_two_people_creating_the_economy_text_the_second_gets_a_conflict(
    report, editor, administrator
):
    url = entry_urls(report)["economy_text"]
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(administrator)
    _, first_data = shown_form(first, url)
    _, second_data = shown_form(second, url)
    assert first.post(url, {**first_data, "analysis": "Först."}).status_code == 302
    response = second.post(url, {**second_data, "analysis": "Sedan."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Först." in html and "Sedan." in html
    assert EconomyText.objects.get(report=report).analysis == "Först."


# -- income statement and investments ---------------------------------------------------------


def test_income_statement_rows_are_added_changed_and_removed(client, editor, report):
    url = entry_urls(report)["income_statement"]
    client.force_login(editor)
    _, data = shown_form_set(client, url)
    data.update(
        {
            "rader-0-label": "Bidrag",
            "rader-0-kind": "income",
            "rader-0-budget": "−120,5",
            "rader-0-outcome": "−40",
        }
    )
    assert client.post(url, data).status_code == 302
    row = IncomeStatementRow.objects.get(report=report)
    assert (row.label, row.kind, row.budget, row.position) == (
        "Bidrag",
        "income",
        Decimal("-120.5"),
        1,
    )
    _, data = shown_form_set(client, url)
    data.update({"rader-0-outcome": "−41", "rader-1-label": "Personal", "rader-1-kind": "cost"})
    assert client.post(url, data).status_code == 302
    assert list(
        IncomeStatementRow.objects.filter(report=report).values_list("label", "position")
    ) == [("Bidrag", 1), ("Personal", 2)]
    _, data = shown_form_set(client, url)
    assert client.post(url, {**data, "rader-0-DELETE": "on"}).status_code == 302
    assert list(IncomeStatementRow.objects.filter(report=report).values_list("label")) == [
        ("Personal",)
    ]


def shown_form_set(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["formset"], form_data(response.context["formset"])


def test_a_changed_table_refuses_the_second_save_and_shows_both(report, editor, administrator):
    IncomeStatementRow.objects.create(report=report, label="Bidrag", kind="income", position=1)
    url = entry_urls(report)["income_statement"]
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(administrator)
    _, first_data = shown_form_set(first, url)
    _, second_data = shown_form_set(second, url)
    assert first.post(url, {**first_data, "rader-0-budget": "−100"}).status_code == 302
    response = second.post(url, {**second_data, "rader-0-budget": "−200"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har ändrat tabellen" in html
    assert f"{MINUS}100,0" in html  # as saved, in the panel
    assert 'name="rader-0-budget" value="−200"' in html  # as typed, in the form
    assert IncomeStatementRow.objects.get(report=report).budget == Decimal("-100")
    again = form_data(response.context["formset"])  # the form as shown, with the new version
    assert again["rader-0-budget"] == "−200" and again["rader-0-version"] == "2"
    assert second.post(url, again).status_code == 302  # saving again is deliberate
    assert IncomeStatementRow.objects.get(report=report).budget == Decimal("-200")


def test_investments_ask_for_what_the_period_has(client, editor, board, report):
    client.force_login(editor)
    formset, data = shown_form_set(client, entry_urls(report)["investments"])
    assert set(formset.forms[0].fields) >= {"category", "budget", "outcome", "previous_forecast"}
    assert "forecast" not in formset.forms[0].fields
    data.update(
        {"rader-0-category": "Inventarier", "rader-0-budget": "3", "rader-0-outcome": "2,5"}
    )
    assert client.post(entry_urls(report)["investments"], data).status_code == 302
    assert InvestmentRow.objects.get(report=report).outcome == Decimal("2.5")
    tertial = make_report(board, 2020, "T1")
    formset, _ = shown_form_set(client, entry_urls(tertial)["investments"])
    assert "forecast" in formset.forms[0].fields and "outcome" not in formset.forms[0].fields


def test_a_table_row_with_a_bad_amount_keeps_every_input(client, editor, report):
    url = entry_urls(report)["income_statement"]
    client.force_login(editor)
    _, data = shown_form_set(client, url)
    data.update({"rader-0-label": "Bidrag", "rader-0-kind": "income", "rader-0-budget": "1,2,3"})
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "”1,2,3” är inte ett tal" in html
    assert 'value="Bidrag"' in html and 'value="1,2,3"' in html
    assert 'aria-describedby="id_rader-0-budget_error"' in html
    assert not IncomeStatementRow.objects.exists()
