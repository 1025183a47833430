"""The escalation tree: the chain of command, with where open items sit."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from drilltui.engine.state import DrillState
from drilltui.ui.style import resolve, shown

NON_PLAY = ("controller", "evaluator", "observer", "simcell")


class EscalationTree(Tree[str]):
    """Roles as the forest of `reports_to`; counts of open and overdue items on each."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Chain of command", **kwargs)  # type: ignore[arg-type]
        self.border_title = "Escalation"
        self.show_root = False
        self.guide_depth = 3
        self._role_nodes: dict[str, TreeNode[str]] = {}
        self.flashing: set[str] = set()

    def build(self, state: DrillState) -> None:
        self.clear()
        self._role_nodes = {}
        scenario = state.scenario

        def add(parent: TreeNode[str], role_id: str) -> None:
            role = scenario.role(role_id)
            assert role is not None
            children = scenario.children(role_id)
            node = parent.add(shown(role.title), data=role_id, expand=True, allow_expand=bool(children))
            self._role_nodes[role_id] = node
            for child in children:
                add(node, child.id)

        for root in scenario.children(None):
            if root.kind in NON_PLAY and not scenario.children(root.id):
                continue
            add(self.root, root.id)
        self.root.expand()

    def show(self, state: DrillState, now: float, colors: dict[str, str]) -> None:
        if not self._role_nodes:
            self.build(state)
        held = state.open_by_holder()  # one pass, not one per role
        for role_id, node in self._role_nodes.items():
            role = state.scenario.role(role_id)
            assert role is not None
            items = held.get(role_id, [])
            overdue = sum(1 for i in items if i.overdue(now))
            label = Text(shown(role.title))
            if items:
                label.append(f"  {len(items)} open", style="bold")
            if overdue:
                label.append(f"  ⚠ {overdue} overdue", style=resolve("bold $error", colors))
            if role_id in self.flashing:
                label.stylize("reverse")
                label.append("  ▲ escalated", style="bold")
            if label != node.label:
                node.set_label(label)
