"""start_year and create_report from the command line."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from goals.models import BoardGoal
from reporting.models import Report
from tests.factories import make_report


def test_start_year_command_starts_the_year_and_refuses_a_second_time(board, capsys):
    make_report(board, 2019, "VB")
    call_command("start_year", "--board", "Socialnämnden", "--year", "2020")
    assert "Socialnämnden 2020 är uppsatt från 2019" in capsys.readouterr().out
    assert BoardGoal.objects.filter(year=2020).count() == 1
    with pytest.raises(CommandError, match="har redan en plan eller rapporter för 2020"):
        call_command("start_year", "--board", "Socialnämnden", "--year", "2020")


def test_create_report_command_makes_a_report_with_a_deadline(board, capsys):
    make_report(board, 2019, "VB")
    call_command(
        "create_report",
        "--board",
        "Socialnämnden",
        "--year",
        "2019",
        "--period",
        "T1",
        "--deadline",
        "2019-05-15",
    )
    report = Report.objects.get(period="T1")
    assert report.deadline == date(2019, 5, 15)
    assert report.goal_assessments.filter(board_goal__isnull=False).count() == 1
    assert "sista dag 2019-05-15" in capsys.readouterr().out
    with pytest.raises(CommandError, match="har redan tertialrapport 1 2019"):
        call_command(
            "create_report", "--board", "Socialnämnden", "--year", "2019", "--period", "T1"
        )
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command(
            "create_report",
            "--board",
            "Socialnämnden",
            "--year",
            "2019",
            "--period",
            "T2",
            "--deadline",
            "15/5",
        )


def test_an_overdue_draft_is_marked_on_the_front_page(client, board, editor):
    late = make_report(board, 2019, "T1")
    late.deadline = date(2019, 5, 15)
    late.save()
    client.force_login(editor)
    page = client.get("/").content.decode()
    assert "2019-05-15" in page and "Försenad" in page
    late.status = Report.Status.SUBMITTED
    late.save()
    assert "Försenad" not in client.get("/").content.decode()


def test_the_report_page_shows_the_deadline(client, board, editor):
    report = make_report(board, 2019, "T1")
    report.deadline = date(2019, 5, 15)
    report.save()
    client.force_login(editor)
    page = client.get(f"/rapporter/{report.pk}/").content.decode()
    assert "Sista dag" in page and "2019-05-15" in page and "Försenad" in page
