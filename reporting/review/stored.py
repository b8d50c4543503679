"""The review stored, not run on every page.

The rules run at a workflow move (submit, approve), on the review page, and when asked
(``refresh_stored_review``, e.g. from a background task after a save). Their result is stored in
``ReviewResult`` with the report's change stamp (``review_stamp``): a SHA-256 of everything the
review reads (the report's document data with its items' keys, the rules' version and, in a
tertial report, today's date, since an activity past its end date is an error there). Any
content save that changes what the review reads changes the stamp. The report page and the
workspace read the stored counts (``stored_review``) and never run the rules; when the stamp
differs they say the counts are from before the latest changes and are being updated: a save
queues the refresh in the worker (``reporting.tasks.queue_review_refresh``, at most one waiting
a report), and a page that finds its stored review out of date queues it too (a tertial
report's stamp changes with the day, a rule's version with a deploy).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from ..document import ReportData, data_digest
from ..models import Report, ReviewResult
from .engine import review_report
from .findings import ERROR, WARNING, Finding

# Raise when a rule changes, so results stored by the old rules count as out of date.
RULES_VERSION = 2


def review_stamp(data: ReportData, today: date | None = None) -> str:
    """The report's change stamp as the review sees it."""
    day = (today or date.today()).isoformat() if data.is_tertial else ""
    text = f"{RULES_VERSION}|{day}|{data_digest(data)}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class StoredReview:
    """The counts a page shows: ``current`` when made from the report as it is now;
    ``updating`` when not, and a refresh is queued for the worker."""

    errors: int
    warnings: int
    current: bool
    reviewed_at: datetime
    findings: tuple[Finding, ...] = ()
    updating: bool = False


def stored_review(report: Report, data: ReportData) -> StoredReview | None:
    """The stored result of ``report`` (None when it was never reviewed), compared with
    ``data``, the report's data as it is now. One query; never runs the rules. When the result
    is out of date, a refresh is queued for the worker once the request's transaction commits
    (one waiting a report, whoever asks)."""
    result = (
        ReviewResult.objects.filter(report_id=report.pk)
        .only("stamp", "errors", "warnings", "reviewed_at", "findings")
        .first()
    )
    if result is None:
        return None
    current = result.stamp == review_stamp(data)
    if not current:
        transaction.on_commit(lambda: _queue_refresh(report.pk), robust=True)
    return StoredReview(
        errors=result.errors,
        warnings=result.warnings,
        current=current,
        reviewed_at=result.reviewed_at,
        findings=tuple(_finding(d) for d in result.findings),
        updating=not current,
    )


def _queue_refresh(report_id: int) -> None:
    from ..tasks import queue_review_refresh

    queue_review_refresh(report_id)


def _finding(stored: dict) -> Finding:
    return Finding(
        stored["severity"],
        stored["code"],
        stored["message"],
        stored["location"],
        stored.get("anchor", ""),
        stored.get("key", ""),
    )


def run_review(
    report: Report, data: ReportData | None = None, *, today: date | None = None
) -> list[Finding]:
    """Run the rules on the report (``data``: its data, when already built) and store the
    result with the report's change stamp. Returns the findings."""
    if data is None:
        from ..assemble import build_report_data

        data = build_report_data(report)
    findings = review_report(data, today=today)
    store(report, data, findings, today=today)
    return findings


def store(report: Report, data: ReportData, findings: list[Finding], *, today=None) -> None:
    ReviewResult.objects.update_or_create(
        report_id=report.pk,
        defaults={
            "stamp": review_stamp(data, today),
            "findings": [f.as_dict() for f in findings],
            "errors": sum(1 for f in findings if f.severity == ERROR),
            "warnings": sum(1 for f in findings if f.severity == WARNING),
        },
    )


def refresh_stored_review(report: Report) -> bool:
    """Bring the report's stored review up to date: run the rules unless the stored result was
    made from the report as it is now. Returns whether the rules ran.

    Run by the worker after a change (``reporting.tasks.refresh_review``). Safe to call any number of times and from several workers: the rules are deterministic for
    a given stamp, and the last writer stores the same result."""
    from ..assemble import build_report_data

    data = build_report_data(report)
    stamp = review_stamp(data)
    if ReviewResult.objects.filter(report_id=report.pk, stamp=stamp).exists():
        return False
    run_review(report, data)
    return True
