"""Importing realistic MSEL spreadsheets (CSV) and the cell readers behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from drilltui.scenario import Inject, Scenario, loads
from drilltui.scenario.model import Role, Trigger
from drilltui.scenario.msel import (
    ImportResult,
    MselError,
    export_msel,
    import_file,
    import_msel,
    map_method,
    map_severity,
    match_column,
    parse_decision,
    parse_objectives,
    parse_offset,
    parse_trigger,
    recipient,
    sanitise_id,
    split_names,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "msel"


def imported(name: str, **options: object) -> tuple[ImportResult, Scenario]:
    result = import_msel((DATA / name).read_bytes(), name, **options)
    assert result.valid, result.problems
    assert result.scenario is not None
    # What was written is what validates: the text loads on its own.
    assert loads(result.yaml_text).injects == result.scenario.injects
    return result, result.scenario


def csv_import(text: str, name: str = "msel.csv", **options: object) -> ImportResult:
    return import_msel(text.encode("utf-8"), name, **options)


def inj(s: Scenario | None, inject_id: str) -> Inject:
    assert s is not None
    inject = s.inject(inject_id)
    assert inject is not None, inject_id
    return inject


def at(s: Scenario) -> list[int | None]:
    return [i.at for i in s.injects]


# -- the fixtures -----------------------------------------------------------------


def test_hseep_template_with_bom_crlf_title_row_and_clock_times() -> None:
    result, s = imported("hseep_riverbend_flood.csv")
    assert (DATA / "hseep_riverbend_flood.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert s.title == "Riverbend County Flood Tabletop Exercise (TTX) - MSEL v2"
    assert s.id == "riverbend-county-flood-tabletop-exercise"
    assert [i.id for i in s.injects] == ["1", "2", "3", "4", "5", "6"]
    assert at(s) == [0, 15 * 60, 40 * 60, 65 * 60, 90 * 60, 150 * 60]
    first = inj(s, "1")
    assert first.title == "Flood watch upgraded to warning"
    assert first.message.count("\n") == 2 and first.message.startswith("FLOOD WARNING for the Riverbend")
    assert first.sender == "National Weather Service"
    assert first.to == ("county-eoc", "public-information-officer")
    assert first.method == "email"
    assert first.expected_action == (
        "Activate the EOC at Level 2 and notify department heads.\n\n"
        "Controller notes: Look for a clear activation decision within 15 minutes.\n"
        "Responsible Controller: Ctrl 1"
    )
    assert inj(s, "3").to == ("mass-care-coordinator-county-eoc",)  # one name with a slash, unless --split-recipients
    assert s.role("mass-care-coordinator-county-eoc").title == "Mass Care Coordinator / County EOC"
    split = import_file(DATA / "hseep_riverbend_flood.csv", split_recipients=True).scenario
    assert split is not None and inj(split, "3").to == ("mass-care-coordinator", "county-eoc")
    assert inj(s, "3").sender == "Red Cross Liaison (SimCell)"
    assert [inj(s, n).method for n in "23456"] == ["phone", "radio", "in-person", "other", "in-person"]
    assert inj(s, "4").message == 'Reporter at the EOC door: "Is the county ordering an evacuation of Millbrook?"'
    assert inj(s, "2").objectives == ("O1", "O2")
    assert inj(s, "4").objectives == ("O4",)  # "Obj 4"
    assert {o.id: o.capability for o in s.objectives} == {
        "O1": "Operational Coordination", "O2": "Operational Coordination",
        "O3": "Mass Care Services", "O4": "Public Information and Warning",
    }
    assert s.roles[0].id == "exercise-control" and s.roles[0].kind == "controller"
    assert {r.title for r in s.roles} == {"Exercise Control", "County EOC", "Public Information Officer",
                                         "Mass Care Coordinator", "Mass Care Coordinator / County EOC"}
    # The phase row is reported with its spreadsheet row number; the blank row is not.
    assert result.skipped_rows == (6,)
    assert any(w.startswith("hseep_riverbend_flood.csv:6: warning: ") and "PHASE 2" in w for w in result.warnings)
    assert not any(":5: " in w for w in result.warnings)
    assert any("as clock times; 09:00 (row 3)" in w for w in result.warnings)
    # Written for people: a header comment, block scalars, the source row.
    text = result.yaml_text
    assert text.startswith("# Imported from hseep_riverbend_flood.csv by `drilltui import-msel`.\n")
    assert "  message: |-\n    FLOOD WARNING" in text
    assert '- id: "1"  # MSEL row 3\n' in text
    assert s.duration == 2 * 3600 + 45 * 60


def test_semicolons_other_column_names_t_plus_and_contingency() -> None:
    result, s = imported("cyber_ransomware_semicolon.csv")
    assert [i.id for i in s.injects] == ["CY-01", "CY-02", "CY-03", "CY-04", "CY-05", "CY-06"]
    assert at(s) == [0, 600, 1500, 2700, 4500, None]
    six = inj(s, "CY-06")
    assert six.manual and six.expected_action == (
        "Isolate FS-03.\n\nControl"
        "ler notes: Use only if players have not found lateral movement by T+60."
    )
    one, two = inj(s, "CY-01"), inj(s, "CY-02")
    assert one.message.startswith("EDR: 4,312 files renamed to *.lockd on \\\\fs-02\\finance")
    assert two.message == (
        'Helpdesk: "We have 14 tickets in 10 minutes; users in Finance; HR see files ending in .lockd."\n'
        "Caller asks: should we tell everyone to log off?"
    )
    assert two.to == ("soc-analyst", "incident-commander")
    assert two.title == "Users cannot open shared files"
    assert [i.method for i in s.injects] == ["system", "phone", "email", "in-person", "chat", "system"]
    assert [i.severity for i in s.injects] == ["high", "high", "critical", "medium", "critical", "high"]
    assert inj(s, "CY-02").objectives == ("O1", "O2")
    assert sorted(o.id for o in s.objectives) == ["O1", "O2", "O3"]
    assert not [w for w in result.warnings if ": warning: " in w]
    assert any("O1, O2, O3: write the text" in t for t in result.todo)


def test_bare_minimum_columns_blank_rows_and_unreadable_times() -> None:
    result, s = imported("chem_spill_minimal.csv")
    assert [i.id for i in s.injects] == ["M-001", "M-002", "M-003", "M-004"]
    assert at(s) == [0, 20 * 60, 90 * 60, None]
    assert inj(s, "M-004").manual
    assert all(i.to == ("players",) for i in s.injects)
    assert s.role("players") is not None
    assert inj(s, "M-001").title == "Plant operator reports a chlorine leak at the rail…"
    assert inj(s, "M-003").message.endswith("respiratory symptoms.\nDecontamination tent requested.")
    assert all(i.method == "other" and i.severity == "medium" and i.sender is None for i in s.injects)
    warnings = "\n".join(result.warnings)
    assert "chem_spill_minimal.csv: warning: no To column" in warnings
    assert "chem_spill_minimal.csv:7: warning: no inject text or title, so the row is skipped (Phase 2)" in warnings
    assert "chem_spill_minimal.csv:9: warning: cannot read the time 'after lunch'" in warnings
    assert "chem_spill_minimal.csv:10: warning: no inject text" in warnings
    assert result.skipped_rows == (7, 10)
    assert s.title == "Chem spill minimal" and s.duration == 105 * 60
    todo = "\n".join(result.todo)
    assert "role 'players'" in todo and "row 9: no usable time" in todo and "duration 1h45m is estimated" in todo


def test_windows_1252_tab_delimited_am_pm() -> None:
    result, s = imported("power_outage_cp1252_tab.csv")
    assert result.warnings[0] == (
        "power_outage_cp1252_tab.csv: warning: the file is not UTF-8; read it as Windows-1252, "
        "so check accented letters (or save it as CSV UTF-8)"
    )
    assert at(s) == [0, 35 * 60, 3 * 3600 + 40 * 60]
    assert inj(s, "1").sender == "Grid Operator \u2013 Control Room"
    assert inj(s, "2").sender == "Caf\u00e9 owner (SimCell)"
    assert inj(s, "2").message.startswith("\u201cNo power")
    assert inj(s, "3").to == ("utility-liaison", "health-officer")
    assert [i.severity for i in s.injects] == ["high", "medium", "critical"]
    assert [i.method for i in s.injects] == ["phone", "other", "radio"]
    # A capability with no objective becomes one, shared by the rows that name it.
    assert [(o.id, o.text, o.capability) for o in s.objectives] == [
        ("O1", "Infrastructure Systems", "Infrastructure Systems"),
        ("O2", "Public Information and Warning", "Public Information and Warning"),
    ]
    assert [i.objectives for i in s.injects] == [("O1",), ("O2",), ("O1",)]
    assert inj(s, "1").expected_action.endswith("Controller notes: Inject Type: Information")


def test_triggers_decisions_and_explicit_role_ids() -> None:
    result, s = imported("branching_decision.csv")
    one = inj(s, "AI-01")
    assert one.decision is not None
    assert one.decision.prompt == "Take the public API offline?"
    assert [(o.id, o.label) for o in one.decision.options] == [
        ("offline", "Take it offline now"), ("filter", "Keep serving with extra filters")]
    assert one.ack_within == 300 and one.severity == "high" and one.method == "system"
    assert one.to == ("safety-lead", "oncall")
    assert s.role("safety-lead").title == "AI Safety Lead"
    assert inj(s, "AI-02").after == Trigger("AI-01", "acknowledged", None, 120)
    three, four = inj(s, "AI-03"), inj(s, "AI-04")
    assert three.after is not None and four.after is not None
    assert (three.after.on, three.after.option, three.after.delay) == ("decision", "offline", 0)
    assert (four.after.option, four.after.delay) == ("filter", 600)
    assert four.decision is not None and [o.id for o in four.decision.options] == ["yes", "no"]
    assert inj(s, "AI-05").manual
    assert inj(s, "AI-06").manual and inj(s, "AI-06").at is None
    assert inj(s, "AI-06").method == "in-person" and inj(s, "AI-06").severity == "low"
    warnings = "\n".join(result.warnings)
    assert "branching_decision.csv:6: warning: the trigger names event AI-99, which is not in the MSEL" in warnings
    assert "branching_decision.csv:7: warning: contingency inject: its time 'T+00:45:00' is dropped" in warnings
    assert "after: {inject: AI-01, \"on\": 'decision:offline'}" in result.yaml_text


def test_military_times_across_midnight_and_messy_headers() -> None:
    result, s = imported("night_shift_military.csv")
    assert [i.id for i in s.injects] == ["1", "2", "2-2", "3"]
    assert at(s) == [0, 900, 35 * 60, 60 * 60]
    assert [i.severity for i in s.injects] == ["high", "high", "critical", "low"]
    assert [i.method for i in s.injects] == ["radio", "radio", "system", "radio"]
    warnings = "\n".join(result.warnings)
    assert "night_shift_military.csv:4: warning: event number 2 is used twice (first on row 3); this one becomes 2-2" in warnings
    assert "night_shift_military.csv:4: warning: the row has 8 cells but the header only 7" in warnings


def test_options_title_duration_id_and_type() -> None:
    result, s = imported("chem_spill_minimal.csv", title="Chlorine release TTX", duration="3h",
                         scenario_id="chlorine", exercise_type="functional")
    assert (s.title, s.id, s.duration, s.type) == ("Chlorine release TTX", "chlorine", 3 * 3600, "functional")
    assert not any("estimated" in t for t in result.todo)


def test_a_short_duration_is_a_warning_not_an_error() -> None:
    result, s = imported("chem_spill_minimal.csv", duration="01:00")
    assert s.duration == 3600
    assert any("beyond the planned duration" in w for w in result.warnings)


@pytest.mark.parametrize("bad", ["soon", "0", "-5"])
def test_a_bad_duration_is_refused(bad: str) -> None:
    with pytest.raises(MselError, match="is not a duration"):
        import_file(DATA / "chem_spill_minimal.csv", duration=bad)  # the file's own path in messages


# -- encodings and dialects ------------------------------------------------------

SMALL = "Event No.,Time,To,Message\n1,09:00,EOC,First\n2,09:15,EOC,Second\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_delimiters(encoding: str, delimiter: str) -> None:
    text = SMALL.replace("First", "Caf\u00e9 opens").replace(",", delimiter)
    result = import_msel(text.encode(encoding), "m.csv")
    assert result.scenario is not None
    assert inj(result.scenario, "1").message == "Caf\u00e9 opens"
    assert at(result.scenario) == [0, 900]
    assert any("not UTF-8" in w for w in result.warnings) == (encoding == "cp1252")


def test_semicolon_file_with_commas_in_unquoted_cells() -> None:
    text = "Time;To;Message\n09:00;EOC, PIO;Water rising, roads closed, call 911\n"
    s = csv_import(text).scenario
    assert s is not None and s.injects[0].message == "Water rising, roads closed, call 911"
    assert s.injects[0].to == ("eoc", "pio")


def test_quoted_multi_line_cells_with_crlf() -> None:
    text = 'Time,Message,Expected Action\r\n00:00,"Line one\r\nLine two\r\n""quoted""",Act\r\n'
    s = csv_import(text).scenario
    assert s is not None and s.injects[0].message == 'Line one\nLine two\n"quoted"'


