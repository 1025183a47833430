"""Who may do what: checked on every command, whatever screen sent it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from drilltui.engine.state import DrillState, MessageState

# What each kind of role may do beyond reading. Controllers direct the whole
# exercise (the Exercise Director sits here), so they may act for any role.
CLOCK = "clock"  # start, pause, resume, speed, end
RELEASE = "release"
PLAY = "play"  # acknowledge, resolve, escalate, decide, status of their own items/role
NOTE = "note"
RATE = "rate"
HOTWASH = "hotwash"

ALLOWED: dict[str, frozenset[str]] = {
    "controller": frozenset({CLOCK, RELEASE, PLAY, NOTE, RATE, HOTWASH}),
    "simcell": frozenset({RELEASE, NOTE}),
    "evaluator": frozenset({NOTE, RATE, HOTWASH}),
    "player": frozenset({PLAY, NOTE}),
    "observer": frozenset(),
}

WHAT = {
    CLOCK: "run the drill clock",
    RELEASE: "release injects",
    PLAY: "act on injects",
    NOTE: "add notes",
    RATE: "rate objectives",
    HOTWASH: "record hotwash items",
}

# Free play: writing injects during play (controllers and the SimCell), and messages (everyone but observers).
INJECT = "inject"
MESSAGE = "message"
FREE_PLAY: dict[str, frozenset[str]] = {"controller": frozenset({INJECT, MESSAGE}), "simcell": frozenset({INJECT, MESSAGE}),
                                        "evaluator": frozenset({MESSAGE}), "player": frozenset({MESSAGE})}
ALLOWED = {kind: powers | FREE_PLAY.get(kind, frozenset()) for kind, powers in ALLOWED.items()}
WHAT.update({INJECT: "write injects during play", MESSAGE: "send messages"})


class Refused(Exception):
    """A command that may not be carried out; no event is written. `str()` is the reason."""


def require(state: DrillState, role: str, power: str) -> str:
    """The role's kind if it holds `power`; raise Refused otherwise."""
    kind = state.role_kind(role)
    if kind is None:
        raise Refused(f"'{role}' is not a role in this drill")
    if power not in ALLOWED[kind]:
        found = state.scenario.role(role)
        title = found.title if found is not None else role
        raise Refused(f"{title} ({kind}) may not {WHAT[power]}")
    return kind


def may_act_on(state: DrillState, role: str, inject_id: str) -> bool:
    """Whether `role` may acknowledge, resolve, escalate or decide this item.

    Any role it was sent to, its holder, or a role above the holder in the
    chain of command; controllers always.
    """
    if state.role_kind(role) == "controller":
        return True
    inject = state.inject(inject_id)
    item = state.injects.get(inject_id)
    if inject is None or item is None:
        return False
    if role in inject.to or role == item.holder:
        return True
    return item.holder is not None and role in state.scenario.chain_of(item.holder)


def may_see(state: DrillState, role: str, inject_id: str) -> bool:
    """Whether `role` sees this item: players see what reaches them or their chain.

    Controllers, the SimCell, evaluators and observers see everything; a
    player sees items sent to it, held by it, or held below it.
    """
    kind = state.role_kind(role)
    if kind != "player":
        return kind is not None
    if may_act_on(state, role, inject_id):
        return True
    inject = state.inject(inject_id)
    return inject is not None and any(role in state.scenario.chain_of(to) for to in inject.to)


def may_read(state: DrillState, role: str, message: MessageState) -> bool:
    """Whether `role` reads this message: what was sent to or by it; the SimCell all outside-party traffic.

    Controllers, evaluators and observers read all traffic; a player only
    what its own role sent or was sent (held, once a request climbed to it).
    """
    kind = state.role_kind(role)
    if kind is None:
        return False
    if kind in ("controller", "evaluator", "observer"):
        return True
    if role == message.sender or role in message.to or role == message.holder:
        return True
    if kind == "simcell" and (message.party is not None or message.as_party is not None):
        return True
    return message.escalations > 0 and role in _holders(message)


def _holders(message: MessageState) -> set[str]:
    from drilltui.engine import events as ev

    return {e.body.to_role for e in message.history if isinstance(e.body, ev.MessageEscalated)}


def addressed_to(state: DrillState, role: str, message: MessageState) -> bool:
    """Whether the message is for `role` to read and answer: sent to it, held by it, or (SimCell, controllers) to an outside party."""
    if role == message.sender and message.as_party is None:
        return False
    if role in message.to or role == message.holder:
        return True
    return message.party is not None and state.role_kind(role) in ("simcell", "controller")


