"""libyaml's event stream and the pure-Python one give the same nodes, problems and positions."""

from __future__ import annotations

import pytest
import yaml
from conftest import SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import MINIMAL

from drilltui.scenario import yamldata
from drilltui.scenario.yamldata import Mapping, Node, Scalar, YamlDataError

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def flat(node: Node | None) -> object:
    if node is None:
        return None
    where = (node.mark.line, node.mark.col)
    if isinstance(node, Scalar):
        value = node.value if node.value == node.value else "nan"  # nan != nan
        return ("scalar", value, node.raw, node.plain, where)
    if isinstance(node, Mapping):
        return ("map", where, tuple((flat(k), flat(v)) for k, v in node.items))
    return ("seq", where, tuple(flat(n) for n in node.items))


def outcome(text: str, fast: bool) -> object:
    try:
        root, problems = yamldata.parse(text, fast=fast)
    except YamlDataError as exc:
        return ("error", exc.message, exc.mark)
    return ("ok", flat(root), [(p.message, p.mark) for p in problems])


def same(text: str) -> None:
    assert outcome(text, True) == outcome(text, False)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenarios_parse_the_same(path) -> None:  # noqa: ANN001
    same(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "a: b: c", "a: [1", "\tx: 1", "a: 1\n- b", "a: 'x", 'a: "\\ud800"', "a: &x 1\nb: *y", "a: 1\na: 2",
        "--- 1\n--- 2", "a: !!python/object x\nb: !foo [1]", "[*a]", "a: |\n  x\n b", "é: ü\n😀: [ß, 'x', \"y\"]",
        "? [a]\n: b", "<<: {a: 1}", "a: {b: [c, {d: e}]}\n", "x: \x85y", "k: v\r\nl: w\r\n", "- - - a\n  - b",
    ],
)
def test_broken_and_odd_texts_give_the_same_problems(text: str) -> None:
    same(text)


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(":-[]{}&*!|>'\"#\n\t ,?")), max_size=60))
def test_any_text_gives_the_same_outcome(text: str) -> None:
    same(text)


@FAST
@given(st.sampled_from(MINIMAL.splitlines()), st.sampled_from(["", "x", "[", "{", "&a", "*a", "!!int", "'", '"', "\t", "é"]),
       st.integers(0, 40))
def test_mutated_scenarios_give_the_same_outcome(line: str, junk: str, pos: int) -> None:
    same(MINIMAL.replace(line, line[:pos] + junk + line[pos:], 1))


@pytest.mark.parametrize(
    "text",
    ["a: |#\n  x\n", "a: >-2#c\n   x\n", "a: |2#\n  x\n", "a: [b?c]\n", "a: {b?: c}\n", "a: [x ?y]\n", "{a?b: c}\n",
     "a: [\n  b?c]\n", "# note\nb: [c, {d: 'e?'}]\n"],
)
def test_texts_libyaml_reads_otherwise_take_the_reference_path(text: str) -> None:
    # libyaml accepts each of these where the reference parser refuses it (or reads it otherwise),
    # so the fast path must not be trusted with them.
    assert yamldata._risky(text)
    same(text)


def _risky_by_regex(text: str) -> bool:
    """The risk check spelt out with regular expressions: the slower definition the fast one must equal."""
    import bisect
    import re
    if "\t" in text or re.search(r"[|>][-+0-9]*#", text):
        return True
    brackets = [(m.start(), m.group()) for m in re.finditer(r"[\[\]{}]", text)]
    depth, depths = 0, []
    for _, c in brackets:
        depth = depth + 1 if c in "[{" else max(0, depth - 1)
        depths.append(depth)
    starts = [at for at, _ in brackets]
    for m in re.finditer(r"\?", text):
        at = m.start()
        if at == 0 or text[at - 1] in " \t\r\n-?:,[]{}#&*!|>%@`'\"":
            return True
        i = bisect.bisect(starts, at)
        if i and depths[i - 1]:
            return True
    return False


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab?[]{}#|>-+09 \n:\t,'\"")), max_size=50))
def test_the_risk_check_finds_what_its_definition_finds(text: str) -> None:
    assert yamldata._risky(text) == _risky_by_regex(text)


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "reference"])
def test_the_tree_keeps_each_position_as_two_numbers_not_the_parsers_mark(fast: bool) -> None:
    """A parser's mark is an object and a dict per value: kept, a 5,000-inject file's tree held 18.2 MiB, not 14.8."""
    import gc

    node, _ = yamldata.parse(MINIMAL, fast=fast)
    assert isinstance(node, Mapping)
    seen, todo = 0, [node]
    while todo:
        n = todo.pop()
        seen += 1
        # A mark of either parser: PyYAML's own class, or libyaml's (another class of the same name).
        assert not any(hasattr(x, "line") and hasattr(x, "column") for x in gc.get_referents(n)), n
        if isinstance(n, Mapping):
            todo += [x for pair in n.items for x in pair]
        elif not isinstance(n, Scalar):
            todo += list(n.items)
    assert seen > 50
    # The positions are the same 1-based line and column as before: `title:` is on line 3 of MINIMAL.
    assert node.key_mark("title") == (3, 1) and node.mark == (1, 1)