# -- times ---------------------------------------------------------------------------


@pytest.mark.parametrize("cells, expected", [
    (["09:00", "09:15", "10:30"], [0, 900, 5400]),  # clock times, relative to the first row
    (["00:00", "00:15", "01:30"], [0, 900, 5400]),  # HH:MM offsets
    (["00:05", "00:20"], [300, 1200]),  # offsets that do not start at zero stay put
    (["01:30:00", "00:00:00"], [5400, 0]),
    (["T+0", "T+15", "T+90"], [0, 900, 5400]),
    (["0", "15", "T+1:30"], [0, 900, 5400]),
    (["+5m", "1h30m", "90 min"], [300, 5400, 5400]),
    (["9:00 AM", "9:45 am", "1:15 PM"], [0, 2700, 4 * 3600 + 900]),
    (["0900", "0930", "1000"], [0, 1800, 3600]),
    (["2024-05-01 23:30", "2024-05-02 00:15"], [0, 2700]),
    (["23:50", "00:10"], [0, 1200]),  # past midnight
    (["09:15", "09:00", "09:30"], [900, 0, 1800]),  # the earliest clock time is T+0
])
def test_time_columns(cells: list[str], expected: list[int]) -> None:
    text = "Time,Message\n" + "".join(f"{c},Inject {n}\n" for n, c in enumerate(cells))
    s = csv_import(text).scenario
    assert s is not None and at(s) == expected


