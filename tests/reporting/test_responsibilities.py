"""Responsibilities: an editor responsible for goals or operating areas edits only those and what
lies under them; the report's common parts stay with editors without responsibilities and with
administrators."""

import pytest
from django.urls import reverse

from budget.models import IncomeStatementRow, OperatingBudgetRow
from goals.models import Activity, ActivityFollowUp, Commitment, GoalAssessment
from indicators.models import Indicator, IndicatorValue
from reporting.access import edit_scope
from reporting.models import CoverMemo, Membership, Responsibility, Role, Section, Unit
from tests.entry_helpers import shown_form, snapshot
from tests.factories import make_plan, make_report, make_user


@pytest.fixture
def report(board):
    """Board goals 1.1.1 and 1.1.2 under area goal 1.1, two operating areas, a commitment under
    1.1.1, and an indicator and an activity of the area goal itself."""
    report = make_report(board, board_goals=2, areas=2)
    plan = make_plan(board, board_goals=0, areas=0)
    area_goal, first = plan["area_goal"], report.goal_assessments.get(board_goal__number="1.1.1")
    unit = Unit.objects.create(board=board, name="Enheten")
    commitment = Commitment.objects.create(
        unit=unit, board_goal=first.board_goal, title="Vi åtar oss att svara snabbt"
    )
    GoalAssessment.objects.create(report=report, commitment=commitment)
    indicator = Indicator.objects.create(
        board=board, year=2019, area_goal=area_goal, name="KF:s indikator", unit="st"
    )
    IndicatorValue.objects.create(report=report, indicator=indicator)
    activity = Activity.objects.create(
        board=board, year=2019, area_goal=area_goal, title="KF:s uppdrag", kind="kf"
    )
    ActivityFollowUp.objects.create(report=report, activity=activity)
    return report


def responsible(user, board, **item) -> Responsibility:
    membership = Membership.objects.get(user=user, board=board)
    return Responsibility.objects.create(membership=membership, **item)


def goal_row(report, number: str) -> GoalAssessment:
    for level in ("board_goal", "area_goal", "direction_goal"):
        row = report.goal_assessments.filter(**{f"{level}__number": number}).first()
        if row is not None:
            return row
    raise LookupError(number)


def items(report) -> dict:
    """One item of every kind, by a short name."""
    first, second = (goal_row(report, n) for n in ("1.1.1", "1.1.2"))
    return {
        "direction_goal": goal_row(report, "1"),
        "area_goal": goal_row(report, "1.1"),
        "board_goal": first,
        "other_board_goal": second,
        "commitment": report.goal_assessments.get(commitment__isnull=False),
        "indicator": IndicatorValue.objects.get(
            report=report, indicator__board_goal=first.board_goal
        ),
        "other_indicator": IndicatorValue.objects.get(
            report=report, indicator__board_goal=second.board_goal
        ),
        "area_indicator": IndicatorValue.objects.get(
            report=report, indicator__area_goal__isnull=False
        ),
        "activity": ActivityFollowUp.objects.get(
            report=report, activity__board_goal=first.board_goal
        ),
        "other_activity": ActivityFollowUp.objects.get(
            report=report, activity__board_goal=second.board_goal
        ),
        "area_activity": ActivityFollowUp.objects.get(
            report=report, activity__area_goal__isnull=False
        ),
        "budget_row": OperatingBudgetRow.objects.get(report=report, area__name="Område 0"),
        "other_budget_row": OperatingBudgetRow.objects.get(report=report, area__name="Område 1"),
        "summary": Section(report=report, kind=Section.Kind.SUMMARY),
        "internal_control": Section(report=report, kind=Section.Kind.INTERNAL_CONTROL),
        "cover_memo": CoverMemo(report=report),
        "income_statement": IncomeStatementRow(report=report),
    }


COMMON = ["direction_goal", "summary", "internal_control", "cover_memo", "income_statement"]


def editable(user, report) -> set[str]:
    scope = edit_scope(user, report)
    return {name for name, item in items(report).items() if scope.covers(item)}


def test_a_board_goal_covers_its_assessment_indicators_activities_and_commitments(
    editor, board, report
):
    responsible(editor, board, board_goal=goal_row(report, "1.1.1").board_goal)
    assert editable(editor, report) == {"board_goal", "commitment", "indicator", "activity"}


