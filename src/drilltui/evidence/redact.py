"""The redacted form of a drill: placeholders for names and sensitive text, and the commitment chain that still verifies."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from drilltui.engine.events import SYSTEM, DrillAttested
from drilltui.evidence.check import Chain, Link
from drilltui.evidence.placeholders import SCHEME, Placeholders, Policy, commitment
from drilltui.evidence.redact_scenario import redact_scenario
from drilltui.frozen import frozen
from drilltui.scenario import Scenario, loads
from drilltui.store import StoredEvent
from drilltui.store.chain import canonical_json, event_hash, sha256_hex

# Free text in each kind's data, and the `sensitive:` field that covers it (None: names are scrubbed only).
FREE_TEXT: dict[str, dict[str, str | None]] = {
    "drill_started": {"title": None},
    "drill_ended": {"reason": "reasons"},
    "clock_paused": {"reason": "reasons"},
    "role_status_changed": {"task": "tasks"},
    "note_added": {"text": "notes"},
    "objective_rated": {"comment": "comments"},
    "hotwash_item_added": {"text": "hotwash", "corrective_action": "hotwash", "due": None},
    "participant_joined": {},
    "participant_left": {},
    "inject_released": {}, "inject_acknowledged": {}, "inject_resolved": {}, "inject_escalated": {},
    "inject_expired": {}, "decision_taken": {}, "clock_resumed": {}, "clock_speed_changed": {},
    "drill_attested": {"by": None, "capacity": None},
    "console_lost": {},
    # A correction's text and reason are as sensitive as the entry they correct (see _category).
    "entry_amended": {"text": "entry", "reason": "entry"},
    "entry_retracted": {"reason": "entry"},
    # Free play: an inject written in play is covered as the scenario's injects are; a message as a note.
    "inject_added": {"title": "title", "from": "from", "message": "message", "expected_action": "expected_action",
                     "decision": "decision"},
    "message_sent": {"text": "notes", "party": None, "as_party": None},
    "message_read": {}, "message_expired": {}, "message_escalated": {},
}
FREE_TEXT.update({"expectation_missed": {}, "expectation_marked": {"comment": "comments"}, "rehearsal_started": {}})
NAMES = {"participant_joined": ("participant",), "participant_left": ("participant",), "console_lost": ("participant",)}
# Always withheld: the full log's statement (its head hash would let a guess of every name be checked) and the seed.
WITHHELD = {"drill_attested": ("statement", "signature", "redaction_seed")}
ATTESTED = DrillAttested.KIND


def seed_of(events: Sequence[StoredEvent]) -> bytes | None:
    """The drill's redaction seed: the one its first attestation carries."""
    for e in events:
        if e.kind == ATTESTED and e.data.get("redaction_seed"):
            try:
                return bytes.fromhex(str(e.data["redaction_seed"]))
            except ValueError:
                return None
    return None


@frozen
class RedactedEvent:
    """An event with placeholders in place, what each replaced value committed to, and its commitment-chain hashes."""

    seq: int
    kind: str
    version: int
    data: dict[str, Any]
    wall_time: str
    drill_time: float
    participant: str
    role: str
    redacted: dict[str, str]  # "participant" or "data.KEY" -> commitment of the original value
    prev_hash: str
    hash: str


@frozen
class RedactedDrill:
    drill: str
    scenario_text: str
    scenario: Scenario
    scenario_commitments: dict[str, str]
    genesis: str
    events: tuple[RedactedEvent, ...]
    names: dict[str, str]  # participant name -> placeholder (never written anywhere)

    def scrub(self, value: str) -> str:
        """Free text as this redaction would write it: participant names replaced."""
        return Placeholders(names=dict(self.names)).scrub(value)

    def chain(self) -> Chain:
        return Chain("redacted", self.drill, sha256_hex(self.scenario_text),
                     tuple(Link(e.seq, e.kind, e.wall_time, e.hash) for e in self.events))


def genesis(drill: str, scenario_text: str, scenario_commitments: dict[str, str]) -> str:
    """The first prev_hash of the commitment chain: binds it to the drill, the redacted scenario and its commitments."""
    return sha256_hex(f"{SCHEME}\n{drill}\n{sha256_hex(scenario_text)}\n{sha256_hex(canonical_json(scenario_commitments))}")


def committed(value: Any, redacted: dict[str, str], path: str) -> Any:
    """How a value enters the commitment chain: as it is, or as {"redacted": placeholder, "sha256": commitment}."""
    return {"redacted": value, "sha256": redacted[path]} if path in redacted else value


