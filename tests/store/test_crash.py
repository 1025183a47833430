"""Crash safety: a writer killed with SIGKILL at random moments never loses an append that returned."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import textwrap
from collections import Counter

import pytest
from store.conftest import BACKENDS

from drilltui.store import open_log

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)

RUNS = 50
SEED = 20261129

# One child Python process imports drilltui once, then forks a fresh writer per run (it has no
# threads when it forks): 50 interpreter start-ups would cost more than the test itself.
# Each writer opens the log, appends in a loop and writes each seq to its pipe once append has
# returned; the child reports the writer's exit code and the complete seq lines it wrote.
CHILD = textwrap.dedent(
    """
    import asyncio, os, sys
    from drilltui.store import NewEvent, open_log

    def append_forever(path: str, drill: str, run: int, fd: int) -> None:
        async def main() -> None:
            log = await open_log(path, create=False)
            i = 0
            while True:
                stored = await log.append(drill, NewEvent("tick", {"run": run, "i": i}, "2026-11-29T02:00:00.000000Z", float(i), "writer", "ops"))
                os.write(fd, b"%d\\n" % stored.seq)  # only once append has returned
                i += 1
        asyncio.run(main())

    path, drill = sys.argv[1:3]
    if path.startswith("postgresql://"):
        import drilltui.store.postgres  # imported once here too, not in every writer
    while line := sys.stdin.readline():
        run = int(line)
        r, w = os.pipe()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                append_forever(path, drill, run, w)
            finally:
                os._exit(1)
        os.close(w)
        print("pid", pid, flush=True)
        chunks = []
        while chunk := os.read(r, 65536):
            chunks.append(chunk)
        os.close(r)
        status = os.waitpid(pid, 0)[1]
        data = b"".join(chunks)
        complete = data[: data.rfind(b"\\n") + 1].split()  # a line cut short by the kill was not acknowledged
        print(os.waitstatus_to_exitcode(status), *(s.decode() for s in complete), flush=True)
    """
)


async def test_sigkill_loses_nothing_that_was_acknowledged(target, env: dict[str, str]) -> None:
    async with await open_log(target) as log:
        drill = await log.create_drill("crash", "Crash test", "id: crash\n")
    rng = random.Random(SEED)
    loop = asyncio.get_running_loop()

    def kill(pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it died by itself: the exit code check below says why

    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(target), drill,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )
    assert child.stdin and child.stdout and child.stderr
    acknowledged: list[tuple[int, int]] = []  # (seq, run) for every append that returned
    try:
        for run in range(RUNS):
            child.stdin.write(b"%d\n" % run)
            await child.stdin.drain()
            pid = int((await asyncio.wait_for(child.stdout.readline(), 30)).split()[1])
            loop.call_later(rng.uniform(0.020, 0.200), kill, pid)
            code, *seqs = (await asyncio.wait_for(child.stdout.readline(), 30)).split()
            assert int(code) == -signal.SIGKILL, f"run {run}: the writer exited with {code.decode()}"
            acknowledged += [(int(seq), run) for seq in seqs]
        child.stdin.close()
        assert await asyncio.wait_for(child.wait(), 30) == 0
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
        errors = (await child.stderr.read()).decode()
    assert errors == ""

    async with await open_log(target, create=False) as log:
        events = await log.read(drill)
        result = await log.verify(drill)
    seqs = [seq for seq, _ in acknowledged]
    assert len({run for _, run in acknowledged}) > RUNS // 2  # the kills did land among appends
    assert len(seqs) == len(set(seqs))  # no seq handed out twice
    assert [e.seq for e in events] == list(range(1, len(events) + 1))  # gap-free
    for seq, run in acknowledged:
        assert events[seq - 1].data["run"] == run  # present, and it is the very event that was acknowledged
    # Each writer appends one at a time, so at most one commit per run went unacknowledged (killed before its write).
    stored_per_run = Counter(e.data["run"] for e in events)
    acked_per_run = Counter(run for _, run in acknowledged)
    assert all(stored_per_run[run] - acked_per_run[run] in (0, 1) for run in range(RUNS))
    assert result.ok and result.events == len(events), result.reason
