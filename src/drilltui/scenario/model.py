"""The scenario as typed, frozen data: roles, objectives and the MSEL."""

from __future__ import annotations

from dataclasses import field

from drilltui.frozen import frozen
from drilltui.scenario.vocabulary import (  # noqa: F401 - the model's words, named here as before
    EXERCISE_TYPES,
    EXPECT_STATES,
    FORMAT,
    METHODS,
    ROLE_KINDS,
    SENSITIVE_FIELDS,
    SEVERITIES,
    TRIGGERS,
)
from drilltui.visible import visible


@frozen
class Problem:
    """One thing wrong (or doubtful) in a scenario file, at a position."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        # Messages quote the file's text; a terminal must never receive its control characters.
        return visible(f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}")


class ScenarioError(Exception):
    """A scenario file was rejected; `problems` names every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


@frozen
class Task:
    """An HSEEP critical task of an objective: what must be done for the objective to be met."""

    id: str
    text: str


@frozen
class Objective:
    id: str
    text: str
    capability: str | None = None
    tasks: tuple[Task, ...] = ()


@frozen
class Expectation:
    """What the players are expected to do about an inject, by whom and by when (`expect:` in the file)."""

    id: str
    text: str
    by: tuple[str, ...] = ()  # the roles expected to act; the loader fills in the inject's `to` when absent
    within: int | None = None  # seconds from the inject's release
    task: str | None = None  # the critical task it evidences
    when: str | None = None  # acknowledged | resolved | escalated | decision:<option>; None: an evaluator marks it

    @property
    def option(self) -> str | None:
        """The decision option of `when: decision:<option>`."""
        return self.when.split(":", 1)[1] if self.when and self.when.startswith("decision:") else None


@frozen
class Role:
    id: str
    title: str
    kind: str = "player"
    holder: str | None = None
    reports_to: str | None = None
    ack_within: int | None = None


@frozen
class Option:
    id: str
    label: str


@frozen
class Decision:
    prompt: str
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@frozen
class Trigger:
    """`after`: release when another inject reaches a state, plus a delay."""

    inject: str
    on: str  # one of TRIGGERS, or "decision"
    option: str | None = None  # with on == "decision"
    delay: int = 0

    @property
    def label(self) -> str:
        return f"decision:{self.option}" if self.on == "decision" else self.on


@frozen
class Inject:
    id: str
    title: str
    to: tuple[str, ...]
    at: int | None = None
    after: Trigger | None = None
    manual: bool = False
    sender: str | None = None  # `from` in the file
    method: str = "other"
    message: str = ""
    expected_action: str | None = None
    objectives: tuple[str, ...] = ()
    severity: str = "medium"
    ack_within: int | None = None
    decision: Decision | None = None
    sensitive: bool = False  # all its free text is redacted by --redact
    expect: tuple[Expectation, ...] = ()  # what the players are expected to do about it


@frozen
class Scenario:
    id: str
    title: str
    duration: int
    roles: tuple[Role, ...]
    injects: tuple[Inject, ...]
    objectives: tuple[Objective, ...] = ()
    summary: str | None = None
    domain: str | None = None  # the field it is written for (ai-lab, healthcare, energy, ...): the home screen groups by it
    threat: str | None = None  # the threat or hazard the exercise is about (HSEEP's cover)
    sponsor: str | None = None  # the sponsoring organisation
    type: str = "tabletop"
    format: str = FORMAT
    sensitive: tuple[str, ...] = ()  # SENSITIVE_FIELDS that --redact replaces in every inject and event
    source_text: str = field(default="", repr=False, compare=False)
    source_path: str | None = field(default=None, compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    _roles: dict[str, Role] = field(init=False, repr=False, compare=False)
    _injects: dict[str, Inject] = field(init=False, repr=False, compare=False)
    _objectives: dict[str, Objective] = field(init=False, repr=False, compare=False)
    _tasks: dict[str, tuple[Objective, Task]] = field(init=False, repr=False, compare=False)
    _expectations: dict[str, tuple[Inject, Expectation]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_roles", {r.id: r for r in self.roles})
        object.__setattr__(self, "_injects", {i.id: i for i in self.injects})
        object.__setattr__(self, "_objectives", {o.id: o for o in self.objectives})
        object.__setattr__(self, "_tasks", {t.id: (o, t) for o in self.objectives for t in o.tasks})
        object.__setattr__(self, "_expectations", {e.id: (i, e) for i in self.injects for e in i.expect})

    def role(self, role_id: str) -> Role | None:
        return self._roles.get(role_id)

    def inject(self, inject_id: str) -> Inject | None:
        return self._injects.get(inject_id)

    def objective(self, objective_id: str) -> Objective | None:
        return self._objectives.get(objective_id)

    def task(self, task_id: str) -> tuple[Objective, Task] | None:
        """A critical task and the objective it belongs to."""
        return self._tasks.get(task_id)

    def expectation(self, expectation_id: str) -> tuple[Inject, Expectation] | None:
        """An expectation and the inject it is about."""
        return self._expectations.get(expectation_id)

    @property
    def expectations(self) -> list[tuple[Inject, Expectation]]:
        """Every expectation of the MSEL with its inject, in file order."""
        return list(self._expectations.values())

    def expectation_objectives(self, inject: Inject, expectation: Expectation) -> tuple[str, ...]:
        """The objectives an expectation counts for: its task's objective, else its inject's objectives."""
        found = self.task(expectation.task) if expectation.task else None
        return (found[0].id,) if found else inject.objectives

    @property
    def sha256(self) -> str:
        import hashlib  # here: loading a scenario to check it needs no OpenSSL

        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()

    def first_wait(self, inject: Inject | None, holder: str) -> int | None:
        """Seconds an item has to be acknowledged once released to `holder`: the inject's ack_within, else the holder's."""
        if inject is not None and inject.ack_within is not None:
            return inject.ack_within
        role = self.role(holder)
        return role.ack_within if role is not None else None

    def escalated_wait(self, inject: Inject | None, new_holder: str) -> int | None:
        """Seconds an item has once escalated to `new_holder`: the new holder's ack_within, else the inject's."""
        role = self.role(new_holder)
        if role is not None and role.ack_within is not None:
            return role.ack_within
        return inject.ack_within if inject is not None else None

    def chain_of(self, role_id: str) -> list[str]:
        """The roles above `role_id`, nearest first, up to its root."""
        chain: list[str] = []
        seen = {role_id}
        role = self.role(role_id)
        while role is not None and role.reports_to and role.reports_to not in seen:
            chain.append(role.reports_to)
            seen.add(role.reports_to)
            role = self.role(role.reports_to)
        return chain

    def children(self, role_id: str | None) -> list[Role]:
        """Roles that report to `role_id` (roots for None), in file order."""
        return [r for r in self.roles if r.reports_to == role_id]

    @property
    def controllers(self) -> list[Role]:
        return [r for r in self.roles if r.kind == "controller"]
