"""Forms for filling in a report: the Swedish number field, the base of every item form, and
the forms of the report's own parts (sections, internal control, cover memo).

Every editable piece of a report is a ``ReportItem`` with a ``version``: its form carries the
version it was loaded at in a hidden field, and when someone else has saved in between,
``reporting.editing.save_item`` merges the two saves field by field or refuses the save. The
buttons of an item form send an ``action``: ``save``, ``ready`` (save and mark ready,
"Klarmarkera") or ``unready`` (save and undo the mark).
"""

from dataclasses import dataclass
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.models import construct_instance

from . import bounds
from .models import (
    CoverMemo,
    InternalControlAssessment,
    MemoAttachment,
    ProposedDecision,
    Section,
    Signatory,
)
from .numbers import NumberFormatError, format_number, parse_number

SAVE, READY, UNREADY = "save", "ready", "unready"
ACTIONS = (SAVE, READY, UNREADY)

NOT_ASSESSED = "Ej bedömd"
TEXT_HELP = (
    "Vanlig text: stycken skiljs åt med en tom rad, och en rad som börjar med ”- ” blir en "
    "punkt i en lista."
)
MISSING_IN_POST = (
    "Uppgiften saknas i det som skickades. Ladda om sidan och försök igen; "
    "det du skrivit i de andra fälten finns kvar."
)


class SwedishDecimalField(forms.DecimalField):
    """A number typed the Swedish way: ``1 165,1``, ``0,03``, ``0,03 %``, ``−4,5``, ``-4,5``
    (a dot works as decimal mark too). Read with ``reporting.numbers.parse_number``; a stored
    value is shown back as ``1 165,1``."""

    widget = forms.TextInput  # type=number refuses "1 165,1" and "0,03 %"

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("spellcheck", "false")
        self.widget.attrs.setdefault("inputmode", "decimal")  # a numeric keypad on a phone

    def to_python(self, value) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        if value in self.empty_values:
            return None
        try:
            return parse_number(str(value))
        except NumberFormatError as error:
            raise ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value)
        return value


def bound_texts(form: forms.BaseForm) -> None:
    """Every text field of ``form`` within its column's bound (``reporting.bounds``), with a
    Swedish message at the field; NUL and lone surrogates refused there too."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput):
            continue
        try:
            limit = bounds.max_length(model, name) if model else bounds.TEXT_MAX_CHARS
        except FieldDoesNotExist:
            limit = bounds.TEXT_MAX_CHARS
        if field.max_length is None or field.max_length > limit:
            field.max_length = limit
        field.validators.append(
            MaxLengthValidator(
                field.max_length,
                message=(
                    f"Texten är för lång: högst {field.max_length} tecken får plats "
                    "(den har %(show_value)d)."
                ),
            )
        )
        field.validators.append(bounds.validate_text)


@dataclass(frozen=True)
class Difference:
    """One field where the text someone else saved differs from what this person typed;
    ``name`` is the form field's (empty for a list of related rows)."""

    label: str
    yours: str
    theirs: str
    name: str = ""


def same_text(a, b) -> bool:
    """Whether two texts are the same but for line endings and spaces at the ends of lines."""

    def clean(value) -> str:
        return "\n".join(
            line.rstrip() for line in str(value or "").replace("\r\n", "\n").split("\n")
        ).strip()

    return clean(a) == clean(b)


def _display(field: forms.Field, value) -> str:
    """A prepared field value as a person reads it: a choice by its label."""
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value or ""), value or ""))
    return "" if value is None else str(value)


