from django import forms

from reporting.forms import TEXT_HELP, ItemForm, radio_choices

from .models import ActivityFollowUp, Assessment, GoalAssessment


class ExpectedResultsField(forms.CharField):
    """Förväntat resultat: a list of strings (stored as JSON) edited as a textarea with one
    item per line. Blank lines and surrounding spaces are dropped."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Förväntat resultat")
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "En punkt per rad.")
        super().__init__(**kwargs)

    def prepare_value(self, value) -> str:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return "" if value is None else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class GoalAssessmentForm(ItemForm):
    """A goal's assessment and analysis in one report, at any level of the goal model. The
    assessment's labels are worded as the report prints them: "Uppfylls helt", or "Bedöms
    uppfyllas helt" in a tertial report whose template says so."""

    class Meta:
        model = GoalAssessment
        fields = ["assessment", "analysis"]
        labels = {"assessment": "Bedömning", "analysis": "Analys"}
        help_texts = {"analysis": TEXT_HELP}
        widgets = {"analysis": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        forecast = self.report.forecast_wording
        field = self.fields["assessment"]
        field.choices = radio_choices(
            [(value, Assessment.label_for(value, forecast=forecast)) for value in Assessment.values]
        )
        field.widget = forms.RadioSelect(choices=field.choices)

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        problems = []
        if not cleaned.get("assessment"):
            problems.append(("assessment", "Välj en bedömning innan du klarmarkerar."))
        if not (cleaned.get("analysis") or "").strip():
            problems.append(("analysis", "Skriv en analys innan du klarmarkerar."))
        return problems


class ActivityFollowUpForm(ItemForm):
    """An activity's status, deviation (avvikelse) and analysis in one report."""

    class Meta:
        model = ActivityFollowUp
        fields = ["status", "deviation", "analysis"]
        labels = {"status": "Status", "deviation": "Avvikelse", "analysis": "Analys"}
        help_texts = {
            "deviation": "Vad som är försenat eller ändrat jämfört med planen.",
            "analysis": TEXT_HELP,
        }
        widgets = {
            "deviation": forms.Textarea(attrs={"rows": 3}),
            "analysis": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        field.choices = radio_choices(ActivityFollowUp.Status.choices, "Ingen status angiven")
        field.widget = forms.RadioSelect(choices=field.choices)

    def ready_problems(self, cleaned: dict) -> list[tuple[str | None, str]]:
        if not cleaned.get("status"):
            return [("status", "Välj en status innan du klarmarkerar.")]
        return []
