"""What the review finds: a ``Finding`` with its ``Severity``."""

from dataclasses import dataclass

from django.db import models


class Severity(models.TextChoices):
    """How much a finding weighs: an error blocks submission and approval, a warning does not."""

    ERROR = "error", "Fel"
    WARNING = "warning", "Varning"


ERROR = Severity.ERROR
WARNING = Severity.WARNING
SEVERITY_LABELS = {ERROR: "Fel", WARNING: "Varningar"}  # headings of the review page's groups


@dataclass(frozen=True)
class Finding:
    """One thing the review found: ``severity`` "error" (blocks) or "warning"."""

    severity: str
    code: str
    message: str
    location: str
    anchor: str = ""

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "location": self.location,
            "anchor": self.anchor,
        }


def has_blocking_findings(findings) -> bool:
    """Whether any finding is an error: the report may then not be submitted or approved."""
    return any(finding.severity == ERROR for finding in findings)
