"""The admin is how an administrator sets up a year: every page of every model must work."""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from budget.models import (
    AdjustmentKind,
    BudgetAdjustment,
    EconomyTable,
    EconomyTableRow,
    EconomyText,
    GivenTotals,
    IncomeStatementCategory,
    IncomeStatementRow,
    InvestmentCategory,
    InvestmentRow,
    OperatingArea,
    TableMark,
)
from goals.models import Activity, AreaGoal, BoardGoal, Commitment, GoalAssessment
from indicators.models import (
    Indicator,
    IndicatorResponsibility,
    IndicatorTarget,
    IndicatorValue,
)
from reporting.models import (
    Comment,
    CouncilAdministrator,
    CoverMemo,
    Membership,
    MemoAttachment,
    Profile,
    ProposedDecision,
    ReminderLog,
    RenderedFile,
    Report,
    ReportEvent,
    ReportTemplate,
    ReportVersion,
    Responsibility,
    ReviewRefresh,
    ReviewResult,
    Section,
    Signatory,
    Unit,
)
from reporting.review import run_review
from reporting.tasks import render_file
from tests.factories import make_plan

APPS = {"reporting", "goals", "indicators", "budget"}
# Written by the application only (the login records by django-axes; DBTaskResult: the task
# queue of django-tasks-db).
READ_ONLY = {
    ReportEvent,
    ReportVersion,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    Comment,
    ReminderLog,
    RenderedFile,
    ReviewRefresh,
    ReviewResult,
    DBTaskResult,
}


def label(model) -> str:
    return model._meta.label


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def everything(report, editor, superuser, settings):
    """At least one row of every model of the four apps, around one report."""
    board = report.board
    unit = Unit.objects.create(board=board, name="Beställarenheten")
    board_goal = BoardGoal.objects.filter(board=board).first()
    board_goal.expected_results = ["Fler i arbete", "Färre hemlösa"]
    board_goal.save()
    commitment = Commitment.objects.create(
        unit=unit, board_goal=board_goal, title="Vi åtar oss att korta väntetiderna"
    )
    Activity.objects.create(board=board, year=2019, commitment=commitment, title="Kartlägga")
    memo = CoverMemo.objects.create(report=report, title="Verksamhetsberättelse VB 2019", dnr="1.2")
    ProposedDecision.objects.create(cover_memo=memo, position=1, text="Nämnden godkänner.")
    Signatory.objects.create(cover_memo=memo, position=1, name="Lena", title="Förvaltningschef")
    MemoAttachment.objects.create(cover_memo=memo, position=1, title="Bilaga 1: Utbildningar")
    Section.objects.create(report=report, kind="summary", text="Året i korthet.")
    Section.objects.create(
        report=report, kind="internal_control", assessment="sufficient", text="Tillräcklig."
    )
    Responsibility.objects.create(membership=editor.memberships.get(), board_goal=board_goal)
    ReportEvent.objects.create(
        report=report, from_status="draft", to_status="submitted", user=editor
    )
    ReportVersion.objects.create(
        report=report,
        number=1,
        approved_by=superuser,
        data="{}",
        data_sha256="0" * 64,
        pdf=b"%PDF-1.7",
        pdf_sha256="1" * 64,
    )
    value = IndicatorValue.objects.filter(report=report).first()
    value.set_figure("outcome", Decimal("81.5"))
    value.set_figure("forecast", "Tas fram av nämnden")
    value.save()
    row = report.operating_budget_rows.first()
    row.budget = Decimal("1165.1")
    row.outcome = Decimal("1159.2")
    row.save()
    BudgetAdjustment.objects.create(row=row, label="Resultatöverföring", amount=Decimal("-1.5"))
    IncomeStatementRow.objects.create(report=report, label="Bidrag", kind="income")
    InvestmentRow.objects.create(report=report, category="Inventarier", budget=Decimal("2"))
    EconomyText.objects.create(report=report, analysis="Nämnden redovisar ett överskott.")
    TableMark.objects.create(report=report, table="investments", ready=True)
    Comment.objects.create(
        report=report, item_key=f"indicators.indicatorvalue:{value.pk}", author=editor, text="?"
    )
    Profile.objects.create(user=editor, email_reminders=False)
    ReminderLog.objects.create(
        user=editor, report=report, kind="due", sent_on=report.created_at.date()
    )
    GivenTotals.objects.create(report=report, operating_budget={"budget": "1297.1"})
    AdjustmentKind.objects.create(board=board, year=2019, label="Resultatöverföring", position=1)
    table = EconomyTable.objects.create(report=report, title="Medel", columns=["Budget"])
    EconomyTableRow.objects.create(table=table, label="Summa", values=["1,0"], is_total=True)
    AccessAttempt.objects.create(
        username="ledamot", ip_address="127.0.0.1", user_agent="", failures_since_start=2
    )
    AccessLog.objects.create(username="ledamot", ip_address="127.0.0.1", user_agent="")
    AccessFailureLog.objects.create(username="ledamot", ip_address="127.0.0.1", user_agent="")
    ReportTemplate.objects.create(board=board, name="Verksamhetsberättelse 2013")
    IndicatorResponsibility.objects.create(
        indicator=value.indicator,
        period="T2",
        valid_from="2019-06-17",
        decision_reference="KF T2 2019, bilaga 3",
        responsible="Arbetsmarknadsnämnden",
    )
    IncomeStatementCategory.objects.create(board=board, year=2019, name="Bidrag", kind="income")
    InvestmentCategory.objects.create(board=board, year=2019, name="Inventarier")
    CouncilAdministrator.objects.create(user=superuser, municipality=board.municipality)
    RenderedFile.objects.create(key="2" * 64, report=report, kind="report_pdf")
    run_review(report)  # a stored review result
    ReviewRefresh.objects.create(report=report)  # a refresh waiting for the worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    render_file.enqueue("2" * 64)  # a task in the queue, for the queue's admin page
    Group.objects.create(name="Nämndsekreterare")
    return report


