"""Rehearsals: play a scenario forward on a virtual clock under a response policy, and say what happened."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from drilltui.engine import Event
from drilltui.engine import commands as c
from drilltui.engine.rehearsal import Outcome, outcome, responses
from drilltui.engine.rehearsal_policy import Policy, describe_policy
from drilltui.engine.script import Step
from drilltui.engine.state import CONTROL, DrillState
from drilltui.headless import run_headless
from drilltui.scenario import Scenario, ScenarioError, format_drill_time
from drilltui.store import Log
from drilltui.visible import visible

END_REASON = "end of the rehearsal"


@dataclass(frozen=True)
class RehearsalResult:
    """The rehearsal's drill, and what it showed."""

    drill_id: str
    policy: Policy
    events: int
    skipped: int  # responses no longer possible when their time came (another role had answered)
    ended_at: float  # the drill time the rehearsal ended
    outcome: Outcome


async def rehearse(scenario: Scenario, policy: Policy, log: Log, *, start_wall: float, until: int | None = None,
                   out: TextIO | None = None) -> RehearsalResult:
    """Rehearse `scenario` under `policy` into a new drill of `log`; print its events and summary to `out` (if given).

    The drill is marked a rehearsal in its first event, started, played to
    `until` (default: the scenario's duration) with the policy's responses,
    and ended there. ScenarioError if the policy names what the scenario lacks.
    """
    problems = policy.problems(scenario)
    if problems:
        raise ScenarioError(problems)
    controller = scenario.controllers[0].id if scenario.controllers else CONTROL
    end = until if until is not None else scenario.duration
    steps = [Step(0, controller, policy.command(), 0), Step(0, controller, c.Start(), 0),
             Step(end, controller, c.End(END_REASON), 0)]
    last: list[float] = [0.0]
    final: list[DrillState] = []

    def watch(state: DrillState, events: list[Event]) -> None:
        final[:] = [state]
        for e in events:
            if e.kind != "drill_ended":
                last[0] = e.drill_time

    def respond(state: DrillState, events: list[Event]) -> list[tuple[float, str, c.Command]]:
        return [(r.at, r.role, r.command) for r in responses(policy, state, events)]

    run = await run_headless(scenario, steps, log, start_wall=start_wall, until=end, script_name="rehearsal",
                             out=out, respond=respond, listeners=(watch,), quiet=out is None)
    state = final[0]
    result = RehearsalResult(run.drill_id, policy, run.events, run.skipped, state.last_drill_time,
                             outcome(state, last[0]))
    if out is not None:
        for line in summary_lines(result):
            print(visible(line), file=out)
    return result


def summary_lines(result: RehearsalResult) -> Iterator[str]:
    """The rehearsal's summary as lines of text: policy, branches, escalations, expectations missed, the plan's end."""
    o, t = result.outcome, format_drill_time
    yield ""
    yield f"rehearsal under policy {result.policy.name}: {describe_policy(result.policy)}"
    yield f"  {result.events} events to {t(result.ended_at)}" + (
        f"; {result.skipped} responses not needed (another role had answered)" if result.skipped else "")
    yield "branches that fired:" + ("" if o.branches else " none")
    for b in o.branches:
        yield f"  {t(b.at)}  {b.inject} (after {b.parent} {b.on})"
    if o.not_released:
        yield f"never released: {', '.join(o.not_released)}"
    yield "escalations:" + ("" if o.escalations else " none")
    for x in o.escalations:
        yield f"  {t(x.at)}  {x.inject}  {x.from_role} -> {x.to_role} ({'deadline passed' if x.reason == 'deadline' else x.reason})"
    if o.unanswered:
        yield f"left unanswered at the top of the chain of command: {', '.join(o.unanswered)}"
    yield "expectations that would be missed:" + ("" if o.missed else " none")
    for m in o.missed:
        yield f"  {t(m.due)}  {m.expectation} ({m.inject}): {m.text}"
    if o.unmet:
        yield f"expectations with no time limit that nothing met: {', '.join(o.unmet)}"
    if o.last_release is not None:
        inject, at = o.last_release
        yield f"the plan runs out at {t(o.runs_out)}: the last inject, {inject}, was released at {t(at)}"
    else:
        yield "the plan runs out at once: no inject was released"
