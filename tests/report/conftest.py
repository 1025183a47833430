"""A scripted drill for the report tests: every section has figures worth checking."""

from __future__ import annotations

import asyncio

import pytest
from memjournal import MemoryJournal, VirtualWall

from drilltui.engine import Drill, Event
from drilltui.engine import commands as c
from drilltui.report import Report, build_report
from drilltui.scenario import Scenario, loads

WALL0 = 1_800_000_000.0  # 2027-01-15T08:00:00Z
DRILL_ID = "d-7f3a"
LAST_HASH = "ab" * 32
VERIFY = "drilltui verify d-7f3a --db /srv/drills/drills.db"

# Titles and texts carry markup on purpose: scenario files and notes are user input.
SCENARIO = """\
format: drilltui/1
id: aar-test
title: 'Outbound <script>alert("x")</script> & exfiltration'
summary: A model-weights exfiltration attempt at an AI lab.
type: drill
duration: 20m
objectives:
  - id: O1
    text: Acknowledge alerts within five minutes
    capability: Operational Coordination
  - id: O2
    text: Decide on containment
    capability: Cybersecurity
  - id: O3
    text: Inform the public
    capability: Public Information and Warning
roles:
  - id: control
    title: Exercise Control
    kind: controller
  - id: ic
    title: Incident Commander
    ack_within: 10m
  - id: lead
    title: Security Lead
    reports_to: ic
    ack_within: 5m
  - id: soc
    title: SOC Analyst
    reports_to: lead
    ack_within: 2m
  - id: eval
    title: Evaluator
    kind: evaluator
  - id: obs
    title: Observer
    kind: observer
injects:
  - id: I-1
    at: 1m
    to: [soc]
    title: Outbound traffic spike
    objectives: [O1, O2]
    decision:
      prompt: Isolate the cluster?
      options:
        - {id: isolate, label: Isolate now}
        - {id: watch, label: Keep watching}
  - id: I-2
    after: {inject: I-1, on: acknowledged, delay: 2m}
    to: [lead]
    title: Follow-up from the vendor
    objectives: [O1]
  - id: I-3
    after: {inject: I-1, on: "decision:isolate"}
    to: [ic]
    title: Isolation consequences
    objectives: [O2]
  - id: I-4
    after: {inject: I-1, on: "decision:watch"}
    to: [soc]
    title: Second spike
    objectives: [O2]
  - id: I-5
    at: 5m
    to: [soc]
    title: Badge reader alarm
    objectives: [O1]
  - id: I-6
    manual: true
    to: [soc]
    title: '<img src="https://evil.example/x.png" onerror=alert(1)> nudge'
"""


# SCENARIO with critical tasks and expectations that end met, missed, overridden, marked by an evaluator and open.
EVAL_SCENARIO = SCENARIO.replace("""    capability: Operational Coordination
""", """    capability: Operational Coordination
    tasks:
      - {id: T1, text: Triage alerts as they arrive}
      - {id: T3, text: Close the loop with vendors}
""").replace("""    capability: Cybersecurity
""", """    capability: Cybersecurity
    tasks:
      - {id: T2, text: Decide on containment at once}
""").replace("""    title: Outbound traffic spike
    objectives: [O1, O2]
""", """    title: Outbound traffic spike
    objectives: [O1, O2]
    expect:
      - {id: X-ack, text: The SOC acknowledges the spike, within: 1m, task: T1, when: acknowledged}
      - {id: X-iso, text: The SOC decides to isolate, within: 30s, task: T2, when: "decision:isolate"}
""").replace("""    title: Follow-up from the vendor
    objectives: [O1]
""", """    title: Follow-up from the vendor
    objectives: [O1]
    expect:
      - {id: X-vendor, text: The lead calls the vendor back, task: T3}
""").replace("""    title: Isolation consequences
    objectives: [O2]
""", """    title: Isolation consequences
    objectives: [O2]
    expect:
      - {id: X-brief, text: The IC briefs the board, within: 10m}
""").replace("""    title: Second spike
    objectives: [O2]
""", """    title: Second spike
    objectives: [O2]
    expect:
      - {id: X-second, text: The SOC isolates after the second spike, task: T2, when: acknowledged}
""").replace("""    title: Badge reader alarm
    objectives: [O1]
""", """    title: Badge reader alarm
    objectives: [O1]
    expect:
      - {id: X-badge, text: The SOC acknowledges the badge alarm, within: 2m, task: T1, when: acknowledged}
""").replace("""    title: '<img src="https://evil.example/x.png" onerror=alert(1)> nudge'
""", """    title: '<img src="https://evil.example/x.png" onerror=alert(1)> nudge'
    expect:
      - {id: X-nudge, text: The SOC escalates the nudge, when: escalated}
""")


async def _marks(d: Drill) -> None:
    """The evaluator's marks of the evaluated drill, before it ends."""
    for command in (c.MarkExpectation("X-iso", "met", "isolation was agreed by phone at once"),
                    c.MarkExpectation("X-vendor", "partial", "called back without logging it"),
                    c.MarkExpectation("X-brief", "not_met", "no board briefing was seen"),
                    c.AddNote("Triage was quick and calm", "observation", inject="I-1", task="T1")):
        await d.execute(command, participant="Eve", role="eval")


