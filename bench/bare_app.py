"""The baseline for whole-process figures: a bare Textual app with the dashboard's widgets and no drill.

    python bench/bare_app.py [--clock]

The same widget tree as the live dashboard (src/drilltui/ui/dashboard.py) in
Textual's own widgets, laid out and bordered as app.tcss does it: a header,
the clock line, the feed, roles and pending tables (DataTable for our
RowTable), the escalation tree, the inject pane (a scroll of three Statics)
and a footer with the same keys as the dashboard's first frame for a
controller of a new drill. What it leaves out is drilltui's own work: the
engine, the scenario, the database, the rows and the rules of what may be done.

With --clock, a Static shows the wall time and is updated once a second, as the
dashboard's clock line is while a drill is paused (the like-for-like idle baseline).
"""

from __future__ import annotations

import sys
import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, Tree

# The keys the dashboard's footer shows on its first frame (a controller, a new drill): one FooterKey each.
KEYS = (("s", "Start"), ("t", "Status"), ("n", "Note"), ("g", "Rate"), ("v", "Board"), ("h", "Hotwash"),
        ("ctrl+e", "End drill"), ("j", "Journal"), ("question_mark", "Keys"), ("m", "Messages"))

CSS = """
BareScreen { layout: vertical; }
#clock { border: round $primary; height: auto; padding: 0 1; }
#main { layout: grid; grid-size: 2 2; grid-columns: 55% 45%; grid-rows: 2fr 3fr; height: 1fr; }
#right { row-span: 2; }
#feed { height: 1fr; min-height: 5; border: round $primary; }
#detail { height: 1fr; min-height: 5; border: round $primary; padding: 0 1; }
#roles { height: auto; max-height: 50%; border: round $primary; }
#tree { height: 1fr; min-height: 4; border: round $primary; }
#pending { height: 1fr; min-height: 4; border: round $primary; }
"""


class BareScreen(Screen[None]):
    """The dashboard's widgets on a screen of their own, pushed when the app starts, as the dashboard is."""

    BINDINGS = [Binding(key, f"nothing('{key}')", description) for key, description in KEYS]

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("T+00:00:00 1x", id="clock")
        with Container(id="main"):
            yield titled(DataTable(id="feed"), "Inject feed")
            with Vertical(id="right"):
                yield titled(DataTable(id="roles"), "Roles")
                yield titled(Tree("chain", id="tree"), "Escalation")
                yield titled(DataTable(id="pending"), "Pending")
            with titled(VerticalScroll(id="detail"), "Inject"):
                yield Static("head")
                yield Static("deadline")
                yield Static("detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feed").focus()

    def action_nothing(self, key: str) -> None:
        """The dashboard's keys do nothing here."""


def titled(widget, title: str):  # type: ignore[no-untyped-def]
    widget.border_title = title
    return widget


class BareApp(App):
    """The same widgets as the dashboard, no drill; ctrl+q quits."""

    CSS = CSS
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(self, clock: bool = False) -> None:
        super().__init__()
        self.clock = clock

    async def on_mount(self) -> None:
        await self.push_screen(BareScreen())
        if self.clock:
            self.set_interval(1.0, self.show_time)

    def show_time(self) -> None:
        self.screen.query_one("#clock", Static).update(time.strftime("T+00:00:00 paused wall %H:%M:%SZ", time.gmtime()))


if __name__ == "__main__":
    BareApp(clock="--clock" in sys.argv).run()
