"""Who may see and change a report: the one place where permission logic lives.

Every view that shows or changes a report gets it through ``get_report_for_user``. A person
sees the reports of the boards where they hold a role (see ``ReportQuerySet.for_user``);
editors and administrators may also write; readers and approvers may only read (an approver
reviews and approves, which is not writing the report's content). Superusers may do everything.

Only a draft can be written: once a report is submitted, approved or decided its content is
frozen for everyone (``write=True`` refuses it with a message saying why). Actions that do not
change the report's content but need a writer's role, such as creating the next period's
report from it, ask for ``write=True, draft=False``.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Membership, Report, Role

WRITE_ROLES = frozenset({Role.EDITOR, Role.ADMINISTRATOR})


def role_on_board(user, board_id: int) -> str | None:
    """The person's role on the board, or None when they hold none."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, board_id=board_id)
        .values_list("role", flat=True)
        .first()
    )


def can_write(user, report: Report) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role_on_board(user, report.board_id) in WRITE_ROLES


class ReportNotEditable(PermissionDenied):
    """The person may write, but the report is no longer a draft."""


def not_editable_message(report: Report) -> str:
    return (
        f"Rapporten har status ”{report.get_status_display()}” och kan inte ändras. "
        "Bara ett utkast kan ändras; behöver något rättas får förvaltningsledningen "
        "skicka tillbaka rapporten."
    )


def get_report_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, draft: bool = True
) -> Report:
    """The report, if the person may see it (404 otherwise, so that a stranger cannot tell
    whether it exists) and, with ``write=True``, change it (403 otherwise). With ``write=True``
    the report must also be a draft, unless ``draft=False``."""
    reports = Report.objects.for_user(request.user).select_related("board", "unit")
    report = get_object_or_404(reports, pk=pk)
    if write and not can_write(request.user, report):
        raise PermissionDenied("Du har inte behörighet att ändra rapporten.")
    if write and draft and report.status != Report.Status.DRAFT:
        raise ReportNotEditable(not_editable_message(report))
    return report
