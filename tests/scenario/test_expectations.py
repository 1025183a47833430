"""Critical tasks and expectations in the scenario format: loader, schema, model check, YAML writer and importer."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import EVALUATED, MINIMAL

from drilltui.scenario import ScenarioError, loads
from drilltui.scenario.check import model_problems
from drilltui.scenario.msel import dump_scenario, import_msel
from drilltui.scenario.schema import scenario_schema


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        loads(text, "s.yaml")
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def test_tasks_and_expectations_load_with_their_defaults() -> None:
    s = loads(EVALUATED)
    assert [t.id for t in s.objective("O1").tasks] == ["T1", "T2"]  # type: ignore[union-attr]
    inject, ack = s.expectation("E-ack")  # type: ignore[misc]
    assert inject.id == "I-1" and ack.by == ("soc",) and ack.within == 90 and ack.task == "T1" and ack.when == "acknowledged"
    _, iso = s.expectation("E-iso")  # type: ignore[misc]
    assert iso.by == ("soc", "lead") and iso.option == "isolate"
    _, brief = s.expectation("E-brief")  # type: ignore[misc]
    assert (brief.by, brief.within, brief.task, brief.when) == (("soc",), None, None, None)
    assert s.task("T2")[0].id == "O1"  # type: ignore[index]
    assert [e.id for _, e in s.expectations] == ["E-ack", "E-iso", "E-page", "E-brief", "E-up", "E-close"]
    assert model_problems(s) == []


def test_older_files_load_unchanged() -> None:
    s = loads(MINIMAL)
    assert all(i.expect == () for i in s.injects) and all(o.tasks == () for o in s.objectives)


def test_bad_references_are_named_with_file_line_and_column() -> None:
    text = EVALUATED.replace("task: T2, when", "task: T9, when").replace("by: [soc, lead]", "by: [soc, nobody]") \
        .replace('"decision:isolate"', '"decision:isolat"').replace("id: E-page", "id: E-ack") \
        .replace("when: resolved", "when: solved").replace("{id: T2, text", "{id: T1, text")
    got = problems(text)
    line = {n: i + 1 for i, row in enumerate(text.splitlines()) for n in ("E-iso", "E-page", "E-close", "T2") if n in row}
    assert f"s.yaml:{line['E-iso']}:" in "\n".join(got)
    joined = "\n".join(got)
    assert "names task 'T9', which is not defined" in joined
    assert "names role 'nobody', which is not defined" in joined
    assert "I-1 has no decision option 'isolat' (it has isolate, watch); did you mean 'isolate'?" in joined
    assert "expectation id 'E-ack' is used twice" in joined
    assert "task id 'T1' is used twice" in joined
    assert "when 'solved' of expectation E-close of inject I-2 is not one of acknowledged, resolved, escalated" in joined
    assert all(p.startswith("s.yaml:") and p.split(":")[1].isdigit() and p.split(":")[2].isdigit() for p in got)


def test_expectation_ids_are_unique_across_injects_and_keys_are_checked() -> None:
    text = EVALUATED.replace("id: E-up,", "id: E-ack,").replace("{id: E-brief, text: The SOC briefs the lead on what it saw}",
                                                             "{id: E-brief, txt: The SOC briefs}")
    joined = "\n".join(problems(text))
    assert "expectation id 'E-ack' is used twice (first on line" in joined
    assert "unknown key 'txt' in expectation E-brief of inject I-1; did you mean 'text'?" in joined
    assert "expectation E-brief of inject I-1 is missing the required key 'text'" in joined


def test_a_decision_expectation_needs_a_decision() -> None:
    joined = "\n".join(problems(EVALUATED.replace("when: resolved", 'when: "decision:go"')))
    assert "when of expectation E-close of inject I-2 waits for a decision, but inject I-2 asks for none" in joined


def test_the_schema_describes_and_checks_the_new_keys() -> None:
    schema = scenario_schema()
    jsonschema.validate(yaml.safe_load(EVALUATED.replace("{inject: I-1, on:", '{inject: I-1, "on":')), schema)
    objective = schema["properties"]["objectives"]["anyOf"][0]["items"]
    inject = schema["properties"]["injects"]["items"]
    task = objective["properties"]["tasks"]["anyOf"][0]["items"]
    expect = inject["properties"]["expect"]["anyOf"][0]["items"]
    for props in (task["properties"], expect["properties"], {"tasks": objective["properties"]["tasks"],
                                                              "expect": inject["properties"]["expect"]}):
        assert all(v.get("description") for v in props.values()), props
    assert expect["required"] == ["id", "text"]
    bad = yaml.safe_load(EVALUATED.replace("{inject: I-1, on:", '{inject: I-1, "on":').replace("when: resolved", "when: solved"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    json.dumps(schema)


def test_the_yaml_writer_keeps_tasks_and_expectations() -> None:
    s = loads(EVALUATED)
    back = loads(dump_scenario(s))
    assert back.objectives == s.objectives and back.injects == s.injects
    assert "by:" not in dump_scenario(s).split("E-ack")[1].split("\n")[0]  # the default is not written out


ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,6}", fullmatch=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ids, st.sampled_from([None, "acknowledged", "resolved", "escalated", "decision:watch"]),
                          st.none() | st.integers(1, 7200), st.sampled_from([None, "T1", "T2"]),
                          st.sampled_from([None, ("soc",), ("lead", "ic")])), unique_by=lambda x: x[0], max_size=6))
def test_any_expectations_written_read_back_the_same(items) -> None:
    lines = []
    for eid, when, within, task, by in items:
        parts = [f"id: '{eid}'", f"text: Expected {eid}"]
        parts += [f"when: '{when}'"] if when else []
        parts += [f"within: {within}"] if within else []
        parts += [f"task: {task}"] if task else []
        parts += [f"by: [{', '.join(by)}]"] if by else []
        lines.append("      - {" + ", ".join(parts) + "}")
    text = EVALUATED
    if lines:
        text = text.replace("    title: Contingency nudge\n", "    title: Contingency nudge\n    expect:\n" + "\n".join(lines) + "\n")
        text = text.replace("    to: [soc]\n    title: Contingency nudge", "    to: [soc]\n    title: Contingency nudge")
        text = text.replace("      - {" + lines[0][9:], "      - {" + lines[0][9:])
    try:
        s = loads(text)
    except ScenarioError as exc:
        # Only a decision expectation on an inject without a decision may be refused.
        assert all("waits for a decision" in p.message or "used twice" in p.message for p in exc.errors), exc
        return
    assert loads(dump_scenario(s)).injects == s.injects
    assert model_problems(s) == []


def test_the_importer_maps_the_expected_action_column_onto_one_expectation() -> None:
    csv = ("MSEL #,Time,To,Event Synopsis,Expected Player Action\n"
           "1,00:05,Incident Commander,Flood gauge rising,Activate the EOC at Level 2\n"
           "2,00:10,Public Works,Road closed,\n").encode()
    result = import_msel(csv, "msel.csv")
    s = result.scenario
    assert s is not None
    first, second = s.injects
    assert first.expected_action == "Activate the EOC at Level 2"
    assert [(e.id, e.text, e.by) for e in first.expect] == [("1.1", "Activate the EOC at Level 2", first.to)]
    assert second.expect == ()
    assert loads(result.yaml_text).injects == s.injects  # and the YAML it writes says so
