"""Item to item ("Spara och nästa", föregående/nästa): the items a person may change, in the
order of the report's outline. A form page only links to ``reporting:item_step``, which works
out the neighbour when it is asked for, so that a form page stays cheap."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .access import edit_scope, get_report_for_user
from .models import Report
from .steps import NEXT, PREVIOUS, step_url  # noqa: F401 (the step addresses live in the foundation)


def neighbour(user, report: Report, path: str, direction: str = NEXT):
    """The item after (or before) the one whose form is at ``path``, among those ``user`` may
    change, in outline order; None at the end."""
    from .workspace import build_outline

    items = [
        i for i in build_outline(report, edit_scope(user, report)).items if i.editable and i.url
    ]
    urls = [i.url for i in items]
    if path not in urls:
        return items[0] if items and direction == NEXT else None
    at = urls.index(path) + (1 if direction == NEXT else -1)
    return items[at] if 0 <= at < len(items) else None


@login_required
def item_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Föregående/nästa: to the neighbouring item's form, or back to the workspace at the end."""
    report = get_report_for_user(request, pk, write=True)
    direction = PREVIOUS if request.GET.get("riktning") == PREVIOUS else NEXT
    item = neighbour(request.user, report, request.GET.get("fran", ""), direction)
    return redirect(item.url if item else reverse("reporting:workspace", args=[report.pk]))
