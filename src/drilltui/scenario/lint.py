"""What planners miss in a scenario that loads: roles sent nothing, objectives nothing tests, branches that never fire.

`lint(scenario)` is pure (no I/O, no clock): the same findings for `drilltui
lint` and for any screen that shows a plan. Each finding is a warning at the
line and column of the thing it is about (docs/planning.md lists them).
"""

from __future__ import annotations

from collections import defaultdict

from drilltui.scenario.chain import Chain
from drilltui.scenario.durations import format_drill_time, format_duration
from drilltui.scenario.model import Inject, Problem, Scenario
from drilltui.scenario.positions import Positions
from drilltui.scenario.reach import Reach, holder, impossible, reach
from drilltui.scenario.vocabulary import DEFAULT_MAX_PER_10M
from drilltui.scenario.yamldata import Mark

WINDOW = 600  # seconds: "any ten minutes"
# Roles that run, score, watch or play the outside world: the MSEL need not address them.
EXEMPT_KINDS = ("controller", "evaluator", "observer", "simcell")
_VERBS = {"acknowledged": "acknowledge", "resolved": "resolve", "escalated": "escalate"}


def lint(scenario: Scenario, *, max_per_10m: int = DEFAULT_MAX_PER_10M) -> list[Problem]:
    """Every finding, in file order."""
    return _Lint(scenario, max_per_10m).run()


