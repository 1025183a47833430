"""Free play through the engine: injects written in play, messages, requests and taskings, and who may do what."""

from __future__ import annotations

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import WITH_SIMCELL

from drilltui.engine import Drill, Refused, fold
from drilltui.engine import commands as c
from drilltui.engine.permissions import actions, may_read, may_see
from drilltui.engine.scheduler import Agenda, due_times, next_scheduled_release, step
from drilltui.scenario import Decision, Option, loads

SCENARIO = loads(WITH_SIMCELL)
CHOICE = Decision("Brief the press?", (Option("brief", "Brief them now"), Option("hold", "Hold the line")))


@pytest.fixture
async def drill() -> Drill:
    d = Drill(SCENARIO, MemoryJournal(), participant="Dana", role="control", wall=VirtualWall())
    await d.execute(c.Start())
    return d


def kinds(events) -> list[str]:
    return [e.kind for e in events]


async def as_(drill: Drill, role: str, command: c.Command):  # type: ignore[no-untyped-def]
    return await drill.execute(command, participant=role.upper(), role=role)


# -- injects written in play -------------------------------------------------------------


async def test_an_inject_written_in_play_is_one_event_with_its_content_then_its_release(drill: Drill) -> None:
    drill.wall.advance(30)  # type: ignore[attr-defined]
    out = await drill.execute(c.WriteInject(("soc", "lead"), "A reporter calls", sender="Daily Post", method="phone",
                                            severity="high", message="Is it true?", expected_action="Refer to comms",
                                            objectives=("O1",), ack_within=90, decision=CHOICE))
    assert kinds(out) == ["inject_added", "inject_released"]
    data = out[0].body.to_data()
    assert data == {"inject": "ADHOC-1", "to": ("soc", "lead"), "title": "A reporter calls", "from": "Daily Post",
                    "method": "phone", "severity": "high", "message": "Is it true?", "expected_action": "Refer to comms",
                    "objectives": ("O1",), "ack_within": 90,
                    "decision": {"prompt": "Brief the press?", "options": [{"id": "brief", "label": "Brief them now"},
                                                                            {"id": "hold", "label": "Hold the line"}]}}
    released = out[1].body
    assert (released.inject, released.via, released.to_role, released.deadline) == ("ADHOC-1", "adhoc", "soc", 120)
    state = drill.state
    inject = state.inject("ADHOC-1")
    assert inject is not None and inject.sender == "Daily Post" and inject.decision == CHOICE
    assert state.scenario.inject("ADHOC-1") is None, "the scenario model is never changed"
    assert state.injects["ADHOC-1"].status == "new" and state.injects["ADHOC-1"].holder == "soc"
    assert "ADHOC-1" in state.release_order
    # Folding the log again (as replay and the report do) gives the same drill.
    assert fold(SCENARIO, drill.journal.events) == state  # type: ignore[attr-defined]


async def test_it_is_acknowledged_decided_and_escalates_on_its_deadline_like_a_planned_inject(drill: Drill) -> None:
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await drill.execute(c.WriteInject(("soc",), "Second alert", ack_within=60))
    assert drill.agenda.next_due(drill.state) == 60  # I-1 at 1m, and the new one's deadline
    wall.advance(61)
    out = await drill.tick()
    assert [(e.kind, getattr(e.body, "inject", None)) for e in out] == [
        ("inject_released", "I-1"), ("inject_expired", "ADHOC-1"), ("inject_escalated", "ADHOC-1")]
    assert drill.state.injects["ADHOC-1"].holder == "lead"
    await as_(drill, "lead", c.Acknowledge("ADHOC-1"))
    assert drill.state.injects["ADHOC-1"].status == "acknowledged"
    await drill.execute(c.WriteInject(("ic",), "Decide", decision=CHOICE))
    await as_(drill, "ic", c.Decide("ADHOC-2", "hold", "not yet"))
    assert drill.state.injects["ADHOC-2"].decision == "hold"
    with pytest.raises(Refused, match="asks for no decision"):
        await as_(drill, "lead", c.Decide("ADHOC-1", "hold"))
    await as_(drill, "lead", c.AddNote("spoke to the reporter", inject="ADHOC-1"))
    assert [e.kind for e in drill.state.injects["ADHOC-1"].history] == [
        "inject_added", "inject_released", "inject_expired", "inject_escalated", "inject_acknowledged", "note_added"]


async def test_ids_are_generated_and_never_clash(drill: Drill) -> None:
    await drill.execute(c.WriteInject(("soc",), "one", id="ADHOC-2"))
    out = await drill.execute(c.WriteInject(("soc",), "two"))
    out += await drill.execute(c.WriteInject(("soc",), "three"))
    assert [e.body.inject for e in out if e.kind == "inject_added"] == ["ADHOC-1", "ADHOC-3"]
    for taken in ("I-1", "ADHOC-1"):
        with pytest.raises(Refused, match=f"already an inject {taken}"):
            await drill.execute(c.WriteInject(("soc",), "dup", id=taken))
    with pytest.raises(Refused, match="not an inject id"):
        await drill.execute(c.WriteInject(("soc",), "bad", id="has space"))


