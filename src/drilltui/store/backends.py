"""`Log`: either backend's event log (SQLite's EventLog or PostgreSQL's PgEventLog), which offer the same public methods."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from drilltui.store.log import EventLog
    from drilltui.store.postgres import PgEventLog

# Named by strings, so neither backend is imported to say so (asyncpg is optional).
Log = Union["EventLog", "PgEventLog"]
