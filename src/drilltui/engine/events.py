"""Events: what happened in a drill, as frozen, versioned, JSON-ready types."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime, timezone
from typing import Any, ClassVar

from drilltui.frozen import frozen
from drilltui.scenario.model import Decision, Inject, Option

SYSTEM = "system"  # the participant name of events the drill itself produces


@frozen(slots=True)
class EventBody:
    """The payload of one event kind; `KIND` is its snake_case name in the log."""

    KIND: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        renamed = getattr(self, "RENAMED", None)
        return {renamed.get(k, k): v for k, v in data.items()} if renamed else data


@frozen(slots=True)
class DrillStarted(EventBody):
    KIND = "drill_started"
    scenario: str
    title: str


@frozen(slots=True)
class DrillEnded(EventBody):
    KIND = "drill_ended"
    reason: str = ""


@frozen(slots=True)
class ClockPaused(EventBody):
    KIND = "clock_paused"
    reason: str = ""


@frozen(slots=True)
class ClockResumed(EventBody):
    KIND = "clock_resumed"


@frozen(slots=True)
class ClockSpeedChanged(EventBody):
    KIND = "clock_speed_changed"
    factor: float


@frozen(slots=True)
class InjectReleased(EventBody):
    KIND = "inject_released"
    inject: str
    via: str  # scheduled | triggered | manual
    to_role: str  # who holds it first
    deadline: float | None  # drill time by which it must be acknowledged


@frozen(slots=True)
class InjectAcknowledged(EventBody):
    KIND = "inject_acknowledged"
    inject: str
    role: str


@frozen(slots=True)
class InjectResolved(EventBody):
    KIND = "inject_resolved"
    inject: str
    role: str


@frozen(slots=True)
class InjectEscalated(EventBody):
    KIND = "inject_escalated"
    inject: str
    from_role: str
    to_role: str
    reason: str  # manual | deadline
    deadline: float | None


@frozen(slots=True)
class InjectExpired(EventBody):
    KIND = "inject_expired"
    inject: str
    role: str  # the holder whose deadline passed
    deadline: float


@frozen(slots=True)
class DecisionTaken(EventBody):
    KIND = "decision_taken"
    inject: str
    option: str
    role: str
    rationale: str = ""  # why, in the decider's words (optional)


@frozen(slots=True)
class RoleStatusChanged(EventBody):
    KIND = "role_status_changed"
    role: str
    status: str  # standby | active | busy | unreachable
    task: str = ""


@frozen(slots=True)
class NoteAdded(EventBody):
    KIND = "note_added"
    text: str
    kind: str = "note"  # note | observation
    inject: str | None = None
    role: str | None = None
    objective: str | None = None
    task: str | None = None  # the critical task it bears on


@frozen(slots=True)
class ObjectiveRated(EventBody):
    KIND = "objective_rated"
    objective: str
    rating: str  # P | S | M | U
    comment: str = ""


@frozen(slots=True)
class ParticipantJoined(EventBody):
    KIND = "participant_joined"
    participant: str
    role: str


@frozen(slots=True)
class ParticipantLeft(EventBody):
    KIND = "participant_left"
    participant: str
    role: str


@frozen(slots=True)
class HotwashItemAdded(EventBody):
    """A strength, an area for improvement or an improvement-plan item, from the hotwash."""

    KIND = "hotwash_item_added"
    section: str  # strength | improvement | action
    text: str
    objective: str | None = None
    corrective_action: str = ""
    owner: str | None = None  # a role id
    due: str = ""  # a date as the evaluator wrote it


@frozen(slots=True)
class EntryAmended(EventBody):
    """A note, observation, rating or hotwash item corrected by its author; the original stays in the log."""

    KIND = "entry_amended"
    entry: int  # the seq of the event it corrects
    text: str  # the corrected text (a rating's comment)
    rating: str | None = None  # a rating's corrected P/S/M/U
    reason: str = ""


@frozen(slots=True)
class EntryRetracted(EventBody):
    """A note, observation, rating or hotwash item withdrawn as entered in error; the original stays in the log."""

    KIND = "entry_retracted"
    entry: int  # the seq of the event it withdraws
    reason: str = ""


@frozen(slots=True)
class ConsoleLost(EventBody):
    """The console that ran the drill's clock stopped without leaving; the event's drill time is the last it reached."""

    KIND = "console_lost"
    participant: str
    went_on: bool  # another console took over the scheduler, so the drill went on without it


@frozen(slots=True)
class DrillAttested(EventBody):
    """Someone signed a statement of the log as it stood (docs/store.md, "Attestations").

    `statement` and `signature` are the signed text and its OpenSSH signature;
    `redacted_*` the same for the redacted log. `by`, `capacity` and `events`
    repeat the statement's fields for screens; a check compares them with it.
    `redaction_seed` is set on a drill's first attestation only.
    """

    KIND = "drill_attested"
    by: str
    capacity: str
    events: int  # the attested events: 1 to this seq
    statement: str
    signature: str
    redacted_statement: str = ""
    redacted_signature: str = ""
    redaction_seed: str = ""


# -- free play: injects written during play, and messages -----------------------------


@frozen
class InjectAdded(EventBody):
    """An inject a controller or the SimCell wrote during play, with its whole content (an `inject_released` follows).

    From then on it is an inject like any planned one; `after` triggers cannot
    name it. In the log its `sender` is written `from`, as scenario files write it.
    """

    KIND = "inject_added"
    RENAMED: ClassVar[dict[str, str]] = {"sender": "from"}
    inject: str
    to: tuple[str, ...]
    title: str
    sender: str | None = None
    method: str = "other"
    severity: str = "medium"
    message: str = ""
    expected_action: str | None = None
    objectives: tuple[str, ...] = ()
    ack_within: int | None = None
    decision: dict[str, Any] | None = None  # {"prompt": ..., "options": [{"id": ..., "label": ...}, ...]}

    def __post_init__(self) -> None:
        # JSON brings lists; a body read back from the log must equal the one written.
        object.__setattr__(self, "to", tuple(self.to))
        object.__setattr__(self, "objectives", tuple(self.objectives))
        if self.decision is not None:
            options = [{"id": o["id"], "label": o["label"]} for o in self.decision.get("options", ())]
            object.__setattr__(self, "decision", {"prompt": self.decision.get("prompt", ""), "options": options})

    def as_inject(self) -> Inject:
        """The inject it wrote, as the scenario model has injects (no `at`, `after` or `manual`)."""
        decision = None
        if self.decision is not None:
            decision = Decision(self.decision["prompt"], tuple(Option(o["id"], o["label"]) for o in self.decision["options"]))
        return Inject(self.inject, self.title, self.to, sender=self.sender, method=self.method, message=self.message,
                      expected_action=self.expected_action, objectives=self.objectives, severity=self.severity,
                      ack_within=self.ack_within, decision=decision)


@frozen
class MessageSent(EventBody):
    """A message to roles, or to an outside party (played by the SimCell); maybe a request or a tasking.

    `id` is `M-<n>`, numbered in the order sent. `due` is the drill time a
    request or tasking must be answered by; `escalate` says whether it then
    climbs the chain of command like an inject.
    """

    KIND = "message_sent"
    id: str
    text: str
    to: tuple[str, ...] = ()
    party: str | None = None  # an outside party's name; delivered to the SimCell and controllers
    as_party: str | None = None  # the outside party a SimCell or controller answers as
    request: bool = False
    task: bool = False
    due: float | None = None
    escalate: bool = True
    reply_to: str | None = None  # the id of the message it answers
    inject: str | None = None  # the inject it is about

    def __post_init__(self) -> None:
        object.__setattr__(self, "to", tuple(self.to))


@frozen
class MessageRead(EventBody):
    KIND = "message_read"
    message: str
    role: str


@frozen
class MessageExpired(EventBody):
    """A request or tasking not answered by its due time; a `message_escalated` follows when it climbs."""

    KIND = "message_expired"
    message: str
    role: str  # who held it ("" for one to an outside party)
    due: float


@frozen
class MessageEscalated(EventBody):
    KIND = "message_escalated"
    message: str
    from_role: str
    to_role: str
    due: float | None


FREE_PLAY: tuple[type[EventBody], ...] = (InjectAdded, MessageSent, MessageRead, MessageExpired, MessageEscalated)


_PLANNED: tuple[type[EventBody], ...] = (
        DrillStarted, DrillEnded, ClockPaused, ClockResumed, ClockSpeedChanged,
        InjectReleased, InjectAcknowledged, InjectResolved, InjectEscalated, InjectExpired,
        DecisionTaken, RoleStatusChanged, NoteAdded, ObjectiveRated,
        ParticipantJoined, ParticipantLeft, HotwashItemAdded, EntryAmended, EntryRetracted, ConsoleLost,
        DrillAttested,
)
KINDS: dict[str, type[EventBody]] = {cls.KIND: cls for cls in (*_PLANNED, *FREE_PLAY)}


@frozen
class ExpectationMissed(EventBody):
    """An expectation's `within` passed with nothing in the log meeting it and no evaluator's mark."""

    KIND = "expectation_missed"
    expectation: str
    inject: str
    due: float  # the drill time by which it was to be met


@frozen
class ExpectationMarked(EventBody):
    """An evaluator's judgement of an expectation: met, partial or not_met, with what supports it."""

    KIND = "expectation_marked"
    expectation: str
    status: str  # met | partial | not_met
    comment: str
    overrides: str = ""  # the status from the log it replaces (met, missed); "" for a first or a further mark


