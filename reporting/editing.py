"""Saving one item of a report: optimistic locking, the merge of two people's changes,
"Klarmarkera" and the conflict page.

Every ``ReportItem`` has a ``version``. Its form carries the version it was loaded at; the save
locks the row (``select_for_update``), compares the versions and writes, through
``Model.save()`` so that the audit history sees every change, with ``version + 1``.

When the versions differ someone else has saved in between, and the save is a three-way merge
by field. The base is the row as it was at the form's version, read from the audit history
(every save and bulk write records the row with its version). The fields this person changed
since the base are written onto the row as saved now, and the other person's changes stay, when
the two changed different fields; the page then says so. When both changed the same field (to
different values), when the base is not in the history, or when the form also saves rows of its
own (adjustments, the cover memo's lists), nothing is written: the form comes back with the
person's own text still in the fields (and the other person's in the fields only they changed),
the other person's saved text beside the fields both changed, and the new version, so that
saving again is a deliberate choice.

``edit_item`` is the whole GET/POST cycle of an item form; the views of ``goals``,
``indicators``, ``budget`` and ``reporting`` give it the report, the row and the form class.
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .access import lock_draft, require_item_edit
from .audit import recent
from .comments import comment_panel
from .forms import READY, SAVE, UNREADY, Difference, ItemForm, same_text
from .history import current_user
from .models import Report
from .signals import report_content_changed
from .steps import PREVIOUS, step_url

CONFLICT_MESSAGE = (
    "Någon annan har sparat ändringar här medan du skrev, så din ändring sparades inte. "
    "Din text finns kvar i formuläret och den andra personens sparade text visas bredvid. "
    "Jämför, ta med det som ska vara kvar och spara igen."
)
SAME_FIELDS_MESSAGE = (
    "Någon annan har sparat ändringar här medan du skrev, i samma fält som du, så din ändring "
    "sparades inte. Din text finns kvar i formuläret och den andra personens sparade text visas "
    "bredvid; det den andra personen ändrade i andra fält är redan med i formuläret. "
    "Jämför, ta med det som ska vara kvar och spara igen."
)
UNSEEN_MESSAGE = (
    "Någon annan har sparat ändringar här sedan du öppnade formuläret, så det är inte "
    "klarmarkerat: läs den andra personens ändringar bredvid, som nu finns i formuläret, och "
    "klarmarkera igen om det är klart."
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
    or None when it no longer exists. When the merge found that both people changed the same
    fields, ``base`` is the row as the form was loaded (from the history) and ``fields`` the
    columns both changed; otherwise ``base`` is None."""

    def __init__(self, current, *, base=None, fields: Iterable[str] = ()) -> None:
        super().__init__("conflict")
        self.current = current
        self.base = base
        self.fields = frozenset(fields)


@dataclass(frozen=True)
class Merged:
    """A save made from an older version, merged with what someone else saved in between:
    ``theirs`` names the fields they changed, ``by`` who they were, ``wrote`` whether this save
    changed anything itself."""

    theirs: tuple[str, ...]
    by: str
    wrote: bool

    @property
    def message(self) -> str:
        what = f"ändrade {listed(self.theirs)}" if self.theirs else "sparade här"
        if self.wrote:
            return f"{self.by} {what} medan du skrev; båda ändringarna är sparade."
        return (
            f"{self.by} {what} medan du skrev. Du hade inte ändrat något annat, "
            "så det som är sparat är den ändringen."
        )


READY_LABEL = "Klarmarkering"
READY_STATES = {True: "Klarmarkerad", False: "Inte klarmarkerad"}
SOMEONE = "Någon annan"
HISTORY_LIMIT = 50  # records read for a merge: the base and the saves since, oldest first


def save_item(form: ItemForm, model, lookup: dict, *, create: dict | None = None):
    """Write a valid ``form`` into the row ``model.objects.get(**lookup)`` and return it. With
    ``create``, a missing row (version 0 in the form) is created from those values. A row saved
    by someone else since the form was loaded is merged field by field (``write_item``).
    Raises ``Conflict`` when the save cannot be made."""
    return write_item(form, model, lookup, create=create)[0]


