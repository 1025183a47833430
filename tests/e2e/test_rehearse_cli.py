"""Rehearsals through the real `drilltui rehearse` command, event by event, for each kind of policy.

The expected lists below are derived by hand from the scenario in this file, the policy, and the rules of
docs/rehearsal.md and docs/events.md: a role answers what reaches it (released to it, or escalated to it)
after its response time, by the decision the inject asks for, else an acknowledgement; the drill's own
work at a moment comes before the responses due then; a response no longer possible is not made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli import drilltui, drilltui_process

from drilltui.scenario import format_drill_time

START_WALL = "2026-01-01T09:00:00Z"
BUNDLED = sorted((Path(__file__).resolve().parents[2] / "src" / "drilltui" / "data" / "scenarios").glob("*.yaml"))

SCENARIO = """\
format: drilltui/1
id: rehearsal-check
title: A small chain of command
duration: 15m
objectives:
  - {id: O1, text: Answer the alert}
roles:
  - {id: control, title: Exercise Director, holder: Morgan Ashby, kind: controller}
  - {id: obs, title: Observer, kind: observer}
  - {id: ic, title: Incident Commander, holder: Dana Reyes, ack_within: 5m}
  - {id: lead, title: Security Lead, holder: Kwame Mensah, reports_to: ic, ack_within: 3m}
  - {id: soc, title: SOC Analyst, holder: Lina Park, reports_to: lead, ack_within: 2m}
injects:
  - id: I-1
    at: 0s
    to: [soc]
    title: Egress alert
    objectives: [O1]
    expect:
      - {id: I-1.a, text: The SOC acknowledges the alert, when: acknowledged, within: 90s}
  - {id: I-2, after: {inject: I-1, "on": acknowledged, delay: 1m}, to: [lead], title: Read rate 40x}
  - {id: I-3, after: {inject: I-1, "on": expired}, to: [lead], title: Nobody looked at the alert}
  - id: I-4
    at: 5m
    to: [ic]
    title: Take the API offline?
    decision:
      prompt: Take it offline?
      options: [{id: hold, label: Keep serving}, {id: go, label: Take it offline}]
    expect:
      - {id: I-4.a, text: The IC takes the API offline, when: "decision:go", within: 2m}
      - {id: I-4.b, text: The IC decides, when: "decision:hold"}
  - {id: I-5, after: {inject: I-4, "on": "decision:hold"}, to: [soc, obs], title: Keep watching}
  - {id: I-6, after: {inject: I-4, "on": "decision:go"}, to: [soc], title: Cut the egress}
  - {id: I-7, manual: true, to: [soc], title: A contingency}
