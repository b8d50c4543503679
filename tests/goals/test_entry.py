import re

import pytest

from goals.models import ActivityFollowUp, GoalAssessment
from tests.entry_helpers import entry_urls, shown_form
from tests.factories import make_report


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_board_goals_assessment_and_analysis_are_saved(client, editor, report):
    url = entry_urls(report)["goal"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(
        url, {**data, "assessment": "partial", "analysis": "Analys.\n\n- En punkt"}
    )
    assert response.status_code == 302
    row = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    assert (row.assessment, row.analysis, row.version) == ("partial", "Analys.\n\n- En punkt", 2)
    html = client.get(url).content.decode()
    assert "Sparat." in html
    assert "Analys.\n\n- En punkt</textarea>" in html


@pytest.mark.parametrize("level", ["direction_goal", "area_goal", "board_goal"])
def test_every_level_of_goal_can_be_assessed(client, editor, report, level):
    row = GoalAssessment.objects.get(report=report, **{f"{level}__isnull": False})
    url = f"/rapporter/{report.pk}/mal/{row.pk}/"
    client.force_login(editor)
    _, data = shown_form(client, url)
    assert client.post(url, {**data, "assessment": "not_met", "analysis": "X"}).status_code == 302
    row.refresh_from_db()
    assert row.assessment == "not_met"


def test_the_scale_is_worded_for_an_annual_report(client, editor, report):
    client.force_login(editor)
    html = client.get(entry_urls(report)["goal"]).content.decode()
    for label in ["Ej bedömd", "Uppfylls helt", "Uppfylls delvis", "Uppfylls ej"]:
        assert label in html
    assert "Bedöms" not in html


def test_the_scale_of_a_tertial_report_is_worded_as_stated_without_a_template(
    client, editor, board
):
    report = make_report(board, 2020, "T1")
    client.force_login(editor)
    html = client.get(entry_urls(report)["goal"]).content.decode()
    for label in ["Uppfylls helt", "Uppfylls delvis", "Uppfylls ej"]:
        assert label in html
    assert "Bedöms" not in html


def test_the_scale_of_a_tertial_report_follows_a_forecast_template(client, editor, board):
    from reporting.models import ReportTemplate

    report = make_report(board, 2020, "T1")
    report.template = ReportTemplate.objects.create(
        board=board, name="Prognos", tertial_wording=ReportTemplate.Wording.FORECAST
    )
    report.save()
    client.force_login(editor)
    html = client.get(entry_urls(report)["goal"]).content.decode()
    for label in ["Bedöms uppfyllas helt", "Bedöms uppfyllas delvis", "Bedöms ej uppfyllas"]:
        assert label in html


def test_the_assessment_is_a_radio_group_in_a_fieldset_with_a_legend(client, editor, report):
    client.force_login(editor)
    html = client.get(entry_urls(report)["goal"]).content.decode()
    assert "<fieldset" in html
    assert "<legend" in html and "Bedömning" in html
    assert len(re.findall(r'type="radio"[^>]*name="assessment"', html)) == 4


def test_an_unknown_assessment_is_refused_in_swedish_and_the_text_kept(client, editor, report):
    url = entry_urls(report)["goal"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(url, {**data, "assessment": "fantastic", "analysis": "Kvar"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in html
    assert "Kvar</textarea>" in html


def test_the_goal_page_shows_the_goals_indicators_and_activities(client, editor, report):
    client.force_login(editor)
    html = client.get(entry_urls(report)["goal"]).content.decode()
    assert "Andel nöjda 1.0" in html
    assert "Aktivitet 1.0" in html
    assert "årsmål 80" in html


def test_user_text_is_escaped_on_the_form_and_in_the_workspace(client, editor, report):
    url = entry_urls(report)["goal"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    client.post(url, {**data, "analysis": "<script>alert(1)</script>"})
    html = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_activitys_status_deviation_and_analysis_are_saved(client, editor, report):
    url = entry_urls(report)["activity"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(
        url, {**data, "status": "ongoing", "deviation": "Försenad.", "analysis": "Pågår."}
    )
    assert response.status_code == 302
    row = ActivityFollowUp.objects.get(report=report)
    assert (row.status, row.deviation, row.analysis) == ("ongoing", "Försenad.", "Pågår.")
    html = client.get(url).content.decode()
    for label in ["Slutförd", "Pågående", "Ej påbörjad", "Avbruten"]:
        assert label in html


def test_an_activity_needs_a_status_to_be_marked_ready_and_can_be_undone(client, editor, report):
    url = entry_urls(report)["activity"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(url, {**data, "action": "ready"})
    assert "Välj en status innan du klarmarkerar." in response.content.decode()
    response = client.post(url, {**data, "status": "completed", "action": "ready"})
    assert response.status_code == 302
    assert ActivityFollowUp.objects.get(report=report).ready
    _, data = shown_form(client, url)
    client.post(url, {**data, "action": "unready"})
    row = ActivityFollowUp.objects.get(report=report)
    assert not row.ready and row.status == "completed"
