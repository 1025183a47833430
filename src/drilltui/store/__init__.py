"""The event log: drills, their hash-chained events, tailing, verification and the scheduler lease, in SQLite or PostgreSQL."""

from typing import TYPE_CHECKING, Union

from drilltui.store.errors import Conflict, Damaged, Moved, StoreError, Unstorable
from drilltui.store.location import DatabaseUrl, Location, is_url, location, open_log
from drilltui.store.log import EventLog
from drilltui.store.records import DrillRecord, NewEvent, StoredEvent, VerifyResult

if TYPE_CHECKING:
    from drilltui.store.postgres import PgEventLog

# PgEventLog (drilltui.store.postgres) is imported only for a postgresql:// URL: asyncpg is optional.
Log = Union[EventLog, "PgEventLog"]  # either backend: the same public methods
__all__ = ["Conflict", "Damaged", "DatabaseUrl", "DrillRecord", "EventLog", "Location", "Log", "Moved", "NewEvent", "StoreError",
           "StoredEvent", "Unstorable", "VerifyResult", "is_url", "location", "open_log"]
