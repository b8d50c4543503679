"""Mina uppgifter on the front page: an editor's unready items by report with the deadline and
an overdue mark, a returned report with its comment, an approver's reports to review, an
administrator's decisions to record, open comments addressed to the person; each entry links
to its exact page, and a reader's front page lists none of it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reporting.comments import item_key
from reporting.models import Comment, Report, Role
from reporting.todo import todo_for
from reporting.workflow import transition
from tests.factories import fill_in, make_user

Status = Report.Status


def front(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("reporting:report_list")).content.decode()


def test_an_editor_sees_their_unready_items_with_the_deadline_and_the_return_comment(
    client, report, editor, approver
):
    today = timezone.localdate()
    report.deadline = today + timedelta(days=4)
    report.save()
    value = report.indicator_values.first()
    html = front(client, editor)
    assert "Mina uppgifter" in html
    assert f"Sista dag {report.deadline:%Y-%m-%d} (om 4 dagar)" in html
    form = reverse("indicators:indicator_value_edit", args=[report.pk, value.pk])
    assert f'<a href="{form}">{value.indicator.name}</a>' in html
    assert "Försenad" not in html

    fill_in(report)
    transition(report, "submit", editor, confirm_unready=True)
    transition(report, "return", approver, comment="Analysen av 1.1.1 saknar underlag.")
    html = front(client, editor)
    assert "Återsänd av chef" in html
    assert "Analysen av 1.1.1 saknar underlag." in html

    report.refresh_from_db()
    report.deadline = today - timedelta(days=2)
    report.save()
    html = front(client, editor)
    assert "Försenad" in html
    assert "(2 dagar sedan)" in html


def test_an_editor_with_responsibilities_sees_only_their_items(report, editor, board):
    from reporting.models import Responsibility

    other = make_user("annan", board=board, role=Role.EDITOR)
    goal = report.goal_assessments.get(board_goal__isnull=False).board_goal
    Responsibility.objects.create(membership=other.memberships.get(), board_goal=goal)
    mine = todo_for(other).drafts[0].unready
    assert {i.kind for i in mine} <= {"Nämndmål", "Indikator", "Aktivitet"}
    assert len(mine) == 3
    assert len(todo_for(editor).drafts[0].unready) > 3


def test_an_approver_sees_the_submitted_report_linked_to_its_review(
    client, report, editor, approver
):
    fill_in(report)
    transition(report, "submit", editor, confirm_unready=True)
    html = front(client, approver)
    review = reverse("reporting:report_review", args=[report.pk])
    assert f'Att granska: <a href="{review}">Socialnämnden, Verksamhetsberättelse 2019</a>' in html
    assert "Inskickad av handlaggare" in html


def test_the_administrator_is_asked_to_record_the_decision(
    client, report, editor, approver, administrator
):
    fill_in(report)
    transition(report, "submit", editor, confirm_unready=True)
    transition(report, "approve", approver)
    assert "Registrera beslut:" in front(client, administrator)
    assert "Registrera beslut:" not in front(client, approver)


def test_open_comments_addressed_to_me_link_to_the_item_s_form(client, report, editor, approver):
    value = report.indicator_values.first()
    thread = Comment.objects.create(
        report=report,
        item_key=item_key(value),
        item_title=value.indicator.name,
        author=approver,
        addressee=editor,
        text="Källa saknas för utfallet.",
    )
    html = front(client, editor)
    form = reverse("indicators:indicator_value_edit", args=[report.pk, value.pk])
    assert f'<a href="{form}#kommentar-{thread.pk}">{value.indicator.name}</a>' in html
    assert "Källa saknas för utfallet." in html
    # The author does not get their own comment as a task, until it is answered.
    assert "Källa saknas för utfallet." not in front(client, approver)
    Comment.objects.create(
        report=report,
        item_key=thread.item_key,
        parent=thread,
        author=editor,
        text="Lagt till källan.",
    )
    assert "svar på din kommentar" in front(client, approver)
    thread.resolved_at = timezone.now()
    thread.save()
    assert "Källa saknas för utfallet." not in front(client, editor)


def test_a_reader_has_no_tasks_and_sees_no_comments(client, report, reader, approver):
    Comment.objects.create(
        report=report, item_key="x:1", author=approver, text="Internt: siffran är fel."
    )
    report.deadline = timezone.localdate()
    report.save()
    html = front(client, reader)
    assert "Mina uppgifter" not in html
    assert "Internt" not in html
