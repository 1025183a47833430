"""Make an attestation: signed statements of the log, and of its redacted form, as the log stands."""

from __future__ import annotations

from collections.abc import Sequence

from drilltui.engine.events import DrillAttested
from drilltui.evidence.redact import new_seed, redact_drill, seed_of
from drilltui.evidence.signer import Signer
from drilltui.evidence.statement import NAMESPACE, Statement
from drilltui.store import DrillRecord, StoredEvent
from drilltui.store.chain import sha256_hex


async def attest(record: DrillRecord, events: Sequence[StoredEvent], signer: Signer, by: str, capacity: str,
                 now: str) -> DrillAttested:
    """The attestation of events 1 to the last of `events` (all of them, in order), signed by `signer`."""
    first, last = events[0], events[-1]
    full = Statement("full", record.id, record.scenario_sha256, last.seq, last.hash, first.wall_time, last.wall_time,
                     by, capacity, signer.fingerprint, now)
    known = seed_of(events)
    seed = known or new_seed()  # the first attestation of a drill brings the seed every later redaction uses
    redacted = redact_drill(record.id, record.scenario_text, events, seed)
    public = Statement("redacted", record.id, sha256_hex(redacted.scenario_text), last.seq, redacted.events[-1].hash,
                       first.wall_time, last.wall_time, redacted.scrub(by), redacted.scrub(capacity), signer.fingerprint, now)
    return DrillAttested(
        by=by, capacity=capacity, events=last.seq,
        statement=full.text(), signature=await signer.sign(full.text().encode("utf-8"), NAMESPACE),
        redacted_statement=public.text(),
        redacted_signature=await signer.sign(public.text().encode("utf-8"), NAMESPACE),
        redaction_seed="" if known else seed.hex(),
    )
