"""Uppföljning av ekonomi in the browser: one operating area's row, the income statement, the
investments and the economy text. Amounts are typed the Swedish way (``1 165,1``, ``−4,5``) in
the report's unit (``Report.amount_unit``: kr, tkr or mnkr) and stored in mnkr as exactly as
typed; deviations and totals are never typed, they are computed (on the server; a small script
shows them while typing)."""

from decimal import Decimal

from django import forms

from reporting.forms import TEXT_HELP, Difference, ItemForm, RowLabelsMixin, SwedishDecimalField
from reporting.models import Report
from reporting.numbers import format_number, normalise

from . import arithmetic
from .arithmetic import AMOUNT_DECIMALS, AMOUNT_MAX_DIGITS
from .models import (
    BudgetAdjustment,
    EconomySubsection,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingBudgetRow,
)


class AmountField(SwedishDecimalField):
    """An amount typed in ``unit`` (kr, tkr or mnkr) and cleaned to mnkr, as exact as the
    finance system gives it (kronor with öre fit); a stored amount is shown in ``unit``."""

    unit = "mnkr"

    def to_python(self, value) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        typed = super().to_python(value)
        return arithmetic.to_mnkr(typed, self.unit)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(normalise(arithmetic.from_mnkr(Decimal(value), self.unit)))
        return value

    def validate(self, value) -> None:
        super().validate(value)
        check_amount(value, self.unit)


def smallest_step(unit: str) -> Decimal:
    """1 öre in ``unit``: the finest amount a column keeps (0,01 kr, 0,00001 tkr)."""
    return normalise(arithmetic.from_mnkr(Decimal(1).scaleb(-AMOUNT_DECIMALS), unit))


def check_amount(value: Decimal | None, unit: str) -> None:
    """Refuse, in Swedish, an amount (in mnkr, typed in ``unit``) that its column cannot hold:
    finer than 1 öre, or too large. The forms and the Excel import check amounts here."""
    if value is None:
        return
    if value.as_tuple().exponent < -AMOUNT_DECIMALS:
        raise forms.ValidationError(
            f"Beloppet har fler decimaler än som sparas: minsta steget är "
            f"{format_number(smallest_step(unit))} {unit} (1 öre).",
            code="max_decimal_places",
        )
    limit = Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMALS)
    if abs(value) >= limit:
        raise forms.ValidationError(
            f"Beloppet är för stort: det ska vara mindre än "
            f"{format_number(arithmetic.from_mnkr(limit, unit))} {unit}.",
            code="max_whole_digits",
        )


def amount_field(label: str, **kwargs) -> AmountField:
    """An amount in the report's unit, stored in mnkr (``use_unit`` sets the unit)."""
    return AmountField(
        label=label, max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMALS, **kwargs
    )


def use_unit(form: forms.BaseForm, unit: str) -> None:
    """Let every amount field of ``form`` take and show amounts in ``unit``."""
    for field in form.fields.values():
        if isinstance(field, AmountField):
            field.unit = unit


def amount_help(unit: str) -> str:
    examples = {
        "mnkr": "1 165,1 eller −4,5",
        "tkr": "1 165 123,4 eller −4 500",
        "kr": "1 165 123 456 eller −4 500 000",
    }
    return (
        f"Skriv beloppen i {unit}, till exempel {examples[unit]}. De sparas exakt och "
        "skrivs i rapporten i mnkr med en decimal."
    )


