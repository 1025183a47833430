"""The scheduler lease: one holder at a time, renewable, taken over once it expires."""

from __future__ import annotations

from pathlib import Path

import pytest

from drilltui.store import EventLog


async def test_one_holder_at_a_time(log: EventLog, drill: str) -> None:
    assert await log.lease_holder(drill, now=1000) is None
    assert await log.acquire_lease(drill, "A", ttl=5, now=1000)
    assert not await log.acquire_lease(drill, "B", ttl=5, now=1001)
    assert await log.lease_holder(drill, now=1001) == "A"
    # A renews; B still cannot take it at what would have been the old expiry.
    assert await log.acquire_lease(drill, "A", ttl=5, now=1004)
    assert not await log.acquire_lease(drill, "B", ttl=5, now=1005)
    # A stops renewing: after the ttl, B takes over and A is locked out.
    assert await log.lease_holder(drill, now=1009) is None
    assert await log.acquire_lease(drill, "B", ttl=5, now=1009)
    assert await log.lease_holder(drill, now=1009) == "B"
    assert not await log.acquire_lease(drill, "A", ttl=5, now=1010)


async def test_release(log: EventLog, drill: str) -> None:
    assert await log.acquire_lease(drill, "A", now=1000)
    await log.release_lease(drill, "B")  # not B's to release
    assert await log.lease_holder(drill, now=1000) == "A"
    await log.release_lease(drill, "A")
    assert await log.lease_holder(drill, now=1000) is None
    assert await log.acquire_lease(drill, "B", now=1000)


async def test_wall_clock_by_default(log: EventLog, drill: str) -> None:
    assert await log.acquire_lease(drill, "A", ttl=60)
    assert await log.lease_holder(drill) == "A"
    assert not await log.acquire_lease(drill, "B", ttl=60)


async def test_leases_are_per_drill(log: EventLog, drill: str) -> None:
    other = await log.create_drill("s", "S", "x", drill_id="other")
    assert await log.acquire_lease(drill, "A", now=0)
    assert await log.acquire_lease(other, "B", now=0)
    assert (await log.lease_holder(drill, now=0), await log.lease_holder(other, now=0)) == ("A", "B")


async def test_two_processes_share_the_lease(log: EventLog, drill: str, db_path: Path) -> None:
    async with await EventLog.open(db_path) as other:
        assert await log.acquire_lease(drill, "proc-1", ttl=5, now=0)
        assert not await other.acquire_lease(drill, "proc-2", ttl=5, now=1)
        assert await other.lease_holder(drill, now=1) == "proc-1"
        assert await other.acquire_lease(drill, "proc-2", ttl=5, now=5)


async def test_bad_ttl(log: EventLog, drill: str) -> None:
    with pytest.raises(ValueError):
        await log.acquire_lease(drill, "A", ttl=0)


async def test_the_lease_is_kept_after_release_with_no_holder(log: EventLog, drill: str) -> None:
    # The engine reads the last lease to know when the console running the clock was last alive.
    assert await log.lease(drill) is None
    assert await log.acquire_lease(drill, "A", ttl=5, now=1000)
    assert await log.lease(drill) == ("A", 1005.0)
    await log.release_lease(drill, "A", now=1002)
    assert await log.lease(drill) == ("", 1002.0)
    assert await log.lease_holder(drill, now=1001) is None
