"""Check attestations and head hashes against a drill's chain, naming the attestation and the event that fail."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from drilltui.engine.events import DrillAttested, body_from_data
from drilltui.evidence import sshsig
from drilltui.evidence.statement import NAMESPACE, Statement, StatementError, parse
from drilltui.frozen import frozen
from drilltui.store import StoredEvent

ATTESTED = DrillAttested.KIND
HEX64 = re.compile(r"[0-9a-f]{64}\Z")


@frozen
class Link:
    """One event as the chain sees it."""

    seq: int
    kind: str
    wall_time: str
    hash: str


@frozen
class Chain:
    """A drill's log as its hashes: what statements are checked against."""

    name: str  # full | redacted
    drill: str
    scenario_sha256: str
    links: tuple[Link, ...]  # links[i] is event i + 1
    broken_at: int | None = None  # the first event the chain's own walk rejected
    broken_reason: str = ""


@frozen
class Checked:
    """One attestation (or statement file) and what the check found."""

    label: str  # "attestation at event 41", "statement.txt"
    statement: Statement | None  # None when its text could not be read
    seq: int | None  # the event that holds it; None for a file
    problem: str  # "" when it holds
    log: str = "full"  # the log it was checked against: full | redacted

    @property
    def ok(self) -> bool:
        return not self.problem

    def line(self) -> str:
        s = self.statement
        who = f"{s.describe()}, key {s.key}, signed {s.signed_at}" if s else "unreadable"
        if self.ok and s is not None:
            return f"{self.label}: valid: {who}; covers events 1 to {s.events}, head {s.head_hash}"
        return f"{self.label}: FAILED ({who}): {self.problem}"


def read_signed(statement_text: str, signature_text: str) -> tuple[Statement, sshsig.Signature]:
    """The statement and its checked signature; StatementError or SignatureError says what is wrong."""
    statement = parse(statement_text)
    signature = sshsig.parse(signature_text)
    signature.check(statement_text.encode("utf-8"), NAMESPACE)
    if signature.fingerprint != statement.key:
        raise sshsig.SignatureError(f"it was signed by key {signature.fingerprint}, but the statement names {statement.key}")
    return statement, signature


def against(statement: Statement, chain: Chain, seq: int | None = None) -> str:
    """What is wrong with the chain as the statement describes it ("" when it matches).

    `seq` is the event holding the statement, if it is held in the log.
    """
    if statement.chain != chain.name:
        return f"it is a statement about the {statement.chain} log, not the {chain.name} one"
    if statement.drill != chain.drill:
        return f"it is about drill '{statement.drill}', not '{chain.drill}'"
    if statement.scenario_sha256 != chain.scenario_sha256:
        return (f"it was signed for scenario {statement.scenario_sha256[:16]}..., but the drill's scenario is "
                f"{chain.scenario_sha256[:16]}...: the scenario was replaced")
    n, count = statement.events, len(chain.links)
    if n > count:
        gone = f"event {n} is" if count + 1 == n else f"events {count + 1} to {n} are"
        return f"it covers {n} events but the log has {count}: {gone} missing (the log was cut short)"
    if seq is not None and n >= seq:
        return f"it sits at event {seq} yet claims to cover {n} events (it was moved or forged)"
    head = chain.links[n - 1]
    if head.hash != statement.head_hash:
        return (f"event {n} no longer matches what was signed (its hash is {head.hash[:16]}..., the statement says "
                f"{statement.head_hash[:16]}...): the log was rewritten at or before event {n}")
    if chain.links[0].wall_time != statement.first_event_at or head.wall_time != statement.last_event_at:
        return "its wall-clock span differs from the log's first and last attested events"
    if chain.broken_at is not None and chain.broken_at <= n:
        return f"event {chain.broken_at}, which it covers, fails the chain check ({chain.broken_reason})"
    for link in chain.links[n:]:
        if link.kind != ATTESTED:
            return f"event {link.seq} ({link.kind}) was added after it was signed (the log was extended)"
    return ""


def check_held(seq: int, body: DrillAttested, chains: Mapping[str, Chain]) -> list[Checked]:
    """An attestation event's signed statements, each against the chain of its kind that is to hand."""
    pairs = (("full", body.statement, body.signature, ""),
             ("redacted", body.redacted_statement, body.redacted_signature, " (redacted log)"))
    out = []
    for name, text, sig, suffix in pairs:
        chain = chains.get(name)
        if chain is None or not (text or name == "full"):
            continue
        label = f"attestation at event {seq}{suffix}"
        try:
            statement, _ = read_signed(text, sig)
        except (StatementError, sshsig.SignatureError) as exc:
            out.append(Checked(label, None, seq, str(exc), name))
            continue
        problem = against(statement, chain, seq)
        # The redacted statement names the signer as the redacted log does, so only the full one must match by name.
        shown = (body.by, body.capacity, body.events) if name == "full" else (statement.attested_by, statement.capacity, body.events)
        if shown != (statement.attested_by, statement.capacity, statement.events):
            problem = problem or "the event's by, capacity or events differ from its signed statement"
        out.append(Checked(label, statement, seq, problem, name))
    return out


def check_file(label: str, statement_text: str, signature_text: str, chains: Mapping[str, Chain]) -> Checked:
    """A statement kept outside the log (FILE and FILE.sig) against the chain it is about."""
    try:
        statement, _ = read_signed(statement_text, signature_text)
    except (StatementError, sshsig.SignatureError) as exc:
        return Checked(label, None, None, str(exc))
    chain = chains.get(statement.chain)
    if chain is None:
        return Checked(label, statement, None, f"it is about the {statement.chain} log, and there is none here to check it against")
    return Checked(label, statement, None, against(statement, chain), chain.name)


def held(events: Sequence[StoredEvent]) -> list[tuple[int, DrillAttested]]:
    """The attestations the log holds, with their seq."""
    out = []
    for e in events:
        if e.kind == ATTESTED:
            try:
                body = body_from_data(e.kind, e.data, e.version)
            except (TypeError, ValueError):  # a damaged or forged event: its check will say so
                body = DrillAttested("", "", 0, "", "")
            out.append((e.seq, body if isinstance(body, DrillAttested) else DrillAttested("", "", 0, "", "")))
    return out


def _events(first: int, last: int) -> str:
    return f"event {first}" if first == last else f"events {first} to {last}"


def head_problem(expected: str, chain: Chain) -> str:
    """What is wrong with the chain given a head hash kept elsewhere ("" when the log ends there).

    Attestations appended after that event do not count as changes: they are statements about it.
    """
    at = next((link.seq for link in chain.links if link.hash == expected), None)
    if at is None:
        return f"{expected[:16]}... is not the hash of any event of this log: the log was rewritten, or the hash is another drill's"
    later = [link for link in chain.links[at:] if link.kind != ATTESTED]
    if later:
        return (f"{expected[:16]}... is the hash of event {at}, but the log goes on: "
                f"{_events(later[0].seq, chain.links[-1].seq)} were added after it (first {later[0].kind})")
    return ""
