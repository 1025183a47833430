"""A dashboard redraw grows with the drill's roles and injects, not with their product.

The role board and the escalation tree asked each role for its open items, and each ask walked every inject:
a redraw of a drill of 1,000 roles and 1,000 injects took 0.2 s, once a second and on every event, in every console.
"""

from __future__ import annotations

from dataclasses import replace

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


class Walks(dict):  # type: ignore[type-arg]
    """The drill's injects, counting the walks over all of them."""

    walks = 0

    def values(self):  # type: ignore[no-untyped-def]
        Walks.walks += 1
        return super().values()


async def walks_per_redraw(tmp_path, n: int) -> int:  # type: ignore[no-untyped-def]
    """How many times one full dashboard redraw walks every inject, with half of them released and open."""
    wall = VirtualWall()
    drill = Drill(scenario(n), MemoryJournal(clock=wall), participant="Ana", role="ctl", wall=wall)
    app = DrilltuiApp(Live(drill, f"big-{n}", run_scheduler=False, join=False),
                      settings=Settings(path=tmp_path / f"{n}.yaml", bell=False), clock_interval=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await drill.execute(c.Start())
        wall.advance(n / 2)
        await drill.tick()
        await pilot.pause()
        state = replace(drill.state, injects=Walks(drill.state.injects))
        Walks.walks = 0
        app.screen.render_state(state, Moment(drill.now(), drill.wall()))  # type: ignore[attr-defined]
        return Walks.walks


async def test_a_redraw_walks_the_injects_as_often_for_a_big_roster_as_for_a_small_one(tmp_path) -> None:
    small, big = await walks_per_redraw(tmp_path, 20), await walks_per_redraw(tmp_path, 400)
    # Every role asked for its own open items, in the board and again in the tree, each ask a walk: 801 walks for
    # 400 roles, 41 for 20.
    assert big == small, f"a redraw walked every inject {big} times over 400 roles, {small} times over 20"
