"""The audit trail: every change of report content and plan, with who, when, old and new value.

django-simple-history records each save and delete of an audited model in a historical table
(signals, so it works on SQLite and PostgreSQL alike). Signals do not fire for
``QuerySet.update()`` or ``bulk_create()``, so audited models use ``AuditedManager``: its
``update()`` goes through ``bulk_update_with_history`` and its ``bulk_create()`` through
``bulk_create_with_history``, and bulk writes are recorded too. The acting user comes from the
request (``HistoryRequestMiddleware``) or, for imports and commands, from ``acting_user()``,
which may also name the source of changes made without a person (``reason="import"``): the
record's ``history_change_reason``, so that the trail can say "import" rather than "system".
"""

import threading
from contextlib import contextmanager

from django.db import models
from django.db.models.expressions import Combinable
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

_local = threading.local()


def _get_user(request=None, **kwargs):
    user = getattr(_local, "user", None)
    if user is not None:
        return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def current_user():
    request = getattr(HistoricalRecords.context, "request", None)
    return _get_user(request=request)


def current_reason() -> str | None:
    return getattr(_local, "reason", None) or None


class AuditRecords(HistoricalRecords):
    """simple-history's records, with the source named by ``acting_user(reason=...)``."""

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        return reason or current_reason()


def audit_history() -> HistoricalRecords:
    """The history field every audited model declares."""
    return AuditRecords(get_user=_get_user, cascade_delete_history=False)


@contextmanager
def acting_user(user, *, reason: str = ""):
    """Attribute every change made inside to ``user`` (for imports and commands) and, with
    ``reason``, name their source ("import")."""
    previous = getattr(_local, "user", None), getattr(_local, "reason", None)
    _local.user, _local.reason = user, reason
    try:
        yield
    finally:
        _local.user, _local.reason = previous


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """Update row by row in memory and write the rows and their history in bulk."""
        if getattr(_local, "in_bulk_update", False):
            # Django's bulk_update() writes through update() with CASE expressions; the
            # history of those rows is written by bulk_update_with_history.
            return super().update(**kwargs)
        if any(isinstance(value, Combinable) for value in kwargs.values()):
            raise TypeError(
                "Uppdatera granskade modeller med värden, inte uttryck, så att historiken ser dem."
            )
        objects = list(self)
        for obj in objects:
            for field, value in kwargs.items():
                setattr(obj, field, value)
        if objects:
            self.model._default_manager.bulk_update(objects, list(kwargs))
        return len(objects)

    def bulk_update(self, objs, fields, batch_size=None):
        _local.in_bulk_update = True
        try:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        finally:
            _local.in_bulk_update = False


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):
    """``bulk_create`` and ``bulk_update`` write the history of every row they touch."""

    def bulk_create(self, objs, *args, **kwargs):
        if getattr(_local, "writing_history", False):
            return super().bulk_create(objs, *args, **kwargs)
        with _writing_history():
            return bulk_create_with_history(
                list(objs),
                self.model,
                *args,
                default_user=current_user(),
                default_change_reason=current_reason(),
                **kwargs,
            )

    def bulk_update(self, objs, fields, *args, **kwargs):
        if getattr(_local, "writing_history", False):
            return super().bulk_update(objs, fields, *args, **kwargs)
        with _writing_history():
            return bulk_update_with_history(
                list(objs),
                self.model,
                fields,
                *args,
                default_user=current_user(),
                default_change_reason=current_reason(),
                **kwargs,
            )


@contextmanager
def _writing_history():
    _local.writing_history = True
    try:
        yield
    finally:
        _local.writing_history = False
