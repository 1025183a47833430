"""A drill driven through the engine alone: commands, scheduler, deadlines, permissions."""

from __future__ import annotations

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill, Refused, fold
from drilltui.engine import commands as c
from drilltui.scenario import loads


@pytest.fixture
def drill() -> Drill:
    return Drill(loads(MINIMAL), MemoryJournal(), participant="Dana", role="control", wall=VirtualWall())


def kinds(events) -> list[str]:
    return [e.kind for e in events]


async def test_start_release_ack_trigger(drill: Drill) -> None:
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    assert kinds(await drill.execute(c.Start())) == ["drill_started"]
    assert await drill.tick() == []
    wall.advance(60)
    released = await drill.tick()
    assert kinds(released) == ["inject_released"] and released[0].body.inject == "I-1"
    assert released[0].drill_time == 60 and released[0].body.deadline == 180  # soc acks within 2m
    wall.advance(30)
    ack = await drill.execute(c.Acknowledge("I-1"), participant="Sam", role="soc")
    assert ack[0].drill_time == 90 and drill.state.injects["I-1"].status == "acknowledged"
    wall.advance(119)
    assert await drill.tick() == []
    wall.advance(1)
    follow = await drill.tick()
    assert kinds(follow) == ["inject_released"] and follow[0].body.inject == "I-2" and follow[0].drill_time == 210


async def test_deadline_escalates_one_level_at_a_time_to_the_root(drill: Drill) -> None:
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await drill.execute(c.Start())
    wall.advance(60 + 120 + 300 + 600 + 5)
    out = await drill.tick()
    assert kinds(out) == ["inject_released", "inject_expired", "inject_escalated",
                          "inject_expired", "inject_escalated", "inject_expired"]
    esc = [e.body for e in out if e.kind == "inject_escalated"]
    assert [(e.from_role, e.to_role) for e in esc] == [("soc", "lead"), ("lead", "ic")]
    assert [e.drill_time for e in out] == [60, 180, 180, 480, 480, 1080]
    item = drill.state.injects["I-1"]
    assert item.holder == "ic" and item.deadline is None and item.escalations == 2
    assert await drill.tick() == []


async def test_refusals_write_nothing(drill: Drill) -> None:
    with pytest.raises(Refused, match="has not started"):
        await drill.execute(c.Release("I-4"))
    with pytest.raises(Refused, match="may not run the drill clock"):
        await drill.execute(c.Start(), role="soc")
    await drill.execute(c.Start())
    drill.wall.advance(60)  # type: ignore[attr-defined]
    await drill.tick()
    n = len(drill.journal.events)  # type: ignore[attr-defined]
    with pytest.raises(Refused, match="Observer \\(observer\\) may not act on injects"):
        await drill.execute(c.Acknowledge("I-1"), role="obs")
    with pytest.raises(Refused, match="not sent to eval|may not act"):
        await drill.execute(c.Acknowledge("I-1"), role="eval")
    with pytest.raises(Refused, match="may not act on injects"):
        await drill.execute(c.Acknowledge("I-1"), role="eval")
    assert len(drill.journal.events) == n  # type: ignore[attr-defined]
    await drill.execute(c.Release("I-2"))  # to lead; soc sits below lead, so it may not act on it
    with pytest.raises(Refused, match="I-2 was not sent to soc and is not held below it"):
        await drill.execute(c.Acknowledge("I-2"), role="soc")
    with pytest.raises(Refused, match="may set only its own status"):
        await drill.execute(c.SetStatus("lead", "busy"), role="soc")
    with pytest.raises(Refused, match="may not rate objectives"):
        await drill.execute(c.Rate("O1", "P"), role="soc")
    with pytest.raises(Refused, match="may not add notes"):
        await drill.execute(c.AddNote("hi"), role="obs")
    assert len(drill.journal.events) == n + 1  # type: ignore[attr-defined]
    await drill.execute(c.Rate("O1", "S", "slow to page the lead"), role="eval")
    assert drill.state.ratings["O1"].rating == "S"


async def test_controller_and_chain_may_act(drill: Drill) -> None:
    await drill.execute(c.Start())
    drill.wall.advance(60)  # type: ignore[attr-defined]
    await drill.tick()
    # ic is above soc in the chain of command, so it may acknowledge soc's item.
    await drill.execute(c.Acknowledge("I-1"), role="ic")
    with pytest.raises(Refused, match="already acknowledged by ic"):
        await drill.execute(c.Acknowledge("I-1"), role="soc")
    events = await drill.execute(c.Decide("I-1", "isolate"), role="soc")
    assert kinds(events) == ["decision_taken"]
    assert kinds(await drill.tick()) == ["inject_released"]  # I-3 on decision:isolate, no delay
    with pytest.raises(Refused, match="already decided"):
        await drill.execute(c.Decide("I-1", "watch"))


