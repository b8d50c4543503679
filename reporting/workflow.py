"""A report's way to the board: Utkast → Inskickad för granskning → Godkänd → Beslutad.

| action  | from      | to        | who                          | needs                          |
|---------|-----------|-----------|------------------------------|--------------------------------|
| submit  | draft     | submitted | editor, administrator        | no review error; unready items |
|         |           |           |                              | named and confirmed            |
| return  | submitted | draft     | approver                     | a comment the editors see      |
| approve | submitted | approved  | approver (only)              | no review error, or a written  |
|         |           |           |                              | justification                  |
| reopen  | approved  | draft     | approver, administrator      | a written reason               |
| decide  | approved  | decided   | administrator (the board's   | the board's decision date (not |
|         |           |           | secretary records it)        | before approval, not future), §|

Every step is a ``ReportEvent``; a submission with unready items records them
(``ReportEvent.unready``), an approval with errors its justification (never printed). Approval
freezes a new ``ReportVersion``: the interchange JSON, the PDF and the Excel workbook, each with
its SHA-256. Any other move is refused with a Swedish message. After the move is committed, the
people it concerns get an e-mail (``reporting.notifications``).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .access import role_on_board
from .models import Report, ReportEvent, ReportVersion, Role
from .notifications import after_commit

Status = Report.Status


class TransitionError(Exception):
    """A move the report may not make, or the user may not make; the message is Swedish."""


class ReviewRefusal(TransitionError):
    """A submission or approval refused because the review found errors: ``findings`` holds
    them (errors only), the message says how many and names the first."""

    def __init__(self, findings: list, *, stored: tuple | None = None) -> None:
        self.findings = findings
        self.stored = stored  # (report, data, all findings): the review to store
        super().__init__(
            f"Granskningen hittade {len(findings)} fel som måste rättas först, "
            f"t.ex.: {findings[0].message}"
        )


class UnreadyRefusal(TransitionError):
    """A submission with items not marked ready, not yet confirmed: ``items`` names them."""

    def __init__(self, items: list) -> None:
        self.unready = items
        super().__init__(
            f"{len(items)} del{'ar' if len(items) != 1 else ''} av rapporten är inte "
            "klarmarkerad" + ("e" if len(items) != 1 else "") + ". Vill du skicka in den ändå?"
        )


def unready_items(report: Report) -> list:
    """The report's items not marked ready, in the outline's order."""
    from .workspace import build_outline

    return [item for item in build_outline(report).items if item.state != "ready"]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: str
    target: str
    roles: frozenset[str]
    needs_comment: bool = False
    comment_label: str = ""


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            "Skicka för granskning",
            Status.DRAFT,
            Status.SUBMITTED,
            frozenset({Role.EDITOR, Role.ADMINISTRATOR}),
        ),
        Transition(
            "return",
            "Återsänd till handläggarna",
            Status.SUBMITTED,
            Status.DRAFT,
            frozenset({Role.APPROVER}),
            needs_comment=True,
            comment_label="Kommentar till handläggarna",
        ),
        Transition(
            "approve",
            "Godkänn",
            Status.SUBMITTED,
            Status.APPROVED,
            frozenset({Role.APPROVER}),
        ),
        Transition(
            "reopen",
            "Öppna igen",
            Status.APPROVED,
            Status.DRAFT,
            frozenset({Role.APPROVER, Role.ADMINISTRATOR}),
            needs_comment=True,
            comment_label="Skäl till att rapporten öppnas igen",
        ),
        Transition(
            "decide",
            "Registrera nämndens beslut",
            Status.APPROVED,
            Status.DECIDED,
            frozenset({Role.ADMINISTRATOR}),
        ),
    ]
}


def user_role(user, report: Report) -> str | None:
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return role_on_board(user, report.board_id)


def role_may_make(user, report: Report, name: str) -> bool:
    """Whether the person's role is one that makes this move (whatever the report's status)."""
    step = TRANSITIONS.get(name)
    return step is not None and user_role(user, report) in step.roles


def allowed_transitions(user, report: Report) -> list[Transition]:
    """The moves this user may make on this report now."""
    role = user_role(user, report)
    return [t for t in TRANSITIONS.values() if t.source == report.status and role in t.roles]


class _Errors(list):
    """The review's errors, with what a refused move stores again after its rollback."""

    stored: tuple | None = None


def blocking_findings(report: Report) -> list:
    """The review's errors (the rules run; the result is stored with the report's stamp)."""
    from .assemble import build_report_data
    from .review import ERROR, review_report
    from .review.stored import store

    data = build_report_data(report)
    findings = review_report(data)
    store(report, data, findings)
    errors = _Errors(f for f in findings if f.severity == ERROR)
    errors.stored = (report, data, findings)
    return errors


def transition(report: Report, name: str, user, **details) -> Report:
    """Move the report; raises TransitionError when the move is not allowed. A move refused
    for the review's errors still stores the review (after the move's transaction is undone)."""
    try:
        return _transition(report, name, user, **details)
    except ReviewRefusal as refusal:
        if refusal.stored is not None:
            from .review.stored import store

            store(*refusal.stored)
        raise


