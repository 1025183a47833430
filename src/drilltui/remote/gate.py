"""Who may even try to log in: budgets for connections not yet authenticated, per source and in total, and quiet refusals.

Nothing here knows SSH. A connection waits first in the `silent` pool, which
costs only a socket, until the client sends something (an SSH client sends its
version line at once); then it moves to the `login` pool while the front end
runs the handshake; once authenticated it leaves the gate for the participants'
own slots. Each pool has a budget per source (an IPv4 address or an IPv6 /64)
and in total. A front end logs refusals through a RateLog, so a flood costs one
line per interval.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Log = Callable[[str], None]


def source_of(host: str) -> str:
    """The group a client address counts in: the IPv4 address, or the IPv6 /64 (one host often holds a whole /64)."""
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class RateLog:
    """Refusals logged at most once per interval and kind: the first at once, the rest as one summary line."""

    def __init__(self, log: Log, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.log = log
        self.interval = interval
        self.clock = clock
        self._quiet_until: dict[str, float] = {}
        self._held: dict[str, Counter[str]] = {}
        self._what: dict[str, str] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def note(self, kind: str, line: str, source: str, what: str) -> None:
        """One refusal: `line` says it in full, `what` names the kind in a summary, counted by `source`."""
        now = self.clock()
        if now >= self._quiet_until.get(kind, 0.0) and kind not in self._held:
            self._quiet_until[kind] = now + self.interval
            self.log(line)
            return
        self._held.setdefault(kind, Counter())[source] += 1
        self._what[kind] = what
        if kind not in self._timers:
            delay = max(0.0, self._quiet_until.get(kind, now) - now)
            self._timers[kind] = asyncio.get_running_loop().call_later(delay, self._summarise, kind)

    def _summarise(self, kind: str) -> None:
        self._timers.pop(kind, None)
        held = self._held.pop(kind, None)
        if not held:
            return
        total = sum(held.values())
        top = ", ".join(f"{n} from {source}" for source, n in held.most_common(3))
        others = len(held) - 3
        more = f" and {others} other source{'s' if others != 1 else ''}" if others > 0 else ""
        self.log(f"refused {total} more in the last {self.interval:g} s: {self._what[kind]} ({top}{more})")
        self._quiet_until[kind] = self.clock() + self.interval

    def flush(self) -> None:
        """Say what is held now (the server is stopping)."""
        for kind, timer in list(self._timers.items()):
            timer.cancel()
            self._summarise(kind)


@dataclass(eq=False)
class Ticket:
    """One connection that has not authenticated yet: where from, since when, how far it has got."""

    source: str
    started: float
    evict: Callable[[], None] = lambda: None  # close the connection: its place went to another
    # For silent sockets: "silent", "spoke" (its first bytes are waiting) or "gone" (the client closed it), and
    # closing one quietly (a gone one is no loss to anyone).
    probe: Callable[[], str] = lambda: "silent"
    drop: Callable[[], None] = lambda: None
    in_auth: bool = False  # it has begun to authenticate
    pool: Pool | None = None


@dataclass
class Pool:
    """Connections at one stage, at most `per_source` from one source and `total` in all.

    When the total is full, a newcomer from a source holding fewer than the
    busiest one takes the place of that source's oldest connection, preferring
    one that has not begun to authenticate: a flood from a few addresses cannot
    keep anyone else out. With `oldest_first` (for silent sockets, which cost
    nothing to replace and which a real client leaves within milliseconds), a
    newcomer takes the place of the oldest: its source's when its source is full,
    anyone's when the total is.
    """

    total: int
    per_source: int
    oldest_first: bool = False
    by_source: dict[str, list[Ticket]] = field(default_factory=dict)
    count: int = 0

    def enter(self, ticket: Ticket) -> str | None:
        """Put the ticket in, evicting another if that is fair; or say why not."""
        mine = self.by_source.get(ticket.source, [])
        if len(mine) >= self.per_source and not (self.oldest_first and self._make_room(mine)):
            return f"too many connections from {ticket.source} logging in at once (at most {self.per_source})"
        if self.count >= self.total:
            if self.oldest_first:
                if not self._make_room(sorted((t for g in self.by_source.values() for t in g), key=lambda t: t.started)):
                    return f"too many connections logging in at once (at most {self.total})"
            else:
                victim = self._victim(len(self.by_source.get(ticket.source, [])))
                if victim is None:
                    return f"too many connections logging in at once (at most {self.total})"
                self.evict(victim)
        self.by_source.setdefault(ticket.source, []).append(ticket)
        self.count += 1
        ticket.pool = self
        return None

    def _make_room(self, oldest_first: list[Ticket]) -> bool:
        """Free the place of the oldest socket that is really silent (or already gone); False if all have spoken."""
        for ticket in list(oldest_first):
            state = ticket.probe()
            if state == "spoke":
                continue  # its first bytes are waiting to be read: it is about to move on
            self.leave(ticket)
            (ticket.drop if state == "gone" else ticket.evict)()
            return True
        return False

    def _victim(self, mine: int) -> Ticket | None:
        heavier = [t for group in self.by_source.values() if len(group) > mine for t in group]
        for found in ([t for t in heavier if not t.in_auth], heavier):
            if found:
                top = max(len(self.by_source[t.source]) for t in found)
                return min((t for t in found if len(self.by_source[t.source]) == top), key=lambda t: t.started)
        return None

    def evict(self, ticket: Ticket) -> None:
        self.leave(ticket)
        ticket.evict()

    def leave(self, ticket: Ticket) -> None:
        group = self.by_source.get(ticket.source, [])
        if ticket in group:
            group.remove(ticket)
            self.count -= 1
        if not group:
            self.by_source.pop(ticket.source, None)
        ticket.pool = None


class Gate:
    """The two pools a connection passes before it is a participant's: silent, then logging in."""

    def __init__(self, total: int, per_source: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        # Silent sockets cost a file descriptor each: four times as many may wait, and the newest from a source wins.
        self.silent = Pool(4 * total, 4 * per_source, oldest_first=True)
        self.login = Pool(total, per_source)

    @property
    def count(self) -> int:
        return self.silent.count + self.login.count

    def arrive(self, source: str) -> tuple[Ticket | None, str]:
        """A ticket for a new connection, waiting silent; or None and why not."""
        ticket = Ticket(source, self.clock())
        why = self.silent.enter(ticket)
        return (None, why) if why else (ticket, "")

    def spoke(self, ticket: Ticket) -> str | None:
        """The client sent its first bytes: move it to the login pool, or say why not (its ticket is then released)."""
        self.release(ticket)
        ticket.started = self.clock()
        why = self.login.enter(ticket)
        return why

    def release(self, ticket: Ticket) -> None:
        """The connection authenticated or ended: its place is free."""
        if ticket.pool is not None:
            ticket.pool.leave(ticket)

    def clear(self) -> None:
        """Close every connection still waiting (the server is stopping)."""
        for pool in (self.silent, self.login):
            for group in list(pool.by_source.values()):
                for ticket in list(group):
                    pool.evict(ticket)
