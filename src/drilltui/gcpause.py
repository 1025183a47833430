"""`gc_paused()`: no cyclic garbage collection for the length of a block that builds an acyclic heap.

Loading a scenario, importing a sheet and folding a log each make objects by the
ten thousand and free few, and none of them forms a reference cycle: the
collector's passes would walk the growing heap again and again and find
nothing. Reference counting still frees everything as it goes, and a cycle made
meanwhile is collected after the block, by the first collection that follows.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block, and enable it again after if it was enabled before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
