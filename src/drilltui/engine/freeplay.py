"""Free play: the events of injects written during play, of messages, requests and taskings, if allowed."""

from __future__ import annotations

import re

from drilltui.engine import events as ev
from drilltui.engine import scheduler
from drilltui.engine.commands import (
    ReadMessage,
    SendMessage,
    WriteInject,
    _live,  # the same rule as every other act of play
)
from drilltui.engine.permissions import INJECT, MESSAGE, Refused, addressed_to, may_read, may_see, require
from drilltui.engine.state import DrillState
from drilltui.scenario.model import METHODS, SEVERITIES

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")  # as the scenario format's inject ids
ADHOC = "ADHOC"
PARTY_LENGTH = 80  # an outside party's name is a name, not a message


def next_adhoc_id(state: DrillState) -> str:
    """ADHOC-1, ADHOC-2, ...: the first that names no inject of the drill."""
    n = 1
    while state.inject(f"{ADHOC}-{n}") is not None:
        n += 1
    return f"{ADHOC}-{n}"


def _recipients(state: DrillState, to: tuple[str, ...], what: str) -> None:
    if not to:
        raise Refused(f"{what} needs at least one role to go to")
    for r in to:
        kind = state.role_kind(r)
        if kind is None:
            raise Refused(f"there is no role '{r}'")
        if kind == "observer":
            raise Refused(f"{r} is an observer, who takes no part in play")
    if len(set(to)) != len(to):
        raise Refused(f"{what} names a role twice")


def _write_inject(state: DrillState, c: WriteInject, role: str, now: float) -> list[ev.EventBody]:
    require(state, role, INJECT)
    _live(state)
    inject_id = c.id if c.id is not None else next_adhoc_id(state)
    if not ID.match(inject_id):
        raise Refused(f"'{inject_id}' is not an inject id: letters, digits, '.', '_' and '-', starting with a letter or digit")
    if state.inject(inject_id) is not None:
        raise Refused(f"there is already an inject {inject_id}; choose another id")
    _recipients(state, c.to, "an inject")
    if state.scenario.role(c.to[0]) is None:
        raise Refused(f"{c.to[0]} is not a role of the scenario, so nobody can hold the inject")
    if not c.title.strip():
        raise Refused("the inject needs a title")
    if c.method not in METHODS:
        raise Refused(f"method '{c.method}' is not one of {', '.join(METHODS)}")
    if c.severity not in SEVERITIES:
        raise Refused(f"severity '{c.severity}' is not one of {', '.join(SEVERITIES)}")
    for objective in c.objectives:
        if state.scenario.objective(objective) is None:
            raise Refused(f"there is no objective '{objective}'")
    if c.ack_within is not None and c.ack_within <= 0:
        raise Refused("an acknowledgement deadline must be at least one second")
    decision = None
    if c.decision is not None:
        options = c.decision.options
        if not c.decision.prompt.strip():
            raise Refused("a decision needs a prompt (the question the players must answer)")
        if len(options) < 2:
            raise Refused("a decision needs at least two options")
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids) or not all(ID.match(i) for i in ids):
            raise Refused("each option of a decision needs its own id (letters, digits, '.', '_' and '-')")
        if not all(o.label.strip() for o in options):
            raise Refused("each option of a decision needs a label")
        decision = {"prompt": c.decision.prompt.strip(), "options": [{"id": o.id, "label": o.label.strip()} for o in options]}
    added = ev.InjectAdded(inject_id, tuple(c.to), c.title.strip(), (c.sender or "").strip() or None, c.method,
                           c.severity, c.message.strip(), (c.expected_action or "").strip() or None, tuple(c.objectives),
                           c.ack_within, decision)
    return [added, scheduler.release(state, inject_id, "adhoc", now, added.as_inject())]


def _send(state: DrillState, c: SendMessage, role: str, now: float) -> list[ev.EventBody]:
    kind = require(state, role, MESSAGE)
    _live(state)
    text = c.text.strip()
    if not text:
        raise Refused("the message is empty")
    party = (c.party or "").strip() or None
    if bool(party) == bool(c.to):
        raise Refused("a message goes either to roles or to an outside party (the SimCell plays it), not both"
                      if party else "a message needs roles to go to, or an outside party")
    if party is not None and len(party) > PARTY_LENGTH:
        raise Refused(f"an outside party's name is at most {PARTY_LENGTH} characters")
    if c.to:
        _recipients(state, c.to, "a message")
    as_party = (c.as_party or "").strip() or None
    if as_party is not None:
        if kind not in ("simcell", "controller"):
            raise Refused("only the SimCell or a controller answers as an outside party")
        if party is not None:
            raise Refused("answering as an outside party, write to roles, not to another party")
        if len(as_party) > PARTY_LENGTH:
            raise Refused(f"an outside party's name is at most {PARTY_LENGTH} characters")
    if c.task and party is not None:
        raise Refused("a tasking is assigned to a role, not to an outside party")
    asks = c.request or c.task
    if c.due is not None and c.due_at is not None:
        raise Refused("give a due time either from now or as a drill time, not both")
    due = c.due_at if c.due_at is not None else (None if c.due is None else now + c.due)
    if due is not None:
        if not asks:
            raise Refused("only a request or a tasking has a due time")
        if due <= now:
            raise Refused(f"the due time {due:g} s is not after now ({now:g} s)")
    reply_to = c.reply_to
    if reply_to is not None:
        parent = state.messages.get(reply_to)
        if parent is None:
            raise Refused(f"there is no message '{reply_to}' to reply to")
        if not may_read(state, role, parent):
            raise Refused(f"{reply_to} was not sent to or by {role}")
    if c.inject is not None:
        if state.inject(c.inject) is None:
            raise Refused(f"there is no inject '{c.inject}'")
        if not may_see(state, role, c.inject):
            raise Refused(f"{c.inject} was not sent to {role} or its chain of command")
    return [ev.MessageSent(f"M-{len(state.messages) + 1}", text, tuple(c.to), party, as_party, c.request, c.task,
                           None if due is None else round(due, 6), c.escalate, reply_to, c.inject)]


def _read(state: DrillState, c: ReadMessage, role: str) -> list[ev.EventBody]:
    require(state, role, MESSAGE)
    message = state.messages.get(c.message)
    if message is None:
        raise Refused(f"there is no message '{c.message}'")
    if not addressed_to(state, role, message):
        raise Refused(f"{c.message} is not addressed to {role}")
    if role in message.read_by:
        raise Refused(f"{c.message} was already read by {role}")
    return [ev.MessageRead(c.message, role)]


def handle_free_play(state: DrillState, command: WriteInject | SendMessage | ReadMessage, role: str,
                     now: float) -> list[ev.EventBody]:
    """The events of a free-play command for `role` at drill time `now`, or Refused (see commands.handle)."""
    if isinstance(command, WriteInject):
        return _write_inject(state, command, role, now)
    if isinstance(command, SendMessage):
        return _send(state, command, role, now)
    return _read(state, command, role)
