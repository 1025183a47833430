"""Rehearsals: the responses a policy makes to what the drill just logged, and what a rehearsal showed.

Pure: given the state and the events just logged, the responses to make,
each at a drill time, as a role, as an ordinary command. The runner
(drilltui.rehearsal) issues them through the session like any participant's,
so the permissions are those of a live drill; one that is refused by then
(another role answered first) is simply not made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.engine.permissions import PLAY, may
from drilltui.engine.rehearsal_policy import Policy
from drilltui.engine.state import DrillState
from drilltui.scenario import Inject


@dataclass(frozen=True)
class Response:
    """A command a simulated participant issues at a drill time."""

    at: float
    role: str
    command: c.Command


def answer(policy: Policy, inject: Inject) -> c.Command:
    """What a role does with an item: the decision it asks for (the policy's choice, else the first option), or acknowledge it."""
    if inject.decision is not None and inject.decision.options:
        return c.Decide(inject.id, policy.choice(inject.id) or inject.decision.options[0].id)
    return c.Acknowledge(inject.id)


def responses(policy: Policy, state: DrillState, events: Sequence[ev.Event]) -> list[Response]:
    """The responses `policy` makes to `events`, just logged (`state` is the state after them), in order."""
    out: list[Response] = []
    for e in events:
        b = e.body
        if isinstance(b, ev.InjectAcknowledged):
            if policy.resolve is not None:
                out.append(Response(e.drill_time + policy.resolve, b.role, c.Resolve(b.inject)))
            continue
        if isinstance(b, ev.InjectReleased):
            inject = state.inject(b.inject)
            roles: tuple[str, ...] = tuple(dict.fromkeys(inject.to)) if inject is not None else ()
        elif isinstance(b, ev.InjectEscalated):
            inject, roles = state.inject(b.inject), (b.to_role,)
        else:
            continue
        if inject is None:
            continue
        for role in roles:
            delay = policy.response(role)
            if delay is not None and may(state, role, PLAY):
                out.append(Response(e.drill_time + delay, role, answer(policy, inject)))
    return out


# -- what the rehearsal showed ---------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    inject: str
    parent: str  # the inject its `after` names
    on: str  # the trigger's label: acknowledged, decision:offline, ...
    at: float


@dataclass(frozen=True)
class Escalation:
    inject: str
    from_role: str
    to_role: str
    reason: str  # deadline | manual
    at: float


@dataclass(frozen=True)
class Missed:
    expectation: str
    inject: str
    text: str
    due: float


@dataclass(frozen=True)
class Outcome:
    """What a rehearsal showed: branches taken, escalations, expectations missed, when the plan ran out."""

    branches: tuple[Branch, ...]
    not_released: tuple[str, ...]  # injects never released: branches not taken, contingencies, beyond the end
    escalations: tuple[Escalation, ...]
    unanswered: tuple[str, ...]  # items left unacknowledged at the top of their chain of command
    missed: tuple[Missed, ...]
    unmet: tuple[str, ...]  # expectations with a `when` and no `within` that nothing met (they are never missed)
    last_release: tuple[str, float] | None  # the last inject released, and when
    runs_out: float  # the drill time of the last thing that happened before the end


def outcome(state: DrillState, runs_out: float) -> Outcome:
    """What `state`, at a rehearsal's end, shows; `runs_out` is the drill time of its last event before the end."""
    branches, escalations = [], []
    for inject in state.all_injects():
        item = state.injects[inject.id]
        if inject.after is not None and item.released_at is not None:
            branches.append(Branch(inject.id, inject.after.inject, inject.after.label, item.released_at))
        for e in item.history:
            if isinstance(e.body, ev.InjectEscalated):
                escalations.append((e.seq, Escalation(inject.id, e.body.from_role, e.body.to_role, e.body.reason,
                                                      e.drill_time)))
    missed = [Missed(x.id, inject.id, x.text, state.expectation(x.id).due or 0.0)
              for inject, x in state.scenario.expectations if state.expectation(x.id).status == "missed"]
    released = [(state.injects[i].released_at or 0.0, n, i) for n, i in enumerate(state.release_order)]
    last = max(released) if released else None
    return Outcome(
        branches=tuple(sorted(branches, key=lambda b: (b.at, b.inject))),
        not_released=tuple(i.id for i in state.scenario.injects if not state.injects[i.id].released),
        escalations=tuple(x for _, x in sorted(escalations, key=lambda p: p[0])),
        unanswered=tuple(i for i in state.release_order if state.injects[i].unanswered
                         and state.injects[i].acknowledged_at is None),
        missed=tuple(sorted(missed, key=lambda m: (m.due, m.expectation))),
        unmet=tuple(x.id for inject, x in state.scenario.expectations if x.when and x.within is None
                    and state.injects[inject.id].released and state.expectation(x.id).status == "open"),
        last_release=(last[2], last[0]) if last else None,
        runs_out=runs_out,
    )
