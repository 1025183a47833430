"""The JSON Schema accepts every bundled scenario and agrees with the loader on invalid files."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import SCENARIOS
from samples import MINIMAL

from drilltui.cli import main
from drilltui.scenario import ScenarioError, loads
from drilltui.scenario.schema import scenario_schema
from drilltui.scenario.yamldata import decode, parse, to_python

VALIDATOR = jsonschema.Draft202012Validator(scenario_schema())


def as_data(text: str) -> object:
    node, problems = parse(decode(text.encode()))
    assert not problems
    return to_python(node)


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(scenario_schema())


def test_schema_command_prints_it(capsys) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == scenario_schema()


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_bundled_scenarios_match_the_schema(path) -> None:
    VALIDATOR.validate(as_data(path.read_text(encoding="utf-8")))


def test_minimal_matches_the_schema() -> None:
    VALIDATOR.validate(as_data(MINIMAL))


# Structural mistakes that both the schema and the loader must reject.
INVALID = [
    ("format: drilltui/1", "format: drilltui/2"),
    ("id: mini", "id: Mini"),
    ("title: A minimal drill\n", ""),
    ("duration: 30m", "duration: soon"),
    ("duration: 30m", "duration: 0"),
    ("duration: 30m", "duration: 30m\nextra: 1"),
    ("duration: 30m", "duration: 30m\ntype: exercise"),
    ("    kind: controller", "    kind: boss"),
    ("    ack_within: 2m", "    ack_within: 2 minutes"),
    ("    to: [soc]", "    to: []"),
    ("    to: [soc]", "    to: 5"),
    ("    title: Follow-up", "    title: 42"),
    ("    title: Follow-up", "    title: ''"),
    ("on: acknowledged", "on: acked"),
    ("  - id: I-4\n    manual: true", "  - id: I-4\n    manual: true\n    at: 2m"),
    ("  - id: I-4\n    manual: true", "  - id: I-4"),
    ("  - id: I-4\n    manual: true", "  - id: I-4\n    manual: false"),
    ("    at: 1m\n", "    at: 1m\n    severity: urgent\n"),
    ("    at: 1m\n", "    at: 1m\n    method: pigeon\n"),
    ("    at: 1m\n", "    at: 1m\n    colour: red\n"),
    ("        - id: watch\n          label: Keep watching\n", ""),
    ("    text: Acknowledge within five minutes", "    txt: x"),
    ("  - id: I-2\n", "  - id: I 2\n"),
    ("roles:\n", "roles: []\nnothing:\n"),
]


@pytest.mark.parametrize("old,new", INVALID)
def test_schema_and_loader_agree_on_invalid_files(old: str, new: str) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    with pytest.raises(ScenarioError):
        loads(text)
    assert list(VALIDATOR.iter_errors(as_data(text))), "the schema accepted what the loader rejects"
