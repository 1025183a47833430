"""A full disk: read-only commands still work (they need write no byte), and writes say "the disk is full"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "data" / "scripts" / "ai-lab-weights-exfiltration.yaml"

# Run inside a private mount namespace: a 4 MiB tmpfs that the test fills to the last byte.
SHELL = textwrap.dedent(
    """
    set -eu
    mount -t tmpfs -o size=4m drilltui-full "$DIR"
    export DRILLTUI_DB="$DIR/drills.db"
    dt() { "$PY" -m drilltui "$@"; }
    step() { echo "== $*"; }
    dt run ai-lab-weights-exfiltration --headless --script "$SCRIPT" >/dev/null
    drill=$(dt drills | awk 'NR == 2 {print $1}')
    # A console that is open when the disk fills: it waits at a FIFO while the shell fills the disk.
    mkfifo "$FIFOS/ready" "$FIFOS/go"
    "$PY" - "$drill" <<'PY' &
    import asyncio, os, sys
    from drilltui.store import EventLog, NewEvent, StoreError
    async def main(drill):
        async with await EventLog.open(os.environ["DRILLTUI_DB"]) as log:
            print("open", flush=True)
            with open(os.environ["FIFOS"] + "/ready", "w") as ready:
                ready.write("open")
            with open(os.environ["FIFOS"] + "/go") as go:
                go.readline()
            try:
                await log.append(drill, NewEvent("note_added", {"text": "x" * 20000}, "2026-11-29T02:00:00.000000Z", 1.0, "A", "ic"))
                print("appended")
            except StoreError as exc:
                print(f"open console: {exc}")
    asyncio.run(main(sys.argv[1]))
    PY
    cat "$FIFOS/ready" >/dev/null  # returns once the console has opened the log
    dd if=/dev/zero of="$DIR/fill" bs=4096 2>/dev/null || true
    echo go > "$FIFOS/go"
    wait
    step verify; dt verify "$drill" || echo "exit $?"
    step drills; dt drills | head -2 || echo "exit $?"
    step export; dt export "$drill" | wc -l || echo "exit $?"
    step report; dt report "$drill" --format json | "$PY" -c "import json, sys; print(json.load(sys.stdin)['overview']['drill_id'])" || echo "exit $?"
    step replay; "$PY" - "$drill" <<'PY' || echo "exit $?"
    import asyncio, os, sys
    from drilltui.commands.replay import read_events
    from drilltui.store import EventLog
    async def main(drill):
        async with await EventLog.open(os.environ["DRILLTUI_DB"], readonly=True, create=False) as log:
            print(len(await read_events(log, (await log.drill(drill)).id)))
    asyncio.run(main(sys.argv[1]))
    PY
    step run; dt run ai-lab-weights-exfiltration --headless --script "$SCRIPT" 2>&1 >/dev/null || echo "exit $?"
    rm "$DIR/fill"
    step after; dt verify "$drill"
    umount "$DIR"
    """
)


def namespace() -> list[str]:
    """How to get a private mount namespace here; skip (with why) where none can be had."""
    if sys.platform != "linux" or shutil.which("unshare") is None:
        pytest.skip("needs Linux and unshare(1) to mount a small tmpfs that can be filled")
    for prefix in (["unshare", "-m"], ["unshare", "-r", "-m"]):
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=64k probe /mnt 2>/dev/null || mount -t tmpfs -o size=64k probe /tmp"],
                               capture_output=True, timeout=30)
        if probe.returncode == 0:
            return prefix
    pytest.skip("cannot mount a tmpfs in a private mount namespace here (not root, no user namespaces)")


def test_full_disk(tmp_path: Path, env: dict[str, str]) -> None:
    prefix = namespace()
    folder = tmp_path / "small"
    folder.mkdir()
    result = subprocess.run(
        [*prefix, "sh", "-c", SHELL], capture_output=True, text=True, timeout=240,
        env={**env, "DIR": str(folder), "FIFOS": str(tmp_path), "PY": sys.executable, "SCRIPT": str(SCRIPT), "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    sections = dict(part.split("\n", 1) for part in out.split("== ")[1:])
    db = folder / "drills.db"
    first = out.split("== ")[0]
    assert first.startswith("open\nopen console: ") and f"{db}: the disk is full; free some space" in first
    assert ": ok, " in sections["verify"] and "chain intact" in sections["verify"]
    assert sections["drills"].startswith("DRILL") and "ai-lab-weights-exfiltration" in sections["drills"]
    assert int(sections["export"].strip()) > 20
    assert sections["report"].strip().startswith("ai-lab-weights-exfiltration-")
    assert int(sections["replay"].strip()) > 20
    assert f"drilltui: error: {db}: the disk is full; free some space and try again" in sections["run"]
    assert "exit 2" in sections["run"] and "Traceback" not in out + result.stderr
    assert ": ok, " in sections["after"]  # and nothing already logged was lost
    assert not os.path.ismount(folder)
