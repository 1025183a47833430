"""Replay gives the state after any event exactly as folding from the start does."""

from __future__ import annotations

from drillgen import SCENARIO, actions, generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drilltui.engine import fold
from drilltui.engine.replay import Replay


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions, st.integers(1, 7), st.data())
def test_state_after_any_count_equals_a_full_fold(steps, every, data) -> None:
    events = generate(steps)
    replay = Replay(SCENARIO, events, every=every)
    for n in {0, len(events), data.draw(st.integers(0, len(events)))}:
        assert replay.state_after(n) == fold(SCENARIO, events[:n])


@settings(max_examples=50, deadline=None)
@given(actions, st.data())
def test_extend_in_pieces_equals_all_at_once(steps, data) -> None:
    events = generate(steps)
    cut = data.draw(st.integers(0, len(events)))
    a = Replay(SCENARIO, events[:cut], every=3)
    a.extend(events[cut:])
    b = Replay(SCENARIO, events, every=3)
    assert a.final == b.final
    assert all(a.state_after(i) == b.state_after(i) for i in range(len(events) + 1))


@settings(max_examples=50, deadline=None)
@given(actions)
def test_time_and_notable_navigation(steps) -> None:
    events = generate(steps)
    replay = Replay(SCENARIO, events)
    for i, e in enumerate(events):
        assert replay.count_at(e.drill_time) >= i + 1
    n = 0
    seen = []
    while (n := replay.next_notable(n)) is not None:
        seen.append(events[n - 1].kind)
    assert all(k in ("inject_released", "inject_escalated", "inject_expired", "decision_taken") for k in seen)
    notable = [i + 1 for i, e in enumerate(events)
               if e.kind in ("inject_released", "inject_escalated", "inject_expired", "decision_taken")]
    assert len(seen) == len(notable)
    for k, n in enumerate(notable):
        assert replay.previous_notable(n) == (notable[k - 1] if k else None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions, st.integers(1, 3), st.integers(2, 4), st.data())
def test_a_long_drill_keeps_fewer_snapshots_and_still_every_state(steps, every, most, data) -> None:
    """Past MAX_SNAPSHOTS every other snapshot goes and `every` doubles; every state is still the fold's."""
    events = generate(steps)

    class Short(Replay):
        MAX_SNAPSHOTS = most

    cut = data.draw(st.integers(0, len(events)))
    replay = Short(SCENARIO, events[:cut], every=every)
    replay.extend(events[cut:])
    assert len(replay._snapshots) <= most
    assert len(replay._snapshots) == len(events) // replay.every + 1
    for n in range(len(events) + 1):
        assert replay.state_after(n) == fold(SCENARIO, events[:n])
