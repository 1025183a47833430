"""`drilltui import-msel` and `drilltui export-msel` as a planner runs them."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from samples import MINIMAL

from drilltui.cli import main
from drilltui.scenario import ScenarioError, load, loads
from drilltui.scenario.model import Problem
from drilltui.scenario.msel import build as msel_build

DATA = Path(__file__).resolve().parent.parent / "data" / "msel"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_writes_a_scenario_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "flood.yaml"
    code, stdout, stderr = run(capsys, "import-msel", str(DATA / "hseep_riverbend_flood.csv"), "-o", str(out))
    assert code == 0, stderr
    scenario = load(out)
    assert len(scenario.injects) == 6
    assert stdout.startswith(f"wrote {out}: 6 injects, 5 roles, 4 objectives (1 row skipped)\n")
    assert "check before running the drill:\n  - roles: set reports_to" in stdout
    assert f"{DATA / 'hseep_riverbend_flood.csv'}:6: warning: no inject text or title" in stderr
    assert run(capsys, "validate", str(out))[0] == 0


def test_import_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, stderr = run(capsys, "import-msel", str(DATA / "chem_spill_minimal.csv"), "--title", "Chlorine",
                               "--duration", "2h", "--type", "drill")
    assert code == 0
    scenario = loads(stdout)
    assert (scenario.title, scenario.duration, scenario.type) == ("Chlorine", 7200, "drill")
    assert "wrote standard output: 4 injects" in stderr and "warning: no To column" in stderr


def test_import_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = (DATA / "cyber_ransomware_semicolon.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, stdout, _ = run(capsys, "import-msel", "-")
    assert code == 0 and loads(stdout).title == "Imported MSEL"
    assert stdout.startswith("# Imported from standard input")


def test_import_says_what_to_fill_in_when_the_result_does_not_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(text: str, path: str = "<scenario>") -> object:
        raise ScenarioError([Problem(path, 12, 5, "title of inject 7 is empty; write some text")])

    monkeypatch.setattr(msel_build, "model_problems", lambda scenario: ["title of inject 7 is empty"])
    monkeypatch.setattr(msel_build, "loads", refuse)
    out = tmp_path / "s.yaml"
    code, _, stderr = run(capsys, "import-msel", str(DATA / "chem_spill_minimal.csv"), "-o", str(out))
    assert code == 2 and out.exists()
    assert f"{out}:12:5: error: title of inject 7 is empty; write some text" in stderr
    assert "written, but it does not validate yet" in stderr


BAD = {
    "empty.csv": (b"", "the file is empty"),
    "blank.csv": (b"\r\n ,, \r\n", "the file is empty"),
    "binary.csv": (bytes(range(256)) * 4, "not a CSV file (it holds binary data)"),
    "workbook.csv": (b"PK\x03\x04" + b"\x00" * 40, "starts like a zip archive (or an Excel workbook) but is damaged"),
    "old.xls": (b"\xd0\xcf\x11\xe0" + b"\x00" * 40, "this is an Excel 97-2003 workbook (.xls)"),
    "notes.json": (b'{"title": "x", "rows": []}', "this is JSON but not a T3SF MSEL or an OpenAEV export: it is an object with keys 'title', 'rows'"),
    "headerless.csv": (b"1,09:00,EOC,Flood warning\n2,09:15,EOC,Road closed\n", "no header row: the first row holds data (1 | 09:00 | EOC | Flood warning); name the columns with --map, e.g. --map id=A,time=B,to=C,message=D"),
    "no-time.csv": (b"Event No.,To,Message\n1,EOC,Flood\n", "no time column (Time, Scenario Time or T+); columns found: 'Event No.', 'To', 'Message'"),
    "no-text.csv": (b"Event No.,Time,To\n1,09:00,EOC\n", "no inject text column"),
    "no-rows.csv": (b"Time,Message\n,,\n\n", "no injects below the header (row 1)"),
    "nul.csv": (b"Time,Message\n0,a\x00b\n", "binary data"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    data, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    code, stdout, stderr = run(capsys, "import-msel", str(path), "-o", str(tmp_path / "out.yaml"))
    assert code == 2
    assert stderr.count("\n") == 1 and stderr.startswith(f"drilltui: error: {path}: "), stderr
    assert message in stderr
    assert not (tmp_path / "out.yaml").exists()


def test_missing_file_and_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "import-msel", str(tmp_path / "nope.csv"))
    assert code == 2 and stderr == f"drilltui: error: {tmp_path / 'nope.csv'}: no such file; check the path\n"
    code, _, stderr = run(capsys, "import-msel", str(tmp_path))
    assert code == 2 and stderr == f"drilltui: error: {tmp_path}: is a folder, not an MSEL file\n"


@pytest.mark.parametrize("option, value, message", [
    ("--duration", "soon", "duration 'soon' is not a duration"),
    ("--id", "Not A Slug", "id 'Not A Slug' is not valid"),
])
def test_bad_options(capsys: pytest.CaptureFixture[str], option: str, value: str, message: str) -> None:
    code, _, stderr = run(capsys, "import-msel", str(DATA / "chem_spill_minimal.csv"), option, value)
    assert code == 2 and message in stderr and stderr.count("\n") == 1


def test_import_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "missing-folder" / "s.yaml"
    code, _, stderr = run(capsys, "import-msel", str(DATA / "chem_spill_minimal.csv"), "-o", str(out))
    assert code == 2 and stderr.startswith(f"drilltui: error: {out}: cannot write the scenario")


# -- export ------------------------------------------------------------------------


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINIMAL.replace("title: Outbound traffic spike", "title: Outbound traffic spike at the café"))
    return path


def test_export_to_standard_output(capsys: pytest.CaptureFixture[str], scenario_file: Path) -> None:
    code, stdout, _ = run(capsys, "export-msel", str(scenario_file))
    assert code == 0
    assert stdout.startswith("Event No.,Scenario Time (T+),Trigger,From,To,")
    assert "I-2,,after I-1 acknowledged +2m,," in stdout
    assert run(capsys, "export-msel", str(scenario_file), "-o", "-")[1] == stdout


def test_export_to_a_file_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario_file: Path) -> None:
    csv_path, back = tmp_path / "msel.csv", tmp_path / "back.yaml"
    code, stdout, _ = run(capsys, "export-msel", str(scenario_file), "-o", str(csv_path))
    assert code == 0 and stdout == f"wrote {csv_path}: 4 injects from {scenario_file}\n"
    assert not csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run(capsys, "import-msel", str(csv_path), "-o", str(back))[0] == 0
    assert load(back).injects == load(scenario_file).injects


@pytest.mark.parametrize("delimiter, sep", [("semicolon", ";"), ("tab", "\t")])
def test_export_for_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario_file: Path, delimiter: str, sep: str) -> None:
    csv_path, back = tmp_path / "msel.csv", tmp_path / "back.yaml"
    assert run(capsys, "export-msel", str(scenario_file), "-o", str(csv_path), "--excel", "--delimiter", delimiter)[0] == 0
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfEvent No." + sep.encode())
    assert "café".encode() in data
    assert run(capsys, "import-msel", str(csv_path), "-o", str(back))[0] == 0
    assert load(back).injects == load(scenario_file).injects


def test_export_of_an_invalid_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(MINIMAL.replace("to: [soc]", "to: [nobody]", 1))
    code, stdout, stderr = run(capsys, "export-msel", str(path))
    assert code == 2 and not stdout
    assert f"{path}:" in stderr and "'nobody'" in stderr and "Traceback" not in stderr
    code, _, stderr = run(capsys, "export-msel", str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such file" in stderr


def test_both_commands_have_help(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("import-msel", "export-msel"):
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert f"usage: drilltui {name}" in capsys.readouterr().out
