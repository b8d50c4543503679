"""An indicator's status against its annual target: met, close, or not met.

The city's rule of thumb: a strong result in the right direction is "helt", a weak one
"delvis". Close means within ``CLOSE_SHARE`` of the target on the wrong side. Without a
numeric outcome, a numeric target or a direction there is no status.
"""

from decimal import Decimal

from django.db import models

CLOSE_SHARE = Decimal("0.10")


class TargetStatus(models.TextChoices):
    MET = "met", "Målet nås"
    CLOSE = "close", "Nära målet"
    NOT_MET = "not_met", "Målet nås inte"


def target_status(outcome, target, direction: str | None) -> TargetStatus | None:
    if not isinstance(outcome, Decimal) or not isinstance(target, Decimal) or not direction:
        return None
    higher = direction == "higher_is_better"
    if (outcome >= target) if higher else (outcome <= target):
        return TargetStatus.MET
    margin = abs(target) * CLOSE_SHARE
    gap = (target - outcome) if higher else (outcome - target)
    return TargetStatus.CLOSE if gap <= margin else TargetStatus.NOT_MET
