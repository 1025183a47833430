"""The bundled AI-lab drill library, end to end through the real `drilltui` command.

Each drill runs headless from a script in tests/data/scripts/ that plays it well; the tests check
the branches its decisions took (and that the others never fired), that its key expectations were
met from the log, that the regulator's report was filed before the drill's scaled deadline, and
that `drilltui report` renders the result. Each drill also runs with an empty script and with
nobody playing (only the start), which must log nothing but what the drill does by itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cli import drilltui, drilltui_process

from drilltui.scenario import load

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "tests" / "data" / "scripts"
BUNDLED = ROOT / "src" / "drilltui" / "data" / "scenarios"
START_WALL = "2026-01-01T09:00:00Z"
M = 60


@dataclass(frozen=True)
class Drill:
    decisions: dict[str, str]  # inject -> the option the script takes
    branches: set[str]  # injects only those decisions release
    not_released: set[str]  # the other branches and the contingencies
    key: dict[str, str]  # expectation -> the role whose action must meet it
    deadline: tuple[str, int] = ("", 0)  # the report-filing expectation and the drill time it must be met by
    ratings: dict[str, str] = field(default_factory=dict)


LIBRARY = {
    "ai-lab-capability-threshold": Drill(
        {"TH-02": "rerun", "TH-08": "staged"}, {"TH-03", "TH-10"},
        {"TH-04", "TH-05", "TH-09", "TH-11", "TH-90", "TH-91"},
        {"TH-02.a": "evals", "TH-03.a": "cro", "TH-08.a": "cro", "TH-13.a": "policy", "TH-17.a": "auditor"},
        ratings={"O1": "P", "O2": "S", "O3": "P", "O4": "S", "O5": "P"}),
    "ai-lab-infrastructure-attack": Drill(
        {"CI-03": "suspend", "CI-08": "two-day"}, {"CI-04", "CI-09"},
        {"CI-05", "CI-06", "CI-10", "CI-11", "CI-90", "CI-91"},
        {"CI-02.a": "ti", "CI-03.a": "ic", "CI-08.a": "legal", "CI-12.a": "legal", "CI-17.a": "ti"},
        deadline=("CI-12.a", 50 * M)),  # Measure 9.3(1): two days after awareness at T+10, a day to 20 minutes
    "ai-lab-agent-unsanctioned-actions": Drill(
        {"AG-05": "stop-all", "AG-10": "report", "AG-16": "scoped"}, {"AG-06", "AG-11", "AG-17"},
        {"AG-07", "AG-08", "AG-12", "AG-13", "AG-18", "AG-19", "AG-90", "AG-91"},
        {"AG-02.a": "agentops", "AG-05.a": "ic", "AG-09.a": "secops", "AG-10.a": "legal", "AG-11.a": "legal",
         "AG-16.a": "cto"},
        deadline=("AG-11.a", 95 * M)),  # Measure 9.3(2): five days after awareness at T+20, a day to 15 minutes
    "ai-lab-serious-incident-report": Drill(
        {"SI-02": "open", "SI-08": "preserve", "SI-13": "now"}, {"SI-03", "SI-09", "SI-14"},
        {"SI-04", "SI-05", "SI-10", "SI-11", "SI-15", "SI-16", "SI-90", "SI-91"},
        {"SI-02.a": "irl", "SI-08.a": "partner", "SI-13.a": "reg", "SI-21.a": "reg", "SI-20.a": "auditor"},
        deadline=("SI-21.a", 80 * M)),  # Measure 9.3(3): ten days after awareness at T+0, a day to 8 minutes
}


@dataclass
class Played:
    drill_id: str
    db: Path
    stdout: str
    stderr: str
    events: list[dict[str, Any]]
    report: dict[str, Any]


def play(name: str, script: Path, db: Path) -> Played:
    run = drilltui("run", name, "--headless", "--script", script, "--db", db, "--start-wall", START_WALL, check=True)
    drill_id = run.stdout.splitlines()[-1]
    exported = drilltui("export", drill_id, "--db", db, "--format", "jsonl", check=True).stdout
    out = db.parent / f"{db.stem}.json"
    drilltui("report", drill_id, "--db", db, "--format", "json", "-o", out, check=True)
    return Played(drill_id, db, run.stdout, run.stderr, [json.loads(line) for line in exported.splitlines()],
                  json.loads(out.read_text()))


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Played]:
    folder = tmp_path_factory.mktemp("library")
    return {name: play(name, SCRIPTS / f"{name}.yaml", folder / f"{name}.db") for name in LIBRARY}


def released(p: Played) -> dict[str, str]:
    return {e["data"]["inject"]: e["data"]["via"] for e in p.events if e["kind"] == "inject_released"}


# -- the library is there, and valid ----------------------------------------------------------


def test_every_bundled_ai_lab_drill_but_the_first_is_in_the_library() -> None:
    ai_labs = {p.stem for p in BUNDLED.glob("*.yaml") if load(p).domain == "ai-lab"}
    assert ai_labs - {"ai-lab-weights-exfiltration"} == set(LIBRARY)


def test_the_library_validates_with_the_installed_command() -> None:
    result = drilltui_process("validate", *(BUNDLED / f"{name}.yaml" for name in sorted(LIBRARY)), check=True)
    lines = result.stdout.splitlines()
    assert len(lines) == len(LIBRARY) and all(": ok (" in line for line in lines), result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_drill_names_its_field_threat_sponsor_and_requirements(name: str) -> None:
    scenario = load(BUNDLED / f"{name}.yaml")
    assert scenario.domain == "ai-lab"
    assert scenario.threat and scenario.sponsor and "(fictional)" in scenario.sponsor
    assert "Code of Practice" in scenario.summary and "Time compression" in scenario.summary
    kinds = {r.kind for r in scenario.roles}
    assert {"controller", "simcell", "evaluator", "observer", "player"} <= kinds
    assert any("Internal Audit" in r.title for r in scenario.roles)  # the independent assurance role
    assert sum(r.reports_to is None and r.kind == "player" for r in scenario.roles) >= 2  # executives and the board
    assert any(i.manual for i in scenario.injects)


# -- a well-played drill ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_a_well_played_drill_takes_its_planned_branches(played: dict[str, Played], name: str) -> None:
    drill, p = LIBRARY[name], played[name]
    assert p.stderr == ""  # nothing the script does is refused
    decisions = {e["data"]["inject"]: e["data"]["option"] for e in p.events if e["kind"] == "decision_taken"}
    assert decisions == drill.decisions
    out = released(p)
    assert drill.branches <= set(out) and all(out[i] == "triggered" for i in drill.branches)
    assert not drill.not_released & set(out)
    assert "manual" not in out.values()  # it was played well: no contingency was needed
    assert p.events[-1]["kind"] == "drill_ended"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_its_key_expectations_are_met_from_the_log(played: dict[str, Played], name: str) -> None:
    drill, report = LIBRARY[name], played[name].report
    scored = {x["id"]: x for x in report["expectations"]}
    for expectation, role in drill.key.items():
        x = scored[expectation]
        assert (x["status"], x["settled_by"], x["met_by_role"]) == ("met", "log", role), x
        assert x["met"] is not None and x["overridden"] is False
    summary = report["summary"]
    assert summary["met"] == summary["expectations"] and summary["missed"] == summary["open"] == 0


@pytest.mark.parametrize("name", sorted(n for n, d in LIBRARY.items() if d.deadline[0]))
def test_the_regulator_report_is_filed_before_the_scaled_deadline(played: dict[str, Played], name: str) -> None:
    expectation, by = LIBRARY[name].deadline
    x = next(x for x in played[name].report["expectations"] if x["id"] == expectation)
    assert x["when"] == "resolved"
    filed = next(e["drill_time"] for e in played[name].events
                 if e["kind"] == "inject_resolved" and e["data"]["inject"] == x["inject"])
    assert filed <= by
    assert x["due"] is not None


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_the_report_renders_the_drill(played: dict[str, Played], name: str, tmp_path: Path) -> None:
    p, scenario = played[name], load(BUNDLED / f"{name}.yaml")
    markdown = drilltui("report", p.drill_id, "--db", p.db, check=True).stdout
    assert scenario.title in markdown and scenario.threat in markdown and scenario.sponsor in markdown
    html = tmp_path / "report.html"
    drilltui("report", p.drill_id, "--db", p.db, "--format", "html", "-o", html, check=True)
    assert scenario.title.replace("&", "&amp;") in html.read_text()
    if LIBRARY[name].ratings:
        ratings = {o["id"]: o["rating"] for o in p.report["summary"]["objectives"]}
        assert ratings == LIBRARY[name].ratings


# -- nobody playing ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_an_empty_script_runs_without_errors(name: str, tmp_path: Path) -> None:
    script = tmp_path / "empty.yaml"
    script.write_text("[]\n")
    run = drilltui("run", name, "--headless", "--script", script, "--db", tmp_path / "d.db", check=True)
    assert run.stderr == ""
    assert run.stdout.splitlines()[-1].startswith(f"{name}-")
    assert drilltui("report", run.stdout.splitlines()[-1], "--db", tmp_path / "d.db").returncode == 0


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_a_drill_nobody_plays_climbs_the_chain_and_fires_no_branch(name: str, tmp_path: Path) -> None:
    script = tmp_path / "start.yaml"
    script.write_text("- {at: 0s, as: exdir, do: start}\n")
    p = play(name, script, tmp_path / "d.db")
    assert p.stderr == ""
    out = released(p)
    drill = LIBRARY[name]
    assert not (drill.branches | drill.not_released) & set(out)  # no decision, so no branch; no contingency
    scenario = load(BUNDLED / f"{name}.yaml")
    assert set(out) == {i.id for i in scenario.injects if i.at is not None}  # every timed inject, nothing else
    climbs = [e for e in p.events if e["kind"] == "inject_escalated"]
    assert climbs and all(e["data"]["reason"] == "deadline" for e in climbs)
    roots = {r.id for r in scenario.roles if r.reports_to is None}
    assert roots & {e["data"]["to_role"] for e in climbs}  # an unanswered item reaches the top of its chain
    summary = p.report["summary"]
    assert summary["met"] == 0 and summary["missed"] > 0
