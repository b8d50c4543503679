"""Background tasks (django-tasks), run by ``manage.py db_worker``: what must never make a
person wait for a request. Each task takes ids or keys, never objects, and reads what it needs
from the database itself, so that any worker on any machine can run it."""

import hashlib

from django_tasks import task

from . import rendered


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
