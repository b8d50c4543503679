"""Writes that change the order of the economy's subsections (``EconomySubsection``): placing
a new one, moving one up or down in the workspace outline and removing one. Each runs in one transaction under
the report's lock (``reporting.access.lock_draft``) and writes through ``save()`` or
``delete()``, so the audit history records it."""

from django.db import transaction

from reporting.access import lock_draft
from reporting.models import Report
from reporting.signals import report_content_changed

from .models import EconomySubsection, EconomyTable

ORDER_CHANGED = "Ordningen hann ändras av någon annan; här är den nu."


class OrderChanged(Exception):
    """The outline a move was made from is no longer the order: the subsection or the one it
    was to change places with has moved, changed or gone since. Nothing was written."""


class RemovalRefused(Exception):
    """A subsection that may not be removed; the message says why, in Swedish."""


def neighbour_token(subsection: EconomySubsection) -> str:
    """How a move names the subsection it changes places with, as the outline showed it."""
    return f"{subsection.pk}:{subsection.version}"


def move_subsection(
    report: Report, pk: int, step: int, *, version: str, neighbour: str
) -> EconomySubsection:
    """Move the subsection ``pk`` one place up (``step=-1``) or down (``+1``), changing places
    with its neighbour. ``version`` is the subsection's version and ``neighbour`` the
    neighbour's ``neighbour_token`` as the outline showed them: the optimistic lock of the
    item forms, applied to both rows the move writes. Raises ``OrderChanged`` when either
    differs from what is saved now (someone moved, added, removed or edited one of them).

    Both rows are written with ``save()`` and ``version + 1``, so the history shows who moved
    what, and a move made from the old outline is refused. The other rows are only
    renumbered 1, 2, 3 ... where their positions were not already so (the printed order of
    those does not change)."""
    with transaction.atomic():
        lock_draft(report)
        rows = list(
            EconomySubsection.objects.select_for_update()
            .filter(report=report)
            .order_by("position", "pk")
        )
        index = next((i for i, row in enumerate(rows) if row.pk == pk), None)
        if index is None or step not in (-1, 1) or not 0 <= index + step < len(rows):
            raise OrderChanged
        moved, other = rows[index], rows[index + step]
        if str(moved.version) != version or neighbour_token(other) != neighbour:
            raise OrderChanged
        rows[index], rows[index + step] = other, moved
        _renumber(rows, moved=(moved, other))
        report_content_changed(report.pk)
    return moved


def insert_after(report: Report, subsection: EconomySubsection, after: int) -> None:
    """Give the new ``subsection`` the place after the subsection ``after`` (0: first),
    moving those behind it one step on. Run under the report's lock."""
    rows = list(EconomySubsection.objects.filter(report=report).order_by("position", "pk"))
    index = next((i + 1 for i, s in enumerate(rows) if s.pk == after), 0)
    _renumber([*rows[:index], subsection, *rows[index:]], moved=(subsection,))


def _renumber(rows: list[EconomySubsection], *, moved=()) -> None:
    """Number ``rows`` 1, 2, 3 ... in their order. Each saved row whose place changes, and each
    of ``moved`` (a new one is left to its form's save), is written through ``save()`` with
    ``version + 1``: every state in the history has its own version, so a save from a form
    opened before is merged with the new place."""
    for position, row in enumerate(rows, start=1):
        if row.pk is None:
            row.position = position
        elif row.position != position or row in moved:
            row.position = position
            row.version += 1
            row.save(update_fields=["position", "version", "updated_at"])


def held_tables(subsection: EconomySubsection) -> tuple[list[str], list[str]]:
    """The tables the subsection places, as a person knows them: the built-in ones it names
    (Driftbudget per verksamhetsområde, ...) and the titles of its own free tables."""
    built_in = [
        EconomySubsection.TABLES[name]
        for name in subsection.tables or ()
        if name in EconomySubsection.TABLES and name != EconomySubsection.FREE_TABLE
    ]
    own = EconomyTable.objects.filter(subsection=subsection).order_by("position", "pk")
    return built_in, list(own.values_list("title", flat=True))


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def removal_refusal(subsection: EconomySubsection, count: int) -> str:
    """Why ``subsection`` (one of the report's ``count`` subsections) may not be removed, or
    '' when it may.

    A subsection that places tables is not removed: the tables would otherwise leave the place
    the text put them in without anyone deciding where they go. Moving them into the previous
    subsection does not fit the model: a subsection is a heading, its text and the tables
    *that text* talks about (a ``[tabell]`` line places the next one), so the previous text
    would print tables it never mentions, its own ``[tabell]`` lines would take the moved free
    tables (they are placed in their order in the economy, not by subsection), and the first
    subsection has no previous one. The subsection's form already says which subsection holds
    a built-in table (one at a time), so the person decides there and then removes this one.
    The last subsection is not removed either: without any, the economy falls back to the
    layout of the format before subsections."""
    heading = subsection.heading
    if count <= 1:
        return (
            f"”{heading}” är det enda delavsnittet i ekonomin och kan inte tas bort. "
            "Ändra rubriken och texten i stället."
        )
    built_in, own = held_tables(subsection)
    names = built_in + [f"”{title}”" for title in own]
    if not names:
        return ""
    noun = "tabellen" if len(names) == 1 else "tabellerna"
    message = (
        f"Delavsnittet ”{heading}” kan inte tas bort medan {noun} {_listed(names)} står i det, "
        "så att ingen tabell flyttas utan att någon har bestämt var den ska stå."
    )
    if built_in:
        it, they = ("den", "den") if len(built_in) == 1 else ("dem", "de")
        message += (
            f" Ta bort krysset för {_listed(built_in)} under ”Tabeller i delavsnittet” i "
            f"delavsnittets formulär och kryssa i {it} i det delavsnitt där {they} ska stå."
        )
    if own:
        message += (
            " En egen tabell ("
            + _listed([f"”{title}”" for title in own])
            + ") flyttas till ett annat delavsnitt av systemförvaltaren i administrationen."
        )
    return message


def remove_subsection(report: Report, pk: int, *, version: str) -> EconomySubsection | None:
    """Remove the subsection ``pk`` if its version is still ``version`` (None when it changed
    or went in between: nothing is removed). Raises ``RemovalRefused`` when
    ``removal_refusal`` says no, under the same lock, so the rule holds whatever happened
    since the confirmation page was shown."""
    with transaction.atomic():
        lock_draft(report)
        rows = list(EconomySubsection.objects.select_for_update().filter(report=report))
        current = next((row for row in rows if row.pk == pk), None)
        if current is None or str(current.version) != version:
            return None
        refusal = removal_refusal(current, len(rows))
        if refusal:
            raise RemovalRefused(refusal)
        current.delete()
        report_content_changed(report.pk)
    return current
