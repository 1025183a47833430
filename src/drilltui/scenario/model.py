"""The scenario as typed, frozen data: roles, objectives and the MSEL."""

from __future__ import annotations

from dataclasses import dataclass, field

from drilltui.scenario.vocabulary import (  # noqa: F401 - the model's words, named here as before
    EXERCISE_TYPES,
    FORMAT,
    METHODS,
    ROLE_KINDS,
    SENSITIVE_FIELDS,
    SEVERITIES,
    TRIGGERS,
)
from drilltui.visible import visible


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    capability: str | None = None


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    kind: str = "player"
    holder: str | None = None
    reports_to: str | None = None
    ack_within: int | None = None


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Decision:
    prompt: str
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Trigger:
    """`after`: release when another inject reaches a state, plus a delay."""

    inject: str
    on: str  # one of TRIGGERS, or "decision"
    option: str | None = None  # with on == "decision"
    delay: int = 0

    @property
    def label(self) -> str:
        return f"decision:{self.option}" if self.on == "decision" else self.on


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    duration: int
    roles: tuple[Role, ...]
    injects: tuple[Inject, ...]
    objectives: tuple[Objective, ...] = ()
    summary: str | None = None
    type: str = "tabletop"
    format: str = FORMAT
    sensitive: tuple[str, ...] = ()  # SENSITIVE_FIELDS that --redact replaces in every inject and event
    source_text: str = field(default="", repr=False, compare=False)
    source_path: str | None = field(default=None, compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    _roles: dict[str, Role] = field(init=False, repr=False, compare=False)
    _injects: dict[str, Inject] = field(init=False, repr=False, compare=False)
    _objectives: dict[str, Objective] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_roles", {r.id: r for r in self.roles})
        object.__setattr__(self, "_injects", {i.id: i for i in self.injects})
        object.__setattr__(self, "_objectives", {o.id: o for o in self.objectives})

    def role(self, role_id: str) -> Role | None:
        return self._roles.get(role_id)

    def inject(self, inject_id: str) -> Inject | None:
        return self._injects.get(inject_id)

    def objective(self, objective_id: str) -> Objective | None:
        return self._objectives.get(objective_id)

    @property
    def sha256(self) -> str:
        import hashlib  # here: loading a scenario to check it needs no OpenSSL

        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()

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
