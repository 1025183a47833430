"""The hotwash follows the end of a drill; each item it records is an event in the log."""

from __future__ import annotations

from uiharness import plain, until

from drilltui.ui.dashboard import Dashboard
from drilltui.ui.hotwash import HotwashDialog, HotwashScreen
from drilltui.ui.modals import Confirm

SIZE = (120, 36)


async def test_hotwash_after_ending_records_items(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: harness.drill.state.started)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, HotwashScreen))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, HotwashDialog))
        await pilot.press(*"SOC paged fast", "enter")
        await until(pilot, lambda: len(harness.drill.state.hotwash) == 1)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, HotwashDialog))
        await pilot.press(*"Lead missed the page", "enter")
        await until(pilot, lambda: len(harness.drill.state.hotwash) == 2)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, HotwashDialog))
        await pilot.press(*"Paging gaps", "enter", *"Add a backup pager", "enter")
        await pilot.press("tab", *"2027-03-31", "enter")  # owner left blank, due date typed
        await until(pilot, lambda: len(harness.drill.state.hotwash) == 3)
        items = list(harness.drill.state.hotwash)
        assert [(h.section, h.objective) for h in items] == [("strength", "O1"), ("improvement", "O1"), ("action", "O1")]
        assert items[2].corrective_action == "Add a backup pager" and items[2].due == "2027-03-31"
        body = plain(app.screen.query_one("#summary-body").content)
        assert "SOC paged fast" in body and "Add a backup pager" in body
        kinds = await harness.kinds()
        assert kinds.count("hotwash_item_added") == 3 and "drill_ended" in kinds
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, Dashboard))
