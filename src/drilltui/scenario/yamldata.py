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
from typing import NamedTuple, Union

import yaml

from drilltui.gcpause import gc_paused

MAX_BYTES = 4 * 1_048_576
MAX_NODES = 100_000  # values that aliases may add by repeating their anchors
MAX_INT_DIGITS = 4000  # below Python's int-from-text limit (4300 digits)
_C_PARSER = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None


class Mark(NamedTuple):
    """A 1-based position in the source text."""

    line: int
    col: int


def _mark(m: yaml.Mark | None) -> Mark:
    if m is None:
        return Mark(1, 1)
    return Mark(m.line + 1, m.column + 1)


class _Node:
    """A value of the document, with its 0-based line and column (the parser's mark is not kept: a long file
    would keep one object and its dict per value alive for the collector to walk)."""

    __slots__ = ("_line", "_col")

    @property
    def mark(self) -> Mark:
        return Mark(self._line + 1, self._col + 1)

    def _place(self, at: yaml.Mark | None) -> None:
        if at is None:
            self._line = self._col = 0
        else:
            self._line, self._col = at.line, at.column


class Scalar(_Node):
    __slots__ = ("value", "raw", "plain")

    def __init__(self, value: str | int | float | bool | None, raw: str, plain: bool, at: yaml.Mark | None) -> None:
        self.value, self.raw, self.plain = value, raw, plain
        self._place(at)


class Sequence(_Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple["Node", ...], at: yaml.Mark | None) -> None:
        self.items = items
        self._place(at)


class Mapping(_Node):
    # Keys keep their position so errors can point at them.
    __slots__ = ("items", "index")

    def __init__(self, items: tuple[tuple[Scalar, "Node"], ...], at: yaml.Mark | None,
                 index: dict[str, tuple[Scalar, "Node"]]) -> None:
        self.items, self.index = items, index
        self._place(at)

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


_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


def resolve_plain(text: str) -> str | int | float | bool | None:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if text and text[0] not in _MAYBE_NOT_TEXT:
        return text  # most plain scalars are words: nothing below can match them
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


def decode(data: bytes, what: str = "scenario file", limit: int = MAX_BYTES) -> str:
    """Decode UTF-8 (with or without BOM), or raise with the bad byte's position; `what` names the file's kind."""
    if len(data) > limit:
        raise YamlDataError(f"file is {len(data):,} bytes; {what}s are limited to {limit:,} bytes", Mark(1, 1))
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


_FLOW_OR_QUESTION = re.compile(r"[\[\]{}?]")
_BEFORE_KEY = frozenset(" \t\r\n-?:,[]{}#&*!|>%@`'\"")
_INDICATOR_TAIL = frozenset("-+0123456789")


def _block_comment(text: str) -> bool:
    """Whether a block scalar's indicator runs straight into a comment (`|#`, `>-2#`)."""
    find = text.find
    at = find("#")
    while at != -1:
        i = at - 1
        while i >= 0 and text[i] in _INDICATOR_TAIL:  # each character is passed once: '#' stops the walk
            i -= 1
        if i >= 0 and text[i] in "|>":
            return True
        at = find("#", at + 1)
    return False


def _risky(text: str) -> bool:
    """Whether the text holds a construct on which libyaml and the reference parser may disagree."""
    if "\t" in text or _block_comment(text):
        return True
    if "?" not in text:
        return False
    find = text.find
    at = find("?")
    while at != -1:
        if at == 0 or text[at - 1] in _BEFORE_KEY:
            return True  # an explicit `?` key, or a `?` a flow context may read as one
        at = find("?", at + 1)
    depth = 0
    for c in _FLOW_OR_QUESTION.findall(text):
        if c == "?":
            if depth:
                return True  # a `?` inside [...] or {...}
        elif c in "[{":
            depth += 1
        elif depth:
            depth -= 1
    return False


class _Differs(Exception):
    """libyaml's events may place this text differently from the reference parser."""


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MAP_START, _MAP_END = yaml.MappingStartEvent, yaml.MappingEndEvent


