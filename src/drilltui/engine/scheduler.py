"""The scheduler: which injects are due and which deadlines have passed, at a drill time."""

from __future__ import annotations

import heapq

from drilltui.engine import events as ev
from drilltui.engine.state import DrillState, ExpectationState, MessageState
from drilltui.scenario import Inject, Scenario

RELEASES = ("scheduled", "triggered")  # the kinds of due action that release an inject
MESSAGE_ORDER = 1 << 40  # a request or tasking due at the same moment as an inject's deadline comes after it
MISS_ORDER = 1 << 39  # an expectation running out at the same moment as an inject's deadline comes after it


def first_deadline(scenario: Scenario, inject: Inject | None, holder: str, now: float) -> float | None:
    """On release: the inject's own ack_within, else its holder's."""
    within = scenario.first_wait(inject, holder)
    return None if within is None else now + within


def escalated_deadline(scenario: Scenario, inject: Inject | None, new_holder: str, now: float) -> float | None:
    """On escalation: the new holder's ack_within, else the inject's own."""
    within = scenario.escalated_wait(inject, new_holder)
    return None if within is None else now + within


def release(state: DrillState, inject_id: str, via: str, now: float, inject: Inject | None = None) -> ev.InjectReleased:
    """The release of an inject of the drill (or of `inject`, one being written now) to its first recipient."""
    inject = inject or state.inject(inject_id)
    assert inject is not None
    holder = inject.to[0]
    return ev.InjectReleased(inject_id, via, holder, first_deadline(state.scenario, inject, holder, now))


def escalate(state: DrillState, inject_id: str, reason: str, now: float) -> ev.InjectEscalated | None:
    """Move an item one level up from its holder; None at a root."""
    item = state.injects[inject_id]
    holder = item.holder or ""
    role = state.scenario.role(holder)
    if role is None or not role.reports_to:
        return None
    deadline = escalated_deadline(state.scenario, state.inject(inject_id), role.reports_to, now)
    return ev.InjectEscalated(inject_id, holder, role.reports_to, reason, deadline)


def message_due(state: DrillState, message: MessageState, t: float) -> list[ev.EventBody]:
    """A request or tasking whose due time passed: logged, then one level up if it asks to climb and can."""
    out: list[ev.EventBody] = [ev.MessageExpired(message.id, message.holder or "", message.due if message.due is not None else t)]
    role = state.scenario.role(message.holder or "")
    if message.escalate and role is not None and role.reports_to:
        up = state.scenario.role(role.reports_to)
        within = up.ack_within if up is not None and up.ack_within is not None else message.within
        out.append(ev.MessageEscalated(message.id, role.id, role.reports_to, None if within is None else t + within))
    return out


def _orders(state: DrillState) -> dict[str, int]:
    """Each inject's place in due order: the MSEL's first, then those written during play, as written."""
    n = len(state.scenario.injects)
    out = {inject.id: k for k, inject in enumerate(state.scenario.injects)}
    out.update((inject_id, n + k) for k, inject_id in enumerate(state.adhoc))
    return out


def due_times(state: DrillState) -> list[tuple[float, int, str, str]]:
    """Every pending timed action as (drill time, order, kind, inject id).

    Releases come before expiries at the same moment, then MSEL order.
    """
    if state.phase not in ("running", "paused"):
        return []
    out: list[tuple[float, int, str, str]] = []
    n = len(state.scenario.injects)
    for order, inject in enumerate(state.all_injects()):
        item = state.injects[inject.id]
        if not item.released:
            if inject.at is not None:
                out.append((float(inject.at), order, "scheduled", inject.id))
            elif inject.after is not None:
                happened = state.occurrences.get((inject.after.inject, inject.after.label))
                if happened is not None:
                    out.append((happened + inject.after.delay, order, "triggered", inject.id))
        elif item.open and item.acknowledged_at is None and item.deadline is not None:
            out.append((item.deadline, n + order, "expiry", inject.id))
    for message in state.messages.values():
        if message.open and message.due is not None:
            out.append((message.due, MESSAGE_ORDER + message.seq, "message", message.id))
    out += _misses(state)
    out.sort()
    return out


def _misses(state: DrillState) -> list[tuple[float, int, str, str]]:
    """Expectations of released injects whose `within` runs out with nothing meeting them (after expiries)."""
    out = []
    for n, (_inject, x) in enumerate(state.scenario.expectations):
        now = state.expectation(x.id)
        if _unmet(now) and now.due is not None:
            out.append((now.due, MISS_ORDER + n, "missed", x.id))
    return out


