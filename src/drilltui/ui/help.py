"""The `?` screen: every key in force (as remapped), what it does, and why it cannot act now if it cannot."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from drilltui.ui.bindings import GENERAL


@dataclass(frozen=True)
class HelpRow:
    binding: Binding
    key: str  # the key in force, after any remapping in config.yaml
    not_now: str | None = None  # why it cannot act now, if it cannot


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "Close", id="help-close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100; max-width: 95%; height: auto; max-height: 90%;
                                  border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, rows: list[HelpRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", box=None, expand=True, title="Keys")
        table.add_column("Key", no_wrap=True)
        table.add_column("Does")
        for row in self.rows:
            does = Text(row.binding.tooltip or row.binding.description)
            if row.not_now:
                does.append(f"\n  not now: {row.not_now}", style="dim")
            table.add_row(self.app.get_key_display(Binding(row.key, row.binding.action)), does)
        for key, text in GENERAL:
            table.add_row(key, text)
        with VerticalScroll():
            yield Static(table)
            yield Static("Esc closes. Keys can be remapped by id in config.yaml (see the README).", classes="hint")
