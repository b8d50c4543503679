from django import forms


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
