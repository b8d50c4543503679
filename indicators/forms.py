"""The figures of one indicator in one report, typed the Swedish way.

Rules, also told to the person in the form's help texts:

- A figure is a number (``1 165,1``, ``0,03 %``, ``−4,5``). Text in its place ("Uppgift
  saknas", "Mäts i VB") is taken only when the box "Text i stället för tal" beside the field is
  ticked. The box starts ticked where the figure already is a text, so a text figure stays a
  text until someone unticks it. An unreadable number is never silently saved as text.
- Unlikely values are stopped until confirmed: a percentage outside 0–100, and a total that
  does not fit the gender split (for a count, unit "st", the total is men + women; for a rate,
  an index or any other unit, it lies between the two). The form shows the message at the
  field and a box "Jag bekräftar värdet"; saving again with it ticked accepts, and records who
  confirmed the figures and when (``IndicatorValue.confirm``): the form and the review show
  the value as confirmed while the figures stay the same. Only values that changed are
  stopped; an unlikely value already stored and not confirmed (an import, say) is pointed out
  above the box, which confirms it.
- Where the indicator requires a gender split and a numeric outcome is given, the outcome for
  men/boys and women/girls must be given too (a number, or a text such as "Uppgift saknas"):
  an error at those fields that cannot be confirmed away.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting.forms import TEXT_HELP, ItemForm, SwedishDecimalField
from reporting.history import current_user
from reporting.numbers import format_figure, format_number

from .models import FIGURE_DECIMAL_PLACES, FIGURE_MAX_DIGITS, IndicatorValue

FIGURES = ("outcome", "outcome_men", "outcome_women", "forecast")
LABELS = {
    "outcome": "Periodens utfall",
    "outcome_men": "Utfall män/pojkar",
    "outcome_women": "Utfall kvinnor/flickor",
    "forecast": "Prognos helår",
}
AS_TEXT_LABEL = "Text i stället för tal"
CONFIRM_LABEL = "Jag bekräftar värdet"
FIGURE_HELP = (
    "Skriv talet som vanligt, till exempel 1 165,1 eller 0,03 eller −4,5 (punkt går också bra). "
    "Vill du skriva en text i stället, som ”Uppgift saknas”, kryssa i ”Text i stället för tal”."
)
TEXT_HINT = (
    "Är det en text och inte ett tal (till exempel ”Uppgift saknas”)? Kryssa då i "
    "”Text i stället för tal” och spara igen."
)
CONFIRM_HINT = "Stämmer värdet ändå? Kryssa i ”Jag bekräftar värdet” och spara igen."

COUNT_UNITS = {"st"}


def _number_field() -> SwedishDecimalField:
    return SwedishDecimalField(max_digits=FIGURE_MAX_DIGITS, decimal_places=FIGURE_DECIMAL_PLACES)


class IndicatorValueForm(ItemForm):
    """Periodens utfall, utfall män/pojkar, utfall kvinnor/flickor, prognos helår and analys
    of one indicator (see the module's docstring for the rules)."""

    figure_help = FIGURE_HELP
    confirm = forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text="Kryssa i om ett värde som ser orimligt ut ändå är rätt, och spara igen.",
    )

    class Meta:
        model = IndicatorValue
        fields = ["analysis"]
        labels = {"analysis": "Analys"}
        help_texts = {"analysis": TEXT_HELP}
        widgets = {"analysis": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = self.instance.indicator
        self.unit = (self.indicator.unit or "").strip()
        self.original = {name: self.instance.get_figure(name) for name in FIGURES}
        self.figures: dict[str, Decimal | str | None] = {}
        self.needs_confirmation = False
        self.confirming = False  # the box ticked for figures that need it: recorded on save
        self.doubts: list[tuple[str, str, bool]] = []  # (field, message, whether it changed)
        for name in FIGURES:
            stored = self.original[name]
            self.fields[name] = forms.CharField(
                label=f"{LABELS[name]} ({self.unit})" if self.unit else LABELS[name],
                required=False,
                max_length=200,
                widget=forms.TextInput(
                    attrs={
                        "autocomplete": "off",
                        "spellcheck": "false",
                        "class": "figure-input",
                        # a numeric keypad on a phone, unless the figure is a text
                        **({} if isinstance(stored, str) else {"inputmode": "decimal"}),
                    }
                ),
            )
            self.fields[f"{name}_as_text"] = forms.BooleanField(label=AS_TEXT_LABEL, required=False)
            if not self.is_bound:
                self.initial[name] = (
                    format_number(stored) if isinstance(stored, Decimal) else stored or ""
                )
                self.initial[f"{name}_as_text"] = isinstance(stored, str)
        self.stored_doubts = self._stored_doubts()
        if not self.report.is_tertial and not self.original["forecast"]:
            self.fields["forecast"].help_text = "Fylls sällan i för en verksamhetsberättelse."

    @property
    def figure_rows(self) -> list[tuple]:
        """(figure field, its box "Text i stället för tal") in the order of the form."""
        return [(self[name], self[f"{name}_as_text"]) for name in FIGURES]

    @property
    def page_order(self) -> list[str]:
        """The fields in the order the page shows them."""
        return [n for name in FIGURES for n in (name, f"{name}_as_text")] + ["confirm", "analysis"]

    @property
    def show_confirm(self) -> bool:
        """The box "Jag bekräftar värdet" appears with an error it can confirm, with an
        unlikely stored value not yet confirmed (and stays while it is ticked)."""
        return (
            self.needs_confirmation
            or bool(self.stored_doubts)
            or bool(self.is_bound and self["confirm"].value())
        )

    @property
    def confirmation(self):
        """The stored value's confirmation while it holds (who and when), else None."""
        value = self.instance
        return value if value.pk and value.confirmation_holds else None

    def _stored_doubts(self) -> list[str]:
        """The messages of the unlikely values stored now, unless confirmed."""
        if self.confirmation is not None:
            return []
        self.figures = dict(self.original)
        self._check_percent()
        self._check_whole_count()
        self._check_total_fits_split()
        doubts, self.doubts, self.figures = self.doubts, [], {}
        return [message for _, message, _ in doubts]

    def clean(self) -> dict:
        cleaned = self.cleaned_data
        self._clean_figures(cleaned)
        return super().clean()

    def _clean_figures(self, cleaned: dict) -> None:
        number = _number_field()
        for name in FIGURES:
            if name in self.errors:
                continue
            raw = cleaned.get(name) or ""
            if cleaned.get(f"{name}_as_text"):
                self.figures[name] = raw or None
                continue
            try:
                self.figures[name] = number.clean(raw)
            except ValidationError as error:
                self.add_error(name, [*error.messages, TEXT_HINT])
        if any(name in self.errors for name in FIGURES):
            return
        self._check_gender_split()
        self._check_percent()
        self._check_whole_count()
        self._check_total_fits_split()
        if cleaned.get("confirm"):
            self.confirming = bool(self.doubts)
        else:
            for name, message, changed in self.doubts:
                if changed:
                    self._ask_confirmation(name, message + " " + CONFIRM_HINT)

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        parsed = len(self.figures) == len(FIGURES)
        if parsed and self.figures["outcome"] is None and self.figures["forecast"] is None:
            return [
                (
                    "outcome",
                    "Ange utfall eller prognos innan du klarmarkerar (eller en text som "
                    "”Mäts i verksamhetsberättelsen” med rutan ”Text i stället för tal”).",
                )
            ]
        return []

    def _changed(self, *names: str) -> bool:
        return any(self.figures.get(name) != self.original[name] for name in names)

    def _figure(self, value: Decimal) -> str:
        return format_figure(value, self.unit)

    def _check_gender_split(self) -> None:
        if not self.indicator.gender_split_required:
            return
        if not isinstance(self.figures.get("outcome"), Decimal):
            return
        for name, who in (("outcome_men", "män/pojkar"), ("outcome_women", "kvinnor/flickor")):
            if self.figures.get(name) is None:
                self.add_error(
                    name,
                    f"Indikatorn ska redovisas uppdelad på kön: ange utfallet för {who}. "
                    "Finns ingen uppgift, skriv till exempel ”Uppgift saknas” och kryssa i "
                    "”Text i stället för tal”.",
                )

    def _check_percent(self) -> None:
        if self.unit != "%":
            return
        for name in FIGURES:
            value = self.figures.get(name)
            if isinstance(value, Decimal) and not 0 <= value <= 100:
                self._doubt(
                    name,
                    f"{self._figure(value)} ligger utanför 0–100 %, som en andel brukar göra.",
                    self._changed(name),
                )

    def _check_whole_count(self) -> None:
        """A count (unit "st") is a whole number; a fraction is asked about."""
        if self.unit not in COUNT_UNITS:
            return
        for name in FIGURES:
            value = self.figures.get(name)
            fraction = isinstance(value, Decimal) and value != value.to_integral_value()
            if fraction:
                self._doubt(
                    name,
                    f"{self._figure(value)} är inte ett helt antal, som en indikator i "
                    "”st” brukar vara.",
                    self._changed(name),
                )

    def _check_total_fits_split(self) -> None:
        total, men, women = (self.figures.get(n) for n in FIGURES[:3])
        if not all(isinstance(v, Decimal) for v in (total, men, women)):
            return
        changed = self._changed("outcome", "outcome_men", "outcome_women")
        if self.unit in COUNT_UNITS:
            if total != men + women:
                self._doubt(
                    "outcome",
                    f"Utfallet {self._figure(total)} är inte summan av män/pojkar och "
                    f"kvinnor/flickor ({format_number(men)} + {format_number(women)} = "
                    f"{self._figure(men + women)}).",
                    changed,
                )
        elif not min(men, women) <= total <= max(men, women):
            self._doubt(
                "outcome",
                f"Utfallet {self._figure(total)} ligger utanför intervallet mellan män/pojkar "
                f"({self._figure(men)}) och kvinnor/flickor ({self._figure(women)}), där en "
                "andel eller ett index för alla brukar ligga.",
                changed,
            )

    def _doubt(self, name: str, message: str, changed: bool) -> None:
        self.doubts.append((name, message, changed))

    def _ask_confirmation(self, name: str, message: str) -> None:
        self.needs_confirmation = True
        self.confirmable = {*getattr(self, "confirmable", ()), name}
        self.add_error(name, message)

    def apply(self, item) -> None:
        super().apply(item)
        for name in FIGURES:
            item.set_figure(name, self.figures.get(name))
        if self.confirming and not item.confirmation_holds:
            item.confirm(current_user(), timezone.now())
