"""The gate's budgets and the rate-limited refusal log, without sockets."""

from __future__ import annotations

import asyncio

from drilltui.remote.gate import Gate, Pool, RateLog, Ticket, source_of


def test_sources_group_ipv6_by_64_and_unmap_ipv4() -> None:
    assert source_of("203.0.113.7") == "203.0.113.7"
    assert source_of("2001:db8:1:2:aaaa::1") == source_of("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert source_of("::ffff:203.0.113.7") == "203.0.113.7"
    assert source_of("fe80::1%eth0") == "fe80::/64"


def tickets(pool: Pool, source: str, n: int, clock: list[float]) -> list[Ticket]:
    out = []
    for _ in range(n):
        clock[0] += 1
        t = Ticket(source, clock[0])
        t.evict = lambda t=t: setattr(t, "source", t.source + " (evicted)")
        assert pool.enter(t) is None
        out.append(t)
    return out


def test_a_flood_from_one_source_cannot_keep_another_out() -> None:
    clock = [0.0]
    pool = Pool(total=10, per_source=8)
    flood = tickets(pool, "198.51.100.1", 8, clock) + tickets(pool, "198.51.100.2", 2, clock)
    clock[0] += 1
    assert "from 198.51.100.1" in (pool.enter(Ticket("198.51.100.1", clock[0])) or "")  # its source is full
    newcomer = Ticket("203.0.113.9", clock[0])
    assert pool.enter(newcomer) is None  # the total is full: the busiest source gives way, its oldest first
    assert flood[0].source.endswith("(evicted)") and not flood[1].source.endswith("(evicted)")
    assert pool.count == 10


def test_connections_that_began_to_log_in_go_last() -> None:
    clock = [0.0]
    pool = Pool(total=3, per_source=3)
    a, b, c = tickets(pool, "198.51.100.1", 3, clock)
    a.in_auth = True
    assert pool.enter(Ticket("203.0.113.9", 10.0)) is None
    assert b.source.endswith("(evicted)") and not a.source.endswith("(evicted)")


def test_silent_sockets_give_way_oldest_first_but_only_really_silent_ones() -> None:
    gate = Gate(total=2, per_source=1)  # silent: 8 in all, 4 per source
    waiting = [gate.arrive("198.51.100.1")[0] for _ in range(4)]
    assert all(waiting)
    states = {id(waiting[0]): "spoke", id(waiting[1]): "gone"}
    closed = []
    for t in waiting:
        t.probe = lambda t=t: states.get(id(t), "silent")  # type: ignore[misc]
        t.drop = lambda t=t: closed.append(("dropped", t))  # type: ignore[misc]
        t.evict = lambda t=t: closed.append(("evicted", t))  # type: ignore[misc]
    newest, _ = gate.arrive("198.51.100.1")
    assert newest is not None and closed == [("dropped", waiting[1])]  # the one that spoke kept its place
    gate.arrive("198.51.100.1")
    assert closed[1] == ("evicted", waiting[2])


async def test_refusals_are_one_line_then_one_summary_per_interval() -> None:
    lines: list[str] = []
    now = [0.0]
    log = RateLog(lines.append, interval=0.05, clock=lambda: now[0])
    for i in range(50):
        log.note("busy", f"refused 198.51.100.{i % 3}:{1000 + i}: too many", f"198.51.100.{i % 3}", "too many at once")
    assert lines == ["refused 198.51.100.0:1000: too many"]
    now[0] = 1.0
    await asyncio.sleep(0.08)
    assert lines[1] == "refused 49 more in the last 0.05 s: too many at once (17 from 198.51.100.1, 16 from 198.51.100.2, 16 from 198.51.100.0)"
    log.note("busy", "refused again", "x", "too many at once")  # within the new quiet interval: held
    log.flush()
    assert len(lines) == 3 and lines[2].startswith("refused 1 more")
