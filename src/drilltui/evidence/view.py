"""A drill as it is handed to outsiders (its log, or the redacted form), and the check of it that needs nothing else."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import field
from typing import Any

from drilltui.evidence.check import Chain, Checked, Link, check_held, held
from drilltui.evidence.placeholders import SCHEME
from drilltui.evidence.redact import RedactedEvent, genesis, link_hash, redact_drill, seed_of
from drilltui.frozen import frozen
from drilltui.report.model import Attestation, ChainEvidence
from drilltui.store import DrillRecord, StoredEvent, VerifyResult
from drilltui.store.chain import DrillHead, canonical_json, sha256_hex, walk_drill

# Bundles written before drill.json named the chain were all of chain 1 drills.
FIRST_CHAIN = 1


def chain_of(drill: dict[str, Any]) -> int:
    """The chain a view's drill record names (chain 1 when it names none)."""
    return drill.get("chain", FIRST_CHAIN)


class ViewError(ValueError):
    """An events file whose lines are not drilltui events; the message names the line."""


@frozen
class View:
    """What a bundle holds: the drill record, the scenario text and the events, each as the files carry them."""

    drill: dict[str, Any]  # id, scenario_id, title, created_at, chain, events, head_hash; scenario_sha256 unless redacted
    scenario_text: str
    events: tuple[RedactedEvent, ...]  # `redacted` is {} in a full view
    redaction: dict[str, Any] | None  # scheme, seed, scenario_commitments: only in a redacted view
    # A full view made from a database keeps the store's own events, which `stored` then hands out as they are.
    source: tuple[StoredEvent, ...] = field(default=(), compare=False, repr=False)

    @property
    def redacted(self) -> bool:
        return self.redaction is not None

    def stored(self) -> list[StoredEvent]:
        if self.source:
            return list(self.source)
        return [StoredEvent(e.seq, e.kind, e.data, e.wall_time, e.drill_time, e.participant, e.role, e.version,
                            e.prev_hash, e.hash) for e in self.events]

    def records(self) -> list[dict[str, Any]]:
        """The events as `drilltui export` writes them, with a `redacted` object in a redacted view."""
        out = []
        for e in self.events:
            record = {"seq": e.seq, "kind": e.kind, "version": e.version, "wall_time": e.wall_time,
                      "drill_time": e.drill_time, "actor": {"participant": e.participant, "role": e.role or None},
                      "data": e.data, "prev_hash": e.prev_hash, "hash": e.hash}
            if self.redacted:
                record["redacted"] = e.redacted
            out.append(record)
        return out


def full_view(record: DrillRecord, events: Sequence[StoredEvent]) -> View:
    drill = {"id": record.id, "scenario_id": record.scenario_id, "title": record.title, "created_at": record.created_at,
             "chain": record.chain, "scenario_sha256": record.scenario_sha256, "events": len(events),
             "head_hash": events[-1].hash}
    return View(drill, record.scenario_text, tuple(
        RedactedEvent(e.seq, e.kind, e.version, e.data, e.wall_time, e.drill_time, e.participant, e.role, {}, e.prev_hash, e.hash)
        for e in events), None, tuple(events))


def redacted_view(record: DrillRecord, events: Sequence[StoredEvent], seed: bytes, seed_from: str) -> View:
    """The redacted form; `seed_from` says where the seed came from (`attestation` or `this bundle`)."""
    r = redact_drill(record.id, record.scenario_text, events, seed)
    drill = {"id": record.id, "scenario_id": record.scenario_id, "title": r.scrub(record.title),
             "created_at": record.created_at, "chain": record.chain, "events": len(events), "head_hash": r.events[-1].hash}
    redaction = {"scheme": SCHEME, "seed": seed_from, "scenario_commitments": r.scenario_commitments}
    return View(drill, r.scenario_text, r.events, redaction)


def _field(record: Any, key: str, kind: type | tuple[type, ...], n: int) -> Any:
    if not isinstance(record, dict) or key not in record:
        raise ViewError(f"line {n}: the event has no '{key}'")
    value = record[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ViewError(f"line {n}: '{key}' has the wrong type")
    return value


def parse_events(records: Sequence[Any], redacted: bool) -> tuple[RedactedEvent, ...]:
    """Events from parsed JSON lines (line n is records[n - 1]); ViewError naming the line."""
    out = []
    for n, r in enumerate(records, start=1):
        actor = _field(r, "actor", dict, n)
        role = actor.get("role")
        drill_time = _field(r, "drill_time", (int, float), n)
        if not isinstance(actor.get("participant"), str) or not (role is None or isinstance(role, str)) \
                or not math.isfinite(drill_time):
            raise ViewError(f"line {n}: the event's actor or drill_time is not valid")
        marks = _field(r, "redacted", dict, n) if redacted else {}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in marks.items()):
            raise ViewError(f"line {n}: 'redacted' must map field names to hashes")
        out.append(RedactedEvent(
            _field(r, "seq", int, n), _field(r, "kind", str, n), _field(r, "version", int, n), _field(r, "data", dict, n),
            _field(r, "wall_time", str, n), float(drill_time), actor["participant"], role or "", marks,
            _field(r, "prev_hash", str, n), _field(r, "hash", str, n)))
    return tuple(out)


