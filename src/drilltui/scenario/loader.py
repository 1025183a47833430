"""Load a scenario file into the typed model, naming every problem at once."""

from __future__ import annotations

import collections.abc as abc
import math
import re
from pathlib import Path

from drilltui.gcpause import gc_paused
from drilltui.scenario.durations import format_drill_time, format_duration, parse_duration
from drilltui.scenario.model import (
    EXERCISE_TYPES,
    EXPECT_STATES,
    FORMAT,
    METHODS,
    ROLE_KINDS,
    SENSITIVE_FIELDS,
    SEVERITIES,
    TRIGGERS,
    Decision,
    Expectation,
    Inject,
    Objective,
    Option,
    Problem,
    Role,
    Scenario,
    ScenarioError,
    Task,
    Trigger,
)
from drilltui.scenario.source import Unreadable, read_source
from drilltui.scenario.yamldata import (
    MAX_BYTES,
    Mapping,
    Mark,
    Node,
    Scalar,
    Sequence,
    YamlDataError,
    decode,
    parse,
)
from drilltui.visible import describe_control, has_control

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")

TOP_KEYS = ("format", "id", "title", "summary", "domain", "threat", "sponsor", "type", "duration", "objectives", "roles", "injects",
            "sensitive")
TOP_REQUIRED = ("format", "id", "title", "duration", "roles", "injects")
OBJECTIVE_KEYS = ("id", "text", "capability", "tasks")
TASK_KEYS = ("id", "text")
EXPECT_KEYS = ("id", "text", "by", "within", "task", "when")
ROLE_KEYS = ("id", "title", "holder", "kind", "reports_to", "ack_within")
INJECT_KEYS = (
    "id", "at", "after", "manual", "from", "to", "method", "title", "message",
    "expected_action", "objectives", "severity", "ack_within", "decision", "sensitive", "expect",
)
AFTER_KEYS = ("inject", "on", "delay")
DECISION_KEYS = ("prompt", "options")
OPTION_KEYS = ("id", "label")


