"""Rendered files: a report's PDF is made once, in the worker, and served from storage.

A file is keyed by a hash of what it is made of (``file_key``): the report's data as the
renderer receives it (``ReportData``), the templates, stylesheets and fonts, the renderer's
code and WeasyPrint's version. So:

- an unchanged report has the same key, and its file is served from storage at once;
- a changed report has a new key: its file is queued for the worker, and the page shows the
  rendering's progress (queued, rendering, ready) until it offers the file;
- a file made from other data is never served for a report, whatever happened in between;
- two requests for the same file find the same row (one row per key, ``get_or_create`` on a
  unique column), and only the request that created it queues a rendering.

Files go through Django's storage API (``default_storage``: the file system under MEDIA_ROOT,
or S3-compatible storage by setting), so that any app server and any worker see them.
"""

import hashlib
import logging
from datetime import timedelta
from functools import cache
from pathlib import Path

import weasyprint
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .assemble import ReportData, build_report_data
from .document import data_digest
from .models import RenderedFile, Report

logger = logging.getLogger(__name__)

Kind = RenderedFile.Kind
Status = RenderedFile.Status

# Raise when the output changes for a reason the fingerprint cannot see.
RENDERER_VERSION = "1"
# A rendering that has not finished after this long is taken to be lost (its worker died).
STALLED_AFTER = timedelta(minutes=20)
SUPERSEDED = "Rapporten ändrades innan filen gjordes; den görs från de nya uppgifterna."


def _fingerprint_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    files = [base / "reporting" / "render.py"]
    files += (base / "templates" / "reporting").rglob("*.html")
    files += (base / "static" / "css").glob("*.css")
    files += (base / "static" / "fonts").glob("*.woff*")
    return sorted(files)


@cache
def renderer_fingerprint() -> str:
    """A hash of the templates, stylesheets, fonts and renderer code, and WeasyPrint's version:
    what, besides the data, decides the bytes of a rendered file. Computed once a process."""
    digest = hashlib.sha256(f"{RENDERER_VERSION}|{weasyprint.__version__}".encode())
    base = Path(settings.BASE_DIR)
    for path in _fingerprint_files():
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_key(kind: str, data: ReportData) -> str:
    """The key of the file of ``kind`` made from ``data`` (64 hex digits)."""
    text = f"{kind}|{renderer_fingerprint()}|{data_digest(data)}"
    return hashlib.sha256(text.encode()).hexdigest()


def page_document(data: ReportData) -> SafeString:
    """The table of contents and the document as the report page shows them (the templates
    ``reporting/document/_toc.html`` and ``reporting/_document.html``, given nothing but the
    data). Rendered once for the same data and renderer, then read from the cache ``documents``
    (each process's memory, by default), keyed as a file is: readers of an unchanged report
    share one rendering, and a change gives new data, so a new key."""
    from .render import Document, render_html

    key = f"page:{renderer_fingerprint()}:{data_digest(data)}"
    cache = caches["documents"]
    html = cache.get(key)
    if html is None:
        toc = render_to_string("reporting/document/_toc.html", {"doc": Document(data)})
        html = toc + render_html(data)
        cache.set(key, html)
    return mark_safe(html)


def current_file(report: Report, kind: str, data: ReportData | None = None) -> RenderedFile:
    """The file of ``kind`` for the report's data as it is now. When none exists yet its
    row is created and its rendering queued; when the last try failed or stalled, it is
    queued again. Never renders in the request (unless the task backend is the immediate
    one, as in tests)."""
    if data is None:
        data = build_report_data(report)
    key = file_key(kind, data)
    try:
        row, created = RenderedFile.objects.get_or_create(
            key=key, defaults={"report": report, "kind": kind}
        )
    except IntegrityError:  # another request created it between our get and our insert
        row, created = RenderedFile.objects.get(key=key), False
    if created or _requeue(row):
        _enqueue(row)
        row.refresh_from_db()
    return row


def _requeue(row: RenderedFile) -> bool:
    """Queue a failed or stalled rendering again; True for the one request that does it."""
    retry = RenderedFile.objects.filter(
        pk=row.pk, status=Status.FAILED
    ) | RenderedFile.objects.filter(
        pk=row.pk, status=Status.RENDERING, started_at__lt=timezone.now() - STALLED_AFTER
    )
    return bool(retry.update(status=Status.QUEUED, error="", started_at=None))


def _enqueue(row: RenderedFile) -> None:
    from .tasks import render_file

    try:
        render_file.enqueue(row.key)
    except Exception as error:  # the queue is unreachable: say so, and let a later try requeue
        logger.exception("Could not queue the rendering of %s", row.key)
        RenderedFile.objects.filter(pk=row.pk).update(status=Status.FAILED, error=str(error))


def render(key: str) -> str:
    """Render the file ``key`` (in the worker). Claims the row first, so that a second worker
    handed the same key does nothing. Returns the new status."""
    from .render import render_pdf

    with transaction.atomic():
        claimed = RenderedFile.objects.filter(key=key, status=Status.QUEUED).update(
            status=Status.RENDERING, started_at=timezone.now()
        )
    if not claimed:
        return "skipped"
    row = RenderedFile.objects.select_related("report").get(key=key)
    try:
        data = build_report_data(row.report)
        if file_key(row.kind, data) != key:
            return _finish(row, Status.FAILED, error=SUPERSEDED)
        pdf = render_pdf(data, memo_only=row.kind == Kind.MEMO_PDF)
    except Exception as error:
        _finish(row, Status.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    row.file.save(f"{key}.pdf", ContentFile(pdf), save=False)
    row.sha256 = hashlib.sha256(pdf).hexdigest()
    status = _finish(row, Status.READY)
    _prune(row)
    return status


def _finish(row: RenderedFile, status: str, *, error: str = "") -> str:
    row.status = status
    row.error = error
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "error", "file", "sha256", "finished_at"])
    return status


def _prune(newest: RenderedFile) -> None:
    """Delete the report's older files of the same kind: their data is no longer the report's."""
    older = RenderedFile.objects.filter(
        report_id=newest.report_id, kind=newest.kind, status__in=[Status.READY, Status.FAILED]
    ).exclude(pk=newest.pk)
    for row in older:
        if row.file:
            row.file.delete(save=False)
        row.delete()


def file_response(row: RenderedFile, filename: str) -> HttpResponse:
    with row.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
