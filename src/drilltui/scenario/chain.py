"""The chain of command as a forest, asked in constant time: who is above whom, and whether a deadline waits above a role.

Built once in time linear in the roles (an iterative walk, no recursion), so
that questions about every inject of a long MSEL over a deep chain stay linear.
Roles in a `reports_to` loop (which the loader refuses, but a scenario built in
memory may hold) are answered by walking `Scenario.chain_of`.
"""

from __future__ import annotations

from drilltui.scenario.model import Scenario


class Chain:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        known = {r.id for r in scenario.roles}
        below: dict[str, list[str]] = {}
        roots = []
        for r in scenario.roles:
            if r.reports_to in known and r.reports_to != r.id:
                below.setdefault(r.reports_to, []).append(r.id)
            else:
                roots.append(r.id)
        self.enter: dict[str, int] = {}
        self.leave: dict[str, int] = {}
        self.deadline: dict[str, bool] = {}  # an ack_within on the role or above it
        clock = 0
        for root in roots:
            stack: list[tuple[str, bool]] = [(root, False)]
            while stack:
                rid, done = stack.pop()
                if done:
                    self.leave[rid] = clock
                    continue
                role = scenario.role(rid)
                up = role.reports_to if role is not None else None
                own = role is not None and role.ack_within is not None
                self.deadline[rid] = own or (up is not None and self.deadline.get(up, False))
                self.enter[rid] = clock
                clock += 1
                stack.append((rid, True))
                stack += [(child, False) for child in reversed(below.get(rid, ()))]

    def above(self, upper: str, lower: str) -> bool:
        """Whether `upper` is in `lower`'s chain of command, above it."""
        if upper in self.enter and lower in self.enter:
            return self.enter[upper] < self.enter[lower] and self.leave[lower] <= self.leave[upper]
        return upper in self.scenario.chain_of(lower)

    def deadline_here_or_above(self, rid: str) -> bool:
        """Whether the role, or one above it, has an ack_within: an item it holds can come to expire."""
        if rid in self.deadline:
            return self.deadline[rid]
        return any((r := self.scenario.role(x)) is not None and r.ack_within is not None
                   for x in (rid, *self.scenario.chain_of(rid)))

    def all_above(self, holders: set[str]) -> set[str]:
        """Every role above any of `holders`: where items they hold can escalate to."""
        out: set[str] = set()
        for h in holders:
            role = self.scenario.role(h)
            up = role.reports_to if role is not None else None
            seen = {h}
            while up is not None and up not in out and up not in seen:  # what is in `out` has its chain there too
                seen.add(up)
                out.add(up)
                role = self.scenario.role(up)
                up = role.reports_to if role is not None else None
        return out
