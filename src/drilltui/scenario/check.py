"""The loader's rules applied to a scenario built in memory (by an importer), without writing and re-reading its text.

An importer that checks what it built this way need not parse its own YAML
again; when something is wrong, it loads the text it wrote to say where.
"""

from __future__ import annotations

from drilltui.scenario.durations import MAX_SECONDS
from drilltui.scenario.loader import ID, SLUG, control_problem, cycles
from drilltui.scenario.model import EXERCISE_TYPES, METHODS, ROLE_KINDS, SEVERITIES, TRIGGERS, Scenario


def model_problems(scenario: Scenario) -> list[str]:
    """What the loader would refuse in this scenario, one sentence each (empty when it would load)."""
    out: list[str] = []

    def text(value: str | None, what: str, *, required: bool = False) -> None:
        if value is None:
            if required:
                out.append(f"{what} is missing")
            return
        if required and not value.strip():
            out.append(f"{what} is empty")
        if (bad := control_problem(value)) is not None:
            out.append(f"{what} {bad}")

    def seconds(value: int | None, what: str) -> None:
        if value is not None and not 0 <= value <= MAX_SECONDS:
            out.append(f"{what} is {value} seconds, outside 0 to a year")

    def unique(ids: list[str], kind: str) -> None:
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                out.append(f"{kind} id '{i}' is used twice")
            seen.add(i)
            if not ID.match(i):
                out.append(f"{kind} id '{i}' is not a valid id")

    if not SLUG.match(scenario.id):
        out.append(f"scenario id '{scenario.id}' is not a slug")
    text(scenario.title, "the scenario's title", required=True)
    text(scenario.summary, "the scenario's summary")
    if scenario.type not in EXERCISE_TYPES:
        out.append(f"type '{scenario.type}' is unknown")
    if not 0 < scenario.duration <= MAX_SECONDS:
        out.append("the duration must be longer than zero and at most a year")
    if not scenario.roles or not scenario.injects:
        out.append("a scenario needs at least one role and one inject")
    unique([o.id for o in scenario.objectives], "objective")
    unique([r.id for r in scenario.roles], "role")
    unique([i.id for i in scenario.injects], "inject")
    roles = {r.id for r in scenario.roles}
    for o in scenario.objectives:
        text(o.text, f"the text of objective {o.id}", required=True)
        text(o.capability, f"the capability of objective {o.id}")
    for r in scenario.roles:
        text(r.title, f"the title of role {r.id}", required=True)
        text(r.holder, f"the holder of role {r.id}")
        seconds(r.ack_within, f"ack_within of role {r.id}")
        if r.kind not in ROLE_KINDS:
            out.append(f"kind '{r.kind}' of role {r.id} is unknown")
        if r.reports_to is not None and r.reports_to not in roles:
            out.append(f"role {r.id} reports to '{r.reports_to}', which is not defined")
    injects = {i.id: i for i in scenario.injects}
    objectives = {o.id for o in scenario.objectives}
    for i in scenario.injects:
        what = f"inject {i.id}"
        if sum((i.at is not None, i.after is not None, i.manual)) != 1:
            out.append(f"{what} needs exactly one of at, after or manual: true")
        for f, value in (("title", i.title), ("from", i.sender), ("message", i.message), ("expected_action", i.expected_action)):
            text(value, f"{f} of {what}", required=f == "title")
        seconds(i.at, f"at of {what}")
        seconds(i.ack_within, f"ack_within of {what}")
        if i.method not in METHODS or i.severity not in SEVERITIES:
            out.append(f"method or severity of {what} is unknown")
        if not i.to:
            out.append(f"{what} is sent to no role")
        out += [f"{what} is sent to '{r}', which is not defined" for r in i.to if r not in roles]
        out += [f"{what} names objective '{o}', which is not defined" for o in i.objectives if o not in objectives]
        if i.decision is not None:
            text(i.decision.prompt, f"the decision prompt of {what}", required=True)
            unique([o.id for o in i.decision.options], f"option of {what}")
            for option in i.decision.options:
                text(option.label, f"option {option.id} of {what}", required=True)
            if len(i.decision.options) < 2:
                out.append(f"the decision of {what} needs at least two options")
        if i.after is not None:
            seconds(i.after.delay, f"the delay of {what}")
            target = injects.get(i.after.inject)
            if target is None or target is i:
                out.append(f"{what} waits for '{i.after.inject}', which is not another inject")
            elif i.after.on == "decision":
                if target.decision is None or target.decision.option(i.after.option or "") is None:
                    out.append(f"{what} waits for option '{i.after.option}' of {target.id}, which it does not have")
            elif i.after.on not in TRIGGERS:
                out.append(f"{what} waits for '{i.after.on}', which is not a state")
    links = {i.id: i.after.inject if i.after else None for i in scenario.injects}
    out += [f"after makes a cycle through {loop[0]}" for loop in cycles(links) if len(loop) > 1]
    links = {r.id: r.reports_to for r in scenario.roles}
    out += [f"reports_to makes a cycle through {loop[0]}" for loop in cycles(links)]
    return out