def test_an_area_goal_covers_its_own_items_and_everything_under_its_board_goals(
    editor, board, report
):
    responsible(editor, board, area_goal=goal_row(report, "1.1").area_goal)
    assert editable(editor, report) == {
        "area_goal",
        "area_indicator",
        "area_activity",
        "board_goal",
        "other_board_goal",
        "commitment",
        "indicator",
        "other_indicator",
        "activity",
        "other_activity",
    }


def test_an_operating_area_covers_its_budget_row_only(editor, board, report):
    row = OperatingBudgetRow.objects.get(report=report, area__name="Område 0")
    responsible(editor, board, operating_area=row.area)
    assert editable(editor, report) == {"budget_row"}


def test_responsibilities_add_up(editor, board, report):
    responsible(editor, board, board_goal=goal_row(report, "1.1.2").board_goal)
    responsible(editor, board, operating_area=items(report)["other_budget_row"].area)
    assert editable(editor, report) == {
        "other_board_goal",
        "other_indicator",
        "other_activity",
        "other_budget_row",
    }


def test_editors_without_responsibilities_and_administrators_edit_everything(
    editor, administrator, board, report
):
    everything = set(items(report))
    assert editable(editor, report) == everything
    # an administrator's responsibilities (set by mistake) do not narrow anything
    responsible(administrator, board, board_goal=goal_row(report, "1.1.1").board_goal)
    assert editable(administrator, report) == everything


def test_readers_and_approvers_edit_nothing(reader, approver, report):
    assert editable(reader, report) == set()
    assert editable(approver, report) == set()


def test_responsibilities_of_another_year_do_not_narrow_this_years_report(editor, board, report):
    next_year = make_plan(board, 2020, board_goals=1)
    responsible(editor, board, board_goal=next_year["board_goals"][0])
    assert edit_scope(editor, report).everything
    assert editable(editor, report) == set(items(report))


# -- through the views ------------------------------------------------------------------------


def form_url(report, name: str, item) -> str:
    view = {
        "GoalAssessment": "goals:goal_assessment_edit",
        "IndicatorValue": "indicators:indicator_value_edit",
        "ActivityFollowUp": "goals:activity_follow_up_edit",
        "OperatingBudgetRow": "budget:operating_budget_row_edit",
    }[type(item).__name__]
    return reverse(view, args=[report.pk, item.pk])


@pytest.fixture
def responsible_editor(editor, board, report):
    """An editor responsible for board goal 1.1.1 and operating area "Område 0"."""
    responsible(editor, board, board_goal=goal_row(report, "1.1.1").board_goal)
    responsible(editor, board, operating_area=items(report)["budget_row"].area)
    editor.first_name, editor.last_name = "Hanna", "Handläggare"
    editor.save()
    return editor


@pytest.mark.parametrize(
    "name", ["board_goal", "commitment", "indicator", "activity", "budget_row"]
)
def test_a_responsible_editor_opens_and_saves_the_forms_of_their_items(
    client, responsible_editor, report, name
):
    item = items(report)[name]
    url = form_url(report, name, item)
    client.force_login(responsible_editor)
    _, data = shown_form(client, url)
    field = "comment" if name == "budget_row" else "analysis"
    assert client.post(url, {**data, field: "Skrivet av den ansvariga."}).status_code == 302
    item.refresh_from_db()
    assert getattr(item, field) == "Skrivet av den ansvariga."


@pytest.mark.parametrize(
    "name",
    ["other_board_goal", "other_indicator", "other_activity", "other_budget_row", "area_goal"],
)
def test_a_responsible_editor_gets_403_naming_their_responsibility_elsewhere(
    client, responsible_editor, report, name
):
    url = form_url(report, name, items(report)[name])
    client.force_login(responsible_editor)
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Du kan inte ändra det här." in html
    assert (
        "Ditt ansvar i rapporten: nämndmål 1.1.1 Nämndmål nummer 1; verksamhetsområdet Område 0"
        in html
    )


def test_the_403_names_the_person_responsible_for_the_item(
    client, responsible_editor, board, report
):
    colleague = make_user("kollega", board=board, role=Role.EDITOR)
    colleague.first_name, colleague.last_name = "Kim", "Kollega"
    colleague.save()
    responsible(colleague, board, board_goal=goal_row(report, "1.1.2").board_goal)
    client.force_login(responsible_editor)
    response = client.get(form_url(report, "other_indicator", items(report)["other_indicator"]))
    assert response.status_code == 403
    assert "Ansvarig för det här: Kim Kollega." in response.content.decode()


