"""Concurrency: eight processes appending to one drill at once; every event lands, gap-free, chained."""

from __future__ import annotations

import asyncio
import sys
import textwrap

import pytest
from store.conftest import BACKENDS

from drilltui.store import open_log

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)

PROCESSES = 8
EACH = 500

APPENDER = textwrap.dedent(
    """
    import asyncio, sys
    from drilltui.store import NewEvent, open_log

    async def main(path: str, drill: str, proc: str, count: str) -> None:
        async with await open_log(path, create=False) as log:
            print("ready", flush=True)
            sys.stdin.readline()  # go: all start together
            for i in range(int(count)):
                await log.append(drill, NewEvent("tick", {"proc": int(proc), "i": i}, "2026-11-29T02:00:00.000000Z", float(i), f"p{proc}", "ops"))
        print("done", flush=True)

    asyncio.run(main(*sys.argv[1:]))
    """
)


async def test_eight_writers_one_drill(target, env: dict[str, str]) -> None:
    async with await open_log(target) as log:
        drill = await log.create_drill("busy", "Busy drill", "id: busy\n")
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", APPENDER, str(target), drill, str(p), str(EACH),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
        )
        for p in range(PROCESSES)
    ]
    try:
        for child in children:
            assert child.stdout and await asyncio.wait_for(child.stdout.readline(), 30) == b"ready\n"
        for child in children:
            assert child.stdin
            child.stdin.write(b"go\n")
            await child.stdin.drain()
        results = await asyncio.wait_for(asyncio.gather(*(c.communicate() for c in children)), 60)
    finally:
        for child in children:
            if child.returncode is None:
                child.kill()
                await child.wait()
    for child, (out, err) in zip(children, results):
        assert (child.returncode, out) == (0, b"done\n"), err.decode()

    async with await open_log(target, readonly=True) as log:
        events = await log.read(drill)
        result = await log.verify(drill)
        record = await log.drill(drill)
    assert [e.seq for e in events] == list(range(1, PROCESSES * EACH + 1))
    for p in range(PROCESSES):
        assert [e.data["i"] for e in events if e.data["proc"] == p] == list(range(EACH))  # each writer's, in order
    assert result.ok and result.events == PROCESSES * EACH, result.reason
    assert record.events == PROCESSES * EACH
