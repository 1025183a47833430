"""A fold costs the same per event however many injects and roles the drill has."""

from __future__ import annotations

import time

from drilltui.engine import events as ev
from drilltui.engine import fold
from drilltui.engine.events import Event
from drilltui.engine.permissions import actions
from drilltui.engine.state import DrillState
from drilltui.scenario import Scenario, loads

WALL = "2027-01-15T08:00:00.000000Z"


def scenario(n: int) -> Scenario:
    roles = [f"  - {{id: r{i}, title: Role {i}}}" for i in range(n)]
    injects = [f"  - {{id: I{i}, at: {i}s, to: [r{i}], title: Inject {i}}}" for i in range(n)]
    return loads("\n".join(["format: drilltui/1", "id: big", "title: Big", "duration: 2h", "roles:", *roles,
                            "injects:", *injects, ""]))


def drill(s: Scenario, count: int) -> list[Event]:
    """Releases, then notes on injects and status changes, spread over all of them."""
    ids, roles = [i.id for i in s.injects], [r.id for r in s.roles]
    out = [Event(ev.DrillStarted(scenario=s.id, title=s.title), 0.0, WALL, "Ana", roles[0], 1)]
    for k in range(count):
        i, role = ids[k % len(ids)], roles[k % len(roles)]
        body: ev.EventBody = (ev.NoteAdded(text=f"note {k}", inject=i) if k % 2 else
                              ev.RoleStatusChanged(role=role, status="busy", task=f"task {k}"))
        out.append(Event(body, k * 0.1, WALL, "Ana", role, k + 2))
    return out


def best_fold(s: Scenario, events: list[Event]) -> float:
    """The best of three folds from the drill's first state (made beforehand: it is as big as the MSEL)."""
    start = DrillState.initial(s)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        fold(s, events, start)
        times.append(time.perf_counter() - started)
    return min(times)


def test_a_fold_does_not_slow_down_with_the_size_of_the_msel() -> None:
    small, big = scenario(40), scenario(4000)
    # Copying the injects and roles on every event made the big one 7 to 11 times slower.
    ratio = best_fold(big, drill(big, 16000)) / best_fold(small, drill(small, 16000))
    assert ratio < 4, f"a fold over 4,000 injects took {ratio:.1f}x as long as over 40"


def best_offers(s: Scenario) -> float:
    """The best of five asks of what a player may do, mid-drill: every console asks on every redraw."""
    state = fold(s, drill(s, 200), DrillState.initial(s))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        actions(state, "r1", 30.0, inject="I1")
        times.append(time.perf_counter() - started)
    return min(times)


def test_what_a_console_offers_does_not_slow_down_with_the_size_of_the_msel() -> None:
    # The release key tried every planned inject in turn: 4,000 refusals for a player on every redraw, 150x or more.
    ratio = best_offers(scenario(4000)) / best_offers(scenario(40))
    assert ratio < 4, f"asking what a player may do over 4,000 injects took {ratio:.1f}x as long as over 40"
