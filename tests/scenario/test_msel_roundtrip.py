"""Export then import gives back the same injects; the YAML writer reads back what it wrote."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from conftest import SCENARIOS, without_expect
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from samples import MINIMAL

from drilltui.scenario import ScenarioError, load, loads, yamldata
from drilltui.scenario.check import model_problems
from drilltui.scenario.model import (
    METHODS,
    ROLE_KINDS,
    SEVERITIES,
    TRIGGERS,
    Decision,
    Inject,
    Objective,
    Option,
    Role,
    Scenario,
    Trigger,
)
from drilltui.scenario.msel import (
    MselError,
    dump_scenario,
    escape_bars,
    export_msel,
    export_rows,
    import_msel,
    join_notes,
    slugify,
    split_notes,
    unescape_split,
    write_xlsx,
)
from drilltui.visible import has_control

DATA = Path(__file__).resolve().parent.parent / "data" / "msel"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as people type it into cells: any printable character, the characters that mean
# something to CSV, YAML, To cells and Decision cells, new lines inside; no surrounding space.
# Not the bidirectional controls the loader refuses (format characters, not Cc), as test_starter's text leaves out.
chars = (st.characters(blacklist_categories=("Cs", "Cc")).filter(lambda c: has_control(c) is None)
         | st.sampled_from(list("\n\t;,|/\\():\"'#-[]=+@ ") + ["\\|", "\\\\"]))
raw_text = st.lists(chars, max_size=40).map("".join)
text = raw_text.map(str.strip)
line = text.filter(bool)
maybe = st.none() | line
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,7}", fullmatch=True)
seconds = st.integers(0, 30 * 3600)
capability = st.none() | line.filter(lambda c: ";" not in c and "\n" not in c)  # a one-line label
notes_samples = st.sampled_from(["Check the log.", "Controller notes: as written", "a\n\nController notes: b"])


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    roles: dict[str, Role] = {}
    for _ in range(draw(st.integers(1, 4))):
        title = draw(line | st.sampled_from(["Incident Commander", "SOC", "Exercise Control", "Players", "PIO"]))
        rid = draw(ids | st.just(slugify(title) or "r"))
        if rid not in roles:
            roles[rid] = Role(rid, title, draw(st.sampled_from(ROLE_KINDS)))
    objectives: dict[str, Objective] = {}
    for _ in range(draw(st.integers(0, 3))):
        oid = draw(ids)
        objectives.setdefault(oid, Objective(oid, draw(line), draw(capability)))
    injects: list[Inject] = []
    for _ in range(draw(st.integers(1, 5))):
        iid = draw(ids)
        if any(i.id == iid for i in injects):
            continue
        timing = draw(st.sampled_from(["at", "manual", "after"] if injects else ["at", "manual"]))
        after = None
        if timing == "after":
            target = draw(st.sampled_from(injects))
            ons = list(TRIGGERS) + ([f"decision:{o.id}" for o in target.decision.options] if target.decision else [])
            on = draw(st.sampled_from(ons))
            option = on.split(":", 1)[1] if on.startswith("decision:") else None
            after = Trigger(target.id, "decision" if option else on, option, draw(seconds))
        decision = None
        if draw(st.booleans()):
            option_ids = draw(st.lists(ids, min_size=2, max_size=3, unique=True))
            decision = Decision(draw(line), tuple(Option(o, draw(line)) for o in option_ids))
        expected = draw(maybe | notes_samples)
        injects.append(Inject(
            id=iid,
            title=draw(line),
            to=tuple(draw(st.lists(st.sampled_from(sorted(roles)), min_size=1, max_size=3, unique=True))),
            at=draw(seconds) if timing == "at" else None,
            after=after,
            manual=timing == "manual",
            sender=draw(maybe),
            method=draw(st.sampled_from(METHODS)),
            message=draw(text),
            expected_action=expected,
            objectives=tuple(draw(st.lists(st.sampled_from(sorted(objectives)), max_size=2, unique=True))) if objectives else (),
            severity=draw(st.sampled_from(SEVERITIES)),
            ack_within=draw(st.none() | st.integers(0, 4 * 3600)),
            decision=decision,
        ))
    draft = Scenario(id="generated", title=draw(line), duration=40 * 3600, roles=tuple(roles.values()),
                     injects=tuple(injects), objectives=tuple(objectives.values()), type="drill")
    # Through the writer and the real loader, so the scenario is one a planner could have.
    return loads(dump_scenario(draft), "generated.yaml")


def round_trip(scenario: Scenario, **export_options: str) -> Scenario:
    csv_text = export_msel(scenario, **export_options)
    result = import_msel(csv_text.encode("utf-8"), "msel.csv")
    assert result.valid, (result.problems, result.yaml_text)
    assert result.scenario is not None
    assert loads(result.yaml_text) == result.scenario  # what was checked in memory is what the file holds
    return result.scenario


@FAST
@given(scenarios())
def test_export_then_import_gives_the_same_injects(scenario: Scenario) -> None:
    back = round_trip(scenario)
    assert without_expect(back.injects) == without_expect(scenario.injects)
    used = {oid for i in scenario.injects for oid in i.objectives}
    for oid in used:  # objectives keep their capability (their text is not in the MSEL)
        assert back.objective(oid).capability == scenario.objective(oid).capability  # type: ignore[union-attr]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([";", "\t"]))
def test_round_trip_with_other_delimiters(scenario: Scenario, delimiter: str) -> None:
    assert without_expect(round_trip(scenario, delimiter=delimiter).injects) == without_expect(scenario.injects)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_export_import_export_is_stable(scenario: Scenario) -> None:
    once = export_msel(round_trip(scenario))
    assert export_msel(round_trip(round_trip(scenario))) == once


def test_the_minimal_sample_round_trips() -> None:
    scenario = loads(MINIMAL)
    back = round_trip(scenario)
    assert without_expect(back.injects) == without_expect(scenario.injects)
    assert [r.title for r in back.roles if r.id in ("soc", "lead", "ic")] == ["SOC Analyst", "Security Lead", "Incident Commander"]
    assert back.objective("O1") is not None


def _stripped(i: Inject) -> Inject:
    def s(v: str | None) -> str | None:
        return v.strip() or None if v is not None else None

    decision = i.decision and Decision(i.decision.prompt.strip(), tuple(Option(o.id, o.label.strip()) for o in i.decision.options))
    return dataclasses.replace(
        i, title=i.title.strip(), message=i.message.strip(), expected_action=s(i.expected_action),
        sender=s(i.sender), decision=decision, expect=(),
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_bundled_scenarios_round_trip(path: Path) -> None:
    scenario = load(path)
    back = round_trip(scenario)
    # A cell drops the blank space around its text (a `|` block's last newline, say).
    assert [_stripped(i) for i in back.injects] == [_stripped(i) for i in scenario.injects]


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.csv")))
def test_fixture_msels_round_trip(name: str) -> None:
    first = import_msel((DATA / name).read_bytes(), name)
    assert first.scenario is not None
    back = round_trip(first.scenario)
    assert without_expect(back.injects) == without_expect(first.scenario.injects)
    # Objectives keep their ids and capabilities; their text is not an MSEL column.
    assert [(o.id, o.capability) for o in back.objectives] == [(o.id, o.capability) for o in first.scenario.objectives]


# -- the pieces the round trip rests on -------------------------------------------


@FAST
@given(raw_text, line)
def test_the_yaml_writer_reads_back_any_text(value: str, title: str) -> None:
    inject = Inject(id="I-1", title=title, to=("r",), at=0, message=value, expected_action=value, sender=value or None)
    role = Role("r", value if value.strip() else "R", holder=value)
    scenario = Scenario(id="s", title=title, duration=60, roles=(role,), injects=(inject,), summary=value,
                        objectives=(Objective("O1", title, value),))
    back = loads(dump_scenario(scenario, header=[value, "\ufffe\x85\u2028x"], inject_comments={"I-1": value}))
    assert back.injects[0].message == value
    assert back.injects[0].expected_action == value
    assert back.summary == value
    assert back.roles[0].holder == value
    assert back.objectives[0].capability == value


@FAST
@given(st.lists(text, min_size=1, max_size=4))
def test_bars_escape_and_split_back(parts: list[str]) -> None:
    cell = " | ".join(escape_bars(p) for p in parts)
    got = unescape_split(cell)
    if len(parts) == 1:
        assert got is None or [g.strip() for g in got] == parts
    else:
        assert got is not None and [g.strip() for g in got] == parts


@FAST
@given(text, st.one_of(text, notes_samples))
def test_notes_split_is_the_inverse_of_join(expected: str, notes: str) -> None:
    joined = join_notes(expected or None, notes or None)
    head, tail = split_notes(joined)
    assert join_notes(head.strip() or None, tail.strip() or None) == joined


@FAST
@given(text)
def test_split_notes_never_loses_text(value: str) -> None:
    assume(value)
    head, tail = split_notes(value)
    assert join_notes(head or None, tail or None) == value


# -- whatever the file holds: a scenario that validates, or one line naming the file ------

HEADERS = ["Event No.", "Time", "T+", "Clock Time", "From", "To", "Method", "Severity", "Title", "Message",
           "Expected Player Action", "Objectives", "Capability", "Decision", "Contingency", "Trigger", "Notes",
           "Ack Within", "Status", "Inject Type", ""]
CELLS = st.sampled_from([
    "", "1", "1", "A-1", "#2", "09:00", "23:59", "00:15", "T+5", "T+1:30", "0900", "9:00 PM", "2024-02-30 10:00",
    "after 1 acknowledged +2m", "after A-1 decision:go", "after 1", "after nowhere", "Yes", "x", "maybe",
    "EOC; PIO", "[x]", "Incident Commander [ic]", "a / b, c", "Go? | go: Go | stay: Stay", "Go? | go: Go",
    "O1, O2", "Obj 3", "Activate the EOC", "Email", "pigeon", "P1", "5m", "soon", "\n", "=1+1", "'=x",
    'quote "here"', "semi;colon", "Ops; Planning",
]) | text


@FAST
@given(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
       st.lists(st.lists(CELLS, max_size=9), max_size=6), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_msel_imports_or_is_refused_in_one_line(header: list[str], rows: list[list[str]], delimiter: str,
                                                    encoding: str) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows([header, *rows])
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buf.getvalue().encode("utf-8")
    check_import(data)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_import_or_are_refused_in_one_line(data: bytes) -> None:
    check_import(data)


def check_import(data: bytes) -> None:
    try:
        result = import_msel(data, "fuzz.csv")
    except MselError as exc:
        assert str(exc).startswith("fuzz.csv: ") and "\n" not in str(exc)
        return
    assert result.valid, (result.problems, result.yaml_text)
    assert loads(result.yaml_text).injects == result.scenario.injects  # type: ignore[union-attr]
    assert all(w.startswith("fuzz.csv") or w.startswith("<imported>") for w in result.warnings)


# -- workbooks, and what YAML 1.1 readers make of what drilltui writes ----------------


def xlsx_round_trip(scenario: Scenario) -> Scenario:
    workbook = write_xlsx(export_rows(scenario))
    result = import_msel(workbook, "msel.xlsx")
    assert result.valid, (result.problems, result.yaml_text)
    assert loads(result.yaml_text) == result.scenario
    assert result.scenario is not None and result.found == "XLSX workbook, sheet 'MSEL'"
    return result.scenario


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_scenario_to_xlsx_to_scenario_keeps_every_field_both_have(scenario: Scenario) -> None:
    back = xlsx_round_trip(scenario)
    assert without_expect(back.injects) == without_expect(scenario.injects)
    for oid in {oid for i in scenario.injects for oid in i.objectives}:
        assert back.objective(oid).capability == scenario.objective(oid).capability  # type: ignore[union-attr]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_bundled_scenarios_round_trip_through_xlsx(path: Path) -> None:
    scenario = load(path)
    assert [_stripped(i) for i in xlsx_round_trip(scenario).injects] == [_stripped(i) for i in scenario.injects]


def reads_the_same_under_yaml_1_1(text: str) -> None:
    root, _ = yamldata.parse(text)
    assert yaml.safe_load(text) == yamldata.to_python(root)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_bundled_scenarios_read_the_same_under_yaml_1_1(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert '"on":' in text and " on:" not in text
    reads_the_same_under_yaml_1_1(text)


@FAST
@given(scenarios())
def test_what_drilltui_writes_reads_the_same_under_yaml_1_1(scenario: Scenario) -> None:
    text = dump_scenario(scenario)
    reads_the_same_under_yaml_1_1(text)
    assert all(line.lstrip("- ").startswith('"on"') is False for line in text.splitlines() if "on:" in line.split("{")[0])


def test_today_s_unquoted_on_is_still_read() -> None:
    quoted = loads(MINIMAL)
    assert '"decision:isolate"' in MINIMAL and "on: acknowledged" in MINIMAL
    requoted = loads(MINIMAL.replace("{inject: I-1, on:", '{inject: I-1, "on":'))
    assert requoted.injects == quoted.injects


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "y", "n", "null", "~", "true", "0o17", "1e3", "12:30",
                                  "2024-05-01", ".nan", "-1", "007"])
def test_words_yaml_readers_disagree_on_are_quoted(word: str) -> None:
    inject = Inject(id="I-1", title=word, to=("r",), at=0, message=word, sender=word)
    scenario = Scenario(id="s", title=word, duration=60, roles=(Role("r", word),), injects=(inject,))
    text = dump_scenario(scenario)
    reads_the_same_under_yaml_1_1(text)
    back = loads(text)
    assert (back.title, back.roles[0].title, back.injects[0].sender) == (word, word, word)


@FAST
@given(scenarios(), st.sampled_from(["title", "to", "after", "duration", "option", "control"]))
def test_the_in_memory_check_refuses_what_the_loader_refuses(scenario: Scenario, flaw: str) -> None:
    assert model_problems(scenario) == []
    first = scenario.injects[0]
    if flaw == "title":
        broken = dataclasses.replace(scenario, injects=(dataclasses.replace(first, title=" "), *scenario.injects[1:]))
    elif flaw == "to":
        broken = dataclasses.replace(scenario, injects=(dataclasses.replace(first, to=("nobody-here",)), *scenario.injects[1:]))
    elif flaw == "after":
        broken = dataclasses.replace(scenario, injects=(dataclasses.replace(first, at=None, manual=False,
                                                                            after=Trigger(first.id, "released")), *scenario.injects[1:]))
    elif flaw == "duration":
        broken = dataclasses.replace(scenario, duration=0)
    elif flaw == "option":
        broken = dataclasses.replace(scenario, injects=(dataclasses.replace(
            first, decision=Decision("Q?", (Option("a", "A"), Option("a", "B")))), *scenario.injects[1:]))
    else:
        broken = dataclasses.replace(scenario, title="\x1b]0;x\x07")
    assert model_problems(broken)
    with pytest.raises(ScenarioError):
        loads(dump_scenario(broken))
