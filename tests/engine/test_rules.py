"""The engine's rules as tables: who may do what, when, and what each command logs (pure and fast)."""

from __future__ import annotations

import pytest
from samples import MINIMAL

from drilltui.engine import DrillState, Event, Refused, apply, handle, scheduler, utc_iso
from drilltui.engine import commands as c
from drilltui.engine.permissions import actions
from drilltui.scenario import loads

SCENARIO = loads(MINIMAL)
WALL = 1_800_000_000.0


def state_after(*steps: tuple[str, c.Command], at: float = 0.0) -> DrillState:
    """The state after each (role, command) in turn (a start at T+0, the rest at drill time `at`), the scheduler's work included."""
    state = DrillState.initial(SCENARIO)

    def log(bodies, t: float, role: str) -> None:  # type: ignore[no-untyped-def]
        nonlocal state
        for body in bodies:
            state = apply(state, Event(body, t, utc_iso(WALL + t), role or "system", role, state.seq + 1))

    for role, command in steps:
        now = 0.0 if isinstance(command, c.Start) else at  # the drill starts at T+0; the rest happen at `at`
        while (step := scheduler.step(state, now)) is not None:
            log(step[1], step[0], "")
        log(handle(state, command, role, now), now, role)
    while (step := scheduler.step(state, at)) is not None:
        log(step[1], step[0], "")
    return state


READY = state_after()
RUNNING = state_after(("control", c.Start()), at=61)  # I-1 released to soc at T+00:01:00
DECIDED = state_after(("control", c.Start()), ("soc", c.Decide("I-1", "watch")), at=61)
ENDED = state_after(("control", c.Start()), ("control", c.End()), at=61)


@pytest.mark.parametrize(("state", "role", "command", "logs"), [
    (READY, "control", c.Start(), ["drill_started"]),
    (RUNNING, "control", c.Pause(), ["clock_paused"]),
    (RUNNING, "control", c.SetSpeed(4), ["clock_speed_changed"]),
    (RUNNING, "soc", c.Acknowledge("I-1"), ["inject_acknowledged"]),
    (RUNNING, "lead", c.Acknowledge("I-1"), ["inject_acknowledged"]),  # above the holder in the chain
    (RUNNING, "soc", c.Decide("I-1", "isolate", "still going out"), ["inject_acknowledged", "decision_taken"]),
    (RUNNING, "soc", c.Escalate("I-1"), ["inject_escalated"]),
    (RUNNING, "soc", c.Resolve("I-1"), ["inject_resolved"]),
    (RUNNING, "control", c.Release("I-4"), ["inject_released"]),
    (RUNNING, "soc", c.SetStatus("soc", "busy", "triage"), ["role_status_changed"]),
    (RUNNING, "eval", c.AddNote("seen", "observation", inject="I-1"), ["note_added"]),
    (RUNNING, "eval", c.Rate("O1", "S", "paged the lead late"), ["objective_rated"]),
    (ENDED, "eval", c.AddHotwashItem("strength", "fast triage"), ["hotwash_item_added"]),
    (RUNNING, "obs", c.Join("Olu"), ["participant_joined"]),
])
def test_what_each_command_logs(state: DrillState, role: str, command: c.Command, logs: list[str]) -> None:
    assert [b.KIND for b in handle(state, command, role, 61)] == logs


@pytest.mark.parametrize(("state", "role", "command", "reason"), [
    (READY, "soc", c.Start(), "may not run the drill clock"),
    (READY, "control", c.Pause(), "has not started"),
    (RUNNING, "control", c.Start(), "already started"),
    (RUNNING, "control", c.SetSpeed(128), "outside 0.25x to 64x"),
    (RUNNING, "control", c.SetSpeed(1), "already 1x"),
    (RUNNING, "obs", c.Acknowledge("I-1"), "may not act on injects"),
    (RUNNING, "ic", c.Resolve("I-2"), "has not been released"),
    (RUNNING, "soc", c.Decide("I-1", "nuke"), "'nuke' is not an option of I-1"),
    (DECIDED, "soc", c.Decide("I-1", "isolate"), "already decided: watch"),
    (RUNNING, "simcell", c.Release("I-4"), "not a role"),
    (RUNNING, "soc", c.SetStatus("lead", "busy"), "may set only its own status"),
    (RUNNING, "soc", c.SetStatus("soc", "standby"), "already standby; nothing changed"),
    (RUNNING, "eval", c.Rate("O1", "S", "late"), "at least 3 words"),
    (RUNNING, "obs", c.AddNote("x"), "may not add notes"),
    (RUNNING, "soc", c.AddNote("   "), "the note is empty"),
    (RUNNING, "control", c.Retract(1), "cannot be changed"),
    (ENDED, "soc", c.Acknowledge("I-1"), "has ended"),
    (ENDED, "control", c.End(), "already ended"),
])
def test_what_each_command_refuses(state: DrillState, role: str, command: c.Command, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        handle(state, command, role, 61)


@pytest.mark.parametrize(("state", "role", "offered", "not_offered"), [
    (READY, "control", {"start", "note", "rate", "hotwash", "end"}, {"toggle_clock", "acknowledge", "release"}),
    (RUNNING, "control", {"toggle_clock", "speed_up", "end", "release", "acknowledge", "decide"}, {"start"}),
    (RUNNING, "soc", {"acknowledge", "decide", "escalate", "status", "note"}, {"start", "release", "rate", "hotwash"}),
    (RUNNING, "obs", set(), {"acknowledge", "note", "status", "release", "rate", "start"}),
    (RUNNING, "eval", {"note", "rate", "hotwash"}, {"acknowledge", "release", "toggle_clock"}),
    (ENDED, "control", {"hotwash", "note", "rate"}, {"acknowledge", "decide", "end", "release", "toggle_clock"}),
])
def test_what_each_role_is_offered(state: DrillState, role: str, offered: set[str], not_offered: set[str]) -> None:
    now = actions(state, role, 61, inject="I-1")
    assert {a for a in offered if now[a] is not None} == set(), {a: now[a] for a in offered}
    assert {a for a in not_offered if now[a] is None} == set()


@pytest.mark.parametrize(("steps", "at", "due"), [
    ((), 0, None),  # not started: nothing is due
    ((("control", c.Start()),), 0, (60.0, "scheduled", "I-1")),
    ((("control", c.Start()),), 61, (180.0, "expiry", "I-1")),  # released to soc, who acknowledges within 2m
    ((("control", c.Start()), ("soc", c.Acknowledge("I-1"))), 61, (181.0, "triggered", "I-2")),  # ack + 2m
    ((("control", c.Start()), ("soc", c.Decide("I-1", "isolate"))), 61, (181.0, "triggered", "I-2")),  # I-3 went at once
])
def test_what_the_scheduler_does_next(steps, at: float, due) -> None:  # type: ignore[no-untyped-def]
    state = state_after(*steps, at=at)
    times = scheduler.due_times(state)
    assert (times[0][0], times[0][2], times[0][3]) == due if due else times == []
