"""Background tasks (django-tasks), run by ``manage.py db_worker``: what must never make a
person wait for a request. Each task takes ids or keys, never objects, and reads what it needs
from the database itself, so that any worker on any machine can run it."""

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import rendered
from .models import Report, ReviewRefresh
from .signals import report_changed

logger = logging.getLogger(__name__)

# A refresh queued this long ago and not started is taken to be lost (its worker died).
REFRESH_STALLED_AFTER = timedelta(minutes=10)


@task()
def render_file(key: str) -> str:
    """Render a report's file (``reporting.rendered.render``) and keep it in storage."""
    return rendered.render(key)


@task()
def render_version_pdf(version_id: int) -> str:
    """The PDFs of an approved version (the report's, and the cover memo's when it has one),
    rendered from its frozen data and written once with their SHA-256
    (``reporting.workflow.freeze`` queues it)."""
    from .models import ReportVersion
    from .render import render_pdf
    from .workflow import frozen_report_data

    version = ReportVersion.objects.get(pk=version_id)
    if version.pdf_ready:
        return "skipped"
    data = frozen_report_data(version)
    pdf = render_pdf(data)
    memo = render_pdf(data, memo_only=True) if data.cover is not None else None
    ReportVersion.objects.filter(pk=version.pk, pdf_sha256="").update(
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        memo_pdf=memo,
        memo_pdf_sha256=hashlib.sha256(memo).hexdigest() if memo is not None else "",
    )
    return "ready"


@task()
def refresh_review(report_id: int) -> str:
    """Bring the report's stored review up to date (``refresh_stored_review``). The queue mark
    goes first: a change saved while the rules run queues the next refresh."""
    from .review import refresh_stored_review

    ReviewRefresh.objects.filter(report_id=report_id).delete()
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return "gone"
    return "reviewed" if refresh_stored_review(report) else "current"


def queue_review_refresh(report_id: int) -> bool:
    """Queue a refresh of the report's stored review unless one is waiting already: however
    many saves ask, at most one refresh a report waits in the queue (a ``ReviewRefresh`` row,
    one a report). A mark whose task was lost (queued long ago, never started) is queued again.
    Returns whether a refresh is waiting now."""
    now = timezone.now()
    try:
        with transaction.atomic():
            _, created = ReviewRefresh.objects.get_or_create(
                report_id=report_id, defaults={"queued_at": now}
            )
    except IntegrityError:  # another request queued it a moment ago
        return True
    if not created:
        stalled = ReviewRefresh.objects.filter(
            report_id=report_id, queued_at__lt=now - REFRESH_STALLED_AFTER
        ).update(queued_at=now)
        if not stalled:
            return True
    try:
        refresh_review.enqueue(report_id)
    except Exception:  # the queue is unreachable: a later change or page view tries again
        logger.exception("Could not queue the review of report %s", report_id)
        ReviewRefresh.objects.filter(report_id=report_id).delete()
        return False
    return True


@receiver(report_changed, dispatch_uid="reporting.tasks.refresh_review")
def _refresh_review_after_a_change(sender, report_id: int, **kwargs) -> None:
    queue_review_refresh(report_id)


# -- the daily reminders ----------------------------------------------------------------------


@task()
def send_daily_reminders() -> int:
    """Today's deadline reminders (``reporting.notifications.send_reminders``: never two for
    the same person, report and day), then the next run queued for tomorrow at
    ``REMINDER_HOUR``: the worker keeps the reminders going every day without cron."""
    from .notifications import send_reminders

    try:
        return send_reminders()
    finally:  # tomorrow's run is queued even when today's failed
        schedule_reminders(next_reminder_run(timezone.localtime() + timedelta(days=1), today=False))


def next_reminder_run(now: datetime | None = None, *, today: bool = True) -> datetime:
    """When the reminders are due: today at ``REMINDER_HOUR`` (local time), or at once when
    that hour has passed (``today``); with ``today=False``, at that hour on the day of
    ``now``."""
    now = timezone.localtime(now)
    at = now.replace(hour=settings.REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return max(at, now) if today else at


def schedule_reminders(run_after: datetime | None = None):
    """Queue ``send_daily_reminders`` (at ``run_after``, by default ``next_reminder_run()``)
    unless a run is already waiting in the queue; the worker's start (``manage.py
    schedule_reminders``, in the Procfile) and every run call it. Returns the queued result,
    or None when one was waiting or the task backend cannot run a task later (the immediate
    backend: then cron runs ``manage.py send_reminders``)."""
    backend = send_daily_reminders.get_backend()
    if not backend.supports_defer:
        return None
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=send_daily_reminders.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return None
    return send_daily_reminders.using(run_after=run_after or next_reminder_run()).enqueue()