def test_an_offset_header_reads_hh_mm_as_offsets() -> None:
    s = csv_import("T+ (HH:MM),Message\n09:00,a\n09:30,b\n").scenario
    assert s is not None and at(s) == [9 * 3600, 9 * 3600 + 1800]


def test_the_offset_column_wins_over_a_wall_clock_column() -> None:
    text = "Wall Clock Time,Scenario Time (T+),Message\n09:00,T+00:00:00,a\n09:20,T+00:15:00,b\n"
    result = csv_import(text)
    assert result.scenario is not None and at(result.scenario) == [0, 900]
    assert any("ignoring column 'Wall Clock Time'" in w for w in result.warnings)


@pytest.mark.parametrize("value, seconds", [
    ("T+15", 900), ("15", 900), ("01:30", 5400), ("01:30:00", 5400), ("T+1:30", 5400), ("+15m", 900),
    ("1h30m", 5400), ("90s", 90), ("15 min", 900), ("1h00m05s", 3605), ("T + 2h", 7200), ("soon", None),
])
def test_parse_offset(value: str, seconds: int | None) -> None:
    assert parse_offset(value) == seconds


# -- columns --------------------------------------------------------------------------


@pytest.mark.parametrize("header, field", [
    ("Event No.", "id"), ("MSEL #", "id"), ("#", "id"), ("Inject ID", "id"), ("Serial", "id"),
    ("\ufeffEvent #", "id"),
    ("Time", "time"), ("Designated Scenario Time", "time"), ("T+", "time"), ("Scenario Time (T+)", "time"),
    ("Planned Wall-Clock Delivery Time", "time"), ("DTG", "time"), ("T+ (min)", "time"),
    ("From", "from"), ("Originator", "from"), ("Sender / Originator", "from"), ("Sent By", "from"),
    ("To", "to"), ("Recipient(s)", "to"), ("Intended Player", "to"), ("To / Recipient", "to"),
    ("Method", "method"), ("Delivery Method", "method"), ("Inject Mode", "method"), ("Mode of Delivery", "method"),
    ("Inject", "message"), ("Inject / Message", "message"), ("Message Text", "message"), ("Description", "message"),
    ("Title", "title"), ("Subject", "title"), ("Event", "title"), ("Event Synopsis", "title"),
    ("Expected Player Action", "expected"), ("Expected Response", "expected"), ("Player Action(s)", "expected"),
    ("Objective(s)", "objectives"), ("Obj.", "objectives"), ("Core Capability", "capability"),
    ("Notes", "notes"), ("Evaluator Notes", "notes"), ("Special Instructions", "notes"), ("Remarks", "notes"),
    ("Contingency", "manual"), ("Contingency Inject?", "manual"), ("Backup", "manual"),
    ("Trigger", "trigger"), ("Depends on", "trigger"), ("Decision", "decision"), ("Severity", "severity"),
    ("Priority", "severity"), ("Ack Within", "ack_within"), ("Responsible Controller", "extra"),
    ("Inject Type", "extra"),
    ("Actual Time", None), ("Status", None), ("Colour", None), ("", None),
])
def test_match_column(header: str, field: str | None) -> None:
    assert match_column(header) == field


