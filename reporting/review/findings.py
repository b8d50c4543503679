"""What the review finds: a ``Finding`` with its ``Severity``."""

from dataclasses import dataclass

from django.db import models


class Severity(models.TextChoices):
    """How much a finding weighs: an error blocks submission and approval, a warning does not;
    a confirmed value ("Jag bekräftar värdet", with who and when) is only shown."""

    ERROR = "error", "Fel"
    WARNING = "warning", "Varning"
    CONFIRMED = "confirmed", "Bekräftat"


ERROR = Severity.ERROR
WARNING = Severity.WARNING
CONFIRMED = Severity.CONFIRMED
# headings of the review page's groups
SEVERITY_LABELS = {ERROR: "Fel", WARNING: "Varningar", CONFIRMED: "Bekräftade värden"}


# What makes a report wrong or incomplete, and only that, is an error (it blocks submission and
# needs a written justification to approve): a missing mandatory assessment, outcome or gender
# split, a total that does not fit its split, a figure of a proposed decision not found in the
# report, a given total that does not fit its rows. Wording, style, draft marks and everything
# a machine can only suspect are warnings, whatever a rule asks for (``severity_for``).
ERROR_KINDS = frozenset(
    {
        "missing_assessment",
        "missing_outcome",
        "missing_gender_split",
        "split_mismatch",
        "decision_figure_not_in_report",
        "given_total_mismatch",
    }
)


def severity_for(code: str, wanted: str) -> str:
    """The severity a finding gets: an error only for a kind in ``ERROR_KINDS``; a confirmed
    value stays confirmed."""
    if wanted == CONFIRMED:
        return CONFIRMED
    return ERROR if wanted == ERROR and code in ERROR_KINDS else WARNING


@dataclass(frozen=True)
class Finding:
    """One thing the review found: ``severity`` "error" (blocks) or "warning"."""

    severity: str
    code: str
    message: str
    location: str
    anchor: str = ""
    key: str = ""  # the key of the item it is about (``reporting.tree.item_key``), when known

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "location": self.location,
            "anchor": self.anchor,
            "key": self.key,
        }


def has_blocking_findings(findings) -> bool:
    """Whether any finding is an error: the report may then not be submitted or approved."""
    return any(finding.severity == ERROR for finding in findings)
