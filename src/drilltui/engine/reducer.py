"""The reducer: `apply(state, event) -> state`, pure and deterministic."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

from drilltui.engine import events as ev
from drilltui.engine.activity import ACTOR_ONLY, concerned
from drilltui.engine.events import SYSTEM, Event, parse_utc
from drilltui.engine.permissions import answers
from drilltui.engine.scoring import scored
from drilltui.engine.state import (
    JOURNAL_KINDS,
    Appended,
    Clock,
    Correction,
    DrillState,
    HotwashItem,
    InjectState,
    MessageState,
    Note,
    Rating,
)
from drilltui.gcpause import gc_paused
from drilltui.scenario import Scenario

S = TypeVar("S")


def _with(obj: S, **changes: Any) -> S:
    """A copy of a frozen dataclass with some fields changed.

    `dataclasses.replace` runs `__init__` again and was most of the fold's
    time; the states are frozen to their readers, and this builds the new one
    directly from the old one's fields.
    """
    new = object.__new__(type(obj))
    fields = new.__dict__
    fields.update(obj.__dict__)
    fields.update(changes)
    return new


# What a reducer returns for a field that maps keys to values (the inject states, the role states, ...) is not
# the whole new mapping but only the keys it changes: {key: new value}, or GONE for a key it removes. `apply`
# merges them into a copy; `fold` merges them into the one private copy it works on, so an event costs the
# same however many injects or roles the drill has, where copying each mapping made a fold of a big MSEL
# slow down with its size.
KEYED = frozenset({"injects", "roles", "occurrences", "ratings", "corrections", "participants", "expectations",
                   "adhoc", "messages", "activity", "role_names"})


class _Gone:
    def __repr__(self) -> str:
        return "GONE"


GONE: Any = _Gone()  # in a keyed change: the key is removed


def _merge(into: dict[Any, Any], change: dict[Any, Any]) -> None:
    """Merge one keyed change into a mapping, in place."""
    into.update(change)
    for key, value in change.items():
        if value is GONE:
            del into[key]


def _occurred(state: DrillState, inject: str, label: str, t: float) -> dict[tuple[str, str], float]:
    key = (inject, label)
    return {} if key in state.occurrences else {key: t}


def _item(state: DrillState, event: Event, inject_id: str, label: str | None, **changes: Any) -> dict[str, Any]:
    """The changes to the state when `event` happens to an inject: its item, and when the trigger first happened."""
    current = state.injects[inject_id]
    item = _with(current, history=current.history.add(event), **changes)
    out: dict[str, Any] = {"injects": {inject_id: item}}
    if label is not None:
        out["occurrences"] = _occurred(state, inject_id, label, event.drill_time)
    return out


def _clock(running: bool, phase: str | None) -> Callable[[DrillState, Event], dict[str, Any]]:
    def change(state: DrillState, event: Event) -> dict[str, Any]:
        speed = event.body.factor if isinstance(event.body, ev.ClockSpeedChanged) else state.clock.speed
        keep_running = state.clock.running if phase is None else running
        out: dict[str, Any] = {"clock": Clock(keep_running, speed, event.drill_time, parse_utc(event.wall_time))}
        if phase is not None:
            out["phase"] = phase
        return out

    return change


def _released(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.InjectReleased = e.body  # type: ignore[assignment]
    out = _item(state, e, b.inject, "released", released_at=e.drill_time, via=b.via, holder=b.to_role, deadline=b.deadline)
    out["release_order"] = (*state.release_order, b.inject)
    return out


def _acknowledged(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.InjectAcknowledged = e.body  # type: ignore[assignment]
    return _item(state, e, b.inject, "acknowledged", acknowledged_at=e.drill_time, acknowledged_by=b.role,
                 deadline=None, unanswered=False)


def _resolved(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.InjectResolved = e.body  # type: ignore[assignment]
    return _item(state, e, b.inject, "resolved", resolved_at=e.drill_time, resolved_by=b.role, deadline=None)


def _escalated(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.InjectEscalated = e.body  # type: ignore[assignment]
    current = state.injects[b.inject]
    # The new holder receives it unacknowledged, with a fresh deadline.
    return _item(state, e, b.inject, "escalated", holder=b.to_role, deadline=b.deadline, acknowledged_at=None,
                 acknowledged_by=None, unanswered=False, escalations=current.escalations + 1)


def _expired(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.InjectExpired = e.body  # type: ignore[assignment]
    current = state.injects[b.inject]
    holder = state.scenario.role(b.role)
    # Below the top an escalation follows at once; at the top nobody is left to pass it to.
    at_top = holder is None or not holder.reports_to
    return _item(state, e, b.inject, "expired", deadline=None, expirations=current.expirations + 1,
                 unanswered=at_top)


def _decided(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.DecisionTaken = e.body  # type: ignore[assignment]
    out = _item(state, e, b.inject, f"decision:{b.option}", decision=b.option, decided_by=b.role,
                decided_at=e.drill_time, rationale=b.rationale)
    out["journal"] = state.journal.add(_logged(state, e))
    return out


def _status(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.RoleStatusChanged = e.body  # type: ignore[assignment]
    role = state.roles[b.role]
    return {"roles": {b.role: _with(role, status=b.status, task=b.task)}}


def _logged(state: DrillState, e: Event) -> Event:
    """The event with its seq, as the journal keeps it (seq order is how entries are found)."""
    return e if e.seq else replace(e, seq=state.seq + 1)


def _entry(state: DrillState, e: Event, seq: int) -> dict[str, Any]:
    return {"journal": state.journal.add(_logged(state, e))}


def _note(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.NoteAdded = e.body  # type: ignore[assignment]
    seq = e.seq or state.seq + 1
    out = _entry(state, e, seq)
    out["notes"] = state.notes.add(Note(b.text, b.kind, e.drill_time, e.participant, e.role, b.inject, b.role, b.objective,
                                        seq, b.task))
    if b.inject is not None and b.inject in state.injects:
        out.update(_item(state, e, b.inject, None))
    if b.role is not None and b.role in state.roles:
        role = state.roles[b.role]
        out["roles"] = {**out.get("roles", {}), b.role: _with(role, notes=role.notes.add(seq))}
    return out


def _rated(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.ObjectiveRated = e.body  # type: ignore[assignment]
    seq = e.seq or state.seq + 1
    rating = Rating(b.objective, b.rating, b.comment, e.role, e.participant, e.drill_time, seq)
    out = _entry(state, e, seq)
    out["ratings"] = {b.objective: rating}
    out["rating_log"] = state.rating_log.add(rating)
    return out


def _hotwash(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.HotwashItemAdded = e.body  # type: ignore[assignment]
    seq = e.seq or state.seq + 1
    item = HotwashItem(b.section, b.text, b.objective, b.corrective_action, b.owner, b.due, e.role, e.participant, seq)
    out = _entry(state, e, seq)
    out["hotwash"] = state.hotwash.add(item)
    return out


def _rating_in_force(state: DrillState, objective: str, corrections: dict[int, Correction]) -> Rating | None:
    """The objective's latest rating that was not retracted, with its amendment applied."""
    for rating in reversed(list(state.rating_log)):
        if rating.objective != objective:
            continue
        fix = corrections.get(rating.seq)
        if fix is None:
            return rating
        if not fix.retracted:
            return _with(rating, rating=fix.rating or rating.rating, comment=fix.text)
    return None


