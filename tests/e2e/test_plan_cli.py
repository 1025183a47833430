"""The real `drilltui plan` on files it cannot show: exit 2, one line per problem, nothing live from the file."""

from __future__ import annotations

import re
from pathlib import Path

from cli import drilltui, drilltui_process
from samples import PLANNED

LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (error|warning): \S")


def test_an_invalid_file_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(PLANNED.replace("to: [lead]\n    title: Follow-up", 'to: [lead, nobody]\n    title: "Follow\\e[31m-up"')
                    .replace("duration: 30m", "duration: soon"), encoding="utf-8")
    result = drilltui_process("plan", path)
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines  # the duration, the unknown role, the escape in the title: each its own line
    for line in lines:
        found = LINE.match(line)
        assert found and found["path"] == str(path), line
    assert "\x1b" not in result.stderr and "Traceback" not in result.stderr and result.stdout == ""
    assert any("'nobody'" in line for line in lines) and any("duration" in line for line in lines)


def test_a_missing_file_or_theme_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = drilltui("plan", tmp_path / "nowhere.yaml")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "nowhere.yaml" in missing.stderr
    (tmp_path / "ok.yaml").write_text(PLANNED, encoding="utf-8")
    theme = drilltui("plan", tmp_path / "ok.yaml", "--theme", "no-such-theme")
    assert theme.returncode == 2 and "no such theme" in theme.stderr and theme.stderr.count("\n") == 1


def test_plan_is_listed_in_the_help() -> None:
    out = drilltui("--help").stdout
    assert re.search(r"^\s+plan\s+the plan on a time axis", out, re.M), out
    assert "--watch" in drilltui("plan", "--help").stdout