class OperatingBudgetRowForm(ItemForm):
    """Driftbudget for one verksamhetsområde: Bokslut (VB) or Prognos (T1, T2) against the
    budget, the named adjustments (``AdjustmentFormSet``) and the comment."""

    previous_year_outcome = amount_field("Bokslut föregående år")
    budget = amount_field("Budget")
    outcome = amount_field("Bokslut")
    forecast = amount_field("Prognos")

    class Meta:
        model = OperatingBudgetRow
        fields = ["previous_year_outcome", "budget", "outcome", "forecast", "comment"]
        labels = {"comment": "Kommentar"}
        help_texts = {
            "comment": "Förklara avvikelsen; texten står under områdets rubrik i rapporten. "
            + TEXT_HELP
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, adjustments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit = self.report.amount_unit
        self.amount_help = amount_help(self.unit)
        use_unit(self, self.unit)
        self.adjustments = adjustments
        self.spent_name = "forecast" if self.report.is_tertial else "outcome"
        del self.fields["outcome" if self.report.is_tertial else "forecast"]
        self.fields["budget"].widget.attrs["data-budget"] = "budget"
        self.fields[self.spent_name].widget.attrs["data-budget"] = "spent"

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return (self.adjustments is None or self.adjustments.is_valid()) and valid

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        if cleaned.get(self.spent_name) is None:
            label = self.fields[self.spent_name].label.lower()
            return [(self.spent_name, f"Ange {label} innan du klarmarkerar.")]
        return []

    def save_related(self, item) -> None:
        if self.adjustments is None:
            return
        formset = self.adjustments
        formset.instance = item
        for form in formset.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        position = 0
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed() and not form.instance.pk:
                continue
            position += 1
            adjustment = form.save(commit=False)
            adjustment.row = item
            adjustment.position = position
            adjustment.save()

    def differences(self, current):
        result = super().differences(current)
        if self.adjustments is not None:
            theirs = "\n".join(
                f"{a.label}: {format_number(a.amount)}"
                for a in BudgetAdjustment.objects.filter(row=current).order_by("position", "pk")
            )
            yours = "\n".join(
                f"{f['label'].value()}: {f['amount'].value()}"
                for f in self.adjustments.forms
                if (f["label"].value() or f["amount"].value()) and not f["DELETE"].value()
            )
            if theirs.strip() != yours.strip():
                result.append(Difference("Justeringar", yours, theirs))
        return result


class AdjustmentForm(forms.ModelForm):
    amount = amount_field("Belopp")

    class Meta:
        model = BudgetAdjustment
        fields = ["label", "amount"]
        labels = {"label": "Justering"}

    def __init__(self, *args, unit: str = "mnkr", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_unit(self, unit)
        self.fields["label"].widget.attrs["list"] = "justeringar-namn"
        self.fields["amount"].widget.attrs["data-budget"] = "adjustment"
        self.fields["amount"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        wanted = self.has_changed() and not cleaned.get("DELETE")
        if wanted and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Ange justeringens belopp.")
        return cleaned


class BaseAdjustmentFormSet(RowLabelsMixin, forms.BaseInlineFormSet):
    row_noun = "justering"


AdjustmentFormSet = forms.inlineformset_factory(
    OperatingBudgetRow,
    BudgetAdjustment,
    form=AdjustmentForm,
    formset=BaseAdjustmentFormSet,
    extra=1,
    can_delete=True,
)


class EconomyTextForm(ItemForm):
    """The introduction of Uppföljning av ekonomi, before its subsections."""

    class Meta:
        model = EconomyText
        fields = ["analysis"]
        labels = {"analysis": "Text om ekonomin"}
        help_texts = {
            "analysis": "Inledningen under Uppföljning av ekonomi, före delavsnitten "
            "(Resultatenheter, Investeringar … har var sitt formulär). " + TEXT_HELP
        }
        widgets = {"analysis": forms.Textarea(attrs={"rows": 18})}

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        if not (cleaned.get("analysis") or "").strip():
            return [("analysis", "Skriv texten innan du klarmarkerar.")]
        return []


class AmountUnitForm(forms.ModelForm):
    """The unit the report's economy forms take amounts in (kr, tkr or mnkr)."""

    class Meta:
        model = Report
        fields = ["amount_unit"]
        labels = {"amount_unit": "Belopp anges i"}
        help_texts = {
            "amount_unit": "Välj den enhet förvaltningen arbetar i: ekonomiformulären och "
            "Excelmallen för budgetsiffror tar emot belopp i den. Beloppen sparas exakt och "
            "rapporten skrivs alltid i mnkr med en decimal; redan sparade belopp ändras inte, "
            "de visas bara i den nya enheten. En Excelmall som hämtats tidigare läses i den "
            "enhet som står i dess rubriker."
        }
        widgets = {"amount_unit": forms.RadioSelect}


BUILT_IN_TABLE_CHOICES = [
    (name, label)
    for name, label in EconomySubsection.TABLES.items()
    if name != EconomySubsection.FREE_TABLE
]


class EconomySubsectionForm(ItemForm):
    """Ett delavsnitt of Uppföljning av ekonomi: its heading, its text and which of the
    report's tables it holds (their figures come from the economy; they stand after the text,
    or where a line "[tabell]" puts them). Its own free tables stay as they are."""

    tables = forms.MultipleChoiceField(
        label="Tabeller i delavsnittet",
        choices=BUILT_IN_TABLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="En tabell står i ett delavsnitt i taget.",
    )

    class Meta:
        model = EconomySubsection
        fields = ["heading", "text", "tables"]
        labels = {"heading": "Rubrik", "text": "Text"}
        help_texts = {
            "text": "Skriv ”Inte aktuellt” om avsnittet inte gäller i år. Tabellerna står "
            "efter texten; skriv [tabell] på en egen rad för att sätta nästa tabell där. "
            + TEXT_HELP
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heading"].error_messages["required"] = "Ange en rubrik för delavsnittet."
        if not self.is_bound:
            self.initial["tables"] = [
                t for t in self.instance.tables or () if t != EconomySubsection.FREE_TABLE
            ]

    def clean_heading(self) -> str:
        heading = " ".join((self.cleaned_data.get("heading") or "").split())
        if not heading:
            raise forms.ValidationError("Ange en rubrik för delavsnittet.")
        return heading

    def clean_tables(self) -> list[str]:
        """The chosen tables in the order the subsection had them (new ones last), its own
        free tables kept; a table another subsection holds is refused."""
        chosen = self.cleaned_data.get("tables") or []
        others = EconomySubsection.objects.filter(report=self.report).exclude(pk=self.instance.pk)
        held = {t: s.heading for s in others for t in s.tables or ()}
        taken = [
            f"{dict(BUILT_IN_TABLE_CHOICES)[t]} står redan i delavsnittet ”{held[t]}”."
            for t in chosen
            if t in held
        ]
        if taken:
            raise forms.ValidationError(taken)
        old = list(self.instance.tables or ())
        kept = [t for t in old if t in chosen or t == EconomySubsection.FREE_TABLE]
        return kept + [t for t in chosen if t not in kept]

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        if not (cleaned.get("text") or "").strip():
            return [("text", "Skriv texten (eller ”Inte aktuellt”) innan du klarmarkerar.")]
        return []


class EconomySubsectionCreateForm(EconomySubsectionForm):
    """A new subsection, placed after the one chosen (or first)."""

    after = forms.TypedChoiceField(
        label="Placering",
        coerce=int,
        help_text="Delavsnittet står i rapporten efter det du väljer.",
    )

    class Meta(EconomySubsectionForm.Meta):
        fields = ["heading", "text", "tables"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        existing = EconomySubsection.objects.filter(report=self.report).order_by("position", "pk")
        choices = [(0, "Först i ekonomin")] + [(s.pk, f"Efter ”{s.heading}”") for s in existing]
        self.fields["after"].choices = choices
        if not self.is_bound and len(choices) > 1:
            self.initial["after"] = choices[-1][0]
        self.fields["after"].error_messages["invalid_choice"] = (
            "Välj var delavsnittet ska stå bland de som finns."
        )


# -- tables edited as a whole: every row carries its version ------------------------------------


class TableFormSet(RowLabelsMixin, forms.BaseModelFormSet):
    """Rows of one table of one report. Each row's form carries the ``version`` the row had
    when the page was loaded; saving refuses when any of them changed in between (or a row
    shown was removed): ``stale_rows``."""

    def __init__(self, *args, report, **kwargs) -> None:
        kwargs.setdefault(
            "queryset", self.model.objects.filter(report=report).order_by("position", "pk")
        )
        kwargs.setdefault("prefix", "rader")
        super().__init__(*args, **kwargs)
        self.report = report

    def get_form_kwargs(self, index) -> dict:
        return {"report": self.report}

    def stale_rows(self, current: dict) -> list:
        """The forms whose row changed or went since it was loaded; ``current`` maps the pk
        of every row as saved now (locked) to the row."""
        stale = []
        for form in self.initial_forms:
            pk = form.instance.pk
            if (
                pk is None
                or pk not in current
                or current[pk].version != form.cleaned_data.get("version")
            ):
                stale.append(form)
        return stale

    def save_rows(self, current: dict) -> None:
        """Save (with ``save()``) in the order shown, numbering the rows 1, 2, 3 …; a row that
        changes gets ``version + 1``."""
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        position = 0
        for form in self.forms:
            if form in self.deleted_forms or not form.instance.pk and not form.has_changed():
                continue
            position += 1
            row = form.save(commit=False)
            row.report = self.report
            if row.pk is None:
                row.position, row.version = position, 1
                row.save()
            elif form.has_changed() or row.position != position:
                row.position = position
                row.version = current[row.pk].version + 1
                row.save()

    def with_versions(self, data, current: dict):
        """The submitted data with every row's version as saved now: what the form shows after
        a conflict, so that saving again is a deliberate choice."""
        data = data.copy()
        for index, form in enumerate(self.forms):
            pk = form.instance.pk
            if pk in current:
                data[f"{self.prefix}-{index}-version"] = str(current[pk].version)
        return data


class TableRowForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        use_unit(self, report.amount_unit)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class IncomeStatementRowForm(TableRowForm):
    budget = amount_field("Budget")
    outcome = amount_field("Utfall")
    previous_budget = amount_field("Budget föregående år")
    previous_outcome = amount_field("Utfall föregående år")

    class Meta:
        model = IncomeStatementRow
        fields = ["label", "kind", "budget", "outcome", "previous_budget", "previous_outcome"]
        labels = {"label": "Intäkts- eller kostnadsslag", "kind": "Slag"}


class InvestmentRowForm(TableRowForm):
    """VB: budget, bokslut and the T2 forecast; T1 and T2: budget and prognos."""

    budget = amount_field("Budget")
    outcome = amount_field("Bokslut")
    forecast = amount_field("Prognos")
    previous_forecast = amount_field("Prognos T2")

    class Meta:
        model = InvestmentRow
        fields = ["category", "budget", "outcome", "forecast", "previous_forecast"]
        labels = {"category": "Kategori"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        hidden = ["outcome", "previous_forecast"] if self.report.is_tertial else ["forecast"]
        for name in hidden:
            del self.fields[name]


IncomeStatementFormSet = forms.modelformset_factory(
    IncomeStatementRow,
    form=IncomeStatementRowForm,
    formset=TableFormSet,
    extra=1,
    can_delete=True,
)

InvestmentFormSet = forms.modelformset_factory(
    InvestmentRow,
    form=InvestmentRowForm,
    formset=TableFormSet,
    extra=1,
    can_delete=True,
)