def our_models():
    return [model for model in admin.site._registry if model._meta.app_label in APPS]


def is_audit_history(model) -> bool:
    """The historical tables of the audit trail are read through their model's admin."""
    return any(field.name == "history_id" for field in model._meta.fields)


def test_every_model_of_the_four_apps_is_in_the_admin():
    models = {
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not is_audit_history(model)
    }
    assert models == set(our_models())


@pytest.mark.parametrize("model", list(admin.site._registry), ids=label)
def test_every_admin_page_of_every_model_works_for_a_superuser(
    client, superuser, everything, model
):
    client.force_login(superuser)
    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert '<html lang="sv"' in changelist.content.decode()
    assert changelist.context["cl"].result_count > 0
    assert client.get(admin_url(model, "changelist"), {"q": "2019 nämnd"}).status_code == 200
    add = client.get(admin_url(model, "add"))
    assert add.status_code == (403 if model in READ_ONLY else 200)
    obj = model._default_manager.first()
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert client.get(admin_url(model, "history", obj.pk)).status_code == 200


def test_the_report_list_filters_by_year_period_status_and_board(client, superuser, everything):
    client.force_login(superuser)
    query = {
        "year": "2019",
        "period__exact": "VB",
        "status__exact": "draft",
        "board__id__exact": str(everything.board_id),
    }
    response = client.get(admin_url(Report, "changelist"), query)
    assert response.context["cl"].result_count == 1
    response = client.get(admin_url(Report, "changelist"), {**query, "period__exact": "T1"})
    assert response.context["cl"].result_count == 0


