"""Item to item ("Spara och nästa", föregående/nästa): the items a person may change, in the
order of the report's outline, and where one form leads to the next."""

from dataclasses import dataclass

from .access import edit_scope
from .models import Report


@dataclass(frozen=True)
class Neighbours:
    previous: object | None  # the outline's item before, or None
    next: object | None
    position: int  # 1-based place of the current item among the person's items, 0 if none
    total: int


NONE = Neighbours(None, None, 0, 0)


def neighbours(user, report: Report, path: str) -> Neighbours:
    """The items before and after the one whose form is at ``path``, among those ``user`` may
    change, in outline order."""
    from .workspace import build_outline

    if report.status != Report.Status.DRAFT:
        return NONE
    items = [
        i for i in build_outline(report, edit_scope(user, report)).items if i.editable and i.url
    ]
    urls = [i.url for i in items]
    if path not in urls:
        return Neighbours(None, items[0] if items else None, 0, len(items))
    at = urls.index(path)
    return Neighbours(
        items[at - 1] if at > 0 else None,
        items[at + 1] if at + 1 < len(items) else None,
        at + 1,
        len(items),
    )
