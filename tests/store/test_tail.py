"""tail: events appended here, by another connection, or by another process, arrive promptly."""

from __future__ import annotations

import asyncio
import sys
import textwrap

import pytest
from store.conftest import BACKENDS

from drilltui.store import EventLog, StoredEvent, open_log

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)

PROMPT = 2.0  # seconds; every wait is bounded, none is a sleep


async def next_event(tail) -> StoredEvent:
    return await asyncio.wait_for(anext(tail), PROMPT)


class Spy(asyncio.Event):
    """The log's wake-up event, reporting when a tail starts waiting on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = asyncio.Event()

    async def wait(self) -> bool:
        self.waiting.set()
        return await super().wait()


async def test_own_appends_wake_the_tail(log: EventLog, drill: str, ev) -> None:
    # A poll this long means only the in-process wake-up can deliver within PROMPT.
    spy = log._wake = Spy()
    tail = log.tail(drill, 0, poll=3600)
    waiting = asyncio.create_task(next_event(tail))
    await asyncio.wait_for(spy.waiting.wait(), PROMPT)  # the tail has read, found nothing, and waits
    stored = await log.append(drill, ev(1))
    assert await waiting == stored
    more = await log.append_many(drill, [ev(2), ev(3)])
    assert [await next_event(tail), await next_event(tail)] == more
    await tail.aclose()


async def test_backlog_first_then_new_events(log: EventLog, drill: str, ev) -> None:
    stored = await log.append_many(drill, [ev(i) for i in range(1, 6)])
    tail = log.tail(drill, 2)
    assert [await next_event(tail) for _ in range(3)] == stored[2:]
    waiting = asyncio.create_task(next_event(tail))
    assert not waiting.done()
    stored = await log.append(drill, ev(6))
    assert await waiting == stored
    await tail.aclose()


async def test_another_connection_appends(log: EventLog, drill: str, target, ev) -> None:
    tail = log.tail(drill, 0)
    waiting = asyncio.create_task(next_event(tail))
    async with await open_log(target) as other:
        stored = await other.append(drill, ev(1))
        assert await waiting == stored
        more = await other.append_many(drill, [ev(2), ev(3)])
        assert [await next_event(tail), await next_event(tail)] == more
    await tail.aclose()


async def test_a_read_only_log_tails_a_writer(target, log: EventLog, drill: str, ev) -> None:
    async with await open_log(target, readonly=True) as reader:
        tail = reader.tail(drill, 0)
        waiting = asyncio.create_task(next_event(tail))
        stored = await log.append(drill, ev(1))
        assert await waiting == stored
        await tail.aclose()


async def test_another_process_appends(log: EventLog, drill: str, target, env: dict[str, str]) -> None:
    script = textwrap.dedent(
        """
        import asyncio, sys
        from drilltui.store import NewEvent, open_log

        async def main(path: str, drill: str) -> None:
            async with await open_log(path) as log:
                sys.stdin.readline()  # go
                stored = await log.append(drill, NewEvent("note_added", {"from": "child"}, "2026-11-29T02:00:00.000000Z", 5.0, "Sam", "ops"))
                print(stored.seq, stored.hash, flush=True)

        asyncio.run(main(*sys.argv[1:]))
        """
    )
    tail = log.tail(drill, 0)
    waiting = asyncio.create_task(next_event(tail))
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, str(target), drill,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
    )
    try:
        assert child.stdin and child.stdout
        child.stdin.write(b"go\n")
        await child.stdin.drain()
        line = await asyncio.wait_for(child.stdout.readline(), 30)  # the child's start-up is not what we time
        seq, digest = line.decode().split()
        got = await asyncio.wait_for(waiting, PROMPT)  # but from its commit to our tail, at most PROMPT
        assert (got.seq, got.hash, got.data) == (int(seq), digest, {"from": "child"})
        assert await asyncio.wait_for(child.wait(), 30) == 0
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
        await tail.aclose()


async def test_closing_the_log_ends_the_tail(target, ev) -> None:
    log = await open_log(target)
    drill = await log.create_drill("s", "S", "x")
    await log.append(drill, ev(1))
    seen: list[int] = []
    waiting = asyncio.Event()

    async def consume() -> None:
        async for event in log.tail(drill, 0):
            seen.append(event.seq)
            waiting.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(waiting.wait(), PROMPT)
    await log.close()
    await asyncio.wait_for(task, PROMPT)
    assert seen == [1]


async def test_another_connections_commits_arrive_without_waiting_for_the_recheck(
    log: EventLog, drill: str, target, ev
) -> None:
    """The log file's movement wakes the tail: with the periodic recheck an hour away, every commit still comes within a poll or so."""
    import time

    tail = log.tail(drill, 0, poll=0.05, recheck=3600)
    async with await open_log(target) as other:
        delays = []
        for i in range(1, 21):
            waiting = asyncio.create_task(next_event(tail))
            started = time.perf_counter()
            stored = await other.append(drill, ev(i))
            try:
                got = await waiting
            except TimeoutError:
                raise AssertionError(f"commit {i} missed") from None
            assert got == stored
            delays.append(time.perf_counter() - started)
    assert max(delays) < 0.5, delays  # PROMPT bounds each wait; this bounds the worst one far below the recheck
    await tail.aclose()
