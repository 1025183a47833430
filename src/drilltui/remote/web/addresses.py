"""Who a browser is, address-wise: the peer, or the client a trusted reverse proxy names in X-Forwarded-For."""

from __future__ import annotations

import ipaddress
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(text: str) -> tuple[Network, ...]:
    """`--trust-proxy ADDRESS[,ADDRESS...]`: addresses or networks of the proxies whose X-Forwarded-For is believed."""
    nets = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            nets.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"'{part}' is not an IP address or network (such as 127.0.0.1 or 10.0.0.0/8)") from None
    if not nets:
        raise ValueError("name at least one proxy address, such as 127.0.0.1")
    return tuple(nets)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip("[]")
    if text.count(":") == 1 and "." in text:  # 203.0.113.7:51234
        text = text.split(":")[0]
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def client_address(peer: str, forwarded_for: Iterable[str], trusted: tuple[Network, ...]) -> str:
    """The address to log and limit by: the peer's, unless the peer is a trusted proxy; then the last address
    in X-Forwarded-For that is not itself a trusted proxy (the ones before it are whatever the client claimed)."""
    ip = _ip(peer)
    if ip is None or not any(ip in net for net in trusted):
        return peer
    hops = [h for header in forwarded_for for h in header.split(",") if h.strip()]
    for hop in reversed(hops):
        found = _ip(hop)
        if found is None:
            return peer  # a header the proxy did not write as it should: believe only the peer
        if not any(found in net for net in trusted):
            return str(found)
    return peer


@dataclass
class RefusalBudget:
    """At most `most` refused requests per source in `window` seconds; past that a source is answered at once with 429."""

    most: int = 30
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def spent(self, source: str) -> bool:
        """Whether this source has used its budget (checked before any work is done for it)."""
        times = self._seen.get(source)
        if not times:
            return False
        cutoff = self.clock() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        if not times:
            del self._seen[source]
        return len(times) >= self.most

    def note(self, source: str) -> None:
        if len(self._seen) > 10_000:  # a flood from many sources: forget the oldest rather than grow
            self._seen.pop(next(iter(self._seen)))
        self._seen.setdefault(source, deque()).append(self.clock())
