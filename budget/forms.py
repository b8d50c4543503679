"""Uppföljning av ekonomi in the browser: one operating area's row, the income statement, the
investments and the economy text. Amounts are typed in mnkr the Swedish way (``1 165,1``,
``−4,5``); deviations and totals are never typed, they are computed (on the server; a small
script shows them while typing)."""

import hashlib
import json

from django import forms

from reporting.forms import TEXT_HELP, Difference, ItemForm, RowLabelsMixin, amount_field
from reporting.numbers import format_number

from .models import (
    BudgetAdjustment,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingBudgetRow,
)

AMOUNT_HELP = "Skriv beloppen i mnkr som vanligt, till exempel 1 165,1 eller −4,5."


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

    amount_help = AMOUNT_HELP

    def __init__(self, *args, adjustments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
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
    """The prose of Uppföljning av ekonomi."""

    class Meta:
        model = EconomyText
        fields = ["analysis"]
        labels = {"analysis": "Text om ekonomin"}
        help_texts = {
            "analysis": "Analysen och de fasta avsnitten (Resultatenheter, Investeringar, "
            "Verksamhetsprojekt …). " + TEXT_HELP
        }
        widgets = {"analysis": forms.Textarea(attrs={"rows": 18})}

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        if not (cleaned.get("analysis") or "").strip():
            return [("analysis", "Skriv texten innan du klarmarkerar.")]
        return []


# -- tables without a version of their own: locked by a fingerprint of all their rows --------


def fingerprint(rows, fields: list[str]) -> str:
    """A hash of the rows as saved: it changes whenever anyone adds, changes or removes a row."""
    content = [[row.pk, *(str(getattr(row, name)) for name in fields)] for row in rows]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


class TableFormSet(RowLabelsMixin, forms.BaseModelFormSet):
    """Rows of one table of one report. The hidden ``fingerprint`` is the state of the table
    when the page was loaded; saving refuses when it changed in between."""

    fields_for_fingerprint: list[str] = []

    def __init__(self, *args, report, **kwargs) -> None:
        kwargs.setdefault(
            "queryset", self.model.objects.filter(report=report).order_by("position", "pk")
        )
        kwargs.setdefault("prefix", "rader")
        super().__init__(*args, **kwargs)
        self.report = report

    def get_form_kwargs(self, index) -> dict:
        return {"report": self.report}

    @property
    def saved_fingerprint(self) -> str:
        return fingerprint(self.get_queryset(), self.fields_for_fingerprint)

    def save_rows(self) -> None:
        """Save (with ``save()``) in the order shown, numbering the rows 1, 2, 3 …"""
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
            row.position = position
            row.save()


class TableRowForm(forms.ModelForm):
    def __init__(self, *args, report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.report = report


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


INCOME_FIELDS = ["label", "kind", "budget", "outcome", "previous_budget", "previous_outcome"]
INVESTMENT_FIELDS = ["category", "budget", "outcome", "forecast", "previous_forecast"]

IncomeStatementFormSet = forms.modelformset_factory(
    IncomeStatementRow,
    form=IncomeStatementRowForm,
    formset=TableFormSet,
    extra=1,
    can_delete=True,
)
IncomeStatementFormSet.fields_for_fingerprint = INCOME_FIELDS

InvestmentFormSet = forms.modelformset_factory(
    InvestmentRow,
    form=InvestmentRowForm,
    formset=TableFormSet,
    extra=1,
    can_delete=True,
)
InvestmentFormSet.fields_for_fingerprint = INVESTMENT_FIELDS
