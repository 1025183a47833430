"""Random scenarios the loader accepts: chains of command, deadlines, every kind of trigger, tasks and expectations."""

from __future__ import annotations

from hypothesis import strategies as st

from drilltui.scenario import Decision, Expectation, Inject, Objective, Option, Role, Scenario, Task, Trigger, loads
from drilltui.scenario.model import EXPECT_STATES, ROLE_KINDS, TRIGGERS
from drilltui.scenario.msel import dump_scenario

ids = st.from_regex(r"[a-z][a-z0-9-]{0,5}", fullmatch=True)
seconds = st.integers(0, 3 * 3600)
maybe_seconds = st.none() | st.integers(1, 1800)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    roles: list[Role] = []
    for rid in draw(st.lists(ids, min_size=1, max_size=6, unique=True)):
        above = draw(st.none() | st.sampled_from([r.id for r in roles])) if roles else None  # never a cycle
        roles.append(Role(rid, f"Role {rid}", draw(st.sampled_from(ROLE_KINDS)), reports_to=above,
                          ack_within=draw(maybe_seconds)))
    objectives = []
    for n in range(draw(st.integers(0, 3))):
        tasks = tuple(Task(f"T{n}.{k}", "a task") for k in range(draw(st.integers(0, 2))))
        objectives.append(Objective(f"O{n}", "an objective", None, tasks))
    task_ids = [t.id for o in objectives for t in o.tasks]
    injects: list[Inject] = []
    for n in range(draw(st.integers(1, 9))):
        iid = f"I-{n}"
        timing = draw(st.sampled_from(["at", "manual", "after"] if injects else ["at", "manual"]))
        after = None
        if timing == "after":
            target = draw(st.sampled_from(injects))
            ons = [*TRIGGERS, *(f"decision:{o.id}" for o in (target.decision.options if target.decision else ()))]
            on = draw(st.sampled_from(ons))
            option = on.split(":", 1)[1] if on.startswith("decision:") else None
            after = Trigger(target.id, "decision" if option else on, option, draw(seconds))
        decision = None
        if draw(st.booleans()):
            decision = Decision("Which?", tuple(Option(o, o) for o in draw(st.lists(ids, min_size=2, max_size=3, unique=True))))
        to = tuple(draw(st.lists(st.sampled_from([r.id for r in roles]), min_size=1, max_size=3, unique=True)))
        whens = [None, *EXPECT_STATES, *(f"decision:{o.id}" for o in (decision.options if decision else ()))]
        expect = tuple(
            Expectation(f"{iid}.{k}", "expected", tuple(draw(st.lists(st.sampled_from([r.id for r in roles]), max_size=2,
                                                                       unique=True))) or to,
                        draw(st.none() | seconds), draw(st.none() | st.sampled_from(task_ids)) if task_ids else None,
                        draw(st.sampled_from(whens)))
            for k in range(draw(st.integers(0, 2))))
        injects.append(Inject(
            id=iid, title=f"Inject {n}", to=to, at=draw(seconds) if timing == "at" else None, after=after,
            manual=timing == "manual", ack_within=draw(maybe_seconds), decision=decision, expect=expect,
            objectives=tuple(draw(st.lists(st.sampled_from([o.id for o in objectives]), max_size=2, unique=True)))
            if objectives else ()))
    draft = Scenario(id="generated", title="Generated", duration=draw(st.integers(60, 4 * 3600)), roles=tuple(roles),
                     injects=tuple(injects), objectives=tuple(objectives))
    return loads(dump_scenario(draft), "generated.yaml")
