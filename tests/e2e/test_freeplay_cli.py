"""Free play end to end through the real `drilltui` command: script steps, `drilltui activity`, the report, export-msel."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from samples import WITH_SIMCELL

ROOT = Path(__file__).resolve().parents[2]
DRILL = "mini-20260101-0900"
SCRIPT = """\
- {at: 0s, as: control, do: start}
- {at: 30s, as: control, do: inject, to: [soc], title: A reporter calls, from: Daily Post, method: phone, severity: high,
   ack_within: 1m, message: "Is the cluster down?", expected_action: Refer to comms, objectives: [O1],
   decision: {prompt: "Comment?", options: [{id: "yes", label: Say something}, {id: "no", label: No comment}]}}
- {at: 45s, as: soc, do: message, party: State regulator, text: "Must we report this?", request: true, due: 5m}
- {at: 1m15s, as: sim, do: message, as_party: State regulator, to: [soc], reply_to: M-1, text: Yes within 72 hours}
- {at: 2m, as: lead, do: decide, inject: ADHOC-1, option: "no"}
- {at: 2m30s, as: ic, do: message, to: [soc], task: true, due: 1m, text: Pull the proxy logs}
- {at: 3m10s, as: soc, do: status, status: busy, task: proxy logs}
- {at: 4m, as: soc, do: read, message: M-3}
- {at: 4m30s, as: soc, do: message, to: [ic], reply_to: 3, text: "Done: logs attached"}
- {at: 5m, as: obs, do: message, to: [ic], text: observers only watch}
- {at: 5m, as: control, do: end}
"""


def drilltui(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "drilltui"]
    result = subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "NO_COLOR": "1"})
    if check:
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr)
    return result


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A headless drill of the minimal scenario with a SimCell, played with every free-play step."""
    root = tmp_path_factory.mktemp("freeplay")
    (root / "mini.yaml").write_text(WITH_SIMCELL)
    (root / "script.yaml").write_text(SCRIPT)
    run = drilltui("run", root / "mini.yaml", "--headless", "--script", root / "script.yaml", "--db", root / "drills.db",
                   "--start-wall", "2026-01-01T09:00:00Z")
    assert run.stdout.splitlines()[-1] == DRILL
    assert run.stderr.strip() == f"{root / 'script.yaml'}:12: T+00:05:00 obs message: refused: Observer (observer) may not send messages"
    return root / "drills.db"


def events(db: Path) -> list[dict]:
    return [json.loads(line) for line in drilltui("export", DRILL, "--db", db).stdout.splitlines()]


def test_the_steps_log_one_event_each_with_the_documented_fields(played: Path) -> None:
    log = events(played)
    added = next(e for e in log if e["kind"] == "inject_added")
    assert added["data"] == {
        "inject": "ADHOC-1", "to": ["soc"], "title": "A reporter calls", "from": "Daily Post", "method": "phone",
        "severity": "high", "message": "Is the cluster down?", "expected_action": "Refer to comms", "objectives": ["O1"],
        "ack_within": 60, "decision": {"prompt": "Comment?", "options": [{"id": "yes", "label": "Say something"},
                                                                          {"id": "no", "label": "No comment"}]}}
    assert added["actor"] == {"participant": "Exercise Control", "role": "control"}
    released = log[log.index(added) + 1]
    assert released["kind"] == "inject_released" and released["data"] == {
        "inject": "ADHOC-1", "via": "adhoc", "to_role": "soc", "deadline": 90.0}
    messages = [e for e in log if "message" in e["kind"]]
    assert [(e["kind"], e["drill_time"]) for e in messages] == [
        ("message_sent", 45.0), ("message_sent", 75.0), ("message_sent", 150.0), ("message_expired", 210.0),
        ("message_escalated", 210.0), ("message_read", 240.0), ("message_sent", 270.0)]
    assert messages[0]["data"] == {"id": "M-1", "text": "Must we report this?", "to": [], "party": "State regulator",
                                   "as_party": None, "request": True, "task": False, "due": 345.0, "escalate": True,
                                   "reply_to": None, "inject": None}
    assert messages[1]["data"]["as_party"] == "State regulator" and messages[1]["data"]["reply_to"] == "M-1"
    assert messages[4]["data"] == {"message": "M-3", "from_role": "soc", "to_role": "lead", "due": 510.0}
    assert messages[6]["data"]["reply_to"] == "M-3"
    assert drilltui("verify", DRILL, "--db", played).returncode == 0


