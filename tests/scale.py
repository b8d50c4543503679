"""The demo report at N times its size, for query-count pins and the benchmark.

``scaled_document(n)`` is the demo's interchange document (VB 2019, Socialnämnden) with its goal
tree n times over (every direction goal with all below it, renumbered: copy k of goal "1" is
"1" + 3k, and so on down) and its operating budget n times over (areas renamed "… 2", "… 3");
titles of copies get " (del k)". ``import_scaled_demo(n)`` imports it and returns the report.
n = 1 gives the demo itself.
"""

import copy
import json
from pathlib import Path

from django.conf import settings

DEMO = Path(settings.BASE_DIR) / "fixtures" / "example-vb-2019-socialnamnden.json"


def demo_document() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def _renumber(number: str, old: str, new: str) -> str:
    if number == old:
        return new
    if number.startswith(old + "."):
        return new + number[len(old) :]
    return number


def _copy_goal(goal: dict, old: str, new: str, k: int) -> dict:
    goal = copy.deepcopy(goal)

    def walk(node: dict) -> None:
        if "number" in node:
            node["number"] = _renumber(node["number"], old, new)
        node["title"] = f"{node['title']} (del {k + 1})"
        for child in (*node.get("area_goals", ()), *node.get("board_goals", ())):
            walk(child)
        for commitment in node.get("commitments", ()):
            commitment["title"] = f"{commitment['title']} (del {k + 1})"

    walk(goal)
    return goal


def scaled_document(n: int) -> dict:
    """The demo's document with its goals and operating budget ``n`` times over."""
    document = demo_document()
    if n <= 1:
        return document
    goals = document["direction_goals"]
    width = len(goals)
    copies = list(goals)
    for k in range(1, n):
        for goal in goals:
            new = str(int(goal["number"].rstrip(".")) + width * k)
            copies.append(_copy_goal(goal, goal["number"].rstrip("."), new, k))
    document["direction_goals"] = copies
    economy = document.get("economy") or {}
    rows = economy.get("operating_budget") or []
    scaled_rows = list(rows)
    for k in range(1, n):
        for row in rows:
            row = copy.deepcopy(row)
            row["area"] = f"{row['area']} {k + 1}"
            scaled_rows.append(row)
    if rows:
        economy["operating_budget"] = scaled_rows
    return document


def import_scaled_demo(n: int):
    """Import the demo at ``n`` times its size; returns the report."""
    from reporting.interchange import import_report

    return import_report(scaled_document(n))
