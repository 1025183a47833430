"""Log participant_left for someone whose console ended without logging it, through the engine as the console would."""

from __future__ import annotations

from pathlib import Path


async def log_leave(db: Path, drill_id: str, participant: str, role: str) -> bool:
    """Append participant_left for `participant` in `role` if the log still has them joined; True when it did.

    The engine decides, as for any command: a participant who already left, or
    never joined, is refused and nothing is written.
    """
    from drilltui.engine import Drill, Refused
    from drilltui.engine.commands import Leave
    from drilltui.journal import DrillJournal
    from drilltui.scenario import loads
    from drilltui.store import EventLog

    async with await EventLog.open(db, create=False) as log:
        record = await log.drill(drill_id)
        scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
        drill = Drill(scenario, DrillJournal(log, record.id), participant=participant, role=role)
        await drill.load()
        if drill.state.participants.get(participant) != role:
            return False
        try:
            await drill.execute(Leave(participant))
        except Refused:
            return False
        return True
