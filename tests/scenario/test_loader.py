"""The loader accepts the format page's files and rejects the rest, precisely."""

from __future__ import annotations

import re
import time

import pytest
from samples import MINIMAL

from drilltui.scenario import ScenarioError, loads


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        loads(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def one_error(text: str | bytes, pattern: str) -> str:
    found = [p for p in problems(text) if ": error: " in p]
    assert any(re.search(pattern, p) for p in found), found
    return next(p for p in found if re.search(pattern, p))


def edit(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_minimal_scenario_loads_into_typed_model() -> None:
    s = loads(MINIMAL, "s.yaml")
    assert s.id == "mini" and s.duration == 1800 and s.type == "tabletop"
    assert [r.id for r in s.roles] == ["control", "ic", "lead", "soc", "eval", "obs"]
    assert s.role("soc").reports_to == "lead" and s.role("soc").ack_within == 120
    assert s.chain_of("soc") == ["lead", "ic"]
    i2 = s.inject("I-2")
    assert i2.after.inject == "I-1" and i2.after.on == "acknowledged" and i2.after.delay == 120
    i3 = s.inject("I-3")
    assert i3.after.on == "decision" and i3.after.option == "isolate"
    assert s.inject("I-4").manual and s.inject("I-1").at == 60
    assert s.inject("I-1").severity == "medium" and s.inject("I-1").method == "other"
    assert s.source_text == MINIMAL and len(s.sha256) == 64


def test_model_is_frozen() -> None:
    s = loads(MINIMAL)
    with pytest.raises(AttributeError):
        s.title = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "value,seconds",
    [("90s", 90), ("5m", 300), ("1h30m", 5400), ("2h", 7200), ("01:30:00", 5400), ("12:30", 750), ("600", 600), ("T+00:05:00", 300)],
)
def test_durations(value: str, seconds: int) -> None:
    assert loads(edit("duration: 30m", f"duration: {value}")).duration == seconds


def test_on_key_and_yes_no_stay_text() -> None:
    # YAML 1.1 would read `on` as true and `no` as false; the format means words.
    s = loads(edit("id: watch\n", "id: no\n"))
    assert s.inject("I-1").decision.options[1].id == "no"


@pytest.mark.parametrize(
    "old,new,pattern",
    [
        ("format: drilltui/1", "format: drilltui/9", r"1:9: error: unknown format 'drilltui/9'"),
        ("id: mini", "id: Mini Drill", r"id 'Mini Drill' .* not valid"),
        ("title: A minimal drill\n", "", r"missing the required key 'title'"),
        ("duration: 30m", "duration: soon", r"'soon' is not a duration"),
        ("duration: 30m", "duration: 0", r"longer than zero"),
        ("duration: 30m", "duration: [1]", r"must be a duration, not a list"),
        ("type: x\n" if False else "duration: 30m", "duration: 30m\ntype: exercise", r"type 'exercise' .* not one of"),
        ("duration: 30m", "durration: 30m", r"unknown key 'durration' in the scenario; did you mean 'duration'\?"),
        ("    kind: controller", "    kind: controler", r"did you mean 'controller'\?"),
        ("    ack_within: 2m", "    ack_within: quickly", r"'quickly' is not a duration"),
        ("    reports_to: lead", "    reports_to: leed", r"names role 'leed', which is not defined; did you mean 'lead'\?"),
        ("    to: [soc]", "    to: [sco]", r"names role 'sco', which is not defined; did you mean 'soc'\?"),
        ("    objectives: [O1]", "    objectives: [O2]", r"names objective 'O2'"),
        ("{inject: I-1, on: acknowledged", "{inject: I-9, on: acknowledged", r"names inject 'I-9'"),
        ('on: "decision:isolate"', 'on: "decision:isolat"', r"has no decision option 'isolat'.*did you mean 'isolate'\?"),
        ("on: acknowledged", "on: acked", r"on 'acked' .* not one of"),
        ("  - id: I-4\n    manual: true", "  - id: I-4\n    manual: true\n    at: 2m", r"exactly one of at, after or manual: true; it has at and manual"),
        ("  - id: I-4\n    manual: true", "  - id: I-4", r"exactly one of at, after or manual: true; it has none"),
        ("  - id: I-4\n    manual: true", "  - id: I-4\n    manual: false", r"manual: false and no at or after"),
        ("    title: Follow-up", "    title: [a, b]", r"title of inject I-2 must be text, not a list"),
        ("    title: Follow-up", "    title: 42", r"must be text, not the number 42; put it in quotes"),
        ("    title: Follow-up", "    title: ''", r"title of inject I-2 is empty"),
        ("  - id: I-2", "  - id: I-1", r"inject id 'I-1' is used twice"),
        ("  - id: eval", "  - id: soc", r"role id 'soc' is used twice"),
        ("        - id: watch", "        - id: isolate", r"option id 'isolate' .* used twice"),
        ("    to: [soc]", "    to: []", r"to of inject I-1 is empty"),
        ("    at: 1m\n", "    at: 1m\n    severity: urgent\n", r"severity 'urgent'"),
        ("    at: 1m\n", "    at: 1m\n    method: pigeon\n", r"method 'pigeon'"),
        ("    at: 1m\n", "    at: 1m\n    colour: red\n", r"unknown key 'colour' in inject I-1"),
        ("roles:\n", "roles: []\nx:\n", r"roles is empty"),
        ("    text: Acknowledge within five minutes", "    txt: Acknowledge", r"unknown key 'txt'.*did you mean 'text'"),
        ('on: "decision:isolate"}', 'on: "decision:isolate"}\n    decision: {prompt: p, options: [{id: a, label: A}]}', r"needs at least two options"),
        ("  - id: I-4\n    manual: true", "  - id: I-4\n    after: {inject: I-4, on: released}", r"cannot be released after itself"),
        ("    title: Follow-up", "    title: Follow-up\n    decision: yes", r"decision of inject I-2 must be a mapping"),
    ],
)
def test_rejects_with_position_and_sentence(old: str, new: str, pattern: str) -> None:
    line = one_error(edit(old, new), pattern)
    assert re.match(r"s\.yaml:\d+:\d+: error: ", line)


def test_error_points_at_the_right_line_and_column() -> None:
    text = edit("    to: [soc]", "    to: [sco]")
    line_no = text.splitlines().index("    to: [sco]") + 1
    assert one_error(text, "sco").startswith(f"s.yaml:{line_no}:10: error:")


def test_reports_every_problem_not_only_the_first() -> None:
    text = edit("duration: 30m", "duration: soon")
    text = edit("    to: [soc]", "    to: [sco]", text)
    text = edit("    kind: observer", "    kind: watcher", text)
    errors = [p for p in problems(text) if ": error: " in p]
    assert len(errors) == 3


def test_reports_to_cycle() -> None:
    text = edit("  - id: ic\n    title: Incident Commander\n", "  - id: ic\n    title: Incident Commander\n    reports_to: soc\n")
    line = one_error(text, r"cycle")
    assert "ic -> soc -> lead -> ic" in line or "lead -> ic -> soc -> lead" in line or "soc -> lead -> ic -> soc" in line


def test_after_cycle() -> None:
    text = edit("{inject: I-1, on: acknowledged, delay: 2m}", "{inject: I-3, on: released}")
    text = edit("  - id: I-1\n    at: 1m\n", "  - id: I-1\n    after: {inject: I-2, on: released}\n", text)
    one_error(text, r"after makes a cycle \(")


def test_decision_trigger_on_inject_without_decision() -> None:
    one_error(edit('{inject: I-1, on: "decision:isolate"}', '{inject: I-2, on: "decision:isolate"}'), r"I-2, which has no decision")


def test_at_beyond_duration_is_a_warning_not_an_error() -> None:
    s = loads(edit("    at: 1m\n", "    at: 45m\n"), "s.yaml")
    assert [w.severity for w in s.warnings] == ["warning"]
    assert "beyond the planned duration of 30m" in str(s.warnings[0])


@pytest.mark.parametrize(
    "text,pattern",
    [
        ("", r"1:1: error: file is empty"),
        ("# only a comment\n", r"file is empty"),
        ("- a\n- b\n", r"must be a mapping of keys .* not a list"),
        ("just text\n", r"must be a mapping of keys"),
        ("a: [1, 2\n", r"YAML syntax"),
        ("a: 1\na: 2\n", r"2:1: error: key 'a' appears twice"),
        ("format: drilltui/1\n---\nid: x\n", r"one YAML document"),
        ("x: *nope\n", r"(alias|anchor)"),
    ],
)
def test_rejects_malformed_files(text: str, pattern: str) -> None:
    assert any(re.search(pattern, p) for p in problems(text)), problems(text)


def test_binary_and_latin1_files_name_the_bad_byte() -> None:
    line = problems(MINIMAL.replace("A minimal drill", "Caf\xe9 drill").encode("latin-1"))[0]
    assert re.match(r"s\.yaml:3:\d+: error: byte 0xe9 is not UTF-8", line)
    assert "NUL" in problems(b"format: drilltui/1\x00\x01\x02")[0]


def test_utf8_bom_is_accepted() -> None:
    assert loads(b"\xef\xbb\xbf" + MINIMAL.encode()).id == "mini"


def test_python_tags_execute_nothing_and_are_reported(tmp_path) -> None:
    marker = tmp_path / "pwned"
    text = MINIMAL + f"  - !!python/object/apply:os.system ['touch {marker}']\n"
    found = problems(text)
    assert any("tag !!python/object/apply:os.system is not allowed" in p for p in found)
    assert not marker.exists()
    assert any("tag !!str is not allowed" in p for p in problems(edit("id: mini", "id: !!str mini")))


def test_billion_laughs_is_refused_fast() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]")
    start = time.perf_counter()
    found = problems("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert any("expands to more than" in p for p in found)


def test_size_cap() -> None:
    assert "limited to" in problems(b"a: " + b"x" * 5_000_000)[0]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    assert problems("a: " + "[" * 5000 + "]" * 5000)


def test_missing_file_is_a_problem(tmp_path) -> None:
    from drilltui.scenario import load

    with pytest.raises(ScenarioError) as info:
        load(tmp_path / "nope.yaml")
    assert "no such file" in str(info.value)
