"""Scenario YAML written for people, by PyYAML's emitter: readable key order, block text, flow id lists, a few comments.

Every scalar is written so that a YAML 1.1 reader (PyYAML, many linters) and
drilltui's YAML 1.2 core reading agree on it: words such as `on`, `yes` or `no`
and anything drilltui would read as a number or null are quoted, and the `on`
key of `after` is written `"on":`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from drilltui.scenario.durations import format_duration
from drilltui.scenario.model import FORMAT, Expectation, Inject, Scenario
from drilltui.scenario.yamldata import resolve_plain

_Base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if yaml.__with_libyaml__ else yaml.SafeDumper


class _Dumper(_Base):
    """SafeDumper (libyaml's emitter when present) that knows the wrappers below."""


class _Text(str):
    """A text value: a `|` block when it spans lines."""


class _Quoted(str):
    """Always double-quoted (the `on` key)."""


class _Flow(list):
    """A list written on one line: `[a, b]`."""


class _FlowMap(dict):
    """A mapping written on one line: `{inject: I-1, "on": released}`."""


def _str(dumper: Any, value: str) -> yaml.ScalarNode:
    style = None
    # A `|` block, but never a `|+` one: the blank line written after it would join its text.
    if "\n" in value and value.strip("\n") and not value.endswith("\n\n"):
        style = "|"
    elif resolve_plain(value) != value or value != value.strip():
        style = '"'  # drilltui would read it plain as a number, a boolean or null
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Text, _str)
_Dumper.add_representer(_Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))
_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", list(v), flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", dict(v), flow_style=True))
_Dumper.add_representer(dict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=False))
_Dumper.add_representer(list, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=False))


def _comment(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in " ".join(text.splitlines()))


def _inject(i: Inject) -> dict[str, Any]:
    out: dict[str, Any] = {"id": i.id}
    if i.manual:
        out["manual"] = True
    elif i.after is not None:
        after: dict[str, Any] = {"inject": i.after.inject, _Quoted("on"): i.after.label}
        if i.after.delay:
            after["delay"] = format_duration(i.after.delay)
        out["after"] = _FlowMap(after)
    else:
        out["at"] = format_duration(i.at or 0)
    if i.sender is not None:
        out["from"] = _Text(i.sender)
    out["to"] = _Flow(i.to)
    out["method"] = i.method
    out["severity"] = i.severity
    out["title"] = _Text(i.title)
    if i.message:
        out["message"] = _Text(i.message)
    if i.expected_action is not None:
        out["expected_action"] = _Text(i.expected_action)
    if i.objectives:
        out["objectives"] = _Flow(i.objectives)
    if i.ack_within is not None:
        out["ack_within"] = format_duration(i.ack_within)
    if i.decision is not None:
        out["decision"] = {"prompt": _Text(i.decision.prompt),
                           "options": [{"id": o.id, "label": _Text(o.label)} for o in i.decision.options]}
    if i.expect:
        out["expect"] = [_expectation(i, e) for e in i.expect]
    return out


def _expectation(i: Inject, e: Expectation) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "text": _Text(e.text)}
    if e.by and e.by != i.to:
        out["by"] = _Flow(e.by)
    if e.within is not None:
        out["within"] = format_duration(e.within)
    if e.task is not None:
        out["task"] = e.task
    if e.when is not None:
        out["when"] = e.when
    return out


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the order people read it, ready for the emitter."""
    data: dict[str, Any] = {"format": FORMAT, "id": scenario.id, "title": _Text(scenario.title)}
    if scenario.summary is not None:
        data["summary"] = _Text(scenario.summary)
    if scenario.domain:
        data["domain"] = scenario.domain
    for key in ("threat", "sponsor"):
        if getattr(scenario, key):
            data[key] = _Text(getattr(scenario, key))
    data["type"] = scenario.type
    data["duration"] = format_duration(scenario.duration)
    if scenario.objectives:
        data["objectives"] = [
            {"id": o.id, "text": _Text(o.text), **({"capability": _Text(o.capability)} if o.capability is not None else {}),
             **({"tasks": [{"id": t.id, "text": _Text(t.text)} for t in o.tasks]} if o.tasks else {})}
            for o in scenario.objectives
        ]
    roles = []
    for r in scenario.roles:
        role: dict[str, Any] = {"id": r.id, "title": _Text(r.title)}
        if r.kind != "player":
            role["kind"] = r.kind
        if r.holder is not None:
            role["holder"] = _Text(r.holder)
        if r.reports_to is not None:
            role["reports_to"] = r.reports_to
        if r.ack_within is not None:
            role["ack_within"] = format_duration(r.ack_within)
        roles.append(role)
    data["roles"] = roles
    data["injects"] = [_inject(i) for i in scenario.injects]
    return data


def dump_scenario(
    scenario: Scenario,
    *,
    header: Sequence[str] = (),
    inject_comments: Mapping[str, str] | None = None,
) -> str:
    """Scenario YAML written for people: the emitter's text, with a blank line between sections and
    injects, a comment header and a comment after each inject's id."""
    text = yaml.dump(scenario_data(scenario), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=4096, default_flow_style=False)
    comments = inject_comments or {}
    out = [f"# {_comment(line)}".rstrip() for line in header]
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    # Top-level keys and list items start at column 0 (libyaml's emitter does not indent lists under a key).
    injects_at = next((n for n, line in enumerate(lines) if line == "injects:"), len(lines))
    for line in lines[:injects_at]:
        if line in ("objectives:", "roles:"):
            out.append("")
        out.append(line)
    out.append("")
    ids = iter(scenario.injects)
    for n, line in enumerate(lines[injects_at:]):
        if line.startswith("- id: "):  # an inject; block text is indented, so none of its lines starts so
            inject = next(ids)
            if n > 1:
                out.append("")
            note = comments.get(inject.id)
            if note:
                line += f"  # {_comment(note)}"
        out.append(line)
    return "\n".join(out) + "\n"
