"""The baseline for whole-process figures: a bare Textual app with the dashboard's widgets and no drill.

    python bench/bare_app.py [--clock]

With --clock, a Static shows the wall time and is updated once a second, as the
dashboard's clock line is while a drill is paused (the like-for-like idle baseline).
"""

from __future__ import annotations

import sys
import time

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static, Tree


class BareApp(App):
    """The same widgets as the dashboard, no drill; ctrl+q quits."""

    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, clock: bool = False) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("T+00:00:00 1x", id="clock")
        with Horizontal():
            with Vertical():
                yield DataTable()
                yield Static("detail")
            with Vertical():
                yield DataTable()
                yield Tree("chain")
                yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        if self.clock:
            self.set_interval(1.0, self.show_time)

    def show_time(self) -> None:
        self.query_one("#clock", Static).update(time.strftime("T+00:00:00 paused wall %H:%M:%SZ", time.gmtime()))


if __name__ == "__main__":
    BareApp(clock="--clock" in sys.argv).run()
