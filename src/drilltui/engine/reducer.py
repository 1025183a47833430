"""The reducer: `apply(state, event) -> state`, pure and deterministic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from drilltui.engine import events as ev
from drilltui.engine.events import Event, parse_utc
from drilltui.engine.state import Clock, DrillState, HotwashItem, InjectState, Note, Rating
from drilltui.scenario import Scenario


def _occurred(state: DrillState, inject: str, label: str, t: float) -> dict[tuple[str, str], float]:
    key = (inject, label)
    if key in state.occurrences:
        return state.occurrences
    return {**state.occurrences, key: t}


def _inject(state: DrillState, inject_id: str, **changes: object) -> dict[str, InjectState]:
    current = state.injects[inject_id]
    return {**state.injects, inject_id: replace(current, **changes)}


def apply(state: DrillState, event: Event) -> DrillState:
    """The state after `event`. Never mutates `state`."""
    b = event.body
    t = event.drill_time
    wall = parse_utc(event.wall_time)
    common = {"seq": event.seq or state.seq + 1, "last_drill_time": max(state.last_drill_time, t)}
    clock = state.clock

    if isinstance(b, ev.DrillStarted):
        return replace(state, **common, phase="running", clock=Clock(True, clock.speed, t, wall))
    if isinstance(b, ev.DrillEnded):
        return replace(state, **common, phase="ended", clock=Clock(False, clock.speed, t, wall))
    if isinstance(b, ev.ClockPaused):
        return replace(state, **common, phase="paused", clock=Clock(False, clock.speed, t, wall))
    if isinstance(b, ev.ClockResumed):
        return replace(state, **common, phase="running", clock=Clock(True, clock.speed, t, wall))
    if isinstance(b, ev.ClockSpeedChanged):
        return replace(state, **common, clock=Clock(clock.running, b.factor, t, wall))

    if isinstance(b, ev.InjectReleased):
        return replace(
            state, **common,
            injects=_inject(state, b.inject, released_at=t, via=b.via, holder=b.to_role, deadline=b.deadline),
            occurrences=_occurred(state, b.inject, "released", t),
            release_order=(*state.release_order, b.inject),
        )
    if isinstance(b, ev.InjectAcknowledged):
        return replace(
            state, **common,
            injects=_inject(state, b.inject, acknowledged_at=t, acknowledged_by=b.role, deadline=None),
            occurrences=_occurred(state, b.inject, "acknowledged", t),
        )
    if isinstance(b, ev.InjectResolved):
        return replace(
            state, **common,
            injects=_inject(state, b.inject, resolved_at=t, resolved_by=b.role, deadline=None),
            occurrences=_occurred(state, b.inject, "resolved", t),
        )
    if isinstance(b, ev.InjectEscalated):
        current = state.injects[b.inject]
        # The new holder receives it unacknowledged, with a fresh deadline.
        return replace(
            state, **common,
            injects=_inject(
                state, b.inject, holder=b.to_role, deadline=b.deadline,
                acknowledged_at=None, acknowledged_by=None, escalations=current.escalations + 1,
            ),
            occurrences=_occurred(state, b.inject, "escalated", t),
        )
    if isinstance(b, ev.InjectExpired):
        current = state.injects[b.inject]
        return replace(
            state, **common,
            injects=_inject(state, b.inject, deadline=None, expirations=current.expirations + 1),
            occurrences=_occurred(state, b.inject, "expired", t),
        )
    if isinstance(b, ev.DecisionTaken):
        return replace(
            state, **common,
            injects=_inject(state, b.inject, decision=b.option, decided_by=b.role, decided_at=t),
            occurrences=_occurred(state, b.inject, f"decision:{b.option}", t),
        )
    if isinstance(b, ev.RoleStatusChanged):
        role = state.roles[b.role]
        return replace(state, **common, roles={**state.roles, b.role: replace(role, status=b.status, task=b.task)})
    if isinstance(b, ev.NoteAdded):
        note = Note(b.text, b.kind, t, event.participant, event.role, b.inject, b.role, b.objective)
        return replace(state, **common, notes=state.notes.add(note))
    if isinstance(b, ev.ObjectiveRated):
        rating = Rating(b.objective, b.rating, b.comment, event.role, event.participant, t)
        return replace(state, **common, ratings={**state.ratings, b.objective: rating})
    if isinstance(b, ev.HotwashItemAdded):
        item = HotwashItem(b.section, b.text, b.objective, b.corrective_action, b.owner, b.due, event.role, event.participant)
        return replace(state, **common, hotwash=state.hotwash.add(item))
    if isinstance(b, (ev.ParticipantJoined, ev.ParticipantLeft)):
        joined = isinstance(b, ev.ParticipantJoined)
        participants = dict(state.participants)
        if joined:
            participants[b.participant] = b.role
        else:
            participants.pop(b.participant, None)
        roles = state.roles
        if b.role in roles:
            names = tuple(n for n in roles[b.role].participants if n != b.participant)
            if joined:
                names = (*names, b.participant)
            roles = {**roles, b.role: replace(roles[b.role], participants=names)}
        return replace(state, **common, participants=participants, roles=roles)
    if isinstance(b, ev.DrillAttested):
        return replace(state, **common)  # evidence about the log, not a change to the drill
    raise TypeError(f"no reducer for {type(b).__name__}")  # pragma: no cover - every kind is handled


def fold(scenario: Scenario, events: Iterable[Event], state: DrillState | None = None) -> DrillState:
    """The state after applying `events` in order, from `state` or the start."""
    state = state or DrillState.initial(scenario)
    for event in events:
        state = apply(state, event)
    return state
