from decimal import Decimal as D

import pytest

from indicators.status import TargetStatus, target_status


@pytest.mark.parametrize(
    ("outcome", "target", "direction", "expected"),
    [
        (D("86"), D("80"), "higher_is_better", TargetStatus.MET),
        (D("80"), D("80"), "higher_is_better", TargetStatus.MET),
        (D("75"), D("80"), "higher_is_better", TargetStatus.CLOSE),
        (D("64"), D("75"), "higher_is_better", TargetStatus.NOT_MET),
        (D("5.2"), D("5.5"), "lower_is_better", TargetStatus.MET),
        (D("5.9"), D("5.5"), "lower_is_better", TargetStatus.CLOSE),
        (D("7"), D("5.5"), "lower_is_better", TargetStatus.NOT_MET),
    ],
)
def test_status_follows_the_direction(outcome, target, direction, expected):
    assert target_status(outcome, target, direction) == expected


@pytest.mark.parametrize(
    ("outcome", "target", "direction"),
    [
        (None, D("80"), "higher_is_better"),
        (D("80"), "Tas fram av nämnden", "higher_is_better"),
        (D("80"), D("75"), None),
        ("ej mätt", D("75"), "higher_is_better"),
    ],
)
def test_no_status_without_numbers_and_direction(outcome, target, direction):
    assert target_status(outcome, target, direction) is None
