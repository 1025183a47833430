"""Rehearsal policies: who answers what, how fast, and which option each decision takes (docs/rehearsal.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from drilltui.engine import commands as c
from drilltui.engine.events import RehearsalStarted
from drilltui.scenario import Problem, Scenario, ScenarioError, parse_duration
from drilltui.scenario.loader import hint
from drilltui.scenario.yamldata import Mapping, Node, Scalar, YamlDataError, parse

EVERYONE_WITHIN = 60  # seconds: how soon `everyone` answers when no duration is given
NEVER = "never"  # the word for a role that does not answer
KEYS = ("default", "roles", "decisions", "resolve")
WORDS = ("nobody", "everyone")


@dataclass(frozen=True)
class Policy:
    """How simulated players respond: a response time per role (None: never), a choice per decision.

    A role answers an item sent to it, or escalated to it, `response(role)`
    seconds after it arrives: it takes the decision the item asks for, else
    acknowledges it. With `resolve`, the role that acknowledged an item
    resolves it that many seconds later.
    """

    name: str  # as given: nobody, everyone:2m, or the policy file's name
    default: int | None = None
    roles: tuple[tuple[str, int | None], ...] = ()
    decisions: tuple[tuple[str, str], ...] = ()  # inject id -> option id; others take their first option
    resolve: int | None = None
    # Where each role and decision was written, for problems found against a scenario: (what, key, line, col).
    marks: tuple[tuple[str, str, int, int], ...] = field(default=(), compare=False)

    def response(self, role: str) -> int | None:
        """Seconds `role` takes to answer, or None when it does not."""
        named = dict(self.roles)
        return named[role] if role in named else self.default

    def choice(self, inject: str) -> str | None:
        """The option named for `inject`, or None (then the first option is taken)."""
        return dict(self.decisions).get(inject)

    def command(self) -> c.Rehearse:
        """The command that marks a drill as a rehearsal under this policy."""
        return c.Rehearse(self.name, self.default, self.roles, self.decisions, self.resolve)

    @classmethod
    def from_event(cls, body: RehearsalStarted) -> Policy:
        """The policy a rehearsal's log recorded."""
        return cls(body.policy, body.default, tuple((body.roles or {}).items()), tuple((body.decisions or {}).items()),
                   body.resolve)

    def problems(self, scenario: Scenario) -> list[Problem]:
        """What names a role, inject or option the scenario does not have, at its place in the policy file."""
        out = []
        role_ids = [r.id for r in scenario.roles]
        where = {(what, key): (line, col) for what, key, line, col in self.marks}
        for role, _ in self.roles:
            if scenario.role(role) is None:
                line, col = where.get(("role", role), (1, 1))
                out.append(Problem(self.name, line, col, f"'{role}' is not a role of scenario {scenario.id}"
                                   f"{hint(role, role_ids)}"))
        for inject_id, option in self.decisions:
            line, col = where.get(("decision", inject_id), (1, 1))
            inject = scenario.inject(inject_id)
            if inject is None:
                out.append(Problem(self.name, line, col, f"'{inject_id}' is not an inject of scenario {scenario.id}"
                                   f"{hint(inject_id, [i.id for i in scenario.injects])}"))
            elif inject.decision is None:
                out.append(Problem(self.name, line, col, f"{inject_id} asks for no decision; leave it out of decisions"))
            elif inject.decision.option(option) is None:
                ids = [o.id for o in inject.decision.options]
                out.append(Problem(self.name, line, col, f"'{option}' is not an option of {inject_id} "
                                   f"({', '.join(ids)}){hint(option, ids)}"))
        return out


def describe_policy(policy: Policy) -> str:
    """The policy in words, one line: `every role answers after 1m; decisions take their first option`."""
    from drilltui.scenario import format_duration

    def after(t: int | None) -> str:
        return "never answers" if t is None else f"answers after {format_duration(t)}"

    if policy.default is None and not policy.roles:
        parts = ["nobody answers"]
    else:
        parts = [f"{role} {after(t)}" for role, t in policy.roles]
        parts.append(f"{'every other role' if policy.roles else 'every role'} {after(policy.default)}")
        if policy.decisions:
            parts.append("decisions: " + ", ".join(f"{i} {o}" for i, o in policy.decisions) + ", the others their first option")
        else:
            parts.append("decisions take their first option")
    if policy.resolve is not None:
        parts.append(f"items are resolved {format_duration(policy.resolve)} after they are acknowledged")
    return "; ".join(parts)


