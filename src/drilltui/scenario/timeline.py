"""The plan on a time axis, worked out off the screen: lanes, times, triggers, deadline chains and load windows.

Pure data from a loaded Scenario: no Textual, no clock, no I/O. An inject's
time is the earliest drill time the plan can release it: `at`, or its parent's
time plus `delay` for an `after` trigger. A trigger that waits on the players
(acknowledged, resolved, escalated, a decision) gives an earliest time only
(`exact` is False); one that follows a release or a deadline (released,
expired) is as exact as its parent. Manual injects, and whatever hangs from
them, have no planned time: they sit on the bench.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from drilltui.scenario.model import Inject, Scenario

WINDOW = 600  # seconds in one load window (injects per 10 minutes)
THRESHOLD = 6  # more injects than this in one window, for one lane, is marked as a busy window

# What kind of link an `after` trigger is, by what it waits for.
SEQUENCE = "sequence"  # released: follows its parent as surely as the parent comes
RESPONSE = "response"  # acknowledged, resolved: comes once the players answer
BRANCH = "branch"  # a decision option, expired, escalated: one way the drill may go, or not


@dataclass(frozen=True)
class Lane:
    """One row of the chart: a role, or an outside party the SimCell plays (`from: SimCell as ...`)."""

    id: str  # the role id, or "party:<name>"
    title: str
    kind: str  # a role kind (player, controller, ...) or "party"


@dataclass(frozen=True)
class Edge:
    """An `after` trigger: `child` comes `delay` after `parent` reaches `on`."""

    parent: str
    child: str
    on: str  # the trigger as written: released, acknowledged, ..., decision:<option>
    delay: int
    link: str  # SEQUENCE, RESPONSE or BRANCH


class Step(NamedTuple):
    """One level of an inject's deadline chain: unacknowledged by `role` at `deadline`, it climbs to `to`.

    A named tuple: a large plan makes thousands, and a tuple is made several times faster than a frozen dataclass.
    """

    role: str
    deadline: int  # drill time at which it is overdue (from the planned release)
    to: str | None  # the role it escalates to; None at a root, where it stays


@dataclass(frozen=True)
class Placed:
    """An inject with its place on the chart."""

    inject: Inject
    time: int | None  # earliest planned release; None on the bench
    exact: bool  # the time does not wait on anyone's answer
    lanes: tuple[str, ...]  # the lanes it is drawn in: its roles, then its outside party
    edge: Edge | None  # the trigger from its parent
    chain: tuple[Step, ...]  # its deadlines, one per level, if it is not acknowledged
    why_bench: str = ""  # on the bench: why it has no time

    @property
    def id(self) -> str:
        return self.inject.id

    def escalation_lines(self) -> list[str]:
        """The chain in words: `I-1 unacknowledged by soc at T+00:03:00 -> escalates to lead`."""
        from drilltui.scenario.durations import format_drill_time, format_duration

        out = []
        for step in self.chain:
            # On the bench there is no planned release: the deadlines count from whenever it comes.
            at = format_drill_time(step.deadline) if self.time is not None else f"release + {format_duration(step.deadline)}"
            then = f"escalates to {step.to}" if step.to else "stays there (top of the chain)"
            out.append(f"{self.id} unacknowledged by {step.role} at {at} -> {then}")
        return out


@dataclass(frozen=True)
class Timeline:
    """The whole chart of a scenario: lanes top to bottom, injects in time order, the bench, load per lane."""

    scenario: Scenario
    lanes: tuple[Lane, ...]
    placed: tuple[Placed, ...]  # timed injects, in time order (then file order)
    bench: tuple[Placed, ...]  # manual injects and those that hang from them, in file order
    end: int  # the last drill time on the chart: the duration, or the last inject or deadline past it
    window: int
    threshold: int
    load: dict[str, tuple[int, ...]]  # lane id -> injects released in each window, from T+0
    children: dict[str, tuple[Edge, ...]] = field(repr=False)
    by_id: dict[str, Placed] = field(repr=False)
    by_lane: dict[str, tuple[Placed, ...]] = field(repr=False)  # each lane's timed injects, in time order

    @property
    def order(self) -> tuple[Placed, ...]:
        """Every inject in stepping order: the timed ones by time, then the bench."""
        return self.placed + self.bench

    def busy(self, lane: str) -> list[int]:
        """The indexes of the lane's windows with more injects than the threshold."""
        return [k for k, n in enumerate(self.load.get(lane, ())) if n > self.threshold]

    def testing(self, objective: str) -> list[Placed]:
        """The injects that test an objective: listed in it, or with an expectation for one of its tasks."""
        s = self.scenario
        return [p for p in self.order
                if objective in p.inject.objectives
                or any(s.expectation_objectives(p.inject, x) == (objective,) for x in p.inject.expect)]

    def tasks_of(self, placed: Placed) -> list[str]:
        """The critical task ids an inject's expectations evidence, in order, once each."""
        return list(dict.fromkeys(x.task for x in placed.inject.expect if x.task))