class ItemForm(forms.ModelForm):
    """The form of one ``ReportItem``. Subclasses set ``Meta`` and may override ``apply``
    (write the cleaned data into the locked row), ``save_related`` (rows that belong to the
    item, saved in the same transaction) and ``ready_problems`` (what must be filled in before
    the item can be marked ready)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "Formuläret saknar uppgift om vilken version du utgick från.",
            "invalid": "Formuläret har en felaktig versionsuppgift.",
        },
    )

    def __init__(self, *args, report, action: str = SAVE, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        self.action = action if action in ACTIONS else SAVE
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        bound_texts(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        if "version" in self.errors:
            self.add_error(
                None,
                "Formuläret kunde inte kopplas till en sparad version. Ladda om sidan och försök "
                "igen; kopiera gärna din text först.",
            )
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            if field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name)):
                self.add_error(name, MISSING_IN_POST)
        if self.action == READY:
            for name, message in self.ready_problems(cleaned):
                if name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        """(field, message) for what is missing before the item can be marked ready."""
        return []

    def apply(self, item) -> None:
        """Write the cleaned data into ``item`` (the row as it is locked in the database)."""
        construct_instance(self, item, fields=self._meta.fields)

    def save_related(self, item) -> None:
        """Save rows that belong to the item, after the item itself."""

    def focus_first_error(self) -> None:
        """After a failed save the page opens with the focus on the first field in error, or
        on the box "Jag bekräftar värdet" when every error is one it confirms away."""
        order = getattr(self, "page_order", None) or list(self.fields)
        names = [
            name
            for name in order
            if name in self.errors and not isinstance(self.fields[name].widget, forms.HiddenInput)
        ]
        confirmable = getattr(self, "confirmable", set())
        if "confirm" in self.fields and names and set(names) <= confirmable:
            names = ["confirm"]
        if names:
            self.fields[names[0]].widget.attrs["autofocus"] = True
            return
        # the item's own fields are fine: the first row in error of its lists (adjustments,
        # proposals, signatories, attachments)
        related = self.related_formsets()
        focus_first_error_in(form for formset in related for form in formset.forms)

    def related_formsets(self) -> list[forms.BaseInlineFormSet]:
        """The rows that belong to the item and are saved with it (``save_related``)."""
        formsets = list(getattr(self, "formsets", {}).values())
        if getattr(self, "adjustments", None) is not None:
            formsets.append(self.adjustments)
        return formsets

    def related_changed(self) -> bool:
        """Whether the rows that belong to the item (formsets) were changed in the form."""
        return any(formset.has_changed() for formset in self.related_formsets())

    def differences(self, current) -> list[Difference]:
        """The fields where ``current`` (what someone else saved) differs from what was typed."""
        saved = type(self)(instance=current, report=self.report)
        result = []
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput | forms.CheckboxInput):
                continue
            yours, theirs = self[name].value(), saved[name].value()
            if not same_text(yours, theirs):
                result.append(
                    Difference(
                        label=str(field.label or name),
                        yours=_display(field, yours),
                        theirs=_display(field, theirs),
                        name=name,
                    )
                )
        return result


def radio_choices(values: list[tuple[str, str]], empty_label: str = NOT_ASSESSED) -> list:
    return [("", empty_label), *values]


class SectionForm(ItemForm):
    """Sammanfattande analys, or another section (Kvalitetsarbete, Övrigt, ...)."""

    class Meta:
        model = Section
        fields = ["title", "text"]
        labels = {"title": "Rubrik", "text": "Text"}
        help_texts = {"text": TEXT_HELP}
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind != Section.Kind.OTHER:
            del self.fields["title"]
        else:
            self.fields["title"].required = True
            self.fields["title"].error_messages["required"] = "Ange en rubrik för avsnittet."

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        if not (cleaned.get("text") or "").strip():
            return [("text", "Skriv texten innan du klarmarkerar avsnittet.")]
        return []


class InternalControlForm(ItemForm):
    """Bedömning av nämndens interna kontroll: its own scale and an analysis."""

    class Meta:
        model = Section
        fields = ["assessment", "text"]
        labels = {"assessment": "Bedömning", "text": "Analys"}
        help_texts = {"text": TEXT_HELP}
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessment"]
        field.choices = radio_choices(InternalControlAssessment.choices)
        field.widget = forms.RadioSelect(choices=field.choices)

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        problems = []
        if not cleaned.get("assessment"):
            problems.append(("assessment", "Välj en bedömning innan du klarmarkerar."))
        if not (cleaned.get("text") or "").strip():
            problems.append(("text", "Skriv en analys innan du klarmarkerar."))
        return problems


class SwedishDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"placeholder": "ÅÅÅÅ-MM-DD"})


class CoverMemoForm(ItemForm):
    """Tjänsteutlåtande. Its proposed decisions, signatories and attachments are formsets
    (``cover_memo_formsets``) saved with it, under the memo's version."""

    date = forms.DateField(
        label="Datum",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=SwedishDateInput(),
        error_messages={"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2024-05-20."},
    )

    class Meta:
        model = CoverMemo
        fields = ["title", "case_officer", "phone", "to", "date", "dnr"]
        labels = {
            "title": "Ärendets titel",
            "case_officer": "Handläggare",
            "phone": "Telefon",
            "to": "Till",
            "dnr": "Diarienummer",
        }
        help_texts = {"title": "Till exempel ”Tertialrapport 1 2024 för Socialnämnden”."}

    def __init__(self, *args, formsets=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.formsets = formsets or {}

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([formset.is_valid() for formset in self.formsets.values()]) and valid

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        problems = []
        if not (cleaned.get("title") or "").strip():
            problems.append(("title", "Ange ärendets titel innan du klarmarkerar."))
        decisions = self.formsets.get("decisions")
        if decisions is not None and decisions.is_valid() and not decisions.ordered_forms:
            problems.append((None, "Skriv minst ett förslag till beslut innan du klarmarkerar."))
        return problems

    def save_related(self, item) -> None:
        for formset in self.formsets.values():
            save_ordered(formset, item)

    def differences(self, current) -> list[Difference]:
        result = super().differences(current)
        for key, formset in self.formsets.items():
            label, names = FORMSET_TEXT[key]
            rows = formset.model.objects.filter(cover_memo=current).order_by("position")
            theirs = _lines(
                _joined(lambda name, row=row: getattr(row, name), names) for row in rows
            )
            yours = _lines(
                _joined(lambda name, form=form: form[name].value(), names)
                for form in formset.forms
                if not (form.is_bound and form["DELETE"].value())
            )
            if not same_text(yours, theirs):
                result.append(Difference(label=label, yours=yours, theirs=theirs))
        return result


def _lines(texts) -> str:
    return "\n".join(text for text in texts if text)


def _joined(get, names: tuple[str, ...]) -> str:
    return ", ".join(str(get(name) or "").strip() for name in names if get(name))


FORMSET_TEXT = {
    "decisions": ("Förslag till beslut", ("text",)),
    "signatories": ("Undertecknare", ("name", "title")),
    "attachments": ("Bilagor", ("title",)),
}


def focus_first_error_in(forms_) -> bool:
    """Put the focus on the first field in error of the first form in error among ``forms_``
    (the rows of a table, in page order). Returns whether one was found."""
    for form in forms_:
        for name, field in form.fields.items():
            if name in form.errors and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["autofocus"] = True
                return True
    return False


class RowLabelsMixin:
    """Rows of a formset told apart for screen readers: every input is named by its column
    and its row ("Belopp, rad 2"; "Belopp, ny rad" for the empty row at the end).

    The empty row at the end ("Lägg till ...") is not marked required: it may stay empty, and
    an empty one is never saved. Only when something is typed in it are its required fields
    asked for (``clean``)."""

    row_noun = "rad"

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        new = index is None or index >= self.initial_form_count()
        row = f"ny {self.row_noun}" if new else f"{self.row_noun} {index + 1}"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Ta bort"
        for field in form.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["aria-label"] = f"{field.label}, {row}"
        if new:
            form.required_when_filled = [n for n, f in form.fields.items() if f.required]
            for name in form.required_when_filled:
                form.fields[name].required = False

    def clean(self) -> None:
        super().clean()
        for form in self.extra_forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            for name in getattr(form, "required_when_filled", ()):
                if name not in form.errors and form.cleaned_data.get(name) in (None, ""):
                    form.add_error(name, form.fields[name].error_messages["required"])


class OrderedInlineFormSet(RowLabelsMixin, forms.BaseInlineFormSet):
    """Rows of the cover memo in a chosen order: ORDER is a hidden field moved by the up and
    down buttons (``move_in_formset``), DELETE a checkbox "Ta bort"."""

    ordering_widget = forms.HiddenInput

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        bound_texts(form)


def _formset(model, fields: list[str], labels: dict, noun: str, widgets: dict | None = None):
    return forms.inlineformset_factory(
        CoverMemo,
        model,
        formset=type(f"{model.__name__}FormSetBase", (OrderedInlineFormSet,), {"row_noun": noun}),
        fields=fields,
        labels=labels,
        widgets=widgets or {},
        extra=1,
        can_order=True,
        can_delete=True,
    )


ProposedDecisionFormSet = _formset(
    ProposedDecision,
    ["text"],
    {"text": "Förslag"},
    "förslag",
    {"text": forms.Textarea(attrs={"rows": 2})},
)
SignatoryFormSet = _formset(
    Signatory, ["name", "title"], {"name": "Namn", "title": "Titel"}, "undertecknare"
)
AttachmentFormSet = _formset(MemoAttachment, ["title"], {"title": "Bilaga"}, "bilaga")

COVER_MEMO_FORMSETS = {
    "decisions": (ProposedDecisionFormSet, "forslag"),
    "signatories": (SignatoryFormSet, "undertecknare"),
    "attachments": (AttachmentFormSet, "bilagor"),
}


def cover_memo_formsets(memo: CoverMemo, data=None) -> dict[str, forms.BaseInlineFormSet]:
    return {
        key: formset_class(data, instance=memo, prefix=prefix)
        for key, (formset_class, prefix) in COVER_MEMO_FORMSETS.items()
    }


def save_ordered(formset: forms.BaseInlineFormSet, parent) -> None:
    """Save a cover memo formset under ``parent``: deleted rows go, the others are numbered
    1, 2, 3 ... in the order chosen. Every row is written with ``save()``."""
    formset.instance = parent
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    for position, form in enumerate(formset.ordered_forms, start=1):
        row = form.save(commit=False)
        row.cover_memo = parent
        row.position = position
        row.save()


# The up and down buttons of an ordered list, by the word they post: the cover memo's rows
# (``move_in_formset``) and the economy's subsections in the workspace outline.
MOVES = {"upp": -1, "ned": 1}
MOVE_LABELS = {"upp": "Flytta upp", "ned": "Flytta ned"}


def move_in_formset(data, prefix: str, index: int, step: int) -> bool:
    """Move form ``index`` of the formset ``prefix`` one place up (``step=-1``) or down
    (``+1``) by swapping the ORDER values in ``data`` (a mutable copy of POST). Returns
    whether anything moved."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return False
    total = min(total, 1000)

    def order(i: int) -> int:
        try:
            return int(data.get(f"{prefix}-{i}-ORDER") or 0) or 10_000 + i
        except (TypeError, ValueError):
            return 10_000 + i

    rows = sorted(
        (i for i in range(total) if data.get(f"{prefix}-{i}-ORDER") not in (None, "")),
        key=order,
    )
    if index not in rows:
        return False
    place = rows.index(index)
    other = place + step
    if not 0 <= other < len(rows):
        return False
    a, b = rows[place], rows[other]
    key_a, key_b = f"{prefix}-{a}-ORDER", f"{prefix}-{b}-ORDER"
    data[key_a], data[key_b] = data[key_b], data[key_a]
    return True


class TransitionForm(forms.Form):
    """What a move of the workflow may carry: a comment (a return, a reopening) or the board's
    decision. Whether each is needed is ``reporting.workflow.transition``'s decision."""

    comment = forms.CharField(required=False, strip=True)
    decision_date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Skriv beslutsdatumet som ÅÅÅÅ-MM-DD, t.ex. 2020-02-25."},
    )
    decision_paragraph = forms.CharField(
        required=False,
        max_length=40,
        error_messages={"max_length": "Paragrafen får vara högst 40 tecken."},
    )
    confirm_unready = forms.BooleanField(required=False)
    justification = forms.CharField(
        required=False,
        strip=True,
        max_length=4000,
        error_messages={"max_length": "Motiveringen får vara högst 4 000 tecken."},
    )
