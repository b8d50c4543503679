import hashlib
from datetime import date

import pytest

from reporting.models import Report, ReportEvent, Role
from reporting.review import ERROR
from reporting.workflow import (
    TRANSITIONS,
    ReviewRefusal,
    TransitionError,
    allowed_transitions,
    transition,
)
from tests.factories import fill_in, make_report, make_user

TODAY = date.today()

Status = Report.Status


@pytest.fixture
def people(board):
    return {
        role: make_user(role, board=board, role=role)
        for role in [Role.EDITOR, Role.APPROVER, Role.ADMINISTRATOR, Role.READER]
    }


@pytest.fixture
def clean_report(board):
    return fill_in(make_report(board))


def test_every_legal_transition_walks_from_draft_to_decision(clean_report, people):
    report = clean_report
    report = transition(report, "submit", people[Role.EDITOR], confirm_unready=True)
    assert report.status == Status.SUBMITTED
    report = transition(report, "return", people[Role.APPROVER], comment="Komplettera 1.1.1.")
    assert report.status == Status.DRAFT
    report = transition(report, "submit", people[Role.ADMINISTRATOR], confirm_unready=True)
    report = transition(report, "approve", people[Role.APPROVER])
    assert report.status == Status.APPROVED
    report = transition(report, "reopen", people[Role.ADMINISTRATOR], comment="Fel siffra.")
    assert report.status == Status.DRAFT
    report = transition(report, "submit", people[Role.EDITOR], confirm_unready=True)
    report = transition(report, "approve", people[Role.APPROVER])
    report = transition(
        report,
        "decide",
        people[Role.ADMINISTRATOR],
        decision_date=TODAY,
        decision_paragraph="§ 12",
    )
    assert report.status == Status.DECIDED
    assert (report.decision_date, report.decision_paragraph) == (TODAY, "§ 12")
    steps = list(report.events.values_list("from_status", "to_status", "comment"))
    assert steps[1] == (Status.SUBMITTED, Status.DRAFT, "Komplettera 1.1.1.")
    assert len(steps) == 8
    assert [v.number for v in report.versions.all()] == [1, 2]


def test_approval_freezes_the_data_and_the_pdf_with_their_sha256(clean_report, people):
    report = transition(clean_report, "submit", people[Role.EDITOR], confirm_unready=True)
    report = transition(report, "approve", people[Role.APPROVER])
    [version] = report.versions.all()
    assert bytes(version.pdf).startswith(b"%PDF")
    assert version.pdf_sha256 == hashlib.sha256(bytes(version.pdf)).hexdigest()
    assert version.data_sha256 == hashlib.sha256(version.data.encode()).hexdigest()
    assert '"year": 2019' in version.data
    assert version.approved_by == people[Role.APPROVER]
    version.data = "{}"
    with pytest.raises(ValueError):
        version.save()


LEGAL = {(t.source, t.name) for t in TRANSITIONS.values()}
ILLEGAL = [(s, n) for s in Status.values for n in TRANSITIONS if (s, n) not in LEGAL]


@pytest.mark.parametrize(("status", "name"), ILLEGAL)
def test_a_move_from_the_wrong_status_is_refused(clean_report, people, status, name):
    clean_report.status = status
    clean_report.save()
    with pytest.raises(TransitionError, match="går inte när rapporten har status"):
        transition(
            clean_report,
            name,
            people[Role.ADMINISTRATOR],
            comment="x",
            decision_date=date(2020, 1, 1),
            decision_paragraph="§ 1",
        )
    clean_report.refresh_from_db()
    assert clean_report.status == status
    assert not ReportEvent.objects.exists()


@pytest.mark.parametrize("step", list(TRANSITIONS.values()), ids=list(TRANSITIONS))
def test_a_move_by_the_wrong_role_is_refused(clean_report, people, step):
    clean_report.status = step.source
    clean_report.save()
    for role, user in people.items():
        if role in step.roles:
            continue
        with pytest.raises(TransitionError, match="Bara"):
            transition(
                clean_report,
                step.name,
                user,
                comment="x",
                decision_date=date(2020, 1, 1),
                decision_paragraph="§ 1",
            )
    clean_report.refresh_from_db()
    assert clean_report.status == step.source


def test_only_approvers_approve_not_administrators(clean_report, people):
    report = transition(clean_report, "submit", people[Role.EDITOR], confirm_unready=True)
    with pytest.raises(TransitionError):
        transition(report, "approve", people[Role.ADMINISTRATOR])


def test_a_return_needs_a_comment_and_a_reopening_a_reason(clean_report, people):
    report = transition(clean_report, "submit", people[Role.EDITOR], confirm_unready=True)
    with pytest.raises(TransitionError, match="kommentar"):
        transition(report, "return", people[Role.APPROVER], comment="  ")
    report = transition(report, "approve", people[Role.APPROVER])
    with pytest.raises(TransitionError, match="skäl"):
        transition(report, "reopen", people[Role.APPROVER])


def test_a_decision_needs_date_and_paragraph(clean_report, people):
    report = transition(clean_report, "submit", people[Role.EDITOR], confirm_unready=True)
    report = transition(report, "approve", people[Role.APPROVER])
    with pytest.raises(TransitionError, match="beslutsdatum"):
        transition(report, "decide", people[Role.ADMINISTRATOR], decision_date=date.today())


def test_blocking_review_findings_stop_a_submission(board, people):
    report = make_report(board)  # nothing filled in: goals without assessment
    with pytest.raises(ReviewRefusal, match="Granskningen hittade") as refused:
        transition(report, "submit", people[Role.EDITOR], confirm_unready=True)
    assert refused.value.findings
    assert all(f.severity == ERROR for f in refused.value.findings)
    assert str(refused.value).endswith(refused.value.findings[0].message)
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_a_refusal_that_is_not_the_reviews_does_not_link_to_the_review(clean_report, people):
    from reporting.panel import build_panel

    with pytest.raises(TransitionError) as refused:
        transition(clean_report, "return", people[Role.APPROVER])
    assert not isinstance(refused.value, ReviewRefusal)
    panel = build_panel(
        people[Role.APPROVER], clean_report, None, origin="detail", error=refused.value
    )
    assert panel.error == str(refused.value) and not panel.error_from_review
    review = ReviewRefusal([type("F", (), {"message": "Rubriken saknas."})()])
    panel = build_panel(people[Role.APPROVER], clean_report, None, origin="detail", error=review)
    assert panel.error_from_review


def test_a_stranger_cannot_move_the_report(clean_report, other_board):
    stranger = make_user("annan", board=other_board, role=Role.APPROVER)
    with pytest.raises(TransitionError):
        transition(clean_report, "submit", stranger, confirm_unready=True)


def test_allowed_transitions_follow_role_and_status(clean_report, people):
    assert [t.name for t in allowed_transitions(people[Role.EDITOR], clean_report)] == ["submit"]
    assert allowed_transitions(people[Role.READER], clean_report) == []
    assert allowed_transitions(people[Role.APPROVER], clean_report) == []
