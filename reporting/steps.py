"""The addresses of "Spara och nästa" and föregående/nästa on an item form (foundation layer:
a form links to ``reporting:item_step``; ``reporting.navigation`` works out the neighbour when
it is asked for)."""

from urllib.parse import urlencode

from django.urls import reverse

from .models import Report

NEXT, PREVIOUS = "nasta", "foregaende"


def step_url(report: Report, path: str, direction: str = NEXT) -> str:
    """The address that leads from the item whose form is at ``path`` to the next (or
    previous) one."""
    query = urlencode({"fran": path, "riktning": direction})
    return f"{reverse('reporting:item_step', args=[report.pk])}?{query}"
