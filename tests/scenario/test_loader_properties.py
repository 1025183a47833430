"""Whatever text or YAML-shaped data it gets, the loader only ever raises ScenarioError."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import MINIMAL

from drilltui.scenario import Scenario, ScenarioError, loads
from drilltui.visible import has_control

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_or_error(source: str | bytes) -> Scenario | ScenarioError:
    try:
        return loads(source, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems and all(p.path == "fuzz.yaml" and p.line >= 1 and p.col >= 1 for p in exc.problems)
        return exc


@FAST
@given(st.text())
def test_any_text(text: str) -> None:
    load_or_error(text)


@FAST
@given(st.binary(max_size=200))
def test_any_bytes(data: bytes) -> None:
    load_or_error(data)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10_000), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from(["5m", "1h30m", "12:30", "decision:x", "I-1", "soc", "on", "no"]),
)
yamlish = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "to", "at", "after", "on", "roles", "injects", "title", "x", "options", "decision"]) | st.text(max_size=6),
        inner, max_size=5),
    max_leaves=25,
)


@FAST
@given(yamlish)
def test_any_yaml_shaped_data(data: object) -> None:
    load_or_error(yaml.safe_dump(data))


@FAST
@given(
    st.sampled_from(MINIMAL.splitlines()),
    st.sampled_from(["", "x", "[]", "{}", "-", ":", "  ", "null", "&a", "*a", "!!int", "'", '"', "\t"]),
    st.integers(0, 40),
)
def test_mutated_scenarios(line: str, junk: str, pos: int) -> None:
    mutated = MINIMAL.replace(line, line[:pos] + junk + line[pos:], 1)
    load_or_error(mutated)


@FAST
@given(st.data())
def test_dropping_any_line_never_crashes(data: st.DataObject) -> None:
    lines = MINIMAL.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    load_or_error("\n".join(lines[:i] + lines[i + 1:]))


# Hostile values: every code point (controls, bidi controls, lone surrogates) and numbers of any length.
hostile_text = st.text(st.characters(blacklist_categories=()), max_size=30)
huge_number = st.integers(1, 6000).map(lambda n: "9" * n) | st.integers(-(10**60), 10**60).map(str)
hostile_value = hostile_text.map(json.dumps) | huge_number | st.sampled_from(["1e99999", "-0x" + "f" * 5000, ".inf"])
HOSTILE_SLOTS = ("title: A minimal drill", "duration: 30m", "    title: Security Lead", "    at: 1m",
                 "    ack_within: 2m", "    to: [soc]", "  - id: I-1", "    text: Acknowledge within five minutes")


@FAST
@given(st.sampled_from(HOSTILE_SLOTS), hostile_value)
def test_hostile_values_only_ever_give_scenario_errors(slot: str, value: str) -> None:
    key = slot.split(":")[0]
    result = load_or_error(MINIMAL.replace(slot, f"{key}: {value}", 1))
    if isinstance(result, ScenarioError):
        for problem in result.problems:
            line = str(problem)
            assert "\x1b" not in line and line.encode("utf-8") and len(line) < 600
    else:  # accepted: then nothing a terminal would act on got through
        for text in (result.title, *(r.title for r in result.roles), *(i.title for i in result.injects)):
            assert has_control(text) is None


@FAST
@given(hostile_text)
def test_hostile_text_as_the_whole_file(text: str) -> None:
    load_or_error(text)
    load_or_error(text.encode("utf-8", "surrogatepass"))
