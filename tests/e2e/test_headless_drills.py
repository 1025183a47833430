"""Headless drills of every bundled scenario, end to end through the real `drilltui` command.

Each bundled scenario runs from its script in tests/data/scripts/ with a fixed --start-wall;
its export is compared EXACTLY with the event list written out below (derived by hand from the
scenario, the script and the rules of docs/events.md and SCENARIO_FORMAT: deadlines, escalation
one level at a time, releases before expiries at the same moment, script steps after the
drill's own work at the same moment). Every list covers `at` releases, each `after.on` kind the
scenario uses, one branch of each decision taken (the other branches stay unreleased), a manual
contingency release, deadline escalation up the chain of command to a root, and refused
commands, which appear on stderr only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from cli import drilltui

from drilltui.scenario import loads

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "tests" / "data" / "scripts"
BUNDLED = ROOT / "src" / "drilltui" / "data" / "scenarios"
START_WALL = "2026-01-01T09:00:00Z"
W0 = datetime(2026, 1, 1, 9, 0, 0, tzinfo=timezone.utc).timestamp()
M = 60  # drill times below are written as minutes * M + seconds
WALL_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


# -- running the real command ---------------------------------------------------------------




@dataclass
class HeadlessRun:
    drill_id: str
    stdout: str
    stderr: str
    export_text: str
    events: list[dict[str, Any]]


def run_headless(scenario: str, script: Path, db: Path, *extra: str) -> HeadlessRun:
    """`drilltui run --headless` (must exit 0), then `drilltui export --format jsonl` of the new drill."""
    run = drilltui("run", scenario, "--headless", "--script", script, "--db", db, "--start-wall", START_WALL, *extra)
    drill_id = run.stdout.splitlines()[-1]
    exported = drilltui("export", drill_id, "--db", db, "--format", "jsonl").stdout
    events = [json.loads(line) for line in exported.splitlines()]
    return HeadlessRun(drill_id, run.stdout, run.stderr, exported, events)


# -- expected event data, one helper per kind (field names from docs/events.md) --------------


def started(scenario: str, title: str) -> dict[str, Any]:
    return {"scenario": scenario, "title": title}


def released(inject: str, via: str, to_role: str, deadline: float | None) -> dict[str, Any]:
    return {"inject": inject, "via": via, "to_role": to_role, "deadline": deadline}


def acked(inject: str, role: str) -> dict[str, Any]:
    return {"inject": inject, "role": role}


def resolved(inject: str, role: str) -> dict[str, Any]:
    return {"inject": inject, "role": role}


def expired(inject: str, role: str, deadline: float) -> dict[str, Any]:
    return {"inject": inject, "role": role, "deadline": deadline}


def escalated(inject: str, from_role: str, to_role: str, reason: str, deadline: float | None) -> dict[str, Any]:
    return {"inject": inject, "from_role": from_role, "to_role": to_role, "reason": reason, "deadline": deadline}


def decided(inject: str, option: str, role: str, rationale: str = "") -> dict[str, Any]:
    return {"inject": inject, "option": option, "role": role, "rationale": rationale}


def note(text: str, kind: str = "note", inject: str | None = None, role: str | None = None,
         objective: str | None = None, task: str | None = None) -> dict[str, Any]:
    return {"text": text, "kind": kind, "inject": inject, "role": role, "objective": objective, "task": task}


def hotwash(section: str, text: str, objective: str | None = None, corrective_action: str = "",
            owner: str | None = None, due: str = "") -> dict[str, Any]:
    return {"section": section, "text": text, "objective": objective, "corrective_action": corrective_action,
            "owner": owner, "due": due}


SYS = ("system", None)  # the actor of what the drill does by itself


# -- the hash chain, recomputed independently (docs/store.md) --------------------------------


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def genesis(drill_id: str, scenario_text: str, db: Path) -> str:
    """Chain 2's genesis (docs/store.md): the drill's id, scenario id, title and creation time, and the scenario text."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        scenario_id, title, created_at = conn.execute(
            "SELECT scenario_id, title, created_at FROM drill WHERE id = ?", (drill_id,)).fetchone()
    record = {"chain": "drilltui/2", "drill": drill_id, "scenario_id": scenario_id, "title": title,
              "created_at": created_at, "scenario_sha256": sha256_hex(scenario_text)}
    return sha256_hex(json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def event_hash(drill_id: str, e: dict[str, Any], prev_hash: str) -> str:
    body = {
        "drill": drill_id, "seq": e["seq"], "kind": e["kind"], "version": e["version"], "data": e["data"],
        "wall_time": e["wall_time"], "drill_time": float(e["drill_time"]),
        "participant": e["actor"]["participant"], "role": e["actor"]["role"] or "", "prev_hash": prev_hash,
    }
    return sha256_hex(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def rechain(drill_id: str, scenario_text: str, events: list[dict[str, Any]], db: Path) -> list[tuple[str, str]]:
    """(prev_hash, hash) of each event as they must be for `drill_id` (its record in `db`), recomputed from scratch."""
    out, prev = [], genesis(drill_id, scenario_text, db)
    for e in events:
        digest = event_hash(drill_id, e, prev)
        out.append((prev, digest))
        prev = digest
    return out


def wall_iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def clock(t: float) -> str:
    s = int(t)
    return f"T+{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


# -- the expected logs -----------------------------------------------------------------------
# Rows: (seq, kind, drill_time, (participant, role), data).

AI = "ai-lab-weights-exfiltration"
CHEM = "chemical-plant-release"
HOSP = "hospital-ransomware"
GRID = "power-grid-failure"

MORGAN, LINA, KWAME, BEATRIZ, DANA = ("Morgan Ashby", "exdir"), ("Lina Park", "soc"), ("Kwame Mensah", "sec-lead"), \
    ("Beatriz Santos", "sre"), ("Dana Reyes", "ic")
HANNAH, SAMUEL, RENATA = ("Hannah Whitlock", "comms"), ("Samuel Adeyemi", "legal"), ("Dr. Renata Oyelaran", "evaluator")

EXPECTED_AI = [
    (1, "drill_started", 0, MORGAN, started(AI, "Halcyon-4 weights exfiltration from the training cluster")),
    (2, "inject_released", 0, SYS, released("AI-01", "scheduled", "soc", 3 * M)),  # soc's 3m
    (3, "participant_joined", 0, LINA, {"participant": "Lina Park", "role": "soc"}),
    # nobody acknowledges AI-01: it expires at soc and climbs to sec-lead (sec-lead's 5m)
    (4, "inject_expired", 3 * M, SYS, expired("AI-01", "soc", 3 * M)),
    (5, "inject_escalated", 3 * M, SYS, escalated("AI-01", "soc", "sec-lead", "deadline", 8 * M)),
    (6, "inject_released", 5 * M, SYS, released("AI-03", "triggered", "sec-lead", 10 * M)),  # AI-01 expired + 2m
    (7, "inject_acknowledged", 6 * M, KWAME, acked("AI-01", "sec-lead")),
    (8, "inject_acknowledged", 6 * M, KWAME, acked("AI-03", "sec-lead")),
    (9, "inject_released", 10 * M, SYS, released("AI-02", "triggered", "sre", 13 * M)),  # AI-01 acknowledged + 4m
    (10, "inject_acknowledged", 10 * M + 30, BEATRIZ, acked("AI-02", "sre")),
    (11, "inject_resolved", 11 * M, BEATRIZ, resolved("AI-02", "sre")),
    (12, "role_status_changed", 11 * M, BEATRIZ, {"role": "sre", "status": "busy", "task": "Checking shard reads"}),
    (13, "inject_released", 12 * M, SYS, released("AI-04", "scheduled", "sec-lead", 17 * M)),
    (14, "inject_acknowledged", 13 * M, KWAME, acked("AI-04", "sec-lead")),
    (15, "inject_released", 18 * M, SYS, released("AI-05", "scheduled", "ic", 23 * M)),  # its own 5m, not ic's 10m
    (16, "inject_acknowledged", 20 * M, DANA, acked("AI-05", "ic")),
    (17, "decision_taken", 20 * M, DANA, decided("AI-05", "targeted", "ic")),
    # AI-07 (targeted + 5m) before AI-09 at the same moment: MSEL order
    (18, "inject_released", 25 * M, SYS, released("AI-07", "triggered", "soc", 27 * M)),  # its own 2m
    (19, "inject_released", 25 * M, SYS, released("AI-09", "scheduled", "comms", 30 * M)),
    (20, "inject_acknowledged", 26 * M, HANNAH, acked("AI-09", "comms")),
    # AI-07 climbs soc -> sec-lead -> ic: each new deadline is the new holder's ack_within
    (21, "inject_expired", 27 * M, SYS, expired("AI-07", "soc", 27 * M)),
    (22, "inject_escalated", 27 * M, SYS, escalated("AI-07", "soc", "sec-lead", "deadline", 32 * M)),
    (23, "inject_released", 30 * M, SYS, released("AI-10", "scheduled", "legal", 35 * M)),
    (24, "inject_released", 30 * M, MORGAN, released("AI-90", "manual", "sec-lead", 35 * M)),
    (25, "inject_acknowledged", 31 * M, SAMUEL, acked("AI-10", "legal")),
    (26, "inject_acknowledged", 31 * M, KWAME, acked("AI-90", "sec-lead")),
    (27, "inject_escalated", 31 * M, KWAME, escalated("AI-90", "sec-lead", "ic", "manual", 41 * M)),
    (28, "inject_expired", 32 * M, SYS, expired("AI-07", "sec-lead", 32 * M)),
    (29, "inject_escalated", 32 * M, SYS, escalated("AI-07", "sec-lead", "ic", "deadline", 42 * M)),
    (30, "inject_released", 36 * M, SYS, released("AI-11", "scheduled", "ic", 46 * M)),
    (31, "note_added", 37 * M, RENATA, note("IC chose targeted containment without a persistence sweep",
                                             "observation", inject="AI-05", objective="O1")),
    (32, "objective_rated", 38 * M, RENATA,
     {"objective": "O1", "rating": "S", "comment": "Contained by T+20 but missed the DoH channel"}),
    (33, "inject_acknowledged", 40 * M, DANA, acked("AI-11", "ic")),
    (34, "decision_taken", 40 * M, DANA, decided("AI-11", "offline", "ic")),
    # a release and an expiry at the same moment: the release first
    (35, "inject_released", 41 * M, SYS, released("AI-15", "triggered", "comms", 46 * M)),  # AI-09 acknowledged + 15m
    (36, "inject_expired", 41 * M, SYS, expired("AI-90", "ic", 41 * M)),  # at the root: no escalation follows
    (37, "inject_released", 42 * M, SYS, released("AI-12", "triggered", "comms", 47 * M)),  # offline + 2m
    (38, "inject_expired", 42 * M, SYS, expired("AI-07", "ic", 42 * M)),
    (39, "inject_acknowledged", 42 * M, HANNAH, acked("AI-12", "comms")),
    (40, "inject_acknowledged", 42 * M, HANNAH, acked("AI-15", "comms")),
    (41, "inject_resolved", 43 * M, DANA, resolved("AI-07", "ic")),
    (42, "drill_ended", 44 * M, MORGAN, {"reason": "Exercise complete"}),
]

SHARON, DWAYNE, ELISE, ROBERTO = ("Sharon Pike", "exdir"), ("Dwayne Hollis", "control-op"), \
    ("Elise Marchetti", "facility"), ("Roberto Salas", "ic")
KIM, PRIYA, TERRENCE, HELEN = ("Kim Andersen", "ops"), ("Priya Desai", "pio"), ("Terrence Boyd", "hazmat"), \
    ("Capt. (ret.) Helen Draper", "evaluator")

EXPECTED_CHEM = [
    (1, "drill_started", 0, SHARON, started(CHEM, "Chlorine release at the Ridgeline Chemical Port Aldous plant")),
    (2, "inject_released", 0, SYS, released("CR-01", "scheduled", "control-op", 3 * M)),
    (3, "inject_acknowledged", 1 * M, DWAYNE, acked("CR-01", "control-op")),
    (4, "inject_released", 3 * M, SYS, released("CR-02", "triggered", "facility", 8 * M)),  # CR-01 acknowledged + 2m
    (5, "inject_released", 4 * M, SYS, released("CR-04", "scheduled", "ic", 14 * M)),
    (6, "inject_acknowledged", 4 * M, ELISE, acked("CR-02", "facility")),
    (7, "inject_acknowledged", 4 * M, ROBERTO, acked("CR-04", "ic")),
    (8, "inject_released", 10 * M, SYS, released("CR-05", "scheduled", "ic", 20 * M)),
    (9, "inject_acknowledged", 11 * M, ROBERTO, acked("CR-05", "ic")),
    (10, "inject_released", 14 * M, SYS, released("CR-06", "scheduled", "ic", 18 * M)),  # its own 4m
    (11, "inject_released", 15 * M, SHARON, released("CR-90", "manual", "ic", 17 * M)),  # its own 2m
    (12, "inject_acknowledged", 16 * M, ROBERTO, acked("CR-90", "ic")),
    (13, "inject_acknowledged", 17 * M, ROBERTO, acked("CR-06", "ic")),
    (14, "decision_taken", 17 * M, ROBERTO, decided("CR-06", "mixed", "ic")),
    (15, "inject_released", 18 * M, SYS, released("CR-10", "scheduled", "alerting", 21 * M)),  # its own 3m
    (16, "inject_released", 21 * M, SYS, released("CR-09", "triggered", "ops", 26 * M)),  # mixed + 4m
    (17, "inject_expired", 21 * M, SYS, expired("CR-10", "alerting", 21 * M)),
    (18, "inject_escalated", 21 * M, SYS, escalated("CR-10", "alerting", "pio", "deadline", 26 * M)),
    (19, "inject_released", 22 * M, SYS, released("CR-12", "scheduled", "hazmat", 24 * M)),  # its own 2m, not hazmat's 4m
    (20, "inject_released", 23 * M, SYS, released("CR-11", "triggered", "pio", 28 * M)),  # CR-10 expired + 2m
    (21, "inject_acknowledged", 23 * M, KIM, acked("CR-09", "ops")),
    # CR-12 climbs hazmat -> ops -> ic
    (22, "inject_expired", 24 * M, SYS, expired("CR-12", "hazmat", 24 * M)),
    (23, "inject_escalated", 24 * M, SYS, escalated("CR-12", "hazmat", "ops", "deadline", 29 * M)),
    (24, "inject_acknowledged", 24 * M, PRIYA, acked("CR-10", "pio")),
    (25, "inject_acknowledged", 24 * M, PRIYA, acked("CR-11", "pio")),
    (26, "inject_resolved", 24 * M, PRIYA, resolved("CR-10", "pio")),
    (27, "inject_released", 26 * M, SYS, released("CR-13", "scheduled", "facility", 31 * M)),
    (28, "inject_acknowledged", 27 * M, ELISE, acked("CR-13", "facility")),
    (29, "inject_expired", 29 * M, SYS, expired("CR-12", "ops", 29 * M)),
    (30, "inject_escalated", 29 * M, SYS, escalated("CR-12", "ops", "ic", "deadline", 39 * M)),
    (31, "inject_released", 30 * M, SYS, released("CR-15", "scheduled", "pio", 35 * M)),
    (32, "inject_acknowledged", 30 * M, PRIYA, acked("CR-15", "pio")),
    (33, "inject_released", 34 * M, SYS, released("CR-16", "scheduled", "ops", 39 * M)),
    (34, "inject_acknowledged", 34 * M, KIM, acked("CR-16", "ops")),
    (35, "inject_released", 37 * M, SYS, released("CR-14", "triggered", "facility", 42 * M)),  # CR-13 ack + 10m
    (36, "inject_acknowledged", 37 * M, ELISE, acked("CR-14", "facility")),
    (37, "inject_expired", 39 * M, SYS, expired("CR-12", "ic", 39 * M)),  # the root: it stays
    (38, "inject_released", 40 * M, SYS, released("CR-17", "scheduled", "hazmat", 44 * M)),
    (39, "inject_acknowledged", 40 * M, TERRENCE, acked("CR-17", "hazmat")),
    (40, "inject_acknowledged", 40 * M, TERRENCE, acked("CR-12", "hazmat")),
    (41, "hotwash_item_added", 42 * M, HELEN, hotwash("action", "WEA went out late", "O3",
                                                       "Pre-approve WEA templates per zone", "alerting", "2026-03-01")),
    (42, "note_added", 44 * M, ELISE, note("NRC report number 1402217", inject="CR-13", role="facility")),
    # --until 45m: no drill_ended; CR-18 (46m) never comes
]

CAROLYN, JORDAN, VICTOR, AISHA, MARGARET = ("Carolyn Mbeki", "exdir"), ("Jordan Pike", "it-oncall"), \
    ("Victor Lindqvist", "it-lead"), ("Aisha Rahman", "ed-charge"), ("Margaret Osei", "ic")
PATRICK, NATALIE, OMAR, INES = ("Patrick Doyle", "ops"), ("Natalie Brooks", "pio"), ("Omar Haddad", "liaison"), \
    ("Dr. Ines Vasquez", "evaluator")

EXPECTED_HOSP = [
    (1, "clock_speed_changed", 0, CAROLYN, {"factor": 2.0}),
    (2, "drill_started", 0, CAROLYN, started(HOSP, "NightLantern ransomware at St. Brendan Regional Medical Center")),
    (3, "inject_released", 0, SYS, released("HR-01", "scheduled", "it-oncall", 3 * M)),
    (4, "participant_joined", 0, JORDAN, {"participant": "Jordan Pike", "role": "it-oncall"}),
    (5, "inject_expired", 3 * M, SYS, expired("HR-01", "it-oncall", 3 * M)),
    (6, "inject_escalated", 3 * M, SYS, escalated("HR-01", "it-oncall", "it-lead", "deadline", 8 * M)),
    (7, "inject_acknowledged", 4 * M, VICTOR, acked("HR-01", "it-lead")),
    (8, "inject_released", 5 * M, SYS, released("HR-02", "scheduled", "ed-charge", 8 * M)),
    (9, "inject_released", 6 * M, SYS, released("HR-04", "triggered", "it-lead", 11 * M)),  # HR-01 expired + 3m
    (10, "inject_acknowledged", 6 * M, AISHA, acked("HR-02", "ed-charge")),
    (11, "inject_acknowledged", 6 * M, VICTOR, acked("HR-04", "it-lead")),
    (12, "inject_released", 8 * M, SYS, released("HR-05", "scheduled", "ic", 18 * M)),
    (13, "inject_released", 9 * M, SYS, released("HR-03", "triggered", "it-lead", 14 * M)),  # HR-01 ack + 5m
    (14, "inject_acknowledged", 9 * M, MARGARET, acked("HR-05", "ic")),
    (15, "inject_acknowledged", 9 * M, VICTOR, acked("HR-03", "it-lead")),
    (16, "inject_released", 12 * M, SYS, released("HR-06", "scheduled", "it-lead", 17 * M)),
    (17, "inject_resolved", 12 * M, VICTOR, resolved("HR-06", "it-lead")),
    (18, "inject_released", 20 * M, SYS, released("HR-07", "scheduled", "ic", 25 * M)),
    (19, "inject_acknowledged", 22 * M, MARGARET, acked("HR-07", "ic")),
    (20, "decision_taken", 22 * M, MARGARET, decided("HR-07", "partial", "ic")),
    (21, "inject_released", 26 * M, SYS, released("HR-09", "triggered", "ed-charge", 28 * M)),  # partial + 4m; own 2m
    # HR-09 climbs ed-charge -> ops -> ic
    (22, "inject_expired", 28 * M, SYS, expired("HR-09", "ed-charge", 28 * M)),
    (23, "inject_escalated", 28 * M, SYS, escalated("HR-09", "ed-charge", "ops", "deadline", 33 * M)),
    (24, "inject_released", 30 * M, SYS, released("HR-11", "scheduled", "ops", 35 * M)),
    (25, "inject_acknowledged", 30 * M, PATRICK, acked("HR-11", "ops")),
    (26, "inject_expired", 33 * M, SYS, expired("HR-09", "ops", 33 * M)),
    (27, "inject_escalated", 33 * M, SYS, escalated("HR-09", "ops", "ic", "deadline", 43 * M)),
    (28, "inject_released", 35 * M, SYS, released("HR-12", "scheduled", "it-lead", 40 * M)),
    (29, "inject_acknowledged", 35 * M, VICTOR, acked("HR-12", "it-lead")),
    (30, "inject_released", 40 * M, SYS, released("HR-13", "scheduled", "pio", 45 * M)),
    (31, "inject_acknowledged", 41 * M, NATALIE, acked("HR-13", "pio")),
    (32, "inject_expired", 43 * M, SYS, expired("HR-09", "ic", 43 * M)),
    (33, "inject_acknowledged", 44 * M, AISHA, acked("HR-09", "ed-charge")),
    (34, "inject_released", 45 * M, SYS, released("HR-15", "scheduled", "liaison", 50 * M)),
    (35, "inject_acknowledged", 45 * M, OMAR, acked("HR-15", "liaison")),
    (36, "clock_paused", 46 * M, CAROLYN, {"reason": ""}),
    (37, "note_added", 46 * M, INES, note("Facilitated discussion of the diversion decision")),  # at the paused time
    (38, "clock_resumed", 46 * M, CAROLYN, {}),
    (39, "inject_released", 52 * M, SYS, released("HR-16", "scheduled", "it-lead", 57 * M)),
    (40, "inject_acknowledged", 52 * M, VICTOR, acked("HR-16", "it-lead")),
    (41, "inject_released", 60 * M, SYS, released("HR-17", "scheduled", "ic", 70 * M)),
    (42, "inject_released", 61 * M, SYS, released("HR-14", "triggered", "pio", 66 * M)),  # HR-13 ack + 20m
    (43, "inject_acknowledged", 61 * M, MARGARET, acked("HR-17", "ic")),
    (44, "decision_taken", 61 * M, MARGARET, decided("HR-17", "no-pay", "ic")),
    (45, "inject_acknowledged", 61 * M, NATALIE, acked("HR-14", "pio")),
    (46, "inject_released", 62 * M, CAROLYN, released("HR-90", "manual", "ops", 67 * M)),
    (47, "inject_acknowledged", 63 * M, PATRICK, acked("HR-90", "ops")),
    (48, "inject_released", 67 * M, SYS, released("HR-18", "triggered", "it-lead", 72 * M)),  # no-pay + 6m
    (49, "inject_resolved", 67 * M, VICTOR, resolved("HR-18", "it-lead")),
    (50, "drill_ended", 68 * M, CAROLYN, {"reason": "Hotwash"}),
]

GWEN, YESENIA, MARTY, DANIEL, REBECCA = ("Gwen Talbot", "exdir"), ("Yesenia Flores", "operator"), \
    ("Marty Kowalski", "sso"), ("Daniel Okafor", "ops"), ("Rebecca Stroud", "ic")
LUIS, TAMARA, CRAIG, FIONA = ("Luis Carranza", "safety"), ("Tamara Lindgren", "pio"), ("Craig Benson", "dist"), \
    ("Dr. Fiona Aldridge", "evaluator")

EXPECTED_GRID = [
    (1, "drill_started", 0, GWEN, started(GRID, "Dunmore blackout - cascading outage and black-start restoration")),
    (2, "inject_released", 0, SYS, released("PG-01", "scheduled", "operator", 3 * M)),
    # PG-01 is never acknowledged: operator (3m) -> sso (+4m) -> ops (+5m) -> ic (+10m) -> stays at the root
    (3, "inject_released", 3 * M, SYS, released("PG-02", "scheduled", "sso", 5 * M)),  # its own 2m
    (4, "inject_expired", 3 * M, SYS, expired("PG-01", "operator", 3 * M)),
    (5, "inject_escalated", 3 * M, SYS, escalated("PG-01", "operator", "sso", "deadline", 7 * M)),
    (6, "inject_acknowledged", 4 * M, MARTY, acked("PG-02", "sso")),
    (7, "inject_released", 7 * M, SYS, released("PG-03", "scheduled", "ops", 10 * M)),  # its own 3m
    (8, "inject_expired", 7 * M, SYS, expired("PG-01", "sso", 7 * M)),
    (9, "inject_escalated", 7 * M, SYS, escalated("PG-01", "sso", "ops", "deadline", 12 * M)),
    (10, "inject_acknowledged", 9 * M, DANIEL, acked("PG-03", "ops")),
    (11, "decision_taken", 9 * M, DANIEL, decided("PG-03", "redispatch", "ops")),
    (12, "inject_expired", 12 * M, SYS, expired("PG-01", "ops", 12 * M)),
    (13, "inject_escalated", 12 * M, SYS, escalated("PG-01", "ops", "ic", "deadline", 22 * M)),
    (14, "inject_released", 15 * M, SYS, released("PG-05", "triggered", "operator", 16 * M)),  # redispatch + 6m; own 1m
    (15, "inject_acknowledged", 15 * M + 30, YESENIA, acked("PG-05", "operator")),
    (16, "inject_resolved", 16 * M, YESENIA, resolved("PG-05", "operator")),
    (17, "inject_released", 20 * M, SYS, released("PG-06", "scheduled", "operator", 23 * M)),
    (18, "inject_expired", 22 * M, SYS, expired("PG-01", "ic", 22 * M)),  # the root: no escalation
    (19, "inject_expired", 23 * M, SYS, expired("PG-06", "operator", 23 * M)),
    (20, "inject_escalated", 23 * M, SYS, escalated("PG-06", "operator", "sso", "deadline", 27 * M)),
    (21, "inject_acknowledged", 24 * M, MARTY, acked("PG-06", "sso")),
    (22, "inject_released", 25 * M, SYS, released("PG-08", "triggered", "sso", 27 * M)),  # PG-06 expired + 2m
    (23, "inject_acknowledged", 26 * M, MARTY, acked("PG-08", "sso")),
    (24, "inject_released", 27 * M, SYS, released("PG-07", "triggered", "ic", 37 * M)),  # PG-06 ack + 3m
    (25, "inject_acknowledged", 28 * M, REBECCA, acked("PG-07", "ic")),
    (26, "inject_resolved", 28 * M, REBECCA, resolved("PG-01", "ic")),
    (27, "inject_released", 30 * M, SYS, released("PG-09", "scheduled", "liaison", 35 * M)),
    (28, "inject_acknowledged", 30 * M, LUIS, acked("PG-09", "safety")),
    (29, "inject_released", 35 * M, SYS, released("PG-10", "scheduled", "ic", 45 * M)),
    (30, "inject_acknowledged", 36 * M, REBECCA, acked("PG-10", "ic")),
    (31, "decision_taken", 36 * M, REBECCA, decided("PG-10", "neighbor", "ic")),
    (32, "inject_released", 36 * M, GWEN, released("PG-91", "manual", "ic", 46 * M)),
    (33, "inject_acknowledged", 37 * M, REBECCA, acked("PG-91", "ic")),
    (34, "inject_released", 45 * M, SYS, released("PG-14", "scheduled", "pio", 50 * M)),
    (35, "inject_acknowledged", 46 * M, TAMARA, acked("PG-14", "pio")),
    (36, "inject_released", 48 * M, SYS, released("PG-12", "triggered", "sso", 52 * M)),  # neighbor + 12m
    (37, "inject_escalated", 49 * M, MARTY, escalated("PG-12", "sso", "ops", "manual", 54 * M)),
    (38, "inject_acknowledged", 50 * M, DANIEL, acked("PG-12", "ops")),
    (39, "inject_released", 55 * M, SYS, released("PG-16", "scheduled", "dist", 57 * M)),  # its own 2m
    (40, "inject_acknowledged", 56 * M, CRAIG, acked("PG-16", "dist")),
    (41, "objective_rated", 58 * M, FIONA, {"objective": "O3", "rating": "M", "comment": "Hospital not prioritised"}),
    (42, "hotwash_item_added", 58 * M, FIONA, hotwash("strength", "RC directive repeated back verbatim")),
    (43, "drill_ended", 60 * M, GWEN, {"reason": "End of play"}),
]


def hospital_wall(seq: int, t: float) -> float:
    """At 2x speed wall time runs half as fast; the pause (script 46m-48m) adds 2 wall minutes."""
    if seq <= 36:
        return W0 + t / 2
    if seq == 37:  # the step at script time 47m, while paused
        return W0 + 24 * M
    return W0 + 25 * M + (t - 46 * M) / 2


@dataclass(frozen=True)
class Case:
    scenario: str
    expected: list[tuple[int, str, float, tuple[str, str | None], dict[str, Any]]]
    refusals: list[tuple[str, str, str, str]]  # (T+, role, do, what the reason says), in order
    not_released: set[str]  # other decision branches and contingencies never released
    ended: bool
    extra: tuple[str, ...] = ()
    wall: Any = None  # (seq, drill_time) -> epoch; default start + drill_time

    def wall_at(self, seq: int, t: float) -> float:
        return self.wall(seq, t) if self.wall else W0 + t


CASES = {
    AI: Case(AI, EXPECTED_AI, [
        ("T+00:01:00", "observer", "acknowledge", "(observer) may not act on injects"),
        ("T+00:02:00", "comms", "acknowledge", "AI-01 was not sent to comms and is not held below it"),
        ("T+00:06:00", "sec-lead", "acknowledge", "AI-01 was already acknowledged by sec-lead"),
        ("T+00:19:00", "ic", "decide", "'contain' is not an option of AI-05 (cut, targeted, monitor)"),
        ("T+00:20:00", "ic", "decide", "AI-05 was already decided: targeted"),
        ("T+00:30:00", "sec-lead", "release", "(player) may not release injects"),
        ("T+00:43:00", "ic", "escalate", "AI-90 is held by ic, the top of its chain of command"),
    ], {"AI-06", "AI-08", "AI-13", "AI-14", "AI-91"}, ended=True),
    CHEM: Case(CHEM, EXPECTED_CHEM, [
        ("T+00:01:00", "pio", "acknowledge", "CR-01 was not sent to pio and is not held below it"),
        ("T+00:15:00", "evaluator", "release", "(evaluator) may not release injects"),
        ("T+00:16:00", "hazmat", "decide", "CR-06 was not sent to hazmat and is not held below it"),
        ("T+00:17:00", "ic", "decide", "'shelter-in-place' is not an option of CR-06 (shelter, evacuate, mixed)"),
        ("T+00:41:00", "observer", "rate", "(observer) may not rate objectives"),
        ("T+00:41:00", "simcell", "acknowledge", "(simcell) may not act on injects"),
    ], {"CR-07", "CR-08", "CR-91"}, ended=False, extra=("--until", "45m")),
    HOSP: Case(HOSP, EXPECTED_HOSP, [
        ("T+00:12:00", "it-lead", "decide", "HR-06 asks for no decision"),
        ("T+00:21:00", "ops", "decide", "HR-07 was not sent to ops and is not held below it"),
        ("T+00:22:00", "ic", "decide", "HR-07 was already decided: partial"),
        ("T+01:02:00", "ed-charge", "release", "(player) may not release injects"),
    ], {"HR-08", "HR-10", "HR-19", "HR-20", "HR-91"}, ended=True, wall=hospital_wall),
    GRID: Case(GRID, EXPECTED_GRID, [
        ("T+00:08:00", "operator", "decide", "PG-03 was not sent to operator and is not held below it"),
        ("T+00:08:00", "observer", "status", "(observer) may not act on injects"),
        ("T+00:36:00", "ic", "decide", "'neighbour' is not an option of PG-10 (hydro, neighbor, parallel)"),
        ("T+00:36:00", "dist", "release", "(player) may not release injects"),
        ("T+00:50:00", "ops", "acknowledge", "PG-12 was already acknowledged by ops"),
        ("T+00:58:00", "evaluator", "rate", "rating 'X' is not one of P, S, M, U"),
    ], {"PG-04", "PG-11", "PG-13", "PG-90"}, ended=True),
}


# -- fixtures: each scenario runs once, all into one database --------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("headless") / "drills.db"


@pytest.fixture(scope="module")
def runs(db: Path) -> dict[str, HeadlessRun]:
    return {name: run_headless(name, SCRIPTS / f"{name}.yaml", db, *case.extra) for name, case in CASES.items()}


def scenario_text(name: str) -> str:
    return (BUNDLED / f"{name}.yaml").read_bytes().decode("utf-8")


# -- the tests -------------------------------------------------------------------------------


def test_every_bundled_scenario_has_a_script() -> None:
    # The exact logs below cover the first four; the AI-lab library is played in test_library_drills.py.
    bundled = {p.stem for p in BUNDLED.glob("*.yaml")}
    assert set(CASES) <= bundled
    assert all((SCRIPTS / f"{name}.yaml").is_file() for name in bundled)


@pytest.mark.parametrize("name", sorted(CASES))
def test_export_is_exactly_the_expected_log(runs: dict[str, HeadlessRun], name: str) -> None:
    case, events = CASES[name], runs[name].events
    got = [(e["seq"], e["kind"], e["drill_time"], (e["actor"]["participant"], e["actor"]["role"]), e["data"])
           for e in events]
    assert got == case.expected
    for e in events:
        assert set(e) == {"seq", "kind", "version", "wall_time", "drill_time", "actor", "data", "prev_hash", "hash"}
        assert e["version"] == 1
        assert isinstance(e["drill_time"], float)
        assert WALL_RE.match(e["wall_time"]), e
        assert e["wall_time"] == wall_iso(case.wall_at(e["seq"], e["drill_time"])), e
    drill_times = [e["drill_time"] for e in events]
    assert drill_times == sorted(drill_times)


@pytest.mark.parametrize("name", sorted(CASES))
def test_other_branches_are_never_released(runs: dict[str, HeadlessRun], name: str) -> None:
    out = {e["data"]["inject"] for e in runs[name].events if e["kind"] == "inject_released"}
    assert not out & CASES[name].not_released
    # and what was released, was released once
    assert len(out) == sum(e["kind"] == "inject_released" for e in runs[name].events)


@pytest.mark.parametrize("name", sorted(CASES))
def test_deadline_escalations_follow_the_rules(runs: dict[str, HeadlessRun], name: str) -> None:
    """Cross-check of the hand-written lists against SCENARIO_FORMAT's rules, event by event."""
    scenario = loads(scenario_text(name))
    events = runs[name].events
    holder: dict[str, str] = {}
    deadline: dict[str, float | None] = {}
    for i, e in enumerate(events):
        d, t = e["data"], e["drill_time"]
        if e["kind"] == "inject_released":
            inject = scenario.inject(d["inject"])
            within = inject.ack_within if inject.ack_within is not None else scenario.role(inject.to[0]).ack_within
            assert d["to_role"] == inject.to[0] and d["deadline"] == (None if within is None else t + within)
            holder[d["inject"]], deadline[d["inject"]] = d["to_role"], d["deadline"]
        elif e["kind"] in ("inject_acknowledged", "decision_taken", "inject_resolved"):
            deadline[d["inject"]] = None
        elif e["kind"] == "inject_expired":
            assert e["actor"] == {"participant": "system", "role": None}
            assert (d["role"], d["deadline"], t) == (holder[d["inject"]], deadline[d["inject"]], deadline[d["inject"]])
            up = scenario.role(d["role"]).reports_to
            follows = events[i + 1] if i + 1 < len(events) else None
            if up is None:  # a root: the item stays
                assert not (follows and follows["kind"] == "inject_escalated" and follows["data"]["inject"] == d["inject"])
            else:
                assert follows is not None and follows["kind"] == "inject_escalated"
                assert follows["data"]["reason"] == "deadline" and follows["drill_time"] == t
            deadline[d["inject"]] = None
        elif e["kind"] == "inject_escalated":
            inject = scenario.inject(d["inject"])
            assert d["from_role"] == holder[d["inject"]]
            assert d["to_role"] == scenario.role(d["from_role"]).reports_to  # one level at a time
            role_within = scenario.role(d["to_role"]).ack_within
            within = role_within if role_within is not None else inject.ack_within
            assert d["deadline"] == (None if within is None else t + within)
            holder[d["inject"]], deadline[d["inject"]] = d["to_role"], d["deadline"]
    assert any(e["kind"] == "inject_escalated" and e["data"]["reason"] == "deadline" for e in events)


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_commands_are_on_stderr_only(runs: dict[str, HeadlessRun], name: str) -> None:
    case, run = CASES[name], runs[name]
    script = SCRIPTS / f"{name}.yaml"
    marked = [n for n, line in enumerate(script.read_text().splitlines(), 1) if "# refused" in line]
    lines = run.stderr.splitlines()
    assert len(lines) == len(case.refusals) == len(marked), run.stderr
    for line, lineno, (when, role, do, reason) in zip(lines, marked, case.refusals):
        prefix = f"{script}:{lineno}: {when} {role} {do}: refused: "
        assert line.startswith(prefix), (line, prefix)
        assert reason in line[len(prefix):], (line, reason)
    # stdout: one line per logged event, as it is logged, then the drill id
    out = run.stdout.splitlines()
    assert out[-1] == run.drill_id and re.fullmatch(rf"{name}-\d{{8}}-\d{{4}}(-\d+)?", run.drill_id)
    assert len(out) == len(run.events) + 1
    for line, e in zip(out, run.events):
        actor = e["actor"]["role"] or "system"
        assert line.split()[:3] == [clock(e["drill_time"]), e["kind"], actor], line


@pytest.mark.parametrize("name", sorted(CASES))
def test_hash_chain_links_and_verifies(runs: dict[str, HeadlessRun], db: Path, name: str) -> None:
    run = runs[name]
    assert all(HEX64.match(e["hash"]) and HEX64.match(e["prev_hash"]) for e in run.events)
    # the genesis hash binds the chain to the drill id and the scenario text, verbatim
    assert run.events[0]["prev_hash"] == genesis(run.drill_id, scenario_text(name), db)
    for before, after in zip(run.events, run.events[1:]):
        assert after["prev_hash"] == before["hash"]
    assert [(e["prev_hash"], e["hash"]) for e in run.events] == rechain(run.drill_id, scenario_text(name), run.events, db)
    result = drilltui("verify", run.drill_id, "--db", db)
    assert result.stdout.strip() == (f"{run.drill_id}: ok, {len(run.events)} events, chain intact; "
                                     f"last hash {run.events[-1]['hash']}")


def test_drills_lists_every_drill(runs: dict[str, HeadlessRun], db: Path) -> None:
    listing = drilltui("drills", "--db", db).stdout.splitlines()
    assert listing[0].split() == ["DRILL", "SCENARIO", "STARTED", "STATE", "EVENTS"]
    rows = {line.split()[0]: line.split() for line in listing[1:]}
    assert len(rows) == len(CASES)
    for name, run in runs.items():
        row = rows[run.drill_id]
        assert row[1] == name
        assert row[2:4] == ["2026-01-01", "09:00:00"]  # when the drill started, on the virtual clock
        assert row[4] == ("ended" if CASES[name].ended else "running")
        assert row[5] == str(len(run.events))


def test_csv_export_matches_the_jsonl_export(runs: dict[str, HeadlessRun], db: Path) -> None:
    run = runs[AI]
    text = drilltui("export", run.drill_id, "--db", db, "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["seq", "kind", "version", "wall_time", "drill_time", "participant", "role", "inject",
                       "option", "from_role", "to_role", "data", "prev_hash", "hash"]
    assert len(rows) == len(run.events) + 1
    for row, e in zip(rows[1:], run.events):
        d = e["data"]
        assert row == [
            str(e["seq"]), e["kind"], "1", e["wall_time"], repr(e["drill_time"]), e["actor"]["participant"],
            e["actor"]["role"] or "", d.get("inject") or "", d.get("option", ""), d.get("from_role", ""),
            d.get("to_role", ""), row[11], e["prev_hash"], e["hash"],
        ]
        assert json.loads(row[11]) == d
    # a few rows in full, as a spreadsheet user sees them
    assert rows[5][:11] == ["5", "inject_escalated", "1", "2026-01-01T09:03:00.000000Z", "180.0", "system", "",
                            "AI-01", "", "soc", "sec-lead"]
    assert rows[17][:11] == ["17", "decision_taken", "1", "2026-01-01T09:20:00.000000Z", "1200.0", "Dana Reyes",
                             "ic", "AI-05", "targeted", "", ""]


def test_a_fixed_start_wall_is_reproducible(runs: dict[str, HeadlessRun], tmp_path: Path) -> None:
    first = runs[AI]
    second = run_headless(AI, SCRIPTS / f"{AI}.yaml", tmp_path / "again.db")
    # everything printed is the same but the drill id on the last line
    assert second.stdout.splitlines()[:-1] == first.stdout.splitlines()[:-1]
    assert second.stderr == first.stderr

    def unhashed(text: str) -> str:
        return re.sub(r'"(prev_hash|hash)": "[0-9a-f]{64}"', r'"\1": ""', text)

    # the export is the same to the byte, hashes aside ...
    assert unhashed(second.export_text) == unhashed(first.export_text)
    # ... and the hashes differ only through the drill's record (its id and creation time) in the
    # genesis hash: the first run's events, chained under the second drill, give exactly its hashes.
    chained = rechain(second.drill_id, scenario_text(AI), first.events, tmp_path / "again.db")
    assert chained == [(e["prev_hash"], e["hash"]) for e in second.events]
    if second.drill_id == first.drill_id:  # two runs in the same minute, two files: the very same bytes
        assert second.export_text == first.export_text
    else:
        assert second.events[0]["prev_hash"] != first.events[0]["prev_hash"]


# -- the trigger kinds and deadline rules the bundled scenarios do not use -------------------

TRIGGERS_SCENARIO = """\
format: drilltui/1
id: trigger-chain
title: Triggers on released, escalated, expired, acknowledged and resolved
duration: 30m
roles:                      # no controller: the implicit exercise-control role runs the drill
  - id: lead
    title: Duty lead
    holder: Lee Lead
  - id: mid
    title: Shift supervisor   # no holder, no ack_within
    reports_to: lead
  - id: desk
    title: Desk officer
    holder: Dee Desk
    reports_to: mid
    ack_within: 1m
  - id: watcher
    title: Watcher
    kind: observer
injects:
  - id: X-1
    at: 1m
    to: [desk]
    title: First alarm
    ack_within: 2m          # overrides desk's 1m; and the fallback when a holder has no ack_within
  - id: X-2
    after: {inject: X-1, on: released, delay: 30s}
    to: [mid]
    title: Supervisor copy
  - id: X-3
    after: {inject: X-1, on: escalated}
    to: [lead]
    title: Lead paged
  - id: X-4
    after: {inject: X-1, on: resolved, delay: 1m}
    to: [desk]
    title: Stand down
  - id: X-5
    after: {inject: X-3, on: acknowledged}
    to: [desk]
    title: Lead's instructions
  - id: X-6
    after: {inject: X-1, on: expired, delay: 10s}
    to: [lead]
    title: Missed alarm report
"""

TRIGGERS_SCRIPT = """\
- {at: 0s, as: exercise-control, do: start}
- {at: 2m50s, as: watcher, do: acknowledge, inject: X-1}   # refused
- {at: 8m, as: lead, do: acknowledge, inject: X-3}
- {at: 8m, as: lead, do: resolve, inject: X-1}
- {at: 9m30s, as: desk, do: acknowledge, inject: X-4}
- {at: 10m, as: desk, do: resolve, inject: X-2}            # refused: held above desk, not below
- {at: 10m, as: lead, do: resolve, inject: X-2}
- {at: 11m, as: exercise-control, do: end}
"""

CONTROL = ("exercise-control", "exercise-control")
LEE, DEE = ("Lee Lead", "lead"), ("Dee Desk", "desk")

EXPECTED_TRIGGERS = [
    (1, "drill_started", 0, CONTROL, started("trigger-chain", "Triggers on released, escalated, expired, acknowledged and resolved")),
    (2, "inject_released", 1 * M, SYS, released("X-1", "scheduled", "desk", 3 * M)),  # its own 2m, not desk's 1m
    (3, "inject_released", 1 * M + 30, SYS, released("X-2", "triggered", "mid", None)),  # no ack_within anywhere
    (4, "inject_expired", 3 * M, SYS, expired("X-1", "desk", 3 * M)),
    (5, "inject_escalated", 3 * M, SYS, escalated("X-1", "desk", "mid", "deadline", 5 * M)),  # mid has none: X-1's 2m
    (6, "inject_released", 3 * M, SYS, released("X-3", "triggered", "lead", None)),  # on the first escalation
    (7, "inject_released", 3 * M + 10, SYS, released("X-6", "triggered", "lead", None)),  # on the first expiry
    (8, "inject_expired", 5 * M, SYS, expired("X-1", "mid", 5 * M)),
    (9, "inject_escalated", 5 * M, SYS, escalated("X-1", "mid", "lead", "deadline", 7 * M)),  # not a second X-3
    (10, "inject_expired", 7 * M, SYS, expired("X-1", "lead", 7 * M)),  # the root; not a second X-6
    (11, "inject_acknowledged", 8 * M, LEE, acked("X-3", "lead")),
    (12, "inject_released", 8 * M, SYS, released("X-5", "triggered", "desk", 9 * M)),  # no delay: at once, before the next step
    (13, "inject_resolved", 8 * M, LEE, resolved("X-1", "lead")),
    (14, "inject_released", 9 * M, SYS, released("X-4", "triggered", "desk", 10 * M)),  # resolved + 1m, before X-5's expiry
    (15, "inject_expired", 9 * M, SYS, expired("X-5", "desk", 9 * M)),
    (16, "inject_escalated", 9 * M, SYS, escalated("X-5", "desk", "mid", "deadline", None)),  # neither mid nor X-5 has one
    (17, "inject_acknowledged", 9 * M + 30, DEE, acked("X-4", "desk")),
    (18, "inject_resolved", 10 * M, LEE, resolved("X-2", "lead")),
    (19, "drill_ended", 11 * M, CONTROL, {"reason": ""}),
]


def test_trigger_kinds_and_deadline_fallbacks(tmp_path: Path) -> None:
    scenario, script, db = tmp_path / "trigger-chain.yaml", tmp_path / "script.yaml", tmp_path / "t.db"
    scenario.write_text(TRIGGERS_SCENARIO)
    script.write_text(TRIGGERS_SCRIPT)
    run = run_headless(str(scenario), script, db)
    got = [(e["seq"], e["kind"], e["drill_time"], (e["actor"]["participant"], e["actor"]["role"]), e["data"])
           for e in run.events]
    assert got == EXPECTED_TRIGGERS
    assert [e["wall_time"] for e in run.events] == [wall_iso(W0 + e["drill_time"]) for e in run.events]
    assert run.stderr.splitlines() == [
        f"{script}:2: T+00:02:50 watcher acknowledge: refused: Watcher (observer) may not act on injects",
        f"{script}:6: T+00:10:00 desk resolve: refused: X-2 was not sent to desk and is not held below it "
        "in the chain of command",
    ]
    assert run.events[0]["prev_hash"] == genesis(run.drill_id, TRIGGERS_SCENARIO, db)
    assert [(e["prev_hash"], e["hash"]) for e in run.events] == rechain(run.drill_id, TRIGGERS_SCENARIO, run.events, db)
    drilltui("verify", run.drill_id, "--db", db)


PAUSE_SCRIPT = """\
- {at: 0s, as: exdir, do: start}
- {at: 11m, as: exdir, do: pause}
- {at: 13m, as: exdir, do: resume}
- {at: 13m, as: sec-lead, do: acknowledge, inject: AI-04}
- {at: 14m, as: exdir, do: end}
"""


def test_steps_after_a_resume_run_at_their_drill_time(tmp_path: Path) -> None:
    """Paused T+11:00 to script 13m: drill time then runs on from T+11:00 at 09:13."""
    script = tmp_path / "pause.yaml"
    script.write_text(PAUSE_SCRIPT)
    run = run_headless(AI, script, tmp_path / "p.db")
    paused = next(i for i, e in enumerate(run.events) if e["kind"] == "clock_paused")
    tail = [(e["kind"], e["drill_time"], e["wall_time"], e["data"].get("inject")) for e in run.events[paused:]]
    assert tail == [
        ("clock_paused", 11 * M, "2026-01-01T09:11:00.000000Z", None),
        ("clock_resumed", 11 * M, "2026-01-01T09:13:00.000000Z", None),
        ("inject_released", 12 * M, "2026-01-01T09:14:00.000000Z", "AI-04"),
        ("inject_acknowledged", 13 * M, "2026-01-01T09:15:00.000000Z", "AI-04"),
        ("drill_ended", 14 * M, "2026-01-01T09:16:00.000000Z", None),
    ]
    assert run.stderr == ""
