"""Redact a scenario's text: names and sensitive free text replaced in place, the rest of its layout kept, comments dropped."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator

import yaml

from drilltui.evidence.placeholders import SCENARIO_SEQ, Placeholders, Policy, commitment
from drilltui.frozen import frozen
from drilltui.scenario.yamldata import resolve_plain

# Values under these keys are ids, enumerations, numbers or times: structure, never redacted.
IDENT_KEYS = frozenset({"format", "id", "type", "duration", "kind", "reports_to", "ack_within", "at", "to",
                        "method", "severity", "objectives", "inject", "on", "delay", "manual", "sensitive"})
INJECT_TEXT = ("title", "from", "message", "expected_action", "decision")


@frozen
class RedactedScenario:
    text: str
    commitments: dict[str, str]  # path (roles/ic/holder) -> commitment of the value it replaced


@frozen
class _Value:
    node: yaml.ScalarNode
    path: str
    key: str
    category: str | None  # the `sensitive:` field name that covers it
    inject: str | None  # the inject it belongs to


def _text(node: yaml.Node) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.style is None:  # plain: resolved as the loader does (YAML 1.2 core)
        value = resolve_plain(node.value)
        return value if isinstance(value, str) else None
    return node.value


def _child_id(node: yaml.Node, index: int) -> str:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if _text(k) == "id" and _text(v):
                return str(_text(v))
    return str(index)


def _values(node: yaml.Node, path: str, key: str, category: str | None, inject: str | None,
            seen: set[int]) -> Iterator[_Value]:
    """Every string value in document order, with what it is; each node once (aliases share nodes)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if key not in IDENT_KEYS and _text(node) is not None:
            yield _Value(node, path, key, category, inject)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _values(item, f"{path}/{_child_id(item, i)}", key, category,
                               _child_id(item, i) if path == "injects" else inject, seen)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            name = _text(k) or ""
            sub = category
            if path == "" and name == "summary":
                sub = "summary"
            elif path.startswith("objectives/") and path.count("/") == 1 and name == "text":
                sub = "objectives"
            elif inject is not None and path.count("/") == 1 and name in INJECT_TEXT:
                sub = name
            yield from _values(v, f"{path}/{name}" if path else name, name, sub, inject, seen)


def _scalar_spans(node: yaml.Node, out: list[tuple[int, int]], seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        out.append((node.start_mark.index, node.end_mark.index))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _scalar_spans(item, out, seen)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            _scalar_spans(k, out, seen)
            _scalar_spans(v, out, seen)


# Characters YAML does not take raw in a quoted scalar (outside its printable set), and line separators.
_UNPRINTABLE = re.compile("[\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u2028\u2029]")


def quote(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`."""
    out = json.dumps(text, ensure_ascii=False)  # escapes quotes, backslashes and C0 controls
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _comments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Edits that drop every comment: a `#` outside any scalar starts one, to the end of its line."""
    spans.sort()
    starts = [s for s, _ in spans]
    edits = []
    at = 0
    while (hit := text.find("#", at)) != -1:
        i = bisect.bisect_right(starts, hit) - 1
        if i >= 0 and spans[i][0] <= hit < spans[i][1]:
            at = spans[i][1]
            continue
        end = text.find("\n", hit)
        end = len(text) if end == -1 else end
        start = hit
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        if (start == 0 or text[start - 1] == "\n") and end < len(text):
            end += 1  # a line that was only a comment goes altogether
        edits.append((start, end, ""))
        at = end
    return edits


def redact_scenario(text: str, policy: Policy, places: Placeholders, seed: bytes) -> RedactedScenario:
    """The redacted text of a scenario that loaded, and a commitment for each value it replaced."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    values = list(_values(root, "", "", None, None, set())) if root is not None else []
    for v in values:
        if v.key == "holder" and v.path.startswith("roles/"):
            places.name(str(_text(v.node)), person=True)  # every holder is known before any text is scrubbed
    edits: list[tuple[int, int, str]] = []
    commitments: dict[str, str] = {}
    for v in values:
        old = str(_text(v.node))
        if v.key == "holder" and v.path.startswith("roles/"):
            new = places.name(old)
        elif policy.hides(v.category, v.inject):
            new = places.text(old)
        else:
            new = places.scrub(old)
        if new == old:
            continue
        commitments[v.path] = commitment(seed, SCENARIO_SEQ, v.path, old)
        start, end = v.node.start_mark.index, v.node.end_mark.index
        # A block scalar's span takes its line break (and blank lines after it) with it.
        edits.append((start, end, quote(new) + ("\n" if text[start:end].endswith("\n") else "")))
    spans: list[tuple[int, int]] = []
    if root is not None:
        _scalar_spans(root, spans, set())
    for start, end, new in sorted(edits + _comments(text, spans), reverse=True):
        text = text[:start] + new + text[end:]
    return RedactedScenario(text, commitments)