SOC_LOG = """\
# ICS-214 Activity Logs: A minimal drill

Drill mini-20260101-0900, built from its event log alone.

## SOC Analyst (soc)

**ICS-214 header: SOC Analyst**

| Block | Entry |
|---|---|
| 1. Incident name | A minimal drill |
| 2. Operational period | 2026-01-01 09:00:00 UTC to 2026-01-01 09:05:00 UTC (24-hour) |
| 3. Name | SOC Analyst |
| 4. ICS position | SOC Analyst (soc) |
| 8. Prepared by | SOC Analyst, 2026-01-01 09:05:00 UTC |

**7. Activity log: SOC Analyst**

| Date/time | Drill time | Activity | Notable activity |
|---|---|---|---|
| 2026-01-01 09:00:30 UTC | T+00:00:30 | received | received ad-hoc inject ADHOC-1 “A reporter calls” from Daily Post by phone (ad hoc); acknowledge by T+00:01:30 |
| 2026-01-01 09:00:45 UTC | T+00:00:45 | asked | M-1 asked State regulator (outside party), due T+00:05:45: Must we report this? |
| 2026-01-01 09:01:00 UTC | T+00:01:00 | received | received I-1 “Outbound traffic spike” from Exercise control (scheduled); acknowledge by T+00:03:00 |
| 2026-01-01 09:01:15 UTC | T+00:01:15 | received | M-2 message from State regulator (outside party), in reply to M-1: Yes within 72 hours |
| 2026-01-01 09:01:30 UTC | T+00:01:30 | deadline | ADHOC-1 not acknowledged by its deadline T+00:01:30 |
| 2026-01-01 09:01:30 UTC | T+00:01:30 | escalated | ADHOC-1 escalated from SOC Analyst to Security Lead (deadline passed) |
| 2026-01-01 09:02:30 UTC | T+00:02:30 | tasked | M-3 tasked by Incident Commander, due T+00:03:30: Pull the proxy logs |
| 2026-01-01 09:03:00 UTC | T+00:03:00 | deadline | I-1 not acknowledged by its deadline T+00:03:00 |
| 2026-01-01 09:03:00 UTC | T+00:03:00 | escalated | I-1 escalated from SOC Analyst to Security Lead (deadline passed) |
| 2026-01-01 09:03:10 UTC | T+00:03:10 | status | status busy: proxy logs |
| 2026-01-01 09:03:30 UTC | T+00:03:30 | deadline | M-3 not answered by T+00:03:30 |
| 2026-01-01 09:03:30 UTC | T+00:03:30 | escalated | M-3 escalated from SOC Analyst to Security Lead (deadline passed) |
| 2026-01-01 09:04:30 UTC | T+00:04:30 | said | M-4 said to Incident Commander, in reply to M-3: Done: logs attached |
"""


def test_a_players_activity_log_line_by_line(played: Path) -> None:
    out = drilltui("activity", DRILL, "--db", played, "--role", "soc").stdout
    assert out.splitlines() == SOC_LOG.splitlines()


