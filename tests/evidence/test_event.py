"""The drill_attested event: a statement about the log, which the drill's state, screens and report take in their stride."""

from __future__ import annotations

from drillgen import SCENARIO, generate

from drilltui.engine import Event, apply
from drilltui.engine import commands as c
from drilltui.engine.describe import summary
from drilltui.engine.events import DrillAttested
from drilltui.engine.reducer import fold
from drilltui.journal import from_record, to_record
from drilltui.report import build_report, render_markdown
from drilltui.store import StoredEvent

BODY = DrillAttested("Ines Moreau, Audit Ltd", "auditor", 3, "statement", "signature")


def _attested(events: list[Event]) -> Event:
    last = events[-1]
    return Event(BODY, last.drill_time, last.wall_time, BODY.by, "", last.seq + 1)


def test_it_changes_nothing_in_the_drill_but_its_length() -> None:
    events = generate([(1.0, "control", c.Start()), (70.0, "soc", c.Acknowledge("I-1"))])
    before = fold(SCENARIO, events)
    after = apply(before, _attested(events))
    assert after.seq == before.seq + 1
    assert (after.injects, after.roles, after.phase, after.participants) == (before.injects, before.roles, before.phase,
                                                                             before.participants)


def test_it_reads_back_from_the_log_and_says_who() -> None:
    event = _attested(generate([(1.0, "control", c.Start())]))
    r = to_record(event)
    stored = StoredEvent(event.seq, r.kind, r.data, r.wall_time, r.drill_time, r.participant, r.role, r.version, "p", "h")
    assert from_record(stored).body == BODY
    assert summary(event) == "attested by Ines Moreau, Audit Ltd (auditor): events 1 to 3"


def test_the_signer_is_not_counted_as_a_participant() -> None:
    events = generate([(1.0, "control", c.Start())])
    report = build_report(SCENARIO, [*events, _attested(events)], drill_id="d", last_hash="", verify_command="v")
    assert all("Ines Moreau" not in ", ".join(p.names) for p in report.overview.participants)
    assert "Ines Moreau" not in render_markdown(report)
