"""The after-action report of a drill as handed out (its log or the redacted form), with its evidence section."""

from __future__ import annotations

from drilltui.evidence.view import Examined, View
from drilltui.journal import from_record
from drilltui.report import Report, build_report
from drilltui.scenario import loads


def report_of(view: View, examined: Examined, verify_command: str) -> Report:
    """The report built from the view's own files, so a bundle's copy can be rebuilt and compared."""
    scenario = loads(view.scenario_text, f"<scenario of drill {view.drill['id']}>")
    events = [from_record(e) for e in view.stored()]
    return build_report(scenario, events, drill_id=view.drill["id"], last_hash=examined.result.last_hash,
                        verify_command=verify_command, evidence=examined.evidence())
