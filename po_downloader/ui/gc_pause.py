"""Python's cycle collector, kept from stalling the window.

The collector holds the GIL for a whole pass, and a pass over everything alive costs 100-200 ms once a
100 000-row sheet is in memory. Reading or preparing such a sheet on a thread makes hundreds of thousands
of objects that survive, and that is exactly what sets off full passes (one each time the survivors grow
by a quarter): the GUI thread, waiting for the GIL, stalled 100-200 ms several times per sheet.

So the window's one-shot work runs with automatic collection paused, and what it leaves alive is then
frozen (``gc.freeze``): moved out of the collector's sight for good. Those objects are still freed by
reference counting; only cycles among them would wait, and the sheet, plan and rows hold none. Later
passes (during a batch) then walk only what is new since, a few milliseconds.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside (any thread; nested or overlapping uses count), and what is alive
    when the last one ends is frozen. Leaves the collector as it found it."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()