def hint(word: str, choices: abc.Iterable[object]) -> str:
    """A did-you-mean suffix, or nothing when no choice is close."""
    import difflib  # only for a misspelling: a valid scenario never needs it

    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _describe(node: Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    v = node.value
    if v is None:
        return "an empty value"
    if isinstance(v, bool):
        return f"the boolean {node.raw}"
    raw = node.raw if len(node.raw) <= 40 else node.raw[:37] + "..."
    if isinstance(v, (int, float)):
        return f"the number {raw}"
    return f"the text '{raw}'"


def _q(text: str) -> str:
    """Text from the file, quoted for a message, cut short when long."""
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"


def control_problem(text: str) -> str | None:
    """What is wrong with text holding a control character (other than tab and newline), or None."""
    c = has_control(text)
    if c is None:
        return None
    if 0xD800 <= ord(c) <= 0xDFFF:
        return f"holds {describe_control(c)}, which is not a character; remove it"
    return (f"holds {describe_control(c)}, which a terminal would act on; remove it "
            "(text may hold tabs and line breaks, no other control characters)")


class _Reader:
    """Walks the node tree, building the model and collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.task_marks: list[tuple[Task, Mapping]] = []  # every objective's tasks, for the whole-file checks
        self.expect_marks: list[tuple[Inject, Expectation, Mapping]] = []

    def error(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line, mark.col, message))

    def warn(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line, mark.col, message, "warning"))

    # -- shapes ---------------------------------------------------------

    def mapping(self, node: Node | None, what: str, at: Mark) -> Mapping | None:
        if isinstance(node, Mapping):
            return node
        self.error(node.mark if node else at, f"{what} must be a mapping of keys, not {_describe(node)}")
        return None

    def sequence(self, node: Node | None, what: str, at: Mark) -> tuple[Node, ...]:
        if isinstance(node, Sequence):
            return node.items
        self.error(node.mark if node else at, f"{what} must be a list, not {_describe(node)}")
        return ()

    def keys(self, m: Mapping, allowed: tuple[str, ...], required: tuple[str, ...], what: str) -> None:
        for key, _ in m.items:
            if key.raw not in allowed:
                self.error(key.mark, f"unknown key {_q(key.raw)} in {what}{hint(key.raw, allowed)}")
        for name in required:
            if name not in m.index:
                self.error(m.mark, f"{what} is missing the required key '{name}'")

    def text(self, m: Mapping, key: str, what: str, *, required: bool = False) -> str | None:
        node = m.get(key)
        if node is None:
            return None
        if isinstance(node, Scalar) and isinstance(node.value, str):
            if (bad := control_problem(node.value)) is not None:
                self.error(node.mark, f"{key} of {what} {bad}")  # kept, so nothing else fails for want of it
            if required and not node.value.strip():
                self.error(node.mark, f"{key} of {what} is empty; write some text")
            return node.value
        if isinstance(node, Scalar) and node.value is None and not required:
            return None
        extra = "; put it in quotes" if isinstance(node, Scalar) and node.value is not None else ""
        self.error(node.mark, f"{key} of {what} must be text, not {_describe(node)}{extra}")
        return None

    def ident(self, m: Mapping, key: str, what: str, pattern: re.Pattern[str] = ID) -> str | None:
        value = self.text(m, key, what, required=True)
        if value is None or not value.strip():
            return None
        if not pattern.match(value):
            rule = (
                "lower-case letters, digits and '-', starting with a letter or digit"
                if pattern is SLUG
                else "letters, digits, '-', '_' and '.', starting with a letter or digit"
            )
            self.error(m.get(key).mark, f"{key} {_q(value)} of {what} is not valid; use {rule}")  # type: ignore[union-attr]
            return None
        return value

    def duration(self, m: Mapping, key: str, what: str) -> int | None:
        node = m.get(key)
        if node is None:
            return None
        if isinstance(node, Scalar):
            # Take plain scalars from their text, so `12:30` means MM:SS as written.
            # and numbers too long to be ints from their digits.
            wordy = isinstance(node.value, str) or node.value in (math.inf, -math.inf)
            value = node.raw if node.plain and wordy else node.value
            try:
                return parse_duration(value)
            except ValueError as exc:
                self.error(node.mark, f"{key} of {what}: {exc}")
                return None
        self.error(node.mark, f"{key} of {what} must be a duration, not {_describe(node)}")
        return None

    def choice(self, m: Mapping, key: str, what: str, choices: tuple[str, ...], default: str) -> str:
        node = m.get(key)
        if node is None:
            return default
        value = self.text(m, key, what)
        if value is None:
            return default
        if value not in choices:
            self.error(
                node.mark,
                f"{key} {_q(value)} of {what} is not one of {', '.join(choices)}{hint(value, choices)}",
            )
            return default
        return value

    def boolean(self, m: Mapping, key: str, what: str) -> bool:
        node = m.get(key)
        if node is None:
            return False
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.error(node.mark, f"{key} of {what} must be true or false, not {_describe(node)}")
        return False

    def ids(self, m: Mapping, key: str, what: str, *, quiet: bool = False) -> list[tuple[str, Mark]]:
        """A list of ids; a single id is accepted as a list of one."""
        node = m.get(key)
        if node is None:
            return []
        items = node.items if isinstance(node, Sequence) else (node,)
        out = []
        for item in items:
            if isinstance(item, Scalar) and isinstance(item.value, str) and item.value:
                if (bad := control_problem(item.value)) is not None and not quiet:
                    self.error(item.mark, f"{key} of {what} {bad}")
                out.append((item.value, item.mark))
            elif not quiet:
                self.error(item.mark, f"{key} of {what} must list ids, not {_describe(item)}")
        return out

    # -- sections -------------------------------------------------------

    def objectives(self, node: Node | None, at: Mark) -> list[tuple[Objective, Mapping]]:
        out = []
        for i, item in enumerate(self.sequence(node, "objectives", at) if node else ()):
            what = f"objective #{i + 1}"
            m = self.mapping(item, what, at)
            if m is None:
                continue
            oid = self.ident(m, "id", what)
            what = f"objective {oid}" if oid else what
            self.keys(m, OBJECTIVE_KEYS, ("id", "text"), what)
            text = self.text(m, "text", what, required=True)
            capability = self.text(m, "capability", what)
            tasks = self.tasks(m, what)
            if oid and text is not None:
                out.append((Objective(oid, text, capability, tuple(t for t, _ in tasks)), m))
                self.task_marks += tasks
        return out

    def tasks(self, m: Mapping, what: str) -> list[tuple[Task, Mapping]]:
        """An objective's critical tasks, each {id, text}."""
        out: list[tuple[Task, Mapping]] = []
        node = m.get("tasks")
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return out
        for j, item in enumerate(self.sequence(node, f"tasks of {what}", m.mark)):
            twhat = f"task #{j + 1} of {what}"
            tm = self.mapping(item, twhat, m.mark)
            if tm is None:
                continue
            tid = self.ident(tm, "id", twhat)
            twhat = f"task {tid} of {what}" if tid else twhat
            self.keys(tm, TASK_KEYS, ("id", "text"), twhat)
            text = self.text(tm, "text", twhat, required=True)
            if tid and text is not None:
                out.append((Task(tid, text), tm))
        return out

    def expectations(self, m: Mapping, what: str, to: tuple[str, ...]) -> list[tuple[Expectation, Mapping]]:
        """An inject's expectations, each {id, text, by, within, task, when}; `by` defaults to the inject's `to`."""
        out: list[tuple[Expectation, Mapping]] = []
        node = m.get("expect")
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return out
        for j, item in enumerate(self.sequence(node, f"expect of {what}", m.mark)):
            ewhat = f"expectation #{j + 1} of {what}"
            em = self.mapping(item, ewhat, m.mark)
            if em is None:
                continue
            eid = self.ident(em, "id", ewhat)
            ewhat = f"expectation {eid} of {what}" if eid else ewhat
            self.keys(em, EXPECT_KEYS, ("id", "text"), ewhat)
            text = self.text(em, "text", ewhat, required=True)
            by = tuple(r for r, _ in self.ids(em, "by", ewhat))
            if "by" in em.index and not by and isinstance(em.get("by"), Sequence):
                self.error(em.get("by").mark, f"by of {ewhat} is empty; name a role, or leave by out for the inject's to")  # type: ignore[union-attr]
            within = self.duration(em, "within", ewhat)
            task = self.text(em, "task", ewhat)
            when = self.text(em, "when", ewhat)
            if when is not None and when not in EXPECT_STATES:
                if not when.startswith("decision:"):
                    choices = (*EXPECT_STATES, "decision:<option id>")
                    self.error(em.get("when").mark,  # type: ignore[union-attr]
                               f"when {_q(when)} of {ewhat} is not one of {', '.join(choices)}{hint(when, EXPECT_STATES)}")
                    when = None
                elif not when.split(":", 1)[1]:
                    self.error(em.get("when").mark, f"when of {ewhat}: 'decision:' needs an option id, e.g. decision:offline")  # type: ignore[union-attr]
                    when = None
            if eid and text is not None:
                out.append((Expectation(eid, text, by or to, within, task, when), em))
        return out

    def roles(self, node: Node | None, at: Mark) -> list[tuple[Role, Mapping]]:
        out = []
        items = self.sequence(node, "roles", at)
        if isinstance(node, Sequence) and not items:
            self.error(node.mark, "roles is empty; a drill needs at least one role")
        for i, item in enumerate(items):
            what = f"role #{i + 1}"
            m = self.mapping(item, what, at)
            if m is None:
                continue
            rid = self.ident(m, "id", what)
            what = f"role {rid}" if rid else what
            self.keys(m, ROLE_KEYS, ("id", "title"), what)
            title = self.text(m, "title", what, required=True)
            holder = self.text(m, "holder", what)
            kind = self.choice(m, "kind", what, ROLE_KINDS, "player")
            reports_to = self.text(m, "reports_to", what)
            ack = self.duration(m, "ack_within", what)
            if rid and title is not None:
                out.append((Role(rid, title, kind, holder, reports_to, ack), m))
        return out

    def trigger(self, m: Mapping, what: str) -> Trigger | None:
        node = m.get("after")
        am = self.mapping(node, f"after of {what}", m.mark)
        if am is None:
            return None
        self.keys(am, AFTER_KEYS, ("inject", "on"), f"after of {what}")
        target = self.text(am, "inject", f"after of {what}", required=True)
        on = self.text(am, "on", f"after of {what}", required=True)
        delay = self.duration(am, "delay", f"after of {what}") or 0
        if target is None or on is None:
            return None
        option = None
        if on.startswith("decision:"):
            option = on.split(":", 1)[1]
            if not option:
                self.error(am.get("on").mark, "on: 'decision:' needs an option id, e.g. decision:offline")  # type: ignore[union-attr]
                return None
            on = "decision"
        elif on not in TRIGGERS:
            choices = (*TRIGGERS, "decision:<option id>")
            self.error(
                am.get("on").mark,  # type: ignore[union-attr]
                f"on {_q(on)} of {what} is not one of {', '.join(choices)}{hint(on, TRIGGERS)}",
            )
            return None
        return Trigger(target, on, option, delay)

    def decision(self, m: Mapping, what: str) -> Decision | None:
        dm = self.mapping(m.get("decision"), f"decision of {what}", m.mark)
        if dm is None:
            return None
        self.keys(dm, DECISION_KEYS, ("prompt", "options"), f"decision of {what}")
        prompt = self.text(dm, "prompt", f"decision of {what}", required=True)
        options: list[Option] = []
        seen: dict[str, Mark] = {}
        items = self.sequence(dm.get("options"), f"options of {what}", dm.mark) if "options" in dm.index else ()
        for j, item in enumerate(items):
            owhat = f"option #{j + 1} of {what}"
            om = self.mapping(item, owhat, dm.mark)
            if om is None:
                continue
            self.keys(om, OPTION_KEYS, ("id", "label"), owhat)
            oid = self.ident(om, "id", owhat)
            label = self.text(om, "label", owhat, required=True)
            if oid and oid in seen:
                self.error(om.get("id").mark, f"option id '{oid}' of {what} is used twice (first on line {seen[oid].line})")  # type: ignore[union-attr]
            elif oid and label is not None:
                seen[oid] = om.get("id").mark  # type: ignore[union-attr]
                options.append(Option(oid, label))
        if "options" in dm.index and len(items) < 2:
            self.error(dm.get("options").mark, f"the decision of {what} needs at least two options")  # type: ignore[union-attr]
        if prompt is None:
            return None
        return Decision(prompt, tuple(options))

    def injects(self, node: Node | None, at: Mark) -> list[tuple[Inject, Mapping]]:
        out = []
        items = self.sequence(node, "injects", at)
        if isinstance(node, Sequence) and not items:
            self.error(node.mark, "injects is empty; the MSEL needs at least one inject")
        for i, item in enumerate(items):
            what = f"inject #{i + 1}"
            m = self.mapping(item, what, at)
            if m is None:
                continue
            iid = self.ident(m, "id", what)
            what = f"inject {iid}" if iid else what
            self.keys(m, INJECT_KEYS, ("id", "to", "title"), what)
            timing = [k for k in ("at", "after", "manual") if k in m.index]
            manual = self.boolean(m, "manual", what)
            if "manual" in m.index and not manual and len(timing) == 1:
                self.error(m.key_mark("manual"), f"{what} has manual: false and no at or after; give it an at, an after, or manual: true")
            elif not timing:
                self.error(m.mark, f"{what} needs exactly one of at, after or manual: true; it has none")
            elif len(timing) > 1 and not (len(timing) == 2 and "manual" in timing and not manual):
                self.error(m.key_mark(timing[1]), f"{what} needs exactly one of at, after or manual: true; it has {' and '.join(timing)}")
            at_s = self.duration(m, "at", what)
            after = self.trigger(m, what) if "after" in m.index else None
            to = self.ids(m, "to", what)
            if "to" in m.index and not to and isinstance(m.get("to"), Sequence):
                self.error(m.get("to").mark, f"to of {what} is empty; name at least one role")  # type: ignore[union-attr]
            title = self.text(m, "title", what, required=True)
            expect = self.expectations(m, what, tuple(r for r, _ in to)) if "expect" in m.index else []
            inject = Inject(
                id=iid or "",
                title=title or "",
                to=tuple(r for r, _ in to),
                at=at_s,
                after=after,
                manual=manual,
                sender=self.text(m, "from", what),
                method=self.choice(m, "method", what, METHODS, "other"),
                message=self.text(m, "message", what) or "",
                expected_action=self.text(m, "expected_action", what),
                objectives=tuple(o for o, _ in self.ids(m, "objectives", what)),
                severity=self.choice(m, "severity", what, SEVERITIES, "medium"),
                ack_within=self.duration(m, "ack_within", what),
                decision=self.decision(m, what) if "decision" in m.index else None,
                sensitive=self.boolean(m, "sensitive", what),
                expect=tuple(e for e, _ in expect),
            )
            if iid:
                out.append((inject, m))
                self.expect_marks += [(inject, e, em) for e, em in expect]
        return out

    def sensitive(self, m: Mapping) -> tuple[str, ...]:
        out = []
        for name, mark in self.ids(m, "sensitive", "the scenario"):
            if name in SENSITIVE_FIELDS:
                out.append(name)
            else:
                self.error(mark, f"sensitive lists '{name}', which is not one of {', '.join(SENSITIVE_FIELDS)}"
                                 f"{hint(name, SENSITIVE_FIELDS)}")
        return tuple(out)

    # -- whole-file checks ----------------------------------------------

    def unique(self, items: abc.Sequence[tuple[object, Mapping]], kind: str) -> None:
        seen: dict[str, Mark] = {}
        for obj, m in items:
            oid = obj.id  # type: ignore[attr-defined]
            mark = m.key_mark("id")
            if oid in seen:
                self.error(mark, f"{kind} id '{oid}' is used twice (first on line {seen[oid].line}); ids must be unique")
            else:
                seen[oid] = mark

    def reference(self, mark: Mark, ref: str, known: abc.Mapping[str, object], kind: str, where: str) -> bool:
        if ref in known:
            return True
        self.error(mark, f"{where} names {kind} {_q(ref)}, which is not defined{hint(ref, known)}")
        return False

    def check_roles(self, roles: list[tuple[Role, Mapping]]) -> None:
        by_id = {r.id: r for r, _ in roles}
        for role, m in roles:
            if role.reports_to is not None:
                self.reference(m.get("reports_to").mark, role.reports_to, by_id, "role", f"reports_to of role {role.id}")  # type: ignore[union-attr]
        links = {role.id: role.reports_to for role, _ in roles}
        marks = {role.id: m for role, m in roles}
        for loop in cycles(links):
            self.error(
                marks[loop[0]].get("reports_to").mark,  # type: ignore[union-attr]
                f"reports_to makes a cycle ({_loop(loop)}); "
                "the chain of command must end at a role with no reports_to",
            )

    def check_injects(
        self,
        injects: list[tuple[Inject, Mapping]],
        roles: dict[str, Role],
        objectives: dict[str, Objective],
        duration: int | None,
    ) -> None:
        by_id = {i.id: i for i, _ in injects}
        for inject, m in injects:
            what = f"inject {inject.id}"
            for ref, mark in self.ids(m, "to", what, quiet=True):
                self.reference(mark, ref, roles, "role", f"to of {what}")
            for ref, mark in self.ids(m, "objectives", what, quiet=True):
                self.reference(mark, ref, objectives, "objective", f"objectives of {what}")
            trig = inject.after
            if trig is not None:
                am = m.get("after")
                assert isinstance(am, Mapping)
                if trig.inject == inject.id:
                    self.error(am.get("inject").mark, f"{what} cannot be released after itself")  # type: ignore[union-attr]
                elif self.reference(am.get("inject").mark, trig.inject, by_id, "inject", f"after of {what}") and trig.on == "decision":  # type: ignore[union-attr]
                    target = by_id[trig.inject]
                    if target.decision is None:
                        self.error(am.get("on").mark, f"after of {what} waits for a decision on {trig.inject}, which has no decision")  # type: ignore[union-attr]
                    elif target.decision.option(trig.option or "") is None:
                        opts = [o.id for o in target.decision.options]
                        self.error(
                            am.get("on").mark,  # type: ignore[union-attr]
                            f"{trig.inject} has no decision option '{trig.option}' (it has {', '.join(opts)}){hint(trig.option or '', opts)}",
                        )
            if inject.at is not None and duration is not None and inject.at > duration:
                self.warn(
                    m.get("at").mark,  # type: ignore[union-attr]
                    f"{what} is at {format_drill_time(inject.at)}, beyond the planned duration of {format_duration(duration)}",
                )
        links = {inject.id: inject.after.inject if inject.after else None for inject, _ in injects}
        marks = {inject.id: m for inject, m in injects}
        for loop in cycles(links):
            if len(loop) > 1:  # an inject after itself is reported above
                self.error(
                    marks[loop[0]].key_mark("after"),
                    f"after makes a cycle ({_loop(loop)}); none of these injects could ever be released",
                )


    def check_expectations(self, roles: dict[str, Role]) -> None:
        """Task and expectation ids unique in the scenario; `by`, `task` and `when` name what exists."""
        self.unique([t for t in self.task_marks], "task")
        self.unique([(e, em) for _, e, em in self.expect_marks], "expectation")
        tasks = {t.id: t for t, _ in self.task_marks}
        for inject, e, em in self.expect_marks:
            what = f"expectation {e.id} of inject {inject.id}"
            for ref, mark in self.ids(em, "by", what, quiet=True):
                self.reference(mark, ref, roles, "role", f"by of {what}")
            if e.task is not None:
                self.reference(em.get("task").mark, e.task, tasks, "task", f"task of {what}")  # type: ignore[union-attr]
            option = e.option
            if option is not None:
                mark = em.get("when").mark  # type: ignore[union-attr]
                if inject.decision is None:
                    self.error(mark, f"when of {what} waits for a decision, but inject {inject.id} asks for none")
                elif inject.decision.option(option) is None:
                    opts = [o.id for o in inject.decision.options]
                    self.error(mark, f"{inject.id} has no decision option '{option}' (it has {', '.join(opts)}){hint(option, opts)}")


def _loop(loop: list[str]) -> str:
    """`a -> b -> a`; a long loop shows its ends and how many are between."""
    ids = [*loop, loop[0]]
    if len(ids) > 12:
        ids = [*ids[:6], f"... ({len(ids) - 9:,} more)", *ids[-3:]]
    return " -> ".join(ids)


def cycles(links: dict[str, str | None]) -> list[list[str]]:
    """Every loop in a graph where each id points to at most one other, in linear time.

    Each loop starts at its member that comes first in `links`' order, as a
    person reading the file meets it.
    """
    order = {key: i for i, key in enumerate(links)}
    state: dict[str, int] = {}  # 1: on the walk now, 2: done
    found: list[list[str]] = []
    for start in links:
        if start in state:
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in links and node not in state:
            state[node] = 1
            walk.append(node)
            node = links[node]
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node):]
            first = min(range(len(loop)), key=lambda i: order[loop[i]])
            found.append(loop[first:] + loop[:first])
        for visited in walk:
            state[visited] = 2
    return found


