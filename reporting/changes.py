"""What changed since the previous submission ("Ändrat sedan förra inskickningen"): when a
returned report comes back, the approver sees per item what is different from what they
reviewed, old → new, read from the audit trail (``reporting.audit``).

The comparison is between each item's state at the previous submission and its state now (or
at the latest submission): an item edited back and forth to what it was shows nothing, a ready
mark alone is not a change of content.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from .audit import ACTIONS, AUDITED, Change, Names, changes
from .models import Report, ReportEvent

Status = Report.Status
NOT_CONTENT = {"klarmarkerad"}


@dataclass(frozen=True)
class ItemChange:
    item: str
    url: str  # the item's history page
    action: str  # Skapad, Ändrad, Borttagen
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Resubmission:
    previous: ReportEvent  # the submission the approver reviewed before
    until: datetime
    items: tuple[ItemChange, ...]


def submissions(report: Report) -> list[ReportEvent]:
    return list(
        report.events.filter(to_status=Status.SUBMITTED).select_related("user").order_by("at", "id")
    )


def since_previous_submission(report: Report) -> Resubmission | None:
    """The changes between the previous submission and the latest one (or now, for a draft);
    None when the report has been submitted at most once."""
    submitted = submissions(report)
    if len(submitted) < 2 and not (submitted and report.status == Status.DRAFT):
        return None
    if report.status == Status.DRAFT:
        previous, until = submitted[-1], timezone.now()
    else:
        previous, until = submitted[-2], submitted[-1].at
    since = previous.at
    found: list[tuple[str, object, object]] = []  # (label, old record or None, new record)
    for label, (model, lookup) in AUDITED.items():
        if label == "reporting.report":
            continue
        touched = model.history.filter(
            lookup(report), history_date__gt=since, history_date__lte=until
        ).values("id")
        before, after = {}, {}
        for record in model.history.filter(id__in=touched, history_date__lte=until).order_by(
            "id", "history_date", "history_id"
        ):
            if record.history_date <= since:
                before[record.id] = record
            after[record.id] = record
        for pk, new in after.items():
            old = before.get(pk)
            if old is not None and old.history_type == "-":
                old = None
            if old is None and new.history_type == "-":
                continue  # created and deleted in between
            found.append((label, old, new))
    names = Names(
        {
            label: [r for lbl, o, n in found if lbl == label for r in (o, n) if r is not None]
            for label in {lbl for lbl, _, _ in found}
        }
    )
    items = []
    for label, old, new in found:
        if new.history_type == "-":
            action, delta = ACTIONS["-"], changes(new, None)
        elif old is None:
            action, delta = ACTIONS["+"], changes(new, None)
        else:
            action, delta = ACTIONS["~"], changes(new, old)
        delta = tuple(c for c in delta if c.label not in NOT_CONTENT)
        if not delta:
            continue
        items.append(
            ItemChange(
                item=names.of(label, new),
                url=reverse("reporting:item_history", args=[report.pk, label, new.id]),
                action=action,
                changes=delta,
            )
        )
    return Resubmission(previous, until, tuple(items))
