"""Random but valid drills: commands the engine accepts, plus the scheduler's own work."""

from __future__ import annotations

from hypothesis import strategies as st
from samples import EVALUATED, with_simcell

from drilltui.engine import Event, Refused, apply, handle, scheduler, utc_iso
from drilltui.engine import commands as c
from drilltui.engine.state import DrillState
from drilltui.scenario import Decision, Option, loads

SCENARIO = loads(with_simcell(EVALUATED))  # MINIMAL with critical tasks, expectations and a SimCell
ROLES = [r.id for r in SCENARIO.roles]
INJECTS = [i.id for i in SCENARIO.injects]
ADHOC = ["ADHOC-1", "ADHOC-2"]  # what injects written in play are called when no id is given
MESSAGES = ["M-1", "M-2", "M-3"]
WALL0 = 1_800_000_000.0

write_inject = st.builds(
    c.WriteInject, st.sampled_from([("soc",), ("lead", "soc"), ("ic",)]), st.just("written in play"),
    st.sampled_from([None, None, "X-9", "I-1"]), ack_within=st.sampled_from([None, 30, 120]),
    decision=st.sampled_from([None, Decision("Go?", (Option("go", "Go"), Option("stop", "Stop")))]))
command = st.one_of(
    st.just(c.Start()), st.just(c.Pause()), st.just(c.Resume()), st.just(c.End()),
    st.builds(c.SetSpeed, st.sampled_from([0.25, 0.5, 1.0, 2.0, 8.0, 64.0])),
    st.builds(c.Release, st.sampled_from(INJECTS)),
    st.builds(c.Acknowledge, st.sampled_from(INJECTS)),
    st.builds(c.Resolve, st.sampled_from(INJECTS)),
    st.builds(c.Escalate, st.sampled_from(INJECTS)),
    st.builds(c.Decide, st.just("I-1"), st.sampled_from(["isolate", "watch"])),
    st.builds(c.SetStatus, st.sampled_from(ROLES), st.sampled_from(["active", "busy", "unreachable"]), st.text(max_size=5)),
    st.builds(c.AddNote, st.text(min_size=1, max_size=10), st.sampled_from(["note", "observation"])),
    st.builds(c.Rate, st.just("O1"), st.sampled_from("PSMU"), st.just("what supports it")),
    st.builds(c.Join, st.sampled_from(["Ana", "Ben"])),
    st.builds(c.Leave, st.sampled_from(["Ana", "Ben"])),
    st.builds(c.AddHotwashItem, st.sampled_from(["strength", "improvement", "action"]), st.just("x")),
    st.builds(c.Amend, st.integers(1, 40), st.sampled_from(["corrected: what supports it", ""]),
              st.sampled_from([None, "P", "U"])),
    st.builds(c.Retract, st.integers(1, 40)),
    st.builds(c.MarkExpectation, st.sampled_from([x.id for _, x in SCENARIO.expectations]),
              st.sampled_from(["met", "partial", "not_met"]), st.sampled_from(["seen in the room today", "ok", ""])),
    st.builds(c.AddNote, st.just("observed"), st.just("observation"), st.sampled_from([None, "I-1"]),
              st.none(), st.sampled_from([None, "O1"]), st.sampled_from([None, "T1", "T2"])),
    # Free play: injects written in play, then acted on like planned ones; messages, requests and taskings.
    write_inject, write_inject,  # twice as likely: only two roles of nine may write one
    st.builds(c.Acknowledge, st.sampled_from(ADHOC)),
    st.builds(c.Resolve, st.sampled_from(ADHOC)),
    st.builds(c.Escalate, st.sampled_from(ADHOC)),
    st.builds(c.Decide, st.sampled_from(ADHOC), st.sampled_from(["go", "stop"])),
    st.builds(c.SendMessage, st.just("hello"), st.sampled_from([("soc",), ("ic", "lead"), ("sim",)]),
              reply_to=st.sampled_from([None, *MESSAGES]), inject=st.sampled_from([None, "I-1", "ADHOC-1"])),
    st.builds(c.SendMessage, st.just("must we report?"), party=st.just("State regulator"), request=st.booleans(),
              due=st.sampled_from([None, 30.0])),
    st.builds(c.SendMessage, st.just("yes"), st.sampled_from([("soc",), ("lead",)]), as_party=st.just("State regulator"),
              reply_to=st.sampled_from(MESSAGES)),
    st.builds(c.SendMessage, st.just("do it"), st.sampled_from([("soc",), ("lead", "soc")]), request=st.booleans(),
              task=st.booleans(), due=st.sampled_from([None, 30.0, 300.0]), escalate=st.booleans()),
    st.builds(c.SendMessage, st.sampled_from(["hello", " "]), st.sampled_from([(), ("soc",), ("obs",)]),
              party=st.sampled_from([None, "Press"]), as_party=st.sampled_from([None, "Press"]), request=st.booleans(),
              task=st.booleans(), due=st.sampled_from([None, 30.0]), due_at=st.sampled_from([None, 100.0]),
              reply_to=st.sampled_from([None, "M-9"])),
    st.builds(c.ReadMessage, st.sampled_from(MESSAGES)),
)
_steps = st.lists(st.tuples(st.floats(0, 400), st.sampled_from(ROLES), command), max_size=40)
# Half the drills are started first, so that what needs a running drill (injects written in play, messages) happens.
actions = st.one_of(_steps, _steps.map(lambda rest: [(0.0, "control", c.Start()), *rest]))


def generate(steps: list[tuple[float, str, c.Command]]) -> list[Event]:
    """A valid event sequence: commands that the engine accepts, plus the scheduler's work."""
    state = DrillState.initial(SCENARIO)
    wall = WALL0
    out: list[Event] = []

    def emit(bodies, t, participant, role):
        nonlocal state
        for b in bodies:
            e = Event(b, t, utc_iso(wall), participant, role, state.seq + 1)
            state = apply(state, e)
            out.append(e)

    for advance, role, cmd in steps:
        wall += advance
        while (step := scheduler.step(state, state.drill_time(wall))) is not None:
            emit(step[1], step[0], "system", "")
        now = state.drill_time(wall)
        try:
            emit(handle(state, cmd, role, now), now, role.upper(), role)
        except Refused:
            pass
    return out
