"""Pausing Python's cycle collector around a big allocation burst, without touching other threads.

`gc.disable()` is process-wide: called from a TUI worker thread it would switch the collector off under
the screen's own thread too, and two workers could leave it off for each other. So the pause happens only
on the main thread (the CLI, a benchmark); in a worker thread the work runs with the collector as it is.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block when on the main thread and the collector was on; restored after."""
    if threading.current_thread() is not threading.main_thread() or not gc.isenabled():
        yield  # a worker thread, or already paused by the caller: leave the process's collector alone
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