def _walk_redacted(view: View) -> VerifyResult:
    """The commitment chain, checked as the store checks its own: numbering, each hash, each link, the head."""
    drill = view.drill["id"]
    assert view.redaction is not None
    prev = genesis(drill, view.scenario_text, view.redaction["scenario_commitments"])
    for expected, e in enumerate(view.events, start=1):
        problem = ""
        if e.seq != expected:
            problem = f"event {expected} is missing or out of place (line {expected} holds event {e.seq})"
        elif link_hash(drill, e, e.prev_hash, e.redacted) != e.hash:
            problem = f"event {e.seq} was changed (its content does not match its hash)"
        elif e.prev_hash != prev:
            problem = f"event {e.seq} does not follow the one before (events were inserted, removed or reordered)"
        if problem:
            return VerifyResult(False, len(view.events), expected, problem, prev)
        prev = e.hash
    count = len(view.events)
    if count != view.drill["events"] or prev != view.drill["head_hash"]:
        return VerifyResult(False, count, count, f"the log does not end where drill.json says (event {view.drill['events']})", prev)
    return VerifyResult(True, count, None, f"{count} events, chain intact", prev)


def walk_view(view: View) -> VerifyResult:
    """The view's own chain check, from its files alone."""
    if view.redacted:
        return _walk_redacted(view)
    rows = [(e.seq, e.kind, e.version, canonical_json(e.data), e.wall_time, e.drill_time, e.participant, e.role,
             e.prev_hash, e.hash) for e in view.events]
    d = view.drill
    head = DrillHead(d["id"], d.get("scenario_id", ""), d.get("title", ""), d.get("created_at", ""), view.scenario_text,
                     d["scenario_sha256"], d["events"], d["head_hash"], chain_of(d))
    return walk_drill(head, rows)


@frozen
class Examined:
    """A view checked: its chain, and each attestation it holds."""

    chain: Chain  # the view's own
    result: VerifyResult
    checks: tuple[Checked, ...]
    chains: dict[str, Chain]  # its own, and the redacted one when it could be computed

    @property
    def ok(self) -> bool:
        return self.result.ok and all(c.ok for c in self.checks)

    def evidence(self) -> ChainEvidence:
        """The report's evidence section: attestations about this view's own log."""
        own = [c for c in self.checks if c.log == self.chain.name]
        held = {c.seq for c in self.checks}
        failed = {c.seq for c in self.checks if not c.ok}  # an attestation fails if either of its statements does
        count = len(self.chain.links)
        if not self.result.ok:
            verdict = f"the chain breaks at event {self.result.first_bad_seq}: {self.result.reason}."
        elif failed:
            verdict = (f"the chain is intact, but {len(failed)} of {len(held)} attestation"
                       f"{'s do' if len(held) > 1 else ' does'} not hold.")
        elif not own:
            verdict = (f"{count} events, chain intact. No attestation vouches for it: "
                       "compare the head hash with one kept elsewhere.")
        else:
            verdict = f"{count} events, chain intact, and " + ("1 attestation holds." if len(own) == 1 else f"all {len(own)} attestations hold.")
        return ChainEvidence(
            log=self.chain.name, events=count, head_hash=self.chain.links[-1].hash if count else "",
            verified=self.ok, verification=verdict,
            attestations=tuple(_attestation(c) for c in own),
        )


def _attestation(c: Checked) -> Attestation:
    s = c.statement
    if s is None:
        return Attestation("unreadable", "", "", "", None, c.seq, False, c.problem)
    return Attestation(s.attested_by, s.capacity, s.signed_at, s.key, s.events, c.seq, c.ok, c.problem)


def examine(view: View, result: VerifyResult | None = None) -> Examined:
    """Check a view; `result` is the store's own check of the same log, when it came from a database.

    In a full view whose attestations brought a redaction seed, their redacted statements are checked too.
    """
    result = result if result is not None else walk_view(view)
    d = view.drill
    links = tuple(Link(e.seq, e.kind, e.wall_time, e.hash) for e in view.events)
    broken = None if result.ok else max(1, result.first_bad_seq or 1)
    sha = sha256_hex(view.scenario_text) if view.redacted else d["scenario_sha256"]
    chain = Chain("redacted" if view.redacted else "full", d["id"], sha, links, broken, "" if result.ok else result.reason)
    chains = {chain.name: chain}
    stored = view.stored()
    seed = None if view.redacted else seed_of(stored)
    if seed is not None and result.ok:
        chains["redacted"] = redact_drill(d["id"], view.scenario_text, stored, seed).chain()
    checks = [c for seq, body in held(stored) for c in check_held(seq, body, chains)]
    return Examined(chain, result, tuple(checks), chains)
