"""Appended: every view stays the sequence it was made as, however later views grow or branch from it."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from drilltui.engine.state import Appended

# Each step: from which existing view (an index, taken modulo how many there are), add one item or extend by some.
steps = st.lists(st.tuples(st.integers(0, 10**6), st.one_of(st.integers(), st.lists(st.integers(), max_size=4))),
                 max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(), max_size=5), steps)
def test_every_view_keeps_its_items_as_views_grow_and_branch(start, ops) -> None:
    views = [Appended(list(start))]
    expected = [list(start)]
    for at, what in ops:
        k = at % len(views)
        if isinstance(what, list):
            views.append(views[k].extend(what))
            expected.append(expected[k] + what)
        else:
            views.append(views[k].add(what))
            expected.append([*expected[k], what])
    for view, items in zip(views, expected):
        assert len(view) == len(items)
        assert list(view) == items
        assert [view[i] for i in range(-len(items), len(items))] == items + items  # from the end, then the start
        assert view == Appended(items)
        assert hash(view) == hash(Appended(items))
        assert view[1:3] == items[1:3]


def test_branching_off_a_long_log_does_not_copy_it() -> None:
    """A replay folding on from a snapshot appends to an older view: that must not cost the whole log."""
    log = Appended(list(range(2_000_000)))
    older = log.add(-1)
    newer = older.add(-2)  # appended in place: `older`'s list is now longer than older sees
    begun = time.perf_counter()
    branches = [older.add(i) for i in range(200)]  # each a branch from the older view
    took = time.perf_counter() - begun
    assert newer[-1] == -2 and all(b[-1] == i and len(b) == 2_000_002 for i, b in enumerate(branches))
    assert took < 0.05, f"200 branches took {took:.3f} s: each copied the log"
