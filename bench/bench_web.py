"""Benchmark: browser and SSH participants on one drill: the controller's key to every other screen, SSH and browser alike.

One `drilltui serve --web` (loopback only), 20 SSH sessions (the controller
first) and 10 browser sessions, each a tab of one headless Chromium with its
own cookies, joined through invitation links. The controller pauses or resumes
the clock; each round is timed until every other screen shows the new phase:
on SSH screens when the bytes arrive, in browsers when xterm.js has parsed
them into its buffer (the moment is taken in the page, on the same clock).
As a baseline in the same run, the same rounds with the 20 SSH sessions alone.
Bounded: it stops by itself within 15 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "tests" / "remote")]

import asyncssh  # noqa: E402
import bench_ssh as ssh  # noqa: E402
from chromium import Chromium  # noqa: E402

ROUNDS = 20
DEADLINE = 900.0
WATCH = """(() => {
  const t = window.drilltuiTerminal;
  window.benchWant = null; window.benchSeen = null;
  const has = (word) => { const b = t.buffer.active;
    for (let i = 0; i < t.rows; i++) { const l = b.getLine(b.viewportY + i); if (l && l.translateToString(true).includes(word)) return true; }
    return false; };
  t.onWriteParsed(() => { if (window.benchWant && window.benchSeen === null && has(window.benchWant))
    window.benchSeen = performance.timeOrigin + performance.now(); });
  return true;
})()"""


def people(work: Path, keys: list[asyncssh.SSHKey], browsers: int) -> Path:
    lines = ["participants:"]
    for i, key in enumerate(keys):
        role = "control" if i == 0 else ssh.ROLES[i % len(ssh.ROLES[:-1])]  # no observers: every screen is a player's
        lines.append(f"  - {{name: P{i:02d}, role: {role}, keys: [{key.export_public_key().decode().strip()}]}}")
    for i in range(browsers):
        lines.append(f"  - {{name: B{i:02d}, role: {ssh.ROLES[i % 3]}, web: true}}")
    path = work / "participants.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


async def rounds(run: ssh.Run, pages: list, rounds: int) -> tuple[list[float], list[float], int]:  # type: ignore[type-arg]
    """Toggle the clock as the controller; (SSH latencies, browser latencies, screens that missed it)."""
    actor, me, others = run.chans[0], run.screens[0], run.screens[1:]
    on_ssh: list[float] = []
    in_browsers: list[float] = []
    missed = 0
    phase = me.phase
    for _ in range(rounds):
        phase = b"PAUSED" if phase == b"RUNNING" else b"RUNNING"
        for s in (me, *others):
            s.expect(phase)
        for page in pages:
            await page.evaluate(f"window.benchSeen = null, window.benchWant = {phase.decode()!r}")
        pressed_wall, pressed = time.time(), time.perf_counter()
        actor.write(b" ")
        seen = await asyncio.gather(*(s.wait(ssh.WAIT) for s in others))
        on_ssh += [t - pressed for t in seen if t is not None]
        missed += sum(t is None for t in seen)
        deadline = time.perf_counter() + ssh.WAIT
        for page in pages:
            while (at := await page.evaluate("window.benchSeen")) is None and time.perf_counter() < deadline:
                await asyncio.sleep(0.02)
            if at is None:
                missed += 1
            else:
                in_browsers.append(at / 1000 - pressed_wall)
        if await me.wait(ssh.WAIT) is None:
            ssh.progress(f"the controller's screen never showed {phase.decode()}; stopping")
            break
        await asyncio.sleep(0.5)
    return on_ssh, in_browsers, missed


async def main(ssh_sessions: int, browsers: int) -> None:
    from drilltui.remote.invitations import InvitationFile, invitations_path

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        (work / "bench.yaml").write_text(ssh.SCENARIO)
        (work / "start.yaml").write_text("- {at: 0s, as: control, do: start}\n")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        made = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "drilltui", "run", str(work / "bench.yaml"), "--headless", "--script", str(work / "start.yaml"),
            "--db", str(work / "drills.db"), "--until", "1s", stdout=asyncio.subprocess.PIPE, env=env)
        drill_id = (await made.communicate())[0].decode().strip().splitlines()[-1]
        keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(ssh_sessions)]
        participants = people(work, keys, browsers)
        argv = [sys.executable, "-m", "drilltui", "serve", drill_id, "--db", str(work / "drills.db"), "--participants",
                str(participants), "--listen", "127.0.0.1:0", "--web", "127.0.0.1:0", "--max-sessions", str(ssh_sessions + browsers)]
        run = ssh.Run(work, argv, keys)
        chromium = Chromium()
        try:
            await run.start()
            await run.connect(b"T+")
            await run.settle()
            ssh.progress(f"{ssh_sessions} SSH sessions up; alone first")
            alone, _, missed_alone = await rounds(run, [], ROUNDS)
            book = InvitationFile(invitations_path(work / "drills.db"))
            url = book.read().listener(drill_id).url  # type: ignore[union-attr]
            await chromium.start()
            pages = []
            for i in range(browsers):
                _, token = book.invite(drill_id, f"B{i:02d}", 3600, 1, False)
                page = await chromium.page(1100, 700)
                await page.open(f"{url}/i/{token}")
                await page.wait_screen(r"T\+", timeout=60)
                await page.evaluate(WATCH)
                pages.append(page)
            await run.settle()
            ssh.progress(f"{browsers} browsers up; measuring")
            cpu_before = (ssh.cpu_seconds([run.proc.pid]), ssh.cpu_seconds([chromium.proc.pid]), time.perf_counter())  # type: ignore[union-attr]
            on_ssh, in_browsers, missed = await rounds(run, pages, ROUNDS)
            cpu_after = (ssh.cpu_seconds([run.proc.pid]), ssh.cpu_seconds([chromium.proc.pid]), time.perf_counter())  # type: ignore[union-attr]
        finally:
            await chromium.close()
            await run.stop()
    span = cpu_after[2] - cpu_before[2]
    both = on_ssh + in_browsers
    print(f"drilltui bench_web: {ssh_sessions} SSH + {browsers} browser participants on loopback, python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"the controller's pause/resume, {ROUNDS} rounds, to every other screen")
    print()
    print(f"{'':44}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'samples':>8}")
    for label, xs in ((f"{ssh_sessions} SSH alone: {ssh_sessions - 1} other screens", alone),
                      (f"with browsers: {ssh_sessions - 1} SSH screens", on_ssh),
                      (f"with browsers: {browsers} browser screens", in_browsers),
                      (f"with browsers: all {ssh_sessions - 1 + browsers} other screens", both)):
        print(f"{label:44}{ssh.pct(xs, 0.5) * 1000:8.1f}{ssh.pct(xs, 0.95) * 1000:8.1f}{max(xs, default=float('nan')) * 1000:8.1f}{len(xs):8d}")
    print()
    print(f"screens that missed a change within {ssh.WAIT:.0f} s: {missed} (SSH alone: {missed_alone})")
    print(f"CPU while the rounds ran, in cores: server and its sessions {(cpu_after[0] - cpu_before[0]) / span:.2f}, "
          f"Chromium (all tabs) {(cpu_after[1] - cpu_before[1]) / span:.2f}")
    p95 = ssh.pct(both, 0.95)
    print(f"p95 with browsers / SSH alone: {p95 / ssh.pct(alone, 0.95):.2f}x; target p95 < 300 ms: "
          f"{'meets' if p95 < 0.3 else 'MISSES'} ({p95 * 1000:.0f} ms)")


async def bounded(ssh_sessions: int, browsers: int) -> None:
    task = asyncio.ensure_future(main(ssh_sessions, browsers))
    asyncio.get_running_loop().call_later(DEADLINE, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        raise SystemExit(f"bench_web: stopped at its {DEADLINE:.0f} s deadline") from None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ssh", type=int, default=20, help="SSH participants, the controller among them (default 20)")
    parser.add_argument("--browsers", type=int, default=10, help="browser participants (default 10)")
    args = parser.parse_args()
    asyncio.run(bounded(max(2, min(args.ssh, 60)), max(1, min(args.browsers, 30))))
