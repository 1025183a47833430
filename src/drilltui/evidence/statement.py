"""The attestation statement: what a signer vouches for about a drill's log, as a small text file."""

from __future__ import annotations

import re
from dataclasses import fields

from drilltui.frozen import frozen

FORMAT = "drilltui-attestation/1"
NAMESPACE = "drilltui-attestation"  # the OpenSSH signature namespace (ssh-keygen -n)
CHAINS = ("full", "redacted")

_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_WALL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class StatementError(ValueError):
    """Text that is not an attestation statement; the message names the line."""


@frozen
class Statement:
    """One statement; its text form is one `key: value` line per field, in this order."""

    chain: str  # full: the drill's own log; redacted: its redacted form (docs/store.md)
    drill: str
    scenario_sha256: str
    events: int  # the statement covers events 1 to `events`
    head_hash: str  # the hash of event `events`
    first_event_at: str  # wall time of event 1
    last_event_at: str  # wall time of event `events`
    attested_by: str
    capacity: str
    key: str  # SHA256 fingerprint of the signing key
    signed_at: str

    def text(self) -> str:
        lines = [f"format: {FORMAT}"] + [f"{_key(f.name)}: {getattr(self, f.name)}" for f in fields(self)]
        return "\n".join(lines) + "\n"

    def describe(self) -> str:
        """`Dana Reyes, Audit Ltd (auditor)`."""
        return self.attested_by + (f" ({self.capacity})" if self.capacity else "")


def _key(name: str) -> str:
    return name.replace("_", "-")


def check_text(value: str, what: str) -> str:
    """A free-text field as a statement can hold it: one line, no control characters."""
    if _CONTROL.search(value):
        raise StatementError(f"{what} must be one line without control characters")
    return value.strip()


def parse(text: str) -> Statement:
    """Read a statement's text strictly: every field, in order, nothing else."""
    names = [f.name for f in fields(Statement)]
    lines = text.split("\n")
    if not text.endswith("\n") or len(lines) != len(names) + 2:
        raise StatementError(f"a statement has {len(names) + 1} lines, each ending in a newline")
    if lines[0] != f"format: {FORMAT}":
        raise StatementError(f"line 1 must be 'format: {FORMAT}'")
    values: dict[str, object] = {}
    for n, (name, line) in enumerate(zip(names, lines[1:]), start=2):
        key, sep, value = line.partition(": ")
        if key != _key(name) or not sep:
            raise StatementError(f"line {n} must start with '{_key(name)}: '")
        if _CONTROL.search(value):
            raise StatementError(f"line {n} ({key}) holds control characters")
        values[name] = value
    _check(values)
    values["events"] = int(str(values["events"]))
    return Statement(**values)  # type: ignore[arg-type]


def _check(v: dict[str, object]) -> None:
    if v["chain"] not in CHAINS:
        raise StatementError(f"chain must be one of {', '.join(CHAINS)}, not '{v['chain']}'")
    for name in ("scenario_sha256", "head_hash"):
        if not _HEX64.match(str(v[name])):
            raise StatementError(f"{_key(name)} must be 64 lower-case hex digits")
    if not re.fullmatch(r"[1-9][0-9]{0,15}", str(v["events"])):
        raise StatementError("events must be a whole number from 1")
    for name in ("first_event_at", "last_event_at", "signed_at"):
        if not _WALL.match(str(v[name])):
            raise StatementError(f"{_key(name)} must be an ISO-8601 UTC time such as 2026-03-12T09:00:00.000000Z")
    if not v["drill"] or not v["attested_by"] or not str(v["key"]).startswith("SHA256:"):
        raise StatementError("drill, attested-by and key (SHA256:...) must not be empty")
