"""import-msel reads workbooks, T3SF JSON and OpenAEV exports by their content, field by field; and headerless sheets with --map."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from drilltui.scenario import Scenario, loads
from drilltui.scenario.msel import MselError, import_file, import_msel, load_mapping, parse_mapping, parse_offset

DATA = Path(__file__).resolve().parent.parent / "data" / "msel"


def scenario_of(name: str, **options: object) -> tuple[Scenario, list[str]]:
    result = import_file(DATA / name, **options)
    assert result.valid, (result.problems, result.yaml_text)
    assert result.scenario is not None
    # What was written is what validates: the YAML reads back as the same scenario.
    assert loads(result.yaml_text) == result.scenario
    return result.scenario, list(result.warnings)


def test_a_multi_sheet_workbook_with_merged_and_multi_line_cells() -> None:
    result = import_file(DATA / "harbor_chemical_fe.xlsx")
    assert result.found == "XLSX workbook, sheet 'MSEL'"
    s, warnings = scenario_of("harbor_chemical_fe.xlsx")
    assert f"{DATA / 'harbor_chemical_fe.xlsx'}: note: the workbook has 3 sheets: 'Cover', 'MSEL' (read), 'Lists'; " \
           "pick another with --sheet NAME" in warnings
    assert s.title == "Harbor Chemical Release FE - Master Scenario Events List"  # the merged title row
    assert [i.id for i in s.injects] == ["1", "2", "3", "4", "5", "6"]
    assert [i.at for i in s.injects] == [0, 600, 1500, 1500, 2400, None]  # Excel times, 08:00 is T+0
    one = s.inject("1")
    assert one.message == "Chlorine odour reported at Terminal 4.\nTwo workers complain of burning eyes."
    assert (one.sender, one.to, one.method, one.objectives) == ("Terminal 4 Operator", ("port-control",), "phone", ("O1",))
    assert one.expected_action == "Dispatch HazMat and open an incident."
    assert s.inject("3").to == ("pr-comm", "legal-policy")
    assert s.inject("4").to == ("pr-comm", "legal-policy")  # the merged To cell covers row 7 too
    assert (s.role("pr-comm").title, s.role("legal-policy").title) == ("PR/Comm", "Legal & Policy")
    assert s.inject("5").message.startswith('=HYPERLINK("http://example.invalid","Wind shift")\nWind shifts')
    assert s.inject("5").method == "in-person"
    six = s.inject("6")
    assert six.manual and six.at is None and six.to == ("incident-commander",)
    assert s.inject("2").objectives == ("O1", "O2")
    assert any("[MSEL]:" in w for w in warnings) is False  # nothing about the rows themselves


def test_sheet_picks_a_sheet_and_names_the_ones_there() -> None:
    with pytest.raises(MselError, match=r"no sheet 'Plan'; the workbook has 'Cover', 'MSEL', 'Lists'"):
        import_file(DATA / "harbor_chemical_fe.xlsx", sheet="Plan")
    with pytest.raises(MselError, match=r"no header row found \(first row: Methods\)"):
        import_file(DATA / "harbor_chemical_fe.xlsx", sheet="Lists")
    assert import_file(DATA / "harbor_chemical_fe.xlsx", sheet="MSEL").valid


def test_a_headerless_sheet_is_reported_with_a_mapping_to_use() -> None:
    with pytest.raises(MselError) as info:
        import_file(DATA / "headerless_openbas_style.xlsx")
    assert str(info.value) == (
        f"{DATA / 'headerless_openbas_style.xlsx'}: no header row: the first row holds data "
        "(1 | T+0 | SOC | Phishing wave | Forty users report the sa...); name the columns with --map, "
        "e.g. --map id=A,time=B,to=C,title=D,message=E (fields: docs/msel.md)"
    )


def test_a_headerless_sheet_with_a_mapping() -> None:
    s, warnings = scenario_of("headerless_openbas_style.xlsx", mapping="id=A,time=B,to=C,title=D,message=E")
    assert [(i.id, i.at, i.to, i.title) for i in s.injects] == [
        ("1", 0, ("soc",), "Phishing wave"), ("2", 900, ("soc",), "Credential use"),
        ("3", 2700, ("ciso",), "Ransom note"), ("4", 3600, ("communications",), "Press enquiry")]
    assert s.inject("3").message == "File servers show a ransom note; backups are the next target."
    assert any(w.endswith("columns used: id=A, time=B, to=C, title=D, message=E; to map them the same way "
                          "again: --map id=A,time=B,to=C,title=D,message=E") for w in warnings)


def test_a_mapping_by_header_name_or_from_a_file(tmp_path: Path) -> None:
    csv = b"Ref,Heure,Destinataire,Texte,Commentaire\n1,T+0,PC Crise,Alerte incendie,\n2,T+10,PC Crise,Evacuation,\n"
    by_name = import_msel(csv, "fr.csv", mapping="id=Ref,time=Heure,to=Destinataire,message=Texte")
    assert by_name.valid and [i.at for i in by_name.scenario.injects] == [0, 600]  # type: ignore[union-attr]
    assert by_name.scenario.injects[0].to == ("pc-crise",)  # type: ignore[union-attr]
    saved = tmp_path / "map.yaml"
    saved.write_text("id: A\ntime: B\nto: Destinataire\nmessage: D\n", encoding="utf-8")
    from_file = import_msel(csv, "fr.csv", mapping=load_mapping(saved.read_bytes(), str(saved)))
    assert from_file.scenario == by_name.scenario
    with pytest.raises(MselError, match="'when' is not a field an MSEL column can give"):
        parse_mapping("when=B")
    with pytest.raises(MselError, match="--map names the column 'Hour' for time, which the header row"):
        import_msel(csv, "fr.csv", mapping="time=Hour,message=Texte")


def test_a_t3sf_msel_with_polls() -> None:
    result = import_file(DATA / "t3sf_supply_chain.json")
    assert result.found == "T3SF MSEL JSON"
    s, warnings = scenario_of("t3sf_supply_chain.json")
    assert [(i.id, i.at, i.to) for i in s.injects] == [
        ("1", 0, ("information-security",)), ("2", 300, ("information-security",)), ("3", 720, ("pr-comm",)),
        ("4", 1200, ("legal-policy",))]
    two = s.inject("2")
    assert (two.title, two.sender) == ("Isolate the build farm?", "SOC Tier 2")
    assert two.message == "The loader beacons to 198.51.100.23.\nDo we isolate the whole build farm now?"
    assert two.decision is not None and two.decision.prompt == "Do we isolate the whole build farm now?"
    assert [(o.id, o.label) for o in two.decision.options] == [
        ("isolate-now", "Isolate now"), ("monitor-for-an-hour", "Monitor for an hour")]
    four = s.inject("4").decision
    assert four is not None and four.prompt == "Should we notify the regulator today?"
    assert [o.label for o in four.options] == ["Notify today", "Wait for forensics", "Ask outside counsel"]
    assert s.inject("1").decision is None
    # Date, the in-scenario time, and the picture columns are kept for the controller.
    assert s.inject("2").expected_action == ("Controller notes: Date: Tuesday 02:40 AM\nPhoto: https://example.invalid/edr.png\n"
                                             "Picture Name: edr.png")
    assert (s.role("pr-comm").title, s.role("legal-policy").title) == ("PR/Comm", "Legal & Policy")
    assert any("read column 'Real Time' as clock times; 09:00 AM (item 1) is the start" in w for w in warnings)


def test_an_openaev_export_zip_and_its_json() -> None:
    result = import_file(DATA / "openaev_ransomware_export.zip")
    assert result.found == "OpenAEV scenario export (zip entry Ransomware at the port authority.json)"
    s, _ = scenario_of("openaev_ransomware_export.zip")
    assert s.title == "Ransomware at the port authority"
    assert s.summary == "A ransomware tabletop for the crisis cell."
    assert [(r.id, r.title) for r in s.roles] == [
        ("exercise-control", "Exercise Control"), ("soc", "SOC"), ("crisis-cell", "Crisis Cell"),
        ("legal-risk-compliance", "Legal, Risk & Compliance"), ("players", "Players")]
    assert [(o.id, o.text) for o in s.objectives] == [
        ("O1", "Contain the ransomware: Isolate affected systems within 30 minutes"), ("O2", "Meet notification duties")]
    first, second, third, fourth = s.injects
    assert (first.id, first.at, first.title, first.to, first.method) == (
        "I-001", 0, "Phishing campaign detected", ("soc",), "email")
    assert first.message == "The mail gateway flags a campaign.\n\nSubject: Suspicious invoices\n\n" \
                            "Forty users received an invoice with a macro."
    assert second.after is not None and (second.after.inject, second.after.on, second.after.delay) == ("I-001", "released", 1800)
    assert second.at is None and second.to == ("soc", "crisis-cell")
    assert second.expected_action == "Expectations: Isolate file servers (100 points): Within 15 minutes"
    assert second.message.endswith("Finance shares show .locked files.\nRansom note attached.")
    assert (third.id, third.manual, third.to) == ("I-003", True, ("players",))  # disabled, and for no team
    assert third.expected_action == "Controller notes: disabled in OpenAEV"
    assert (fourth.id, fourth.at, fourth.to) == ("I-004", 5400, ("legal-risk-compliance",))
    with zipfile.ZipFile(DATA / "openaev_ransomware_export.zip") as z:
        raw = z.read("Ransomware at the port authority.json")
    bare = import_msel(raw, "export.json")
    assert bare.found == "OpenAEV scenario export" and bare.scenario is not None
    assert bare.scenario.injects == s.injects


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'{"rows": [], "title": "x"}', "this is JSON but not a T3SF MSEL or an OpenAEV export: it is an object with keys 'rows', 'title'"),
        (b'[{"a": 1}]', "this is JSON but not a T3SF MSEL or an OpenAEV export: it is a list of 1 objects with keys 'a'"),
        (b"%PDF-1.7\n", "this is a PDF document; export the MSEL sheet as CSV or XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "this is an Excel 97-2003 workbook (.xls)"),
    ],
)
def test_a_file_it_cannot_read_gets_one_line_naming_what_it_is(data: bytes, says: str) -> None:
    with pytest.raises(MselError, match="^plan.bin: " + says.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        import_msel(data, "plan.bin")


def test_a_zip_that_is_neither_a_workbook_nor_an_export() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(MselError, match="this is a zip archive but neither an Excel workbook nor an OpenAEV export; it holds notes.txt"):
        import_msel(buf.getvalue(), "plan.zip")


@pytest.mark.parametrize(
    ("cell", "seconds"),
    [("T+90", 5400), ("H+1 M+30", 5400), ("H+2", 7200), ("M+45", 2700), ("J+1", 86400), ("J-60", -60 * 86400),
     ("D+0", 0), ("90m", 5400), ("1" + "0" * 5000, None), ("T+" + "9" * 20, None), ("Monday", None)],
)
def test_relative_time_tokens(cell: str, seconds: int | None) -> None:
    assert parse_offset(cell) == seconds


def test_day_and_clock_tokens_with_a_start() -> None:
    csv = b"No,Time,To,Message\n1,D+0 09:30,EOC,Activation\n2,D+0 14h30,EOC,Shift change\n3,D+1 08:00,EOC,Day two\n"
    with_start = import_msel(csv, "days.csv", start="2025-05-14 09:00")
    assert [i.at for i in with_start.scenario.injects] == [1800, 5.5 * 3600, 23 * 3600]  # type: ignore[union-attr]
    relative = import_msel(csv, "days.csv")  # without --start the first row is T+0
    assert [i.at for i in relative.scenario.injects] == [0, 5 * 3600, 22.5 * 3600]  # type: ignore[union-attr]
    with pytest.raises(MselError, match="--start 'soon' is not a date and time"):
        import_msel(csv, "days.csv", start="soon")


def test_french_offsets_before_the_start_move_the_start() -> None:
    csv = "N°,Heure,Destinataire,Message\n1,J-1,PC,Pré-alerte\n2,J,PC,Déclenchement\n3,J+0 H+2,PC,Point de situation\n".encode()
    result = import_msel(csv, "exercice.csv")
    assert [i.at for i in result.scenario.injects] == [0, 86400, 86400 + 7200]  # type: ignore[union-attr]
    assert any("J-1 (row 2) comes before the start, so it is taken as the start of the drill" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"Time,To,Message\nT+0,EOC,\"Alert \x1b]52;c;aGk=\x07\"\n", "esc.csv",
         "esc.csv:2: the Message cell (C) holds ESC (U+001B); remove it"),
        (json.dumps([{"#": 1, "Real Time": "09:00 AM", "Subject": "x", "Player": "SOC", "Script": "bad \ud800",
                      "Poll": ""}]).encode(), "t3sf.json", "t3sf.json: item 1: the Script cell (E) holds a lone surrogate (U+D800)"),
        ("Time,To,Message\nT+0,\"E\x9bC\",Alert\n".encode(), "csi.csv", "csi.csv:2: the To cell (B) holds CSI (U+009B)"),
    ],
)
def test_control_characters_in_cells_stop_the_import_at_the_cell(data: bytes, name: str, says: str) -> None:
    with pytest.raises(MselError) as info:
        import_msel(data, name)
    assert str(info.value).startswith(says), str(info.value)


def test_huge_numbers_in_cells_are_warnings_not_crashes() -> None:
    big = "9" * 5000
    result = import_msel(f"No,Time,To,Message,Ack Within\n{big},T+{big},EOC,Alert,{big}m\n2,T+5,EOC,Next,\n"
                         "3,T+99999999,EOC,Two centuries on,\n".encode(), "big.csv")
    assert result.valid and result.scenario is not None
    assert [i.manual for i in result.scenario.injects] == [True, False, True]
    assert any("cannot read the time 'T+999" in w for w in result.warnings)
    t3sf = import_msel(json.dumps([{"#": int(big[:4000]), "Real Time": "09:00 AM", "Subject": "x", "Player": "SOC",
                                    "Script": "y", "Poll": ""}]).encode(), "t.json")
    assert t3sf.valid