@transaction.atomic
def _transition(
    report: Report,
    name: str,
    user,
    *,
    comment: str = "",
    decision_date: date | None = None,
    decision_paragraph: str = "",
    confirm_unready: bool = False,
    justification: str = "",
) -> Report:
    """Move the report; raises TransitionError when the move is not allowed (``UnreadyRefusal``
    for a submission with unready items unless ``confirm_unready``, ``ReviewRefusal`` for
    review errors, which an approver may override with a ``justification``)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    step = TRANSITIONS.get(name)
    if step is None:
        raise TransitionError("Okänd åtgärd.")
    if report.status != step.source:
        raise TransitionError(
            f"”{step.label}” går inte när rapporten har status ”{report.get_status_display()}”."
        )
    if user_role(user, report) not in step.roles:
        who = " eller ".join(sorted(Role(r).label.lower() for r in step.roles))
        raise TransitionError(f"Bara {who} kan välja ”{step.label}”.")
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise TransitionError(f"Skriv {step.comment_label.lower()}.")
    if name == "decide":
        if decision_date is None or not decision_paragraph.strip():
            raise TransitionError("Ange nämndens beslutsdatum och paragraf.")
        check_decision_date(report, decision_date)
        report.decision_date = decision_date
        report.decision_paragraph = decision_paragraph.strip()
    justification = (justification or "").strip() if name == "approve" else ""
    if name in ("submit", "approve"):
        errors = blocking_findings(report)
        if errors and not justification:
            raise ReviewRefusal(list(errors), stored=getattr(errors, "stored", None))
        if not errors:
            justification = ""
    unready = []
    if name == "submit":
        unready = [f"{item.kind}: {item.title}" for item in unready_items(report)]
        if unready and not confirm_unready:
            raise UnreadyRefusal(unready)
    if name == "reopen":
        report.decision_date = None
        report.decision_paragraph = ""
    ReportEvent.objects.create(
        report=report,
        from_status=report.status,
        to_status=step.target,
        user=user,
        comment=comment,
        unready=unready,
        justification=justification,
    )
    report.status = step.target
    report.save()
    if name == "approve":
        freeze(report, user)
    after_commit(report, name, user, comment)
    return report


def check_decision_date(report: Report, day: date) -> None:
    """The board decides on an approved report: not before its approval, not in the future."""
    approved = report.events.filter(to_status=Status.APPROVED).order_by("at").last()
    if approved is not None and day < timezone.localdate(approved.at):
        raise TransitionError(
            f"Beslutsdatumet {day:%Y-%m-%d} är före godkännandet "
            f"{timezone.localdate(approved.at):%Y-%m-%d}. Nämnden beslutar om en godkänd "
            "rapport: kontrollera datumet i protokollet."
        )
    if day > timezone.localdate():
        raise TransitionError(
            f"Beslutsdatumet {day:%Y-%m-%d} har inte kommit än. Registrera beslutet när "
            "nämnden har beslutat."
        )


def freeze(report: Report, user) -> ReportVersion:
    """Store the approved report's data and its Excel workbook (written from that data, fast
    enough for the request), with their SHA-256, as a new version at once; its PDF follows from
    the worker (``reporting.tasks.render_version_pdf``), rendered from that data. The task is
    queued in the same transaction, so it exists exactly when the version does."""
    from .assemble import build_report_data
    from .interchange import to_json
    from .tasks import render_version_pdf
    from .xlsx import render_xlsx

    document = json.dumps(to_json(build_report_data(report)), ensure_ascii=False, indent=2)
    workbook = render_xlsx(from_frozen(document))
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        approved_by=user,
        data=document,
        data_sha256=hashlib.sha256(document.encode()).hexdigest(),
        xlsx=workbook,
        xlsx_sha256=hashlib.sha256(workbook).hexdigest(),
    )
    render_version_pdf.enqueue(version.pk)
    return version


def frozen_report_data(version: ReportVersion):
    """The data an approved version is shown, printed and exported from, and its PDFs rendered
    from: exactly its frozen document (``reporting.document.document_from_interchange``), never
    the report as it may be now (``reporting.frozen``)."""
    return from_frozen(version.data)


def from_frozen(document: str):
    """A frozen document (interchange JSON) read back into report data."""
    from .document import document_from_interchange

    return document_from_interchange(json.loads(document))


def latest_return_comment(report: Report) -> ReportEvent | None:
    """The newest return's comment, shown to the editors while the report is a draft because
    of that return (not after a later approval and reopening, whose reason is then newer)."""
    if report.status != Status.DRAFT:
        return None
    last = report.events.last()
    if last is None or (last.from_status, last.to_status) != (Status.SUBMITTED, Status.DRAFT):
        return None
    return last


def frozen_version(report: Report, *, defer: tuple[str, ...] = ()) -> ReportVersion | None:
    """The version the board gets: the newest frozen one of an approved or decided report.
    ``defer`` leaves large columns (``pdf``, ``memo_pdf``) unread until they are used."""
    if report.status not in (Status.APPROVED, Status.DECIDED):
        return None
    return report.versions.defer(*defer).order_by("-number").first()
