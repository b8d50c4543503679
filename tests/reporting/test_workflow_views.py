"""The workflow in the browser: the panel on the report page and the workspace, the moves
through ``reporting:report_transition``, refusals shown with what was typed, the event log and
the review page."""

from datetime import date

import pytest
from django.urls import reverse

from reporting.models import Report, ReportEvent, Role
from reporting.panel import draft_reason
from reporting.workflow import transition
from tests.factories import fill_in, make_user

Status = Report.Status


@pytest.fixture
def clean_report(report):
    return fill_in(report)


def move(client, report, name: str, **data):
    if name == "submit":  # the person has been asked about the unready items and said yes
        data.setdefault("confirm_unready", "on")
    return client.post(reverse("reporting:report_transition", args=[report.pk, name]), data)


def detail(client, report) -> str:
    return client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


# -- moves through the view ---------------------------------------------------------------------


def test_a_report_walks_from_draft_to_decision_through_the_view(
    client, clean_report, editor, approver, administrator
):
    report = clean_report
    steps = [
        (editor, "submit", {}, Status.SUBMITTED),
        (approver, "return", {"comment": "Komplettera analysen av 1.1.1."}, Status.DRAFT),
        (administrator, "submit", {}, Status.SUBMITTED),
        (approver, "approve", {}, Status.APPROVED),
        (
            administrator,
            "decide",
            {"decision_date": date.today().isoformat(), "decision_paragraph": "§ 12"},
            Status.DECIDED,
        ),
    ]
    for user, name, data, status in steps:
        client.force_login(user)
        response = move(client, report, name, **data)
        assert response.status_code == 302, (name, response.status_code)
        assert response.url == reverse("reporting:report_detail", args=[report.pk])
        report.refresh_from_db()
        assert report.status == status, name
    assert (report.decision_date, report.decision_paragraph) == (date.today(), "§ 12")
    assert report.versions.count() == 1
    html = detail(client, report)
    assert "Nämndens beslut är registrerat." in html
    assert html.count("<td>Utkast → Inskickad för granskning</td>") == 2
    assert "<td>Inskickad för granskning → Utkast</td>" in html
    assert "<td>Inskickad för granskning → Godkänd</td>" in html
    assert "<td>Godkänd → Beslutad</td>" in html
    assert "Komplettera analysen av 1.1.1." in html
    assert "<td>chef</td>" in html and "<td>sekreterare</td>" in html


def test_a_reopening_needs_a_reason_and_shows_it_to_the_editors(
    client, clean_report, approver, editor
):
    report = clean_report
    report.status = Status.APPROVED
    report.save()
    client.force_login(approver)
    response = move(client, report, "reopen", comment="Fel siffra i driftbudgeten.")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    client.force_login(editor)
    html = detail(client, report)
    assert "Öppnad igen av chef den" in html
    assert "Fel siffra i driftbudgeten." in html
    assert "<td>Godkänd → Utkast</td>" in html


