"""`drilltui plan`: the scenario's plan on a time axis, to read while writing it, re-read when the file is saved.

The app of its own: no drill, no store. The chart is drawn from a Timeline
(scenario/timeline.py) laid out off the screen; with --watch a worker looks at
the file and lays out each saved version in a thread, and the screen shows it,
or the file's problems above the last plan that loaded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from drilltui.scenario import Scenario, ScenarioError, load
from drilltui.scenario.timeline import Placed, Timeline, layout
from drilltui.scenario.watch import Marker, Wake, changes, marker
from drilltui.ui.bindings import PLAN, key_in_force
from drilltui.ui.help import HelpRow, HelpScreen
from drilltui.ui.plan_chart import LABEL, MANUAL, SCALES, ChartView, PlanChart, glyph, lanes_shown
from drilltui.ui.plan_detail import ObjectivesScreen, PlanDetailScreen, summary
from drilltui.ui.plan_rehearse import PolicyDialog, RehearsalScreen, Rehearsed, Rehearser
from drilltui.ui.settings import Settings
from drilltui.ui.style import shown
from drilltui.ui.themes import set_up_looks


def read_plan(path: Path) -> tuple[Timeline | None, list[str]]:
    """The file laid out, or its problems, one line each (`file:line:col: error: ...`, drawn visibly)."""
    try:
        scenario = load(path)
    except ScenarioError as exc:
        return None, [str(p) for p in exc.problems]
    return layout(scenario), [str(p) for p in scenario.warnings]


class PlanRead(Message):
    """The file was read again: its new plan (None when it no longer loads) and its problems."""

    def __init__(self, timeline: Timeline | None, problems: list[str]) -> None:
        super().__init__()
        self.timeline, self.problems = timeline, problems


class PlanScreen(Screen[None]):
    """The chart, the selected inject under it, the bench beside it, and the file's problems above when it has any."""

    BINDINGS = list[BindingType](PLAN)
    DEFAULT_CSS = """
    PlanScreen #problems { height: auto; max-height: 40%; border: round $error; padding: 0 1; display: none; }
    PlanScreen.invalid #problems { display: block; }
    PlanScreen #chart { height: 1fr; min-height: 5; border: round $primary; }
    PlanScreen.invalid #chart { border: round $error; }
    PlanScreen #below { height: 11; }
    PlanScreen.short #below { height: 7; }
    PlanScreen #summary-box { width: 2fr; border: round $primary; padding: 0 1; }
    PlanScreen #bench { width: 1fr; min-width: 24; border: round $primary; padding: 0 1; }
    """

    def __init__(self, timeline: Timeline | None, problems: list[str], path: str,
                 keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.timeline = timeline  # the last plan that loaded
        self.problems = problems
        self.path = path
        self.keymap = dict(keymap or {})
        self.view = ChartView()
        self.objective: str | None = None
        self.lane: str | None = None  # the lane up and down last moved to
        self.stale = False
        self.fitted = False
        self.reloads = 0  # how many times the file was read again (tests wait on it)
        self.rehearsing = False
        self.rehearsals = 0  # how many rehearsals have been shown (tests wait on it)
        if timeline is not None and timeline.order:
            self.view = replace(self.view, selected=timeline.order[0].id)

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static(id="problems")
        yield PlanChart(id="chart")
        with Horizontal(id="below"):
            with VerticalScroll(id="summary-box"):
                yield Static(id="summary")
            yield Static(id="bench")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-box").border_title = "Selected inject (Enter: in full)"
        self.query_one("#bench").border_title = "Bench (b)"
        self.render_all()

    def on_resize(self) -> None:
        self.set_class(self.size.height < 30, "short")
        if not self.fitted and self.timeline is not None:
            self.fit()
        self.follow()
        self.render_all()

    # -- what is on screen --------------------------------------------------------------

    @property
    def cells(self) -> int:
        """Columns of drill time the chart has."""
        return max(8, self.query_one(PlanChart).content_size.width - LABEL)

    @property
    def selected(self) -> Placed | None:
        return self.timeline.by_id.get(self.view.selected or "") if self.timeline else None

    def fit(self) -> None:
        """The zoom that shows the whole plan, if any does; else the most zoomed out."""
        if self.timeline is None or self.query_one(PlanChart).content_size.width == 0:
            return
        self.fitted = True
        need = self.timeline.end + 1
        scale = next((s for s in SCALES if need / s <= self.cells - 4), SCALES[-1])
        self.view = replace(self.view, scale=scale, start=0)

    def follow(self) -> None:
        """Move the axis and the lanes so the selected inject is on screen."""
        p, t = self.selected, self.timeline
        if p is None or t is None:
            return
        view = self.view
        if p.time is not None:
            col = (p.time - view.start) // view.scale
            if not 0 <= col < self.cells - 8:
                start = max(0, p.time - (self.cells // 3) * view.scale)
                view = replace(view, start=start - start % view.scale)
        lanes = [lane.id for lane in lanes_shown(t, view)]
        where = next((lanes.index(lane) for lane in p.lanes if lane in lanes), None)
        if where is not None:
            height = max(3, self.query_one(PlanChart).content_size.height - 1)
            top = min(view.top, where)
            while sum(2 if not lanes[k].startswith("party:") else 1 for k in range(top, where + 1)) > height:
                top += 1
            view = replace(view, top=top)
        self.view = view

    def render_all(self) -> None:
        t = self.timeline
        view = replace(self.view, stale=self.stale,
                       marked=frozenset(p.id for p in t.testing(self.objective)) if t and self.objective else None)
        self.query_one(PlanChart).show(t, view)
        chart = self.query_one(PlanChart)
        chart.border_title = "The plan" + (f" · marked: the injects that test {shown(self.objective)}"
                                           if self.objective else "")
        problems = self.query_one("#problems", Static)
        self.set_class(bool(self.problems) and (t is None or self.stale), "invalid")
        errors = sum(1 for line in self.problems if ": error: " in line)
        problems.update(Text("\n".join(self.problems)))
        problems.border_title = (f"{errors} error{'s' if errors != 1 else ''} in {shown(self.path)}"
                                 + (": the plan below is the last that loaded" if t is not None else ""))
        p = self.selected
        self.query_one("#summary", Static).update(summary(t, p) if t and p else Text("Nothing selected."))
        self.query_one("#bench", Static).update(self.bench_text())

    def bench_text(self) -> Text:
        out = Text()
        if self.timeline is None or not self.timeline.bench:
            return Text("Empty: every inject has a time.", style="italic")
        for p in self.timeline.bench:
            mine = p.id == self.view.selected
            mark = MANUAL if p.inject.manual else glyph(p)
            line = f"{mark} {shown(p.id)} {shown(p.inject.title)}"
            out.append(line + "\n", style="bold reverse" if mine else ("" if p.inject.manual else "dim"))
        return out

    # -- the file read again ----------------------------------------------------------

    @on(PlanRead)
    def plan_read(self, message: PlanRead) -> None:
        self.reloads += 1
        self.problems = message.problems
        if message.timeline is None:
            self.stale = self.timeline is not None
        else:
            was = self.view.selected
            self.timeline, self.stale = message.timeline, False
            keep = was if was in message.timeline.by_id else (message.timeline.order[0].id if message.timeline.order
                                                             else None)
            self.view = replace(self.view, selected=keep)
            if not self.fitted:
                self.fit()
            self.follow()
        self.render_all()

    # -- keys ----------------------------------------------------------------------------

    def select(self, inject_id: str | None) -> None:
        self.view = replace(self.view, selected=inject_id)
        self.follow()
        self.render_all()

    def action_step(self, delta: int) -> None:
        if self.timeline is None or not self.timeline.order:
            return
        ids = [p.id for p in self.timeline.order]
        at = ids.index(self.view.selected) if self.view.selected in ids else -delta
        self.select(ids[max(0, min(len(ids) - 1, at + delta))])

    def action_first(self) -> None:
        if self.timeline is not None and self.timeline.order:
            self.select(self.timeline.order[0].id)

    def action_last(self) -> None:
        if self.timeline is not None and self.timeline.order:
            self.select(self.timeline.order[-1].id)

    def action_lane(self, delta: int) -> None:
        """The inject nearest in time in the next lane up or down that has one."""
        p, t = self.selected, self.timeline
        if p is None or t is None or p.time is None:
            return
        lanes = [lane.id for lane in lanes_shown(t, self.view)]
        # The lane moved to last, while the inject is in it (one sent to two roles is in two lanes).
        start = self.lane if self.lane in p.lanes and self.lane in lanes else next((x for x in p.lanes if x in lanes), None)
        k = (lanes.index(start) if start is not None else 0) + delta
        while 0 <= k < len(lanes):
            there = [q for q in t.placed if lanes[k] in q.lanes]
            if there:
                time = p.time
                self.select(min(there, key=lambda q: abs((q.time or 0) - time)).id)
                self.lane = lanes[k]
                return
            k += delta

    def action_zoom(self, direction: int) -> None:
        at = SCALES.index(self.view.scale) if self.view.scale in SCALES else 3
        scale = SCALES[max(0, min(len(SCALES) - 1, at - direction))]
        p = self.selected
        # Zoom about the selected inject, so it stays where the eye is.
        centre = p.time if p is not None and p.time is not None else self.view.start
        start = max(0, centre - (self.cells // 3) * scale)
        self.view = replace(self.view, scale=scale, start=start - start % scale)
        self.render_all()

    def action_pan(self, direction: int) -> None:
        step = max(1, self.cells // 2) * self.view.scale
        self.view = replace(self.view, start=max(0, self.view.start + direction * step))
        self.render_all()

    def action_detail(self) -> None:
        p = self.selected
        if self.timeline is not None and p is not None:
            self.app.push_screen(PlanDetailScreen(self.timeline, p))

    def action_objectives(self) -> None:
        if self.timeline is None:
            return
        if not self.timeline.scenario.objectives:
            self.notify("This scenario has no objectives.", severity="warning")
            return

        def chosen(objective: str | None) -> None:
            self.objective = objective
            self.render_all()

        self.app.push_screen(ObjectivesScreen(self.timeline, self.objective), chosen)

    def action_bench(self) -> None:
        if self.timeline is None or not self.timeline.bench:
            self.notify("The bench is empty: every inject has a time.", severity="warning")
            return
        self.select(self.timeline.bench[0].id)

    def action_parties(self) -> None:
        self.view = replace(self.view, parties=not self.view.parties, top=0)
        self.follow()
        self.render_all()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen([HelpRow(b, key_in_force(b, self.keymap)) for b in PLAN]))

    def action_rehearse(self) -> None:
        app = self.app
        if not isinstance(app, PlanApp) or app.rehearser is None:
            self.notify("Rehearsal is not available here.", severity="warning")
            return
        if self.timeline is None or self.stale:
            self.notify("The file has problems: fix them, then rehearse the plan.", severity="warning")
            return
        self.ask_policy(app.last_policy, None)

    def ask_policy(self, policy: str, error: str | None) -> None:
        def chosen(policy: str | None) -> None:
            if policy is not None and self.timeline is not None:
                self.rehearse(self.timeline.scenario, policy)

        self.app.push_screen(PolicyDialog(policy, error), chosen)

    @work(group="rehearse", exclusive=True, exit_on_error=False)
    async def rehearse(self, scenario: Scenario, policy: str) -> None:
        """Run the rehearsal in a thread (it plays the whole drill), then show what it found."""
        app = self.app
        assert isinstance(app, PlanApp) and app.rehearser is not None
        app.last_policy = policy
        self.rehearsing = True
        self.notify(f"Rehearsing under {shown(policy)}…", timeout=3)
        try:
            outcome: Rehearsed = await asyncio.to_thread(app.rehearser, scenario, policy)
        finally:
            self.rehearsing = False
        if outcome.drill_id is None:
            self.ask_policy(policy, "\n".join(outcome.lines))
            return
        self.rehearsals += 1
        await app.push_screen(RehearsalScreen(policy, outcome, app.database))


class PlanApp(App[int]):
    """The plan view: one screen, and with `watch` a worker that reads the file again whenever it is saved."""

    TITLE = "drilltui plan"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, path: Path, timeline: Timeline | None, problems: list[str], *, watch: bool = False,
                 settings: Settings | None = None, theme: str | None = None, every: float = 0.5,
                 wake: Wake | None = None, since: Marker | None = None, rehearser: Rehearser | None = None,
                 database: str = "") -> None:
        super().__init__()
        self.path = path
        self.rehearser = rehearser  # plays the plan forward (`r`); None: the key says it is not available
        self.database = database  # where rehearsals are kept, as the screen names it
        self.last_policy = "everyone"
        self.since = since if since is not None else marker(path)  # the file as it was read: a save from then on counts
        self.settings = settings or Settings()
        self.plan_screen = PlanScreen(timeline, problems, str(path), self.settings.keys)
        self.watching = watch
        self.every = every
        self.wake = wake
        self._theme = theme or self.settings.theme
        if timeline is not None:
            self.title = shown(timeline.scenario.title)
        self.sub_title = shown(str(path)) + (" · watching for changes" if watch else "")

    async def on_mount(self) -> None:
        for problem in set_up_looks(self, self._theme, self.settings.keys):
            self.notify(problem, title="Theme skipped", severity="warning")
        await self.push_screen(self.plan_screen)
        if self.watching:
            self.follow_file()

    @work(group="watch", exclusive=True, exit_on_error=False)
    async def follow_file(self) -> None:
        """Each time the file changes, lay it out again in a thread and hand the result to the screen."""
        async for _ in changes(self.path, self.since, self.every, self.wake):
            timeline, problems = await asyncio.to_thread(read_plan, self.path)
            if timeline is not None:
                self.title = shown(timeline.scenario.title)
            self.plan_screen.post_message(PlanRead(timeline, problems))
