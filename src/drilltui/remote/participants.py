"""The participants file: who may join a remote drill, in which role, with which SSH keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from drilltui.engine.state import CONTROL
from drilltui.errors import UserError
from drilltui.scenario import Problem, Scenario
from drilltui.scenario.loader import hint
from drilltui.scenario.source import Unreadable, read_source
from drilltui.scenario.yamldata import Mapping, Mark, Node, Scalar, Sequence, YamlDataError, decode, parse
from drilltui.visible import describe_control, has_control, visible

PARTICIPANT_KEYS = ("name", "role", "keys", "web")
PARTICIPANTS_LIMIT = 4 * 1_048_576  # bytes: thousands of participants with several RSA keys each


class ParticipantsError(UserError):
    """A participants file was rejected; `problems` names every error, FILE:LINE:COL first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Participant:
    """One person who may join: their name in the log, their role, their public keys."""

    name: str
    role: str
    keys: tuple[asyncssh.SSHKey, ...] = field(compare=False)
    line: int = 0
    controller: bool = False  # a controller role: the server keeps a session slot for them
    web: bool = False  # may be invited to join from a browser

    @property
    def fingerprints(self) -> tuple[str, ...]:
        return tuple(k.get_fingerprint("sha256") for k in self.keys)


@dataclass(frozen=True)
class Roster:
    """Every participant of a drill, and the lookup from an offered key to its owner."""

    path: str
    participants: tuple[Participant, ...]
    _by_key: dict[bytes, Participant] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {k.public_data: p for p in self.participants for k in p.keys})

    def match(self, key: asyncssh.SSHKey) -> Participant | None:
        """The participant holding this public key, or None (the key is refused)."""
        return self._by_key.get(key.public_data)

    def named(self, name: str) -> Participant | None:
        """The participant of this name (names are unique, case-insensitive), or None."""
        return next((p for p in self.participants if p.name.casefold() == name.strip().casefold()), None)


def parse_key(text: str) -> asyncssh.SSHKey:
    """An OpenSSH public key line (`type base64 [comment]`); ValueError with the reason."""
    line = text.strip()
    if not line:
        raise ValueError("the key is empty")
    if "\n" in line:
        raise ValueError("a key is one line; give each key its own list item")
    if not line.startswith(("ssh-", "ecdsa-", "sk-")):
        raise ValueError(
            f"'{_clip(line)}' is not an OpenSSH public key; paste the line of the .pub file, "
            "such as 'ssh-ed25519 AAAA... name@host' (no authorized_keys options)"
        )
    try:
        key = asyncssh.import_public_key(line)
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise ValueError(f"'{_clip(line)}' is not a valid public key ({exc}); paste the whole line of the .pub file") from None
    if isinstance(key, asyncssh.SSHCertificate):  # pragma: no cover - import_public_key never returns these
        raise ValueError("certificates are not accepted; give the plain public key")
    return key


def _clip(text: str, width: int = 40) -> str:
    """Text from the file, shortened and with its control characters drawn, for an error message."""
    text = visible(text)
    return text if len(text) <= width else text[: width - 3] + "..."