async def _script(scenario: Scenario, extra=None) -> list[Event]:  # type: ignore[no-untyped-def]
    """The drill, as the room played it. Comments give wall offset and drill time."""
    wall = VirtualWall(WALL0)
    d = Drill(scenario, MemoryJournal(), participant="Dana", role="control", wall=wall)

    async def go(seconds: float) -> None:
        wall.advance(seconds)
        await d.tick()

    async def do(command: c.Command, who: str, role: str) -> None:
        await d.execute(command, participant=who, role=role)
        await d.tick()

    for who, role in (("Ana", "soc"), ("Ben", "lead"), ("Cy", "ic"), ("Eve", "eval")):
        await do(c.Join(who), who, role)
    await do(c.Start(), "Dana", "control")                         # W0    T+0
    await go(60)                                                   # W60   T+60: I-1 released to soc
    await go(30)
    await do(c.Acknowledge("I-1"), "Ana", "soc")                   # W90   T+90
    await go(30)
    await do(c.Decide("I-1", "isolate"), "Ana", "soc")             # W120  T+120: I-3 released to ic
    await go(30)
    await do(c.Acknowledge("I-3"), "Cy", "ic")                     # W150  T+150
    await go(60)                                                   # W210  T+210: I-2 released to lead
    await do(c.Pause(), "Dana", "control")
    wall.advance(120)                                              # paused 120 s of wall time
    await do(c.Resume(), "Dana", "control")                        # W330  T+210
    await do(c.SetSpeed(2), "Dana", "control")
    await go(45)                                                   # W375  T+300: I-5 released to soc
    await do(c.Acknowledge("I-2"), "Ben", "lead")
    await go(60)                                                   # W435  T+420: I-5 expires, soc -> lead
    await go(60)                                                   # W495  T+540
    await do(c.Acknowledge("I-5"), "Ben", "lead")
    await do(c.SetSpeed(1), "Dana", "control")
    await do(c.Release("I-6"), "Dana", "control")                  # T+540: I-6 to soc
    await go(30)
    await do(c.Escalate("I-6"), "Ana", "soc")                      # W525  T+570: soc -> lead
    await go(60)
    await do(c.Escalate("I-6"), "Ben", "lead")                     # W585  T+630: lead -> ic
    await go(45)
    await do(c.Acknowledge("I-6"), "Cy", "ic")                     # W630  T+675
    await go(15)
    await do(c.Resolve("I-1"), "Ana", "soc")                       # W645  T+690
    await do(c.Resolve("I-5"), "Ben", "lead")
    await go(10)
    await do(c.Resolve("I-6"), "Cy", "ic")                         # W655  T+700
    await do(c.AddNote("Paged the security lead", inject="I-1"), "Ana", "soc")
    await do(c.AddNote("Vendor call logged"), "Ben", "lead")
    await do(c.AddNote("SOC acknowledged I-1 within 30 seconds", "observation", inject="I-1", objective="O1"), "Eve", "eval")
    await do(c.AddNote("I-5 sat unacknowledged | until <b>escalated</b>", "observation", inject="I-5", objective="O1"),
             "Eve", "eval")
    await do(c.AddNote("The room was noisy", "observation"), "Eve", "eval")
    await do(c.Rate("O1", "S", "I-5 missed its deadline"), "Eve", "eval")
    await do(c.Rate("O2", "M", "slow to contain it"), "Eve", "eval")
    await do(c.Rate("O2", "P", "Containment decided in a minute"), "Eve", "eval")
    await do(c.AddHotwashItem("strength", "Fast containment decision", objective="O2"), "Eve", "eval")
    await do(c.AddHotwashItem("improvement", "SOC missed the I-5 deadline", objective="O1"), "Eve", "eval")
    await do(c.AddHotwashItem("action", "Missed deadlines", objective="O1", corrective_action="Add a second on-call pager",
                              owner="lead", due="2027-03-01"), "Eve", "eval")
    await do(c.AddHotwashItem("action", "Clock confusion after the pause", corrective_action="Brief controllers on pausing",
                              owner="control"), "Dana", "control")
    if extra is not None:
        await extra(d)
    await go(20)
    await do(c.End("exercise complete"), "Dana", "control")        # W675  T+720
    return list(d.journal.events)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return loads(SCENARIO)


@pytest.fixture(scope="session")
def events(scenario: Scenario) -> list[Event]:
    return asyncio.run(_script(scenario))


@pytest.fixture(scope="session")
def report(scenario: Scenario, events: list[Event]) -> Report:
    return build_report(scenario, events, drill_id=DRILL_ID, last_hash=LAST_HASH, verify_command=VERIFY)


@pytest.fixture(scope="session")
def evaluated() -> Report:
    """The same drill with expectations: met, missed, overridden, marked by an evaluator, and open."""
    scenario = loads(EVAL_SCENARIO)
    events = asyncio.run(_script(scenario, _marks))
    return build_report(scenario, events, drill_id=DRILL_ID, last_hash=LAST_HASH, verify_command=VERIFY)
