"""A form page and a save cost a few queries, whatever the report's size: no outline, review or
document work that the page does not show (issue 13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import GoalAssessment
from reporting.models import Role
from tests.factories import make_board, make_report, make_user

# A form page: session, user, the report and its access, the item, its recent history, ...;
# a save adds the row lock, the version check, the write and its audit row, the message.
PAGE, SAVE = 15, 20


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


def form_costs(client, goals: int, name: str) -> tuple[int, int]:
    board = make_board(name)
    report = make_report(board, board_goals=goals, indicators=3, activities=2)
    client.force_login(make_user(f"redaktor-{goals}", board=board, role=Role.EDITOR))
    item = GoalAssessment.objects.filter(report=report, board_goal__isnull=False).first()
    url = reverse("goals:goal_assessment_edit", args=[report.pk, item.pk])
    client.get(url)  # the session is touched once
    page = queries(lambda: client.get(url))
    body = {"assessment": "full", "analysis": "Målet uppfylls helt.", "version": item.version}
    save = queries(lambda: client.post(url, body))
    return page, save


@pytest.mark.django_db
def test_a_form_page_and_a_save_cost_a_few_queries_whatever_the_reports_size(client):
    small = form_costs(client, 1, "Socialnämnden")
    large = form_costs(client, 25, "Äldrenämnden")
    assert small == large
    page, save = small
    assert page <= PAGE and save <= SAVE
