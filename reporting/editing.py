"""Saving one item of a report: optimistic locking, "Klarmarkera" and the conflict page.

Every ``ReportItem`` has a ``version``. Its form carries the version it was loaded at; the save
locks the row (``select_for_update``), compares the versions and only then writes, through
``Model.save()`` so that the audit history sees every change, with ``version + 1``. When the
versions differ someone else has saved in between: nothing is written, and the form comes back
with the person's own text still in the fields, the other person's saved text beside it, and
the new version, so that saving again is a deliberate choice.

``edit_item`` is the whole GET/POST cycle of an item form; the views of ``goals``,
``indicators``, ``budget`` and ``reporting`` give it the report, the row and the form class.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .access import lock_draft, require_item_edit
from .audit import recent
from .comments import comment_panel
from .forms import READY, SAVE, UNREADY, Difference, ItemForm
from .models import Report
from .signals import report_content_changed
from .steps import PREVIOUS, step_url

CONFLICT_MESSAGE = (
    "Någon annan har sparat ändringar här medan du skrev, så din ändring sparades inte. "
    "Din text finns kvar i formuläret och den andra personens sparade text visas bredvid. "
    "Jämför, ta med det som ska vara kvar och spara igen."
)
GONE_MESSAGE = (
    "Någon annan har tagit bort det här medan du skrev, så din ändring sparades inte. "
    "Din text finns kvar i formuläret: kopiera den om du vill behålla den."
)

SAVE_NEXT = "save_next"  # "Spara och nästa": save, then the next item's form in outline order

# An item's work state; "Ej ifylld", not "Ej påbörjad", which is an activity's status.
STATE_LABELS = {"empty": "Ej ifylld", "started": "Påbörjad", "ready": "Klarmarkerad"}


class Conflict(Exception):
    """The row changed (or went) since the form was loaded; ``current`` is the row as saved,
    or None when it no longer exists."""

    def __init__(self, current) -> None:
        super().__init__("conflict")
        self.current = current


def save_item(form: ItemForm, model, lookup: dict, *, create: dict | None = None):
    """Write a valid ``form`` into the row ``model.objects.get(**lookup)`` if its version is
    still the one the form was loaded at. With ``create``, a missing row (version 0 in the
    form) is created from those values. Raises ``Conflict`` otherwise."""
    submitted = form.cleaned_data["version"]
    with transaction.atomic():
        lock_draft(form.report)  # the status under the lock a workflow move takes
        current = model.objects.select_for_update().filter(**lookup).first()
        if current is None:
            if create is None or submitted != 0:
                raise Conflict(None)
            item = model(**create)
            _write(form, item, version=1)
            try:
                with transaction.atomic():
                    item.save()
            except IntegrityError:  # created by someone else a moment ago
                raise Conflict(model.objects.filter(**lookup).first()) from None
        else:
            if current.version != submitted:
                raise Conflict(current)
            item = current
            before = _content(item)
            _write(form, item, version=current.version + 1)
            if _content(item) == before and not form.related_changed():
                item.version = current.version  # nothing changed: no write, no empty history
                return item
            item.save()
        form.save_related(item)
        report_content_changed(form.report.pk)  # the stored review is refreshed in the worker
    return item


def _content(item) -> dict:
    """The row's stored values, its version and time stamp aside."""
    return {
        f.attname: getattr(item, f.attname)
        for f in item._meta.concrete_fields
        if f.name not in ("version", "updated_at")
    }


def _write(form: ItemForm, item, *, version: int) -> None:
    form.apply(item)
    item.version = version
    if form.action == READY:
        item.ready = True
    elif form.action == UNREADY:
        item.ready = False


@dataclass(frozen=True)
class ConflictInfo:
    message: str
    differences: tuple[Difference, ...]


def workspace_url(report: Report, anchor: str = "") -> str:
    url = reverse("reporting:workspace", args=[report.pk])
    return f"{url}#{anchor}" if anchor else url


SAVED_MESSAGES = {
    SAVE: "Sparat.",
    READY: "Sparat och klarmarkerat.",
    UNREADY: "Sparat. Klarmarkeringen är ångrad.",
}