def test_unknown_and_tracking_columns_are_reported_as_ignored() -> None:
    result = csv_import("Time,Message,Colour,Status\n0,a,red,done\n")
    assert "msel.csv:1: warning: ignoring column 'Colour': drilltui does not know what it holds (see docs/msel.md)" in result.warnings
    assert "msel.csv:1: warning: ignoring column 'Status': it is filled in during play" in result.warnings


def test_a_numbers_only_event_column_is_the_event_number() -> None:
    s = csv_import("Event,Time,Synopsis\n1,0,Alarm sounds\n2,5,Smoke seen\n").scenario
    assert s is not None and [i.id for i in s.injects] == ["1", "2"]
    assert s.injects[1].message == "Smoke seen" and s.injects[1].title == "Smoke seen"


def test_title_and_synopsis_without_a_message_column() -> None:
    s = csv_import("Time,Event,Event Synopsis\n0,Alarm,The fire alarm sounds in building C.\n").scenario
    assert s is not None and (s.injects[0].title, s.injects[0].message) == ("Alarm", "The fire alarm sounds in building C.")


# -- cells ---------------------------------------------------------------------------


@pytest.mark.parametrize("word, method", [
    ("Email", "email"), ("E-mail", "email"), ("Phone call", "phone"), ("Voicemail", "phone"), ("Telephone", "phone"),
    ("Radio (VHF)", "radio"), ("Slack", "chat"), ("Teams chat", "chat"), ("SMS", "chat"),
    ("Face to face", "in-person"), ("Verbal", "in-person"), ("In person", "in-person"), ("in-person", "in-person"),
    ("SIEM alert", "system"), ("Pager", "system"), ("Handout", "other"), ("Other", "other"), ("Video", "other"),
    ("Social media", "other"), ("Email / phone", "email"), ("Carrier pigeon", None),
])
def test_map_method(word: str, method: str | None) -> None:
    assert map_method(word) == method


