"""A bounded loopback flood of idle and reconnecting sockets against one port; it stops by itself.

Usage: flood.py PORT SECONDS [--idle N] [--reconnecting N] [--sources N] [--first-source K] [--max-connects N]

`--idle` sockets connect and send nothing, and connect again whenever the
server closes one; `--reconnecting` workers connect, send nothing, close and
connect again at once. Sources are 127.0.0.K..127.0.0.(K+N-1) (loopback only).
Prints one JSON line of counts when done.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import time


async def one(port: int, source: str) -> socket.socket | None:
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        sock.bind((source, 0))
        await asyncio.wait_for(loop.sock_connect(sock, ("127.0.0.1", port)), 2.0)
        return sock
    except (OSError, TimeoutError):
        sock.close()
        return None


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("seconds", type=float)
    p.add_argument("--idle", type=int, default=150)
    p.add_argument("--reconnecting", type=int, default=20)
    p.add_argument("--sources", type=int, default=8)
    p.add_argument("--first-source", type=int, default=2)
    p.add_argument("--max-connects", type=int, default=200_000)
    args = p.parse_args()
    end = time.monotonic() + min(args.seconds, 120.0)  # never more than two minutes, whatever is asked
    stopped = asyncio.Event()
    counts = {"connects": 0, "failed": 0, "closed_by_server": 0}
    sources = [f"127.0.0.{args.first_source + i}" for i in range(args.sources)]
    loop = asyncio.get_running_loop()

    loop.add_signal_handler(signal.SIGTERM, stopped.set)  # stop early, and still report

    def more() -> bool:
        return not stopped.is_set() and time.monotonic() < end and counts["connects"] < args.max_connects

    async def connect(i: int, pause: float) -> socket.socket | None:
        sock = await one(args.port, sources[i % len(sources)])
        counts["connects"] += 1
        if sock is None:
            counts["failed"] += 1
            await asyncio.sleep(pause)
        return sock

    async def hold(sock: socket.socket) -> None:
        """Hold a socket, silent, until the server closes it or the flood ends."""
        try:
            while more():
                try:
                    data = await asyncio.wait_for(loop.sock_recv(sock, 4096), 0.5)
                except TimeoutError:
                    continue
                if not data:
                    counts["closed_by_server"] += 1
                    return
        except OSError:
            counts["closed_by_server"] += 1
        finally:
            sock.close()

    async def idle(i: int) -> None:
        while more():
            sock = await connect(i, 0.05)
            if sock is not None:
                await hold(sock)

    async def reconnecting(i: int) -> None:
        while more():
            sock = await connect(i, 0.01)
            if sock is not None:
                sock.close()
                await asyncio.sleep(0)

    await asyncio.gather(*(idle(i) for i in range(args.idle)), *(reconnecting(i) for i in range(args.reconnecting)))
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
