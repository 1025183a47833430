"""Replay: the state of a past drill at any event or drill time, by bounded folding.

Snapshots of the state every `every` events mean going to any moment folds at
most `every` events, however long the drill. The reducer is the live one, so a
replay shows exactly what the room saw.

However long the drill, the snapshots are bounded: once there are more than
`MAX_SNAPSHOTS`, every other one is let go and `every` doubles, so a seek in a
million events folds at most 800 (a few milliseconds) and the states kept are
1,250, not 10,000.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence

from drilltui.engine import events as ev
from drilltui.engine.events import Event
from drilltui.engine.reducer import fold
from drilltui.engine.state import DrillState
from drilltui.scenario import Scenario

NOTABLE = (ev.InjectReleased, ev.InjectEscalated, ev.InjectExpired, ev.DecisionTaken)


class Replay:
    """A drill's events with fast access to the state after any of them."""

    # Every 100 events: a seek folds at most 99 (p95 about 2 ms of CPU), and the 1,000 snapshots
    # of a 100,000-event drill cost about 1.5 MB, since unchanged parts of states are shared.
    # (bench/bench_replay.py; every 500 saved 1.4 MB and made seeks four times slower.)
    # Past MAX_SNAPSHOTS (a drill of over 200,000 events at 100) every other snapshot goes and
    # `every` doubles: a million events keep 1,250 snapshots, 800 events apart.
    MAX_SNAPSHOTS = 2000

    def __init__(self, scenario: Scenario, events: Sequence[Event] = (), *, every: int = 100) -> None:
        self.scenario = scenario
        self.every = every
        self.events: list[Event] = []
        self.times = array("d")  # each event's drill time, in order: 8 bytes each
        self.notable: list[int] = []  # indexes into events of releases, escalations, expiries and decisions
        self._snapshots: list[DrillState] = [DrillState.initial(scenario)]  # state after events[: k * every]
        self._last = self._snapshots[0]
        self.extend(events)

    def extend(self, events: Sequence[Event]) -> None:
        """Add events appended since (a drill still running)."""
        state = self._last
        start = 0
        while start < len(events):
            # Up to the next snapshot's place: folded in one go, and that state kept.
            end = min(len(events), start + self.every - len(self.events) % self.every)
            chunk = events[start:end]
            state = fold(self.scenario, chunk, state)
            for event in chunk:
                self.events.append(event)
                self.times.append(event.drill_time)
                if isinstance(event.body, NOTABLE):
                    self.notable.append(len(self.events) - 1)
            if len(self.events) % self.every == 0:
                self._snapshots.append(state)
                if len(self._snapshots) > self.MAX_SNAPSHOTS:
                    del self._snapshots[1::2]  # those left are after multiples of twice `every`
                    self.every *= 2
            start = end
        self._last = state

    def __len__(self) -> int:
        return len(self.events)

    @property
    def end_time(self) -> float:
        return self.times[-1] if self.times else 0.0

    @property
    def final(self) -> DrillState:
        return self._last

    def state_after(self, count: int) -> DrillState:
        """The state after the first `count` events (0 = before any)."""
        count = max(0, min(count, len(self.events)))
        if count == len(self.events):
            return self._last
        k = count // self.every
        return fold(self.scenario, self.events[k * self.every: count], self._snapshots[k])

    def count_at(self, drill_time: float) -> int:
        """How many events had happened by `drill_time` (inclusive)."""
        return bisect.bisect_right(self.times, drill_time)

    def state_at(self, drill_time: float) -> DrillState:
        return self.state_after(self.count_at(drill_time))

    def next_notable(self, count: int) -> int | None:
        """The count just after the next release, escalation, expiry or decision after `count`."""
        k = bisect.bisect_left(self.notable, max(0, count))
        return self.notable[k] + 1 if k < len(self.notable) else None

    def previous_notable(self, count: int) -> int | None:
        """The count just after the last notable event before the one at `count`."""
        k = bisect.bisect_right(self.notable, min(count, len(self.events)) - 2)
        return self.notable[k - 1] + 1 if k else None
