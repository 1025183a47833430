"""Noticing that a scenario file was saved: a stat of it every so often, woken at once where the system can say so."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Protocol

Marker = tuple[int, int, int] | None  # (inode, size, mtime in ns); None while there is no file


class Stoppable(Protocol):
    def stop(self) -> None: ...


# Given a callback, starts calling it when the file may have changed (inotify), or gives None where it cannot.
Wake = Callable[[Callable[[], object]], "Stoppable | None"]


def marker(path: str | Path) -> Marker:
    """What moves when a file is written or replaced: an editor that saves by renaming changes the inode."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


async def changes(path: str | Path, since: Marker, every: float = 0.5, wake: Wake | None = None) -> AsyncIterator[Marker]:
    """Yield the file's new marker each time it differs from the last (`since`: as it was when it was last read),
    looking every `every` seconds or when woken.

    One stat call per look: cheap enough for the event loop, so no thread is needed.
    """
    woken = asyncio.Event()
    watcher = wake(woken.set) if wake is not None else None
    seen = since
    try:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), every)
            woken.clear()
            now = marker(path)
            if now != seen:
                seen = now
                yield now
    finally:
        if watcher is not None:
            watcher.stop()
