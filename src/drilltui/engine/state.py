"""The drill's state: everything a screen needs, as frozen data folded from events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import field
from itertools import chain, islice
from typing import Generic, TypeVar

from drilltui.engine.events import Event, RehearsalStarted
from drilltui.frozen import frozen
from drilltui.scenario import Inject, Scenario

T = TypeVar("T")
_Held = TypeVar("_Held", "InjectState", "MessageState")  # what a role holds open: an item, or an ask

ROLE_STATUSES = ("standby", "active", "busy", "unreachable")
RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
MIN_SPEED, MAX_SPEED = 0.25, 64.0
CONTROL = "exercise-control"  # the implicit controller role when a scenario names none


class Appended(Generic[T]):
    """An immutable sequence that appends in O(1) by sharing its buffer.

    A view sees only its own prefix of a shared list, so older states never
    change. Appending to an older view (a replay folding on from a snapshot)
    branches off: the new view keeps the older one as its base and starts a
    list of its own, so a branch costs O(1), not a copy of everything logged
    so far. Branches of branches are flattened past `DEEPEST` levels, which
    keeps reading an item O(1).
    """

    __slots__ = ("_items", "_n", "_root")
    DEEPEST = 8

    def __init__(self, items: list[T] | None = None, n: int | None = None) -> None:
        self._items = items if items is not None else []  # this view's items, shared with later views
        self._n = len(self._items) if n is None else n
        # None, or (base, cut, depth) for a branch: its first `cut` items are the base view's, then `_items`.
        self._root: tuple[Appended[T], int, int] | None = None

    def _grown(self, more: list[T]) -> "Appended[T]":
        """A new view: this one followed by `more`."""
        new: Appended[T] = object.__new__(Appended)  # a fold adds one per note: no __init__ to run
        items, n, root = self._items, self._n, self._root
        cut, depth = (0, 0) if root is None else root[1:]
        own = n - cut
        if len(items) == own:  # nobody appended past this view: share its list
            items.extend(more)
            new._items, new._root = items, root
        elif not own:  # nothing of its own yet: start afresh on the same base
            new._items, new._root = more, root
        elif depth < self.DEEPEST:
            new._items, new._root = more, (self, n, depth + 1)
        else:
            new._items, new._root = [*self, *more], None
        new._n = n + len(more)
        return new

    def add(self, item: T) -> "Appended[T]":
        items, n, root = self._items, self._n, self._root
        if len(items) == (n if root is None else n - root[1]):  # the usual case, kept short
            items.append(item)
            new: Appended[T] = object.__new__(Appended)
            new._items, new._n, new._root = items, n + 1, root
            return new
        return self._grown([item])

    def extend(self, more: list[T]) -> "Appended[T]":
        """This sequence followed by `more`, as as many `add`s would give."""
        return self._grown(list(more))

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[T]:
        root = self._root
        if root is None:
            return islice(self._items, self._n)
        base, cut, _ = root
        return chain(islice(base, cut), islice(self._items, self._n - cut))

    def __getitem__(self, i: int) -> T:
        if isinstance(i, slice):
            return list(self)[i]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        view = self
        while view._root is not None:
            base, cut, _ = view._root
            if i >= cut:
                return view._items[i - cut]
            view = base
        return view._items[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Appended):
            return self._n == other._n and all(a is b or a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Appended({list(self)!r})"


@frozen
class Clock:
    """Drill time as a function of wall time: anchored at the last clock event."""

    running: bool = False
    speed: float = 1.0
    anchor_drill: float = 0.0
    anchor_wall: float = 0.0  # epoch seconds

    def at(self, wall: float) -> float:
        if not self.running:
            return self.anchor_drill
        return self.anchor_drill + max(0.0, wall - self.anchor_wall) * self.speed


@frozen
class InjectState:
    id: str
    released_at: float | None = None
    via: str = ""
    holder: str | None = None
    deadline: float | None = None
    acknowledged_at: float | None = None
    acknowledged_by: str | None = None
    resolved_at: float | None = None
    resolved_by: str | None = None
    escalations: int = 0  # levels climbed since release
    expirations: int = 0
    decision: str | None = None
    decided_by: str | None = None
    decided_at: float | None = None
    rationale: str = ""
    # Its deadline passed at the top of its chain of command and nobody has acknowledged it since.
    unanswered: bool = False
    history: Appended[Event] = field(default_factory=Appended)  # every event about it, notes included, in log order

    @property
    def released(self) -> bool:
        return self.released_at is not None

    @property
    def open(self) -> bool:
        return self.released_at is not None and self.resolved_at is None

    @property
    def status(self) -> str:
        """pending, new, acknowledged, decided, escalated, expired, overdue or resolved, from its whole history."""
        if self.released_at is None:
            return "pending"
        if self.resolved_at is not None:
            return "resolved"
        if self.decision is not None:
            return "decided"
        if self.acknowledged_at is not None:
            return "acknowledged"
        if self.unanswered:
            return "overdue"
        if self.escalations:
            return "escalated"
        if self.expirations:
            return "expired"
        return "new"

    def status_at(self, now: float) -> str:
        """The status at drill time `now`: also overdue once a deadline has passed, before the scheduler logs it."""
        return "overdue" if self.overdue(now) else self.status

    def overdue(self, now: float) -> bool:
        """Open, unacknowledged and past its deadline, or left unanswered at the top of its chain."""
        if not self.open or self.acknowledged_at is not None:
            return False
        return self.unanswered or (self.deadline is not None and now >= self.deadline)


@frozen
class RoleState:
    id: str
    status: str = "standby"
    task: str = ""
    participants: tuple[str, ...] = ()  # names connected as this role now
    notes: Appended[int] = field(default_factory=Appended)  # seqs of the notes and observations about this role


@frozen(slots=True)  # one per note in a long drill: no per-object dict
class Note:
    text: str
    kind: str
    drill_time: float
    participant: str
    by_role: str
    inject: str | None = None
    role: str | None = None
    objective: str | None = None
    seq: int = 0
    task: str | None = None


@frozen
class Rating:
    objective: str
    rating: str
    comment: str
    by_role: str
    participant: str
    drill_time: float
    seq: int = 0


@frozen
class HotwashItem:
    section: str
    text: str
    objective: str | None
    corrective_action: str
    owner: str | None
    due: str
    by_role: str
    participant: str
    seq: int = 0


@frozen
class Correction:
    """The latest correction of an entry: its amended text (and rating), or that it was retracted."""

    seq: int  # of the correcting event
    retracted: bool
    text: str
    rating: str | None
    reason: str
    participant: str
    drill_time: float


# What an evaluator may mark an expectation; `missed` and `open` come from the log alone.
EXPECTATION_MARKS = ("met", "partial", "not_met")
EXPECTATION_STATUSES = ("met", "partial", "not_met", "missed", "open")


@frozen
class Mark:
    """An evaluator's mark of an expectation."""

    status: str
    comment: str
    by_role: str
    participant: str
    drill_time: float
    seq: int
    overrides: str = ""


