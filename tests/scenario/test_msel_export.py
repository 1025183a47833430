"""export-msel writes CSV and XLSX that spreadsheets show as text, never run; from a scenario file or a drill."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from drilltui.scenario import loads
from drilltui.scenario.msel import EXPORT_COLUMNS, export_msel, export_rows, guard_cell, import_msel, write_xlsx

HOSTILE = """\
format: drilltui/1
id: guard
title: Guard
duration: 30m
roles:
  - {id: control, title: Control, kind: controller, holder: "=HYPERLINK(\\"http://x.invalid\\",\\"click\\")"}
  - {id: soc, title: "@SOC", holder: "+1+1"}
injects:
  - {id: I-1, at: 0s, to: [soc], title: "-2+3 alert", message: "=1+1", from: "@SUM(A1)"}
  - {id: I-2, at: 1m, to: [soc], title: "\\t=1+1 hidden", message: "+cmd|' /C calc'!A0"}
  - {id: I-3, at: 2m, to: [soc], title: "Plain", expected_action: "-see the runbook"}
"""


def drilltui(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "drilltui"]
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"}, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"), ("'=1", "''=1"), ("a=1", "a=1"), ("", ""), (12, 12), (-1.5, -1.5),
])
def test_guard_cell(value: object, written: object) -> None:
    assert guard_cell(value) == written


def test_export_msel_csv_neutralises_formula_looking_cells_and_import_reads_them_back() -> None:
    scenario = loads(HOSTILE)
    rows = list(csv.reader(io.StringIO(export_msel(scenario), newline="")))
    cells = [c for row in rows[1:] for c in row]
    for cell in cells:
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    assert "'=1+1" in cells and "'-2+3 alert" in cells and "'\t=1+1 hidden" in cells and "'@SUM(A1)" in cells
    back = import_msel(export_msel(scenario).encode(), "msel.csv").scenario
    assert back is not None and back.injects == scenario.injects


def test_drilltui_export_csv_neutralises_formula_looking_cells(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "script.yaml").write_text(
        "- {at: 0s, as: control, do: start}\n"
        "- {at: 0s, as: soc, do: join, participant: \"=cmd|' /C calc'!A0\"}\n"
        "- {at: 1m, as: soc, do: acknowledge, inject: I-1}\n", encoding="utf-8")
    db = tmp_path / "d.db"
    run = drilltui("run", tmp_path / "s.yaml", "--headless", "--script", tmp_path / "script.yaml", "--db", db)
    assert run.returncode == 0, run.stderr
    drill = run.stdout.splitlines()[-1]
    exported = drilltui("export", drill, "--db", db, "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    participants = {row[5] for row in rows[1:]}
    # Before: the holder was written as =HYPERLINK(...), which LibreOffice ran as a live formula.
    assert participants >= {"'=HYPERLINK(\"http://x.invalid\",\"click\")", "'+1+1"}
    for row in rows[1:]:
        assert all(c[:1] not in ("=", "+", "-", "@", "\t", "\r") for c in row), row
    # export-msel reads the drill's stored scenario from the database.
    out = tmp_path / "from-drill.xlsx"
    done = drilltui("export-msel", drill, "--db", db, "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {out}: 3 injects from drill {drill}\n"
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == list(EXPORT_COLUMNS)
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["I-1", "I-2", "I-3"]
    missing = drilltui("export-msel", "no-such-drill", "--db", db)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "no scenario file or bundled scenario named 'no-such-drill'" in missing.stderr
    assert "and no drill 'no-such-drill' in" in missing.stderr


def test_the_written_workbook_has_no_formulas_and_reads_well(tmp_path: Path) -> None:
    scenario = loads(HOSTILE)
    data = write_xlsx(export_rows(scenario))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "MSEL" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == list(EXPORT_COLUMNS) and all(c.font.bold for c in ws[1])
    every = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in every if c.data_type == "f"]  # no formulas, whatever a cell starts with
    assert ws["I2"].value == "=1+1" and ws["I2"].data_type == "s"
    assert all(c.alignment.wrap_text for c in every if c.value)
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert all(8 <= w <= 60 for w in widths.values()) and widths["A"] < widths["I"] or widths["H"] > 8
    # The values a formula would have computed are not there either: the workbook holds the text itself.
    computed = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    assert computed["I2"].value == "=1+1"


def test_export_msel_writes_xlsx_from_a_scenario_file(tmp_path: Path) -> None:
    out = tmp_path / "msel.xlsx"
    done = drilltui("export-msel", "ai-lab-weights-exfiltration", "-o", out)
    assert done.returncode == 0, done.stderr
    back = drilltui("import-msel", out, "-o", tmp_path / "back.yaml")
    assert back.returncode == 0, back.stderr
    assert f"{out}: note: read as XLSX workbook, sheet 'MSEL'" in back.stderr
    csv_out = drilltui("export-msel", "ai-lab-weights-exfiltration", "--format", "csv")
    assert csv_out.stdout.startswith("Event No.,Scenario Time (T+),Trigger,")
