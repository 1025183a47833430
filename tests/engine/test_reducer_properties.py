"""The reducer is a pure fold: same events, same state; prefix then rest equals the whole."""

from __future__ import annotations

import copy

from drillgen import SCENARIO, WALL0, actions, generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drilltui.engine import apply, fold
from drilltui.engine.state import DrillState

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(actions)
def test_fold_is_deterministic(steps) -> None:
    events = generate(steps)
    assert fold(SCENARIO, events) == fold(SCENARIO, events)


@SETTINGS
@given(actions, st.data())
def test_prefix_then_rest_equals_whole(steps, data) -> None:
    events = generate(steps)
    cut = data.draw(st.integers(0, len(events)))
    prefix = fold(SCENARIO, events[:cut])
    before = copy.deepcopy(prefix)
    whole = fold(SCENARIO, events)
    assert fold(SCENARIO, events[cut:], prefix) == whole
    assert prefix == before, "folding on from a state changed that state"
    # Folding the rest twice from the same prefix (a seek, then another) gives the same state.
    assert fold(SCENARIO, events[cut:], prefix) == whole


@SETTINGS
@given(actions)
def test_drill_time_never_goes_backwards(steps) -> None:
    events = generate(steps)
    state = DrillState.initial(SCENARIO)
    last = 0.0
    for e in events:
        state = apply(state, e)
        assert state.last_drill_time >= last
        last = state.last_drill_time
        wall = WALL0 + 10_000
        assert state.drill_time(wall) >= last


@SETTINGS
@given(actions, st.data())
def test_fold_is_apply_event_by_event_and_keeps_what_it_started_from(steps, data) -> None:
    events = generate(steps)
    cut = data.draw(st.integers(0, len(events)))
    start = fold(SCENARIO, events[:cut])
    before = copy.deepcopy(start)
    stepped = [start]
    for event in events[cut:]:
        stepped.append(apply(stepped[-1], event))
    shown = [copy.deepcopy(s) for s in stepped]
    assert fold(SCENARIO, events[cut:], start) == stepped[-1]
    assert start == before and stepped == shown, "folding changed a state someone holds"


def test_every_mapping_of_the_state_takes_keyed_changes() -> None:
    # A reducer returns only the keys it changes in these; a mapping left out would be replaced by that change.
    from drilltui.engine.reducer import KEYED

    state = DrillState.initial(SCENARIO)
    assert KEYED == {name for name, value in vars(state).items() if isinstance(value, dict)}


@SETTINGS
@given(actions)
def test_a_whole_board_at_once_is_each_role_asked_alone(steps) -> None:
    """The role board and the tree take every role's open items and asks in one pass: the same lists, in order."""
    state = DrillState.initial(SCENARIO)
    for event in generate(steps):
        state = apply(state, event)
        held, asks = state.open_by_holder(), state.asks_by_holder()
        for role in [r.id for r in SCENARIO.roles] + ["control", "nobody"]:
            assert held.get(role, []) == state.open_items(role)
            assert asks.get(role, []) == state.open_asks(role)
        assert sum(map(len, held.values())) == sum(1 for i in state.injects.values() if i.open)
