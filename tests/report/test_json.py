"""The JSON report: stable, parseable, and every field documented in docs/report-json.md."""

from __future__ import annotations

import json
import re
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import get_type_hints

from drilltui.engine.activity import Activity, ActivityLog
from drilltui.report import Report, build_report, render_json, report_to_dict
from drilltui.report import model as m
from drilltui.scenario import Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "report-json.md"


def test_figures(report: Report) -> None:
    d = json.loads(render_json(report))
    assert d["format"] == "drilltui-report/1"
    o = d["overview"]
    assert (o["drill_id"], o["status"], o["date"], o["drill_seconds"], o["wall_seconds"], o["paused_wall_seconds"]) == (
        "d-7f3a", "ended", "2027-01-15", 720.0, 675.0, 120.0)
    assert o["ended"] == {"drill_time": 720.0, "drill_clock": "T+00:12:00", "wall_time": "2027-01-15T08:11:15.000000Z"}
    assert o["pauses"][0]["wall_seconds"] == 120.0 and o["pauses"][0]["resumed"]["wall_time"] == "2027-01-15T08:05:30.000000Z"
    assert [(s["from_factor"], s["to_factor"], s["wall_seconds"]) for s in o["speed_changes"]] == [(1.0, 2.0, 165.0), (2.0, 1.0, 180.0)]
    assert o["totals"]["escalations"] == 3

    injects = {i["id"]: i for i in d["injects"]}
    assert list(injects) == ["I-1", "I-3", "I-2", "I-5", "I-6", "I-4"]
    i5 = injects["I-5"]
    assert (i5["ack_seconds"], i5["resolve_seconds"], i5["top_level"], i5["chain"]) == (240.0, 390.0, 1, ["soc", "lead"])
    assert i5["acknowledgements"][0]["since_received_seconds"] == 120.0
    assert i5["escalations"][0]["deadline"] == {"drill_time": 720.0, "drill_clock": "T+00:12:00", "wall_time": None}
    assert i5["expirations"][0]["at"]["drill_clock"] == "T+00:07:00"
    assert [(x["level"], x["to_role"]) for x in injects["I-6"]["escalations"]] == [(1, "lead"), (2, "ic")]
    assert injects["I-4"]["status"] == "not reached" and injects["I-4"]["release"] is None
    assert injects["I-3"]["release"]["cause"] == "I-1 decision:isolate"

    roles = {r["role"]: r for r in d["roles"]}
    assert (roles["lead"]["median_ack_seconds"], roles["lead"]["worst_ack_seconds"], roles["lead"]["received"]) == (105.0, 120.0, 3)
    assert roles["ic"]["median_ack_seconds"] == 37.5

    assert [(o["id"], o["rating"] and o["rating"]["rating"]) for o in d["objectives"]] == [("O1", "S"), ("O2", "P"), ("O3", None)]
    assert d["decisions"][0]["branches"][1] == {
        "option": "watch", "label": "Keep watching", "taken": False,
        "injects": [{"inject": "I-4", "title": "Second spike", "released": None}],
    }
    assert d["improvement_plan"][0]["capability"] == "Operational Coordination"
    assert d["integrity"] == {
        "event_count": 40, "first_seq": 1, "last_seq": 40, "last_hash": "ab" * 32,
        "scenario_sha256": d["integrity"]["scenario_sha256"], "verify_command": "drilltui verify d-7f3a --db /srv/drills/drills.db",
    }
    assert len(d["integrity"]["scenario_sha256"]) == 64


def test_text_is_kept_verbatim(report: Report) -> None:
    d = report_to_dict(report)
    assert d["overview"]["scenario_title"] == 'Outbound <script>alert("x")</script> & exfiltration'


def test_stable_bytes(report: Report, scenario: Scenario, events: list) -> None:
    again = build_report(scenario, events, drill_id="d-7f3a", last_hash="ab" * 32,
                         verify_command="drilltui verify d-7f3a --db /srv/drills/drills.db")
    assert render_json(again) == render_json(report)
    assert list(report_to_dict(report)) == ["format", "overview", "objectives", "strengths", "improvements", "observations",
                                            "injects", "decisions", "roles", "improvement_plan", "notes", "integrity",
                                            "chain_evidence", "summary", "expectations", "corrections", "activity_logs"]


# Each object type of the JSON, as docs/report-json.md names it under `### `name``.
DOC_NAMES = {
    m.Report: "report", m.Overview: "overview", m.RoleParticipants: "participant", m.Pause: "pause",
    m.SpeedChange: "speed_change", m.Totals: "totals", m.ObjectiveResult: "objective", m.Rating: "rating",
    m.Evidence: "evidence", m.NoteEntry: "note", m.InjectTimeline: "inject", m.Release: "release",
    m.Acknowledgement: "acknowledgement", m.Escalation: "escalation", m.Expiry: "expiry", m.DecisionMade: "decision", m.Resolution: "resolution",
    m.DecisionPoint: "decision_point", m.Branch: "branch", m.BranchInject: "branch_inject", m.RoleFigures: "role",
    m.Finding: "finding", m.PlanItem: "plan_item", m.Integrity: "integrity", m.Moment: "time",
    m.ChainEvidence: "chain_evidence", m.Attestation: "attestation", m.Summary: "summary",
    m.ObjectiveSummary: "objective_summary", m.ExpectationResult: "expectation", m.MarkResult: "mark",
    m.TaskResult: "task", m.CorrectionEntry: "correction",
    m.Rehearsal: "rehearsal", m.RoleResponse: "role_response", m.DecisionChoice: "decision_choice",
    ActivityLog: "activity_log", Activity: "activity",
}


def _documented() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if found := re.match(r"^### `([a-z_]+)`", line):
            current = found.group(1)
            out[current] = []
        elif line.startswith("## "):
            current = None
        elif current and (found := re.match(r"^\| `([a-z0-9_]+)` \|", line)):
            out[current].append(found.group(1))
    return out


def _reachable(cls: type, seen: set[type]) -> set[type]:
    if cls in seen:
        return seen
    seen.add(cls)
    for hint in get_type_hints(cls).values():
        for arg in [hint, *typing.get_args(hint), *(a for x in typing.get_args(hint) for a in typing.get_args(x))]:
            if is_dataclass(arg) and isinstance(arg, type):
                _reachable(arg, seen)
    return seen


def test_every_field_is_documented_in_order() -> None:
    documented = _documented()
    assert _reachable(m.Report, set()) == set(DOC_NAMES)
    for cls, name in DOC_NAMES.items():
        want = ["drill_time", "drill_clock", "wall_time"] if cls is m.Moment else [f.name for f in fields(cls)]
        assert documented.get(name) == want, f"docs/report-json.md, ### `{name}`"


def test_documented_times_match_the_json(report: Report) -> None:
    d = report_to_dict(report)
    assert list(d["overview"]["started"]) == ["drill_time", "drill_clock", "wall_time"]