def test_the_csv_has_every_role_with_an_activity_and_only_what_was_sent_to_by_or_escalated_to_it(played: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(drilltui("activity", DRILL, "--db", played, "--format", "csv").stdout)))
    assert list(rows[0]) == ["incident", "period_from", "period_to", "role", "position", "name", "prepared_by",
                             "date_time", "drill_time", "activity", "notable_activity"]
    by_role: dict[str, list[tuple[str, str, str]]] = {}
    for r in rows:
        by_role.setdefault(r["role"], []).append((r["drill_time"], r["activity"], r["notable_activity"]))
    assert list(by_role) == ["control", "ic", "lead", "soc", "sim"], "scenario order; no log for who did nothing"
    assert by_role["ic"] == [
        ("T+00:02:30", "tasked", "M-3 tasked SOC Analyst, due T+00:03:30: Pull the proxy logs"),
        ("T+00:04:30", "received", "M-4 message from SOC Analyst, in reply to M-3: Done: logs attached")]
    assert by_role["lead"] == [
        ("T+00:01:30", "escalated", "ADHOC-1 escalated to it from SOC Analyst (deadline passed)"),
        ("T+00:02:00", "acknowledged", "acknowledged ad-hoc inject ADHOC-1 “A reporter calls”"),
        ("T+00:02:00", "decided", "decided ADHOC-1: no (No comment)"),
        ("T+00:03:00", "escalated", "I-1 escalated to it from SOC Analyst (deadline passed)"),
        ("T+00:03:30", "escalated", "M-3 escalated to it from SOC Analyst (deadline passed)")]
    assert by_role["sim"] == [
        ("T+00:00:45", "asked", "M-1 asked by SOC Analyst to State regulator, due T+00:05:45: Must we report this?"),
        ("T+00:01:15", "said", "M-2 as State regulator, said to SOC Analyst, in reply to M-1: Yes within 72 hours")]
    assert by_role["control"] == [
        ("T+00:00:00", "drill", "drill started: A minimal drill"),
        ("T+00:00:30", "wrote", "wrote ad-hoc inject ADHOC-1 “A reporter calls” to SOC Analyst"),
        ("T+00:00:45", "asked", "M-1 asked by SOC Analyst to State regulator, due T+00:05:45: Must we report this?"),
        ("T+00:05:00", "drill", "drill ended")]
    assert {r["incident"] for r in rows} == {"A minimal drill"}
    assert {(r["period_from"], r["period_to"]) for r in rows} == {("2026-01-01T09:00:00.000000Z", "2026-01-01T09:05:00.000000Z")}


def test_html_and_a_file_and_a_role_that_does_not_exist(played: Path, tmp_path: Path) -> None:
    html = drilltui("activity", DRILL, "--db", played, "--role", "sim", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<h2 id=\"ics214-sim\">SimCell (sim)</h2>" in html
    assert "<th scope=\"row\">2. Operational period</th><td>2026-01-01 09:00:00 UTC to 2026-01-01 09:05:00 UTC (24-hour)</td>" in html
    out = drilltui("activity", DRILL, "--db", played, "-o", tmp_path / "logs.csv")
    assert out.stderr.strip().startswith(f"wrote {tmp_path / 'logs.csv'} (csv, 5 roles, ")
    bad = drilltui("activity", DRILL, "--db", played, "--role", "socc", check=False)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        f"drilltui: error: --role socc: drill {DRILL} has no such role; its roles are control, ic, lead, soc, eval, obs, sim; "
        "did you mean 'soc'?"]


def test_the_report_has_the_ics214_appendix_and_the_msel_as_played(played: Path) -> None:
    md = drilltui("report", DRILL, "--db", played).stdout
    assert "## Appendix H: Activity logs \\(ICS\\-214\\)" not in md  # headings are escaped only where markup would start
    assert "## Appendix H: Activity logs (ICS-214)" in md
    assert "### SOC Analyst (soc)" in md and "| 2026-01-01 09:03:10 UTC | T+00:03:10 | status | status busy: proxy logs |" in md
    assert "| Planned | 4 | 1 | 0 | 1 | 0 |" in md
    assert "| Ad hoc (written during play) | — | 1 | 1 | 1 | 0 |" in md
    assert "| ADHOC-1 | A reporter calls | ad hoc, written by Exercise Control (control) at T+00:00:30 | soc | decided |" in md
    assert "| Injects written in play (ad hoc) | 1 |" in md
    html = drilltui("report", DRILL, "--db", played, "--format", "html").stdout
    assert '<h2 id="activity-logs">Appendix H: Activity logs (ICS-214)</h2>' in html
    assert '<h3 id="ics214-lead">Security Lead (lead)</h3>' in html
    data = json.loads(drilltui("report", DRILL, "--db", played, "--format", "json").stdout)
    assert [log["role"] for log in data["activity_logs"]] == ["control", "ic", "lead", "soc", "sim"]
    assert next(i for i in data["injects"] if i["id"] == "ADHOC-1")["adhoc"] is True