@pytest.mark.parametrize("command, reason", [
    (c.WriteInject((), "t"), "at least one role"),
    (c.WriteInject(("nobody",), "t"), "no role 'nobody'"),
    (c.WriteInject(("obs",), "t"), "observer"),
    (c.WriteInject(("soc",), "  "), "needs a title"),
    (c.WriteInject(("soc",), "t", method="pigeon"), "method 'pigeon'"),
    (c.WriteInject(("soc",), "t", severity="dire"), "severity 'dire'"),
    (c.WriteInject(("soc",), "t", objectives=("O9",)), "no objective 'O9'"),
    (c.WriteInject(("soc",), "t", ack_within=0), "at least one second"),
    (c.WriteInject(("soc",), "t", decision=Decision("?", (Option("a", "A"),))), "at least two options"),
    (c.WriteInject(("soc",), "t", decision=Decision("?", (Option("a", "A"), Option("a", "B")))), "its own id"),
])
async def test_a_bad_inject_is_refused_with_its_reason(drill: Drill, command: c.Command, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        await drill.execute(command)


@pytest.mark.parametrize("role, allowed", [("control", True), ("sim", True), ("soc", False), ("eval", False),
                                           ("obs", False)])
async def test_only_controllers_and_the_simcell_write_injects(drill: Drill, role: str, allowed: bool) -> None:
    command = c.WriteInject(("soc",), "written in play")
    if allowed:
        assert kinds(await as_(drill, role, command)) == ["inject_added", "inject_released"]
    else:
        with pytest.raises(Refused, match="may not write injects during play"):
            await as_(drill, role, command)
    assert (actions(drill.state, role, drill.now())["write_inject"] is None) == allowed


async def test_after_triggers_cannot_name_an_inject_written_in_play(drill: Drill) -> None:
    # An `after` names the scenario's injects only (the loader checks it); an id of theirs cannot be reused.
    with pytest.raises(Refused, match="already an inject I-2"):
        await drill.execute(c.WriteInject(("soc",), "t", id="I-2"))
    await drill.execute(c.WriteInject(("soc",), "t", id="X-1"))
    await as_(drill, "soc", c.Acknowledge("X-1"))
    assert not any(kind != "expiry" and inject == "X-1" for _, _, kind, inject in due_times(drill.state))
    assert next_scheduled_release(drill.state) == (60.0, "I-1")


# -- messages ------------------------------------------------------------------------------


async def test_observers_may_not_message_nor_be_messaged(drill: Drill) -> None:
    with pytest.raises(Refused, match="may not send messages"):
        await as_(drill, "obs", c.SendMessage("hello", ("ic",)))
    with pytest.raises(Refused, match="observer"):
        await as_(drill, "soc", c.SendMessage("hello", ("obs",)))
    assert actions(drill.state, "obs", drill.now())["write_message"] is not None


async def test_a_player_sees_only_its_own_traffic_and_controllers_and_evaluators_all(drill: Drill) -> None:
    (sent,) = await as_(drill, "soc", c.SendMessage("Can you look at the proxy logs?", ("lead",)))
    assert sent.kind == "message_sent" and sent.body.id == "M-1"
    message = drill.state.messages["M-1"]
    readers = {r.id for r in SCENARIO.roles if may_read(drill.state, r.id, message)}
    assert readers == {"soc", "lead", "control", "eval", "obs"}, "not ic, another player, nor the SimCell"
    with pytest.raises(Refused, match="was not sent to or by ic"):
        await as_(drill, "ic", c.SendMessage("me too", ("soc",), reply_to="M-1"))


async def test_the_simcell_reads_what_goes_to_outside_parties_and_answers_as_that_party(drill: Drill) -> None:
    await as_(drill, "soc", c.SendMessage("Must we report this?", party="State regulator", request=True, due=300))
    asked = drill.state.messages["M-1"]
    assert may_read(drill.state, "sim", asked) and not may_read(drill.state, "ic", asked)
    assert asked.open and asked.holder is None and asked.due == 300
    with pytest.raises(Refused, match="only the SimCell or a controller answers as an outside party"):
        await as_(drill, "soc", c.SendMessage("Yes", ("ic",), as_party="State regulator"))
    (reply,) = await as_(drill, "sim", c.SendMessage("Yes, within 72 hours.", ("soc",), as_party="State regulator",
                                                    reply_to="M-1"))
    assert (reply.body.as_party, reply.body.to, reply.body.reply_to) == ("State regulator", ("soc",), "M-1")
    answered = drill.state.messages["M-1"]
    assert answered.status == "answered" and answered.answered_by == "sim" and answered.answer == "M-2"
    assert may_read(drill.state, "soc", drill.state.messages["M-2"])
    assert not any(kind == "message" for _, _, kind, _ in due_times(drill.state))


async def test_a_tasking_not_done_by_its_due_time_escalates_and_a_reply_answers_it(drill: Drill) -> None:
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await as_(drill, "ic", c.AddNote("warm-up"))
    await as_(drill, "lead", c.SendMessage("Pull the firewall logs", ("soc",), task=True, due=30))
    assert drill.state.open_asks("soc")[0].id == "M-1"
    wall.advance(31)
    out = await drill.tick()
    assert kinds(out) == ["message_expired", "message_escalated"]
    assert (out[1].body.from_role, out[1].body.to_role, out[1].drill_time) == ("soc", "lead", 30)
    assert out[1].body.due == 30 + 300, "the new holder's ack_within sets a fresh due time"
    tasking = drill.state.messages["M-1"]
    assert tasking.holder == "lead" and tasking.status == "escalated" and tasking.overdue(drill.now()) is False
    with pytest.raises(Refused):
        await as_(drill, "ic", c.Acknowledge("M-1"))  # messages are not injects
    await as_(drill, "lead", c.SendMessage("chasing", ("soc",), reply_to="M-1"))
    assert drill.state.messages["M-1"].open, "its sender's own replies never answer it"
    await as_(drill, "soc", c.SendMessage("Done: attached", ("lead",), reply_to="M-1"))
    assert drill.state.messages["M-1"].status == "answered"


async def test_a_request_that_asks_not_to_climb_and_one_to_a_party_only_go_overdue(drill: Drill) -> None:
    wall: VirtualWall = drill.wall  # type: ignore[assignment]
    await as_(drill, "lead", c.SendMessage("When can you?", ("soc",), request=True, due=10, escalate=False))
    await as_(drill, "soc", c.SendMessage("Ring me", party="Vendor", request=True, due_at=20))
    wall.advance(25)
    out = await drill.tick()
    assert kinds(out) == ["message_expired", "message_expired"]
    assert [m.status for m in drill.state.messages.values()] == ["overdue", "overdue"]
    assert drill.state.messages["M-1"].holder == "soc"


@pytest.mark.parametrize("command, reason", [
    (c.SendMessage("   ", ("ic",)), "empty"),
    (c.SendMessage("hi"), "needs roles to go to, or an outside party"),
    (c.SendMessage("hi", ("ic",), party="Press"), "not both"),
    (c.SendMessage("hi", ("ic",), due=60), "only a request or a tasking"),
    (c.SendMessage("hi", party="Press", task=True), "assigned to a role"),
    (c.SendMessage("hi", ("ic",), request=True, due=60, due_at=90), "not both"),
    (c.SendMessage("hi", ("ic",), request=True, due_at=0), "not after now"),
    (c.SendMessage("hi", ("ic",), reply_to="M-9"), "no message 'M-9'"),
    (c.SendMessage("hi", ("ic",), inject="I-9"), "no inject 'I-9'"),
    (c.SendMessage("hi", ("ic", "ic")), "names a role twice"),
    (c.SendMessage("hi", party="x" * 81), "at most 80"),
])
async def test_a_bad_message_is_refused_with_its_reason(drill: Drill, command: c.Command, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        await as_(drill, "soc", command)


async def test_reading_is_logged_once_per_role_and_only_by_an_addressee(drill: Drill) -> None:
    await as_(drill, "ic", c.SendMessage("status?", ("soc", "lead")))
    await as_(drill, "soc", c.ReadMessage("M-1"))
    with pytest.raises(Refused, match="already read"):
        await as_(drill, "soc", c.ReadMessage("M-1"))
    with pytest.raises(Refused, match="not addressed to eval"):
        await as_(drill, "eval", c.ReadMessage("M-1"))
    with pytest.raises(Refused, match="not addressed to ic"):
        await as_(drill, "ic", c.ReadMessage("M-1"))
    assert drill.state.messages["M-1"].read_by == ("soc",)


async def test_a_message_about_an_inject_needs_one_the_sender_can_see(drill: Drill) -> None:
    drill.wall.advance(60)  # type: ignore[attr-defined]
    await drill.tick()
    await as_(drill, "soc", c.SendMessage("about this", ("ic",), inject="I-1"))
    assert drill.state.messages["M-1"].inject == "I-1"
    await drill.execute(c.WriteInject(("ic",), "for the commander"))
    assert not may_see(drill.state, "soc", "ADHOC-1")
    with pytest.raises(Refused, match="ADHOC-1 was not sent to soc"):
        await as_(drill, "soc", c.SendMessage("about that", ("ic",), inject="ADHOC-1"))


async def test_the_reply_offered_goes_back_the_way_it_came(drill: Drill) -> None:
    await as_(drill, "soc", c.SendMessage("Any news?", party="Press"))
    offers = actions(drill.state, "sim", drill.now(), message="M-1")
    assert offers["reply"] is None
    assert actions(drill.state, "ic", drill.now(), message="M-1")["reply"] == "M-1 was not sent to or by ic"
    assert actions(drill.state, "soc", drill.now())["reply"] == "select a message first"


async def test_the_heap_scheduler_knows_message_due_times(drill: Drill) -> None:
    await as_(drill, "ic", c.SendMessage("report", ("lead",), task=True, due=45))
    agenda = Agenda(drill.state)
    assert agenda.step(drill.state, 50) == step(drill.state, 50)
    assert step(drill.state, 50) is not None and step(drill.state, 50)[0] == 45  # type: ignore[index]
