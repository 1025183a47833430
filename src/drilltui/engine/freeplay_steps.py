"""Headless script steps of free play (`inject`, `message`, `read`): their keys read into commands, with positions."""

from __future__ import annotations

from collections.abc import Callable

from drilltui.engine import commands as c
from drilltui.scenario.loader import _Reader as Reader
from drilltui.scenario.model import METHODS, SEVERITIES
from drilltui.scenario.yamldata import Mapping, Scalar

Read = Callable[[Reader, Mapping, str, str], object]
Error = Callable[[int, int, str], None]


def _text(reader: Reader, item: Mapping, key: str, what: str) -> object:
    return reader.text(item, key, what)


def _ids(reader: Reader, item: Mapping, key: str, what: str) -> object:
    return tuple(value for value, _ in reader.ids(item, key, what))


def _boolean(reader: Reader, item: Mapping, key: str, what: str) -> object:
    return reader.boolean(item, key, what)


def _duration(reader: Reader, item: Mapping, key: str, what: str) -> object:
    return reader.duration(item, key, what)


def _choice(choices: tuple[str, ...]) -> Read:
    def read(reader: Reader, item: Mapping, key: str, what: str) -> object:
        return reader.choice(item, key, what, choices, "") or None

    return read


def _decision(reader: Reader, item: Mapping, key: str, what: str) -> object:
    return reader.decision(item, what)


def _id(reader: Reader, item: Mapping, key: str, what: str) -> object:
    node = item.get(key)
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        return node.raw if node.plain else str(node.value)
    reader.error(node.mark if node else item.mark, f"{key} of {what} must be a single id")
    return None


def _message_id(reader: Reader, item: Mapping, key: str, what: str) -> object:
    """`M-3`, also when written as 3."""
    text = _id(reader, item, key, what)
    return f"M-{text}" if isinstance(text, str) and text.isdigit() else text


def _due(reader: Reader, item: Mapping, key: str, what: str) -> object:
    """(field, seconds): a duration from when it is sent, or a drill time written `T+...`."""
    seconds = reader.duration(item, key, what)
    if seconds is None:
        return None
    node = item.get(key)
    absolute = isinstance(node, Scalar) and node.raw.strip().startswith("T+")
    return ("due_at" if absolute else "due", float(seconds))


# For each step: the command, its keys (key -> command field, how to read it) and the keys it must have.
STEPS: dict[str, tuple[type[c.Command], dict[str, tuple[str, Read]], tuple[str, ...]]] = {
    "inject": (c.WriteInject, {
        "to": ("to", _ids), "title": ("title", _text), "id": ("id", _id), "from": ("sender", _text),
        "method": ("method", _choice(METHODS)), "severity": ("severity", _choice(SEVERITIES)),
        "message": ("message", _text), "expected_action": ("expected_action", _text),
        "objectives": ("objectives", _ids), "ack_within": ("ack_within", _duration), "decision": ("decision", _decision),
    }, ("to", "title")),
    "message": (c.SendMessage, {
        "text": ("text", _text), "to": ("to", _ids), "party": ("party", _text), "as_party": ("as_party", _text),
        "request": ("request", _boolean), "task": ("task", _boolean), "due": ("due", _due),
        "escalate": ("escalate", _boolean), "reply_to": ("reply_to", _message_id), "inject": ("inject", _id),
    }, ("text",)),
    "read": (c.ReadMessage, {"message": ("message", _message_id)}, ("message",)),
}


def read_step(do: str, item: Mapping, path: str, error: Error) -> dict[str, object]:
    """The command's fields for a free-play step; every problem goes to `error(line, col, message)`."""
    reader = Reader(path)
    what = f"step do: {do}"
    out: dict[str, object] = {}
    for key, (field, read) in STEPS[do][1].items():
        if item.get(key) is None:
            continue
        value = read(reader, item, key, what)
        if field == "due" and isinstance(value, tuple):
            field, value = value
        if value is not None:
            out[field] = value
    if do == "message":
        if bool(out.get("to")) == bool(out.get("party")):
            reader.error(item.mark, f"{what} needs either 'to' (role ids) or 'party' (an outside party's name)")
        due = item.get("due")
        if due is not None and not (out.get("request") or out.get("task")):
            reader.error(due.mark, "due goes with request: true or task: true")
    for p in reader.problems:
        error(p.line, p.col, p.message)
    return out
