"""Where a finding of the review leads: its place on the report page (``#anchor``) and, for a
person who may change that item of a draft now, its data-entry form.

A finding carries the key of its item (``reporting.tree.item_key``); both links are a lookup of
that key in the report's tree, never a reading of the finding's location text. A finding without
a key (a review of data read from a document) links to the page only, at the part its location
names."""

from dataclasses import dataclass

from django.urls import reverse

from .access import EditScope
from .document import ReportData
from .models import Report
from .review import Finding
from .tree import ReportTree, load_tree

SEPARATOR = " › "
PAGE_ANCHORS = {
    "Sammanfattande analys": "sammanfattande-analys",
    "Uppföljning av ekonomi": "ekonomi",
    "Intern kontroll": "intern-kontroll",
}


@dataclass(frozen=True)
class FindingLink:
    finding: Finding
    page_url: str  # the report page, at the item when it has an anchor there
    form_url: str = ""  # the item's form, when the person may change it now


def page_anchor(finding: Finding, data: ReportData, tree: ReportTree | None = None) -> str:
    """The id of the heading the finding's item is under on the report page."""
    if finding.anchor:
        return finding.anchor
    node = tree.get(finding.key) if tree is not None and finding.key else None
    if node is not None:
        return node.anchor
    first = finding.location.split(SEPARATOR)[0]
    if first in PAGE_ANCHORS:
        return PAGE_ANCHORS[first]
    for number, section in enumerate(data.other_sections, start=1):
        if section.title == first:
            return f"avsnitt-{number}"
    return ""


def form_url(finding: Finding, tree: ReportTree, scope: EditScope) -> str:
    """The form of the finding's item, when ``scope`` covers it."""
    node = tree.get(finding.key) if finding.key else None
    if node is None or not node.covered_by(scope):
        return ""
    return node.form_url(tree.report)


def finding_links(
    report: Report,
    data: ReportData,
    findings,
    scope: EditScope,
    *,
    editable: bool,
    tree: ReportTree | None = None,
) -> list[FindingLink]:
    """Each finding with its links; forms only when ``editable`` (the report is a draft the
    person may write) and within ``scope``. ``tree``: the report's tree when already loaded."""
    if tree is None:
        tree = load_tree(report)
    page = reverse("reporting:report_detail", args=[report.pk])
    links = []
    for finding in findings:
        anchor = page_anchor(finding, data, tree)
        form = form_url(finding, tree, scope) if editable else ""
        links.append(FindingLink(finding, f"{page}#{anchor}" if anchor else page, form))
    return links