def loads(source: str | bytes, path: str = "<scenario>") -> Scenario:
    """Load a scenario from text or bytes; raise ScenarioError naming every problem."""
    with gc_paused():
        return _loads(source, path)


def _loads(source: str | bytes, path: str) -> Scenario:
    reader = _Reader(path)
    try:
        text = decode(source) if isinstance(source, bytes) else decode(source.encode("utf-8", "surrogatepass"))
        root, tag_problems = parse(text)
    except YamlDataError as exc:
        raise ScenarioError([Problem(path, exc.mark.line, exc.mark.col, exc.message)]) from None
    except UnicodeEncodeError:
        raise ScenarioError([Problem(path, 1, 1, "text is not valid Unicode; save the file as UTF-8")]) from None
    for problem in tag_problems:
        reader.error(problem.mark, problem.message)
    if root is None:
        raise ScenarioError([Problem(path, 1, 1, f"file is empty; a scenario starts with 'format: {FORMAT}'")])
    if not isinstance(root, Mapping):
        reader.error(root.mark, f"a scenario must be a mapping of keys (format, id, title, ...), not {_describe(root)}")
        raise ScenarioError(reader.problems)
    reader.keys(root, TOP_KEYS, TOP_REQUIRED, "the scenario")
    fmt = root.get("format")
    if fmt is not None and not (isinstance(fmt, Scalar) and fmt.value == FORMAT):
        shown = fmt.raw if isinstance(fmt, Scalar) else _describe(fmt)
        reader.error(fmt.mark, f"unknown format {_q(shown)}; this drilltui reads 'format: {FORMAT}'")
    sid = reader.ident(root, "id", "the scenario", SLUG)
    title = reader.text(root, "title", "the scenario", required=True)
    summary = reader.text(root, "summary", "the scenario")
    domain_node = root.get("domain")
    absent = domain_node is None or isinstance(domain_node, Scalar) and domain_node.value is None
    domain = None if absent else reader.ident(root, "domain", "the scenario", SLUG)
    threat = reader.text(root, "threat", "the scenario")
    sponsor = reader.text(root, "sponsor", "the scenario")
    kind = reader.choice(root, "type", "the scenario", EXERCISE_TYPES, "tabletop")
    duration = reader.duration(root, "duration", "the scenario")
    if duration == 0:
        reader.error(root.get("duration").mark, "duration of the scenario must be longer than zero")  # type: ignore[union-attr]
    objectives = reader.objectives(root.get("objectives"), root.key_mark("objectives"))
    roles = reader.roles(root.get("roles"), root.key_mark("roles")) if "roles" in root.index else []
    injects = reader.injects(root.get("injects"), root.key_mark("injects")) if "injects" in root.index else []
    sensitive = reader.sensitive(root)
    reader.unique(objectives, "objective")
    reader.unique(roles, "role")
    reader.unique(injects, "inject")
    role_map = {r.id: r for r, _ in roles}
    reader.check_roles(roles)
    reader.check_injects(injects, role_map, {o.id: o for o, _ in objectives}, duration)
    reader.check_expectations(role_map)
    problems = sorted(reader.problems, key=lambda p: (p.line, p.col))
    if any(p.severity == "error" for p in problems):
        raise ScenarioError(problems)
    assert sid and title is not None and duration is not None
    return Scenario(
        id=sid,
        title=title,
        duration=duration,
        roles=tuple(r for r, _ in roles),
        injects=tuple(i for i, _ in injects),
        objectives=tuple(o for o, _ in objectives),
        summary=summary,
        domain=domain,
        threat=threat,
        sponsor=sponsor,
        type=kind,
        sensitive=sensitive,
        source_text=text,
        source_path=None if path.startswith("<") else path,
        warnings=tuple(problems),
    )


def load(path: str | Path) -> Scenario:
    """Load a scenario file; raise ScenarioError naming every problem."""
    try:
        data = read_source(path, "scenario file", MAX_BYTES)
    except Unreadable as exc:
        raise ScenarioError([Problem(str(path), 1, 1, str(exc))]) from None
    return loads(data, str(path))
