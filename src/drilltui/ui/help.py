"""The `?` screen: every key and what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from drilltui.ui.bindings import DASHBOARD, HELP


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "Close", id="help-close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 95%; height: auto; max-height: 90%;
                                  border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, bindings: list[Binding] | None = None, help: dict[str, str] | None = None) -> None:
        super().__init__()
        self.bindings = bindings or DASHBOARD
        self.help = help or HELP

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", box=None, expand=True, title="Keys")
        table.add_column("Key", no_wrap=True)
        table.add_column("Does")
        keymap = self.app.current_keymap if hasattr(self.app, "current_keymap") else {}
        for b in self.bindings:
            key = keymap.get(b.id, b.key) if b.id else b.key
            table.add_row(self.app.get_key_display(Binding(key, b.action)), self.help.get(b.action, b.description))
        for key, text in (("tab / shift+tab", "Move between panes"), ("↑ ↓ / enter", "Move in a list / choose"),
                          ("ctrl+p", "Command palette: every action, searchable, with themes"),
                          ("ctrl+q", "Quit drilltui (the drill goes on; `drilltui resume` returns to it)")):
            table.add_row(key, text)
        with VerticalScroll():
            yield Static(table)
            yield Static("Esc closes. Keys can be remapped in config.yaml (see the README).", classes="hint")
