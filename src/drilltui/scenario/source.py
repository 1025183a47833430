"""Read a file a person named, or say in one sentence why it cannot be read."""

from __future__ import annotations

from pathlib import Path


class Unreadable(Exception):
    """The file cannot be read; `str()` is the sentence, without the file's name."""


def read_source(path: str | Path, what: str, limit: int | None = None) -> bytes:
    """The file's bytes (at most `limit` of them, else Unreadable); `what` names the kind of file."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(-1 if limit is None else limit + 1)
    except FileNotFoundError:
        raise Unreadable("no such file; check the path") from None
    except IsADirectoryError:
        raise Unreadable(f"is a folder, not a {what}") from None
    except PermissionError:
        raise Unreadable(f"cannot read the {what}: permission denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot read the {what}: {exc.strerror or exc}") from None
    if limit is not None and len(data) > limit:
        raise Unreadable(f"the {what} is over {limit:,} bytes; is this the right file?")
    return data