def _unmet(now: ExpectationState) -> bool:
    return now.met_at is None and now.missed_at is None and not now.marks


def next_due(state: DrillState) -> float | None:
    """The drill time of the next timed action, or None when nothing is waiting."""
    times = due_times(state)
    return times[0][0] if times else None


def next_scheduled_release(state: DrillState) -> tuple[float, str] | None:
    """The next inject release the scheduler knows of, as (drill time, inject id)."""
    for t, _, kind, inject_id in due_times(state):
        if kind in RELEASES:
            return t, inject_id
    return None


def step(state: DrillState, now: float) -> tuple[float, list[ev.EventBody]] | None:
    """The first action due at or before `now`, as (its drill time, its events); None if none.

    Apply the events and call again: one action can make another due
    (a release that triggers an `after` with no delay).
    """
    if state.phase != "running":
        return None
    times = due_times(state)
    if not times or times[0][0] > now:
        return None
    return _act(state, times[0])


def _act(state: DrillState, due: tuple[float, int, str, str]) -> tuple[float, list[ev.EventBody]]:
    """The events of one due action, at its drill time (never before the last logged event)."""
    t, _, kind, inject_id = due
    t = max(t, state.last_drill_time)
    if kind == "message":
        return t, message_due(state, state.messages[inject_id], t)
    if kind == "missed":
        now = state.expectation(inject_id)
        return t, [ev.ExpectationMissed(inject_id, now.inject, now.due if now.due is not None else t)]
    if kind == "expiry":
        item = state.injects[inject_id]
        bodies: list[ev.EventBody] = [ev.InjectExpired(inject_id, item.holder or "", item.deadline or t)]
        up = escalate(state, inject_id, "deadline", t)
        if up is not None:
            bodies.append(up)
        return t, bodies
    return t, [release(state, inject_id, kind, t)]


def dependents(scenario: Scenario) -> dict[tuple[str, str], tuple[str, ...]]:
    """For each (inject, trigger label), the injects released `after` it, in MSEL order."""
    cached = _DEPENDENTS.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    out: dict[tuple[str, str], list[str]] = {}
    for inject in scenario.injects:
        if inject.after is not None:
            out.setdefault((inject.after.inject, inject.after.label), []).append(inject.id)
    frozen = {k: tuple(v) for k, v in out.items()}
    if len(_DEPENDENTS) > 16:
        _DEPENDENTS.clear()
    _DEPENDENTS[id(scenario)] = (scenario, frozen)
    return frozen


_DEPENDENTS: dict[int, tuple[Scenario, dict[tuple[str, str], tuple[str, ...]]]] = {}

# After an event of this kind about inject X, the trigger label that may now have happened to X.
_LABELS = {ev.InjectReleased: "released", ev.InjectAcknowledged: "acknowledged", ev.InjectResolved: "resolved",
           ev.InjectEscalated: "escalated", ev.InjectExpired: "expired"}


