"""What the foundation tells the rest of the app, without depending on it.

``report_changed`` is sent after a transaction that changed a report's content has committed
(``report_content_changed``): the item forms of every app save through ``reporting.editing``,
which must not know the review, so the review's refresh in the worker listens here
(``reporting.tasks``)."""

from django.db import transaction
from django.dispatch import Signal

# Sent with ``report_id`` after the change is committed.
report_changed = Signal()


def report_content_changed(report_id: int) -> None:
    """Say that the report's content changed, once the current transaction commits (at once
    outside a transaction; never when it is rolled back). A listener that fails is logged and
    never turns the committed change into an error page (``robust``)."""
    transaction.on_commit(
        lambda: report_changed.send(sender=None, report_id=report_id), robust=True
    )
