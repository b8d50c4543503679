"""The lists of rows edited as a whole (budget adjustments, income statement, investments,
proposed decisions): the empty row at the end is neither saved nor marked required, so saving
the page again and again never adds a row."""

import re
from decimal import Decimal

import pytest

from budget.models import BudgetAdjustment, IncomeStatementRow, InvestmentRow, OperatingBudgetRow
from reporting.models import CoverMemo, ProposedDecision
from tests.entry_helpers import entry_urls, form_data


def _with_rows(report) -> dict:
    """One row of every list, and the count of each list's rows."""
    IncomeStatementRow.objects.create(
        report=report, label="Avgifter", kind="income", budget=Decimal("-3"), position=1
    )
    InvestmentRow.objects.create(
        report=report, category="Inventarier", budget=Decimal("3"), position=1
    )
    row = OperatingBudgetRow.objects.get(report=report)
    BudgetAdjustment.objects.create(row=row, label="Resultatöverföring", amount=1, position=1)
    memo, _ = CoverMemo.objects.get_or_create(report=report)
    ProposedDecision.objects.create(
        cover_memo=memo, text="Nämnden godkänner rapporten.", position=1
    )
    return {
        "income_statement": lambda: IncomeStatementRow.objects.filter(report=report).count(),
        "investments": lambda: InvestmentRow.objects.filter(report=report).count(),
        "budget_row": lambda: BudgetAdjustment.objects.filter(row=row).count(),
        "cover_memo": lambda: ProposedDecision.objects.filter(cover_memo=memo).count(),
    }


def _page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    table = "/ekonomi/resultatrakning/" in url or "/ekonomi/investeringar/" in url
    shown = response.context["formset" if table else "form"]
    return response.content.decode(), form_data(shown)


@pytest.mark.parametrize("name", ["income_statement", "investments", "budget_row", "cover_memo"])
def test_saving_the_page_as_shown_again_and_again_adds_no_row(client, editor, report, name):
    counts = _with_rows(report)
    url = entry_urls(report)[name]
    client.force_login(editor)
    for _ in range(3):
        _, data = _page(client, url)
        data["action"] = "save"
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert counts[name]() == 1
    _, data = _page(client, url)
    # one saved row and one empty row to fill in, never more
    assert sum(1 for k in data if re.fullmatch(r"(rader|justeringar|forslag)-\d+-id", k)) == 2


@pytest.mark.parametrize("name", ["income_statement", "investments", "budget_row", "cover_memo"])
def test_the_empty_row_to_add_is_not_marked_required(client, editor, report, name):
    _with_rows(report)
    client.force_login(editor)
    html, data = _page(client, entry_urls(report)[name])
    (prefix,) = {k.split("-")[0] for k in data if k.endswith("-TOTAL_FORMS")} - {
        "undertecknare",
        "bilagor",
    }
    new = f"{prefix}-{int(data[f'{prefix}-TOTAL_FORMS']) - 1}-"
    fields = [k.removeprefix(new) for k in data if k.startswith(new)]
    assert {"id"} < set(fields)
    for field in fields:
        element = re.search(rf'<(input|select|textarea)[^>]*name="{new}{field}"[^>]*>', html)
        assert element is not None, field
        assert not re.search(r"\b(required|aria-required)\b", element.group(0)), element.group(0)
        label = re.search(rf'<label[^>]*for="id_{new}{field}"[^>]*>.*?</label>', html, re.S)
        assert label is None or "asteriskField" not in label.group(0), label.group(0)
        assert label is None or "requiredField" not in label.group(0), label.group(0)
    # a row already saved still says what it needs
    if name == "cover_memo":
        saved = re.search(r'<label[^>]*for="id_forslag-0-text"[^>]*>.*?</label>', html, re.S)
        assert saved is not None and "asteriskField" in saved.group(0)


def test_a_row_typed_into_the_empty_row_still_needs_its_required_fields(client, editor, report):
    url = entry_urls(report)["income_statement"]
    client.force_login(editor)
    _, data = _page(client, url)
    data["rader-0-budget"] = "−5"  # neither a label nor a kind
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert set(errors) == {"label", "kind"}
    assert IncomeStatementRow.objects.filter(report=report).count() == 0


def test_a_proposal_typed_into_the_empty_row_is_saved(client, editor, report):
    url = entry_urls(report)["cover_memo"]
    client.force_login(editor)
    _, data = _page(client, url)
    data.update({"forslag-0-text": "Nämnden godkänner verksamhetsberättelsen.", "action": "save"})
    assert client.post(url, data).status_code == 302
    assert list(ProposedDecision.objects.values_list("text", flat=True)) == [
        "Nämnden godkänner verksamhetsberättelsen."
    ]


def test_after_a_failed_save_of_a_table_the_first_field_in_error_has_the_focus(
    client, editor, report
):
    _with_rows(report)
    url = entry_urls(report)["investments"]
    client.force_login(editor)
    _, data = _page(client, url)
    data.update({"rader-0-budget": "tre", "rader-1-category": "", "rader-1-budget": "fyra"})
    page = client.post(url, data).content.decode()
    assert page.count("autofocus") == 1
    assert 'name="rader-0-budget"' in page.split("autofocus")[0].rsplit("<input", 1)[1]


def test_after_a_failed_save_of_an_adjustment_the_field_in_error_has_the_focus(
    client, editor, report
):
    _with_rows(report)
    url = entry_urls(report)["budget_row"]
    client.force_login(editor)
    _, data = _page(client, url)
    data.update({"justeringar-1-label": "Ny justering", "action": "save"})  # without amount
    page = client.post(url, data).content.decode()
    assert page.count("autofocus") == 1
    assert 'name="justeringar-1-amount"' in page.split("autofocus")[0].rsplit("<input", 1)[1]
