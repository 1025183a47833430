"""A dashboard redraw grows with the drill's roles and injects, not with their product.

The role board and the escalation tree asked each role for its open items, and each ask walked every inject:
a redraw of a drill of 1,000 roles and 1,000 injects took 0.2 s, once a second and on every event, in every console.
"""

from __future__ import annotations

import time

from memjournal import MemoryJournal, VirtualWall

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.scenario import Scenario, loads
from drilltui.ui.app import DrilltuiApp, Live
from drilltui.ui.messages import Moment
from drilltui.ui.settings import Settings


def scenario(n: int) -> Scenario:
    """A controller and `n` players, each sent one inject, a second apart, to acknowledge within the hour."""
    roles = ["  - {id: ctl, title: Control, kind: controller}", *(f"  - {{id: r{i}, title: Role {i}}}" for i in range(n))]
    injects = [f"  - {{id: I{i}, at: {i}s, to: [r{i}], title: Inject {i}, ack_within: 1h}}" for i in range(n)]
    return loads("\n".join(["format: drilltui/1", "id: big", "title: Big", "duration: 2h", "roles:", *roles,
                            "injects:", *injects, ""]))


async def best_redraw(tmp_path, n: int) -> float:  # type: ignore[no-untyped-def]
    """The best of five full dashboard redraws with half the injects released and open."""
    wall = VirtualWall()
    drill = Drill(scenario(n), MemoryJournal(clock=wall), participant="Ana", role="ctl", wall=wall)
    app = DrilltuiApp(Live(drill, f"big-{n}", run_scheduler=False, join=False),
                      settings=Settings(path=tmp_path / f"{n}.yaml", bell=False), clock_interval=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await drill.execute(c.Start())
        wall.advance(n / 2)
        await drill.tick()
        await pilot.pause()
        dashboard = app.screen
        times = []
        for _ in range(5):
            started = time.perf_counter()
            dashboard.render_state(drill.state, Moment(drill.now(), drill.wall()))  # type: ignore[attr-defined]
            times.append(time.perf_counter() - started)
    return min(times)


async def test_a_redraw_of_twice_the_roles_and_injects_costs_about_twice_as_much(tmp_path) -> None:
    ratio = await best_redraw(tmp_path, 800) / await best_redraw(tmp_path, 400)
    # Linear is 2x; asking every role about every inject made it 3.6x (0.06 s to 0.2 s at 500 and 1,000).
    assert ratio < 2.8, f"a redraw over 800 roles and injects took {ratio:.1f}x as long as over 400"