async def test_decision_acknowledges_too(drill: Drill) -> None:
    await drill.execute(c.Start())
    drill.wall.advance(60)  # type: ignore[attr-defined]
    await drill.tick()
    events = await drill.execute(c.Decide("I-1", "watch"), role="soc")
    assert kinds(events) == ["inject_acknowledged", "decision_taken"]
    with pytest.raises(Refused, match="not an option"):
        await drill.execute(c.Decide("I-1", "nope"), role="soc")


async def test_pause_freezes_time_and_speed_scales_it(drill: Drill) -> None:
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await drill.execute(c.Start())
    wall.advance(10)
    await drill.execute(c.Pause())
    wall.advance(1000)
    assert drill.now() == 10
    await drill.execute(c.Resume())
    await drill.execute(c.SetSpeed(4))
    wall.advance(10)
    assert drill.now() == 50
    with pytest.raises(Refused, match="outside"):
        await drill.execute(c.SetSpeed(100))


async def test_manual_release_and_resolve(drill: Drill) -> None:
    await drill.execute(c.Start())
    out = await drill.execute(c.Release("I-4"))
    assert out[0].body.via == "manual" and out[0].body.to_role == "soc"
    with pytest.raises(Refused, match="already been released"):
        await drill.execute(c.Release("I-4"))
    await drill.execute(c.Resolve("I-4"), role="soc")
    assert drill.state.injects["I-4"].status == "resolved"
    with pytest.raises(Refused, match="already resolved"):
        await drill.execute(c.Acknowledge("I-4"), role="soc")


async def test_stale_state_catches_up_and_retries() -> None:
    journal = MemoryJournal()
    wall = VirtualWall()
    a = Drill(loads(MINIMAL), journal, participant="A", role="control", wall=wall)
    b = Drill(loads(MINIMAL), journal, participant="B", role="control", wall=wall)
    await a.execute(c.Start())
    await a.execute(c.Release("I-4"))
    # b has not seen either event; releasing I-4 again must be refused after catching up.
    with pytest.raises(Refused, match="already been released"):
        await b.execute(c.Release("I-4"))
    assert len(journal.events) == 2


async def test_pause_if_orphaned_resumes_at_last_event(drill: Drill) -> None:
    await drill.execute(c.Start())
    drill.wall.advance(75)  # type: ignore[attr-defined]
    await drill.tick()
    drill.wall.advance(500)  # the process "died"; wall time moved on
    fresh = Drill(drill.scenario, drill.journal, participant="Dana", role="control", wall=drill.wall)
    await fresh.load()
    assert await fresh.pause_if_orphaned()
    assert fresh.state.phase == "paused" and fresh.now() == 60
    assert fold(drill.scenario, drill.journal.events) == fresh.state  # type: ignore[attr-defined]


async def test_only_a_controller_releases_a_contingency_inject() -> None:
    text = MINIMAL.replace("  - id: obs\n", "  - id: sim\n    title: SimCell\n    kind: simcell\n  - id: obs\n")
    drill = Drill(loads(text), MemoryJournal(), participant="Dana", role="control", wall=VirtualWall())
    await drill.execute(c.Start())
    with pytest.raises(Refused, match="contingency inject; only a controller"):
        await drill.execute(c.Release("I-4"), role="sim")
    released = await drill.execute(c.Release("I-2"), role="sim")  # the SimCell may deliver planned injects early
    assert released[0].body.via == "manual"


async def test_leave_needs_a_join(drill: Drill) -> None:
    with pytest.raises(Refused, match="has not joined as soc"):
        await drill.execute(c.Leave("Sam"), role="soc")
    await drill.execute(c.Join("Sam"), role="soc")
    with pytest.raises(Refused, match="has not joined as lead"):
        await drill.execute(c.Leave("Sam"), role="lead")
    await drill.execute(c.Leave("Sam"), role="soc")
    assert drill.state.participants == {}


async def test_a_tick_that_lands_as_planned_does_not_replan_from_every_inject(drill: Drill) -> None:
    # A reset looks at every inject of the MSEL: after each tick it would make a long rehearsal quadratic.
    resets = 0
    reset = drill.agenda.reset

    def counted(state):  # type: ignore[no-untyped-def]
        nonlocal resets
        resets += 1
        reset(state)

    drill.agenda.reset = counted  # type: ignore[method-assign]
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await drill.execute(c.Start())
    for _ in range(20):
        wall.advance(60)
        await drill.tick()
    assert resets == 0
    assert kinds(drill.journal.events).count("inject_expired") >= 2  # type: ignore[attr-defined]
    assert drill.state == fold(drill.scenario, drill.journal.events)  # type: ignore[attr-defined]