def answers(state: DrillState, role: str, message: MessageState) -> bool:
    """Whether a reply by `role` answers this request or tasking: its addressee, the holder or above it, or a controller.

    To an outside party, the SimCell or a controller answers; its sender's own replies never do.
    """
    if role == message.sender:
        return False
    kind = state.role_kind(role)
    if kind == "controller":
        return True
    if message.party is not None:
        return kind == "simcell"
    if role in message.to or role == message.holder:
        return True
    return message.holder is not None and role in state.scenario.chain_of(message.holder)


def readable_logs(state: DrillState, role: str) -> list[str]:
    """The roles whose activity log `role` may read: its own; every role's for controllers, evaluators and observers.

    A log holds a role's messages, so a player or the SimCell reads only its own.
    """
    kind = state.role_kind(role)
    if kind in ("controller", "evaluator", "observer"):
        ids = [r.id for r in state.scenario.roles]
        return ids if role in ids else [role, *ids]  # the implicit exercise control, first
    return [role] if kind is not None else []


def may(state: DrillState, role: str, power: str) -> bool:
    """Whether the role's kind holds `power` (for showing only the keys that apply)."""
    kind = state.role_kind(role)
    return kind is not None and power in ALLOWED[kind]


# What a console can offer, by action id: each is tried against `handle`, so what is offered
# is exactly what would be accepted. Item actions need the selected inject; corrections the entry.
ACTIONS: tuple[str, ...] = ("start", "toggle_clock", "speed_up", "speed_down", "end", "release", "release_next",
           "acknowledge", "resolve", "escalate", "decide", "status", "note", "rate", "hotwash", "amend", "retract")
# The evaluator's board: mark an expectation the log has not settled, or override what the log says.
EVALUATION_ACTIONS = ("mark_expectation", "override_expectation")
ACTIONS += EVALUATION_ACTIONS
# Free play: write an inject now, write a message, reply to the selected message.
ACTIONS += ("write_inject", "write_message", "reply")


def evaluation_actions(state: DrillState, role: str, now: float, expectation: str | None) -> dict[str, str | None]:
    """`mark_expectation` and `override_expectation` for the selected expectation: None if allowed, else why not."""
    from drilltui.engine import commands as c

    if expectation is None:
        why = require_reason(state, role, RATE) or "select an expectation first"
        return dict.fromkeys(EVALUATION_ACTIONS, why)
    current = state.expectation(expectation)
    from_log = current.mark is None and current.logged != "open"
    try:
        c.handle(state, c.MarkExpectation(expectation, "partial", "what supports this mark"), role, now)
        reason = None
    except Refused as exc:
        reason = str(exc)
    settled = f"the log says {expectation} was {current.logged}: override it instead"
    return {"mark_expectation": reason if reason is not None else (settled if from_log else None),
            "override_expectation": reason if reason is not None else (
                None if from_log else f"{expectation} is {current.status.replace('_', ' ')} by an evaluator or open, "
                                      "not settled by the log: mark it instead")}


