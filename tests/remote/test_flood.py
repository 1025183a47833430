"""No lockout without a key: a bounded loopback flood of idle and reconnecting sockets while a real ssh client logs in."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from pathlib import Path

import pytest

SSH = shutil.which("ssh")
FLOOD = Path(__file__).resolve().parent / "flood.py"
pytestmark = pytest.mark.skipif(not SSH, reason="the OpenSSH client is not installed (apt-get install openssh-client)")


def key_file(rig, who: str) -> Path:  # type: ignore[no-untyped-def]
    path = rig.tmp / f"id_{who}"
    path.write_bytes(rig.keys[who].export_private_key("openssh"))
    path.chmod(0o600)
    return path


# The session's program: a shell's echo, so a login is timed without a Python starting up on a busy machine.
QUICK_CHILD = ["/bin/sh", "-c", "echo PID=$$; exec cat"]


async def login(rig, key: Path, timeout: float = 10.0) -> float:  # type: ignore[no-untyped-def]
    """Seconds from starting `ssh -tt` until the participant's session answers; then the client goes away."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    proc = await asyncio.create_subprocess_exec(
        SSH, "-tt", "-i", str(key), "-p", str(rig.port), "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",  # type: ignore[arg-type]
        "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
        "drill@127.0.0.1", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert proc.stdout is not None and proc.stdin is not None
    seen = b""
    try:
        async with asyncio.timeout(timeout):
            while b"PID=" not in seen:
                chunk = await proc.stdout.read(4096)
                if not chunk:
                    err = await proc.stderr.read() if proc.stderr else b""
                    raise AssertionError(f"ssh ended before the session answered: {seen!r} {err!r}; server: {rig.logs[-5:]}")
                seen += chunk
        return loop.time() - started
    except TimeoutError:
        return float("inf")
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def flood(rig, seconds: float, *args: str) -> asyncio.subprocess.Process:  # type: ignore[no-untyped-def]
    return await asyncio.create_subprocess_exec(sys.executable, str(FLOOD), str(rig.port), str(seconds), *args,
                                                stdout=asyncio.subprocess.PIPE)


async def stop(proc: asyncio.subprocess.Process) -> dict[str, int]:
    out, _ = await asyncio.wait_for(proc.communicate(), 150)
    return json.loads(out.decode().strip().splitlines()[-1])


@pytest.mark.parametrize("own_address", [False, True], ids=["from-other-addresses", "and-idle-from-the-participants-address"])
async def test_a_participant_logs_in_within_2s_during_a_flood_10_of_10(rig, own_address: bool) -> None:
    # Logins come faster than the ended sessions are hung up: no per-participant limit here; silent sockets time out in 1 s.
    await rig.start(command=lambda participant: QUICK_CHILD, per_participant=100, handshake_timeout=1.0)
    key = key_file(rig, "ic")
    assert await login(rig, key) < 5  # the client works at all
    attacks = [await flood(rig, 60, "--idle", "150", "--reconnecting", "20", "--sources", "8", "--first-source", "2")]
    if own_address:  # more idle sockets than the per-address budget, from where the participant connects
        attacks.append(await flood(rig, 60, "--idle", "30", "--reconnecting", "0", "--sources", "1", "--first-source", "1"))
    server = rig.server
    await rig.until(lambda: server.gate.count >= 60, timeout=20, what="the flood to fill the gate")
    times = [await login(rig, key) for _ in range(10)]
    for attack in attacks:
        attack.terminate()
    counts = [await stop(attack) for attack in attacks][0]
    assert all(t < 2.0 for t in times), (times, counts)
    assert counts["connects"] > 300, counts  # it was a flood
    print(f"logins under flood: {sorted(round(t, 3) for t in times)}; flood: {counts}")
    # Each kind of refusal is logged once and then summed up once per interval, not line by line.
    server.refusals.flush()
    refusals = [line for line in rig.logs if line.startswith("refused")]
    assert len(refusals) <= 12, refusals
    assert any(" more in the last 10 s: " in line for line in refusals), refusals
