"""Errors a user can act on, and how each is said in one line."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a person (arguments, files, databases): one line, exit 2."""


def describe(exc: BaseException) -> str | None:
    """The one-line message for an error a user can fix, or None for a bug."""
    from drilltui.scenario import ScenarioError

    if isinstance(exc, ScenarioError):
        return "\n".join(str(p) for p in exc.problems)
    from drilltui.store import StoreError

    if isinstance(exc, (UserError, StoreError)):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return None