def actions(state: DrillState, role: str, now: float, *, inject: str | None = None,
            entry: int | None = None, message: str | None = None, expectation: str | None = None) -> dict[str, str | None]:
    """Every action id mapped to None when `role` may do it now, else the one-line reason it may not."""
    from drilltui.engine import commands as c
    from drilltui.engine.scheduler import next_scheduled_release

    def attempt(*commands: c.Command) -> str | None:
        return first_allowed(commands)

    def first_allowed(commands: Iterable[c.Command]) -> str | None:
        """None at the first of `commands` the role may give now (the rest are not made), else the last refusal."""
        reason = "nothing to do"
        for command in commands:
            try:
                c.handle(state, command, role, now)
                return None
            except Refused as exc:
                reason = str(exc)
        return reason

    speed = state.clock.speed
    out: dict[str, str | None] = {
        "start": attempt(c.Start()),
        "toggle_clock": attempt(c.Resume() if state.phase == "paused" else c.Pause()),
        "speed_up": attempt(c.SetSpeed(min(64.0, speed * 2))),
        "speed_down": attempt(c.SetSpeed(max(0.25, speed / 2))),
        "end": attempt(c.End()),
    }
    unreleased = (i.id for i in state.scenario.injects if not state.injects[i.id].released)
    first = next(unreleased, None)
    # What refuses one release refuses them all, before any inject is looked at: asked once, not of each of
    # thousands of planned injects on every redraw of every console.
    out["release"] = "every inject has been released" if first is None else (
        require_reason(state, role, RELEASE) or c.live_reason(state)
        or first_allowed(c.Release(i) for i in itertools.chain((first,), unreleased)))
    # A role that may not release is told so, not first made to wait for a search of the whole MSEL's timings.
    out["release_next"] = require_reason(state, role, RELEASE) or (
        attempt(c.Release(nxt[1])) if (nxt := next_scheduled_release(state))
        else "nothing more is scheduled; release picks any inject")
    if inject is None:
        for name in ("acknowledge", "resolve", "escalate", "decide"):
            out[name] = require_reason(state, role, PLAY) or "select an inject first"
    else:
        decision = state.inject(inject)
        options = decision.decision.options if decision and decision.decision else ()
        out["acknowledge"] = attempt(c.Acknowledge(inject))
        out["resolve"] = attempt(c.Resolve(inject))
        out["escalate"] = attempt(c.Escalate(inject))
        out["decide"] = attempt(*(c.Decide(inject, o.id) for o in options)) if options else attempt(c.Decide(inject, ""))
    own = state.roles.get(role)
    targets = [own] if own is not None else []
    if state.role_kind(role) == "controller":
        targets = list(state.roles.values())
    out["status"] = attempt(*(c.SetStatus(r.id, "busy" if r.status != "busy" else "active", r.task) for r in targets)) \
        if targets else require_reason(state, role, PLAY) or "this console has no role of its own to set"
    out["note"] = attempt(c.AddNote("note", inject=inject))
    objectives = state.scenario.objectives
    out["rate"] = attempt(c.Rate(objectives[0].id, "P", "what supports it")) if objectives \
        else require_reason(state, role, RATE) or "this scenario has no objectives to rate"
    out["hotwash"] = attempt(c.AddHotwashItem("strength", "strength"))
    if entry is None:
        out["amend"] = out["retract"] = require_reason(state, role, NOTE) or "select a note, rating or hotwash item first"
    else:
        out["retract"] = attempt(c.Retract(entry))
        found = state.entry(entry)
        kind = found.kind if found is not None else ""
        out["amend"] = attempt(c.Amend(entry, "corrected text" if kind != "objective_rated" else "what supports it"))
    out.update(free_play_actions(state, role, attempt, message))
    out.update(evaluation_actions(state, role, now, expectation))
    return out


def free_play_actions(state: DrillState, role: str, attempt: Callable[..., str | None],
                      message: str | None) -> dict[str, str | None]:
    """Whether `role` may write an inject, a message, or a reply to `message` now."""
    from drilltui.engine import commands as c

    to = next((r.id for r in state.scenario.roles if r.kind != "observer"), None)
    nobody = "the scenario has no role to send it to"
    out = {"write_inject": attempt(c.WriteInject((to,), "title")) if to else require_reason(state, role, INJECT) or nobody,
           "write_message": attempt(c.SendMessage("text", (to,))) if to else require_reason(state, role, MESSAGE) or nobody}
    found = state.messages.get(message or "")
    if found is None:
        out["reply"] = require_reason(state, role, MESSAGE) or "select a message first"
    else:
        out["reply"] = attempt(c.SendMessage("text", *reply_route(state, role, found), reply_to=found.id))
    return out


def reply_route(state: DrillState, role: str, message: MessageState) -> tuple[tuple[str, ...], str | None, str | None]:
    """Where a reply by `role` goes: (to, party, as_party). Back to its sender, or to the party it came from.

    What the SimCell or a controller answers to an outside party's message goes out as that party.
    """
    if message.as_party is not None and role != message.sender:
        return (), message.as_party, None  # answering what an outside party said: to that party
    if message.party is not None and role != message.sender and state.role_kind(role) in ("simcell", "controller"):
        return (message.sender,), None, message.party
    if role == message.sender:
        return (message.to, message.party, message.as_party)
    return (message.sender,), None, None


def available(state: DrillState, role: str, now: float, **target: object) -> set[str]:
    """The action ids `role` may carry out now (see `actions` for why the others may not)."""
    return {name for name, reason in actions(state, role, now, **target).items() if reason is None}  # type: ignore[arg-type]


def require_reason(state: DrillState, role: str, power: str) -> str | None:
    """Why `role` may never use `power`, or None if its kind holds it."""
    try:
        require(state, role, power)
    except Refused as exc:
        return str(exc)
    return None
