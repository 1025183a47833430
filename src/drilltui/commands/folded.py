"""A drill read from its database and folded: its record, its stored scenario, its events and its state at the end."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from drilltui.commands.options import db_path
from drilltui.engine import DrillState, Event, fold
from drilltui.scenario import Scenario, loads
from drilltui.store import DrillRecord


@dataclass(frozen=True)
class Folded:
    record: DrillRecord
    scenario: Scenario
    events: list[Event]
    state: DrillState


async def read_folded(args: argparse.Namespace, drill: str) -> Folded:
    """The drill `drill` (an id or a unique prefix) of the --db database, folded from its log."""
    from drilltui.journal import from_record
    from drilltui.store import open_log

    async with await open_log(db_path(args, create=False), readonly=True, create=False) as log:
        record = await log.drill(drill)
        stored = await log.read(record.id)
    scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
    events = [from_record(e) for e in stored]
    return Folded(record, scenario, events, fold(scenario, events))
