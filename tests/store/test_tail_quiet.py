"""A tail on a quiet SQLite log costs nothing while nothing is written, and still sees other connections' commits at once."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time

import pytest

from drilltui.store import EventLog, open_log
from drilltui.store import log as log_module
from drilltui.store.walwatch import WalInotify

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")

PROMPT = 2.0


@pytest.fixture
async def quiet(tmp_path, ev):  # type: ignore[no-untyped-def]
    log = await EventLog.open(tmp_path / "quiet.db")
    drill = await log.create_drill("s", "S", "format: drilltui/1\n")
    await log.append(drill, ev(1))
    yield log, drill, tmp_path / "quiet.db"
    await log.close()


async def waiting_tail(log: EventLog, drill: str, **kw):  # type: ignore[no-untyped-def]
    """A tail past the backlog, waiting, and a count of the database calls made since."""
    tail = log.tail(drill, 0, **kw)
    await asyncio.wait_for(anext(tail), PROMPT)
    calls: list[str] = []
    run = log._run

    async def counted(fn, *args):  # type: ignore[no-untyped-def]
        calls.append(getattr(fn, "__name__", "?"))
        return await run(fn, *args)

    log._run = counted  # type: ignore[method-assign]
    return tail, asyncio.create_task(anext(tail)), calls


async def test_a_quiet_tail_asks_the_database_nothing(quiet) -> None:  # type: ignore[no-untyped-def]
    log, drill, _ = quiet
    tail, waiting, calls = await waiting_tail(log, drill)
    await asyncio.sleep(log_module.settling_span(0.05) + 0.1)  # after a read a tail looks a few times more
    calls.clear()
    await asyncio.sleep(1.2)  # the time the property is about: more than two of the old half-second rechecks
    assert not waiting.done() and calls == []
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    await tail.aclose()


async def test_another_connections_commit_wakes_a_quiet_tail_at_once(quiet, ev) -> None:  # type: ignore[no-untyped-def]
    log, drill, path = quiet
    tail, waiting, _ = await waiting_tail(log, drill, recheck=3600)
    async with await open_log(path) as other:
        started = time.perf_counter()
        stored = await other.append(drill, ev(2))
        got = await asyncio.wait_for(waiting, PROMPT)
    assert got == stored and time.perf_counter() - started < 0.5
    await tail.aclose()


async def test_without_inotify_the_tail_polls_the_file(quiet, ev, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(WalInotify, "start", classmethod(lambda cls, path, changed: None))
    log, drill, path = quiet
    tail, waiting, _ = await waiting_tail(log, drill, poll=0.05, recheck=3600)
    async with await open_log(path) as other:
        stored = await other.append(drill, ev(2))
        assert await asyncio.wait_for(waiting, PROMPT) == stored
    await tail.aclose()


class HandWatcher:
    """A stand-in for inotify that reports a move of the log file only when the test says so."""

    started: list[HandWatcher] = []

    def __init__(self, changed) -> None:  # type: ignore[no-untyped-def]
        self.changed = changed
        HandWatcher.started.append(self)

    def stop(self) -> None:
        pass


async def test_a_move_that_brings_an_earlier_commit_still_gets_the_later_one(quiet, ev, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The file moves as a commit is written, before it is visible: the read a move leads to may find only an
    earlier commit, and the one being written must still arrive, not wait for the periodic recheck."""
    HandWatcher.started.clear()
    monkeypatch.setattr(WalInotify, "start", classmethod(lambda cls, path, changed: HandWatcher(changed)))
    log, drill, path = quiet
    tail, waiting, _ = await waiting_tail(log, drill, recheck=3600)
    await asyncio.sleep(1.7)  # past the first read's settling (1.55 s at most): now only a move wakes it
    (watcher,) = HandWatcher.started
    async with await open_log(path) as other:
        first = await other.append(drill, ev(2))  # visible, its move not reported
        watcher.changed()  # the move of the next commit, being written
        assert await asyncio.wait_for(waiting, PROMPT) == first
        second = await other.append(drill, ev(3))  # visible now, and the move that stood for it already reported
        assert await asyncio.wait_for(anext(tail), PROMPT) == second
    await tail.aclose()
