"""Benchmark: real `ssh` logins to `drilltui serve` during a loopback flood of idle and reconnecting sockets.

Runs `drilltui serve` (from this checkout, or `--src DIR` for another one, to
compare before and after), times `--logins` logins with the OpenSSH client with
no flood, then the same under the flood of tests/remote/flood.py, and counts the
lines the server logged meanwhile. A login is timed until the server's answer
to an authenticated `ssh -T` (it refuses a session without a terminal), so only
the SSH server is measured, not a dashboard starting. Loopback only; bounded:
the flood stops by itself after `--seconds` (at most 120), every login after 10 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOD = ROOT / "tests" / "remote" / "flood.py"
SCENARIO = """\
format: drilltui/1
id: flood
title: Flood bench drill
duration: 1h
roles:
  - {id: control, title: Exercise Control, kind: controller}
  - {id: obs, title: Observer, kind: observer}
injects:
  - {id: I-1, at: 0s, to: [obs], title: Nothing}
"""


def ssh_login(port: int, key: Path, timeout: float = 10.0) -> float:
    """Seconds until the authenticated server's answer; inf when it never came."""
    started = time.perf_counter()
    try:
        result = subprocess.run(
            ["ssh", "-T", "-i", str(key), "-p", str(port), "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
             "-o", f"ConnectTimeout={int(timeout)}", "drill@127.0.0.1"],
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return float("inf")
    took = time.perf_counter() - started
    return took if "needs a terminal" in result.stderr else float("inf")


def summary(times: list[float]) -> str:
    ok = sorted(t for t in times if t != float("inf"))
    within = sum(1 for t in times if t < 2.0)
    p50 = f"{ok[len(ok) // 2]:.3f}" if ok else "-"
    worst = f"{max(times):.3f}" if times else "-"
    return f"{within}/{len(times)} within 2 s, p50 {p50} s, worst {worst} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the drilltui sources whose server is measured")
    parser.add_argument("--logins", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60.0, help="the flood's length at most (it stops by itself)")
    parser.add_argument("--idle", type=int, default=150, help="idle sockets, reconnecting when closed")
    parser.add_argument("--reconnecting", type=int, default=20, help="workers that connect and close at once")
    parser.add_argument("--sources", type=int, default=8, help="loopback source addresses of the flood, from 127.0.0.2")
    args = parser.parse_args()
    if not shutil.which("ssh") or not shutil.which("ssh-keygen"):
        raise SystemExit("needs the OpenSSH client (apt-get install openssh-client)")
    env = {**os.environ, "PYTHONPATH": str(args.src), "NO_COLOR": "1"}
    drilltui = [sys.executable, "-m", "drilltui"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "s.yaml").write_text(SCENARIO)
        db = work / "drills.db"
        made = subprocess.run([*drilltui, "run", str(work / "s.yaml"), "--headless", "--until", "1s", "--db", str(db)],
                              capture_output=True, text=True, env=env, check=True, timeout=120)
        drill_id = made.stdout.strip().splitlines()[-1]
        key = work / "id"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
        (work / "people.yaml").write_text(f"participants:\n  - name: Dana\n    role: control\n    keys: [{key.with_suffix('.pub').read_text().strip()}]\n")
        server = subprocess.Popen([*drilltui, "serve", drill_id, "--db", str(db), "--participants", str(work / "people.yaml"),
                                   "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        lines: list[str] = []
        assert server.stdout is not None
        reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)  # type: ignore[union-attr, arg-type]
        reader.start()
        try:
            deadline = time.monotonic() + 60
            port = 0
            while not port and time.monotonic() < deadline:
                found = re.search(r"listening on \S+:(\d+)", "".join(lines))
                port = int(found.group(1)) if found else 0
                time.sleep(0.05)
            if not port:
                raise SystemExit("the server did not start: " + "".join(lines))
            quiet = [ssh_login(port, key) for _ in range(args.logins)]
            before = len(lines)
            flood = subprocess.Popen([sys.executable, str(FLOOD), str(port), str(args.seconds), "--idle", str(args.idle),
                                      "--reconnecting", str(args.reconnecting), "--sources", str(args.sources)],
                                     stdout=subprocess.PIPE, text=True)
            time.sleep(3.0)  # let the flood take hold
            flood_started = time.monotonic()
            loud = [ssh_login(port, key) for _ in range(args.logins)]
            time.sleep(max(0.0, 12.0 - (time.monotonic() - flood_started)))  # a refusal summary is due every 10 s
            elapsed = time.monotonic() - flood_started + 3.0
            flood.terminate()
            counts = flood.communicate(timeout=150)[0].strip()
            logged = sum(1 for line in lines[before:] if "needs a terminal" not in line)  # not the logins' own lines
        finally:
            server.terminate()
            server.wait(60)
    print(f"server: {args.src}")
    print(f"logins, no flood:    {summary(quiet)}")
    print(f"logins, under flood: {summary(loud)}")
    print(f"flood: {counts}; the server logged {logged} lines about it in {elapsed:.0f} s ({logged / elapsed:.1f} lines/s)")


if __name__ == "__main__":
    main()