@frozen
class ExpectationState:
    """How an expectation stands in the log: met by the log, missed, marked by an evaluator, or open."""

    id: str
    inject: str
    released_at: float | None = None
    due: float | None = None  # release + within
    met_at: float | None = None  # its `when` reached by an expected role in time
    met_by: str | None = None
    acted_at: float | None = None  # the first action of an expected role that counts for it (time to action)
    acted_by: str | None = None
    missed_at: float | None = None
    marks: tuple[Mark, ...] = ()  # every mark, oldest first; the last counts

    @property
    def mark(self) -> Mark | None:
        return self.marks[-1] if self.marks else None

    @property
    def logged(self) -> str:
        """What the log alone says, before any evaluator's mark: met, missed or open."""
        if self.met_at is not None:
            return "met"
        return "missed" if self.missed_at is not None else "open"

    @property
    def status(self) -> str:
        """One of EXPECTATION_STATUSES: the latest mark, else what the log says."""
        return self.marks[-1].status if self.marks else self.logged

    @property
    def time_to_action(self) -> float | None:
        """Seconds from the inject's release to the action that counts for it, or None."""
        if self.acted_at is None or self.released_at is None:
            return None
        return round(self.acted_at - self.released_at, 6)
@frozen
class MessageState:
    """A message as the log has it so far: who sent it to whom, and for a request or tasking, whether it was answered."""

    id: str
    seq: int
    text: str
    sender: str  # the role that sent it
    participant: str
    sent_at: float
    wall_time: str
    to: tuple[str, ...] = ()
    party: str | None = None
    as_party: str | None = None
    request: bool = False
    task: bool = False
    escalate: bool = True
    reply_to: str | None = None
    inject: str | None = None
    within: float | None = None  # how long it was given, for the fresh deadline after an escalation
    holder: str | None = None  # who must answer a request or carry out a tasking now
    due: float | None = None  # the drill time it must be answered by, while open
    answered_at: float | None = None
    answered_by: str | None = None  # the role whose reply answered it
    answer: str | None = None  # the id of that reply
    replies: tuple[str, ...] = ()
    read_by: tuple[str, ...] = ()  # roles that opened it
    escalations: int = 0
    expirations: int = 0
    unanswered: bool = False  # its due time passed and it climbs no further (top of the chain, a party, or not asked to)
    history: Appended[Event] = field(default_factory=Appended)

    @property
    def asks(self) -> bool:
        """A request for information or a tasking: it waits for an answer."""
        return self.request or self.task

    @property
    def open(self) -> bool:
        return self.asks and self.answered_at is None

    @property
    def what(self) -> str:
        return "tasking" if self.task else ("request" if self.request else "message")

    def overdue(self, now: float) -> bool:
        return self.open and (self.unanswered or (self.due is not None and now >= self.due))

    @property
    def status(self) -> str:
        """message, open, answered, escalated or overdue (from the log; `overdue` also once its due time passed)."""
        if not self.asks:
            return "message"
        if self.answered_at is not None:
            return "answered"
        if self.unanswered:
            return "overdue"
        return "escalated" if self.escalations else "open"

    def status_at(self, now: float) -> str:
        return "overdue" if self.overdue(now) else self.status


