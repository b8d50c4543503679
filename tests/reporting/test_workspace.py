import re

import pytest
from django.urls import reverse

from budget.models import EconomyText, IncomeStatementRow, OperatingBudgetRow
from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue
from reporting.assemble import QUERIES as ASSEMBLY_QUERIES
from reporting.models import CoverMemo, Section
from reporting.tree import QUERIES as TREE_QUERIES
from reporting.workspace import OUTLINE_QUERIES, build_outline
from tests.factories import make_plan, make_report


def workspace_url(report) -> str:
    return reverse("reporting:workspace", args=[report.pk])


def test_a_new_report_has_every_item_empty(report):
    outline = build_outline(report)
    # 3 goals, 1 indicator, 1 activity, 1 operating area, income statement, investments,
    # economy text, the template's 10 economy subsections of a VB, summary, internal control,
    # cover memo
    assert (outline.total, outline.ready, outline.started, outline.empty) == (22, 0, 0, 22)
    assert [p.title for p in outline.parts] == [
        "Sammanfattande analys",
        "Mål, indikatorer och aktiviteter",
        "Uppföljning av ekonomi",
        "Övrigt",
        "Tjänsteutlåtande",
    ]


def test_items_are_counted_as_empty_started_or_ready(board):
    report = make_report(board, board_goals=2, indicators=2, activities=1, areas=2)
    goal = GoalAssessment.objects.filter(report=report, board_goal__isnull=False).first()
    goal.analysis = "Påbörjad"
    goal.save()
    values = list(IndicatorValue.objects.filter(report=report))
    values[0].outcome_text, values[0].ready = "Uppgift saknas", True
    values[0].save()
    values[1].forecast = 5
    values[1].save()
    follow_up = ActivityFollowUp.objects.filter(report=report).first()
    follow_up.ready = True
    follow_up.save()
    Section.objects.create(report=report, kind="summary", text="Sammanfattning", ready=True)
    Section.objects.create(report=report, kind="other", title="Övrigt", position=3)
    EconomyText.objects.create(report=report, analysis="Text")
    CoverMemo.objects.create(report=report, title="Tjänsteutlåtande", ready=True)

    outline = build_outline(report)
    # 4 goals, 4 indicators, 2 activities, 2 areas, income statement, investments, economy
    # text, 10 economy subsections, summary, internal control, one other section, cover memo
    assert outline.total == 29
    assert outline.ready == 4
    assert outline.started == 3  # the goal, the forecast, the economy text
    assert outline.empty == 22
    missing = [item.title for _, items in outline.missing for item in items]
    assert len(missing) == 25
    assert "Sammanfattande analys" not in missing


def test_the_outline_follows_the_goal_hierarchy(board):
    report = make_report(board, board_goals=2, indicators=1, activities=1)
    items = build_outline(report).parts[1].items
    assert [(i.kind, i.depth) for i in items] == [
        ("KF:s inriktningsmål", 0),
        ("KF:s mål för verksamhetsområdet", 1),
        ("Nämndmål", 2),
        ("Indikator", 3),
        ("Aktivitet", 3),
        ("Nämndmål", 2),
        ("Indikator", 3),
        ("Aktivitet", 3),
    ]
    assert items[2].title == "1.1.1 Nämndmål nummer 1"


def test_the_outline_takes_a_fixed_number_of_queries(board, django_assert_num_queries):
    small = make_report(board, board_goals=1, indicators=1, activities=1, areas=1)
    with django_assert_num_queries(OUTLINE_QUERIES):
        build_outline(small)
    big = make_report(board, 2020, board_goals=12, indicators=3, activities=3, areas=6)
    Section.objects.create(report=big, kind="other", title="A", position=1)
    Section.objects.create(report=big, kind="other", title="B", position=2)
    CoverMemo.objects.create(report=big, title="T")
    IncomeStatementRow.objects.create(report=big, label="Bidrag", kind="income")
    with django_assert_num_queries(OUTLINE_QUERIES):
        outline = build_outline(big)
    assert outline.total == 2 + 12 + 36 + 36 + 6 + 2 + 1 + 10 + 1 + 1 + 2 + 1
    # the income statement has a row: started; the investments have none: empty
    tables = {i.title: i.state for i in outline.items if i.kind == "Tabell"}
    assert tables == {"Resultaträkning (tabell)": "started", "Investeringar (tabell)": "empty"}


def test_the_workspace_page_takes_a_fixed_number_of_queries(
    client, editor, board, django_assert_num_queries
):
    report = make_report(board, 2019, "T1", board_goals=1)
    client.force_login(editor)
    client.get(workspace_url(report))  # warm up
    # session, user, report, role, the outline (the tree, with the tables' row counts), whether the next report
    # exists; the scope (role, responsibilities); the workflow panel (role, events); the rest
    # of the document for the review's change stamp (cover memo 3, economy 6); the stored review;
    # the role again (may the person write, or only follow?) and the open comments
    queries = 4 + OUTLINE_QUERIES + 1 + 2 + 2 + (ASSEMBLY_QUERIES - TREE_QUERIES) + 1 + 2
    with django_assert_num_queries(queries):
        client.get(workspace_url(report))
    make_plan(board, 2019, board_goals=20, indicators=2, activities=2, areas=5)
    bigger = make_report(board, 2019, "T2", board_goals=0, indicators=0, activities=0, areas=0)
    with django_assert_num_queries(queries):
        response = client.get(workspace_url(bigger))
    assert response.context["outline"].total > 100


