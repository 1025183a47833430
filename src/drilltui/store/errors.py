"""The store's errors: each one line a person can act on, naming the file."""

from __future__ import annotations


class StoreError(Exception):
    """One-line, user-facing message naming the file and what to do."""


class Conflict(StoreError):
    """An append with `expected_seq` found that the log had moved on; nothing was written."""