def test_report_rows_filter_by_the_reports_year_period_and_board(client, superuser, everything):
    client.force_login(superuser)
    query = {
        "report__year": "2019",
        "report__period__exact": "VB",
        "report__board__id__exact": str(everything.board_id),
    }
    response = client.get(admin_url(GoalAssessment, "changelist"), query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == GoalAssessment.objects.count()


def test_the_admin_index_is_in_swedish(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("admin:index")).content.decode()
    assert '<html lang="sv"' in html
    assert "Nämndrapport – administration" in html
    assert "Nämndmål" in html


def test_a_reader_cannot_use_the_admin(client, reader):
    client.force_login(reader)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_report_autocomplete_finds_a_report_by_board_and_year(client, superuser, everything):
    client.force_login(superuser)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Socialnämnden 2019",
            "app_label": "goals",
            "model_name": "goalassessment",
            "field_name": "report",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [str(everything)]


def test_indicator_figures_are_listed_the_swedish_way(client, superuser, everything):
    client.force_login(superuser)
    html = client.get(admin_url(IndicatorValue, "changelist")).content.decode()
    assert "81,5\u00a0%" in html
    assert "Tas fram av nämnden" in html


def test_budget_amounts_are_listed_the_swedish_way(client, superuser, everything):
    client.force_login(superuser)
    html = client.get(
        admin_url(everything.operating_budget_rows.model, "changelist")
    ).content.decode()
    assert "1\u202f165,1" in html
    assert "1\u202f159,2" in html


def test_board_goals_list_their_indicators_and_activities_with_links(client, superuser, everything):
    goal = BoardGoal.objects.get(board=everything.board, number="1.1.1")
    client.force_login(superuser)
    html = client.get(admin_url(BoardGoal, "changelist")).content.decode()
    indicators = admin_url(Indicator, "changelist")
    assert f'href="{indicators}?board_goal__id__exact={goal.pk}">1</a>' in html
    response = client.get(indicators, {"board_goal__id__exact": goal.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_expected_results_are_edited_one_per_line(client, superuser, everything):
    goal = BoardGoal.objects.get(board=everything.board, number="1.1.1")
    client.force_login(superuser)
    html = client.get(admin_url(BoardGoal, "change", goal.pk)).content.decode()
    assert ">\nFler i arbete\nFärre hemlösa</textarea>" in html


def test_adding_a_board_goal_saves_expected_results_and_gives_activities_board_and_year(
    client, superuser, board
):
    plan = make_plan(board, 2020, board_goals=0, indicators=0, activities=0, areas=0)
    client.force_login(superuser)
    data = {
        "board": board.pk,
        "year": "2020",
        "area_goal": plan["area_goal"].pk,
        "number": "1.1.9",
        "position": "9",
        "title": "Stockholmare arbetar och är självförsörjande",
        "description": "",
        "expected_results": "Fler i arbete\n\n  Färre med ekonomiskt bistånd \n",
        **inline_management("commitments", total=0),
        **inline_management("activities", total=1),
        "activities-0-title": "Utveckla jobbtorgen",
        "activities-0-kind": "board",
        "activities-0-start_date": "2020-01-01",
        "activities-0-end_date": "2020-12-31",
        "activities-0-position": "0",
    }
    response = client.post(admin_url(BoardGoal, "add"), data)
    assert response.status_code == 302, response.context["errors"]
    goal = BoardGoal.objects.get(board=board, year=2020, number="1.1.9")
    assert goal.expected_results == ["Fler i arbete", "Färre med ekonomiskt bistånd"]
    activity = goal.activities.get()
    assert (activity.board, activity.year, activity.title) == (board, 2020, "Utveckla jobbtorgen")


def test_an_activity_ending_before_it_starts_is_refused_in_swedish(client, superuser, board):
    plan = make_plan(board, 2019, board_goals=1, indicators=0, activities=0, areas=0)
    client.force_login(superuser)
    data = {
        "board": board.pk,
        "year": "2019",
        "board_goal": plan["board_goals"][0].pk,
        "title": "Baklänges",
        "kind": "board",
        "start_date": "2019-12-31",
        "end_date": "2019-01-01",
        "position": "0",
    }
    response = client.post(admin_url(Activity, "add"), data)
    assert response.status_code == 200
    assert "Slutdatum kan inte ligga före startdatum." in response.content.decode()
    assert not Activity.objects.filter(title="Baklänges").exists()


def test_adding_a_report_in_the_admin_gives_it_the_years_plan(client, superuser, board):
    make_plan(board, 2020, board_goals=2, indicators=1, activities=1, areas=3)
    client.force_login(superuser)
    data = {
        "board": board.pk,
        "unit": "",
        "year": "2020",
        "period": "T1",
        "amount_unit": "tkr",
        "status": "draft",
        "decision_date": "",
        "decision_paragraph": "",
        "source_anomalies": "[]",
        **inline_management("sections", total=1),
        "sections-0-kind": "summary",
        "sections-0-position": "0",
        "sections-0-title": "Sammanfattande analys",
        "sections-0-text": "Året började bra.",
        "sections-0-assessment": "",
        **inline_management("events", total=0),
    }
    response = client.post(admin_url(Report, "add"), data)
    assert response.status_code == 302, response.context["errors"]
    report = Report.objects.get(board=board, year=2020, period="T1")
    assert report.amount_unit == "tkr"
    assert report.goal_assessments.filter(board_goal__isnull=False).count() == 2
    assert report.indicator_values.count() == 2
    assert report.activity_follow_ups.count() == 2
    assert report.operating_budget_rows.count() == 3
    assert report.sections.get().text == "Året började bra."


def test_a_second_report_for_the_same_period_is_refused_in_swedish(client, superuser, report):
    client.force_login(superuser)
    data = {
        "board": report.board_id,
        "year": "2019",
        "period": "VB",
        "status": "draft",
        "source_anomalies": "[]",
        **inline_management("sections", total=0),
        **inline_management("events", total=0),
    }
    response = client.post(admin_url(Report, "add"), data)
    assert response.status_code == 200
    assert "Nämnden har redan en rapport för den perioden." in response.content.decode()
    assert Report.objects.count() == 1


def test_cover_memo_edits_its_proposals_signatories_and_attachments_inline(
    client, superuser, everything
):
    client.force_login(superuser)
    html = client.get(admin_url(CoverMemo, "change", everything.cover_memo.pk)).content.decode()
    assert "Nämnden godkänner." in html
    assert "Förvaltningschef" in html
    assert "Bilaga 1: Utbildningar" in html


def test_board_page_edits_units_and_memberships_inline(client, superuser, everything):
    client.force_login(superuser)
    html = client.get(admin_url(type(everything.board), "change", everything.board_id))
    html = html.content.decode()
    assert "Beställarenheten" in html
    assert 'name="memberships-0-role"' in html


def test_user_page_shows_the_roles_on_boards(client, superuser, editor):
    client.force_login(superuser)
    response = client.get(admin_url(type(editor), "change", editor.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Roller i nämnder" in html
    assert Membership.objects.get(user=editor).board.name in html


def test_approved_versions_and_events_cannot_be_changed_or_deleted(client, superuser, everything):
    client.force_login(superuser)
    version = ReportVersion.objects.get()
    for model, obj in [(ReportVersion, version), (ReportEvent, ReportEvent.objects.get())]:
        assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
        response = client.post(admin_url(model, "change", obj.pk), {})
        assert response.status_code == 403


def test_an_area_goal_lists_its_year(client, superuser, everything):
    client.force_login(superuser)
    response = client.get(admin_url(AreaGoal, "changelist"), {"direction_goal__year": "2019"})
    assert response.context["cl"].result_count == AreaGoal.objects.count()


def test_operating_areas_filter_by_year_and_board(client, superuser, everything):
    client.force_login(superuser)
    response = client.get(
        admin_url(OperatingArea, "changelist"),
        {"year": "2019", "board__id__exact": str(everything.board_id)},
    )
    assert response.context["cl"].result_count == 1


def inline_management(prefix: str, *, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_a_target_typed_with_a_decimal_comma_is_saved_and_shown_without_trailing_zeros(
    client, superuser, everything
):
    indicator = Indicator.objects.filter(board=everything.board).first()
    client.force_login(superuser)
    data = {
        "indicator": indicator.pk,
        "period": "T2",
        "annual_target": "0,03",
        "annual_target_text": "",
        "kf_annual_target": "",
        "kf_annual_target_text": "Tas fram av nämnden",
        "decided_on": "2019-09-25",
    }
    response = client.post(admin_url(IndicatorTarget, "add"), data)
    assert response.status_code == 302, response.context["errors"]
    target = IndicatorTarget.objects.get(indicator=indicator, period="T2")
    assert target.get_figure("annual_target") == Decimal("0.03")
    assert target.get_figure("kf_annual_target") == "Tas fram av nämnden"
    html = client.get(admin_url(IndicatorTarget, "change", target.pk)).content.decode()
    assert 'value="0,03"' in html


def test_a_figure_with_both_a_number_and_a_text_is_refused_in_swedish(
    client, superuser, everything
):
    indicator = Indicator.objects.filter(board=everything.board).first()
    client.force_login(superuser)
    data = {
        "indicator": indicator.pk,
        "period": "T2",
        "annual_target": "80",
        "annual_target_text": "öka",
        "kf_annual_target": "",
        "kf_annual_target_text": "",
        "decided_on": "",
    }
    response = client.post(admin_url(IndicatorTarget, "add"), data)
    assert response.status_code == 200
    assert "Ange antingen ett tal eller en text, inte båda." in response.content.decode()


def test_budget_amounts_are_edited_without_trailing_zeros(client, superuser, everything):
    row = everything.operating_budget_rows.first()
    client.force_login(superuser)
    html = client.get(admin_url(type(row), "change", row.pk)).content.decode()
    assert 'value="1165,1"' in html
    assert 'value="-1,5"' in html


def test_a_superuser_can_lift_a_lockout_by_deleting_the_access_attempt(client, superuser, db):
    attempt = AccessAttempt.objects.create(
        username="ledamot", ip_address="127.0.0.1", user_agent="", failures_since_start=5
    )
    client.force_login(superuser)
    response = client.post(admin_url(AccessAttempt, "delete", attempt.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_an_edit_in_the_admin_shows_in_the_history_with_who_made_it(client, superuser, everything):
    section = everything.sections.get(kind="summary")
    client.force_login(superuser)
    data = {"report": everything.pk, "kind": "summary", "position": "0", "title": ""}
    data |= {"text": "Året i korthet, omskrivet.", "assessment": ""}
    response = client.post(admin_url(Section, "change", section.pk), data)
    assert response.status_code == 302, response.context["errors"]
    newest = section.history.first()
    assert (newest.history_user, newest.text) == (superuser, "Året i korthet, omskrivet.")
    html = client.get(admin_url(Section, "history", section.pk)).content.decode()
    assert superuser.username in html
    assert "Ändringshistorik" in html
    assert "Ändrad av" in html
