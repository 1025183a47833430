"""The scenario's `sensitive` keys: the loader and the JSON Schema agree on what they take."""

from __future__ import annotations

import jsonschema
import pytest
from samples import MINIMAL

from drilltui.scenario import ScenarioError, loads
from drilltui.scenario.schema import scenario_schema
from drilltui.scenario.yamldata import decode, parse, to_python


def _with(top: str = "", inject: str = "") -> str:
    text = MINIMAL.replace("format: drilltui/1\n", f"format: drilltui/1\n{top}", 1)
    return text.replace("    title: Contingency nudge\n", f"    title: Contingency nudge\n{inject}", 1)


def _schema_ok(text: str) -> bool:
    node, problems = parse(decode(text.encode()))  # read as the loader reads YAML (1.2 core: `on` is a word)
    assert not problems
    return jsonschema.Draft202012Validator(scenario_schema()).is_valid(to_python(node))


@pytest.mark.parametrize("text, fields, flagged", [
    (_with("sensitive: [notes, message]\n"), ("notes", "message"), ()),
    (_with("sensitive: comments\n"), ("comments",), ()),
    (_with(inject="    sensitive: true\n"), (), ("I-4",)),
    (_with(inject="    sensitive: false\n"), (), ()),
])
def test_accepted(text: str, fields: tuple[str, ...], flagged: tuple[str, ...]) -> None:
    scenario = loads(text)
    assert scenario.sensitive == fields
    assert tuple(i.id for i in scenario.injects if i.sensitive) == flagged
    assert _schema_ok(text)


@pytest.mark.parametrize("text, message", [
    (_with("sensitive: [notes, messages]\n"), "sensitive lists 'messages', which is not one of"),
    (_with(inject="    sensitive: yes\n"), "sensitive of inject I-4 must be true or false"),
])
def test_refused(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        loads(text)
    assert message in str(caught.value) and ":" in str(caught.value).split(" ")[0]
    assert not _schema_ok(text)
