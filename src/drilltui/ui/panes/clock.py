"""The drill clock: drill time, state, speed, progress and the next scheduled inject."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.text import Text
from textual.widgets import Static

from drilltui.engine.scheduler import next_scheduled_release
from drilltui.engine.state import DrillState
from drilltui.scenario import format_drill_time, format_duration
from drilltui.ui.style import resolve

# Padded to one width, so a pause or resume changes the line's content but never its length.
PHASE = {"ready": ("◌ READY  ", "$text-muted"), "running": ("▶ RUNNING", "bold $success"),
         "paused": ("⏸ PAUSED ", "bold $warning"), "ended": ("■ ENDED  ", "bold $error")}


class ClockPane(Static):
    """Shows the clock; `show(state, now, wall)` redraws it."""

    DEFAULT_CSS = "ClockPane { height: auto; padding: 0 1; }"
    _shown: Text | None = None

    def show(self, state: DrillState, now: float, wall: float, colors: dict[str, str]) -> None:
        label, style = PHASE[state.phase]
        duration = state.scenario.duration
        width = 20
        filled = min(width, int(width * now / duration)) if duration else 0
        wall_text = datetime.fromtimestamp(wall, timezone.utc).strftime("%H:%M:%SZ")
        line = Text()
        line.append(format_drill_time(now), style="bold")
        line.append("  ")
        line.append(label, style=resolve(style, colors))
        line.append(f"  {state.clock.speed:g}x", style="bold" if state.clock.speed != 1 else "")
        line.append(f"  wall {wall_text}  ")
        line.append("█" * filled, style=resolve("$accent", colors))
        line.append("░" * (width - filled), style=resolve("$text-muted", colors))
        if duration and now >= duration and state.phase != "ready":
            over = format_drill_time(now - duration)[2:]
            line.append(f" ⏰ planned end passed +{over}", style=resolve("bold $warning", colors))
        else:
            line.append(f" {int(100 * now / duration) if duration else 0}% of {format_duration(duration)}")
        nxt = next_scheduled_release(state) if state.phase in ("running", "paused") else None
        if state.phase == "ready":
            line.append("  · start with s", style=resolve("$text-muted", colors))
        elif nxt is not None:
            t, inject_id = nxt
            line.append(f"  next {inject_id} in {format_drill_time(max(0.0, t - now))[2:]}")
        if line != self._shown:  # most ticks change nothing on screen
            # The pane's height follows the line's length (it wraps when narrow): lay out again only if that moved.
            relayout = self._shown is None or len(line) != len(self._shown)
            self._shown = line
            self.update(line, layout=relayout)