def test_the_return_comment_is_shown_to_the_editors_while_the_report_is_a_draft(
    client, clean_report, editor, approver
):
    named(approver, "Anna", "Chef")
    report = transition(clean_report, "submit", editor, confirm_unready=True)
    client.force_login(approver)
    move(client, report, "return", comment="Analysen av 1.1.1 saknar slutsats.\nSe över.")
    client.force_login(editor)
    for url in (
        reverse("reporting:report_detail", args=[report.pk]),
        reverse("reporting:workspace", args=[report.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Återsänd av Anna Chef den" in html
        assert "Analysen av 1.1.1 saknar slutsats.<br>Se över." in html
    report = transition(report, "submit", editor, confirm_unready=True)
    assert "Återsänd av" not in detail(client, report)  # no longer a draft


def test_a_stale_return_comment_is_not_shown_after_approval_and_reopening(
    clean_report, editor, approver
):
    report = transition(clean_report, "submit", editor, confirm_unready=True)
    report = transition(report, "return", approver, comment="Gammal kommentar.")
    assert draft_reason(report, list(report.events.all())).comment == "Gammal kommentar."
    report.status = Status.APPROVED  # approved since (without rendering a PDF here)
    report.save()
    report = transition(report, "reopen", approver, comment="Nytt skäl.")
    assert draft_reason(report, list(report.events.all())).comment == "Nytt skäl."


def test_a_move_from_the_workspace_leads_back_to_the_workspace(client, clean_report, editor):
    client.force_login(editor)
    response = move(client, clean_report, "submit", next="workspace")
    assert response.url == reverse("reporting:workspace", args=[clean_report.pk])
    html = client.get(response.url).content.decode()
    assert "Rapporten är inskickad för granskning." in html


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "name", "status", "message"),
    [
        ("reader", "submit", Status.DRAFT, "Bara administratör eller handläggare"),
        ("approver", "submit", Status.DRAFT, "Bara administratör eller handläggare"),
        ("editor", "approve", Status.SUBMITTED, "Bara förvaltningsledning"),
        ("administrator", "approve", Status.SUBMITTED, "Bara förvaltningsledning"),
        ("editor", "return", Status.SUBMITTED, "Bara förvaltningsledning"),
        ("reader", "decide", Status.APPROVED, "Bara administratör"),
        ("approver", "decide", Status.APPROVED, "Bara administratör"),
        ("editor", "reopen", Status.APPROVED, "Bara administratör eller förvaltningsledning"),
    ],
)
def test_the_wrong_role_gets_a_message_and_nothing_changes(
    client, request, clean_report, persona, name, status, message
):
    clean_report.status = status
    clean_report.save()
    client.force_login(request.getfixturevalue(persona))
    response = move(
        client,
        clean_report,
        name,
        comment="Ett skäl.",
        decision_date="2020-02-25",
        decision_paragraph="§ 3",
    )
    assert response.status_code == 403  # the page, with the reason
    assert message in response.content.decode()
    clean_report.refresh_from_db()
    assert clean_report.status == status
    assert not ReportEvent.objects.exists()
    assert not clean_report.versions.exists()


def test_a_return_without_comment_is_refused_with_the_form_marked(
    client, clean_report, editor, approver
):
    report = transition(clean_report, "submit", editor, confirm_unready=True)
    client.force_login(approver)
    response = move(client, report, "return", comment="   ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv kommentar till handläggarna." in html
    assert 'id="atgard-fel"' in html and 'aria-invalid="true"' in html
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_a_refused_decision_keeps_what_was_typed(client, clean_report, administrator):
    clean_report.status = Status.APPROVED
    clean_report.save()
    client.force_login(administrator)
    response = move(client, clean_report, "decide", decision_date="2020-02-25")
    html = response.content.decode()
    assert "Ange nämndens beslutsdatum och paragraf." in html
    assert 'value="2020-02-25"' in html
    response = move(client, clean_report, "decide", decision_date="25/2", decision_paragraph="§ 7")
    html = response.content.decode()
    assert "Skriv beslutsdatumet som ÅÅÅÅ-MM-DD" in html
    assert 'value="25/2"' in html and 'value="§ 7"' in html
    clean_report.refresh_from_db()
    assert clean_report.status == Status.APPROVED


def test_a_comment_typed_for_a_move_that_is_no_longer_possible_is_kept_to_copy(
    client, clean_report, approver
):
    """Two approvers: one approved while the other wrote a return comment."""
    clean_report.status = Status.APPROVED
    clean_report.save()
    client.force_login(approver)
    response = move(client, clean_report, "return", comment="Min långa kommentar om 1.1.1.")
    assert response.status_code == 200  # the approver's move, only too late
    html = response.content.decode()
    assert "går inte när rapporten har status ”Godkänd”" in html
    assert "Min långa kommentar om 1.1.1.</textarea>" in html


def test_submitting_with_blocking_errors_shows_the_message_and_links_to_the_review(
    client, report, editor
):
    client.force_login(editor)
    response = move(client, report, "submit")
    html = response.content.decode()
    assert "Granskningen hittade" in html
    assert (
        f'<a href="{reverse("reporting:report_review", args=[report.pk])}">Visa granskningen</a>'
        in html
    )
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_a_refusal_in_the_workspace_shows_the_workspace_again(client, report, editor):
    client.force_login(editor)
    response = move(client, report, "submit", next="workspace")
    assert response.status_code == 200
    assert "reporting/workspace.html" in [t.name for t in response.templates]
    assert "Granskningen hittade" in response.content.decode()


def test_an_unknown_move_is_404(client, report, editor):
    client.force_login(editor)
    assert move(client, report, "publish").status_code == 404


def test_a_get_is_405(client, report, editor):
    client.force_login(editor)
    url = reverse("reporting:report_transition", args=[report.pk, "submit"])
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("reader", 403),
        ("approver", 403),
        ("editor", 302),
        ("administrator", 302),
    ],
)
def test_submitting_follows_the_permission_ladder(client, request, clean_report, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = move(client, clean_report, "submit")
    assert response.status_code == status
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))
    clean_report.refresh_from_db()
    assert (clean_report.status == Status.SUBMITTED) == (status == 302 and persona != "anonymous")


# -- the panel --------------------------------------------------------------------------------


def test_the_panel_offers_the_moves_of_the_persons_role_and_the_reports_status(
    client, clean_report, editor, approver, reader
):
    submit_url = reverse("reporting:report_transition", args=[clean_report.pk, "submit"])
    client.force_login(editor)
    html = detail(client, clean_report)
    assert f'action="{submit_url}"' in html and "Skicka för granskning</button>" in html
    client.force_login(reader)
    response = client.get(reverse("reporting:report_detail", args=[clean_report.pk]))
    assert response.context["panel"] is None  # readers see no working material
    assert "Det du kan göra nu" not in response.content.decode()
    report = transition(clean_report, "submit", editor, confirm_unready=True)
    client.force_login(approver)
    html = detail(client, report)
    assert "Godkänn</button>" in html
    assert '<label class="form-label" for="kommentar-return">Kommentar till handläggarna' in html
    assert 'id="kommentar-return" name="comment" rows="3" required' in html
    assert "Skicka för granskning</button>" not in html


