"""The event log: drills, their hash-chained events, tailing, verification and the scheduler lease, in SQLite or PostgreSQL."""

from typing import TYPE_CHECKING

from drilltui.lazy import lazy_names

# Named at once: light, and `location` is also a submodule's name, which a later import would bind here.
from drilltui.store.location import DatabaseUrl, Location, is_url, location, open_log

# The rest is imported from its module on first use, so naming a --db location costs no SQLite.
# PgEventLog (drilltui.store.postgres) is imported only for a postgresql:// URL: asyncpg is optional.
_WHERE = {
    **dict.fromkeys(("Conflict", "Damaged", "Moved", "StoreError", "Unstorable"), "errors"),
    "EventLog": "log",
    "Log": "backends",
    **dict.fromkeys(("DrillRecord", "NewEvent", "StoredEvent", "VerifyResult"), "records"),
}
__getattr__ = lazy_names(__name__, _WHERE)

if TYPE_CHECKING:
    from drilltui.store.backends import Log
    from drilltui.store.errors import Conflict, Damaged, Moved, StoreError, Unstorable
    from drilltui.store.log import EventLog
    from drilltui.store.records import DrillRecord, NewEvent, StoredEvent, VerifyResult

__all__ = ["Conflict", "Damaged", "DatabaseUrl", "DrillRecord", "EventLog", "Location", "Log", "Moved", "NewEvent", "StoreError",
           "StoredEvent", "Unstorable", "VerifyResult", "is_url", "location", "open_log"]