def test_the_page_shows_an_accessible_progress_bar_and_the_count(client, editor, report):
    goal = GoalAssessment.objects.filter(report=report).first()
    goal.ready = True
    goal.save()
    client.force_login(editor)
    html = client.get(workspace_url(report)).content.decode()
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="1"' in html
    assert 'aria-valuemax="22"' in html
    assert 'aria-valuemin="0"' in html
    assert "1 av 22 klara" in html
    assert 'style="width: 5%"' in html


def test_the_page_sums_up_what_is_missing_and_filters_to_it(client, editor, report):
    client.force_login(editor)
    html = client.get(workspace_url(report)).content.decode()
    assert "Kvar att göra" in html
    missing = html[html.index("Kvar att göra") :]
    assert '<a href="#del-mal">Mål, indikatorer och aktiviteter</a>: ' in missing
    assert '<a href="?visa=ej-klara">Visa bara det som inte är klart</a>' in missing
    assert "Aktivitet 1.0" not in missing  # no second copy of the outline
    value = IndicatorValue.objects.get(report=report)
    html = client.get(workspace_url(report) + "?visa=ej-klara").content.decode()
    assert f'href="{reverse("indicators:indicator_value_edit", args=[report.pk, value.pk])}"' in (
        html
    )


def test_every_item_links_to_its_form(client, editor, report):
    client.force_login(editor)
    html = client.get(workspace_url(report)).content.decode()
    for model, name in [
        (GoalAssessment, "goals:goal_assessment_edit"),
        (ActivityFollowUp, "goals:activity_follow_up_edit"),
        (IndicatorValue, "indicators:indicator_value_edit"),
        (OperatingBudgetRow, "budget:operating_budget_row_edit"),
    ]:
        for row in model.objects.filter(report=report):
            assert f'href="{reverse(name, args=[report.pk, row.pk])}"' in html
    for name in [
        "reporting:summary_edit",
        "reporting:internal_control_edit",
        "reporting:cover_memo_edit",
        "reporting:section_create",
        "budget:economy_text_edit",
        "budget:income_statement_edit",
        "budget:investments_edit",
    ]:
        assert f'href="{reverse(name, args=[report.pk])}"' in html


def test_states_are_words_not_only_colours(client, editor, report):
    goal = GoalAssessment.objects.filter(report=report).first()
    goal.ready = True
    goal.save()
    client.force_login(editor)
    html = client.get(workspace_url(report)).content.decode()
    assert re.search(r'class="state-badge state-ready">Klarmarkerad<', html)
    assert re.search(r'class="state-badge state-empty">Ej ifylld<', html)


def test_the_workspace_offers_to_create_the_next_report(client, editor, board):
    t1 = make_report(board, 2020, "T1")
    client.force_login(editor)
    html = client.get(workspace_url(t1)).content.decode()
    assert "Skapa nästa rapport (Tertialrapport 2 2020)" in html
    assert f'action="{reverse("reporting:next_report", args=[t1.pk])}"' in html


def test_a_vb_offers_no_next_report(client, editor, report):
    client.force_login(editor)
    assert "Skapa nästa rapport" not in client.get(workspace_url(report)).content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("editor", True), ("administrator", True), ("reader", False), ("approver", False)],
)
def test_the_report_page_leads_writers_to_the_workspace(client, request, report, persona, shown):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert ("Arbeta med rapporten" in html) is shown
    # the approver follows the work read-only; a reader never sees the workspace
    assert (f'href="{workspace_url(report)}"' in html) is (persona != "reader")


def test_the_approver_sees_the_outline_and_progress_read_only(client, approver, report):
    client.force_login(approver)
    response = client.get(workspace_url(report))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hur långt rapporten har kommit" in html
    assert "av" in html and "klara" in html
    value = IndicatorValue.objects.get(report=report)
    form = reverse("indicators:indicator_value_edit", args=[report.pk, value.pk])
    assert f'href="{form}"' not in html  # no form links: the approver does not write
    assert "Skapa nästa rapport" not in html
    assert "Du följer arbetet" in html


def test_the_outline_opens_collapsed_to_the_direction_goals_with_counts(client, editor, report):
    client.force_login(editor)
    html = client.get(workspace_url(report)).content.decode()
    assert '<details class="outline-group mb-2">' in html  # closed
    assert '<span class="outline-group-title">1. En modern storstad' in html
    assert "0 av 3 klara</span></summary>" in html or "klara</span></summary>" in html


def test_the_filter_ej_klara_shows_only_items_not_ready(client, editor, report):
    GoalAssessment.objects.filter(report=report, board_goal__isnull=False).update(ready=True)
    client.force_login(editor)
    html = client.get(workspace_url(report) + "?visa=ej-klara").content.decode()
    goal = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    assert f'id="mal-{goal.pk}"' not in html
    assert 'data-state="ready"' not in html
    assert 'data-state="empty"' in html
    assert 'aria-current="page">Ej klara</a>' in html
