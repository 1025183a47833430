"""Scoring expectations from the log: which event meets one, when, by whom, and the time to action."""

# The reducer calls `scored` after every event about an inject and folds the
# answer into DrillState.expectations, so a score is a pure function of the log:
# the same log always scores the same, and a score of met never turns into
# missed (the scheduler logs `expectation_missed` only for one still open).

from __future__ import annotations

from typing import Any

from drilltui.engine import events as ev
from drilltui.engine.events import Event
from drilltui.engine.state import DrillState, ExpectationState, Mark


def reached(event: Event) -> tuple[str, str, str] | None:
    """(inject, state, acting role) when an event takes an inject to a state an expectation may wait for."""
    b = event.body
    if isinstance(b, ev.InjectAcknowledged):
        return b.inject, "acknowledged", b.role
    if isinstance(b, ev.InjectResolved):
        return b.inject, "resolved", b.role
    if isinstance(b, ev.DecisionTaken):
        return b.inject, f"decision:{b.option}", b.role
    if isinstance(b, ev.InjectEscalated) and b.reason == "manual":
        # An escalation by the deadline is the drill's doing, not a player's.
        return b.inject, "escalated", event.role
    return None


def _released(state: DrillState, event: Event, inject_id: str) -> dict[str, ExpectationState]:
    inject = state.scenario.inject(inject_id)
    changed = {}
    for x in inject.expect if inject is not None else ():
        due = None if x.within is None else event.drill_time + x.within
        changed[x.id] = ExpectationState(x.id, inject_id, released_at=event.drill_time, due=due)
    return changed


def _acted(state: DrillState, event: Event, inject_id: str, what: str, role: str) -> dict[str, ExpectationState]:
    inject = state.scenario.inject(inject_id)
    changed = {}
    t = event.drill_time
    for x in inject.expect if inject is not None else ():
        if role not in x.by:
            continue
        now = state.expectation(x.id)
        changes: dict[str, Any] = {}
        counts = x.when is None or x.when == what
        if counts and now.acted_at is None:
            changes.update(acted_at=t, acted_by=role)
        in_time = now.due is None or t <= now.due
        if x.when == what and now.met_at is None and now.missed_at is None and in_time:
            changes.update(met_at=t, met_by=role)
        if changes:
            changed[x.id] = ExpectationState(**{**now.__dict__, **changes})
    return changed


def scored(state: DrillState, event: Event) -> dict[str, Any]:
    """The changes to `state.expectations` that `event` makes; `state` is the state it acted on."""
    b = event.body
    changed: dict[str, ExpectationState] = {}
    if isinstance(b, ev.InjectReleased):
        changed = _released(state, event, b.inject)
    elif isinstance(b, ev.ExpectationMissed):
        now = state.expectation(b.expectation)
        if now.met_at is None:
            changed = {b.expectation: ExpectationState(**{**now.__dict__, "missed_at": event.drill_time})}
    elif isinstance(b, ev.ExpectationMarked):
        now = state.expectation(b.expectation)
        mark = Mark(b.status, b.comment, event.role, event.participant, event.drill_time,
                    event.seq or state.seq + 1, b.overrides)
        changed = {b.expectation: ExpectationState(**{**now.__dict__, "marks": (*now.marks, mark)})}
    elif (got := reached(event)) is not None:
        changed = _acted(state, event, *got)
    if not changed:
        return {}
    return {"expectations": changed}  # the keys it changes, as reducers return them
