"""Expectations scored from the log: met by the log, missed by the scheduler, marked and overridden by evaluators."""

from __future__ import annotations

import pytest
from drillgen import SCENARIO, WALL0, actions, generate
from hypothesis import HealthCheck, given, settings
from memjournal import MemoryJournal, VirtualWall

from drilltui.engine import Drill, Refused, fold, handle
from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.engine.permissions import actions as offered
from drilltui.engine.state import DrillState

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


async def drill() -> tuple[Drill, VirtualWall]:
    wall = VirtualWall(WALL0)
    d = Drill(SCENARIO, MemoryJournal(), participant="Dana", role="control", wall=wall)
    await d.execute(c.Start())
    return d, wall


async def at(d: Drill, wall: VirtualWall, t: float) -> None:
    wall.advance(t - d.now())
    await d.tick()


def kinds(d: Drill) -> list[tuple[str, str, float]]:
    return [(e.kind, e.body.expectation, e.drill_time) for e in d.journal.events  # type: ignore[attr-defined]
            if isinstance(e.body, (ev.ExpectationMissed, ev.ExpectationMarked))]


async def test_an_acknowledgement_in_time_meets_it_and_a_late_one_is_missed_with_its_time_to_action() -> None:
    d, wall = await drill()
    await at(d, wall, 100)  # I-1 released at T+60; E-ack due at T+150
    await d.execute(c.Acknowledge("I-1"), participant="Ana", role="soc")
    ack = d.state.expectation("E-ack")
    assert (ack.status, ack.met_by, ack.time_to_action) == ("met", "soc", 40.0)
    await at(d, wall, 241)  # E-iso due at T+240, E-page at T+300
    assert d.state.expectation("E-iso").status == "missed"
    assert ("expectation_missed", "E-iso", 240.0) in kinds(d)
    await d.execute(c.Decide("I-1", "isolate"), participant="Ben", role="lead")
    iso = d.state.expectation("E-iso")
    assert (iso.status, iso.time_to_action, iso.acted_by) == ("missed", 181.0, "lead")  # late, but measured
    assert d.state.expectation("E-ack").status == "met"  # a met expectation is never missed afterwards
    assert "E-ack" not in [k[1] for k in kinds(d) if k[0] == "expectation_missed"]


async def test_a_role_not_expected_does_not_meet_it_and_an_automatic_escalation_is_not_the_lead_escalating() -> None:
    d, wall = await drill()
    await at(d, wall, 70)
    await d.execute(c.Acknowledge("I-1"), participant="Ben", role="lead")  # by: the inject's to, soc
    assert d.state.expectation("E-ack").status == "open" and d.state.expectation("E-ack").time_to_action is None
    await at(d, wall, 300)  # I-2 released at T+250 (acknowledged +2m... after I-1 acknowledged at T+70 +2m = T+190)
    released = d.state.injects["I-2"].released_at
    assert released == 190.0
    await at(d, wall, 190 + 5 * 60 + 1)  # the lead's 5m deadline escalates I-2 to ic by itself
    assert any(isinstance(e.body, ev.InjectEscalated) and e.body.reason == "deadline" for e in d.journal.events)  # type: ignore[attr-defined]
    assert d.state.expectation("E-up").status == "missed"
    assert d.state.expectation("E-close").status == "open"  # no within: never missed


async def test_evaluators_mark_and_override_with_reasons() -> None:
    d, wall = await drill()
    with pytest.raises(Refused, match="has not been released"):
        await d.execute(c.MarkExpectation("E-brief", "met", "seen"), participant="Eve", role="eval")
    await at(d, wall, 61)
    await d.execute(c.MarkExpectation("E-brief", "partial", "briefed without the host names"), participant="Eve", role="eval")
    assert d.state.expectation("E-brief").status == "partial"
    await at(d, wall, 301)  # E-ack, E-iso and E-page pass unmet
    assert {x: d.state.expectation(x).status for x in ("E-ack", "E-iso", "E-page")} == dict.fromkeys(("E-ack", "E-iso", "E-page"), "missed")
    with pytest.raises(Refused, match="overriding it needs a reason of at least 3 words"):
        await d.execute(c.MarkExpectation("E-page", "met", "paged"), participant="Eve", role="eval")
    await d.execute(c.MarkExpectation("E-page", "met", "paged by phone, not in the tool"), participant="Eve", role="eval")
    page = d.state.expectation("E-page")
    assert (page.status, page.mark.overrides, page.mark.by_role) == ("met", "missed", "eval")  # type: ignore[union-attr]
    with pytest.raises(Refused, match="may not rate objectives"):
        await d.execute(c.MarkExpectation("E-ack", "met", "it was acknowledged verbally"), participant="Obs", role="obs")
    with pytest.raises(Refused, match="not 'done'"):
        await d.execute(c.MarkExpectation("E-ack", "done", "it was acknowledged verbally"), participant="Eve", role="eval")
    with pytest.raises(Refused, match="needs a comment"):
        await d.execute(c.MarkExpectation("E-brief", "met", " "), participant="Eve", role="eval")
    assert d.state.journal[-1].kind == "expectation_marked"


async def test_the_board_actions_say_mark_or_override() -> None:
    d, wall = await drill()
    await at(d, wall, 61)
    now = d.now()
    got = offered(d.state, "eval", now, expectation="E-brief")
    assert got["mark_expectation"] is None and "mark it instead" in (got["override_expectation"] or "")
    await at(d, wall, 200)
    got = offered(d.state, "eval", d.now(), expectation="E-ack")
    assert got["override_expectation"] is None and "override it instead" in (got["mark_expectation"] or "")
    assert "may not rate" in (offered(d.state, "soc", d.now(), expectation="E-ack")["mark_expectation"] or "")


def _statuses(state: DrillState) -> dict[str, str]:
    return {x.id: state.expectation(x.id).status for _, x in SCENARIO.expectations}


@SETTINGS
@given(actions)
def test_scoring_is_a_pure_function_of_the_log_and_a_prefix_never_scores_met_what_the_log_scores_missed(steps) -> None:
    events = generate(steps)
    whole = fold(SCENARIO, events)
    assert _statuses(whole) == _statuses(fold(SCENARIO, list(events)))
    assert {x: whole.expectation(x).time_to_action for x in _statuses(whole)} == \
        {x: fold(SCENARIO, events).expectation(x).time_to_action for x in _statuses(whole)}
    missed = {x for x, s in _statuses(whole).items() if s == "missed"}
    state = DrillState.initial(SCENARIO)
    from drilltui.engine import apply

    for event in events:
        state = apply(state, event)
        assert not {x for x, s in _statuses(state).items() if s == "met"} & missed


@SETTINGS
@given(actions)
def test_what_the_board_offers_is_accepted(steps) -> None:
    state = DrillState.initial(SCENARIO)
    from drilltui.engine import apply

    for event in generate(steps):
        state = apply(state, event)
        now = state.drill_time(WALL0 + 500)
        for role in ("eval", "control", "soc"):
            for _, x in SCENARIO.expectations:
                got = offered(state, role, now, expectation=x.id)
                for name in ("mark_expectation", "override_expectation"):
                    if got[name] is None:
                        handle(state, c.MarkExpectation(x.id, "not_met", "what the room did instead"), role, now)