"""

M = 60


def rehearsal(policy: str, default: int | None, roles: dict | None = None, decisions: dict | None = None,
              resolve: int | None = None) -> tuple:
    return ("rehearsal_started", 0, "control",
            {"policy": policy, "default": default, "roles": roles or {}, "decisions": decisions or {}, "resolve": resolve})


START = ("drill_started", 0, "control", {"scenario": "rehearsal-check", "title": "A small chain of command"})
END = ("drill_ended", 15 * M, "control", {"reason": "end of the rehearsal"})


def released(t: float, inject: str, to: str, via: str, deadline: float | None) -> tuple:
    return ("inject_released", t, None, {"inject": inject, "via": via, "to_role": to, "deadline": deadline})


def expired(t: float, inject: str, role: str) -> tuple:
    return ("inject_expired", t, None, {"inject": inject, "role": role, "deadline": t})


def escalated(t: float, inject: str, frm: str, to: str, deadline: float | None) -> tuple:
    return ("inject_escalated", t, None, {"inject": inject, "from_role": frm, "to_role": to, "reason": "deadline",
                                          "deadline": deadline})


def acked(t: float, inject: str, role: str) -> tuple:
    return ("inject_acknowledged", t, role, {"inject": inject, "role": role})


def decided(t: float, inject: str, option: str, role: str) -> tuple:
    return ("decision_taken", t, role, {"inject": inject, "option": option, "role": role, "rationale": ""})


def resolved(t: float, inject: str, role: str) -> tuple:
    return ("inject_resolved", t, role, {"inject": inject, "role": role})


def missed(t: float, expectation: str, inject: str) -> tuple:
    return ("expectation_missed", t, None, {"expectation": expectation, "inject": inject, "due": t})


NOBODY = [
    rehearsal("nobody", None), START,
    released(0, "I-1", "soc", "scheduled", 2 * M),
    missed(90, "I-1.a", "I-1"),
    expired(2 * M, "I-1", "soc"), escalated(2 * M, "I-1", "soc", "lead", 5 * M),
    released(2 * M, "I-3", "lead", "triggered", 5 * M),  # after I-1 expired
    released(5 * M, "I-4", "ic", "scheduled", 10 * M),  # releases come before expiries at the same moment
    expired(5 * M, "I-1", "lead"), escalated(5 * M, "I-1", "lead", "ic", 10 * M),
    expired(5 * M, "I-3", "lead"), escalated(5 * M, "I-3", "lead", "ic", 10 * M),
    missed(7 * M, "I-4.a", "I-4"),
    expired(10 * M, "I-1", "ic"), expired(10 * M, "I-3", "ic"), expired(10 * M, "I-4", "ic"),  # at the top: no further
    END,
]

EVERYONE = [
    rehearsal("everyone", 60), START,
    released(0, "I-1", "soc", "scheduled", 2 * M),
    acked(1 * M, "I-1", "soc"),
    released(2 * M, "I-2", "lead", "triggered", 5 * M),
    acked(3 * M, "I-2", "lead"),
    released(5 * M, "I-4", "ic", "scheduled", 10 * M),
    acked(6 * M, "I-4", "ic"), decided(6 * M, "I-4", "hold", "ic"),  # the first option
    released(6 * M, "I-5", "soc", "triggered", 8 * M),
    missed(7 * M, "I-4.a", "I-4"),  # the drill's own work first, then the responses due at that moment
    acked(7 * M, "I-5", "soc"),  # the observer it was also sent to does not act
    END,
]

EVERYONE_3M = [
    rehearsal("everyone:3m", 180), START,
    released(0, "I-1", "soc", "scheduled", 2 * M),
    missed(90, "I-1.a", "I-1"),
    expired(2 * M, "I-1", "soc"), escalated(2 * M, "I-1", "soc", "lead", 5 * M),
    released(2 * M, "I-3", "lead", "triggered", 5 * M),
    acked(3 * M, "I-1", "soc"),  # still one of its recipients: its answer comes late but counts
    released(4 * M, "I-2", "lead", "triggered", 7 * M),
    released(5 * M, "I-4", "ic", "scheduled", 10 * M),
    expired(5 * M, "I-3", "lead"), escalated(5 * M, "I-3", "lead", "ic", 10 * M),  # at the deadline is too late
    acked(5 * M, "I-3", "lead"),  # its answer to I-1 is not needed: I-1 was acknowledged
    expired(7 * M, "I-2", "lead"), escalated(7 * M, "I-2", "lead", "ic", 12 * M),
    missed(7 * M, "I-4.a", "I-4"),
    acked(7 * M, "I-2", "lead"),
    acked(8 * M, "I-4", "ic"), decided(8 * M, "I-4", "hold", "ic"),
    released(8 * M, "I-5", "soc", "triggered", 10 * M),
    expired(10 * M, "I-5", "soc"), escalated(10 * M, "I-5", "soc", "lead", 13 * M),
    acked(11 * M, "I-5", "soc"),
    END,
]

POLICY_FILE = """\
# nobody answers but the SOC and the IC
default: never
roles:
  soc: 30s
  ic: 1m
decisions: {I-4: go}
resolve: 2m
"""


def file_events(name: str) -> list[tuple]:
    return [
        rehearsal(name, None, {"soc": 30, "ic": 60}, {"I-4": "go"}, 120), START,
        released(0, "I-1", "soc", "scheduled", 2 * M),
        acked(30, "I-1", "soc"),
        released(90, "I-2", "lead", "triggered", 90 + 3 * M),
        resolved(150, "I-1", "soc"),
        expired(270, "I-2", "lead"), escalated(270, "I-2", "lead", "ic", 270 + 5 * M),  # the lead never answers
        released(5 * M, "I-4", "ic", "scheduled", 10 * M),
        acked(330, "I-2", "ic"),  # the IC answers what was escalated to it
        acked(6 * M, "I-4", "ic"), decided(6 * M, "I-4", "go", "ic"),  # the file's choice
        released(6 * M, "I-6", "soc", "triggered", 8 * M),
        acked(390, "I-6", "soc"),
        resolved(450, "I-2", "ic"), resolved(8 * M, "I-4", "ic"), resolved(510, "I-6", "soc"),
        END,
    ]


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "rehearsal-check.yaml"
    path.write_text(SCENARIO)
    return path


def rehearse(scenario: Path, db: Path, policy: str | Path, *extra: str) -> tuple[str, str, list[dict[str, Any]]]:
    """`drilltui rehearse` (must exit 0); its output, the new drill's id and its exported events."""
    run = drilltui("rehearse", scenario, "--policy", policy, "--db", db, "--start-wall", START_WALL, *extra, check=True)
    drill_id = run.stdout.splitlines()[-1]
    exported = drilltui("export", drill_id, "--db", db, "--format", "jsonl", check=True).stdout
    return drill_id, run.stdout, [json.loads(line) for line in exported.splitlines()]