def write_item(form: ItemForm, model, lookup: dict, *, create: dict | None = None):
    """``save_item``, returning (the row, ``Merged`` or None): ``Merged`` when the row had been
    saved by someone else since the form's version and the two changes were merged."""
    submitted = form.cleaned_data["version"]
    merged = None
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
            item, version = current, current.version
            before = _content(item)
            if version == submitted:
                _write(form, item, version=version + 1)
            else:
                merged = _merge(form, item, submitted)
            if _content(item) == before and not form.related_changed():
                item.version = version  # nothing changed: no write, no empty history
                return item, merged
            item.save()
        form.save_related(item)
        report_content_changed(form.report.pk)  # the stored review is refreshed in the worker
    return item, merged


def _merge(form: ItemForm, item, submitted: int) -> Merged:
    """Write into ``item`` (the row as saved now, locked, at a version other than
    ``submitted``, the one the form was loaded at) the fields this person changed since then,
    leaving the other person's changes as they are. Raises ``Conflict`` when both changed the
    same field, or when the base is unknown.

    "Mine" are the fields where the form's own ``apply`` (and the ready mark its action sets)
    gives another value than the base: the form decides what it writes (an indicator value's
    figures are two columns each, outside ``Meta.fields``). "Theirs" are the fields where the
    row as saved now differs from the base. A field both changed to the same value is no
    conflict."""
    # A form that saves rows of its own (an operating budget row's adjustments, the cover
    # memo's lists) keeps the plain optimistic lock unless those rows, read again under the
    # item's lock, are exactly the ones the form showed and the form left them so: they have
    # no base in the item's history, so when either side changed them, whose change a
    # difference is cannot be told. Left as saved, saving them again writes what is there.
    if not _related_as_saved(form, item):
        raise Conflict(item)
    found = _base(type(item), item, submitted)
    if found is None:
        raise Conflict(item)
    base, later = found
    version = item.version
    was, now = _content(base), _content(item)
    result = copy.copy(item)
    _write(form, result, version=version + 1)
    yours = _content(result)
    mine = {name for name in was if _differs(yours[name], was[name])}
    if form.action in (READY, UNREADY):
        mine.add("ready")  # "Klarmarkera" and "Ångra klarmarkering" say what the mark should be
    theirs = {name for name in was if _differs(now[name], was[name])}
    both = {name for name in mine & theirs if _differs(yours[name], now[name])}
    if form.action == READY:
        # "Klarmarkera" says the item as this person sees it is done: not with someone else's
        # newer content, which they have not seen. Their changes are shown before it is marked.
        both |= theirs - {"ready", "position"}
    if both:
        raise Conflict(item, base=base, fields=both)
    for name in mine:
        setattr(item, name, yours[name])
    item.version = version + 1
    return Merged(
        theirs=_labels(type(item), theirs),
        by=_who(later, submitted, version),
        wrote=_content(item) != now,
    )


def _related_as_saved(form: ItemForm, item) -> bool:
    """Whether every list of rows saved with the item is unchanged in the form and holds, as
    saved now, exactly the rows (and values) the form was built on: one query a list."""
    for formset in form.related_formsets():
        if formset.has_changed():
            return False
        shown = {row.instance.pk: row.instance for row in formset.initial_forms}
        manager = formset.model._default_manager
        saved = {row.pk: row for row in manager.filter(**{formset.fk.name: item})}
        if shown.keys() != saved.keys():
            return False
        if any(_content(shown[pk]) != _content(row) for pk, row in saved.items()):
            return False
    return True


def _base(model, row, submitted: int):
    """(the row as it was at version ``submitted``, the history records of the saves since)
    from the audit history, in one query; None when no record of that version is found or its
    records disagree (a write that kept the version)."""
    history = getattr(model, "history", None)
    if history is None:
        return None
    records = list(
        history.filter(
            **{model._meta.pk.attname: row.pk},
            version__gte=submitted,
            version__lte=row.version,
        )
        .exclude(history_type="-")
        .select_related("history_user")
        .order_by("version", "history_date", "history_id")[:HISTORY_LIMIT]
    )
    bases = [record.instance for record in records if record.version == submitted]
    if not bases or any(_content(other) != _content(bases[0]) for other in bases[1:]):
        return None
    return bases[0], [record for record in records if record.version > submitted]


