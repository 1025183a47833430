"""Notices about the drill for this console: gathered per kind each second, so they never bury the board."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from drilltui.engine import events as ev
from drilltui.engine.events import Event
from drilltui.engine.state import DrillState
from drilltui.frozen import frozen
from drilltui.ui.style import shown

# (title for one, title for several, severity, seconds shown)
KINDS = {
    "inject": ("New inject for you", "new injects for you", "information", 8.0),
    "deadline": ("Deadline passed", "deadlines passed", "warning", 8.0),
    "escalated": ("Escalated", "escalations", "warning", 8.0),
    "lost": ("Console lost", "consoles lost", "warning", 10.0),
    "ended": ("Drill ended", "drill ended", "information", 8.0),
    "end": ("Planned end reached", "planned end reached", "warning", 10.0),
    "message": ("New message for you (m opens them)", "new messages for you (m opens them)", "information", 10.0),
}
MOST = 8  # items named in one notice; the rest are counted


@frozen
class Notice:
    kind: str
    item: str  # what it is about, one short line
    bell: bool = True


def notices_for(state: DrillState, events: Sequence[Event], me: str, participant: str) -> list[Notice]:
    """What `me` should be told about these events: its own items, and for controllers what reached the top."""
    out: list[Notice] = []
    controller = state.role_kind(me) == "controller"
    # A deadline that passed below the top comes with its escalation: the escalation notice says both.
    escalated = {e.body.inject for e in events if isinstance(e.body, ev.InjectEscalated)}
    for event in events:
        b = event.body
        own = event.participant == participant  # nobody needs the bell for what they did themselves
        if isinstance(b, ev.InjectReleased):
            inject = state.inject(b.inject)
            if inject is not None and (me in inject.to or b.to_role == me):
                out.append(Notice("inject", f"{shown(b.inject)}: {shown(inject.title)}", not own))
        elif isinstance(b, ev.InjectExpired):
            role = state.scenario.role(b.role)
            at_top = role is None or not role.reports_to  # otherwise an escalation notice follows
            if b.inject in escalated:
                continue
            if b.role == me or (controller and at_top):
                out.append(Notice("deadline", f"{shown(b.inject)} (not acknowledged by {shown(b.role)})"))
        elif isinstance(b, ev.InjectEscalated):
            if me in (b.to_role, b.from_role) or controller:
                why = " (deadline passed)" if b.reason == "deadline" else ""
                out.append(Notice("escalated", f"{shown(b.inject)}: {shown(b.from_role)} → {shown(b.to_role)}{why}", not own))
        elif isinstance(b, ev.ConsoleLost) and controller:
            out.append(Notice("lost", f"{shown(b.participant)}'s console, which ran the clock"))
        elif isinstance(b, ev.DrillEnded):
            out.append(Notice("ended", "The drill has ended. Time for the hotwash.", False))
        elif isinstance(b, (ev.MessageSent, ev.MessageExpired, ev.MessageEscalated)):
            out += message_notices(state, event, me, own)
    return out


def message_notices(state: DrillState, event: Event, me: str, own: bool) -> list[Notice]:
    """A message for `me` (to its role, or to an outside party it plays); a request or tasking of its overdue or escalated."""
    from drilltui.engine.permissions import addressed_to

    b = event.body
    if isinstance(b, ev.MessageSent):
        message = state.messages.get(b.id)
        if message is None or own or not addressed_to(state, me, message):
            return []
        role = state.scenario.role(event.role)
        sender = b.as_party or (role.title if role is not None else event.role)
        what = {"tasking": "Tasking", "request": "Request"}.get(message.what, "Message")
        to = f" to {b.party}" if b.party else ""
        return [Notice("message", f"{what} {shown(b.id)} from {shown(sender)}{shown(to)}: {shown(b.text)}")]
    if isinstance(b, ev.MessageExpired):
        return [Notice("deadline", f"{shown(b.message)} (not answered by {shown(b.role)})")] if b.role == me else []
    if isinstance(b, ev.MessageEscalated) and me in (b.to_role, b.from_role):
        return [Notice("escalated", f"{shown(b.message)}: {shown(b.from_role)} → {shown(b.to_role)}")]
    return []


class Notices:
    """Collects notices and shows at most one per kind each second, naming up to MOST items.

    `show(title, message, severity, timeout)` puts a notice on screen, `bell()`
    rings; `clear()` takes every notice down, so that no more than `limit`
    are ever on screen at once (a corner, not the board).
    """

    def __init__(self, show: Callable[[str, str, str, float], None], bell: Callable[[], None],
                 clear: Callable[[], None], clock: Callable[[], float], limit: int = 3) -> None:
        self.show, self.bell, self.clear, self.clock, self.limit = show, bell, clear, clock, limit
        self.waiting: dict[str, list[Notice]] = {}
        self.on_screen: list[float] = []  # when each notice on screen goes away

    def add(self, notices: Sequence[Notice]) -> None:
        for notice in notices:
            self.waiting.setdefault(notice.kind, []).append(notice)

    def flush(self, *, bell_on: bool) -> None:
        """Show what gathered since the last flush: one notice per kind."""
        if not self.waiting:
            return
        now = self.clock()
        self.on_screen = [t for t in self.on_screen if t > now]
        batches, self.waiting = self.waiting, {}
        if len(self.on_screen) + len(batches) > self.limit:
            self.clear()
            self.on_screen = []
        ring = False
        for kind, notices in list(batches.items())[-self.limit:]:
            one, several, severity, timeout = KINDS[kind]
            items = list(dict.fromkeys(n.item for n in notices))
            if len(items) == 1:
                title, message = one, items[0]
            else:
                more = f", and {len(items) - MOST} more" if len(items) > MOST else ""
                title, message = f"{len(items)} {several}", "; ".join(items[:MOST]) + more
            self.show(title, message, severity, timeout)
            self.on_screen.append(now + timeout)
            ring = ring or any(n.bell for n in notices)
        if ring and bell_on:
            self.bell()
