import datetime

import pytest

from themes.choices import Rag
from themes.rag import milestone_rag, rag_dict, slippage_days, worst_rag

BASELINE = datetime.date(2008, 4, 1)


def rag_after(days, tolerance=14, complete=False):
    return milestone_rag(
        complete=complete,
        baseline=BASELINE,
        forecast=BASELINE + datetime.timedelta(days=days),
        tolerance_days=tolerance,
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-30, Rag.GREEN),
        (0, Rag.GREEN),
        (1, Rag.AMBER),
        (13, Rag.AMBER),
        (14, Rag.AMBER),
        (15, Rag.RED),
        (200, Rag.RED),
    ],
)
def test_rag_follows_slippage_against_a_14_day_tolerance(days, expected):
    assert rag_after(days) == expected


def test_zero_tolerance_turns_any_slippage_red():
    assert rag_after(0, tolerance=0) == Rag.GREEN
    assert rag_after(1, tolerance=0) == Rag.RED


def test_complete_milestone_is_complete_however_late():
    assert rag_after(90, complete=True) == Rag.COMPLETE


def test_milestone_without_dates_is_not_started():
    assert (
        milestone_rag(complete=False, baseline=None, forecast=None, tolerance_days=14)
        == Rag.NOT_STARTED
    )
    assert slippage_days(None, BASELINE) is None


def test_theme_picture_is_the_worst_open_rag():
    assert worst_rag(["green", "amber", "complete"]) == Rag.AMBER
    assert worst_rag(["green", "red"]) == Rag.RED
    assert worst_rag(["complete", "complete"]) == Rag.COMPLETE
    assert worst_rag([]) == Rag.NOT_STARTED


def test_rag_dict_carries_text_and_colour():
    assert rag_dict("red") == {"value": "red", "label": "Red", "colour": "red"}
    assert rag_dict(None)["label"] == "Not reported"
