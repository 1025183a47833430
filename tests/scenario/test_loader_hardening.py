"""Hostile scenario files: control characters, surrogates, huge numbers, long chains, files that are not files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from cli import drilltui
from samples import MINIMAL

from drilltui.scenario import ScenarioError, load, loads
from drilltui.scenario.loader import cycles
from drilltui.scenario.source import Unreadable, read_source


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        loads(text, "s.yaml")
    return [str(p) for p in info.value.problems]




@pytest.mark.parametrize(
    ("old", "new", "where", "named"),
    [
        ("title: A minimal drill", 'title: "Drill \\e]52;c;SGVsbG8=\\a"', "s.yaml:3:8:", "title of the scenario holds ESC (U+001B)"),
        ("    title: Outbound traffic spike", '    title: "spike \\e[5n"', "s.yaml:33:12:", "title of inject I-1 holds ESC (U+001B)"),
        ("    title: Security Lead", '    title: "Lead \\x9b31m"', "s.yaml:16:12:", "title of role lead holds CSI (U+009B)"),
        ("    title: Outbound traffic spike", '    title: "spike"\n    message: "a\\rb"',
         "s.yaml:34:14:", "message of inject I-1 holds carriage return (U+000D)"),
        ("    to: [soc]", '    to: ["so\\x07c"]', "s.yaml:32:10:", "to of inject I-1 holds BEL (U+0007)"),
        ("title: A minimal drill", "title: A minimal drill\nsummary: \"a \\u202e b\"", "s.yaml:4:10:",
         "summary of the scenario holds a bidirectional control (U+202E)"),
        ("title: A minimal drill", 'title: "Drill \\ud800"', "s.yaml:3:8:", "title of the scenario holds a lone surrogate (U+D800)"),
        ("    title: Security Lead", '    title: "\\udfff Lead"', "s.yaml:16:12:", "title of role lead holds a lone surrogate (U+DFFF)"),
    ],
)
def test_control_characters_and_surrogates_are_errors_at_their_place(old: str, new: str, where: str, named: str) -> None:
    found = [p for p in problems(MINIMAL.replace(old, new, 1)) if ": error: " in p]
    assert found[0].startswith(where) and named in found[0], found
    assert len(found) == 1 or "names role" in found[1]


def test_tabs_and_line_breaks_stay_allowed() -> None:
    scenario = loads(MINIMAL.replace("title: A minimal drill", 'title: "A\\tminimal drill"\nsummary: "one\\ntwo"'))
    assert scenario.title == "A\tminimal drill" and scenario.summary == "one\ntwo"


def test_problem_lines_never_carry_control_characters_raw() -> None:
    text = MINIMAL.replace("title: A minimal drill", 'title: "x"\n"\\e]0;owned\\a": 1')
    for line in problems(text):
        assert "\x1b" not in line and "\x07" not in line
    assert any("unknown key '^[]0;owned^G'" in line for line in problems(text))


def test_validate_prints_hostile_text_visibly_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("title: A minimal drill", 'title: "\\e]52;c;aGk=\\a\\ud800"'), encoding="utf-8")
    done = drilltui("validate", str(bad))
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "Traceback" not in done.stderr
    assert f"{bad}:3:8: error: title of the scenario holds ESC (U+001B)" in done.stderr


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("duration: 30m", "duration: " + "9" * 5000, "s.yaml:4:11: error: duration of the scenario: '999"),
        ("    at: 1m", "    at: " + "7" * 5000, "s.yaml:31:9: error: at of inject I-1: '777"),
        ("    ack_within: 10m", "    ack_within: -" + "1" * 5000, "s.yaml:14:17: error: ack_within of role ic"),
        ("title: A minimal drill", "title: " + "5" * 5000, "s.yaml:3:8: error: title of the scenario must be text"),
        ("duration: 30m", "duration: 0x" + "f" * 5000, "s.yaml:4:11: error: duration of the scenario"),
        ("duration: 30m", "duration: 400000000", "longer than a year"),
    ],
)
def test_huge_numbers_are_one_line_each(old: str, new: str, expect: str) -> None:
    found = problems(MINIMAL.replace(old, new, 1))
    assert any(expect in p and len(p) < 400 for p in found), [p[:200] for p in found]


def test_huge_numbers_at_the_command_line(tmp_path: Path) -> None:
    bad = tmp_path / "big.yaml"
    bad.write_text(MINIMAL.replace("duration: 30m", "duration: " + "9" * 5000), encoding="utf-8")
    done = drilltui("validate", str(bad))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 2


def test_validate_dev_zero_is_one_line_at_once() -> None:
    start = time.monotonic()
    done = drilltui("validate", "/dev/zero", timeout=20)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "/dev/zero:1:1: error: is a character device, not a scenario file; name a regular file"
    assert time.monotonic() - start < 15


def test_a_fifo_as_a_scenario_is_one_line_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    done = drilltui("validate", str(fifo), timeout=20)
    assert done.returncode == 2
    assert "is a named pipe (FIFO), not a scenario file" in done.stderr


def test_read_source_never_reads_past_its_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 2000)
    assert read_source(big, "scenario file", 2000) == b"#" * 2000
    with pytest.raises(Unreadable, match="2,000 bytes, over the limit of 1,999"):
        read_source(big, "scenario file", 1999)
    with pytest.raises(Unreadable, match="is a character device"):
        read_source("/dev/zero", "participants file")
    with pytest.raises(Unreadable, match="is a folder"):
        read_source(tmp_path, "key file")


def test_cycles_are_found_once_from_their_first_member() -> None:
    links = {"a": "b", "b": "c", "c": "b", "d": "d", "e": None, "f": "a", "g": "zz"}
    assert cycles(links) == [["b", "c"], ["d"]]


def chain(n: int, loop: bool = False) -> str:
    roles = "".join(f"  - {{id: r{i}, title: R{i}{', reports_to: r' + str(i - 1) if i else ''}}}\n" for i in range(n))
    if loop:
        roles = roles.replace("{id: r0, title: R0}", f"{{id: r0, title: R0, reports_to: r{n - 1}}}")
    injects = "".join(
        f"  - {{id: I{i}, {'after: {inject: I' + str(i - 1) + ', on: released}' if i else 'at: 0s'}, to: [r0], title: T}}\n"
        for i in range(n)
    )
    return f"format: drilltui/1\nid: long\ntitle: Long\nduration: 1h\nroles:\n{roles}injects:\n{injects}"


def test_ten_thousand_long_chains_validate_in_linear_time() -> None:
    # Before: a 2,000-role chain took 10.8 s and 10,000 roles more than 19 CPU-minutes.
    start = time.monotonic()
    scenario = loads(chain(10_000))
    assert len(scenario.roles) == 10_000 and scenario.chain_of("r9999")[-1] == "r0"
    with pytest.raises(ScenarioError) as info:
        loads(chain(10_000, loop=True))
    assert time.monotonic() - start < 10
    (only,) = info.value.errors
    assert only.message.startswith("reports_to makes a cycle (r0 -> r9999 -> r9998 -> ")


def test_named_file_errors_keep_the_path(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load(tmp_path / "nope.yaml")
