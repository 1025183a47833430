"""DrillJournal: the engine's view of one drill; its tail skips its own appends, which the store never reads back."""

from __future__ import annotations

import asyncio

import pytest
from store.conftest import BACKENDS

from drilltui.engine import Event, body_from_data
from drilltui.journal import DrillJournal
from drilltui.store import open_log

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


def note(i: int, who: str) -> Event:
    body = body_from_data("note_added", {"text": f"note {i}", "inject": None, "role": None, "objective": None}, 1)
    return Event(body, float(i), f"2026-11-29T02:00:{i:02d}.000000Z", who, "ic")


async def test_the_tail_skips_its_own_appends_and_reads_them_from_no_one(log, drill: str, target) -> None:
    mine, theirs = DrillJournal(log, drill), DrillJournal(log, drill)
    reads: list[tuple[int, ...]] = []
    real_read = log.read

    async def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(args)
        return await real_read(*args, **kwargs)

    log.read = counted
    my_tail, their_tail = mine.tail(0), theirs.tail(0)
    first_theirs = asyncio.create_task(asyncio.wait_for(anext(their_tail), 5))
    first_mine = asyncio.create_task(asyncio.wait_for(anext(my_tail), 5))
    appended = await mine.append([note(1, "me"), note(2, "me")], 0)
    assert [e.seq for e in appended] == [1, 2]
    assert (await first_theirs).seq == 1 and (await asyncio.wait_for(anext(their_tail), 5)).seq == 2
    reads_before = len(reads)
    # Another process appends: my tail yields that one, and only that one.
    async with await open_log(target) as other:
        await DrillJournal(other, drill).append([note(3, "them")], 2)
    got = await first_mine
    assert (got.seq, got.participant) == (3, "them")
    more = await mine.append([note(4, "me")], 3)
    assert (await asyncio.wait_for(anext(their_tail), 5)).seq == 3
    assert (await asyncio.wait_for(anext(their_tail), 5)) == more[0]
    # This log's own appends reached both tails without a read of them (only the other process's was read).
    assert all(args[1] != 4 for args in reads[reads_before:]), reads
    for tail in (my_tail, their_tail):
        await tail.aclose()