def _differs(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return not same_text(a, b)
    return a != b


def _labels(model, names: set[str]) -> tuple[str, ...]:
    """The fields ``names`` (columns) as a person knows them, in the model's order: the
    Swedish verbose name, a figure's text column under the figure's name, the ready mark as
    "Klarmarkering"."""
    figures = getattr(model, "FIGURES", ())
    labels: list[str] = []
    for field in model._meta.concrete_fields:
        if field.attname not in names:
            continue
        if field.name == "ready":
            label = READY_LABEL
        else:
            stem = field.name.removesuffix("_text")
            shown = model._meta.get_field(stem) if stem in figures else field
            label = str(shown.verbose_name)
        label = label[:1].upper() + label[1:]
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def _who(later: list, submitted: int, version: int) -> str:
    """Who saved the versions after ``submitted`` up to ``version``, by name, when every one of
    those saves has its record and a person other than the one saving now; else "Någon annan"."""
    users = [record.history_user for record in later]
    covered = {record.version for record in later} >= set(range(submitted + 1, version + 1))
    me = current_user()
    if not covered or not users or any(user is None or user == me for user in users):
        return SOMEONE
    return listed(
        list(dict.fromkeys(user.get_full_name() or user.get_username() for user in users))
    )


def listed(names: Iterable[str]) -> str:
    """``A``, ``A och B``, ``A, B och C``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


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
                saved, merged = write_item(form, model, lookup, create=create)
            except Conflict as error:
                form, conflict = _conflict(request, make_form, form, error, action)
            else:
                messages.success(request, SAVED_MESSAGES[form.action])
                if merged is not None:
                    messages.info(request, merged.message)
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
    if current is None:
        data["version"] = "0"
        info = ConflictInfo(GONE_MESSAGE, ())
        instance = form.instance
    else:
        data["version"] = str(current.version)
        message, differences = CONFLICT_MESSAGE, tuple(form.differences(current))
        if error.base is not None:  # a merge that met the same field: show only those
            message = SAME_FIELDS_MESSAGE
            both = _take_theirs(
                data, form, make_form(instance=error.base), make_form(instance=current)
            )
            if form.action == READY and not both and "ready" not in error.fields:
                # marked ready from a form older than their change (see _merge): show it
                message, both = UNSEEN_MESSAGE, set(error.fields)
            differences = tuple(d for d in differences if d.name in both)
            if "ready" in error.fields:
                differences += (
                    Difference(
                        label=READY_LABEL,
                        yours=READY_STATES[form.action == READY],
                        theirs=READY_STATES[current.ready],
                        name="ready",
                    ),
                )
        info = ConflictInfo(message, differences)
        instance = current
    fresh = make_form(data, instance=instance, action=action)
    fresh.is_valid()
    return fresh, info


def _take_theirs(data, form: ItemForm, base: ItemForm, saved: ItemForm) -> set[str]:
    """Put into ``data`` (what ``form`` was sent with) the saved value of every field that only
    the other person changed since the base, so that saving the conflict form again cannot undo
    their change; return the fields both changed."""
    both = set()
    for name, field in form.fields.items():
        if name == "version":
            continue
        was, theirs = base[name].value(), saved[name].value()
        if _same_value(theirs, was):
            continue
        if _same_value(form[name].value(), was):
            _put(data, form.add_prefix(name), field, theirs)
        else:
            both.add(name)
    return both


def _same_value(a, b) -> bool:
    """Two values of a form field as shown (text, choice, ticked box or list of choices)."""
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return [str(v) for v in a or ()] == [str(v) for v in b or ()]
    return same_text(a, b)


def _put(data, key: str, field: forms.Field, value) -> None:
    """Set ``key`` in the mutable POST ``data`` to ``value`` as a browser would send it."""
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(value, list | tuple):
        data.setlist(key, [str(v) for v in value])
    else:
        data[key] = "" if value is None else str(value)


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