def link_of(on: str) -> str:
    if on == "released":
        return SEQUENCE
    if on in ("acknowledged", "resolved"):
        return RESPONSE
    return BRANCH


def party_of(sender: str | None) -> str | None:
    """The outside party the SimCell plays for an inject (`from: SimCell as X`, `X (simulated by SimCell)`), or None."""
    name = (sender or "").strip()
    if name.lower().startswith("simcell as "):
        name = name[len("simcell as "):].strip()
    elif name.lower().endswith("(simulated by simcell)"):
        name = name[: -len("(simulated by simcell)")].strip()
    else:
        return None
    return name or None


def deadline_chain(scenario: Scenario, inject: Inject, released: int) -> tuple[Step, ...]:
    """The deadlines an inject meets if nobody acknowledges it, one per level of the chain of command.

    As the scheduler does it: the inject's own ack_within, else its holder's, on
    release; on each escalation the new holder's, else the inject's own.
    """
    holder = scenario.role(inject.to[0]) if inject.to else None
    if holder is None:
        return ()
    within = scenario.first_wait(inject, holder.id)
    steps: list[Step] = []
    at, seen = released, {holder.id}
    while within is not None:
        at += within
        up = scenario.role(holder.reports_to) if holder.reports_to else None
        steps.append(Step(holder.id, at, up.id if up else None))
        if up is None or up.id in seen:
            break
        seen.add(up.id)
        holder = up
        within = scenario.escalated_wait(inject, up.id)
    return tuple(steps)


