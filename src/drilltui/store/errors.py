"""The store's errors: each one line a person can act on, naming the file."""

from __future__ import annotations


class StoreError(Exception):
    """One-line, user-facing message naming the file and what to do."""


class Conflict(StoreError):
    """An append with `expected_seq` found that the log had moved on; nothing was written."""


class Unstorable(StoreError, ValueError):
    """A text no row can hold (a lone surrogate has no UTF-8 form): nothing was written."""


class ConnectionLost(StoreError):
    """The database server's connection was lost, and so was the one made again: nothing more was written."""


class Damaged(StoreError):
    """A stored row no longer decodes (invalid UTF-8 or JSON): the message names the event."""

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.seq = seq


class Moved(StoreError):
    """The database file under an open connection is no longer the file at its path: writing stopped."""
