"""Tools for the evidence tests: the real command, SSH keys made by ssh-keygen, headless drills, and tampering."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from drilltui.store.chain import event_hash

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "data" / "scripts"
START_WALL = "2026-03-12T09:00:00Z"
PASSPHRASE = "correct horse battery staple"


def drilltui(*args: str | Path, check: bool = True, stdin: str | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "drilltui"]
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    result = subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd,
                            input=stdin if stdin is not None else "", env={**env, "NO_COLOR": "1"})
    if check:
        assert result.returncode == 0, (args, result.returncode, result.stdout[-3000:], result.stderr[-3000:])
    return result


def make_keys(folder: Path) -> dict[str, Path]:
    """Keys as a user has them: ed25519, RSA, ECDSA, and an encrypted ed25519 one."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = {}
    for kind, extra in (("ed25519", []), ("rsa", ["-b", "2048"]), ("ecdsa", []), ("encrypted", [])):
        path = folder / f"id_{kind}"
        key_type = "ed25519" if kind == "encrypted" else kind
        passphrase = PASSPHRASE if kind == "encrypted" else ""
        subprocess.run(["ssh-keygen", "-q", "-t", key_type, *extra, "-N", passphrase, "-C", f"{kind}@example.org",
                        "-f", str(path)], check=True, capture_output=True)
        keys[kind] = path
    return keys


def headless(db: Path, scenario: str = "ai-lab-weights-exfiltration", script: Path | None = None) -> str:
    """A drill run headless into `db`; its id."""
    script = script or SCRIPTS / f"{scenario}.yaml"
    run = drilltui("run", scenario, "--headless", "--script", script, "--db", db, "--start-wall", START_WALL)
    return run.stdout.splitlines()[-1]


def on_chain(source: Path, drill: str, target: Path | str, chain_version: int) -> str:
    """The same drill (id, record, events) in `target` on chain `chain_version`: a drill as an older drilltui made it."""
    from drilltui.store import NewEvent, open_log

    async def copy() -> str:
        async with await open_log(source, readonly=True, create=False) as log:
            record, events = await log.drill(drill), await log.read(drill)
        async with await open_log(target) as log:
            made = await log.create_drill(record.scenario_id, record.title, record.scenario_text, drill_id=record.id,
                                          created_at=record.created_at, chain_version=chain_version)
            await log.append_many(made, [NewEvent(e.kind, e.data, e.wall_time, e.drill_time, e.participant, e.role,
                                                  e.version) for e in events])
        return made

    return asyncio.run(copy())


def allowed_signers(path: Path, principal: str, pub: Path) -> Path:
    algorithm, key = pub.read_text().split()[:2]
    path.write_text(f'{principal} namespaces="drilltui-attestation" {algorithm} {key}\n')
    return path


# -- tampering, as someone with the database file and sqlite3 would ---------------------------------


def _rows(conn: sqlite3.Connection, drill: str) -> list[list]:
    return [list(r) for r in conn.execute(
        "SELECT seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash"
        " FROM event WHERE drill_id = ? ORDER BY seq", (drill,))]


def _rechain(conn: sqlite3.Connection, drill: str, rows: list[list], prev: str) -> None:
    """Recompute every hash from rows[0] on, as a forger covering their tracks would, and move the head."""
    for row in rows:
        row[8] = prev
        row[9] = event_hash(drill, row[0], row[1], row[2], json.loads(row[3]), row[4], float(row[5]), row[6], row[7], prev)
        conn.execute("UPDATE event SET data = ?, prev_hash = ?, hash = ? WHERE drill_id = ? AND seq = ?",
                     (row[3], row[8], row[9], drill, row[0]))
        prev = row[9]
    seq = rows[-1][0] if rows else 0
    conn.execute("UPDATE drill SET head_seq = ?, head_hash = ? WHERE id = ?", (seq, prev, drill))


def truncate(db: Path, drill: str, keep: int) -> None:
    """Cut the log after event `keep`, moving the head so the chain alone looks whole."""
    with sqlite3.connect(db) as conn:
        last = conn.execute("SELECT hash FROM event WHERE drill_id = ? AND seq = ?", (drill, keep)).fetchone()[0]
        conn.execute("DELETE FROM event WHERE drill_id = ? AND seq > ?", (drill, keep))
        conn.execute("UPDATE drill SET head_seq = ?, head_hash = ? WHERE id = ?", (keep, last, drill))


def rewrite(db: Path, drill: str, seq: int, change: dict, *, drop_attestations: bool = False) -> None:
    """Edit event `seq`'s data and recompute the whole chain after it (optionally deleting the attestations too)."""
    with sqlite3.connect(db) as conn:
        if drop_attestations:
            conn.execute("DELETE FROM event WHERE drill_id = ? AND kind = 'drill_attested'", (drill,))
        rows = _rows(conn, drill)
        for n, row in enumerate(rows, start=1):  # renumber, in case attestations were dropped from the middle
            if row[0] != n:
                conn.execute("UPDATE event SET seq = ? WHERE drill_id = ? AND seq = ?", (n, drill, row[0]))
                row[0] = n
        target = next(r for r in rows if r[0] == seq)
        target[3] = json.dumps({**json.loads(target[3]), **change}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        start = rows.index(target)
        _rechain(conn, drill, rows[start:], rows[start - 1][9] if start else rows[0][8])
