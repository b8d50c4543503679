"""The workspace's outline as a person works through it: collapsed to the direction goals with
their counts, and filtered to "mina", "ej klara", "med anmärkningar" (the review's findings) or
"med kommentarer" (open comments). A view of ``workspace.Outline`` and the review's findings;
it reads nothing itself but the open comments' keys (one query)."""

from collections import Counter
from dataclasses import dataclass

from .models import Comment, Report
from .review.findings import CONFIRMED

FILTERS = {
    "": "Alla",
    "mina": "Mina",
    "ej-klara": "Ej klara",
    "anmarkningar": "Med anmärkningar",
    "kommentarer": "Med kommentarer",
}

# the outline's anchors and the stable keys of the rows they stand for
ANCHOR_KEYS = {
    "mal-": "goals.goalassessment:",
    "indikator-": "indicators.indicatorvalue:",
    "aktivitet-": "goals.activityfollowup:",
    "drift-": "budget.operatingbudgetrow:",
    "avsnitt-": "reporting.section:",
    "ekonomi-delavsnitt-": "budget.economysubsection:",
}
ECONOMY = "Uppföljning av ekonomi"
# the outline's title of a part and the first part of a finding's place
PLACES = {
    "Bedömning av nämndens interna kontroll": "Intern kontroll",
    "Text om ekonomin": ECONOMY,
}


def item_key(item) -> str:
    """The stable key of an outline item (``indicators.indicatorvalue:42``), or ''."""
    key = getattr(item, "key", "")
    if key:
        return key
    for prefix, label in ANCHOR_KEYS.items():
        rest = item.anchor.removeprefix(prefix)
        if rest != item.anchor and rest.isdigit():
            return label + rest
    return ""


@dataclass(frozen=True)
class Shown:
    item: object
    comments: int  # open comments on it


@dataclass(frozen=True)
class Group:
    """A direction goal (``head``) with everything under it; for the other parts, the part's
    items without a head."""

    head: object | None
    items: tuple[Shown, ...]
    ready: int
    total: int


@dataclass(frozen=True)
class PartView:
    part: object
    groups: tuple[Group, ...]
    shown: int


def _number(title: str) -> str:
    return title.split(" ", 1)[0].rstrip(".")


def _places(findings) -> tuple[set[str], set[tuple[str, str]]]:
    """The first parts of the findings' places ("1.1.1", "Intern kontroll") and the (first,
    second) pairs ("3.2", "Aktivt Medskapandeindex")."""
    first, pairs = set(), set()
    for finding in findings:
        parts = [p.strip() for p in finding.location.split("›")]
        first.add(parts[0])
        if len(parts) > 1:
            pairs.add((parts[0], parts[1]))
    return first, pairs


def filtered_parts(outline, report: Report, findings, wanted: str, *, editable: bool):
    """Every part of ``outline`` as ``PartView``: the goals grouped by direction goal, the
    items that pass the filter ``wanted`` (a key of ``FILTERS``; '' keeps all)."""
    comments = Counter(
        Comment.objects.filter(report=report).open().values_list("item_key", flat=True)
    )
    findings = [f for f in findings if f.severity != CONFIRMED]  # a confirmed value is settled
    first, pairs = _places(findings)
    keys = {finding.key for finding in findings if finding.key}

    def has_finding(item, place: str) -> bool:
        if item_key(item) in keys:
            return True
        if item.kind in ("Indikator", "Aktivitet"):
            return (place, item.title) in pairs
        if item.kind in ("Driftbudget", "Tabell"):
            return (ECONOMY, item.title) in pairs
        return place in first

    def keep(item, place: str) -> bool:
        if not item.counts:
            return False
        if wanted == "mina":
            return editable and item.editable
        if wanted == "ej-klara":
            return item.state != "ready"
        if wanted == "anmarkningar":
            return has_finding(item, place)
        if wanted == "kommentarer":
            return comments[item_key(item)] > 0
        return True

    views = []
    for part in outline.parts:
        groups: list[list] = []
        place = ""
        for item in part.items:
            if item.kind not in ("Indikator", "Aktivitet"):
                if part.anchor == "del-mal":
                    place = _number(item.title)
                else:
                    place = PLACES.get(item.title, item.title)
            if part.anchor == "del-mal" and item.depth == 0:
                groups.append([item, []])
            elif not groups:
                groups.append([None, []])
            groups[-1][1].append((item, place))
        shaped = []
        for head, members in groups:
            counted = [i for i, _ in members if i.counts]
            shaped.append(
                Group(
                    head,
                    tuple(
                        Shown(i, comments[item_key(i)])
                        for i, p in members
                        if not wanted or keep(i, p)
                    ),
                    sum(1 for i in counted if i.state == "ready"),
                    len(counted),
                )
            )
        shown = sum(1 for g in shaped for s in g.items if s.item.counts)
        views.append(PartView(part, tuple(shaped), shown))
    return views