KINDS.update({cls.KIND: cls for cls in (ExpectationMissed, ExpectationMarked)})


@frozen
class RehearsalStarted(EventBody):
    """The drill is a rehearsal: played forward on a virtual clock with simulated responses (docs/rehearsal.md).

    Logged before `drill_started`, so the log itself says what was assumed:
    `policy` as it was given (`nobody`, `everyone:1m`, a file's name), and the
    response times and choices it stands for. A response time is seconds, or
    None for a role that does not answer.
    """

    KIND = "rehearsal_started"
    policy: str
    default: int | None = None  # response time of roles not named in `roles`
    roles: dict[str, int | None] | None = None
    decisions: dict[str, str] | None = None  # inject id -> option id; others take their first option
    resolve: int | None = None  # seconds after acknowledging that the acknowledging role resolves it; None: never

    def __post_init__(self) -> None:
        # JSON brings plain dicts back; a body read from the log must equal the one written.
        object.__setattr__(self, "roles", dict(self.roles or {}))
        object.__setattr__(self, "decisions", dict(self.decisions or {}))


KINDS[RehearsalStarted.KIND] = RehearsalStarted


class UnknownEvent(ValueError):
    """An event kind or version this drilltui does not know (a newer writer)."""


def body_from_data(kind: str, data: dict[str, Any], version: int = 1) -> EventBody:
    """Rebuild an event body from its log form."""
    reader = _READERS.get(kind)
    if reader is None:
        reader = _reader(kind)
    cls, names, back = reader
    if version > cls.VERSION:
        raise UnknownEvent(f"event '{kind}' version {version} is newer than this drilltui reads ({cls.VERSION})")
    if back:
        data = {back.get(k, k): v for k, v in data.items()}
    return cls(**(data if names.issuperset(data) else {k: v for k, v in data.items() if k in names}))


# Per kind, asked once and kept (replaying a long drill reads many): its class, its field names, and its
# log names back to field names where they differ.
_READERS: dict[str, tuple[type[EventBody], frozenset[str], dict[str, str]]] = {}


def _reader(kind: str) -> tuple[type[EventBody], frozenset[str], dict[str, str]]:
    cls = KINDS.get(kind)
    if cls is None:
        raise UnknownEvent(f"unknown event kind '{kind}'; it was written by a newer drilltui")
    renamed = getattr(cls, "RENAMED", None) or {}
    reader = (cls, frozenset(f.name for f in fields(cls)), {v: k for k, v in renamed.items()})
    _READERS[kind] = reader
    return reader


@frozen(slots=True)
class Event:
    """An event with its envelope: when it happened and who did it."""

    body: EventBody
    drill_time: float
    wall_time: str  # ISO-8601 UTC
    participant: str = SYSTEM
    role: str = ""
    seq: int = 0

    @property
    def kind(self) -> str:
        return self.body.KIND


def utc_iso(epoch: float) -> str:
    """ISO-8601 UTC with microseconds, as the log stores wall time."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> float:
    """Epoch seconds of an ISO-8601 UTC time as `utc_iso` writes it."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