@pytest.mark.parametrize("word, severity", [
    ("Low", "low"), ("Routine", "low"), ("medium", "medium"), ("Moderate", "medium"), ("High", "high"),
    ("Urgent", "high"), ("P2", "high"), ("Critical", "critical"), ("P1", "critical"), ("Flash", "critical"),
    ("SEV-1", "critical"), ("1", "critical"), ("4", "low"), ("whenever", None),
])
def test_map_severity(word: str, severity: str | None) -> None:
    assert map_severity(word) == severity


def test_unknown_method_and_severity_fall_back_with_a_warning() -> None:
    result = csv_import("Time,Message,Method,Severity\n0,a,Carrier pigeon,whenever\n")
    assert result.scenario is not None and (result.scenario.injects[0].method, result.scenario.injects[0].severity) == ("other", "medium")
    assert any(w.startswith("msel.csv:2: warning: method 'Carrier pigeon'") for w in result.warnings)
    assert any(w.startswith("msel.csv:2: warning: severity 'whenever'") for w in result.warnings)


def test_split_names() -> None:
    assert split_names("EOC; PIO, Fire/EMS\nPublic Works") == ["EOC", "PIO", "Fire/EMS", "Public Works"]
    assert split_names("PR/Comm; Legal & Policy") == ["PR/Comm", "Legal & Policy"]
    assert split_names("PR/Comm; Legal & Policy", slashes=True) == ["PR", "Comm", "Legal", "Policy"]
    assert split_names("Team A, Paris\nTeam B", lines_only=True) == ["Team A, Paris", "Team B"]
    assert split_names("Hospital (St. Mary's, Main); EOC") == ["Hospital (St. Mary's, Main)", "EOC"]
    assert split_names("Incident Commander [ic];  SOC Analyst  [soc] ; ; EOC; EOC") == [
        "Incident Commander [ic]", "SOC Analyst [soc]", "EOC"]


