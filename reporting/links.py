"""Where a finding of the review leads: its place on the report page (``#anchor``) and, for a
person who may change that item of a draft now, its data-entry form.

A finding names its place as a path ("1.1.1 › Andel nöjda … › Analys", "Uppföljning av ekonomi
› Barn och ungdom", "Tjänsteutlåtande › Förslag till beslut 2"); the forms are found by the
longest leading part of that path that names an item of the report, with the titles shortened
as the review shortens them."""

from dataclasses import dataclass

from django.urls import reverse

from budget.models import OperatingBudgetRow
from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue

from .access import EditScope
from .document import ReportData
from .models import Report, Section
from .review import Finding
from .review import _short as short  # the review's own shortening of titles in its places

SEPARATOR = " › "
PAGE_ANCHORS = {
    "Sammanfattande analys": "sammanfattande-analys",
    "Uppföljning av ekonomi": "ekonomi",
    "Intern kontroll": "intern-kontroll",
}
_GOAL_PATHS = (
    "direction_goal",
    "area_goal",
    "board_goal__area_goal",
    "commitment__board_goal__area_goal",
)


@dataclass(frozen=True)
class FindingLink:
    finding: Finding
    page_url: str  # the report page, at the item when it has an anchor there
    form_url: str = ""  # the item's form, when the person may change it now


def _goal_path(level: str, goal) -> tuple[str, ...]:
    """The leading part of a finding's location for a goal: its number, and for a commitment
    also its shortened title."""
    if level == "commitment":
        return (goal.board_goal.number, short(goal.title, 60))
    return (goal.number,)


def _level(owner) -> str:
    for level in ("direction_goal", "area_goal", "board_goal", "commitment"):
        if getattr(owner, f"{level}_id", None):
            return level
    raise ValueError(f"{owner!r} hör inte till något mål.")


def form_urls(report: Report, scope: EditScope) -> dict[tuple[str, ...], str]:
    """Location paths of the report's items that ``scope`` covers, with the URL of each form."""
    urls: dict[tuple[str, ...], str] = {}
    pk = report.pk

    for row in GoalAssessment.objects.filter(report=report).select_related(*_GOAL_PATHS):
        level = _level(row)
        if scope.covers_goal(level, getattr(row, level)):
            path = _goal_path(level, getattr(row, level))
            urls[path] = reverse("goals:goal_assessment_edit", args=[pk, row.pk])

    for rows, owner, name, title in (
        (IndicatorValue.objects, "indicator", "indicators:indicator_value_edit", "name"),
        (ActivityFollowUp.objects, "activity", "goals:activity_follow_up_edit", "title"),
    ):
        related = [owner, *(f"{owner}__{path}" for path in _GOAL_PATHS[1:])]
        for row in rows.filter(report=report).select_related(*related):
            item = getattr(row, owner)
            level = _level(item)
            goal = getattr(item, level)
            if scope.covers_goal(level, goal):
                path = (*_goal_path(level, goal), short(getattr(item, title), 60))
                urls[path] = reverse(name, args=[pk, row.pk])

    for row in OperatingBudgetRow.objects.filter(report=report).select_related("area"):
        if scope.covers_area(row.area_id):
            path = ("Uppföljning av ekonomi", row.area.name)
            urls[path] = reverse("budget:operating_budget_row_edit", args=[pk, row.pk])

    if scope.everything:
        urls[("Sammanfattande analys",)] = reverse("reporting:summary_edit", args=[pk])
        urls[("Uppföljning av ekonomi",)] = reverse("budget:economy_text_edit", args=[pk])
        urls[("Intern kontroll",)] = reverse("reporting:internal_control_edit", args=[pk])
        urls[("Tjänsteutlåtande",)] = reverse("reporting:cover_memo_edit", args=[pk])
        for section in _other_sections(report):
            urls.setdefault(
                (section.title,), reverse("reporting:section_edit", args=[pk, section.pk])
            )
    return urls


def _other_sections(report: Report) -> list[Section]:
    """The sections under Övrigt in the order of the document."""
    return list(
        Section.objects.filter(report=report, kind=Section.Kind.OTHER).order_by("position", "pk")
    )


def page_anchor(finding: Finding, data: ReportData) -> str:
    if finding.anchor:
        return finding.anchor
    first = finding.location.split(SEPARATOR)[0]
    if first in PAGE_ANCHORS:
        return PAGE_ANCHORS[first]
    for number, section in enumerate(data.other_sections, start=1):
        if section.title == first:
            return f"avsnitt-{number}"
    return ""


def finding_links(
    report: Report, data: ReportData, findings, scope: EditScope, *, editable: bool
) -> list[FindingLink]:
    """Each finding with its links; forms only when ``editable`` (the report is a draft the
    person may write) and within ``scope``."""
    page = reverse("reporting:report_detail", args=[report.pk])
    forms = form_urls(report, scope) if editable else {}
    links = []
    for finding in findings:
        anchor = page_anchor(finding, data)
        parts = tuple(finding.location.split(SEPARATOR))
        form = next((forms[parts[:n]] for n in range(len(parts), 0, -1) if parts[:n] in forms), "")
        links.append(FindingLink(finding, f"{page}#{anchor}" if anchor else page, form))
    return links
