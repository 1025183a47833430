"""What can happen in a scenario's MSEL: which injects can ever be released, how early, and exactly when if fixed.

Pure reasoning over the model, in the engine's rules: an item is held by the
first role of its `to`; it escalates from a holder with a `reports_to`, never
from a root; its first deadline is its own `ack_within`, else its holder's, and
after an escalation the new holder's, else its own; controllers may act on
anything, so once released it can always be acknowledged, resolved or decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from drilltui.scenario.chain import Chain
from drilltui.scenario.model import TRIGGERS, Inject, Scenario, Trigger


@dataclass(frozen=True)
class Reach:
    """Whether an inject can be released (`never` says why not), no earlier than `earliest`, exactly at `fixed` if known."""

    never: str | None = None
    earliest: int = 0  # a lower bound on its release time, in drill seconds
    fixed: int | None = None  # its release time when nobody's action decides it (at, or released after a fixed one)


def holder(inject: Inject) -> str | None:
    return inject.to[0] if inject.to else None


def may_expire(chain: Chain, inject: Inject) -> bool:
    """Whether the item can ever have a deadline: its own ack_within, or one on its holder or above it."""
    first = holder(inject)
    return inject.ack_within is not None or (first is not None and chain.deadline_here_or_above(first))


def at_root(scenario: Scenario, inject: Inject) -> bool:
    """Whether its first holder has no one above it, so the item can never be escalated."""
    role = scenario.role(holder(inject) or "")
    return role is None or not role.reports_to


def impossible(chain: Chain, target: Inject, on: str, option: str | None = None) -> str | None:
    """Why `target` can never reach the state `on` (a TRIGGERS word or "decision"), or None when it can."""
    if on == "decision":
        if target.decision is None:
            return f"{target.id} asks for no decision"
        if target.decision.option(option or "") is None:
            return (f"{target.id}'s decision has no option '{option}' "
                    f"(it has {', '.join(o.id for o in target.decision.options)})")
        return None
    if on not in TRIGGERS:
        return f"'{on}' is not a state an inject reaches"
    if on == "escalated" and at_root(chain.scenario, target):
        return f"{target.id} is held by {holder(target)}, at the top of the chain of command, so it is never escalated"
    if on == "expired" and not may_expire(chain, target):
        who = holder(target)
        return (f"{target.id} has no deadline (no ack_within on it, on {who} or above {who}), "
                "so it never expires")
    return None


def _first_deadline(scenario: Scenario, inject: Inject) -> int:
    return scenario.first_wait(inject, holder(inject) or "") or 0


def reach(scenario: Scenario, chain: Chain | None = None) -> dict[str, Reach]:
    """Every inject's Reach, in time linear in the MSEL (after chains are walked, not recursed)."""
    chain = chain or Chain(scenario)
    out: dict[str, Reach] = {}
    for start in scenario.injects:
        walk: list[Inject] = []
        on_walk: dict[str, int] = {}
        node: Inject | None = start
        while node is not None and node.id not in out:
            if node.id in on_walk:  # a cycle of after triggers: none of it can be released
                loop = walk[on_walk[node.id]:]
                shown = " -> ".join([*(i.id for i in loop), loop[0].id])
                for i in loop:
                    out[i.id] = Reach(f"it waits in a cycle of after triggers ({shown})")
                break
            on_walk[node.id] = len(walk)
            walk.append(node)
            parent = scenario.inject(node.after.inject) if node.after is not None else None
            node = parent if parent is not node else None
        for inject in reversed(walk):
            if inject.id not in out:
                out[inject.id] = _one(chain, inject, out)
    return out


def _one(chain: Chain, inject: Inject, known: dict[str, Reach]) -> Reach:
    scenario = chain.scenario
    if inject.after is None:
        return Reach(None, inject.at or 0, inject.at) if inject.at is not None else Reach()
    trig: Trigger = inject.after
    parent = scenario.inject(trig.inject)
    if parent is None or parent is inject:
        return Reach(f"it waits for '{trig.inject}', which is not another inject")
    before = known[parent.id]
    if before.never is not None:
        return Reach(f"it waits for {parent.id}, which can never be released")
    why = impossible(chain, parent, trig.on, trig.option)
    if why is not None:
        waits = (f"the decision '{trig.option}' on {parent.id}" if trig.on == "decision"
                 else f"{parent.id} to expire" if trig.on == "expired" else f"{parent.id} to be {trig.on}")
        return Reach(f"it waits for {waits}, but {why}")
    gap = _first_deadline(scenario, parent) if trig.on == "expired" else 0
    fixed = before.fixed + trig.delay if trig.on == "released" and before.fixed is not None else None
    return Reach(None, before.earliest + gap + trig.delay, fixed)
