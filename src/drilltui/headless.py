"""Headless drills: run a scenario on a virtual clock, as fast as it goes, from a script."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import TextIO

from drilltui.engine import Drill, Event, Refused, utc_iso
from drilltui.engine.describe import summary
from drilltui.engine.script import Step
from drilltui.journal import DrillJournal
from drilltui.scenario import Scenario, format_drill_time
from drilltui.store import Log
from drilltui.visible import visible


class VirtualWall:
    """Wall time that only moves when the runner moves it."""

    def __init__(self, start: float) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


@dataclass(frozen=True)
class HeadlessResult:
    drill_id: str
    events: int
    refused: int


def _participant(scenario: Scenario, role: str) -> str:
    found = scenario.role(role)
    return found.holder or found.title if found else role


async def run_headless(
    scenario: Scenario,
    steps: list[Step],
    log: Log,
    *,
    start_wall: float,
    until: int | None = None,
    script_name: str = "script",
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> HeadlessResult:
    """Run the drill to its end, `until`, or the scenario's duration; return its id."""
    # The drill's id and creation time come from the virtual clock, so a run is reproducible.
    drill_id = await log.create_drill(scenario.id, scenario.title, scenario.source_text, created_at=utc_iso(start_wall))
    wall = VirtualWall(start_wall)
    drill = Drill(scenario, DrillJournal(log, drill_id), participant="headless", role="", wall=wall)
    count = 0

    def show(_state: object, events: list[Event]) -> None:
        nonlocal count
        for e in events:
            count += 1
            who = e.role or "system"
            print(visible(f"{format_drill_time(e.drill_time)}  {e.kind:<20} {who:<12} {summary(e)}"), file=out)

    drill.listeners.append(show)
    end = float(until if until is not None else scenario.duration)
    cursor, i, refused = 0.0, 0, 0

    def move_to(target: float) -> None:
        clock = drill.state.clock
        if clock.running and clock.speed > 0:
            wall.t = max(wall.t, clock.anchor_wall + (target - clock.anchor_drill) / clock.speed)
        else:
            wall.t += max(0.0, target - cursor)

    while True:
        if drill.state.clock.running:
            # Script times are drill times: after a resume, go on from the drill's own clock.
            cursor = drill.now()
        next_step = steps[i].at if i < len(steps) else math.inf
        due = drill.agenda.next_due(drill.state) if drill.state.clock.running else None
        target = max(cursor, min(next_step, math.inf if due is None else due, end))
        move_to(target)
        cursor = target
        await drill.tick()
        while i < len(steps) and steps[i].at <= cursor:
            step = steps[i]
            i += 1
            try:
                await drill.execute(step.command, participant=_participant(scenario, step.role), role=step.role)
            except Refused as exc:
                refused += 1
                print(visible(
                    f"{script_name}:{step.line}: {format_drill_time(drill.now())} {step.role} "
                    f"{step.command.NAME}: refused: {exc}"),
                    file=err,
                )
            await drill.tick()
            if drill.state.clock.running and drill.now() < cursor:
                break  # a resume: later steps wait for the drill's own clock to reach them
        if drill.state.ended or cursor >= end and (i >= len(steps) or steps[i].at > end):
            break
    return HeadlessResult(drill_id, count, refused)