def test_recipients_become_roles_found_again_by_title_or_id() -> None:
    text = ("Time,To,Message\n0,Public Information Officer,a\n1,public information officer; PIO [pio],b\n"
            "2,pio,c\n3,Exercise Control,d\n4,SimCell,e\n5,Lead Evaluator,f\n")
    s = csv_import(text).scenario
    assert s is not None
    assert [i.to for i in s.injects] == [
        ("public-information-officer",), ("public-information-officer", "pio"), ("pio",),
        ("exercise-control",), ("simcell",), ("lead-evaluator",)]
    assert [(r.id, r.kind) for r in s.roles] == [
        ("exercise-control", "controller"), ("public-information-officer", "player"), ("pio", "player"),
        ("simcell", "simcell"), ("lead-evaluator", "evaluator")]


def test_recipient_cells_for_export() -> None:
    roles = (Role("ic", "Incident Commander"), Role("exercise-control", "Exercise Control"),
             Role("fin", "Finance/Admin; Chief"), Role("x", "Hospital (North)"), Role("eoc", "EOC"))
    assert [recipient(r, roles) for r in roles] == [
        "Incident Commander [ic]", "Exercise Control", "Finance/Admin Chief [fin]", "Hospital (North) [x]", "EOC"]
    # A bare title is written only when import finds the same id from it again.
    assert recipient(Role("eoc", "EOC"), (*roles, Role("EOC", "Emergency Ops"))) == "EOC [eoc]"


@pytest.mark.parametrize("raw, expected", [
    ("I-001", "I-001"), ("#12", "12"), ("Inject 3", "Inject-3"), ("1.2a", "1.2a"), ("(4)", "4"), ("é-1", "e-1"),
    ("???", ""),
])
def test_sanitise_id(raw: str, expected: str) -> None:
    assert sanitise_id(raw) == expected


def test_event_numbers_are_sanitised_or_made_up() -> None:
    result = csv_import("No.,Time,Message\nInject 3,0,a\n???,1,b\n,2,c\nM-001,3,d\n")
    assert result.scenario is not None
    assert [i.id for i in result.scenario.injects] == ["Inject-3", "M-002", "M-003", "M-001"]
    assert "msel.csv:2: warning: event number 'Inject 3' becomes the id 'Inject-3'" in result.warnings
    assert "msel.csv:3: warning: event number '???' has no letters or digits; an id is made up for it" in result.warnings


@pytest.mark.parametrize("cell, expected", [
    ("after I-1 acknowledged +2m", ("I-1", "acknowledged", None, 120)),
    ("After #12 ack + 5 min", ("12", "acknowledged", None, 300)),
    ("after AI-01 decision:offline", ("AI-01", "decision", "offline", 0)),
    ("after 3 decision: keep +1h", ("3", "decision", "keep", 3600)),
    ("I-2", ("I-2", "released", None, 0)),
    ("after I-2 expired", ("I-2", "expired", None, 0)),
    ("when the EOC calls back", None),
    ("after I-1 decision", None),
])
def test_parse_trigger(cell: str, expected: tuple[object, ...] | None) -> None:
    assert parse_trigger(cell) == expected


def test_parse_decision_forms() -> None:
    d, _ = parse_decision("Close the plant? | close: Close it now | wait: Wait for the inspector")
    assert d is not None and d.prompt == "Close the plant?" and [o.id for o in d.options] == ["close", "wait"]
    d, _ = parse_decision("Evacuate?\nYes, now\nNo")
    assert d is not None and [(o.id, o.label) for o in d.options] == [("yes-now", "Yes, now"), ("no", "No")]
    d, _ = parse_decision(r"Pipe \| or not? | a: one \| two | b: back\\slash")
    assert d is not None and d.prompt == "Pipe | or not?" and [o.label for o in d.options] == ["one | two", "back\\slash"]
    d, why = parse_decision("Only a question? | yes: Yes")
    assert d is None and why and "at least two options" in why


def test_a_bad_decision_is_left_out_with_a_warning() -> None:
    result = csv_import("Time,Message,Decision\n0,a,Go? | yes: Yes\n")
    assert result.scenario is not None and result.scenario.injects[0].decision is None
    assert any(w.startswith("msel.csv:2: warning: the decision is left out") for w in result.warnings)


def test_parse_objectives() -> None:
    assert parse_objectives("O1, O2; Obj 3\nObjective #4") == [("O1", None), ("O2", None), ("O3", None), ("O4", None)]
    assert parse_objectives("O1: Activate the EOC; Notify the public within 30 minutes") == [
        ("O1", "Activate the EOC"), (None, "Notify the public within 30 minutes")]


