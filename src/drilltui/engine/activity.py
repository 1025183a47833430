"""Each role's activity log (ICS-214): which events belong to it, and each as one line in its own words."""

from __future__ import annotations

from typing import Any

from drilltui.engine import events as ev
from drilltui.engine.events import SYSTEM, Event
from drilltui.engine.state import RATINGS, DrillState
from drilltui.frozen import frozen
from drilltui.scenario import format_drill_time

# Kinds that are no activity of anyone: presence, read receipts, statements about the log.
QUIET = frozenset({"participant_joined", "participant_left", "message_read", "drill_attested", "console_lost"})
PARTY_SIDE = ("simcell", "controller")  # who receives what is addressed to outside parties


def party_side(state: DrillState) -> tuple[str, ...]:
    """The roles that play every outside party: the SimCell and the controllers (the implicit one, if none)."""
    roles = tuple(r.id for r in state.scenario.roles if r.kind in PARTY_SIDE)
    if not state.scenario.controllers:
        from drilltui.engine.state import CONTROL

        roles = (*roles, CONTROL)
    return roles


def _released(state: DrillState, b: ev.InjectReleased) -> tuple[str, ...]:
    inject = state.inject(b.inject)
    return inject.to if inject is not None else (b.to_role,)


def _climbed(state: DrillState, b: ev.InjectEscalated | ev.MessageEscalated) -> tuple[str, ...]:
    return (b.from_role, b.to_role)


def _lapsed(state: DrillState, b: ev.InjectExpired | ev.MessageExpired) -> tuple[str, ...]:
    return (b.role,) if b.role else ()


def _sent(state: DrillState, b: ev.MessageSent) -> tuple[str, ...]:
    return tuple(b.to) if not b.party else party_side(state)


def _status(state: DrillState, b: ev.RoleStatusChanged) -> tuple[str, ...]:
    return (b.role,)


# Beyond the actor's own role, who else an event of each kind concerns.
_OTHERS: dict[type, Any] = {
    ev.InjectReleased: _released,
    ev.InjectEscalated: _climbed, ev.MessageEscalated: _climbed,
    ev.InjectExpired: _lapsed, ev.MessageExpired: _lapsed,
    ev.MessageSent: _sent,
    ev.RoleStatusChanged: _status,
}
_QUIET_TYPES = frozenset(t for t in ev.KINDS.values() if t.KIND in QUIET)
# The kinds whose event concerns its actor's role alone (when it has one): a fold takes them without a call.
ACTOR_ONLY = frozenset(t for t in ev.KINDS.values() if t not in _QUIET_TYPES and t not in _OTHERS)


def concerned(state: DrillState, event: Event) -> tuple[str, ...]:
    """The roles whose activity log holds `event` (`state` is the state it acted on): sent to, by or escalated to them."""
    b = event.body
    kind = type(b)
    if kind in _QUIET_TYPES:
        return ()
    role: str | None = event.role
    others = _OTHERS.get(kind)
    if others is None:
        return (role,) if role else ()
    if kind is ev.InjectReleased and b.via == "adhoc":  # type: ignore[attr-defined]
        role = None  # its author's log has it as written (inject_added)
    found: tuple[str, ...] = others(state, b)
    if len(found) == 1 and (not role or found[0] == role):  # a status set by its own role, most often
        return found if found[0] else ()
    return tuple(dict.fromkeys(r for r in ((role, *found) if role else found) if r))


@frozen
class Activity:
    """One notable activity: when (drill and wall time), what kind, and what, in words."""

    drill_time: float
    wall_time: str
    what: str  # received, acknowledged, decided, escalated, said, tasked, asked, status, ...
    text: str
    by: str  # who did it: a participant, or `system`
    seq: int

    @property
    def clock(self) -> str:
        return format_drill_time(self.drill_time)


@frozen
class ActivityLog:
    """An ICS-214 Activity Log: the header blocks, and the role's notable activities in log order."""

    incident: str  # 1. incident name: the drill's title
    period_from: str  # 2. operational period: the drill's wall-clock span (ISO UTC)
    period_to: str
    role: str
    position: str  # 4. ICS position: the role's title
    name: str  # 3. name: who played the role (else its planned holder)
    prepared_by: str  # 8. prepared by
    activities: tuple[Activity, ...]


def _title(state: DrillState, role: str | None) -> str:
    found = state.scenario.role(role or "")
    return found.title if found else (role or "?")


def _inject_name(state: DrillState, inject_id: str) -> str:
    inject = state.inject(inject_id)
    adhoc = "ad-hoc inject " if inject_id in state.adhoc else ""
    return f"{adhoc}{inject_id}" + (f" \u201c{inject.title}\u201d" if inject is not None else "")


def _addressees(state: DrillState, m: ev.MessageSent) -> str:
    return f"{m.party} (outside party)" if m.party else ", ".join(_title(state, r) for r in m.to)


def _sender(state: DrillState, e: Event, m: ev.MessageSent) -> str:
    return f"{m.as_party} (outside party)" if m.as_party else _title(state, e.role)


def _message(state: DrillState, e: Event, m: ev.MessageSent, role: str) -> tuple[str, str]:
    """(what, text) of a message in the log of `role`: its sender's or an addressee's."""
    ask = "tasking" if m.task else ("request" if m.request else "")
    due = f", due {format_drill_time(m.due)}" if m.due is not None else ""
    reply = f", in reply to {m.reply_to}" if m.reply_to else ""
    about = f", about {m.inject}" if m.inject else ""
    tail = f"{due}{reply}{about}: {m.text}"
    if role == e.role:
        verb = {"tasking": "tasked", "request": "asked"}.get(ask, "said to")
        lead = f"as {m.as_party}, " if m.as_party else ""
        return ("tasked" if m.task else ("asked" if m.request else "said"),
                f"{m.id} {lead}{verb} {_addressees(state, m)}{tail}")
    verb = {"tasking": "tasked by", "request": "asked by"}.get(ask, "message from")
    to = f" to {m.party}" if m.party else ""
    return ("tasked" if m.task else ("asked" if m.request else "received"),
            f"{m.id} {verb} {_sender(state, e, m)}{to}{tail}")