class _Reader:
    """Walks the participants file's nodes, collecting participants and problems."""

    def __init__(self, path: str, scenario: Scenario | None) -> None:
        self.path = path
        self.scenario = scenario
        self.problems: list[Problem] = []

    def error(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line, mark.col, message))

    def text(self, entry: Mapping, key: str, what: str) -> str | None:
        node = entry.get(key)
        if node is None:
            self.error(entry.mark, f"{what} has no '{key}'")
            return None
        if isinstance(node, Scalar) and isinstance(node.value, str) and node.value.strip():
            value = node.value.strip()
            bad = has_control(value, lines=False)
            if bad is not None:
                self.error(node.mark, f"{key} of {what} holds {describe_control(bad)}: '{_clip(value)}'; "
                                      "names and roles are plain text on one line")
                return None
            if key == "name" and value.startswith("-"):
                self.error(node.mark, f"name '{_clip(value)}' starts with '-', which reads as an option on a command line; "
                                      "start it with a letter or digit")
                return None
            return value
        self.error(node.mark, f"{key} of {what} must be non-empty text, not {_describe(node)}")
        return None

    def role(self, entry: Mapping, what: str) -> str | None:
        role = self.text(entry, "role", what)
        if role is None or self.scenario is None:
            return role
        scenario = self.scenario
        if scenario.role(role) is not None or (role == CONTROL and not scenario.controllers):
            return role
        roles = [r.id for r in scenario.roles]
        self.error(entry.get("role").mark,  # type: ignore[union-attr]
                   f"unknown role '{role}': {scenario.id} has {', '.join(roles)}{hint(role, roles)}")
        return None

    def is_controller(self, role: str) -> bool:
        if self.scenario is None:
            return False
        found = self.scenario.role(role)
        return found.kind == "controller" if found is not None else role == CONTROL

    def web(self, entry: Mapping, what: str) -> bool:
        node = entry.get("web")
        if node is None:
            return False
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.error(node.mark, f"web of {what} must be true or false, not {_describe(node)}")
        return False

    def keys(self, entry: Mapping, what: str, web: bool = False) -> list[tuple[asyncssh.SSHKey, Mark]]:
        node = entry.get("keys")
        if node is None:
            if not web:
                self.error(entry.mark, f"{what} has no 'keys'; list one or more OpenSSH public keys, or say 'web: true' "
                                       "for a participant invited to join from a browser")
            return []
        items: tuple[Node, ...] = node.items if isinstance(node, Sequence) else (node,)
        if not items:
            self.error(node.mark, f"keys of {what} is empty; list one or more OpenSSH public keys")
        out = []
        for item in items:
            if not (isinstance(item, Scalar) and isinstance(item.value, str)):
                self.error(item.mark, f"each key of {what} must be a public key line, not {_describe(item)}")
                continue
            try:
                out.append((parse_key(item.value), item.mark))
            except ValueError as exc:
                self.error(item.mark, f"malformed key of {what}: {exc}")
        return out

    def participants(self, root: Node | None) -> list[Participant]:
        if not isinstance(root, Mapping) or "participants" not in root.index:
            self.error(root.mark if root else Mark(1, 1), "a participants file is a mapping with a 'participants' list of {name, role, keys}")
            return []
        for key, _ in root.items:
            if key.raw != "participants":
                self.error(key.mark, f"unknown key '{_clip(key.raw)}'; the file holds only 'participants'")
        node = root.get("participants")
        if not isinstance(node, Sequence) or not node.items:
            self.error(node.mark if node else root.mark, "participants must be a non-empty list of {name, role, keys}")
            return []
        found: list[Participant] = []
        names: dict[str, int] = {}
        owners: dict[bytes, str] = {}
        for entry in node.items:
            if not isinstance(entry, Mapping):
                self.error(entry.mark, f"each participant is a mapping with name, role and keys, not {_describe(entry)}")
                continue
            for key, _ in entry.items:
                if key.raw not in PARTICIPANT_KEYS:
                    self.error(key.mark, f"unknown key '{_clip(key.raw)}' in a participant{hint(key.raw, PARTICIPANT_KEYS)}")
            name = self.text(entry, "name", f"the participant on line {entry.mark.line}")
            what = f"participant '{name}'" if name else f"the participant on line {entry.mark.line}"
            role = self.role(entry, what)
            web = self.web(entry, what)
            keys = self.keys(entry, what, web)
            if name is not None:
                if name.casefold() in names:
                    self.error(entry.get("name").mark,  # type: ignore[union-attr]
                               f"name '{name}' is already used on line {names[name.casefold()]}; names must be unique")
                names.setdefault(name.casefold(), entry.mark.line)
            for public, mark in keys:
                owner = owners.get(public.public_data)
                if owner is not None:
                    self.error(mark, f"this key of {what} is already {owner}'s; each key belongs to one participant")
                owners.setdefault(public.public_data, name or what)
            if name is not None and role is not None and (keys or web):
                found.append(Participant(name, role, tuple(k for k, _ in keys), entry.mark.line, self.is_controller(role), web))
        return found


def _describe(node: Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "an empty value" if node.value is None else f"'{_clip(node.raw)}'"


def loads_participants(text: str | bytes, path: str = "<participants>", scenario: Scenario | None = None) -> Roster:
    """Read participants from text, checking roles against `scenario`; ParticipantsError on problems."""
    reader = _Reader(path, scenario)
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        root, tag_problems = parse(decode(data, "participants file"))
    except YamlDataError as exc:
        raise ParticipantsError([Problem(path, exc.mark.line, exc.mark.col, exc.message)]) from None
    for problem in tag_problems:
        reader.error(problem.mark, problem.message)
    found = reader.participants(root)
    if reader.problems:
        raise ParticipantsError(sorted(reader.problems, key=lambda p: (p.line, p.col)))
    return Roster(path, tuple(found))


def load_participants(path: str | Path, scenario: Scenario | None = None) -> Roster:
    """Read a participants file; ParticipantsError naming FILE:LINE for every problem."""
    try:
        data = read_source(path, "participants file", limit=PARTICIPANTS_LIMIT)
    except Unreadable as exc:
        raise ParticipantsError([Problem(str(path), 1, 1, str(exc))]) from None
    return loads_participants(data, str(path), scenario)
