"""What the board shows comes from the whole log: overdue, history, corrections, heartbeats, branches not taken."""

from __future__ import annotations

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill, Refused, fold
from drilltui.engine import commands as c
from drilltui.engine.scheduler import wont_fire
from drilltui.scenario import loads


@pytest.fixture
def drill() -> Drill:
    wall = VirtualWall()
    return Drill(loads(MINIMAL), MemoryJournal(clock=wall), participant="Dana", role="control", wall=wall)


def kinds(events) -> list[str]:
    return [e.kind for e in events]


async def started(drill: Drill, seconds: float = 61) -> None:
    await drill.execute(c.Start())
    drill.wall.advance(seconds)  # type: ignore[attr-defined]
    await drill.tick()


async def test_an_item_that_expires_at_the_top_of_its_chain_is_overdue_until_acknowledged(drill: Drill) -> None:
    await started(drill, 60 + 120 + 300 + 600 + 5)  # soc 2m -> lead 5m -> ic 10m, then nobody above ic
    item = drill.state.injects["I-1"]
    assert item.escalations == 2 and item.expirations == 3 and item.deadline is None
    assert item.status == "overdue" and item.overdue(drill.now())
    await drill.execute(c.Acknowledge("I-1"), role="ic")
    assert drill.state.injects["I-1"].status == "acknowledged" and not drill.state.injects["I-1"].overdue(drill.now())


async def test_an_item_past_its_deadline_is_overdue_before_the_scheduler_logs_it(drill: Drill) -> None:
    await started(drill)
    item = drill.state.injects["I-1"]
    assert item.status_at(60 + 119) == "new" and item.status_at(60 + 120) == "overdue"


async def test_the_history_keeps_every_step_in_order_with_who(drill: Drill) -> None:
    await started(drill)
    await drill.execute(c.Acknowledge("I-1"), participant="Sam", role="soc")
    await drill.execute(c.AddNote("paged the lead", inject="I-1"), participant="Sam", role="soc")
    await drill.execute(c.Escalate("I-1"), participant="Sam", role="soc")
    history = drill.state.injects["I-1"].history
    assert kinds(history) == ["inject_released", "inject_acknowledged", "note_added", "inject_escalated"]
    assert [e.participant for e in history[1:]] == ["Sam", "Sam", "Sam"]
    assert drill.state.injects["I-1"].status == "escalated"


async def test_a_decision_is_its_status_and_keeps_its_rationale(drill: Drill) -> None:
    await started(drill)
    await drill.execute(c.Decide("I-1", "watch", "the traffic is a backup job"), role="soc")
    item = drill.state.injects["I-1"]
    assert item.status == "decided" and item.decision == "watch" and item.rationale == "the traffic is a backup job"


async def test_a_rating_needs_a_reason_and_an_unchanged_status_is_not_logged(drill: Drill) -> None:
    await started(drill)
    with pytest.raises(Refused, match="at least 3 words"):
        await drill.execute(c.Rate("O1", "P", ""), role="eval")
    with pytest.raises(Refused, match="at least 3 words"):
        await drill.execute(c.Rate("O1", "P", "fine"), role="eval")
    await drill.execute(c.SetStatus("soc", "busy", "triage"), role="soc")
    with pytest.raises(Refused, match="already busy: triage; nothing changed"):
        await drill.execute(c.SetStatus("soc", "busy", "triage"), role="soc")


async def test_corrections_keep_the_original_and_change_what_is_in_force(drill: Drill) -> None:
    await started(drill)
    [note] = await drill.execute(c.AddNote("SOC paged the wrong lead", inject="I-1"), participant="Eve", role="eval")
    [first] = await drill.execute(c.Rate("O1", "S", "acknowledged in four minutes"), role="eval")
    [second] = await drill.execute(c.Rate("O1", "U", "nobody acknowledged it"), role="eval")
    assert drill.state.ratings["O1"].rating == "U"
    await drill.execute(c.Retract(second.seq, "rated the wrong objective"), role="eval")
    assert drill.state.ratings["O1"].rating == "S", "the earlier rating is in force again"
    await drill.execute(c.Amend(first.seq, "acknowledged in six minutes", "M"), role="control")
    assert (drill.state.ratings["O1"].rating, drill.state.ratings["O1"].comment) == ("M", "acknowledged in six minutes")
    await drill.execute(c.Amend(note.seq, "SOC paged the right lead, late"), role="eval")
    fix = drill.state.correction(note.seq)
    assert fix is not None and fix.text == "SOC paged the right lead, late" and not fix.retracted
    assert drill.state.note(note.seq).text == "SOC paged the wrong lead", "the original stays"
    with pytest.raises(Refused, match="only its author"):
        await drill.execute(c.Retract(note.seq), role="soc")
    journal = kinds(drill.state.journal)
    assert journal == ["note_added", "objective_rated", "objective_rated", "entry_retracted", "entry_amended", "entry_amended"]


async def test_decisions_and_releases_cannot_be_retracted(drill: Drill) -> None:
    await started(drill)
    [*_, decision] = await drill.execute(c.Decide("I-1", "watch"), role="soc")
    with pytest.raises(Refused, match="decisions, releases .* cannot be changed"):
        await drill.execute(c.Retract(decision.seq))
    with pytest.raises(Refused, match="no event 99"):
        await drill.execute(c.Retract(99))


async def test_resume_pauses_where_the_lost_console_last_was(drill: Drill) -> None:
    journal: MemoryJournal = drill.journal  # type: ignore[assignment]
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await started(drill, 3)
    await drill.execute(c.SetSpeed(8))
    # The console renewed its lease (its heartbeat) until 50 wall seconds later, then was killed.
    journal.held = ("Dana/abc", wall() + 50 + 5)
    wall.advance(400)
    back = Drill(drill.scenario, journal, participant="Dana", role="control", wall=wall)
    await back.load()
    assert await back.pause_if_orphaned(ttl=5)
    lost, paused = back.state.journal[-1], journal.events[-1]
    assert lost.kind == "console_lost" and lost.body.participant == "Dana" and not lost.body.went_on
    assert paused.kind == "clock_paused" and paused.drill_time == pytest.approx(3 + 50 * 8)
    assert back.state.phase == "paused" and back.now() == pytest.approx(403)


async def test_a_takeover_from_a_lost_console_is_logged_and_the_drill_goes_on(drill: Drill) -> None:
    journal: MemoryJournal = drill.journal  # type: ignore[assignment]
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await started(drill, 10)
    journal.held = ("Dana/abc", 0.0)  # long expired
    other = Drill(drill.scenario, journal, participant="Sam", role="soc", wall=wall)
    await other.load()
    await other._taken_over(await journal.lease(), 5)
    lost = journal.events[-1]
    assert lost.kind == "console_lost" and lost.body.went_on and other.state.phase == "running"


async def test_branches_not_taken_are_known(drill: Drill) -> None:
    await started(drill)
    assert wont_fire(drill.state) == set()
    await drill.execute(c.Decide("I-1", "watch"), role="soc")
    assert wont_fire(drill.state) == {"I-3"}, "I-3 waits for decision:isolate"
    await drill.execute(c.End())
    assert wont_fire(drill.state) >= {"I-3", "I-4"}


async def test_old_logs_fold_as_before() -> None:
    # A decision logged before rationales existed has none; the fold still works.
    from drilltui.engine.events import DecisionTaken, body_from_data

    body = body_from_data("decision_taken", {"inject": "I-1", "option": "watch", "role": "soc"})
    assert body == DecisionTaken("I-1", "watch", "soc", "")
    assert fold(loads(MINIMAL), []).seq == 0
