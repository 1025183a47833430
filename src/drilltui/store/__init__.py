"""The SQLite event log: drills, their hash-chained events, tailing, verification and the scheduler lease."""

from drilltui.store.errors import Conflict, StoreError
from drilltui.store.log import EventLog
from drilltui.store.records import DrillRecord, NewEvent, StoredEvent, VerifyResult

__all__ = ["Conflict", "DrillRecord", "EventLog", "NewEvent", "StoreError", "StoredEvent", "VerifyResult"]