def test_export_msel_of_the_drill_writes_the_msel_as_played(played: Path, tmp_path: Path) -> None:
    out = drilltui("export-msel", DRILL, "--db", played, "-o", tmp_path / "played.csv")
    assert out.stdout.strip() == f"wrote {tmp_path / 'played.csv'}: 5 injects from drill {DRILL}"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "played.csv").read_text(encoding="utf-8"))))
    assert [r["Event No."] for r in rows] == ["I-1", "I-2", "I-3", "I-4", "ADHOC-1"]
    adhoc = rows[-1]
    assert (adhoc["Scenario Time (T+)"], adhoc["From"], adhoc["Method"], adhoc["Severity"], adhoc["Ack Within"]) == (
        "T+00:00:30", "Daily Post", "Phone", "High", "1m")
    assert adhoc["Notes"] == f"Ad hoc: written during play in drill {DRILL} at T+00:00:30 by Exercise Control (control)"
    assert adhoc["Decision"] == "Comment? | yes: Say something | no: No comment"
    back = drilltui("import-msel", tmp_path / "played.csv", "-o", tmp_path / "next.yaml")
    assert back.returncode == 0
    assert "- id: ADHOC-1" in (tmp_path / "next.yaml").read_text()
    assert drilltui("validate", tmp_path / "next.yaml").returncode == 0


@pytest.mark.parametrize("step, message", [
    ("{at: 1m, as: soc, do: message, text: hi}", "step do: message needs either 'to' (role ids) or 'party'"),
    ("{at: 1m, as: soc, do: message, text: hi, to: [ic], party: Press}", "needs either 'to'"),
    ("{at: 1m, as: soc, do: message, text: hi, to: [ic], due: 5m}", "due goes with request: true or task: true"),
    ("{at: 1m, as: soc, do: message, text: hi, to: [ic], request: maybe}", "request of step do: message must be true or false"),
    ("{at: 1m, as: control, do: inject, to: [soc]}", "step do: inject needs 'title'"),
    ("{at: 1m, as: control, do: inject, to: [soc], title: t, severity: dire}", "severity 'dire' of step do: inject is not one of"),
    ("{at: 1m, as: control, do: inject, to: [soc], title: t, colour: red}", "'colour' does not go with do: inject"),
    ("{at: 1m, as: control, do: inject, to: [soc], title: t, decision: {prompt: go, options: [{id: a, label: A}]}}",
     "needs at least two options"),
])
def test_a_bad_step_is_one_line_naming_the_file_and_line(tmp_path: Path, step: str, message: str) -> None:
    (tmp_path / "mini.yaml").write_text(WITH_SIMCELL)
    (tmp_path / "bad.yaml").write_text(f"- {{at: 0s, as: control, do: start}}\n- {step}\n")
    result = drilltui("run", tmp_path / "mini.yaml", "--headless", "--script", tmp_path / "bad.yaml",
                      "--db", tmp_path / "d.db", check=False)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"drilltui: error: {tmp_path / 'bad.yaml'}:2:") and message in line
    assert not (tmp_path / "d.db").exists() or "mini" not in drilltui("drills", "--db", tmp_path / "d.db").stdout


def test_a_database_written_before_free_play_still_opens_and_takes_a_new_drill(tmp_path: Path) -> None:
    db = tmp_path / "drills.db"
    shutil.copyfile(ROOT / "tests" / "data" / "legacy" / "drills-e5b5b44.db", db)
    legacy = "hospital-ransomware-20260101-0900"
    logs = drilltui("activity", legacy, "--db", db, "--format", "csv").stdout
    assert "acknowledged" in logs and "message" not in logs.split("\n", 1)[1]
    assert "## Appendix H: Activity logs (ICS-214)" in drilltui("report", legacy, "--db", db).stdout
    assert drilltui("export-msel", legacy, "--db", db).returncode == 0
    (tmp_path / "mini.yaml").write_text(WITH_SIMCELL)
    (tmp_path / "script.yaml").write_text(SCRIPT)
    drilltui("run", tmp_path / "mini.yaml", "--headless", "--script", tmp_path / "script.yaml", "--db", db,
             "--start-wall", "2026-01-01T09:00:00Z")
    for drill in (legacy, DRILL):
        assert drilltui("verify", drill, "--db", db).returncode == 0