# Entries that can be amended or retracted, by the kind of the event that made them.
CORRECTABLE = ("note_added", "objective_rated", "hotwash_item_added")
# Kinds the drill journal lists as they are logged.
JOURNAL_KINDS = frozenset({"note_added", "objective_rated", "decision_taken", "hotwash_item_added",
                           "entry_amended", "entry_retracted", "console_lost"}) | {"expectation_marked"}


@frozen
class DrillState:
    scenario: Scenario
    seq: int = 0
    phase: str = "ready"  # ready | running | paused | ended
    clock: Clock = field(default_factory=Clock)
    last_drill_time: float = 0.0
    injects: dict[str, InjectState] = field(default_factory=dict)
    roles: dict[str, RoleState] = field(default_factory=dict)
    # First drill time at which each (inject, trigger label) happened, for `after`.
    occurrences: dict[tuple[str, str], float] = field(default_factory=dict)
    ratings: dict[str, Rating] = field(default_factory=dict)  # each objective's rating in force
    rating_log: Appended[Rating] = field(default_factory=Appended)  # every rating given, in order
    notes: Appended[Note] = field(default_factory=Appended)
    hotwash: Appended[HotwashItem] = field(default_factory=Appended)
    corrections: dict[int, Correction] = field(default_factory=dict)  # entry seq -> its latest correction
    journal: Appended[Event] = field(default_factory=Appended)  # notes, ratings, decisions and corrections
    participants: dict[str, str] = field(default_factory=dict)  # connected name -> role
    release_order: tuple[str, ...] = ()  # inject ids, in the order released
    # Expectations about which something was logged (see `expectation()` for all of them).
    expectations: dict[str, ExpectationState] = field(default_factory=dict)
    # Free play: injects written during play (id -> the inject), messages in the order sent,
    # and each role's activity log (ICS-214): the events sent to, by or escalated to it.
    adhoc: dict[str, Inject] = field(default_factory=dict)
    messages: dict[str, MessageState] = field(default_factory=dict)
    activity: dict[str, Appended[Event]] = field(default_factory=dict)
    role_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> who played it, in order
    started_wall: str = ""  # wall time of drill_started, and of drill_ended
    ended_wall: str = ""
    rehearsal: RehearsalStarted | None = None  # what a rehearsal assumed; None for a drill played by people

    @classmethod
    def initial(cls, scenario: Scenario) -> "DrillState":
        return cls(
            scenario=scenario,
            injects={i.id: InjectState(i.id) for i in scenario.injects},
            roles={r.id: RoleState(r.id) for r in scenario.roles},
        )

    def drill_time(self, wall: float) -> float:
        """Drill time at a wall-clock moment; never before the last logged event."""
        return max(self.last_drill_time, self.clock.at(wall))

    def role_kind(self, role_id: str) -> str | None:
        role = self.scenario.role(role_id)
        if role is not None:
            return role.kind
        if role_id == CONTROL and not self.scenario.controllers:
            return "controller"
        return None

    def open_items(self, role_id: str) -> list[InjectState]:
        return [i for i in self.injects.values() if i.open and i.holder == role_id]

    def open_by_holder(self) -> dict[str, list[InjectState]]:
        """Every role's `open_items` at once, in one pass: a board of every role asks each of them."""
        return _by_holder(self.injects.values())

    def inject(self, inject_id: str) -> Inject | None:
        """An inject of the MSEL or one written during play: the one lookup for both."""
        return self.scenario.inject(inject_id) or self.adhoc.get(inject_id)

    def all_injects(self) -> list[Inject]:
        """The MSEL's injects in order, then those written during play, in the order written."""
        return [*self.scenario.injects, *self.adhoc.values()]

    def open_asks(self, role_id: str) -> list[MessageState]:
        """Requests and taskings `role_id` holds that wait for an answer."""
        return [m for m in self.messages.values() if m.open and m.holder == role_id]

    def asks_by_holder(self) -> dict[str, list[MessageState]]:
        """Every role's `open_asks` at once, in one pass."""
        return _by_holder(self.messages.values())

    def correction(self, seq: int) -> Correction | None:
        """The latest amendment or retraction of the entry logged as event `seq`."""
        return self.corrections.get(seq)

    def entry(self, seq: int) -> Event | None:
        """The note, observation, rating or hotwash item logged as event `seq` (the journal is in seq order)."""
        journal = self.journal
        lo, hi = 0, len(journal)
        while lo < hi:
            mid = (lo + hi) // 2
            if journal[mid].seq < seq:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(journal) and journal[lo].seq == seq and journal[lo].kind in CORRECTABLE:
            return journal[lo]
        return None

    def note(self, seq: int) -> Note | None:
        return next((n for n in self.notes if n.seq == seq), None)

    def expectation(self, expectation_id: str) -> ExpectationState:
        """How an expectation stands now (open until something about it is logged)."""
        found = self.expectations.get(expectation_id)
        if found is not None:
            return found
        where = self.scenario.expectation(expectation_id)
        return ExpectationState(expectation_id, where[0].id if where else "")

    @property
    def started(self) -> bool:
        return self.phase != "ready"

    @property
    def ended(self) -> bool:
        return self.phase == "ended"


def _by_holder(things: Iterable[_Held]) -> dict[str, list[_Held]]:
    """Open items or asks by the role that holds them, each list in the order given."""
    out: dict[str, list[_Held]] = {}
    for x in things:
        if x.open and x.holder is not None:
            out.setdefault(x.holder, []).append(x)
    return out
