"""The audit trail on screen: the report's history (every change of its content, newest first,
50 to a page, a fixed number of queries) and each item's history, linked from its form."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetAdjustment, IncomeStatementRow, OperatingBudgetRow
from goals.models import GoalAssessment
from indicators.models import IndicatorValue
from reporting.history import acting_user
from reporting.models import CoverMemo, ProposedDecision, Report
from tests.entry_helpers import entry_urls, shown_form
from tests.factories import make_report, make_user
from tests.reporting.test_interchange import TERTIAL

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def history(client, report, **params):
    return client.get(reverse("reporting:report_history", args=[report.pk]), params)


def item_history(client, report, item):
    label = item._meta.label_lower
    return client.get(reverse("reporting:item_history", args=[report.pk, label, item.pk]))


def board_goal(report) -> GoalAssessment:
    return report.goal_assessments.get(board_goal__isnull=False)


def test_an_edit_through_a_form_shows_in_the_report_and_item_history(client, editor, report):
    editor.first_name, editor.last_name = "Hanna", "Handläggare"
    editor.save()
    url = entry_urls(report)["goal"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    client.post(url, {**data, "analysis": "Målet nås.", "assessment": "full"})
    row = board_goal(report)
    saved_at = timezone.localtime(row.history.first().history_date, STOCKHOLM)
    when = f"{saved_at:%Y-%m-%d %H:%M}"

    for response in (history(client, report), item_history(client, report, row)):
        assert response.status_code == 200
        html = response.content.decode()
        entry = response.context["entries"][0]
        assert (entry.user, entry.action, entry.item) == (
            "Hanna Handläggare",
            "Ändrad",
            "Nämndmål 1.1.1",
        )
        assert entry.heading == "Nämndmål 1.1.1 – bedömning, analys"
        assert [(c.label, c.old, c.new) for c in entry.changes] == [
            ("bedömning", "", "Uppfylls helt"),
            ("analys", "", "Målet nås."),
        ]
        assert f">{when}</time>" in html
        assert "<td>Hanna Handläggare</td>" in html
        assert "Nämndmål 1.1.1 – bedömning, analys</a>" in html
        assert '<span class="visually-hidden">före: </span>(tomt)' in html
        assert '<span class="visually-hidden">efter: </span>Målet nås.' in html

    # the form page shows the item's newest changes and links to all of them
    html = client.get(url).content.decode()
    assert '<h2 id="historik-rubrik" class="h5">Historik</h2>' in html
    assert "Hanna Handläggare: ändrad (bedömning, analys)" in html
    item_url = reverse("reporting:item_history", args=[report.pk, "goals.goalassessment", row.pk])
    assert f'href="{item_url}"' in html


def test_an_edit_of_a_later_save_shows_old_and_new_value(client, editor, report):
    row = board_goal(report)
    with acting_user(editor):
        row.analysis = "Första texten."
        row.save()
        row.analysis = "Andra texten."
        row.ready = True
        row.save()
    client.force_login(editor)
    entry = item_history(client, report, row).context["entries"][0]
    assert [(c.label, c.old, c.new) for c in entry.changes] == [
        ("klarmarkerad", "Nej", "Ja"),
        ("analys", "Första texten.", "Andra texten."),
    ]


def test_a_creation_shows_the_new_values_and_a_deletion_the_old(client, editor, report):
    with acting_user(editor):
        memo = CoverMemo.objects.create(report=report, title="Verksamhetsberättelse 2019")
        proposal = ProposedDecision.objects.create(cover_memo=memo, position=1, text="Godkänns.")
        proposal_pk = proposal.pk
        proposal.delete()
    client.force_login(editor)
    entries = history(client, report).context["entries"]
    deleted, created, memo_created = entries[:3]
    assert (deleted.item, deleted.action) == (
        "Tjänsteutlåtande, förslag till beslut 1",
        "Borttagen",
    )
    assert [(c.label, c.old, c.new) for c in deleted.changes] == [
        ("ordning", "1", ""),
        ("förslag", "Godkänns.", ""),
    ]
    assert created.action == "Skapad"
    assert [(c.label, c.new) for c in memo_created.changes] == [
        ("titel", "Verksamhetsberättelse 2019")
    ]
    # a deleted row's own history is still there
    url = reverse(
        "reporting:item_history", args=[report.pk, "reporting.proposeddecision", proposal_pk]
    )
    assert [e.action for e in client.get(url).context["entries"]] == ["Borttagen", "Skapad"]


def test_changes_without_a_person_say_import_or_system(client, editor, report):
    row = board_goal(report)
    with acting_user(None, reason="import"):
        row.analysis = "Från filen."
        row.save()
    row.analysis = "Av systemet."
    row.save()
    client.force_login(editor)
    system, imported = item_history(client, report, row).context["entries"][:2]
    assert (system.user, imported.user) == ("system", "import")


def test_a_long_text_is_shortened_with_the_whole_text_in_details(client, editor, report):
    row = board_goal(report)
    text = "Ett långt stycke om måluppfyllelsen. " * 10
    with acting_user(editor):
        row.analysis = text
        row.save()
    client.force_login(editor)
    html = item_history(client, report, row).content.decode()
    assert "<details>" in html
    assert text.strip() in html  # the whole text, behind the summary
    assert text[:100] in html.split("<summary>")[1].split("</summary>")[0]


def test_every_kind_of_item_has_a_readable_name(client, editor, report):
    row = OperatingBudgetRow.objects.filter(report=report).first()
    value = IndicatorValue.objects.filter(report=report).first()
    with acting_user(editor):
        BudgetAdjustment.objects.create(row=row, label="Resultatöverföring", amount=1)
        IncomeStatementRow.objects.create(report=report, label="Bidrag", kind="income")
        value.analysis = "Ökar."
        value.save()
        report.decision_paragraph = "§ 4"
        report.save()
    client.force_login(editor)
    items = [entry.item for entry in history(client, report).context["entries"][:4]]
    assert items == [
        "Rapporten",
        "Indikator ”Andel nöjda 1.0”",
        "Resultaträkning, ”Bidrag”",
        "Driftbudget, Område 0, justering ”Resultatöverföring”",
    ]


def test_the_history_is_newest_first_and_paginated_by_50(client, editor, report):
    row = board_goal(report)
    with acting_user(editor):
        for n in range(60):
            row.analysis = f"Version {n}"
            row.save()
    client.force_login(editor)
    first = history(client, report)
    assert len(first.context["entries"]) == 50
    assert first.context["entries"][0].changes[0].new == "Version 59"
    html = first.content.decode()
    assert "Sida 1 av" in html and "?sida=2" in html
    second = history(client, report, sida=2)
    assert second.context["entries"][0].changes[0].new == "Version 9"
    times = [e.at for e in first.context["entries"]]
    assert times == sorted(times, reverse=True)


def test_a_table_page_links_to_the_history_of_its_rows(client, editor, report):
    with acting_user(editor):
        IncomeStatementRow.objects.create(report=report, label="Bidrag", kind="income")
        board_goal(report).save()
    client.force_login(editor)
    html = client.get(entry_urls(report)["income_statement"]).content.decode()
    url = (
        reverse("reporting:report_history", args=[report.pk]) + "?modell=budget.incomestatementrow"
    )
    assert f'href="{url}"' in html
    response = client.get(url)
    assert {e.item for e in response.context["entries"]} == {"Resultaträkning, ”Bidrag”"}


def test_the_history_takes_a_fixed_number_of_queries(
    client, editor, board, django_assert_max_num_queries
):
    small = make_report(board, 2019, board_goals=1, indicators=1, activities=1, areas=1)
    big = make_report(board, 2020, board_goals=15, indicators=3, activities=3, areas=5)
    client.force_login(editor)
    for report in (small, big):
        with acting_user(editor):
            CoverMemo.objects.create(report=report, title="T")
            for row in OperatingBudgetRow.objects.filter(report=report):
                BudgetAdjustment.objects.create(row=row, label="Justering", amount=1)
            for row in report.goal_assessments.all():
                row.analysis = "Ändrad."
                row.save()
        # session, user, report, count, page; the records of each kind of row on the page
        # (at most 16 kinds); the names of goals (4), indicators, activities, budget rows,
        # areas and tables: never more, whatever the size of the report or of the page
        with django_assert_max_num_queries(5 + 16 + 9):
            response = history(client, report)
        page = response.context["page"]
        assert len(response.context["entries"]) == min(50, page.paginator.count)
    assert response.context["page"].paginator.count > 100  # three pages


def test_an_item_of_another_report_or_an_unknown_kind_is_404(client, editor, board, report):
    other = make_report(board, 2020)
    row = board_goal(other)
    client.force_login(editor)
    assert item_history(client, report, row).status_code == 404
    assert item_history(client, other, row).status_code == 200
    url = reverse("reporting:item_history", args=[report.pk, "auth.user", editor.pk])
    assert client.get(url).status_code == 404
    url = reverse("reporting:item_history", args=[report.pk, "goals.goalassessment", 999999])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("view", ["report", "item"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("reader", 403),  # the audit trail is the förvaltning's working material
        ("editor", 200),
        ("approver", 200),
        ("administrator", 200),
    ],
)
def test_the_history_pages_follow_the_permission_ladder(
    client, request, report, view, persona, status
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    if view == "report":
        response = history(client, report)
    else:
        response = item_history(client, report, board_goal(report))
    assert response.status_code == status


def test_times_are_shown_in_swedish_time(client, editor, report):
    row = board_goal(report)
    with acting_user(editor):
        row.analysis = "Vid årsskiftet."
        row.save()
    row.history.filter(history_type="~").update(
        history_date=datetime(2019, 12, 31, 13, 5, tzinfo=ZoneInfo("UTC"))
    )
    client.force_login(editor)
    assert ">2019-12-31 14:05</time>" in item_history(client, report, row).content.decode()


def test_an_import_without_a_user_is_shown_as_import(client, db):
    call_command("import_report", str(TERTIAL), stdout=StringIO(), stderr=StringIO())
    report = Report.objects.get()
    approver = make_user("chef", board=report.board, role="approver")
    client.force_login(approver)
    entries = history(client, report).context["entries"]
    assert entries and {entry.user for entry in entries} == {"import"}
    assert IndicatorValue.history.filter(history_change_reason="import").exists()
