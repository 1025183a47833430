"""What a console offers a role is exactly what the engine accepts; the heap scheduler matches the plain one."""

from __future__ import annotations

from drillgen import SCENARIO, WALL0, actions, generate
from hypothesis import HealthCheck, given, settings

from drilltui.engine import Refused, apply, handle
from drilltui.engine import commands as c
from drilltui.engine.permissions import actions as offered
from drilltui.engine.permissions import reply_route
from drilltui.engine.scheduler import Agenda, step
from drilltui.engine.state import DrillState

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROLES = [r.id for r in SCENARIO.roles]


def accepted(state: DrillState, command: c.Command, role: str, now: float) -> bool:
    try:
        handle(state, command, role, now)
        return True
    except Exception:  # noqa: BLE001 - Refused
        return False


def refusal(state: DrillState, command: c.Command, role: str, now: float) -> str:
    try:
        handle(state, command, role, now)
    except Refused as exc:
        return str(exc)
    raise AssertionError(f"{command} was accepted")


@SETTINGS
@given(actions)
def test_every_action_offered_is_accepted_and_every_refusal_is_not_offered(steps) -> None:
    state = DrillState.initial(SCENARIO)
    for event in generate(steps):
        state = apply(state, event)
        now = state.drill_time(WALL0 + 500)
        for role in ROLES:
            for inject, message in ((None, None), ("I-1", "M-1"), ("I-4", None), ("ADHOC-1", "M-2")):
                got = offered(state, role, now, inject=inject, message=message)
                speed = state.clock.speed
                plain = {
                    "start": c.Start(), "end": c.End(),
                    "toggle_clock": c.Resume() if state.phase == "paused" else c.Pause(),
                    "speed_up": c.SetSpeed(min(64.0, speed * 2)), "speed_down": c.SetSpeed(max(0.25, speed / 2)),
                    "note": c.AddNote("note", inject=inject), "hotwash": c.AddHotwashItem("strength", "strength"),
                }
                if inject is not None:
                    plain.update(acknowledge=c.Acknowledge(inject), resolve=c.Resolve(inject), escalate=c.Escalate(inject))
                # Free play: an inject and a message to the first role that plays, a reply back the way it came.
                plain.update(write_inject=c.WriteInject(("control",), "title"), write_message=c.SendMessage("text", ("control",)))
                if message in state.messages:
                    plain["reply"] = c.SendMessage("text", *reply_route(state, role, state.messages[message]), reply_to=message)
                else:
                    assert got["reply"] is not None
                for name, command in plain.items():
                    assert (got[name] is None) == accepted(state, command, role, now), (name, role, inject, got[name])
                if inject is None:
                    assert got["acknowledge"] is not None
                releasable = [i.id for i in SCENARIO.injects if accepted(state, c.Release(i.id), role, now)]
                assert (got["release"] is None) == bool(releasable)
                unreleased = [i.id for i in state.scenario.injects if not state.injects[i.id].released]
                if unreleased and not releasable:  # worded as if each had been tried: the last one's refusal
                    assert got["release"] == refusal(state, c.Release(unreleased[-1]), role, now)
                assert all(reason is None or reason.strip() for reason in got.values())


@SETTINGS
@given(actions)
def test_the_heap_scheduler_gives_what_the_plain_one_gives(steps) -> None:
    state = DrillState.initial(SCENARIO)
    agenda = Agenda(state)
    for event in generate(steps):
        state = apply(state, event)
        agenda.note(state, event)
        for later in (0, 30, 200, 5000):
            now = state.drill_time(WALL0 + 10_000) + later
            assert agenda.step(state, now) == step(state, now)