def describe(state: DrillState, e: Event, role: str) -> tuple[str, str]:
    """(what, text): the event as a line of `role`'s activity log."""
    b = e.body
    mine = e.role == role
    # Notes and status changes first: most of a long drill's log (no kind is a subclass of another).
    if isinstance(b, ev.NoteAdded):
        about = ", ".join(x for x in (b.inject, b.role, b.objective) if x)
        return b.kind, f"{b.kind}" + (f" on {about}" if about else "") + f": {b.text}"
    if isinstance(b, ev.RoleStatusChanged):
        task = f": {b.task}" if b.task else ""
        if b.role == role:
            by = "" if mine else f" (set by {_title(state, e.role)})"
            return "status", f"status {b.status}{task}{by}"
        return "status", f"set {_title(state, b.role)}'s status to {b.status}{task}"
    if isinstance(b, ev.InjectReleased):
        inject = state.inject(b.inject)
        sender = inject.sender if inject and inject.sender else "Exercise control"
        method = f" by {inject.method}" if inject and inject.method != "other" else ""
        if role in (inject.to if inject else (b.to_role,)):
            deadline = f"; acknowledge by {format_drill_time(b.deadline)}" if b.deadline is not None and b.to_role == role else ""
            via = "ad hoc" if b.via == "adhoc" else b.via
            return "received", f"received {_inject_name(state, b.inject)} from {sender}{method} ({via}){deadline}"
        return "released", f"released {_inject_name(state, b.inject)} to {', '.join(_title(state, r) for r in inject.to) if inject else b.to_role}"
    if isinstance(b, ev.InjectAdded):
        return "wrote", f"wrote ad-hoc inject {b.inject} \u201c{b.title}\u201d to {', '.join(_title(state, r) for r in b.to)}"
    if isinstance(b, ev.InjectAcknowledged):
        return "acknowledged", f"acknowledged {_inject_name(state, b.inject)}"
    if isinstance(b, ev.InjectResolved):
        return "resolved", f"resolved {_inject_name(state, b.inject)}"
    if isinstance(b, ev.DecisionTaken):
        inject = state.inject(b.inject)
        option = inject.decision.option(b.option) if inject and inject.decision else None
        why = f" \u2014 {b.rationale}" if b.rationale else ""
        return "decided", f"decided {b.inject}: {b.option}" + (f" ({option.label})" if option else "") + why
    if isinstance(b, (ev.InjectEscalated, ev.MessageEscalated)):
        item = b.inject if isinstance(b, ev.InjectEscalated) else b.message
        why = "deadline passed" if isinstance(b, ev.MessageEscalated) or b.reason == "deadline" else "by hand"
        if role == b.to_role:
            return "escalated", f"{item} escalated to it from {_title(state, b.from_role)} ({why})"
        return "escalated", f"{item} escalated from {_title(state, b.from_role)} to {_title(state, b.to_role)} ({why})"
    if isinstance(b, ev.InjectExpired):
        return "deadline", f"{b.inject} not acknowledged by its deadline {format_drill_time(b.deadline)}"
    if isinstance(b, ev.MessageExpired):
        return "deadline", f"{b.message} not answered by {format_drill_time(b.due)}"
    if isinstance(b, ev.MessageSent):
        return _message(state, e, b, role)
    if isinstance(b, ev.ObjectiveRated):
        return "rated", f"rated {b.objective} {b.rating} ({RATINGS.get(b.rating, '?')})" + (f": {b.comment}" if b.comment else "")
    from drilltui.engine.describe import summary

    return b.KIND.split("_")[0], summary(e)


def activity_log(state: DrillState, role: str, *, until_wall: str = "", prepared_by: str = "") -> ActivityLog:
    """The ICS-214 log of `role` in `state`: every event sent to, by or escalated to it, in its own words.

    The operational period runs from the drill's start to its end, or to
    `until_wall` (a running drill: now) or the last activity.
    """
    found = state.scenario.role(role)
    position = found.title if found else _title(state, role)
    names = state.role_names.get(role, ())
    name = ", ".join(names) or (found.holder if found and found.holder else "") or "\u2014"
    entries = []
    for e in state.activity.get(role, ()):
        what, text = describe(state, e, role)
        entries.append(Activity(e.drill_time, e.wall_time, what, text, e.participant or SYSTEM, e.seq))
    start = state.started_wall or (entries[0].wall_time if entries else "")
    end = state.ended_wall or until_wall or (entries[-1].wall_time if entries else start)
    return ActivityLog(state.scenario.title, start, max(start, end), role, position, name,
                       prepared_by or (position if name in (position, "\u2014") else f"{name}, {position}"), tuple(entries))


def activity_logs(state: DrillState, roles: list[str] | None = None, **kwargs: str) -> tuple[ActivityLog, ...]:
    """The logs of `roles` (default: every role of the scenario that has an activity, in scenario order)."""
    if roles is None:
        roles = [r.id for r in state.scenario.roles if state.activity.get(r.id)]
        roles += [r for r in state.activity if state.scenario.role(r) is None]
    return tuple(activity_log(state, r, **kwargs) for r in roles)