def edit_item(
    request: HttpRequest,
    *,
    report: Report,
    item,
    form_class: type[ItemForm],
    template: str,
    context: dict,
    lookup: dict | None = None,
    create: dict | None = None,
    anchor: str = "",
    build_form: Callable | None = None,
    success_url: Callable | None = None,
) -> HttpResponse:
    """The GET/POST cycle of one item form. ``item`` is the row (unsaved when it does not
    exist yet, then ``create`` holds the values to create it with). ``build_form(data,
    instance, action)`` builds the form when it needs more than ``form_class(...)``;
    ``success_url(saved)`` is where a save leads (default: the same page; after "Klarmarkera",
    the workspace). A person who may not change the item (an editor with responsibilities
    elsewhere) gets 403 before anything is shown or written."""
    require_item_edit(request, report, item)
    model = type(item)
    lookup = lookup or {"pk": item.pk}

    def make_form(data=None, instance=item, action=SAVE) -> ItemForm:
        if build_form is not None:
            return build_form(data, instance, action)
        return form_class(data, instance=instance, report=report, action=action)

    conflict = None
    if request.method == "POST":
        action = request.POST.get("action", SAVE)
        go_next = action == SAVE_NEXT
        action = SAVE if go_next else action
        form = make_form(request.POST, action=action)
        if form.is_valid():
            try:
                saved = save_item(form, model, lookup, create=create)
            except Conflict as error:
                form, conflict = _conflict(request, make_form, form, error, action)
            else:
                messages.success(request, SAVED_MESSAGES[form.action])
                if go_next:
                    return redirect(step_url(report, request.path))
                if form.action == READY:
                    return redirect(workspace_url(report, anchor))
                return redirect(success_url(saved) if success_url else request.get_full_path())
        if conflict is None and not form.is_valid():
            messages.error(
                request, "Det du skrev är inte sparat: rätta det som är markerat och spara igen."
            )
            form.focus_first_error()
    else:
        form = make_form()
    if conflict is not None and form.instance.pk:
        item = form.instance  # the row as the other person saved it: its state and buttons
    state = item_state(item)
    return render(
        request,
        template,
        {
            **context,
            "report": report,
            "item": item,
            "form": form,
            "conflict": conflict,
            "state": state,
            "state_label": STATE_LABELS[state],
            "workspace_url": workspace_url(report, anchor),
            "history": recent(report, item),
            "comments": comment_panel(request, report, item),
            "previous_url": step_url(report, request.path, PREVIOUS),
            "next_url": step_url(report, request.path),
            "history_url": item_history_url(report, item),
        },
        status=409 if conflict else 200,
    )


def item_history_url(report: Report, item) -> str:
    """The page of every change of ``item`` (none for a row not saved yet)."""
    if item.pk is None:
        return ""
    return reverse("reporting:item_history", args=[report.pk, item._meta.label_lower, item.pk])


def _conflict(request, make_form, form: ItemForm, error: Conflict, action: str):
    current = error.current
    data = request.POST.copy()
    if current is not None:
        data["version"] = str(current.version)
        info = ConflictInfo(CONFLICT_MESSAGE, tuple(form.differences(current)))
        instance = current
    else:
        data["version"] = "0"
        info = ConflictInfo(GONE_MESSAGE, ())
        instance = form.instance
    fresh = make_form(data, instance=instance, action=action)
    fresh.is_valid()
    return fresh, info


def item_state(item) -> str:
    """'empty', 'started' or 'ready' for one item, from ``has_content``."""
    if item.pk and item.ready:
        return "ready"
    return "started" if item.pk and has_content(item) else "empty"


CONTENT_FIELDS = {
    "GoalAssessment": ("assessment", "analysis"),
    "ActivityFollowUp": ("status", "deviation", "analysis"),
    "IndicatorValue": (
        "outcome",
        "outcome_text",
        "outcome_men",
        "outcome_men_text",
        "outcome_women",
        "outcome_women_text",
        "forecast",
        "forecast_text",
        "analysis",
    ),
    "OperatingBudgetRow": ("outcome", "forecast", "comment"),
    "EconomyText": ("analysis",),
    "EconomySubsection": ("text",),
    "Section": ("text", "assessment"),
    "CoverMemo": ("title", "case_officer", "phone", "to", "date", "dnr"),
}


def has_content(item) -> bool:
    """Whether anyone has written something in the item (the values a person fills in; the
    budget and last year's figures, which come with the plan, do not count)."""
    fields = CONTENT_FIELDS[type(item).__name__]
    return any(getattr(item, name) not in (None, "") for name in fields)
