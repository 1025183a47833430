"""Commands: what a participant asks for, and the events each one produces if allowed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, ClassVar

from drilltui.engine import events as ev
from drilltui.engine import scheduler
from drilltui.engine.permissions import CLOCK, HOTWASH, NOTE, PLAY, RATE, RELEASE, Refused, may_act_on, require
from drilltui.engine.state import CORRECTABLE, EXPECTATION_MARKS, MAX_SPEED, MIN_SPEED, RATINGS, ROLE_STATUSES, DrillState
from drilltui.frozen import frozen
from drilltui.scenario import Decision

# A rating must say why: evaluators justify P, S, M or U in at least this many words.
RATING_WORDS = 3
WHAT_ENTRY = {"note_added": "note", "objective_rated": "rating", "hotwash_item_added": "hotwash item"}


@frozen
class Command:
    NAME: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1

    def to_data(self) -> dict[str, Any]:
        return {"do": self.NAME, **asdict(self)}


@frozen
class Start(Command):
    NAME = "start"


@frozen
class Pause(Command):
    NAME = "pause"


@frozen
class Resume(Command):
    NAME = "resume"


@frozen
class SetSpeed(Command):
    NAME = "speed"
    factor: float


@frozen
class End(Command):
    NAME = "end"
    reason: str = ""


@frozen
class Release(Command):
    NAME = "release"
    inject: str


@frozen
class Acknowledge(Command):
    NAME = "acknowledge"
    inject: str


@frozen
class Resolve(Command):
    NAME = "resolve"
    inject: str


@frozen
class Escalate(Command):
    NAME = "escalate"
    inject: str


@frozen
class Decide(Command):
    NAME = "decide"
    inject: str
    option: str
    rationale: str = ""


@frozen
class SetStatus(Command):
    NAME = "status"
    role: str
    status: str
    task: str = ""


@frozen
class AddNote(Command):
    NAME = "note"
    text: str
    kind: str = "note"
    inject: str | None = None
    role: str | None = None
    objective: str | None = None
    task: str | None = None


@frozen
class Rate(Command):
    NAME = "rate"
    objective: str
    rating: str
    comment: str = ""


@frozen
class AddHotwashItem(Command):
    NAME = "hotwash"
    section: str
    text: str
    objective: str | None = None
    corrective_action: str = ""
    owner: str | None = None
    due: str = ""


@frozen
class Amend(Command):
    """Correct a note, observation, rating or hotwash item; the original stays in the log."""

    NAME = "amend"
    entry: int  # the seq of the event that made it
    text: str
    rating: str | None = None
    reason: str = ""


@frozen
class Retract(Command):
    """Withdraw a note, observation, rating or hotwash item entered in error; the original stays in the log."""

    NAME = "retract"
    entry: int
    reason: str = ""


@frozen
class Join(Command):
    NAME = "join"
    participant: str


@frozen
class Leave(Command):
    NAME = "leave"
    participant: str


# -- free play (carried out in engine/freeplay.py) ---------------------------------------


@frozen
class WriteInject(Command):
    """Write an inject during play and send it at once: from then on it is like any inject of the MSEL."""

    NAME = "inject"
    to: tuple[str, ...]
    title: str
    id: str | None = None  # generated (ADHOC-1, ADHOC-2, ...) when not given
    sender: str | None = None  # `from`
    method: str = "other"
    severity: str = "medium"
    message: str = ""
    expected_action: str | None = None
    objectives: tuple[str, ...] = ()
    ack_within: int | None = None
    decision: Decision | None = None


@frozen
class SendMessage(Command):
    """A message to roles or to an outside party; a request or a tasking waits for an answer, by `due` if given."""

    NAME = "message"
    text: str
    to: tuple[str, ...] = ()
    party: str | None = None
    as_party: str | None = None
    request: bool = False
    task: bool = False
    due: float | None = None  # seconds from now it must be answered within
    due_at: float | None = None  # or the drill time it must be answered by
    escalate: bool = True
    reply_to: str | None = None
    inject: str | None = None


@frozen
class ReadMessage(Command):
    """Mark a message to this role as read (its unread mark goes, on every console of the role)."""

    NAME = "read"
    message: str


FREE_PLAY = (WriteInject, SendMessage, ReadMessage)


COMMANDS: dict[str, type[Command]] = {
    c.NAME: c
    for c in (Start, Pause, Resume, SetSpeed, End, Release, Acknowledge, Resolve, Escalate,
              Decide, SetStatus, AddNote, Rate, AddHotwashItem, Amend, Retract, Join, Leave, *FREE_PLAY)
}


@frozen
class MarkExpectation(Command):
    """An evaluator marks an expectation met, partial or not_met; over what the log says, it is an override."""

    NAME = "expectation"
    expectation: str
    status: str
    comment: str = ""


COMMANDS[MarkExpectation.NAME] = MarkExpectation


@frozen
class Rehearse(Command):
    """Mark a drill not yet started as a rehearsal under a response policy (engine/rehearsal.py)."""

    NAME = "rehearse"
    policy: str
    default: int | None = None
    roles: tuple[tuple[str, int | None], ...] = ()
    decisions: tuple[tuple[str, str], ...] = ()
    resolve: int | None = None


COMMANDS[Rehearse.NAME] = Rehearse


def _rehearse(state: DrillState, c: Rehearse, role: str) -> list[ev.EventBody]:
    require(state, role, CLOCK)
    if state.rehearsal is not None:
        raise Refused(f"this drill is already a rehearsal under policy {state.rehearsal.policy}")
    if state.phase != "ready":
        raise Refused("only a drill not yet started can be a rehearsal")
    return [ev.RehearsalStarted(c.policy, c.default, dict(c.roles), dict(c.decisions), c.resolve)]


def _mark(state: DrillState, c: MarkExpectation, role: str) -> list[ev.EventBody]:
    require(state, role, RATE)
    if state.phase == "ready":
        raise Refused("the drill has not started; there is nothing to mark yet")
    found = state.scenario.expectation(c.expectation)
    if found is None:
        raise Refused(f"there is no expectation '{c.expectation}'")
    if c.status not in EXPECTATION_MARKS:
        raise Refused(f"an expectation is marked {', '.join(EXPECTATION_MARKS)}, not '{c.status}'")
    inject = found[0]
    if not state.injects[inject.id].released:
        raise Refused(f"{inject.id} has not been released yet; its expectations cannot be judged")
    now = state.expectation(c.expectation)
    comment = c.comment.strip()
    overrides = now.logged if now.mark is None and now.logged != "open" else ""
    if overrides and len(comment.split()) < RATING_WORDS:
        raise Refused(f"the log says {c.expectation} was {overrides}; overriding it needs a reason of at least "
                      f"{RATING_WORDS} words")
    if not comment:
        raise Refused("a mark needs a comment saying what was seen")
    if now.mark is not None and (now.mark.status, now.mark.comment) == (c.status, comment):
        raise Refused(f"{c.expectation} is already marked {c.status} with that comment")
    return [ev.ExpectationMarked(c.expectation, c.status, comment, overrides)]


def _live(state: DrillState) -> None:
    if state.phase == "ready":
        raise Refused("the drill has not started; a controller starts it")
    if state.phase == "ended":
        raise Refused("the drill has ended")


def live_reason(state: DrillState) -> str | None:
    """Why nothing can be done in the drill now (not started, or ended), or None while it runs or is paused."""
    try:
        _live(state)
    except Refused as exc:
        return str(exc)
    return None


def _item(state: DrillState, role: str, inject_id: str) -> None:
    """Common checks before acting on a released, open item."""
    require(state, role, PLAY)
    _live(state)
    if state.inject(inject_id) is None:
        raise Refused(f"there is no inject '{inject_id}'")
    item = state.injects[inject_id]
    if not item.released:
        raise Refused(f"{inject_id} has not been released yet")
    if item.resolved_at is not None:
        raise Refused(f"{inject_id} is already resolved")
    if not may_act_on(state, role, inject_id):
        raise Refused(f"{inject_id} was not sent to {role} and is not held below it in the chain of command")


def _rationale(comment: str) -> None:
    if len(comment.split()) < RATING_WORDS:
        raise Refused(f"a rating needs a comment of at least {RATING_WORDS} words saying what supports it")


def _correctable(state: DrillState, role: str, seq: int) -> str:
    """The kind of the entry logged as event `seq`, if `role` may correct it; Refused otherwise."""
    kind = require(state, role, NOTE)
    entry = state.entry(seq)
    if entry is None:
        if 0 < seq <= state.seq:
            raise Refused(f"event {seq} is not a note, observation, rating or hotwash item; decisions, releases and "
                          "the drill's own events are part of the record and cannot be changed: add a note instead")
        raise Refused(f"there is no event {seq} in this drill")
    entry_kind, by_role = entry.kind, entry.role
    assert entry_kind in CORRECTABLE
    if kind != "controller" and by_role != role:
        raise Refused(f"only its author ({by_role}) or a controller may correct this {WHAT_ENTRY[entry_kind]}")
    fix = state.corrections.get(seq)
    if fix is not None and fix.retracted:
        raise Refused(f"this {WHAT_ENTRY[entry_kind]} was already retracted")
    return entry_kind


def handle(state: DrillState, command: Command, role: str, now: float) -> list[ev.EventBody]:
    """The events a command produces for `role` at drill time `now`, or Refused.

    Pure: the same state, command, role and time always give the same answer.
    """
    c = command
    if isinstance(c, Start):
        require(state, role, CLOCK)
        if state.phase != "ready":
            raise Refused("the drill has already started")
        return [ev.DrillStarted(state.scenario.id, state.scenario.title)]
    if isinstance(c, Pause):
        require(state, role, CLOCK)
        _live(state)
        if state.phase == "paused":
            raise Refused("the drill is already paused")
        return [ev.ClockPaused()]
    if isinstance(c, Resume):
        require(state, role, CLOCK)
        _live(state)
        if state.phase == "running":
            raise Refused("the drill is already running")
        return [ev.ClockResumed()]
    if isinstance(c, SetSpeed):
        require(state, role, CLOCK)
        if state.phase == "ended":
            raise Refused("the drill has ended")
        if not MIN_SPEED <= c.factor <= MAX_SPEED:
            raise Refused(f"speed {c.factor:g}x is outside {MIN_SPEED:g}x to {MAX_SPEED:g}x")
        if c.factor == state.clock.speed:
            raise Refused(f"the speed is already {c.factor:g}x")
        return [ev.ClockSpeedChanged(float(c.factor))]
    if isinstance(c, End):
        require(state, role, CLOCK)
        if state.phase == "ended":
            raise Refused("the drill has already ended")
        return [ev.DrillEnded(c.reason)]
    if isinstance(c, Release):
        kind = require(state, role, RELEASE)
        _live(state)
        inject = state.inject(c.inject)
        if inject is None:
            raise Refused(f"there is no inject '{c.inject}'")
        if inject.manual and kind != "controller":
            raise Refused(f"{c.inject} is a contingency inject; only a controller releases it")
        if state.injects[c.inject].released:
            raise Refused(f"{c.inject} has already been released")
        return [scheduler.release(state, c.inject, "manual", now)]
    if isinstance(c, Acknowledge):
        _item(state, role, c.inject)
        item = state.injects[c.inject]
        if item.acknowledged_at is not None:
            raise Refused(f"{c.inject} was already acknowledged by {item.acknowledged_by}")
        return [ev.InjectAcknowledged(c.inject, role)]
    if isinstance(c, Resolve):
        _item(state, role, c.inject)
        return [ev.InjectResolved(c.inject, role)]
    if isinstance(c, Escalate):
        _item(state, role, c.inject)
        up = scheduler.escalate(state, c.inject, "manual", now)
        if up is None:
            raise Refused(f"{c.inject} is held by {state.injects[c.inject].holder}, the top of its chain of command")
        return [up]
    if isinstance(c, Decide):
        _item(state, role, c.inject)
        inject = state.inject(c.inject)
        assert inject is not None
        if inject.decision is None:
            raise Refused(f"{c.inject} asks for no decision")
        if inject.decision.option(c.option) is None:
            options = ", ".join(o.id for o in inject.decision.options)
            raise Refused(f"'{c.option}' is not an option of {c.inject} ({options})")
        item = state.injects[c.inject]
        if item.decision is not None:
            raise Refused(f"{c.inject} was already decided: {item.decision}, by {item.decided_by}")
        out: list[ev.EventBody] = []
        if item.acknowledged_at is None:
            out.append(ev.InjectAcknowledged(c.inject, role))
        out.append(ev.DecisionTaken(c.inject, c.option, role, c.rationale.strip()))
        return out
    if isinstance(c, SetStatus):
        kind = require(state, role, PLAY)
        if c.role not in state.roles:
            raise Refused(f"there is no role '{c.role}'")
        if kind != "controller" and c.role != role:
            raise Refused(f"{role} may set only its own status, not {c.role}'s")
        if c.status not in ROLE_STATUSES:
            raise Refused(f"status '{c.status}' is not one of {', '.join(ROLE_STATUSES)}")
        now_in = state.roles[c.role]
        if (now_in.status, now_in.task) == (c.status, c.task):
            raise Refused(f"{c.role} is already {c.status}" + (f": {c.task}" if c.task else "") + "; nothing changed")
        return [ev.RoleStatusChanged(c.role, c.status, c.task)]
    if isinstance(c, AddNote):
        require(state, role, NOTE)
        if not c.text.strip():
            raise Refused("the note is empty")
        if c.kind not in ("note", "observation"):
            raise Refused(f"a note is a note or an observation, not '{c.kind}'")
        if c.inject is not None and state.inject(c.inject) is None:
            raise Refused(f"there is no inject '{c.inject}'")
        if c.role is not None and c.role not in state.roles:
            raise Refused(f"there is no role '{c.role}'")
        if c.objective is not None and state.scenario.objective(c.objective) is None:
            raise Refused(f"there is no objective '{c.objective}'")
        if c.task is not None:
            task = state.scenario.task(c.task)
            if task is None:
                raise Refused(f"there is no critical task '{c.task}'")
            if c.objective is not None and task[0].id != c.objective:
                raise Refused(f"task {c.task} belongs to objective {task[0].id}, not {c.objective}")
        return [ev.NoteAdded(c.text, c.kind, c.inject, c.role, c.objective, c.task)]
    if isinstance(c, Rate):
        require(state, role, RATE)
        if state.scenario.objective(c.objective) is None:
            raise Refused(f"there is no objective '{c.objective}'")
        if c.rating not in RATINGS:
            raise Refused(f"rating '{c.rating}' is not one of P, S, M, U")
        _rationale(c.comment)
        return [ev.ObjectiveRated(c.objective, c.rating, c.comment.strip())]
    if isinstance(c, AddHotwashItem):
        require(state, role, HOTWASH)
        if c.section not in ("strength", "improvement", "action"):
            raise Refused(f"a hotwash item is a strength, an improvement or an action, not '{c.section}'")
        if not c.text.strip():
            raise Refused("the hotwash item is empty")
        if c.objective is not None and state.scenario.objective(c.objective) is None:
            raise Refused(f"there is no objective '{c.objective}'")
        if c.owner is not None and c.owner not in state.roles:
            raise Refused(f"there is no role '{c.owner}'")
        return [ev.HotwashItemAdded(c.section, c.text, c.objective, c.corrective_action, c.owner, c.due)]
    if isinstance(c, (Amend, Retract)):
        kind = _correctable(state, role, c.entry)
        if isinstance(c, Retract):
            return [ev.EntryRetracted(c.entry, c.reason.strip())]
        if not c.text.strip():
            raise Refused(f"the corrected {WHAT_ENTRY[kind]} is empty; retract it instead")
        if kind == "objective_rated":
            if c.rating is not None and c.rating not in RATINGS:
                raise Refused(f"rating '{c.rating}' is not one of P, S, M, U")
            _rationale(c.text)
        elif c.rating is not None:
            raise Refused(f"a {WHAT_ENTRY[kind]} has no rating to correct")
        return [ev.EntryAmended(c.entry, c.text.strip(), c.rating, c.reason.strip())]
    if isinstance(c, Join):
        if state.role_kind(role) is None:
            raise Refused(f"'{role}' is not a role in this drill")
        return [ev.ParticipantJoined(c.participant, role)]
    if isinstance(c, Leave):
        if state.participants.get(c.participant) != role:
            raise Refused(f"{c.participant} has not joined as {role}")
        return [ev.ParticipantLeft(c.participant, role)]
    if isinstance(c, MarkExpectation):
        return _mark(state, c, role)
    if isinstance(c, Rehearse):
        return _rehearse(state, c, role)
    if isinstance(c, FREE_PLAY):
        from drilltui.engine.freeplay import handle_free_play

        return handle_free_play(state, c, role, now)
    raise Refused(f"unknown command {type(c).__name__}")
