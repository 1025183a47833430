"""A participant's role, from the participants file, decides what the engine lets them do."""

from __future__ import annotations

import asyncssh
import pytest
from memjournal import MemoryJournal
from samples import MINIMAL

from drilltui.engine import Drill, Refused
from drilltui.engine import commands as c
from drilltui.remote.participants import loads_participants
from drilltui.scenario import loads

SCENARIO = loads(MINIMAL)


def roster_text(*people: tuple[str, str]) -> str:
    lines = ["participants:"]
    for name, role in people:
        key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode().strip()
        lines.append(f"  - {{name: {name}, role: {role}, keys: [{key}]}}")
    return "\n".join(lines) + "\n"


async def test_observers_can_do_nothing_and_nothing_is_written() -> None:
    roster = loads_participants(roster_text(("Dir", "control"), ("Sam", "soc"), ("Auditor", "obs")), "p.yaml", SCENARIO)
    director, sam, auditor = roster.participants
    journal = MemoryJournal()

    def as_(p) -> Drill:  # type: ignore[no-untyped-def]
        return Drill(SCENARIO, journal, participant=p.name, role=p.role)

    control, soc, obs = as_(director), as_(sam), as_(auditor)
    for d in (control, soc, obs):
        await d.load()
    await control.execute(c.Start())
    await control.execute(c.Release("I-1"))
    for d in (soc, obs):
        await d.catch_up()
    before = len(journal.events)
    for command in (c.Acknowledge("I-1"), c.Resolve("I-1"), c.Escalate("I-1"), c.Decide("I-1", "isolate"),
                    c.AddNote("seen", "note", inject="I-1"), c.Release("I-4"), c.Pause(), c.End("bye"),
                    c.Rate("O1", "S", "fine"), c.SetStatus("obs", "busy", "")):
        with pytest.raises(Refused):
            await obs.execute(command)
    assert len(journal.events) == before
    await soc.execute(c.Acknowledge("I-1"))
    assert journal.events[-1].kind == "inject_acknowledged" and journal.events[-1].participant == "Sam"
