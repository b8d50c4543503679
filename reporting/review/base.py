"""What every rule module shares: the state of one review run and the two calls every rule
makes, ``add`` (a finding) and ``text`` (every rule about text, ``reporting.review.texts``)."""

from collections.abc import Callable
from datetime import date

from ..document import IndicatorData, ReportData
from .common import _Place, _SimilarIndex
from .findings import Finding, severity_for


class Rules:
    """The base of the rule modules' classes (``engine._Review`` combines them)."""

    data: ReportData
    today: date
    vb: bool  # a verksamhetsberättelse
    vp: bool  # a verksamhetsplan: no outcomes yet
    found: list[Finding]
    seen: set[Finding]
    stock: set[str]
    stock_variants: dict[str, bool]
    stock_index: _SimilarIndex
    colleagues: list[str]
    direction_titles: list[str]

    def add(self, severity: str, code: str, message: str, place: _Place) -> None:
        severity = severity_for(code, severity)
        finding = Finding(severity, code, message, place.location, place.anchor, place.key)
        if finding not in self.seen:
            self.seen.add(finding)
            self.found.append(finding)

    def text(
        self,
        text: str | None,
        place: _Place,
        *,
        table_follows: bool | Callable[[str | None], bool] = False,
        indicator: IndicatorData | None = None,
    ) -> None:
        raise NotImplementedError  # reporting.review.texts.TextRules.text

    def personal_data(self, line: str, place: _Place) -> None:
        raise NotImplementedError  # reporting.review.personal_data.PersonalDataRules
