"""Klarmarkering counts: submitting a report with items not marked ready asks first and names
them; the choice is recorded in the event log. An approver may approve despite review errors
only with a written justification, kept in the event log and printed nowhere. The board's
decision is recorded by the administrator, with a date that is not before the approval."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from budget.models import EconomyText, TableMark
from goals.models import GoalAssessment
from reporting.models import CoverMemo, Report, ReportEvent, Section
from reporting.workflow import TransitionError, transition, unready_items
from tests.factories import fill_in

Status = Report.Status


def move(client, report, name: str, **data):
    return client.post(reverse("reporting:report_transition", args=[report.pk, name]), data)


def detail(client, report) -> str:
    return client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()


def test_submitting_with_unready_items_asks_names_them_and_records_the_choice(
    client, report, editor, approver
):
    fill_in(report)
    goal = GoalAssessment.objects.get(report=report, board_goal__isnull=False)
    goal.ready = True
    goal.save()
    client.force_login(editor)
    response = move(client, report, "submit")
    assert response.status_code == 200
    html = response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert not ReportEvent.objects.exists()
    unready = [f"{i.kind}: {i.title}" for i in unready_items(report)]
    assert "Nämndmål: 1.1.1 Nämndmål nummer 1" not in unready  # marked ready
    assert "Indikator: Andel nöjda 1.0" in unready
    assert f"{len(unready)} delar av rapporten är inte klarmarkerade." in html
    for title in unready:
        assert f"<li>{title}</li>" in html
    assert 'name="confirm_unready" value="on"' in html
    assert 'id="skicka-anda" autofocus' in html

    response = move(client, report, "submit", confirm_unready="on")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    event = ReportEvent.objects.get()
    assert event.unready == unready
    client.force_login(approver)
    html = detail(client, report)
    logged = html.split(f"Inskickad med {len(unready)} delar ej klarmarkerade: ")[1].split("</p>")[
        0
    ]
    assert "Indikator: Andel nöjda 1.0" in logged


def test_a_report_with_every_item_ready_is_submitted_without_a_question(report, editor):
    fill_in(report)
    # Every row the outline counts marked ready; the report's own parts created ready.
    for related in ("goal_assessments", "indicator_values", "activity_follow_ups"):
        getattr(report, related).update(ready=True)
    report.operating_budget_rows.update(ready=True)
    report.economy_subsections.update(text="Inte aktuellt.", ready=True)
    Section.objects.create(report=report, kind="summary", text="Året.", ready=True)
    Section.objects.create(
        report=report, kind="internal_control", text="Bra.", assessment="sufficient", ready=True
    )
    EconomyText.objects.create(report=report, analysis="Överskott.", ready=True)
    CoverMemo.objects.create(report=report, title="VB 2019", ready=True)
    for table in TableMark.Table:
        TableMark.objects.create(report=report, table=table, ready=True)
    assert unready_items(report) == []
    transition(report, "submit", editor)
    assert ReportEvent.objects.get().unready == []


def test_an_approval_with_errors_needs_a_justification_kept_in_the_event_log(
    client, report, editor, approver
):
    report.status = Status.SUBMITTED  # submitted earlier; the review now finds errors
    report.save()
    client.force_login(approver)
    html = detail(client, report)
    assert 'name="justification"' in html  # offered because the review has errors
    response = move(client, report, "approve")
    assert response.status_code == 200
    assert "Granskningen hittade" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED

    why = "Nämnden har beslutat om extra sammanträde; 1.1.1 kompletteras muntligt."
    response = move(client, report, "approve", justification=why)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    event = ReportEvent.objects.get()
    assert event.justification == why
    assert f"Godkänd trots fel i granskningen. Motivering: {why}" in detail(client, report)
    version = report.versions.get()
    assert "extra sammanträde" not in version.data
    assert b"extra samm" not in bytes(version.pdf)


def test_a_justification_is_not_kept_when_there_is_nothing_to_justify(report, editor, approver):
    fill_in(report)
    transition(report, "submit", editor, confirm_unready=True)
    transition(report, "approve", approver, justification="Inget att säga.")
    assert ReportEvent.objects.last().justification == ""


def test_the_decision_is_the_administrators_and_not_dated_before_the_approval(
    client, report, editor, approver, administrator
):
    fill_in(report)
    transition(report, "submit", editor, confirm_unready=True)
    report = transition(report, "approve", approver)
    client.force_login(approver)
    assert "Registrera nämndens beslut</button>" not in detail(client, report)
    with pytest.raises(TransitionError, match="Bara administratör"):
        transition(report, "decide", approver, decision_date=date.today(), decision_paragraph="§ 1")
    with pytest.raises(TransitionError, match="före godkännandet"):
        transition(
            report,
            "decide",
            administrator,
            decision_date=date(2017, 1, 1),
            decision_paragraph="§ 1",
        )
    with pytest.raises(TransitionError, match="har inte kommit än"):
        transition(
            report,
            "decide",
            administrator,
            decision_date=date.today() + timedelta(days=30),
            decision_paragraph="§ 1",
        )
    client.force_login(administrator)
    response = move(client, report, "decide", decision_date="2017-01-01", decision_paragraph="§ 1")
    assert "före godkännandet" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.APPROVED