class _Lint:
    def __init__(self, scenario: Scenario, max_per_10m: int) -> None:
        self.s = scenario
        self.limit = max(1, max_per_10m)
        self.at = Positions(scenario)
        self.chain = Chain(scenario)
        self.reach: dict[str, Reach] = reach(scenario, self.chain)
        self.out: list[Problem] = []

    def say(self, mark: Mark, message: str) -> None:
        self.out.append(Problem(self.s.source_path or "<scenario>", mark.line, mark.col, message, "warning"))

    def live(self) -> list[Inject]:
        """The injects that can be released."""
        return [i for i in self.s.injects if self.reach[i.id].never is None]

    def run(self) -> list[Problem]:
        self.never_released()
        self.never_met()
        self.receives_nothing()
        self.untested()
        self.after_the_end()
        self.overloaded()
        self.options_leading_nowhere()
        return sorted(self.out, key=lambda p: (p.line, p.col, p.message))

    # -- branches that never fire ------------------------------------------

    def never_released(self) -> None:
        for i in self.s.injects:
            why = self.reach[i.id].never
            if why is not None:
                self.say(self.at.of("after", i.id, ("inject", i.id)), f"inject {i.id} can never be released: {why}")

    def never_met(self) -> None:
        """Expectations the log can never meet: no expected role may act on the inject, or it can never get there."""
        for i in self.live():
            for e in i.expect:
                if e.when is None:
                    continue  # an evaluator marks it
                where = self.at.of("expectation", e.id, ("inject", i.id))
                what = f"expectation {e.id} of inject {i.id}"
                option = e.option
                why = impossible(self.chain, i, "decision", option) if option is not None else (
                    impossible(self.chain, i, "escalated") if e.when == "escalated" else None)
                if why is not None:
                    self.say(where, f"{what} can never be met from the log: {why}")
                elif e.by and not any(self.may_act(rid, i) for rid in e.by):
                    verb = f"choose '{option}' on" if option is not None else _VERBS.get(e.when, e.when)
                    who = ", ".join(e.by)
                    self.say(where, f"{what} waits for {who} to {verb} it, but {who} may not act on it: {i.id} "
                                    f"is not sent to {who}, nor held below {who} in the chain of command; add "
                                    f"{who} to its to, or change by")
                elif e.by and (e.when in ("acknowledged", "resolved") or option is not None):
                    first = [rid for rid in i.to if rid not in e.by]
                    if first:
                        verb = "decide" if option is not None else _VERBS.get(e.when or "", e.when or "")
                        who, others = ", ".join(e.by), ", ".join(first)
                        self.say(where, f"{what} waits for {who} to {verb} {i.id}, but {others} may {verb} it "
                                        f"first (an inject is {verb}d once, by whoever does it first), and then "
                                        f"the expectation is missed; add {others} to by, or send {i.id} to "
                                        f"{who} alone")

    def may_act(self, rid: str, inject: Inject) -> bool:
        """Whether the role may acknowledge, resolve, escalate or decide the inject (engine/permissions.py's rule)."""
        first = holder(inject)
        role = self.s.role(rid)
        return (rid in inject.to or (role is not None and role.kind == "controller")
                or (first is not None and self.chain.above(rid, first)))

    # -- roles, objectives, tasks -------------------------------------------

    def receives_nothing(self) -> None:
        live = self.live()
        receivers = {rid for i in live for rid in i.to}
        receivers |= self.chain.all_above({first for i in live if (first := holder(i)) is not None})
        for r in self.s.roles:
            if r.kind not in EXEMPT_KINDS and r.id not in receivers:
                self.say(self.at.of("role", r.id),
                         f"role {r.id} receives nothing: no inject that can be released is sent to it and nothing "
                         "escalates to it; send it an inject, or give it a kind that does not play "
                         "(controller, evaluator, observer, simcell)")

    def untested(self) -> None:
        objectives = {o for i in self.s.injects for o in i.objectives}
        tasks = {e.task for _, e in self.s.expectations if e.task is not None}
        for i, e in self.s.expectations:
            objectives.update(self.s.expectation_objectives(i, e))
        for o in self.s.objectives:
            if o.id not in objectives:
                self.say(self.at.of("objective", o.id),
                         f"objective {o.id} is tested by no inject: no inject lists it in objectives and no "
                         "expectation evidences one of its tasks; add it to the objectives of the injects that "
                         "exercise it")
            for t in o.tasks:
                if t.id not in tasks:
                    self.say(self.at.of("task", t.id, ("objective", o.id)),
                             f"critical task {t.id} of objective {o.id} is evidenced by no expectation; add an "
                             f"expectation with task: {t.id} to the inject that tests it")

    # -- time -----------------------------------------------------------------

    def after_the_end(self) -> None:
        end = self.s.duration
        for i in self.live():
            r = self.reach[i.id]
            if r.earliest <= end:
                continue
            planned = f"the planned end at {format_drill_time(end)} (duration {format_duration(end)})"
            if i.at is not None:
                self.say(self.at.of("at", i.id, ("inject", i.id)),
                         f"inject {i.id} is at {format_drill_time(i.at)}, after {planned}; bring it forward "
                         "or lengthen the duration")
            else:
                self.say(self.at.of("after", i.id, ("inject", i.id)),
                         f"inject {i.id} comes at {format_drill_time(r.earliest)} at the earliest, after {planned}; "
                         "shorten the delays before it or lengthen the duration")

    def overloaded(self) -> None:
        """A role sent more than `limit` injects within ten minutes (releases whose time no one's action decides)."""
        times: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for i in self.live():
            fixed = self.reach[i.id].fixed
            if fixed is not None:
                for rid in dict.fromkeys(i.to):
                    times[rid].append((fixed, i.id))
        for rid in (r.id for r in self.s.roles):
            row = sorted(times.get(rid, ()), key=lambda t: t[0])
            start, run_best = 0, None  # the fullest window of the run of overflowing windows being read
            for j in range(len(row) + 1):
                if j < len(row):
                    while row[j][0] - row[start][0] >= WINDOW:
                        start += 1
                    count = j - start + 1
                    if count > self.limit:
                        if run_best is None or count > run_best[2]:
                            run_best = (start, j, count)
                        continue
                if run_best is not None:
                    self._overload(rid, row, *run_best)
                    run_best = None

    def _overload(self, rid: str, row: list[tuple[int, str]], first: int, last: int, count: int) -> None:
        ids = [iid for _, iid in row[first:last + 1]]
        listed = ", ".join(ids) if len(ids) <= 8 else ", ".join(ids[:7]) + f" and {len(ids) - 7} more"
        self.say(self.at.of("inject", row[first + self.limit][1]),
                 f"role {rid} receives {count} injects between {format_drill_time(row[first][0])} and "
                 f"{format_drill_time(row[last][0])} ({listed}), more than {self.limit} in 10 minutes; "
                 "spread them out or send some to another role")

    # -- decisions --------------------------------------------------------------

    def options_leading_nowhere(self) -> None:
        followed = {(i.after.inject, i.after.option) for i in self.s.injects
                    if i.after is not None and i.after.on == "decision"}
        for i in self.live():
            if i.decision is None:
                continue
            leads = {o.id: (i.id, o.id) in followed or any(e.option == o.id for e in i.expect)
                     for o in i.decision.options}
            somewhere = [o for o, yes in leads.items() if yes]
            if not somewhere:
                continue  # a decision for discussion only: nothing branches on it
            for o, yes in leads.items():
                if not yes:
                    self.say(self.at.option(i.id, o),
                             f"option {o} of the decision on inject {i.id} leads nowhere: no inject follows it and "
                             f"no expectation waits for it, while {', '.join(somewhere)} "
                             f"{'does' if len(somewhere) == 1 else 'do'}; add an inject after it "
                             f"(after: {{inject: {i.id}, \"on\": \"decision:{o}\"}}) or an expectation "
                             f"(when: \"decision:{o}\")")
