"""A database written before this round's changes (schema 1, chain 1, older event kinds) still opens, verifies and replays."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import ROOT
from uiharness import ReplayHarness, until

from drilltui.engine import fold
from drilltui.journal import DrillJournal
from drilltui.scenario import loads
from drilltui.store import EventLog
from drilltui.ui.replay import ReplaySource
from drilltui.ui.settings import Settings

LEGACY = ROOT / "tests" / "data" / "legacy"
DRILL = "hospital-ransomware-20260101-0900"  # a headless run of the bundled scenario's test script, by commit e5b5b44


def copy(tmp_path: Path) -> Path:
    db = tmp_path / "drills.db"
    shutil.copyfile(LEGACY / "drills-e5b5b44.db", db)
    return db


async def test_it_verifies_and_its_events_read_as_they_were_written(tmp_path) -> None:
    db = copy(tmp_path)
    expected = [json.loads(line) for line in (LEGACY / "events-e5b5b44.jsonl").read_text().splitlines()]
    async with await EventLog.open(db, readonly=True, create=False) as log:
        result = await log.verify(DRILL)
        records = await log.read(DRILL)
    assert result.ok and result.events == len(expected) == 50
    assert [(r.seq, r.kind, r.data, r.hash) for r in records] == [(e["seq"], e["kind"], e["data"], e["hash"]) for e in expected]
    # Opened for writing it is migrated, and still verifies.
    async with await EventLog.open(db) as log:
        assert (await log.verify(DRILL)).ok


async def test_it_folds_and_replays_to_the_same_end(tmp_path) -> None:
    db = copy(tmp_path)
    async with await EventLog.open(db, readonly=True, create=False) as log:
        record = await log.drill(DRILL)
        events = await DrillJournal(log, DRILL).read(0)
    scenario = loads(record.scenario_text, "<stored>")
    final = fold(scenario, events)
    assert final.ended and final.seq == 50
    assert {i for i, item in final.injects.items() if item.released} == {
        e.body.inject for e in events if e.kind == "inject_released"}
    app = ReplayHarness(ReplaySource(scenario, events, DRILL, tick=None, wall=lambda: 1_800_000_000.0),
                        Settings(path=tmp_path / "c.yaml", bell=False))
    async with app.run_test(size=(120, 36)) as pilot:
        app.seek_end()
        await until(pilot, lambda: app.count == 50)
        assert app.drill.state == final


async def test_its_report_is_built(tmp_path) -> None:
    from drilltui.report import RENDERERS, build_report

    async with await EventLog.open(copy(tmp_path), readonly=True, create=False) as log:
        record = await log.drill(DRILL)
        events = await DrillJournal(log, DRILL).read(0)
        checked = await log.verify(DRILL)
    report = build_report(loads(record.scenario_text, "<stored>"), events, drill_id=DRILL, last_hash=checked.last_hash,
                          verify_command=f"drilltui verify {DRILL}")
    for render in RENDERERS.values():
        assert DRILL in render(report)
