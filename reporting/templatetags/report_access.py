"""Template access to ``reporting.access``: whether the person may work on a report."""

from django import template

from reporting.access import can_write, is_administrator

register = template.Library()


@register.simple_tag(takes_context=True)
def can_write_report(context, report) -> bool:
    """``{% can_write_report report as writable %}``: an editor's or administrator's role on the
    report's board (the report's status is the workspace's business)."""
    request = context.get("request")
    return request is not None and can_write(request.user, report)


@register.simple_tag(takes_context=True)
def can_import_into(context, report) -> bool:
    """``{% can_import_into report as importable %}``: an administrator of the report's board,
    and the report a draft (the Excel imports write only into drafts)."""
    request = context.get("request")
    return (
        request is not None
        and report.status == report.Status.DRAFT
        and is_administrator(request.user, report)
    )