class _Composer:
    """Build nodes from the parser's event stream, never from constructors."""

    def __init__(self, text: str, loader: type = yaml.SafeLoader) -> None:
        self.loader = loader(text)
        self.next = self.loader.get_event
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, int] = {}
        self.budget = MAX_NODES
        self.problems: list[YamlDataError] = []
        self.reference = True  # False on libyaml's events

    def close(self) -> None:
        self.loader.dispose()

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
        node = self.node(self.next())
        self.next()  # DocumentEndEvent
        extra = self.next()
        if not isinstance(extra, yaml.StreamEndEvent):
            raise YamlDataError(
                "a scenario file holds one YAML document; remove the extra '---' document",
                _mark(extra.start_mark),
            )
        return node

    def size(self, node: Node) -> int:
        """How many values a node holds, each shared node counted where it is repeated (memoised: linear)."""
        known = self.sizes.get(id(node))
        if known is None:
            if isinstance(node, Scalar):
                known = 1
            elif isinstance(node, Sequence):
                known = 1 + sum(self.size(n) for n in node.items)
            else:
                known = 1 + sum(self.size(k) + self.size(v) for k, v in node.items)
            self.sizes[id(node)] = known
        return known

    def _tagged(self, event: yaml.Event) -> None:
        if not self.reference:
            raise _Differs  # a tag is refused anyway; the reference parser words it
        tag = event.tag
        if not (type(event) is _SCALAR and tag == "!"):
            # Recorded, not raised: the rest of the file is still checked.
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(YamlDataError(
                f"tag {shown} is not allowed; scenario files hold plain data only, remove the tag",
                _mark(event.start_mark),
            ))

    def scalar(self, event: yaml.ScalarEvent) -> Scalar:
        raw = event.value
        if event.style:
            return Scalar(raw, raw, False, event.start_mark)
        if not raw and not self.reference:  # where an empty value sits differs between the parsers
            raise _Differs
        return Scalar(resolve_plain(raw), raw, True, event.start_mark)  # plain: None, or libyaml's ''

    def mapping(self, event: yaml.Event) -> Mapping:
        # The hot loop of a load: plain scalars (nearly every key and most values) are built inline.
        pairs: list[tuple[Scalar, Node]] = []
        index: dict[str, tuple[Scalar, Node]] = {}
        child, nxt, reference, maybe = self.node, self.next, self.reference, _MAYBE_NOT_TEXT
        while True:
            ev = nxt()
            k = type(ev)
            if k is _MAP_END:
                break
            for slot in (0, 1):
                if slot:
                    ev = nxt()
                    k = type(ev)
                if k is _SCALAR and ev.tag is None and ev.anchor is None:
                    raw = ev.value
                    if ev.style:
                        got: Node = Scalar(raw, raw, False, ev.start_mark)
                    elif raw and raw[0] not in maybe:
                        got = Scalar(raw, raw, True, ev.start_mark)
                    elif raw or reference:
                        got = Scalar(resolve_plain(raw), raw, True, ev.start_mark)
                    else:
                        raise _Differs  # where an empty value sits differs between the parsers
                else:
                    got = child(ev)
                if slot:
                    value = got
                else:
                    key = got
            if not isinstance(key, Scalar):
                raise YamlDataError("mapping keys must be plain text", key.mark)
            name = key.raw
            if name == "<<":
                raise YamlDataError("merge keys (<<) are not allowed; write the keys out", key.mark)
            if name in index:
                first = index[name][0].mark
                raise YamlDataError(f"key '{name}' appears twice (first on line {first.line}); keep one", key.mark)
            pair = (key, value)
            pairs.append(pair)
            index[name] = pair
        return Mapping(tuple(pairs), event.start_mark, index)

    def node(self, event: yaml.Event) -> Node:
        kind = type(event)
        if kind is _ALIAS:
            mark = _mark(event.start_mark)
            if event.anchor not in self.anchors:
                raise YamlDataError(f"alias *{event.anchor} has no anchor", mark)
            node = self.anchors[event.anchor]
            self.spend(self.size(node), mark)  # only repeats count: the file's own values are bounded by its size
            return node
        if event.tag is not None:
            self._tagged(event)
        if kind is _SCALAR:
            node = self.scalar(event)
        elif kind is _SEQ_START:
            items = []
            child, nxt, scalar = self.node, self.next, self.scalar
            while (k := type(ev := nxt())) is not _SEQ_END:
                plain_scalar = k is _SCALAR and ev.tag is None and ev.anchor is None
                items.append(scalar(ev) if plain_scalar else child(ev))
            node = Sequence(tuple(items), event.start_mark)
        elif kind is _MAP_START:
            node = self.mapping(event)
        else:  # pragma: no cover - the parser emits nothing else here
            raise YamlDataError(f"unexpected YAML {kind.__name__}", _mark(event.start_mark))
        anchor = event.anchor
        if anchor is not None:
            self.anchors[anchor] = node
        return node


def parse(text: str, *, fast: bool = True) -> tuple[Node | None, list[YamlDataError]]:
    """Parse one YAML document into nodes (None when empty) and its tag problems.

    Raises YamlDataError for text that cannot be read as YAML at all.  With
    `fast` (and libyaml present) the C parser reads it first; whatever it
    refuses is read again by the pure-Python parser, whose problems count.
    """
    # The two parsers differ on a few rare constructs (tabs, `|#`, explicit `?` keys, odd tags, where an
    # empty value sits); texts that hold one take the reference path.
    with gc_paused():
        return _parse(text, fast)


def _parse(text: str, fast: bool) -> tuple[Node | None, list[YamlDataError]]:
    if fast and _C_PARSER is not None and not _risky(text):
        composer = None
        try:
            composer = _Composer(text, _C_PARSER)
            composer.reference = False
            return composer.document(), composer.problems
        except Exception:  # noqa: BLE001 - any refusal is judged again by the reference parser
            pass
        finally:
            if composer is not None:
                composer.close()
    return _parse_python(text)


def _parse_python(text: str) -> tuple[Node | None, list[YamlDataError]]:
    try:
        composer = _Composer(text)  # the reader checks the characters already here
        try:
            return composer.document(), composer.problems
        finally:
            composer.close()
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
