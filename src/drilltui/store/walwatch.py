"""Linux inotify on a SQLite write-ahead log: wake a tail the moment another process writes, with no polling."""

from __future__ import annotations

import asyncio
import ctypes
import os
import struct
import sys
from collections.abc import Callable

# <sys/inotify.h>
IN_MODIFY = 0x002
IN_MOVED_TO = 0x080
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


class WalInotify:
    """Calls `changed()` on the event loop whenever the file at `path` is written, created, moved in or removed.

    The folder is watched, not the file: SQLite removes the -wal when the last
    connection closes and makes a new one later. `start` gives None where
    inotify cannot be had (not Linux, no libc, the per-user limit of instances
    reached): the caller then polls instead.
    """

    def __init__(self, fd: int, name: bytes, loop: asyncio.AbstractEventLoop, changed: Callable[[], object]) -> None:
        self._fd, self._name, self._loop, self._changed = fd, name, loop, changed
        loop.add_reader(fd, self._read)

    @classmethod
    def start(cls, path: str, changed: Callable[[], object]) -> WalInotify | None:
        if not sys.platform.startswith("linux"):
            return None
        try:
            loop = asyncio.get_running_loop()
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError, RuntimeError):
            return None
        if fd < 0:
            return None
        folder, name = os.path.split(os.path.abspath(path))
        try:
            if libc.inotify_add_watch(fd, os.fsencode(folder), IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_DELETE) < 0:
                os.close(fd)
                return None
            return cls(fd, os.fsencode(name), loop, changed)
        except (OSError, NotImplementedError, ValueError):  # a loop that cannot watch file descriptors
            os.close(fd)
            return None

    def _read(self) -> None:
        try:
            data = os.read(self._fd, 65536)
        except BlockingIOError:
            return
        except OSError:
            self.stop()
            return
        at, hit = 0, False
        while at + _HEADER.size <= len(data):
            _, _, _, size = _HEADER.unpack_from(data, at)
            name = data[at + _HEADER.size:at + _HEADER.size + size].rstrip(b"\0")
            at += _HEADER.size + size
            hit = hit or name == self._name
        if hit:
            self._changed()

    def stop(self) -> None:
        if self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        try:
            self._loop.remove_reader(fd)
        except (RuntimeError, ValueError):
            pass  # the loop has closed
        os.close(fd)