class Agenda:
    """The scheduler's timed actions in a heap, kept up to date event by event.

    `due_times` looks at every inject each time it is asked; a drill of
    thousands of injects asks thousands of times. The agenda gives the same
    answer (tests check it against `step`) with a heap: entries are added as
    events make them due, and an entry that no longer holds is dropped when it
    comes to the top.
    """

    def __init__(self, state: DrillState) -> None:
        self.scenario = state.scenario
        self.planned = len(state.scenario.injects)
        self.order = _orders(state)
        self.expect_order = {x.id: MISS_ORDER + n for n, (_, x) in enumerate(state.scenario.expectations)}
        self.heap: list[tuple[float, int, str, str]] = []
        self.reset(state)

    def reset(self, state: DrillState) -> None:
        """Start again from everything due in `state` (and anything timed that is not due yet)."""
        self.order = _orders(state)
        entries = set(due_times(state))
        for order, inject in enumerate(state.scenario.injects):
            if inject.at is not None and not state.injects[inject.id].released:
                entries.add((float(inject.at), order, "scheduled", inject.id))
        self.heap = list(entries)
        heapq.heapify(self.heap)

    def note(self, state: DrillState, event: ev.Event) -> None:
        """`state` is the state just after `event`: add what the event made due."""
        b = event.body
        if isinstance(b, ev.InjectAdded):
            self.order[b.inject] = self.planned + len(state.adhoc) - 1
            return
        if isinstance(b, (ev.MessageSent, ev.MessageEscalated)):
            message = state.messages[b.id if isinstance(b, ev.MessageSent) else b.message]
            if message.open and message.due is not None:
                heapq.heappush(self.heap, (message.due, MESSAGE_ORDER + message.seq, "message", message.id))
            return
        if isinstance(b, ev.DecisionTaken):
            label = f"decision:{b.option}"
        elif type(b) in _LABELS:
            label = _LABELS[type(b)]
        else:
            return
        inject: str = b.inject  # type: ignore[attr-defined]
        if inject not in self.order:
            return
        if isinstance(b, ev.InjectReleased):
            released = state.inject(inject)
            for x in released.expect if released is not None else ():
                due = state.expectation(x.id).due
                if due is not None and x.id in self.expect_order:
                    heapq.heappush(self.heap, (due, self.expect_order[x.id], "missed", x.id))
        happened = state.occurrences.get((inject, label))
        if happened is not None:
            for child in dependents(self.scenario).get((inject, label), ()):
                trigger = self.scenario.inject(child).after  # type: ignore[union-attr]
                if trigger is not None and not state.injects[child].released:
                    heapq.heappush(self.heap, (happened + trigger.delay, self.order[child], "triggered", child))
        item = state.injects[inject]
        if item.deadline is not None and item.acknowledged_at is None and item.open:
            heapq.heappush(self.heap, (item.deadline, self.planned + self.order[inject], "expiry", inject))

    def _holds(self, state: DrillState, entry: tuple[float, int, str, str]) -> bool:
        t, _, kind, inject_id = entry
        if kind == "message":
            message = state.messages.get(inject_id)
            return message is not None and message.open and message.due == t
        if kind == "missed":
            now = state.expectation(inject_id)
            return _unmet(now) and now.due == t
        item = state.injects[inject_id]
        if kind == "expiry":
            return item.open and item.acknowledged_at is None and item.deadline == t
        if item.released:
            return False
        inject = self.scenario.inject(inject_id)
        assert inject is not None
        if kind == "scheduled":
            return inject.at is not None and float(inject.at) == t
        trigger = inject.after
        if trigger is None:
            return False
        happened = state.occurrences.get((trigger.inject, trigger.label))
        return happened is not None and happened + trigger.delay == t

    def next(self, state: DrillState) -> tuple[float, int, str, str] | None:
        """The first action due in `state` (at any time), as `due_times` would list it first."""
        if state.phase not in ("running", "paused"):
            return None
        while self.heap and not self._holds(state, self.heap[0]):
            heapq.heappop(self.heap)
        return self.heap[0] if self.heap else None

    def next_due(self, state: DrillState) -> float | None:
        top = self.next(state)
        return None if top is None else top[0]

    def step(self, state: DrillState, now: float) -> tuple[float, list[ev.EventBody]] | None:
        """What `step(state, now)` gives, found through the heap."""
        if state.phase != "running":
            return None
        top = self.next(state)
        if top is None or top[0] > now:
            return None
        return _act(state, top)


def wont_fire(state: DrillState) -> set[str]:
    """Unreleased injects whose `after` trigger can no longer happen: their branch was not taken.

    A decision went another way; the parent was resolved before the trigger
    happened; the parent itself won't fire; or the drill has ended.
    """
    out: set[str] = set()
    if state.ended:
        return {i.id for i in state.scenario.injects if not state.injects[i.id].released}
    for inject in state.scenario.injects:  # parents come before children in an acyclic MSEL, mostly
        _wont(state, inject.id, out, set())
    return out


def _wont(state: DrillState, inject_id: str, out: set[str], seen: set[str]) -> bool:
    if inject_id in out:
        return True
    inject = state.scenario.inject(inject_id)
    if inject is None or inject.after is None or state.injects[inject_id].released or inject_id in seen:
        return False
    seen.add(inject_id)
    trigger = inject.after
    if (trigger.inject, trigger.label) in state.occurrences:
        return False
    parent = state.injects[trigger.inject]
    dead = False
    if trigger.on == "decision":
        dead = parent.decision is not None or parent.resolved_at is not None
    elif trigger.on != "released":
        dead = parent.resolved_at is not None
    if not dead and not parent.released:
        dead = _wont(state, trigger.inject, out, seen)
    if dead:
        out.add(inject_id)
    return dead
