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
    """The PDF of an approved version, rendered from its frozen data and written once with its
    SHA-256 (``reporting.workflow.freeze`` queues it)."""
    from .models import ReportVersion
    from .render import render_pdf
    from .workflow import frozen_report_data

    version = ReportVersion.objects.select_related("report").get(pk=version_id)
    if version.pdf_ready:
        return "skipped"
    pdf = render_pdf(frozen_report_data(version))
    ReportVersion.objects.filter(pk=version.pk, pdf_sha256="").update(
        pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest()
    )
    return "ready"