def keyword(text: str) -> Policy | None:
    """`nobody`, `everyone` or `everyone:DURATION` as a policy; None for anything else; ValueError for a bad duration."""
    word = text.strip()
    if word == "nobody":
        return Policy("nobody")
    if word == "everyone":
        return Policy("everyone", EVERYONE_WITHIN)
    if word.startswith("everyone:"):
        return Policy(word, parse_duration(word.partition(":")[2].strip()))
    return None


def parse_policy(text: str, *, name: str = "<policy>") -> Policy:
    """A policy from `nobody`, `everyone[:DURATION]` or the text of a policy file; ScenarioError naming what is wrong."""
    if "\n" not in text.strip():
        try:
            word = keyword(text)
        except ValueError as exc:
            raise ScenarioError([Problem(name, 1, 1, f"{text.strip()}: {exc}")]) from None
        if word is not None:
            return word
    problems: list[Problem] = []

    def error(line: int, col: int, message: str) -> None:
        problems.append(Problem(name, line, col, message))

    try:
        root, tag_problems = parse(text)
    except YamlDataError as exc:
        raise ScenarioError([Problem(name, exc.mark.line, exc.mark.col, exc.message)]) from None
    for p in tag_problems:
        error(p.mark.line, p.mark.col, p.message)
    if not isinstance(root, Mapping):
        error(1, 1, "a policy file is a mapping with default, roles, decisions and resolve (docs/rehearsal.md); "
                    "or write nobody, or everyone:DURATION")
        raise ScenarioError(problems)
    for key, _ in root.items:
        if key.raw not in KEYS:
            error(key.mark.line, key.mark.col, f"'{key.raw}' is not a key of a policy file ({', '.join(KEYS)})"
                                               f"{hint(key.raw, KEYS)}")
    marks: list[tuple[str, str, int, int]] = []
    default = _response(root.get("default"), "default", error)
    resolve = _response(root.get("resolve"), "resolve", error)
    roles: list[tuple[str, int | None]] = []
    for key, value in _entries(root.get("roles"), "roles", "a mapping of role ids to response times, e.g. {ic: 30s}", error):
        marks.append(("role", key.raw, key.mark.line, key.mark.col))
        roles.append((key.raw, _response(value, f"roles: {key.raw}", error)))
    decisions: list[tuple[str, str]] = []
    for key, value in _entries(root.get("decisions"), "decisions", "a mapping of inject ids to option ids, e.g. "
                                                                   "{AI-04: offline}", error):
        marks.append(("decision", key.raw, key.mark.line, key.mark.col))
        if not isinstance(value, Scalar) or value.value is None or isinstance(value.value, bool):
            at = value.mark if value is not None else key.mark
            error(at.line, at.col, f"decisions: {key.raw} must be an option id of the inject, such as offline")
            continue
        decisions.append((key.raw, value.raw if value.plain else str(value.value)))
    if problems:
        raise ScenarioError(problems)
    return Policy(name, default, tuple(roles), tuple(decisions), resolve, tuple(marks))


def _entries(node: Node | None, what: str, shape: str, error: Callable[[int, int, str], None]) -> list[tuple[Scalar, Node]]:
    if node is None or isinstance(node, Scalar) and node.value is None:
        return []
    if not isinstance(node, Mapping):
        error(node.mark.line, node.mark.col, f"{what} must be {shape}")
        return []
    return list(node.items)


def _response(node: Node | None, what: str, error: Callable[[int, int, str], None]) -> int | None:
    """A response time in seconds, or None for `never` (and for a key not written)."""
    if node is None:
        return None
    if isinstance(node, Scalar) and node.raw == NEVER:
        return None
    if not isinstance(node, Scalar) or node.value is None or isinstance(node.value, bool):
        error(node.mark.line, node.mark.col, f"{what} must be a duration such as 2m or 30s, or never")
        return None
    try:
        return parse_duration(node.raw if node.plain and isinstance(node.value, str) else node.value)
    except ValueError as exc:
        error(node.mark.line, node.mark.col, f"{what}: {exc}; or write never")
        return None