def link_hash(drill: str, e: RedactedEvent, prev: str, redacted: dict[str, str]) -> str:
    """An event's hash in the commitment chain: the log's own encoding over the redacted values."""
    data = {k: committed(v, redacted, f"data.{k}") for k, v in e.data.items()}
    participant = committed(e.participant, redacted, "participant")
    return event_hash(drill, e.seq, e.kind, e.version, data, e.wall_time, e.drill_time, participant, e.role, prev)


@frozen
class _Entry:
    """What a later correction needs to know of a note, rating or hotwash item."""

    category: str | None
    inject: str | None


def _category(e: StoredEvent, key: str, entries: dict[int, _Entry]) -> tuple[str | None, str | None]:
    """The `sensitive:` field covering data[key], and the inject it is about."""
    category = FREE_TEXT.get(e.kind, {}).get(key)
    inject = e.data.get("inject") if isinstance(e.data.get("inject"), str) else None
    if category == "entry":
        seq = e.data.get("entry")
        entry = entries.get(seq) if isinstance(seq, int) else None
        return (entry.category, entry.inject) if entry else (None, None)
    return category, inject


def _redact_event(e: StoredEvent, policy: Policy, places: Placeholders, seed: bytes,
                  entries: dict[int, _Entry]) -> tuple[dict[str, Any], str, dict[str, str]]:
    attested = e.kind == ATTESTED
    participant = e.participant
    if participant not in (SYSTEM, "") and not attested:
        participant = places.name(participant)
    data = dict(e.data)
    for key in NAMES.get(e.kind, ()):
        if isinstance(data.get(key), str) and data[key]:
            data[key] = places.name(data[key])
    if attested:
        participant = places.scrub(participant)
    free = FREE_TEXT.get(e.kind)
    for key, value in e.data.items():
        if isinstance(value, (dict, list)) and free is not None and key in free:
            data[key] = _nested(value, places.text if policy.hides(*_category(e, key, entries)) else places.scrub)
            continue
        if not isinstance(value, str) or not value or key in NAMES.get(e.kind, ()):
            continue
        if key in WITHHELD.get(e.kind, ()):
            data[key] = places.text(value)
        elif free is None or key in free:
            data[key] = places.text(value) if policy.hides(*_category(e, key, entries)) else places.scrub(value)
    text_key = next((k for k, c in (free or {}).items() if c not in (None, "entry")), None)
    if text_key is not None:
        entries[e.seq] = _Entry(*_category(e, text_key, entries))
    # A list or mapping (an inject's decision) is committed to as its canonical JSON.
    redacted = {f"data.{k}": commitment(seed, e.seq, f"data.{k}", v if isinstance(v, str) else canonical_json(v))
                for k, v in e.data.items() if data[k] != v}
    if participant != e.participant:
        redacted["participant"] = commitment(seed, e.seq, "participant", e.participant)
    return data, participant, redacted


def _nested(value: Any, redact: Any) -> Any:
    """`value` with every text in it (not the ids of options) passed through `redact`."""
    if isinstance(value, dict):
        return {k: v if k == "id" else _nested(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [_nested(v, redact) for v in value]
    return redact(value) if isinstance(value, str) and value else value


def redact_drill(drill: str, scenario_text: str, events: Sequence[StoredEvent], seed: bytes) -> RedactedDrill:
    """The whole drill redacted with `seed`: the same seed and log always give the same result."""
    scenario = loads(scenario_text, f"<scenario of drill {drill}>")
    policy = Policy.of(scenario)
    places = Placeholders()
    rs = redact_scenario(scenario_text, policy, places, seed)
    first = genesis(drill, rs.text, rs.commitments)
    prev, out = first, []
    entries: dict[int, _Entry] = {}
    for e in events:
        data, participant, redacted = _redact_event(e, policy, places, seed, entries)
        r = RedactedEvent(e.seq, e.kind, e.version, data, e.wall_time, e.drill_time, participant, e.role, redacted, prev, "")
        digest = link_hash(drill, r, prev, redacted)
        out.append(replace(r, hash=digest))
        prev = digest
    return RedactedDrill(drill, rs.text, loads(rs.text, f"<redacted scenario of drill {drill}>"),
                         rs.commitments, first, tuple(out), dict(places.names))


def new_seed() -> bytes:
    return secrets.token_bytes(32)
