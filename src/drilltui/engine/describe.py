"""One-line, human summaries of events, shared by logs, screens and reports."""

from __future__ import annotations

from drilltui.engine import events as ev
from drilltui.engine.events import Event
from drilltui.engine.state import RATINGS
from drilltui.scenario import format_drill_time


def summary(event: Event) -> str:
    """What happened, in a few words: `I-01 -> soc (scheduled)`."""
    b = event.body
    if isinstance(b, ev.DrillStarted):
        return f"drill started: {b.title}"
    if isinstance(b, ev.DrillEnded):
        return "drill ended" + (f": {b.reason}" if b.reason else "")
    if isinstance(b, ev.ClockPaused):
        return "clock paused" + (f" ({b.reason})" if b.reason else "")
    if isinstance(b, ev.ClockResumed):
        return "clock resumed"
    if isinstance(b, ev.ClockSpeedChanged):
        return f"speed {b.factor:g}x"
    if isinstance(b, ev.InjectReleased):
        return f"{b.inject} -> {b.to_role} ({b.via})"
    if isinstance(b, ev.InjectAcknowledged):
        return f"{b.inject} acknowledged by {b.role}"
    if isinstance(b, ev.InjectResolved):
        return f"{b.inject} resolved by {b.role}"
    if isinstance(b, ev.InjectEscalated):
        why = "deadline passed" if b.reason == "deadline" else "escalated"
        return f"{b.inject} {b.from_role} -> {b.to_role} ({why})"
    if isinstance(b, ev.InjectExpired):
        return f"{b.inject} not acknowledged by {b.role} in time"
    if isinstance(b, ev.DecisionTaken):
        return f"{b.inject} decided: {b.option} (by {b.role})"
    if isinstance(b, ev.RoleStatusChanged):
        return f"{b.role} is {b.status}" + (f": {b.task}" if b.task else "")
    if isinstance(b, ev.NoteAdded):
        about = ", ".join(x for x in (b.inject, b.role, b.objective, b.task) if x)
        return f"{b.kind}" + (f" on {about}" if about else "") + f": {b.text}"
    if isinstance(b, ev.ObjectiveRated):
        return f"{b.objective} rated {b.rating} ({RATINGS.get(b.rating, '?')})" + (f": {b.comment}" if b.comment else "")
    if isinstance(b, ev.ParticipantJoined):
        return f"{b.participant} joined as {b.role}"
    if isinstance(b, ev.ParticipantLeft):
        return f"{b.participant} left ({b.role})"
    if isinstance(b, ev.HotwashItemAdded):
        return f"hotwash {b.section}: {b.text}"
    if isinstance(b, ev.ExpectationMissed):
        return f"{b.expectation} ({b.inject}) missed: not met by {format_drill_time(b.due)}"
    if isinstance(b, ev.ExpectationMarked):
        over = f", overriding {b.overrides}" if b.overrides else ""
        return f"{b.expectation} marked {b.status.replace('_', ' ')}{over}: {b.comment}"
    if isinstance(b, ev.InjectAdded):
        return f"{b.inject} written ad hoc: {b.title} -> {', '.join(b.to)}"
    if isinstance(b, ev.MessageSent):
        return message_summary(event.role, b)
    if isinstance(b, ev.MessageRead):
        return f"{b.message} read by {b.role}"
    if isinstance(b, ev.MessageExpired):
        return f"{b.message} not answered" + (f" by {b.role}" if b.role else "") + " in time"
    if isinstance(b, ev.MessageEscalated):
        return f"{b.message} {b.from_role} -> {b.to_role} (due time passed)"
    if isinstance(b, ev.RehearsalStarted):
        return f"rehearsal under policy {b.policy}"
    if isinstance(b, ev.DrillAttested):
        return f"attested by {b.by}" + (f" ({b.capacity})" if b.capacity else "") + f": events 1 to {b.events}"
    return b.KIND


def message_summary(role: str, b: ev.MessageSent) -> str:
    """`M-2 request soc -> State regulator: Is a report due?` (who as whom, to whom, what)."""
    what = "tasking" if b.task else ("request" if b.request else "message")
    sender = f"{b.as_party} ({role})" if b.as_party else (role or "?")
    to = f"{b.party} (outside party)" if b.party else ", ".join(b.to)
    extra = "".join((f", re {b.reply_to}" if b.reply_to else "", f", on {b.inject}" if b.inject else ""))
    return f"{b.id} {what} {sender} -> {to}{extra}: {b.text}"
