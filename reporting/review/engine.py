"""One review run: walks the report in document order and collects what the rule modules find."""

import difflib
from datetime import date

from ..assemble import (
    ReportData,
    build_report_data,
)
from ..models import Period
from .common import _colleague_names, _Place, _stock_sentences
from .economy import EconomyRules
from .findings import ERROR, Finding, severity_for
from .goals import GoalRules
from .personal_data import PersonalDataRules
from .sections import SectionRules
from .texts import TextRules


class _Review(SectionRules, GoalRules, EconomyRules, TextRules, PersonalDataRules):
    """One review: walks the report in document order and collects what the rules find."""

    def __init__(self, data: ReportData, today: date) -> None:
        self.data = data
        self.today = today
        self.vb = data.period == Period.VB
        self.vp = data.period == Period.VP
        self.found: list[Finding] = []
        self.stock = _stock_sentences(data)
        self.stock_variants: dict[str, bool] = {}
        self.stock_matchers = [difflib.SequenceMatcher(None, b=s) for s in sorted(self.stock)]
        self.colleagues = _colleague_names(data)
        self.direction_titles = [g.title for g in data.direction_goals]

    def run(self) -> list[Finding]:
        self.cover()
        self.summary()
        for goal in self.data.direction_goals:
            self.direction_goal(goal)
        self.economy(self.data.economy)
        self.internal_control()
        self.sections()
        # sorted() is stable: within a severity the findings stay in document order
        return sorted(self.found, key=lambda finding: finding.severity != ERROR)

    def add(self, severity: str, code: str, message: str, place: _Place) -> None:
        severity = severity_for(code, severity)
        finding = Finding(severity, code, message, place.location, place.anchor)
        if finding not in self.found:
            self.found.append(finding)


def review_report(report_or_data, *, today: date | None = None) -> list[Finding]:
    """The findings of a report (a ``Report`` or its ``ReportData``), errors first, then in
    document order. ``today`` decides which activities are past their end date in T1/T2."""
    if isinstance(report_or_data, ReportData):
        data = report_or_data
    else:
        data = build_report_data(report_or_data)
    return _Review(data, today or date.today()).run()