def layout(scenario: Scenario, *, window: int = WINDOW, threshold: int = THRESHOLD) -> Timeline:
    """Lay out a loaded scenario; never raises on one the loader accepted."""
    roles = {r.id for r in scenario.roles}
    simcell = next((r.id for r in scenario.roles if r.kind == "simcell"), None)
    parties: dict[str, None] = {}

    edges: dict[str, Edge] = {}
    children: dict[str, list[Edge]] = {}
    for inject in scenario.injects:
        if inject.after is not None:
            t = inject.after
            edge = Edge(t.inject, inject.id, t.label, t.delay, link_of(t.on))
            edges[inject.id] = edge
            children.setdefault(t.inject, []).append(edge)

    times = _times(scenario, edges)
    chains: dict[tuple[str, int | None], tuple[Step, ...]] = {}
    placed: list[Placed] = []
    bench: list[Placed] = []
    end = scenario.duration
    for inject in scenario.injects:
        drawn = [r for r in dict.fromkeys(inject.to) if r in roles]
        party = party_of(inject.sender) if simcell else None
        if party is not None:
            parties.setdefault(party)
            drawn.append(f"party:{party}")
        time, exact, why = times[inject.id]
        # The chain hangs only on the first recipient and the inject's own ack_within: worked out once for each pair.
        key = (inject.to[0] if inject.to else "", inject.ack_within)
        if key not in chains:
            chains[key] = deadline_chain(scenario, inject, 0)
        chain = tuple(Step(st.role, st.deadline + time, st.to) for st in chains[key]) if time else chains[key]
        p = Placed(inject, time, exact, tuple(drawn), edges.get(inject.id), chain, why)
        if time is None:
            bench.append(p)
        else:
            placed.append(p)
            end = max(end, time, chain[-1].deadline if chain else 0)
    order = {inject.id: k for k, inject in enumerate(scenario.injects)}
    placed.sort(key=lambda p: (p.time, order[p.id]))

    lanes = lane_order(scenario, {lane for p in placed for lane in p.lanes}, list(parties))
    windows = end // window + 1
    load: dict[str, list[int]] = {lane.id: [0] * windows for lane in lanes}
    by_lane: dict[str, list[Placed]] = {lane.id: [] for lane in lanes}
    for p in placed:
        assert p.time is not None
        for lane_id in p.lanes:
            by_lane[lane_id].append(p)
            load[lane_id][p.time // window] += 1
            if simcell and lane_id.startswith("party:") and simcell not in p.lanes:
                load[simcell][p.time // window] += 1  # the SimCell plays every outside party
    return Timeline(
        scenario, tuple(lanes), tuple(placed), tuple(bench), end, window, threshold,
        {k: tuple(v) for k, v in load.items()}, {k: tuple(v) for k, v in children.items()},
        {p.id: p for p in (*placed, *bench)}, {k: tuple(v) for k, v in by_lane.items()},
    )


def lane_order(scenario: Scenario, used: set[str], parties: list[str]) -> list[Lane]:
    """Roles that receive injects (and players) down the chain of command, each under the role it reports to;
    then the SimCell and the outside parties it plays; then the roles nothing is sent to."""
    order: list[str] = []
    stack = [r.id for r in reversed(scenario.children(None))]
    below: dict[str | None, list[str]] = {}
    for r in scenario.roles:
        below.setdefault(r.reports_to, []).append(r.id)
    seen: set[str] = set()
    while stack:  # depth first, without recursion: a chain of command may be thousands deep
        role_id = stack.pop()
        if role_id in seen:
            continue
        seen.add(role_id)
        order.append(role_id)
        stack.extend(reversed(below.get(role_id, [])))
    order += [r.id for r in scenario.roles if r.id not in seen]
    roles = [scenario.role(r) for r in order]
    active = [r for r in roles if r is not None and r.kind != "simcell" and (r.id in used or r.kind == "player")]
    simcell = [r for r in roles if r is not None and r.kind == "simcell"]
    rest = [r for r in roles if r is not None and r not in active and r not in simcell]
    return ([Lane(r.id, r.title, r.kind) for r in (*active, *simcell)]
            + [Lane(f"party:{name}", name, "party") for name in parties]
            + [Lane(r.id, r.title, r.kind) for r in rest])


def _times(scenario: Scenario, edges: dict[str, Edge]) -> dict[str, tuple[int | None, bool, str]]:
    """Each inject's (earliest time, exact, why it has none), following `after` chains without recursion."""
    out: dict[str, tuple[int | None, bool, str]] = {}
    for first in scenario.injects:
        stack = [first.id]
        while stack:
            inject_id = stack[-1]
            if inject_id in out:
                stack.pop()
                continue
            inject = scenario.inject(inject_id)
            if inject is None:  # not in a file the loader accepted; kept off the chart
                out[inject_id] = (None, False, "its trigger names no inject")
                stack.pop()
                continue
            if inject.at is not None:
                out[inject_id] = (inject.at, True, "")
            elif inject.after is None:
                out[inject_id] = (None, False, "manual: a controller releases it")
            else:
                edge = edges[inject_id]
                if edge.parent not in out:
                    if edge.parent in stack:  # an `after` cycle, which the loader rejects
                        out[inject_id] = (None, False, "its triggers go round in a circle")
                        stack.pop()
                    else:
                        stack.append(edge.parent)
                    continue
                out[inject_id] = _after(scenario, edge, out[edge.parent])
            stack.pop()
    return out


def _after(scenario: Scenario, edge: Edge, parent: tuple[int | None, bool, str]) -> tuple[int | None, bool, str]:
    time, exact, _ = parent
    if time is None:
        return None, False, f"after {edge.parent}, which has no planned time"
    if edge.on == "expired":
        inject = scenario.inject(edge.parent)
        chain = deadline_chain(scenario, inject, time) if inject is not None else ()
        if not chain:
            return None, False, f"after {edge.parent} expires, but it has no deadline"
        return chain[0].deadline + edge.delay, exact, ""
    return time + edge.delay, exact and edge.link == SEQUENCE, ""
