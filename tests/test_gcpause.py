"""gc_paused puts the collector back as it found it, even when the block raises."""

from __future__ import annotations

import gc

import pytest
from samples import MINIMAL

from drilltui.engine import fold
from drilltui.gcpause import gc_paused
from drilltui.scenario import loads


def test_the_collector_is_off_inside_and_back_on_after_even_on_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_fold_leaves_the_collector_on() -> None:
    fold(loads(MINIMAL), [])
    assert gc.isenabled()
