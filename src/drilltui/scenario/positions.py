"""Where each role, objective, task, inject, option and expectation of a loaded scenario is written in its file.

The model keeps no positions; its source text is parsed again (the loader's
parser, nothing else) so that a finding about a thing can point at its line.
A scenario built in memory, with no source text, points at line 1.
"""

from __future__ import annotations

from drilltui.gcpause import gc_paused
from drilltui.scenario.model import Scenario
from drilltui.scenario.yamldata import Mapping, Mark, Node, Sequence, YamlDataError, parse

START = Mark(1, 1)


def _items(node: Node | None) -> tuple[Node, ...]:
    return node.items if isinstance(node, Sequence) else ()


def _id(m: Node) -> str | None:
    node = m.get("id") if isinstance(m, Mapping) else None
    value = getattr(node, "value", None)
    return value if isinstance(value, str) else None


class Positions:
    """Marks by what they are about: `role`, `objective`, `task`, `inject`, `option`, `expectation`, `after`, `at`."""

    def __init__(self, scenario: Scenario) -> None:
        self.marks: dict[tuple[str, str], Mark] = {}
        with gc_paused():  # as the loader does: a big tree of nodes would make every collection walk it
            try:
                root, _ = parse(scenario.source_text) if scenario.source_text else (None, [])
            except YamlDataError:
                root = None
            if isinstance(root, Mapping):
                self._read(root)

    def _put(self, kind: str, key: str | None, m: Node) -> None:
        if key is not None and isinstance(m, Mapping):
            self.marks.setdefault((kind, key), m.get("id").mark if m.get("id") is not None else m.mark)  # type: ignore[union-attr]

    def _read(self, root: Mapping) -> None:
        for m in _items(root.get("roles")):
            self._put("role", _id(m), m)
        for m in _items(root.get("objectives")):
            self._put("objective", _id(m), m)
            for t in _items(m.get("tasks") if isinstance(m, Mapping) else None):
                self._put("task", _id(t), t)
        for m in _items(root.get("injects")):
            iid = _id(m)
            if iid is None or not isinstance(m, Mapping):
                continue
            self._put("inject", iid, m)
            if "after" in m.index:
                self.marks.setdefault(("after", iid), m.key_mark("after"))
            at = m.get("at")
            if at is not None:
                self.marks.setdefault(("at", iid), at.mark)
            decision = m.get("decision")
            for o in _items(decision.get("options") if isinstance(decision, Mapping) else None):
                oid = _id(o)
                self._put("option", f"{iid}\0{oid}" if oid is not None else None, o)
            for e in _items(m.get("expect")):
                self._put("expectation", _id(e), e)

    def of(self, kind: str, key: str, *fallbacks: tuple[str, str]) -> Mark:
        """The mark of (kind, key), else of the first fallback found, else line 1."""
        for k in ((kind, key), *fallbacks):
            if k in self.marks:
                return self.marks[k]
        return START

    def option(self, inject_id: str, option_id: str) -> Mark:
        return self.of("option", f"{inject_id}\0{option_id}", ("inject", inject_id))