def seen(events: list[dict[str, Any]]) -> list[tuple]:
    return [(e["kind"], e["drill_time"], e["actor"]["role"], e["data"]) for e in events]


def check(events: list[dict[str, Any]], expected: list[tuple]) -> None:
    got = seen(events)
    for n, (g, want) in enumerate(zip(got, expected), 1):
        assert g == want, f"event {n}"
    assert len(got) == len(expected), got[len(expected):] or expected[len(got):]


def test_nobody_escalates_every_deadline_to_the_top(scenario: Path, tmp_path: Path) -> None:
    drill_id, out, events = rehearse(scenario, tmp_path / "d.db", "nobody")
    check(events, NOBODY)
    assert {e["actor"]["participant"] for e in events if e["actor"]["role"] is None} == {"system"}
    assert events[0]["actor"]["participant"] == "Morgan Ashby"  # the controller's holder marked and started it
    lines = out.splitlines()
    assert lines[-1] == drill_id
    assert lines[0].split()[:3] == ["T+00:00:00", "rehearsal_started", "control"]
    summary = lines[len(events):-1]
    assert "rehearsal under policy nobody: nobody answers" in summary
    assert "  T+00:02:00  I-3 (after I-1 expired)" in summary
    assert "  T+00:05:00  I-1  lead -> ic (deadline passed)" in summary
    assert "never released: I-2, I-5, I-6, I-7" in summary
    assert "left unanswered at the top of the chain of command: I-1, I-3, I-4" in summary
    assert "  T+00:01:30  I-1.a (I-1): The SOC acknowledges the alert" in summary
    assert "  T+00:07:00  I-4.a (I-4): The IC takes the API offline" in summary
    assert "expectations with no time limit that nothing met: I-4.b" in summary
    assert "the plan runs out at T+00:10:00: the last inject, I-4, was released at T+00:05:00" in summary


def test_everyone_answers_within_a_minute_with_the_first_option(scenario: Path, tmp_path: Path) -> None:
    drill_id, out, events = rehearse(scenario, tmp_path / "d.db", "everyone")
    check(events, EVERYONE)
    by_role = {e["actor"]["role"]: e["actor"]["participant"] for e in events if e["actor"]["role"]}
    assert by_role == {"control": "Morgan Ashby", "soc": "Lina Park", "lead": "Kwame Mensah", "ic": "Dana Reyes"}
    summary = out.splitlines()[len(events):-1]
    assert "rehearsal under policy everyone: every role answers after 1m; decisions take their first option" in summary
    assert "escalations: none" in summary
    assert "  T+00:06:00  I-5 (after I-4 decision:hold)" in summary
    assert "the plan runs out at T+00:07:00: the last inject, I-5, was released at T+00:06:00" in summary


def test_everyone_with_a_duration_answers_late_and_escalations_cross_the_answers(scenario: Path, tmp_path: Path) -> None:
    _, out, events = rehearse(scenario, tmp_path / "d.db", "everyone:3m")
    check(events, EVERYONE_3M)
    summary = out.splitlines()[len(events):-1]
    assert any(line.startswith("  ") and "responses not needed" in line for line in summary)


def test_a_policy_file_sets_each_roles_time_the_choices_and_resolving(scenario: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY_FILE)
    _, out, events = rehearse(scenario, tmp_path / "d.db", policy)
    check(events, file_events(str(policy)))
    assert f"rehearsal under policy {policy}: soc answers after 30s; ic answers after 1m; every other role never " \
           "answers; decisions: I-4 go, the others their first option; items are resolved 2m after they are " \
           "acknowledged" in out


