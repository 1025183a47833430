#!/usr/bin/env python3
"""Recompute a drilltui drill's hash chain with the Python standard library alone, and print its head hash.

    python3 verify_chain.py drill.zip          an evidence bundle (`drilltui bundle`), or the folder it unzips to
    python3 verify_chain.py drills.db DRILL    a drilltui SQLite database and a drill id

Prints the hash of the last event and exits 0 when every event checks out; otherwise names the
first event that does not, and exits 1. Drills are on chain 1 (made before drilltui's schema 2) or
chain 2, whose genesis also covers the drill's title, scenario id and creation time. The encoding is
documented in drilltui's docs/store.md ("The hash chain" and "Redaction"); this file needs nothing
but itself.
"""

import hashlib
import json
import sqlite3
import sys
import zipfile
from pathlib import Path


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(drill, e, prev):
    """hash = sha256(canonical JSON of the event's fields and the previous hash)."""
    return sha256(canonical({"drill": drill, "seq": e["seq"], "kind": e["kind"], "version": e["version"],
                             "data": e["data"], "wall_time": e["wall_time"], "drill_time": e["drill_time"],
                             "participant": e["participant"], "role": e["role"], "prev_hash": prev}))


def genesis(chain, drill, scenario_sha256, scenario_id="", title="", created_at=""):
    """The first event's prev_hash. Chain 1: the drill id and scenario; chain 2 also its scenario id, title and creation time."""
    if chain == 1:
        return sha256(f"drilltui/1\n{drill}\n{scenario_sha256}")
    if chain == 2:
        return sha256(canonical({"chain": "drilltui/2", "drill": drill, "scenario_id": scenario_id, "title": title,
                                 "created_at": created_at, "scenario_sha256": scenario_sha256}))
    sys.exit(f"the drill's record names chain {chain}, which this script does not know (get a newer one)")


def committed(e):
    """A redacted event as its commitment hash sees it: each redacted value as {redacted, sha256}."""
    marks = e["redacted"]
    out = dict(e, data=dict(e["data"]))
    for path, digest in marks.items():
        if path == "participant":
            out["participant"] = {"redacted": e["participant"], "sha256": digest}
        else:
            key = path[len("data."):]
            out["data"][key] = {"redacted": e["data"][key], "sha256": digest}
    return out


RECORD = "the drill's record (its title, scenario id or creation time) was changed"


def check(drill, first, events, head_seq, head_hash, redacted=False, chain=1):
    """Walk the chain from the genesis `first`; return the head hash, or exit naming the first event that breaks it."""
    prev = first
    for n, e in enumerate(events, start=1):
        if e["seq"] != n:
            sys.exit(f"event {n} is missing (found event {e['seq']} in its place)")
        if event_hash(drill, committed(e) if redacted else e, e["prev_hash"]) != e["hash"]:
            sys.exit(f"event {n} was changed after it was written (its content does not match its hash)")
        if e["prev_hash"] != prev:
            if n == 1 and chain >= 2 and not redacted:
                sys.exit(f"{RECORD}, or event 1 was replaced")
            sys.exit(f"event {n} does not follow event {n - 1} (events were inserted, removed or reordered)")
        prev = e["hash"]
    if len(events) != head_seq or prev != head_hash:
        if head_seq == len(events) == 0 and chain >= 2 and not redacted:
            sys.exit(RECORD)  # a drill with no events: its head is the genesis
        sys.exit(f"the log ends at event {len(events)}, not where the drill's record says (event {head_seq})")
    return prev


def from_bundle(path):
    if path.is_dir():
        read = lambda name: (path / name).read_text(encoding="utf-8")  # noqa: E731
    else:
        archive = zipfile.ZipFile(path)
        root = archive.namelist()[0].split("/")[0]
        read = lambda name: archive.read(f"{root}/{name}").decode("utf-8")  # noqa: E731
    record = json.loads(read("drill.json"))
    drill, scenario, redaction = record["drill"], read("scenario.yaml"), record["redaction"]
    events = []
    for line in read("events.jsonl").splitlines():
        e = json.loads(line)
        e["participant"], e["role"] = e["actor"]["participant"], e["actor"]["role"] or ""
        events.append(e)
    chain = drill.get("chain", 1)  # bundles that name no chain are of chain 1 drills
    if redaction is None:
        if sha256(scenario) != drill["scenario_sha256"]:
            sys.exit("scenario.yaml was changed (its SHA-256 is not the drill's)")
        first = genesis(chain, drill["id"], drill["scenario_sha256"], drill.get("scenario_id"), drill.get("title"),
                        drill.get("created_at"))
    else:  # the commitment chain: the same whichever chain the drill's own log is on
        commitments = sha256(canonical(redaction["scenario_commitments"]))
        first = sha256(f"{redaction['scheme']}\n{drill['id']}\n{sha256(scenario)}\n{commitments}")
    return check(drill["id"], first, events, drill["events"], drill["head_hash"], redaction is not None, chain)


def from_database(path, drill):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    columns = {r[1] for r in db.execute("PRAGMA table_info(drill)")}
    chain = "chain" if "chain" in columns else "1"  # a schema 1 file has no chain column: its drills are chain 1
    row = db.execute(f"SELECT scenario_text, scenario_sha256, head_seq, head_hash, {chain}, scenario_id, title, created_at"
                     " FROM drill WHERE id = ?", (drill,)).fetchone()
    if row is None:
        sys.exit(f"no drill {drill} in {path}")
    scenario, scenario_sha256, head_seq, head_hash, chain, scenario_id, title, created_at = row
    if sha256(scenario) != scenario_sha256:
        sys.exit("the drill's scenario text was changed (its SHA-256 is not the one recorded)")
    names = ("seq", "kind", "version", "data", "wall_time", "drill_time", "participant", "role", "prev_hash", "hash")
    events = [dict(zip(names, r)) for r in db.execute(
        f"SELECT {', '.join(names)} FROM event WHERE drill_id = ? ORDER BY seq", (drill,))]
    for e in events:
        e["data"] = json.loads(e["data"])
    first = genesis(chain, drill, scenario_sha256, scenario_id, title, created_at)
    return check(drill, first, events, head_seq, head_hash, chain=chain)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print(from_bundle(Path(sys.argv[1])))
    elif len(sys.argv) == 3:
        print(from_database(sys.argv[1], sys.argv[2]))
    else:
        sys.exit(__doc__)