def test_objective_sentences_get_ids_and_are_shared() -> None:
    text = ("Time,Message,Objectives\n0,a,Activate the EOC within 30 minutes\n1,b,O2 - Warn the public\n"
            "2,c,Activate the EOC within 30 minutes; O2\n")
    s = csv_import(text).scenario
    assert s is not None
    assert [(o.id, o.text) for o in s.objectives] == [("O1", "Activate the EOC within 30 minutes"), ("O2", "Warn the public")]
    assert [i.objectives for i in s.injects] == [("O1",), ("O2",), ("O1", "O2")]


@pytest.mark.parametrize("mark, manual", [("x", True), ("Yes", True), ("TRUE", True), ("✓", True), ("no", False), ("", False)])
def test_contingency_marks(mark: str, manual: bool) -> None:
    s = csv_import(f"Time,Message,Contingency\n0,a,{mark}\n").scenario
    assert s is not None and s.injects[0].manual is manual and (s.injects[0].at is None) is manual


def test_a_contingency_condition_is_kept_for_the_controller() -> None:
    s = csv_import("Time,Message,Contingency\n0,a,If the EOC has not activated by T+30\n").scenario
    assert s is not None and s.injects[0].manual
    assert s.injects[0].expected_action == "Controller notes: Contingency: If the EOC has not activated by T+30"


def test_trigger_loops_are_broken() -> None:
    text = "No.,Time,Trigger,Message\nA,,after B released,a\nB,5,after A released,b\nC,,after C released,c\n"
    result = csv_import(text)
    s = result.scenario
    assert s is not None
    a, b, c = (inj(s, n) for n in "ABC")
    assert a.manual and b.after is not None and b.after.inject == "A" and c.manual
    assert any("the triggers go round in a loop" in w for w in result.warnings)
    assert any("the trigger names the row's own event" in w for w in result.warnings)


def test_decision_triggers_must_name_an_option() -> None:
    text = "No.,Time,Trigger,Message,Decision\nA,0,,a,Go? | go: Go | stay: Stay\nB,,after A decision:run,b,\n"
    result = csv_import(text)
    assert result.scenario is not None and inj(result.scenario, "B").manual
    assert any("decision option 'run' of A" in w for w in result.warnings)


def test_formula_guard_is_removed_on_import() -> None:
    s = csv_import("Time,Message\n0,'=SUM(A1)\n1,'- bullet\n2,'plain\n").scenario
    assert s is not None and [i.message for i in s.injects] == ["=SUM(A1)", "- bullet", "'plain"]


# -- export ----------------------------------------------------------------------------


def test_export_columns_and_cells() -> None:
    _, s = imported("branching_decision.csv")
    text = export_msel(s)
    header, first, second = text.split("\r\n")[:3]
    assert header == ("Event No.,Scenario Time (T+),Trigger,From,To,Method,Severity,Title,Inject / Message,"
                      "Expected Player Action,Objectives,Capability,Decision,Contingency,Notes,Ack Within")
    assert first.startswith("AI-01,T+00:00:00,,Model monitoring,AI Safety Lead [safety-lead]; On-call Engineer [oncall],System,High,")
    assert first.endswith(",Take the public API offline? | offline: Take it offline now | filter: Keep serving with extra filters,,,5m")
    assert second.startswith("AI-02,,after AI-01 acknowledged +2m,Trust & Safety,")
    assert "AI-06,,,Exercise Control," in text and ",Yes,," in text


def test_export_splits_controller_notes_into_the_notes_column() -> None:
    _, s = imported("hseep_riverbend_flood.csv")
    rows = export_msel(s).split("\r\n")
    assert ',Activate the EOC at Level 2 and notify department heads.,O1,Operational Coordination,,,' \
           '"Look for a clear activation decision within 15 minutes.\nResponsible Controller: Ctrl 1",' in rows[1] + "\r\n" + rows[2]


def test_export_guards_cells_that_look_like_formulas() -> None:
    s = loads(MINI.replace("title: Alarm", "title: '=HYPERLINK(\"x\")'"))
    assert "'=HYPERLINK" in export_msel(s)


MINI = """\
format: drilltui/1
id: m
title: M
duration: 10m
roles:
  - id: r
    title: Responder
injects:
  - id: I-1
    at: 0s
    to: [r]
    title: Alarm
"""
