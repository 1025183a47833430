"""Headless scripts: a YAML list of timed steps, each one command as one role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drilltui.engine import commands as c
from drilltui.engine.freeplay_steps import STEPS as FREE_PLAY_STEPS
from drilltui.engine.freeplay_steps import read_step
from drilltui.scenario import Problem, ScenarioError, parse_duration
from drilltui.scenario.loader import hint
from drilltui.scenario.source import Unreadable, read_source
from drilltui.scenario.yamldata import Mapping, Scalar, Sequence, YamlDataError, decode, parse


@dataclass(frozen=True)
class Step:
    at: int  # drill time, seconds
    role: str
    command: c.Command
    line: int


# For each `do`: the command and how its keys map onto the command's fields.
FIELDS: dict[str, tuple[type[c.Command], dict[str, str], tuple[str, ...]]] = {
    "start": (c.Start, {}, ()),
    "pause": (c.Pause, {}, ()),
    "resume": (c.Resume, {}, ()),
    "speed": (c.SetSpeed, {"factor": "factor"}, ("factor",)),
    "end": (c.End, {"reason": "reason"}, ()),
    "release": (c.Release, {"inject": "inject"}, ("inject",)),
    "acknowledge": (c.Acknowledge, {"inject": "inject"}, ("inject",)),
    "resolve": (c.Resolve, {"inject": "inject"}, ("inject",)),
    "escalate": (c.Escalate, {"inject": "inject"}, ("inject",)),
    "decide": (c.Decide, {"inject": "inject", "option": "option"}, ("inject", "option")),
    "status": (c.SetStatus, {"role": "role", "status": "status", "task": "task"}, ("status",)),
    "note": (c.AddNote, {"text": "text", "kind": "kind", "inject": "inject", "role": "role", "objective": "objective",
                         "task": "task"}, ("text",)),
    "observation": (c.AddNote, {"text": "text", "inject": "inject", "role": "role", "objective": "objective",
                                "task": "task"}, ("text",)),
    "rate": (c.Rate, {"objective": "objective", "rating": "rating", "comment": "comment"}, ("objective", "rating")),
    "hotwash": (c.AddHotwashItem, {"section": "section", "text": "text", "objective": "objective",
                                   "corrective_action": "corrective_action", "owner": "owner", "due": "due"}, ("section", "text")),
    "join": (c.Join, {"participant": "participant"}, ("participant",)),
    "leave": (c.Leave, {"participant": "participant"}, ("participant",)),
    # Free play: their keys are read by engine/freeplay_steps.py (lists, a decision, due times).
    **{do: (cls, {key: field for key, (field, _) in keys.items()}, required)
       for do, (cls, keys, required) in FREE_PLAY_STEPS.items()},
}


FIELDS["expectation"] = (c.MarkExpectation, {"expectation": "expectation", "status": "status", "comment": "comment"},
                         ("expectation", "status"))

SCRIPT_BYTES = 16 * 1_048_576


def load_script(path: str | Path) -> list[Step]:
    """Read a script file; raise ScenarioError naming every problem with its position."""
    name = str(path)
    problems: list[Problem] = []

    def error(line: int, col: int, message: str) -> None:
        problems.append(Problem(name, line, col, message))

    try:
        # A step is a line: a script may be longer than any scenario (a load test's hundred thousand notes).
        root, tag_problems = parse(decode(read_source(path, "script file", SCRIPT_BYTES), "script file", SCRIPT_BYTES))
    except Unreadable as exc:
        raise ScenarioError([Problem(name, 1, 1, str(exc))]) from None
    except YamlDataError as exc:
        raise ScenarioError([Problem(name, exc.mark.line, exc.mark.col, exc.message)]) from None
    for p in tag_problems:
        error(p.mark.line, p.mark.col, p.message)
    if not isinstance(root, Sequence):
        error(1, 1, "a script is a list of steps such as {at: 1m, as: soc, do: acknowledge, inject: I-01}")
        raise ScenarioError(problems)
    steps: list[Step] = []
    for item in root.items:
        if not isinstance(item, Mapping):
            error(item.mark.line, item.mark.col, "each step is a mapping with at, as and do")
            continue
        do_node = item.get("do")
        if not (isinstance(do_node, Scalar) and isinstance(do_node.value, str) and do_node.value in FIELDS):
            got = do_node.raw if isinstance(do_node, Scalar) else "nothing"
            mark = do_node.mark if do_node else item.mark
            error(mark.line, mark.col, f"do '{got}' is not one of {', '.join(FIELDS)}{hint(str(got), FIELDS)}")
            continue
        cls, mapping, required = FIELDS[do_node.value]
        allowed = ("at", "as", "do", *mapping)
        for key, _ in item.items:
            if key.raw not in allowed:
                error(key.mark.line, key.mark.col, f"'{key.raw}' does not go with do: {do_node.value}{hint(key.raw, allowed)}")
        for needed in ("at", "as", *required):  # not `name`: that is the file's, for every problem after this
            if needed not in item.index:
                error(item.mark.line, item.mark.col, f"step do: {do_node.value} needs '{needed}'")
        at_node, as_node = item.get("at"), item.get("as")
        at = 0
        if isinstance(at_node, Scalar):
            try:
                at = parse_duration(at_node.raw if at_node.plain and isinstance(at_node.value, str) else at_node.value)
            except ValueError as exc:
                error(at_node.mark.line, at_node.mark.col, f"at: {exc}")
        kwargs: dict[str, object] = {"kind": "observation"} if do_node.value == "observation" else {}
        if do_node.value in FREE_PLAY_STEPS:
            kwargs = read_step(do_node.value, item, name, error)
            mapping = {}
        for step_key, field in mapping.items():
            node = item.get(step_key)
            if node is None:
                continue
            if not isinstance(node, Scalar) or node.value is None:
                error(node.mark.line, node.mark.col, f"'{step_key}' must be a single value")
                continue
            value = node.value
            if step_key == "factor":
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    error(node.mark.line, node.mark.col, f"factor must be a number such as 2 or 0.5, not '{node.raw}'")
                    continue
                kwargs[field] = float(value)
            else:
                kwargs[field] = node.raw if node.plain else str(value)
        role = as_node.raw if isinstance(as_node, Scalar) else ""
        if do_node.value == "status" and "role" not in kwargs:
            kwargs["role"] = role
        if any(k not in item.index for k in ("at", "as", *required)):
            continue
        steps.append(Step(at, role, cls(**kwargs), item.mark.line))
    if problems:
        raise ScenarioError(problems)
    return sorted(steps, key=lambda s: s.at)