def _corrected(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.EntryAmended | ev.EntryRetracted = e.body  # type: ignore[assignment]
    retracted = isinstance(b, ev.EntryRetracted)
    text = b.text if isinstance(b, ev.EntryAmended) else ""
    rating = b.rating if isinstance(b, ev.EntryAmended) else None
    fix = Correction(e.seq or state.seq + 1, retracted, text, rating, b.reason, e.participant, e.drill_time)
    out: dict[str, Any] = {"corrections": {b.entry: fix}, "journal": state.journal.add(_logged(state, e))}
    target = state.entry(b.entry)
    if target is not None and target.kind == "objective_rated":
        objective = next((r.objective for r in state.rating_log if r.seq == b.entry), None)
        if objective is not None:
            now = _rating_in_force(state, objective, {**state.corrections, b.entry: fix})
            if now is not None:
                out["ratings"] = {objective: now}
            elif objective in state.ratings:
                out["ratings"] = {objective: GONE}
    return out


def _presence(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.ParticipantJoined | ev.ParticipantLeft = e.body  # type: ignore[assignment]
    joined = isinstance(b, ev.ParticipantJoined)
    out: dict[str, Any] = {}
    if joined:
        out["participants"] = {b.participant: b.role}
    elif b.participant in state.participants:
        out["participants"] = {b.participant: GONE}
    roles = state.roles
    if b.role in roles:
        names = tuple(n for n in roles[b.role].participants if n != b.participant)
        if joined:
            names = (*names, b.participant)
        out["roles"] = {b.role: _with(roles[b.role], participants=names)}
    return out


def _journal_only(state: DrillState, e: Event) -> dict[str, Any]:
    return {"journal": state.journal.add(_logged(state, e))}


def _evidence(state: DrillState, e: Event) -> dict[str, Any]:
    return {}  # a statement about the log, not a change to the drill


# -- free play --------------------------------------------------------------------------


def _adhoc(state: DrillState, e: Event) -> dict[str, Any]:
    """An inject written during play joins the drill's injects; its release follows as for any other."""
    b: ev.InjectAdded = e.body  # type: ignore[assignment]
    return {"adhoc": {b.inject: b.as_inject()},
            "injects": {b.inject: InjectState(b.inject, history=Appended[Event]().add(e))}}


def _message_item(state: DrillState, e: Event, message_id: str, **changes: Any) -> dict[str, Any]:
    current = state.messages[message_id]
    return {"messages": {message_id: _with(current, history=current.history.add(e), **changes)}}


def _message(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.MessageSent = e.body  # type: ignore[assignment]
    asks = b.request or b.task
    message = MessageState(
        b.id, e.seq or state.seq + 1, b.text, e.role, e.participant, e.drill_time, e.wall_time, b.to, b.party,
        b.as_party, b.request, b.task, b.escalate, b.reply_to, b.inject,
        within=None if b.due is None else b.due - e.drill_time, holder=b.to[0] if asks and b.to else None,
        due=b.due if asks else None, history=Appended[Event]().add(e))
    messages = {b.id: message}
    parent = state.messages.get(b.reply_to or "")
    if parent is not None:
        changes: dict[str, Any] = {"replies": (*parent.replies, b.id), "history": parent.history.add(e)}
        if parent.open and answers(state, e.role, parent):
            changes.update(answered_at=e.drill_time, answered_by=e.role, answer=b.id, due=None, unanswered=False)
        messages[parent.id] = _with(parent, **changes)
    return {"messages": messages}


def _message_read(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.MessageRead = e.body  # type: ignore[assignment]
    current = state.messages[b.message]
    return {"messages": {b.message: _with(current, read_by=(*current.read_by, b.role))}}


def _message_expired(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.MessageExpired = e.body  # type: ignore[assignment]
    current = state.messages[b.message]
    holder = state.scenario.role(b.role)
    climbs = current.escalate and holder is not None and bool(holder.reports_to)
    return _message_item(state, e, b.message, due=None, expirations=current.expirations + 1, unanswered=not climbs)


def _message_escalated(state: DrillState, e: Event) -> dict[str, Any]:
    b: ev.MessageEscalated = e.body  # type: ignore[assignment]
    current = state.messages[b.message]
    return _message_item(state, e, b.message, holder=b.to_role, due=b.due, escalations=current.escalations + 1,
                         unanswered=False)


def _activity(state: DrillState, e: Event, out: dict[str, Any]) -> None:
    """Add to `out` what every event adds to the roles' activity logs, who played each role, and the wall-clock span."""
    roles = concerned(state, e)
    if roles:
        logs = {}
        for role in roles:
            found = state.activity.get(role)
            logs[role] = (found if found is not None else Appended()).add(e)
        out["activity"] = logs
    _people(state, e, out)


def _people(state: DrillState, e: Event, out: dict[str, Any]) -> None:
    """Add to `out` who played each role, and when the drill began and ended on the wall clock."""
    body = e.body
    kind = type(body)
    if kind is ev.ParticipantJoined:
        name, role = body.participant, body.role  # type: ignore[attr-defined]
    else:
        name, role = e.participant, e.role
    if role and name and name != SYSTEM:
        names = state.role_names.get(role, ())
        if name not in names:
            out["role_names"] = {role: (*names, name)}
    if kind is ev.DrillStarted:
        if not state.started_wall:
            out["started_wall"] = e.wall_time
    elif kind is ev.DrillEnded and not state.ended_wall:
        out["ended_wall"] = e.wall_time


REDUCERS: dict[type[ev.EventBody], Callable[[DrillState, Event], dict[str, Any]]] = {
    ev.DrillStarted: _clock(True, "running"),
    ev.DrillEnded: _clock(False, "ended"),
    ev.ClockPaused: _clock(False, "paused"),
    ev.ClockResumed: _clock(True, "running"),
    ev.ClockSpeedChanged: _clock(False, None),
    ev.InjectReleased: _released,
    ev.InjectAcknowledged: _acknowledged,
    ev.InjectResolved: _resolved,
    ev.InjectEscalated: _escalated,
    ev.InjectExpired: _expired,
    ev.DecisionTaken: _decided,
    ev.RoleStatusChanged: _status,
    ev.NoteAdded: _note,
    ev.ObjectiveRated: _rated,
    ev.HotwashItemAdded: _hotwash,
    ev.ParticipantJoined: _presence,
    ev.ParticipantLeft: _presence,
    ev.EntryAmended: _corrected,
    ev.EntryRetracted: _corrected,
    ev.ConsoleLost: _journal_only,
    ev.DrillAttested: _evidence,
    ev.InjectAdded: _adhoc,
    ev.MessageSent: _message,
    ev.MessageRead: _message_read,
    ev.MessageExpired: _message_expired,
    ev.MessageEscalated: _message_escalated,
}


def _scoring(reduce: Callable[[DrillState, Event], dict[str, Any]]) -> Callable[[DrillState, Event], dict[str, Any]]:
    """A reducer that also scores the inject's expectations (engine/scoring.py)."""

    def both(state: DrillState, event: Event) -> dict[str, Any]:
        return {**reduce(state, event), **scored(state, event)}

    return both


def _marked(state: DrillState, e: Event) -> dict[str, Any]:
    return {**scored(state, e), "journal": state.journal.add(e)}


REDUCERS[ev.ExpectationMissed] = scored
REDUCERS[ev.RehearsalStarted] = lambda state, e: {"rehearsal": e.body}
REDUCERS[ev.ExpectationMarked] = _marked
for _kind in (ev.InjectReleased, ev.InjectAcknowledged, ev.InjectResolved, ev.InjectEscalated, ev.DecisionTaken):
    REDUCERS[_kind] = _scoring(REDUCERS[_kind])
assert set(REDUCERS) == set(ev.KINDS.values()), "every event kind has a reducer"
assert all(k in {c.KIND for c in REDUCERS} for k in JOURNAL_KINDS)


def apply(state: DrillState, event: Event) -> DrillState:
    """The state after `event`. Never mutates `state`."""
    changes = REDUCERS[type(event.body)](state, event)
    _activity(state, event, changes)
    for name in KEYED.intersection(changes):
        merged = dict(getattr(state, name))
        _merge(merged, changes[name])
        changes[name] = merged
    t = event.drill_time
    return _with(state, seq=event.seq or state.seq + 1,
                 last_drill_time=t if t > state.last_drill_time else state.last_drill_time, **changes)


def fold(scenario: Scenario, events: Iterable[Event], state: DrillState | None = None) -> DrillState:
    """The state after applying `events` in order, from `state` or the start.

    The same as `apply` event by event, without a new state per event: the
    states in between are never seen, so one private copy takes each event's
    changes in place (every reducer returns new values for what it changes and
    alters nothing it was given) and is handed out only at the end. Each keyed
    mapping is copied once, when first changed, and takes the changed keys in place.
    """
    start = state or DrillState.initial(scenario)
    work = _with(start)
    fields = work.__dict__
    owned: dict[str, dict[Any, Any]] = {}  # the keyed mappings copied for this fold, changed in place from then on
    seq, last = start.seq, start.last_drill_time
    # The activity logs are read by no reducer: each role's new entries are gathered here and added at the end.
    # Whom an event concerns depends only on what the scenario and the ad-hoc injects written before it say.
    logged: dict[str, list[Event]] = {}
    with gc_paused():  # a fold makes no reference cycles: the collector's passes over the heap only cost
        for event in events:
            kind = type(event.body)
            changes = REDUCERS[kind](work, event)
            # Whom it concerns, on the state the event acted on, as `apply` does.
            for role in ((event.role,) if event.role else ()) if kind in ACTOR_ONLY else concerned(work, event):
                found = logged.get(role)
                if found is None:
                    logged[role] = [event]
                else:
                    found.append(event)
            _people(work, event, changes)
            for name, value in changes.items():
                if name not in KEYED:
                    fields[name] = value
                    continue
                own = owned.get(name)
                if own is None:
                    own = owned[name] = fields[name] = dict(fields[name])
                _merge(own, value)
            seq = event.seq or seq + 1
            t = event.drill_time
            if t > last:
                last = t
            fields["seq"] = seq
            fields["last_drill_time"] = last
    if logged:
        logs = dict(work.activity)
        for role, entries in logged.items():
            log: Appended[Event] | None = logs.get(role)
            logs[role] = (log if log is not None else Appended()).extend(entries)
        fields["activity"] = logs
    return work
