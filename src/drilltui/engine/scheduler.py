"""The scheduler: which injects are due and which deadlines have passed, at a drill time."""

from __future__ import annotations

from drilltui.engine import events as ev
from drilltui.engine.state import DrillState
from drilltui.scenario import Scenario


def first_deadline(scenario: Scenario, inject_id: str, holder: str, now: float) -> float | None:
    """On release: the inject's own ack_within, else its holder's."""
    inject = scenario.inject(inject_id)
    role = scenario.role(holder)
    within = inject.ack_within if inject and inject.ack_within is not None else (role.ack_within if role else None)
    return None if within is None else now + within


def escalated_deadline(scenario: Scenario, inject_id: str, new_holder: str, now: float) -> float | None:
    """On escalation: the new holder's ack_within, else the inject's own."""
    inject = scenario.inject(inject_id)
    role = scenario.role(new_holder)
    within = role.ack_within if role and role.ack_within is not None else (inject.ack_within if inject else None)
    return None if within is None else now + within


def release(state: DrillState, inject_id: str, via: str, now: float) -> ev.InjectReleased:
    inject = state.scenario.inject(inject_id)
    assert inject is not None
    holder = inject.to[0]
    return ev.InjectReleased(inject_id, via, holder, first_deadline(state.scenario, inject_id, holder, now))


def escalate(state: DrillState, inject_id: str, reason: str, now: float) -> ev.InjectEscalated | None:
    """Move an item one level up from its holder; None at a root."""
    item = state.injects[inject_id]
    holder = item.holder or ""
    role = state.scenario.role(holder)
    if role is None or not role.reports_to:
        return None
    deadline = escalated_deadline(state.scenario, inject_id, role.reports_to, now)
    return ev.InjectEscalated(inject_id, holder, role.reports_to, reason, deadline)


def due_times(state: DrillState) -> list[tuple[float, int, str, str]]:
    """Every pending timed action as (drill time, order, kind, inject id).

    Releases come before expiries at the same moment, then MSEL order.
    """
    if state.phase not in ("running", "paused"):
        return []
    out: list[tuple[float, int, str, str]] = []
    for order, inject in enumerate(state.scenario.injects):
        item = state.injects[inject.id]
        if not item.released:
            if inject.at is not None:
                out.append((float(inject.at), order, "scheduled", inject.id))
            elif inject.after is not None:
                happened = state.occurrences.get((inject.after.inject, inject.after.label))
                if happened is not None:
                    out.append((happened + inject.after.delay, order, "triggered", inject.id))
        elif item.open and item.acknowledged_at is None and item.deadline is not None:
            out.append((item.deadline, len(state.scenario.injects) + order, "expiry", inject.id))
    out.sort()
    return out


def next_due(state: DrillState) -> float | None:
    """The drill time of the next timed action, or None when nothing is waiting."""
    times = due_times(state)
    return times[0][0] if times else None


def next_scheduled_release(state: DrillState) -> tuple[float, str] | None:
    """The next inject release the scheduler knows of, as (drill time, inject id)."""
    for t, _, kind, inject_id in due_times(state):
        if kind != "expiry":
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
    t, _, kind, inject_id = times[0]
    t = max(t, state.last_drill_time)
    if kind == "expiry":
        item = state.injects[inject_id]
        bodies: list[ev.EventBody] = [ev.InjectExpired(inject_id, item.holder or "", item.deadline or t)]
        up = escalate(state, inject_id, "deadline", t)
        if up is not None:
            bodies.append(up)
        return t, bodies
    return t, [release(state, inject_id, kind, t)]
