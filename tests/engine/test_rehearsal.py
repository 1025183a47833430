"""Rehearsal policies: parsing (no text gives a traceback), and the responses each policy makes, purely."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import MINIMAL

from drilltui.engine import DrillState, Event, apply
from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.engine.rehearsal import Response, outcome, responses
from drilltui.engine.rehearsal_policy import EVERYONE_WITHIN, Policy, describe_policy, parse_policy
from drilltui.scenario import ScenarioError, loads

SCENARIO = loads(MINIMAL)


def state_after(*bodies: ev.EventBody, t: float = 60.0) -> tuple[DrillState, list[Event]]:
    state, events = DrillState.initial(SCENARIO), []
    for b in bodies:
        e = Event(b, t, "2026-01-01T09:00:00.000000Z", "system", "", state.seq + 1)
        state = apply(state, e)
        events.append(e)
    return state, events


def test_the_words() -> None:
    assert parse_policy("nobody") == Policy("nobody")
    assert parse_policy("everyone") == Policy("everyone", EVERYONE_WITHIN) == Policy("everyone", 60)
    assert parse_policy(" everyone:1m30s\n") == Policy("everyone:1m30s", 90)
    assert parse_policy("everyone:01:30").default == 90
    with pytest.raises(ScenarioError, match=r"^<policy>:1:1: error: everyone:soon: 'soon' is not a duration"):
        parse_policy("everyone:soon")


def test_a_policy_file() -> None:
    p = parse_policy("default: 2m\nroles: {ic: 30s, legal: never}\ndecisions: {AI-04: offline}\nresolve: 5m\n",
                     name="p.yaml")
    assert p == Policy("p.yaml", 120, (("ic", 30), ("legal", None)), (("AI-04", "offline"),), 300)
    assert (p.response("ic"), p.response("legal"), p.response("soc")) == (30, None, 120)
    assert p.choice("AI-04") == "offline" and p.choice("AI-05") is None
    assert parse_policy("roles: {soc: 1m}\n") == Policy("<policy>", None, (("soc", 60),))  # others: never
    assert parse_policy("{}") == Policy("<policy>")


def test_every_problem_is_named_with_its_place() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_policy("default: soon\nroles: [ic]\ndecisions: {X: [a]}\nresolv: 1m\n", name="p.yaml")
    assert [str(p) for p in info.value.problems] == [
        "p.yaml:4:1: error: 'resolv' is not a key of a policy file (default, roles, decisions, resolve); "
        "did you mean 'resolve'?",
        "p.yaml:1:10: error: default: 'soon' is not a duration; write it as 90s, 5m, 1h30m, 2h, 01:30:00, 12:30 "
        "(MM:SS) or whole seconds; or write never",
        "p.yaml:2:8: error: roles must be a mapping of role ids to response times, e.g. {ic: 30s}",
        "p.yaml:3:16: error: decisions: X must be an option id of the inject, such as offline",
    ]


def test_problems_against_a_scenario() -> None:
    p = parse_policy("roles:\n  sco: 1m\ndecisions:\n  I-1: isolat\n  I-2: x\n  I-9: y\n", name="p.yaml")
    assert [str(x) for x in p.problems(SCENARIO)] == [
        "p.yaml:2:3: error: 'sco' is not a role of scenario mini; did you mean 'soc'?",
        "p.yaml:4:3: error: 'isolat' is not an option of I-1 (isolate, watch); did you mean 'isolate'?",
        "p.yaml:5:3: error: I-2 asks for no decision; leave it out of decisions",
        "p.yaml:6:3: error: 'I-9' is not an inject of scenario mini; did you mean 'I-4'?",
    ]
    assert parse_policy("decisions: {I-1: watch}").problems(SCENARIO) == []


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(
    st.text(),
    st.text(alphabet="defaultrolesdecisionsresolvnevr:{}[], \n-'\"#!&*|>0123456789smh", max_size=80),
    st.builds(lambda k, v: f"{k}: {v}\n", st.sampled_from(["default", "roles", "decisions", "resolve", "x"]),
              st.text(max_size=20)),
))
def test_no_text_gives_a_traceback(text: str) -> None:
    try:
        policy = parse_policy(text, name="p.yaml")
    except ScenarioError as exc:
        assert exc.problems and all(str(p).startswith("p.yaml:") for p in exc.problems)
        assert all("\x1b" not in str(p) for p in exc.problems)
        return
    assert isinstance(policy, Policy)
    policy.problems(SCENARIO)  # names nothing the scenario lacks, or says what, never raises
    describe_policy(policy)


def test_a_release_is_answered_by_each_recipient_that_may_act() -> None:
    state, events = state_after(ev.DrillStarted("mini", "t"), ev.InjectReleased("I-2", "scheduled", "lead", None))
    assert responses(Policy("everyone", 60), state, events) == [Response(120.0, "lead", c.Acknowledge("I-2"))]
    assert responses(Policy("nobody"), state, events) == []
    assert responses(Policy("p", 60, (("lead", None),)), state, events) == []


def test_a_decision_is_taken_with_the_policys_choice_else_the_first_option() -> None:
    state, events = state_after(ev.DrillStarted("mini", "t"), ev.InjectReleased("I-1", "scheduled", "soc", 180.0))
    assert responses(Policy("everyone", 30), state, events) == [Response(90.0, "soc", c.Decide("I-1", "isolate"))]
    chosen = Policy("p", 30, (), (("I-1", "watch"),))
    assert responses(chosen, state, events) == [Response(90.0, "soc", c.Decide("I-1", "watch"))]


def test_an_escalation_is_answered_by_the_new_holder_and_an_acknowledgement_resolved() -> None:
    state, events = state_after(ev.DrillStarted("mini", "t"), ev.InjectReleased("I-2", "scheduled", "lead", 60.0),
                                ev.InjectEscalated("I-2", "lead", "ic", "deadline", 660.0), ev.InjectAcknowledged("I-2", "ic"))
    policy = Policy("p", 10, (("lead", None),), (), 300)
    assert responses(policy, state, events[2:]) == [Response(70.0, "ic", c.Acknowledge("I-2")),
                                                    Response(360.0, "ic", c.Resolve("I-2"))]
    assert responses(Policy("p", 10), state, events[2:]) == [Response(70.0, "ic", c.Acknowledge("I-2"))]


def test_roles_that_may_not_act_never_answer() -> None:
    scenario = loads(MINIMAL.replace("to: [lead]", "to: [obs, eval, lead]"))
    state = DrillState.initial(scenario)
    e = Event(ev.InjectReleased("I-2", "scheduled", "obs", None), 0.0, "2026-01-01T09:00:00.000000Z", "system", "", 1)
    state = apply(state, e)
    assert [r.role for r in responses(Policy("everyone", 60), state, [e])] == ["lead"]


def test_the_outcome_of_an_empty_rehearsal() -> None:
    state, _ = state_after(ev.RehearsalStarted("nobody"), ev.DrillStarted("mini", "t"), t=0.0)
    o = outcome(state, 0.0)
    assert (o.branches, o.escalations, o.missed, o.last_release) == ((), (), (), None)
    assert o.not_released == ("I-1", "I-2", "I-3", "I-4")
    assert state.rehearsal == ev.RehearsalStarted("nobody", None, {}, {}, None)


def test_a_drill_is_marked_a_rehearsal_once_and_before_it_starts() -> None:
    state = DrillState.initial(SCENARIO)
    mark = Policy("everyone", 60).command()
    assert c.handle(state, mark, "control", 0.0) == [ev.RehearsalStarted("everyone", 60, {}, {}, None)]
    with pytest.raises(c.Refused, match="may not run the drill clock"):
        c.handle(state, mark, "soc", 0.0)
    marked, _ = state_after(ev.RehearsalStarted("nobody"), t=0.0)
    with pytest.raises(c.Refused, match="already a rehearsal under policy nobody"):
        c.handle(marked, mark, "control", 0.0)
    started, _ = state_after(ev.DrillStarted("mini", "t"), t=0.0)
    with pytest.raises(c.Refused, match="only a drill not yet started"):
        c.handle(started, mark, "control", 0.0)
    back = ev.body_from_data("rehearsal_started", ev.RehearsalStarted("f.yaml", None, {"ic": 30}, {"I-1": "go"}, 5).to_data())
    assert back == ev.RehearsalStarted("f.yaml", None, {"ic": 30}, {"I-1": "go"}, 5)
    assert Policy.from_event(back) == Policy("f.yaml", None, (("ic", 30),), (("I-1", "go"),), 5)
