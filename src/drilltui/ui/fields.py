"""Labelled dialog fields whose label is marked `▸` while the field has focus: where typing goes reads without colour."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

MARK = "▸ "


class Label(Static):
    """The label of the field with id `field`; `mark(on)` shows or hides the focus marker."""

    def __init__(self, text: str, field: str) -> None:
        super().__init__(text, classes="label", id=f"label-{field}")
        self.text, self.field = text, field

    def mark(self, on: bool) -> None:
        self.update(MARK + self.text if on else self.text)
        self.set_class(on, "focused")


class MarksFocus:
    """Mixin for a screen of labelled fields: the focused field's label gets the marker, the others lose it."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        focused = event.widget.id or ""
        for label in self.query(Label):  # type: ignore[attr-defined]
            label.mark(label.field == focused)
