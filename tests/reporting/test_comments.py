"""Comments per item: an approver comments on an indicator, the editor answers and resolves
it; the thread shows on the item's form and on the review page; readers never see comments,
the review or the event log."""

import pytest
from django.urls import reverse

from reporting.comments import item_key
from reporting.models import Comment, Report, ReportEvent, Role
from tests.factories import make_user


@pytest.fixture
def value(report):
    return report.indicator_values.first()


def comments_url(report, item) -> str:
    return reverse("reporting:item_comments", args=[report.pk, item_key(item)])


def form_url(report, value) -> str:
    return reverse("indicators:indicator_value_edit", args=[report.pk, value.pk])


def test_an_approver_comments_the_editor_answers_and_resolves_and_a_reader_sees_nothing(
    client, report, value, editor, approver, reader
):
    report.status = Report.Status.SUBMITTED
    report.save()
    client.force_login(approver)
    response = client.post(
        comments_url(report, value),
        {"text": "Utfallet 85 % stämmer inte med källan?", "addressee": editor.pk},
    )
    assert response.status_code == 302
    thread = Comment.objects.get()
    assert (thread.author, thread.addressee, thread.item_key) == (
        approver,
        editor,
        f"indicators.indicatorvalue:{value.pk}",
    )
    assert thread.item_title == value.indicator.name
    assert thread.history.count() == 1  # audited

    review = client.get(reverse("reporting:report_review", args=[report.pk])).content.decode()
    assert "Olösta kommentarer (1)" in review
    assert "Utfallet 85 % stämmer inte med källan?" in review

    # Returned, the editor finds the comment on the indicator's own form.
    report.status = Report.Status.DRAFT
    report.save()
    client.force_login(editor)
    page = client.get(form_url(report, value)).content.decode()
    assert "Utfallet 85 % stämmer inte med källan?" in page
    assert "1 olöst" in page

    reply_url = reverse("reporting:comment_reply", args=[report.pk, thread.pk])
    response = client.post(
        reply_url,
        {"text": "Rättat till 84 % enligt SCB.", "resolve": "on", "next": form_url(report, value)},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(form_url(report, value))
    thread.refresh_from_db()
    assert thread.resolved and thread.resolved_by == editor
    answer = thread.replies.get()
    assert (answer.author, answer.text) == (editor, "Rättat till 84 % enligt SCB.")
    page = client.get(form_url(report, value)).content.decode()
    assert "Rättat till 84 % enligt SCB." in page
    assert "Löst av" in page
    review = client.get(reverse("reporting:report_review", args=[report.pk])).content.decode()
    assert "Olösta kommentarer (0)" in review

    # The reader: the report, yes; the comments, the review, the history, the event log, no.
    ReportEvent.objects.create(
        report=report,
        from_status="submitted",
        to_status="draft",
        user=approver,
        comment="Rätta indikatorerna.",
    )
    client.force_login(reader)
    assert client.get(comments_url(report, value)).status_code == 403
    assert client.get(reverse("reporting:report_review", args=[report.pk])).status_code == 403
    assert client.get(reverse("reporting:report_history", args=[report.pk])).status_code == 403
    assert client.post(reply_url, {"text": "Jag med"}).status_code == 403
    detail = client.get(reverse("reporting:report_detail", args=[report.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    for internal in (
        "stämmer inte med källan",
        "Rättat till 84 %",
        "Rätta indikatorerna.",
        "Granskningen",
        "Händelser",
        "Historik",
    ):
        assert internal not in page, internal
    front = client.get(reverse("reporting:report_list")).content.decode()
    assert "stämmer inte med källan" not in front
    assert "Rätta indikatorerna." not in front


def test_a_reply_needs_a_text_or_the_resolve_mark_and_keeps_nothing_typed_lost(
    client, report, value, editor, approver
):
    thread = Comment.objects.create(
        report=report, item_key=item_key(value), author=approver, text="Saknas analys?"
    )
    client.force_login(editor)
    response = client.post(reverse("reporting:comment_reply", args=[report.pk, thread.pk]), {})
    assert response.status_code == 200
    assert "Skriv ett svar" in response.content.decode()
    assert not Comment.objects.filter(parent=thread).exists()


def test_a_resolved_thread_can_be_opened_again(client, report, value, editor, approver):
    thread = Comment.objects.create(
        report=report, item_key=item_key(value), author=approver, text="Saknas analys?"
    )
    client.force_login(editor)
    url = reverse("reporting:comment_resolve", args=[report.pk, thread.pk])
    client.post(url, {"action": "resolve"})
    thread.refresh_from_db()
    assert thread.resolved
    client.post(url, {"action": "reopen"})
    thread.refresh_from_db()
    assert not thread.resolved and thread.resolved_by is None


def test_a_key_of_another_report_or_kind_is_404(client, report, editor, board):
    other = make_user("annan", board=board, role=Role.EDITOR)
    client.force_login(other)
    url = reverse("reporting:item_comments", args=[report.pk, "indicators.indicatorvalue:99999"])
    assert client.get(url).status_code == 404
    url = reverse("reporting:item_comments", args=[report.pk, "auth.user:1"])
    assert client.get(url).status_code == 404


def test_a_comment_on_every_kind_of_item_links_back_to_its_form(client, report, approver):
    client.force_login(approver)
    items = [
        report.goal_assessments.filter(board_goal__isnull=False).first(),
        report.indicator_values.first(),
        report.activity_follow_ups.first(),
        report.operating_budget_rows.first(),
    ]
    for item in items:
        response = client.post(comments_url(report, item), {"text": "Titta på det här."})
        assert response.status_code == 302, item
    assert Comment.objects.filter(report=report).count() == len(items)
    titles = set(Comment.objects.values_list("item_title", flat=True))
    assert "1.1.1 Nämndmål nummer 1" in titles
    assert "Område 0" in titles
