"""Parse YAML text into plain data nodes that remember their line and column.

Only plain data is accepted: mappings, sequences and scalars resolved by the
YAML 1.2 core schema (so `on`, `yes` and `no` stay text). Tags are refused,
aliases are expanded under a budget so a "billion laughs" file fails fast, and
nothing is ever constructed from the text beyond str, int, float, bool and None.

The events come from libyaml's C parser when PyYAML has it (20-40x faster);
when that parser refuses a text, the pure-Python parser reads it again, so the
problems reported and their positions are the pure-Python parser's on either path.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Union

import yaml

MAX_BYTES = 4 * 1_048_576
MAX_NODES = 100_000  # values that aliases may add by repeating their anchors
MAX_INT_DIGITS = 4000  # below Python's int-from-text limit (4300 digits)
_C_PARSER = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None


@dataclass(frozen=True)
class Mark:
    """A 1-based position in the source text."""

    line: int
    col: int


@dataclass(frozen=True, eq=False)
class Scalar:
    value: str | int | float | bool | None
    raw: str
    plain: bool
    mark: Mark


@dataclass(frozen=True, eq=False)
class Sequence:
    items: tuple["Node", ...]
    mark: Mark


@dataclass(frozen=True, eq=False)
class Mapping:
    # Keys keep their position so errors can point at them.
    items: tuple[tuple[Scalar, "Node"], ...]
    mark: Mark
    index: dict[str, tuple[Scalar, "Node"]] = field(default_factory=dict, repr=False)

    def get(self, key: str) -> "Node | None":
        pair = self.index.get(key)
        return pair[1] if pair else None

    def key_mark(self, key: str) -> Mark:
        pair = self.index.get(key)
        return pair[0].mark if pair else self.mark


Node = Union[Scalar, Sequence, Mapping]


class YamlDataError(Exception):
    """The text is not plain YAML data; carries the position of the problem."""

    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


def resolve_plain(text: str) -> str | int | float | bool | None:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        # A number too long for int() is still a number, only an unusable one.
        return int(text) if len(text) <= MAX_INT_DIGITS else math.copysign(math.inf, -1 if text[0] == "-" else 1)
    if _OCT.match(text):
        return int(text[2:], 8) if len(text) <= MAX_INT_DIGITS else math.inf
    if _HEX.match(text):
        return int(text[2:], 16) if len(text) <= MAX_INT_DIGITS else math.inf
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _mark(m: yaml.Mark | None) -> Mark:
    if m is None:
        return Mark(1, 1)
    return Mark(m.line + 1, m.column + 1)


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), or raise with the bad byte's position."""
    if len(data) > MAX_BYTES:
        raise YamlDataError(
            f"file is {len(data):,} bytes; scenario files are limited to {MAX_BYTES:,} bytes",
            Mark(1, 1),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlDataError(
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8",
            Mark(line, col),
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise YamlDataError("file contains a NUL byte; this is not a text file", Mark(line, 1))
    return text


class _Differs(Exception):
    """libyaml's events may place this text differently from the reference parser."""


class _Composer:
    """Build nodes from the parser's event stream, never from constructors."""

    def __init__(self, text: str, loader: type = yaml.SafeLoader) -> None:
        self.events = yaml.parse(text, Loader=loader)
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.budget = MAX_NODES
        self.problems: list[YamlDataError] = []
        self.reference = True  # False on libyaml's events

    def next(self) -> yaml.Event:
        return next(self.events)

    def spend(self, n: int, mark: Mark) -> None:
        self.budget -= n
        if self.budget < 0:
            raise YamlDataError(
                f"the document expands to more than {MAX_NODES:,} values "
                "(aliases repeat their anchor); remove the aliases",
                mark,
            )

    def document(self) -> Node | None:
        event = self.next()
        assert isinstance(event, yaml.StreamStartEvent)
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        node, _ = self.node(self.next())
        self.next()  # DocumentEndEvent
        extra = self.next()
        if not isinstance(extra, yaml.StreamEndEvent):
            raise YamlDataError(
                "a scenario file holds one YAML document; remove the extra '---' document",
                _mark(extra.start_mark),
            )
        return node

    def node(self, event: yaml.Event) -> tuple[Node, int]:
        mark = _mark(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise YamlDataError(f"alias *{event.anchor} has no anchor", mark)
            node, size = self.anchors[event.anchor]
            self.spend(size, mark)  # only repeats count: the file's own values are bounded by its size
            return node, size
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            # Recorded, not raised: the rest of the file is still checked.
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(YamlDataError(
                f"tag {shown} is not allowed; scenario files hold plain data only, remove the tag",
                mark,
            ))
        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style  # the Python parser says None, libyaml ''
            if plain and not event.value and not self.reference:
                raise _Differs
            value = resolve_plain(event.value) if plain else event.value
            node: Node = Scalar(value, event.value, plain, mark)
            size = 1
        elif isinstance(event, yaml.SequenceStartEvent):
            items = []
            size = 1
            while not isinstance(ev := self.next(), yaml.SequenceEndEvent):
                child, n = self.node(ev)
                items.append(child)
                size += n
            node = Sequence(tuple(items), mark)
        elif isinstance(event, yaml.MappingStartEvent):
            pairs: list[tuple[Scalar, Node]] = []
            index: dict[str, tuple[Scalar, Node]] = {}
            size = 1
            while not isinstance(ev := self.next(), yaml.MappingEndEvent):
                key, n = self.node(ev)
                if not isinstance(key, Scalar):
                    raise YamlDataError("mapping keys must be plain text", key.mark)
                value, m = self.node(self.next())
                name = key.raw
                if name == "<<":
                    raise YamlDataError("merge keys (<<) are not allowed; write the keys out", key.mark)
                if name in index:
                    first = index[name][0].mark
                    raise YamlDataError(
                        f"key '{name}' appears twice (first on line {first.line}); keep one",
                        key.mark,
                    )
                pair = (key, value)
                pairs.append(pair)
                index[name] = pair
                size += n + m
            node = Mapping(tuple(pairs), mark, index)
        else:  # pragma: no cover - the parser emits nothing else here
            raise YamlDataError(f"unexpected YAML {type(event).__name__}", mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.anchors[anchor] = (node, size)
        return node, size


def parse(text: str, *, fast: bool = True) -> tuple[Node | None, list[YamlDataError]]:
    """Parse one YAML document into nodes (None when empty) and its tag problems.

    Raises YamlDataError for text that cannot be read as YAML at all.  With
    `fast` (and libyaml present) the C parser reads it first; whatever it
    refuses is read again by the pure-Python parser, whose problems count.
    """
    # The two parsers differ on tabs and on where an empty value sits; such texts take the reference path.
    if fast and _C_PARSER is not None and "\t" not in text:
        try:
            composer = _Composer(text, _C_PARSER)
            composer.reference = False
            return composer.document(), composer.problems
        except Exception:  # noqa: BLE001 - any refusal is judged again by the reference parser
            pass
    return _parse_python(text)


def _parse_python(text: str) -> tuple[Node | None, list[YamlDataError]]:
    composer = _Composer(text)
    try:
        return composer.document(), composer.problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        raise YamlDataError(f"YAML syntax: {problem}", _mark(mark)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "position", None)
        line = 1
        if isinstance(mark, int):
            line = text[:mark].count("\n") + 1
        raise YamlDataError(f"YAML: {exc}".splitlines()[0], Mark(line, 1)) from None
    except RecursionError:
        raise YamlDataError("the document is nested too deeply", Mark(1, 1)) from None


def to_python(node: Node | None) -> object:
    """The plain Python data of a node tree (for JSON Schema checks)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_python(n) for n in node.items]
    return {k.raw: to_python(v) for k, v in node.items}