def test_until_ends_the_rehearsal_early(scenario: Path, tmp_path: Path) -> None:
    _, _, events = rehearse(scenario, tmp_path / "d.db", "nobody", "--until", "4m")
    assert seen(events) == [*NOBODY[:7], ("drill_ended", 4 * M, "control", {"reason": "end of the rehearsal"})]


def test_the_report_lists_the_expectations_that_would_be_missed(scenario: Path, tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    drill_id, _, _ = rehearse(scenario, db, "nobody")
    report = json.loads(drilltui("report", drill_id, "--db", db, "--format", "json", check=True).stdout)
    assert report["overview"]["rehearsal"] == {
        "policy": "nobody", "assumptions": "nobody answers", "default_seconds": None, "roles": [], "decisions": [],
        "resolve_seconds": None, "missed": ["I-1.a", "I-4.a"], "unmet": ["I-4.b"]}
    status = {x["id"]: x["status"] for x in report["expectations"]}
    assert status == {"I-1.a": "missed", "I-4.a": "missed", "I-4.b": "open"}
    md = drilltui("report", drill_id, "--db", db, check=True).stdout
    assert md.startswith("# Rehearsal (nobody) After-Action Report / Improvement Plan: A small chain of command\n")
    assert "| Rehearsal | played with simulated responses under policy nobody: nobody answers |" in md
    assert "| Participants | none, a rehearsal: " in md and " people in " not in md  # simulated answers are nobody's
    table = md.split("**Expectations that would be missed**", 1)[1].split("\n\n", 2)[1].splitlines()
    assert table[2:] == ["| I-1.a | The SOC acknowledges the alert | I-1: Egress alert | SOC Analyst | T+00:01:30 |",
                         "| I-4.a | The IC takes the API offline | I-4: Take the API offline? | Incident Commander | "
                         "T+00:07:00 |"]
    assert "| I-4.b | The IC decides | I-4: Take the API offline? | Incident Commander | decision:hold |" in md


def test_the_report_of_a_drill_played_by_people_says_nothing_of_a_rehearsal(tmp_path: Path, scenario: Path) -> None:
    db = tmp_path / "d.db"
    script = tmp_path / "s.yaml"
    script.write_text("- {at: 0s, as: control, do: start}\n- {at: 1m, as: control, do: end}\n")
    drill_id = drilltui("run", scenario, "--headless", "--script", script, "--db", db, check=True).stdout.splitlines()[-1]
    report = json.loads(drilltui("report", drill_id, "--db", db, "--format", "json", check=True).stdout)
    assert report["overview"]["rehearsal"] is None
    md = drilltui("report", drill_id, "--db", db, check=True).stdout
    assert "Rehearsal" not in md and "would be missed" not in md


def test_drills_marks_rehearsals_and_verify_holds(scenario: Path, tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    first, _, events = rehearse(scenario, db, "nobody")
    second, _, _ = rehearse(scenario, db, "everyone:3m", "--start-wall", "2026-01-01T10:00:00Z")
    rows = {line.split()[0]: line for line in drilltui("drills", "--db", db, check=True).stdout.splitlines()[1:]}
    assert "  rehearsal (nobody), ended  " in rows[first]
    assert "  rehearsal (everyone:3m), ended  " in rows[second]
    verify = drilltui("verify", first, "--db", db, check=True).stdout
    assert verify.startswith(f"{first}: ok, {len(events)} events, chain intact")


def test_a_fixed_start_wall_is_reproducible(scenario: Path, tmp_path: Path) -> None:
    _, _, one = rehearse(scenario, tmp_path / "a.db", "everyone")
    _, _, two = rehearse(scenario, tmp_path / "b.db", "everyone")
    assert [e["hash"] for e in one] == [e["hash"] for e in two]


@pytest.mark.parametrize(("policy", "message"), [
    ("nobdy", "drilltui: error: --policy 'nobdy' is not nobody, everyone, everyone:DURATION or a policy file "
              "(there is no file nobdy); did you mean 'nobody'?"),
    ("everyone:soon", "drilltui: error: --policy everyone:soon: 'soon' is not a duration; write it as 90s, 5m, "
                      "1h30m, 2h, 01:30:00, 12:30 (MM:SS) or whole seconds"),
])
def test_a_bad_policy_word_is_one_line_and_exit_2(scenario: Path, tmp_path: Path, policy: str, message: str) -> None:
    result = drilltui("rehearse", scenario, "--policy", policy, "--db", tmp_path / "d.db")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")
    assert not (tmp_path / "d.db").exists()


@pytest.mark.parametrize(("text", "problem"), [
    ("default: 2m\nroles: {soc: 30s, lad: never}\n",
     "2:19: error: 'lad' is not a role of scenario rehearsal-check; did you mean 'lead'?"),
    ("decisions:\n  I-4: gone\n", "2:3: error: 'gone' is not an option of I-4 (hold, go); did you mean 'go'?"),
    ("decisions: {I-1: go}\n", "1:13: error: I-1 asks for no decision; leave it out of decisions"),
    ("default: 2 minutes\n", "1:10: error: default: '2 minutes' is not a duration; write it as 90s, 5m, 1h30m, 2h, "
                             "01:30:00, 12:30 (MM:SS) or whole seconds; or write never"),
    ("defaults: 2m\n", "1:1: error: 'defaults' is not a key of a policy file (default, roles, decisions, resolve); "
                       "did you mean 'default'?"),
    ("- soc\n", "1:1: error: a policy file is a mapping with default, roles, decisions and resolve "
                "(docs/rehearsal.md); or write nobody, or everyone:DURATION"),
    ("roles: {soc: !!python/object:os.system 30s}\n", "1:14: error: tag !!python/object:os.system is not allowed; "
                                                      "scenario files hold plain data only, remove the tag"),
])
def test_a_bad_policy_file_names_file_line_and_column(scenario: Path, tmp_path: Path, text: str,
                                                      problem: str) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(text)
    result = drilltui("rehearse", scenario, "--policy", policy, "--db", tmp_path / "d.db")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"drilltui: error: {policy}:"), result.stderr
    assert lines[0] == f"drilltui: error: {policy}:{problem}"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d.db").exists()


def test_the_real_command_prints_the_drill_id_last_and_replay_names_it(scenario: Path, tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    result = drilltui_process("rehearse", scenario, "--policy", "everyone", "--db", db, "--start-wall", START_WALL,
                              check=True)
    lines = result.stdout.splitlines()
    assert lines[-1] == "rehearsal-check-20260101-0900"
    assert lines[0] == f"{format_drill_time(0)}  rehearsal_started    control      rehearsal under policy everyone"
    assert result.stderr == ""
    bad = drilltui_process("rehearse", scenario, "--policy", "sometimes", "--db", db)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1 and "Traceback" not in bad.stderr


@pytest.mark.parametrize("policy", ["nobody", "everyone"])
@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_scenario_rehearses_without_errors(path: Path, policy: str, tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    result = drilltui("rehearse", path.stem, "--policy", policy, "--db", db, "--start-wall", START_WALL)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    drill_id = result.stdout.splitlines()[-1]
    exported = [json.loads(line) for line in drilltui("export", drill_id, "--db", db, check=True).stdout.splitlines()]
    assert [e["kind"] for e in exported[:2]] == ["rehearsal_started", "drill_started"]
    assert exported[-1]["kind"] == "drill_ended"
    kinds = {e["kind"] for e in exported}
    if policy == "nobody":
        assert not kinds & {"inject_acknowledged", "decision_taken", "inject_resolved"}
        assert "inject_escalated" in kinds
    else:
        assert "inject_acknowledged" in kinds and "decision_taken" in kinds
    drilltui("verify", drill_id, "--db", db, check=True)
    drilltui("report", drill_id, "--db", db, "--format", "json", check=True)


def test_the_home_screen_and_the_replay_picker_mark_rehearsals(scenario: Path, tmp_path: Path) -> None:
    import asyncio

    from drilltui.commands.home import drill_entries
    from drilltui.commands.replay import picker_rows
    from drilltui.store import EventLog

    db = tmp_path / "d.db"
    drill_id, _, _ = rehearse(scenario, db, "everyone:2m")
    script = tmp_path / "s.yaml"
    script.write_text("- {at: 0s, as: control, do: start}\n")
    played = drilltui("run", scenario, "--headless", "--script", script, "--db", db, check=True).stdout.splitlines()[-1]
    assert {d.id: d.state for d in asyncio.run(drill_entries(db))} == {drill_id: "rehearsal (everyone:2m), ended",
                                                                        played: "running"}

    async def rows() -> list:
        async with await EventLog.open(db) as log:
            return await picker_rows(log)

    assert {r.id: r.state for r in asyncio.run(rows())} == {drill_id: "rehearsal (everyone:2m), ended", played: "running"}