@pytest.mark.parametrize(
    "page",
    [
        "direction_goal",
        "summary",
        "internal_control",
        "section",
        "section_create",
        "section_delete",
        "cover_memo",
        "economy_text",
        "income_statement",
        "investments",
    ],
)
def test_the_common_parts_are_refused_to_a_responsible_editor(
    client, responsible_editor, report, page
):
    urls = common_urls(report)
    client.force_login(responsible_editor)
    response = client.get(urls[page])
    assert response.status_code == 403
    assert "Rapportens gemensamma delar" in response.content.decode()


def common_urls(report) -> dict[str, str]:
    section = Section.objects.create(report=report, kind="other", title="Övrigt", position=3)
    pk = report.pk
    return {
        "direction_goal": form_url(report, "direction_goal", goal_row(report, "1")),
        "summary": reverse("reporting:summary_edit", args=[pk]),
        "internal_control": reverse("reporting:internal_control_edit", args=[pk]),
        "section": reverse("reporting:section_edit", args=[pk, section.pk]),
        "section_create": reverse("reporting:section_create", args=[pk]),
        "section_delete": reverse("reporting:section_delete", args=[pk, section.pk]),
        "cover_memo": reverse("reporting:cover_memo_edit", args=[pk]),
        "economy_text": reverse("budget:economy_text_edit", args=[pk]),
        "income_statement": reverse("budget:income_statement_edit", args=[pk]),
        "investments": reverse("budget:investments_edit", args=[pk]),
    }


def test_a_refused_post_writes_nothing(client, responsible_editor, report):
    urls = {
        **common_urls(report),
        "other": form_url(report, "x", items(report)["other_board_goal"]),
    }
    before = snapshot(report)
    client.force_login(responsible_editor)
    for page in ("other", "summary", "income_statement", "section_delete", "section_create"):
        response = client.post(urls[page], {"version": "1", "analysis": "x", "title": "x"})
        assert response.status_code == 403, page
    assert snapshot(report) == before


def test_the_workspace_shows_other_items_read_only(client, responsible_editor, report):
    mine = items(report)["indicator"]
    theirs = items(report)["other_indicator"]
    client.force_login(responsible_editor)
    html = client.get(reverse("reporting:workspace", args=[report.pk])).content.decode()
    assert f'href="{form_url(report, "indicator", mine)}"' in html
    assert f'href="{form_url(report, "indicator", theirs)}"' not in html
    assert f'href="{reverse("reporting:summary_edit", args=[report.pk])}"' not in html
    assert f'href="{reverse("budget:income_statement_edit", args=[report.pk])}"' not in html
    assert f'href="{reverse("reporting:section_create", args=[report.pk])}"' not in html
    assert "Bara läsa" in html
    assert "Ditt ansvar i rapporten:" in html
    outline = client.get(reverse("reporting:workspace", args=[report.pk])).context["outline"]
    by_anchor = {item.anchor: item.editable for part in outline.parts for item in part.items}
    assert by_anchor[f"indikator-{mine.pk}"] is True
    assert by_anchor[f"indikator-{theirs.pk}"] is False
    assert by_anchor["sammanfattning"] is False


def test_the_workspace_of_an_editor_without_responsibilities_links_everything(
    client, editor, report
):
    client.force_login(editor)
    response = client.get(reverse("reporting:workspace", args=[report.pk]))
    assert all(item.editable for item in response.context["outline"].items)
    assert "Bara läsa" not in response.content.decode()


def test_a_responsible_editor_may_still_submit_the_report(client, responsible_editor, report):
    """Submitting is the editors' move whatever their responsibilities (the review decides)."""
    client.force_login(responsible_editor)
    html = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Skicka för granskning" in html


def test_the_scope_takes_two_queries(editor, board, report, django_assert_num_queries):
    responsible(editor, board, board_goal=goal_row(report, "1.1.1").board_goal)
    with django_assert_num_queries(2):  # the role, the responsibilities with their items
        scope = edit_scope(editor, report)
    assert scope.labels == ("nämndmål 1.1.1 Nämndmål nummer 1",)
