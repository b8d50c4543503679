"""Klarmarkering of the income statement and the investments: like every other item, the
table's ready mark counts in the progress, the outline, "Kvar att göra" and the question at
submission; it can be undone; "Spara och nästa" leads on in outline order."""

import pytest
from django.urls import reverse

from budget.models import IncomeStatementRow, TableMark
from reporting.workflow import unready_items
from reporting.workspace import build_outline
from tests.entry_helpers import entry_urls, form_data

TABLES = [
    ("income_statement", "Resultaträkning (tabell)"),
    ("investments", "Investeringar (tabell)"),
]


def _post(client, url: str, action: str, **changes):
    formset = client.get(url).context["formset"]
    return client.post(url, {**form_data(formset), **changes, "action": action})


def _state(report, title: str) -> str:
    (item,) = [i for i in build_outline(report).items if i.title == title and i.kind == "Tabell"]
    return item.state


@pytest.mark.parametrize(("name", "title"), TABLES)
def test_a_table_is_marked_ready_and_counts_in_the_progress(client, editor, report, name, title):
    url = entry_urls(report)[name]
    client.force_login(editor)
    before = build_outline(report)
    assert _state(report, title) == "empty"
    assert title in [i.title for i in unready_items(report)]

    response = _post(client, url, "ready")
    assert response.status_code == 302
    anchor = "resultatrakning" if name == "income_statement" else "investeringar"
    assert response["Location"] == reverse("reporting:workspace", args=[report.pk]) + f"#{anchor}"
    mark = TableMark.objects.get(report=report, table=name)
    assert (mark.ready, mark.version) == (True, 1)
    after = build_outline(report)
    assert (after.total, after.ready) == (before.total, before.ready + 1)
    assert _state(report, title) == "ready"
    assert title not in [i.title for i in unready_items(report)]
    page = client.get(reverse("reporting:workspace", args=[report.pk])).content.decode()
    assert f'id="{anchor}"' in page and 'data-state="ready"' in page

    html = client.get(url).content.decode()
    assert "Klarmarkerad" in html and "Ångra klarmarkering" in html
    assert _post(client, url, "unready").status_code == 302
    mark.refresh_from_db()
    assert (mark.ready, mark.version) == (False, 2)
    assert _state(report, title) == "empty"
    assert mark.history.count() == 2  # both changes in the audit trail


def test_a_table_with_rows_is_started_and_stays_ready_while_it_is_saved(client, editor, report):
    url = entry_urls(report)["income_statement"]
    client.force_login(editor)
    row = {"rader-0-label": "Bidrag", "rader-0-kind": "income", "rader-0-budget": "−5"}
    assert _post(client, url, "save", **row).status_code == 302
    assert _state(report, "Resultaträkning (tabell)") == "started"
    assert _post(client, url, "ready").status_code == 302
    assert _post(client, url, "save", **{"rader-0-budget": "−6"}).status_code == 302
    assert _state(report, "Resultaträkning (tabell)") == "ready"
    assert IncomeStatementRow.objects.get(report=report).budget == -6


def test_a_failed_save_does_not_mark_the_table_ready(client, editor, report):
    url = entry_urls(report)["income_statement"]
    client.force_login(editor)
    response = _post(client, url, "ready", **{"rader-0-budget": "fem"})
    assert response.status_code == 200
    assert not TableMark.objects.filter(report=report).exists()


def test_spara_och_nasta_leads_from_the_income_statement_to_the_investments(client, editor, report):
    urls = entry_urls(report)
    client.force_login(editor)
    response = _post(client, urls["income_statement"], "save_next")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == urls["investments"]
