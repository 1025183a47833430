"""Headless drills: run a scenario on a virtual clock, as fast as it goes, from a script."""

from __future__ import annotations

import heapq
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from drilltui.engine import Drill, Event, Refused, utc_iso
from drilltui.engine.commands import Command, handle
from drilltui.engine.describe import summary
from drilltui.engine.script import Step
from drilltui.engine.state import DrillState
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
    skipped: int = 0  # responses that were no longer possible when their time came (another role answered first)


# A source of steps found as the drill goes: given the state and the events just logged, what to do and when.
Responder = Callable[[DrillState, list[Event]], Iterable[tuple[float, str, Command]]]


def participant_of(scenario: Scenario, role: str) -> str:
    """Who acts as `role`: its holder, else its title (the role's id when the scenario has no such role)."""
    found = scenario.role(role)
    return found.holder or found.title if found else role


def print_events(out: TextIO) -> Callable[[DrillState, list[Event]], None]:
    """A listener printing each event as it is logged, one visible line each: `T+00:01:00  inject_released  ...`."""

    def show(_state: DrillState, events: list[Event]) -> None:
        for e in events:
            who = e.role or "system"
            print(visible(f"{format_drill_time(e.drill_time)}  {e.kind:<20} {who:<12} {summary(e)}"), file=out)

    return show


def possible(drill: Drill, command: Command, role: str) -> bool:
    """Whether the engine would carry out `command` for `role` now, on the state this run has (it is the only writer)."""
    try:
        handle(drill.state, command, role, drill.now())
    except Refused:
        return False
    return True


async def run_headless(
    scenario: Scenario,
    steps: list[Step],
    log: Log,
    *,
    start_wall: float,
    until: int | None = None,
    script_name: str = "script",
    out: TextIO | None = None,
    err: TextIO | None = None,
    respond: Responder | None = None,
    listeners: Sequence[Callable[[DrillState, list[Event]], None]] = (),
    quiet: bool = False,
) -> HeadlessResult:
    """Run the drill to its end, `until`, or the scenario's duration; return its id (printing to stdout, stderr by default).

    `respond`, if given, is asked after every change what to do next: its
    steps join the script's at their drill times, after the script's own at
    the same moment, and one refused when its time comes is skipped, not
    reported. `quiet` prints nothing.
    """
    out = sys.stdout if out is None else out  # read now, not at import: whoever runs this may have redirected them
    err = sys.stderr if err is None else err
    # The drill's id and creation time come from the virtual clock, so a run is reproducible.
    drill_id = await log.create_drill(scenario.id, scenario.title, scenario.source_text, created_at=utc_iso(start_wall))
    wall = VirtualWall(start_wall)
    drill = Drill(scenario, DrillJournal(log, drill_id), participant="headless", role="", wall=wall)
    count = 0
    # Steps to take, by drill time, then the order they became known: the script's first, in file order.
    queue: list[tuple[float, int, Step | None, str, Command]] = []
    for n, step in enumerate(steps):
        heapq.heappush(queue, (float(step.at), n, step, step.role, step.command))
    order = len(steps)

    def counted(_state: DrillState, events: list[Event]) -> None:
        nonlocal count
        count += len(events)

    def responded(state: DrillState, events: list[Event]) -> None:
        nonlocal order
        assert respond is not None
        for at, role, command in respond(state, events):
            heapq.heappush(queue, (at, order, None, role, command))
            order += 1

    drill.listeners.append(counted)
    if not quiet:
        drill.listeners.append(print_events(out))
    drill.listeners.extend(listeners)
    if respond is not None:
        drill.listeners.append(responded)
    end = float(until if until is not None else scenario.duration)
    cursor, refused, skipped = 0.0, 0, 0

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
        next_step = queue[0][0] if queue else math.inf
        due = drill.agenda.next_due(drill.state) if drill.state.clock.running else None
        target = max(cursor, min(next_step, math.inf if due is None else due, end))
        move_to(target)
        cursor = target
        await drill.tick()
        while queue and queue[0][0] <= cursor:
            _, _, scripted, role, command = heapq.heappop(queue)
            if scripted is None and not possible(drill, command, role):
                skipped += 1  # another role answered first, say: asked of the engine alone, not of the log
                continue
            try:
                await drill.execute(command, participant=participant_of(scenario, role), role=role)
            except Refused as exc:
                if scripted is None:
                    skipped += 1
                else:
                    refused += 1
                    if not quiet:
                        print(visible(
                            f"{script_name}:{scripted.line}: {format_drill_time(drill.now())} {role} "
                            f"{command.NAME}: refused: {exc}"),
                            file=err,
                        )
            await drill.tick()
            if drill.state.clock.running and drill.now() < cursor:
                break  # a resume: later steps wait for the drill's own clock to reach them
        if drill.state.ended or cursor >= end and (not queue or queue[0][0] > end):
            break
    return HeadlessResult(drill_id, count, refused, skipped)
