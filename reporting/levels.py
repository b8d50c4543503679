"""The goal levels in one place, and what a row that hangs on a goal has in common.

The plan's goals form four levels: KF:s inriktningsmål (``direction_goal``) → KF:s mål för
verksamhetsområdet (``area_goal``) → nämndmål (``board_goal``) → åtagande (``commitment``).
``GoalLevel`` names each level (its Swedish label), its parent level and the ``select_related``
chain from a row that points at a goal of the level up to its direction goal.

``AttachedToGoal`` is the abstract model of everything that hangs on exactly one goal: an
indicator, an activity, a responsibility, a goal's assessment. Each keeps its own foreign keys
(named after the levels, with their own ``related_name`` and ``on_delete``) and lists the levels
it may hang on in ``GOAL_LEVELS``; ``goal_level`` and ``goal`` answer "which goal does this row
hang on" for all of them.
"""

import re
from typing import ClassVar

from django.db import models


class GoalLevel(models.TextChoices):
    DIRECTION_GOAL = "direction_goal", "KF:s inriktningsmål"
    AREA_GOAL = "area_goal", "KF:s mål för verksamhetsområdet"
    BOARD_GOAL = "board_goal", "Nämndmål"
    COMMITMENT = "commitment", "Åtagande"

    @property
    def parent(self) -> "GoalLevel | None":
        """The level above: a board goal's is ``area_goal``; a direction goal has none."""
        return _PARENTS[self.value]

    @property
    def chain(self) -> str:
        """The ``select_related`` path from a row pointing at a goal of this level up to its
        direction goal: ``board_goal__area_goal__direction_goal``."""
        level: GoalLevel | None = self
        names = []
        while level is not None:
            names.append(level.value)
            level = level.parent
        return "__".join(names)

    def goal_title(self, goal) -> str:
        """How a goal of this level is named in the app: "1. Title" (a direction goal), "1.1.1
        Title", or a commitment's own title."""
        if self == GoalLevel.COMMITMENT:
            return goal.title
        separator = ". " if self == GoalLevel.DIRECTION_GOAL else " "
        return f"{goal.number}{separator}{goal.title}"

    def number(self, goal) -> str:
        """The goal's number; a commitment has none of its own and takes its board goal's."""
        if self == GoalLevel.COMMITMENT:
            return goal.board_goal.number
        return goal.number


_PARENTS = {
    "direction_goal": None,
    "area_goal": GoalLevel.DIRECTION_GOAL,
    "board_goal": GoalLevel.AREA_GOAL,
    "commitment": GoalLevel.BOARD_GOAL,
}

GOAL_LEVELS: tuple[GoalLevel, ...] = tuple(GoalLevel)
LEVEL_LABELS = {level.value: level.label for level in GoalLevel}


def goal_chains(prefix: str = "", levels=GOAL_LEVELS) -> list[str]:
    """``select_related`` paths that load, with one query, the goal a row hangs on and every
    goal above it: ``goal_chains("indicator__")`` for indicator values."""
    return [f"{prefix}{level.chain}" for level in levels]


def number_key(number: str | None) -> tuple:
    """'1.10' after '1.9': a goal number compared part by part."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\s]+", number or "")
    )


def goal_anchor(number: str | None) -> str:
    """The id of a goal's heading on the report page and in the PDF: ``1.4.1`` -> ``mal-1-4-1``
    (``3.1.1.`` -> ``mal-3-1-1``, ``1.4.A`` -> ``mal-1-4-a``)."""
    parts = re.findall(r"[0-9A-Za-z]+", number or "")
    return "mal-" + "-".join(parts).lower()


class AttachedToGoal(models.Model):
    """A row that hangs on exactly one goal (a check constraint of each model says so)."""

    GOAL_LEVELS: ClassVar[tuple[GoalLevel, ...]] = (
        GoalLevel.AREA_GOAL,
        GoalLevel.BOARD_GOAL,
        GoalLevel.COMMITMENT,
    )

    class Meta:
        abstract = True

    @property
    def goal_level(self) -> GoalLevel | None:
        """The level of the goal the row hangs on (None for a row that may hang on something
        else, such as a responsibility for an operating area)."""
        for level in self.GOAL_LEVELS:
            if getattr(self, f"{level.value}_id", None) is not None:
                return level
        return None

    @property
    def goal(self):
        """The goal the row hangs on (loads it unless ``select_related`` did)."""
        level = self.goal_level
        return getattr(self, level.value) if level is not None else None

    @classmethod
    def goal_chains(cls, prefix: str = "") -> list[str]:
        """The ``select_related`` paths of this model's goal levels (see ``goal_chains``)."""
        return goal_chains(prefix, cls.GOAL_LEVELS)