def test_the_decision_form_has_labelled_date_and_paragraph(client, clean_report, administrator):
    clean_report.status = Status.APPROVED
    clean_report.save()
    client.force_login(administrator)
    html = detail(client, clean_report)
    assert '<label class="form-label" for="beslutsdatum">Beslutsdatum' in html
    assert '<label class="form-label" for="beslutsparagraf">Paragraf' in html
    assert "Registrera nämndens beslut</button>" in html
    assert "Öppna igen</button>" in html


def test_the_page_sums_up_the_stored_review_with_a_link(client, report, approver):
    client.force_login(approver)
    review_url = reverse("reporting:report_review", args=[report.pk])
    html = detail(client, report)
    assert f'Rapporten är inte granskad än – <a href="{review_url}">granska nu</a>' in html
    client.get(review_url)  # the review page runs the review and stores it
    html = detail(client, report)
    # make_report's plan, nothing filled in: every goal and activity, the VB's indicator
    assert "Granskningen: <strong>" in html
    assert f'– <a href="{review_url}">visa granskningen</a>' in html
    errors = html.split("Granskningen: <strong>")[1].split(" fel</strong>")[0]
    assert int(errors) > 0


def test_the_summary_says_when_the_report_changed_since_the_review(client, report, approver):
    client.force_login(approver)
    review_url = reverse("reporting:report_review", args=[report.pk])
    client.get(review_url)
    row = report.goal_assessments.first()
    row.analysis = "Ny analys."
    row.save()
    html = detail(client, report)
    assert (
        "Granskningen (före de senaste ändringarna, "
        '<span class="review-updating">uppdateras nu</span>): <strong>'
    ) in html
    assert f'<a href="{review_url}">granska igen</a>' in html


def test_a_clean_report_has_no_errors_in_the_summary(client, clean_report, approver):
    client.force_login(approver)
    client.get(reverse("reporting:report_review", args=[clean_report.pk]))
    assert "Granskningen: <strong>0 fel</strong>" in detail(client, clean_report)


# -- the review page --------------------------------------------------------------------------


def review(client, report):
    return client.get(reverse("reporting:report_review", args=[report.pk]))


def test_the_review_page_lists_errors_and_warnings_with_links(client, report, approver):
    client.force_login(approver)
    response = review(client, report)
    html = response.content.decode()
    assert '<h2 id="granskning-error" class="h4">Fel (' in html
    assert '<h2 id="granskning-warning" class="h4">Varningar (' in html
    assert "Nämndmål 1.1.1 saknar bedömning." in html
    page = reverse("reporting:report_detail", args=[report.pk])
    assert f'<a href="{page}#mal-1-1-1">Visa i rapporten' in html
    assert "Rätta i formuläret" not in html  # an approver changes nothing
    errors = response.context["groups"][0][2]
    assert errors and all(link.finding.severity == "error" for link in errors)


def test_the_review_page_links_an_editor_to_the_forms(client, report, editor):
    client.force_login(editor)
    html = review(client, report).content.decode()
    goal = report.goal_assessments.get(board_goal__number="1.1.1")
    activity = report.activity_follow_ups.get()
    goal_form = reverse("goals:goal_assessment_edit", args=[report.pk, goal.pk])
    activity_form = reverse("goals:activity_follow_up_edit", args=[report.pk, activity.pk])
    assert f'<a href="{goal_form}">Rätta i formuläret' in html
    assert f'<a href="{activity_form}">Rätta i formuläret' in html


def test_the_review_page_offers_no_forms_once_the_report_is_submitted(client, report, editor):
    report.status = Status.SUBMITTED
    report.save()
    client.force_login(editor)
    assert "Rätta i formuläret" not in review(client, report).content.decode()


def test_a_report_without_findings_says_so(client, clean_report, approver):
    client.force_login(approver)
    response = review(client, clean_report)
    errors = response.context["groups"][0][2]
    assert errors == []
    assert "Inga fel." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("reader", 403),
        ("editor", 200),
        ("approver", 200),
        ("administrator", 200),
    ],
)
def test_the_review_page_follows_the_permission_ladder(client, request, report, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert review(client, report).status_code == status


def test_a_stranger_cannot_move_another_boards_report(client, clean_report, other_board):
    client.force_login(make_user("annan", board=other_board, role=Role.APPROVER))
    assert move(client, clean_report, "submit").status_code == 404
