"""Read a file a person named, or say in one sentence why it cannot be read.

Every file named on the command line or in a setting (scenarios, MSEL sheets,
scripts, participants files, host keys) is read here: only regular files, and
never more than a cap, so `/dev/zero`, a FIFO or a device gives one line at once
instead of a hang or a MemoryError.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DEFAULT_LIMIT = 16 * 1_048_576


class Unreadable(Exception):
    """The file cannot be read; `str()` is the sentence, without the file's name."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _a(what: str) -> str:
    return f"an {what}" if what[0] in "aeioAEIO" or what.startswith(("MSEL", "SSH")) else f"a {what}"


def read_source(path: str | Path, what: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most `limit` of them (default 16 MiB), else Unreadable.

    `what` names the kind of file in the sentence ("scenario file").  The file is
    opened without blocking (a FIFO with no writer would otherwise hang the open),
    checked to be a regular file before anything is read, and read only up to the
    cap plus one byte, so a file that grows while it is read is refused too.
    """
    cap = DEFAULT_LIMIT if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise Unreadable("no such file; check the path") from None
    except IsADirectoryError:
        raise Unreadable(f"is a folder, not {_a(what)}") from None
    except PermissionError:
        raise Unreadable(f"cannot read the {what}: permission denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot read the {what}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable(f"is a folder, not {_a(what)}")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"is {_kind(info.st_mode)}, not {_a(what)}; name a regular file")
        if info.st_size > cap:
            raise Unreadable(f"the {what} is {info.st_size:,} bytes, over the limit of {cap:,}; is this the right file?")
        chunks: list[bytes] = []
        left = cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1_048_576))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise Unreadable(f"cannot read the {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > cap:
        raise Unreadable(f"the {what} is over the limit of {cap:,} bytes; is this the right file?")
    return data
