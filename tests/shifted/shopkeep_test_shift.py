"""The real date moved by SHOPKEEP_TEST_SHIFT_DAYS days (e.g. +365), for this process (see sitecustomize)."""

from __future__ import annotations

import datetime as dt
import os

ENV = "SHOPKEEP_TEST_SHIFT_DAYS"


def shift_days() -> int:
    text = os.environ.get(ENV, "").strip()
    return int(text) if text else 0


_started: dt.datetime | None = None


def start() -> dt.datetime | None:
    """Start travelling (ticking) if asked, once per process (an xdist worker runs sitecustomize and then
    the suite's pytest_configure: moving twice would move it two years); returns the moved moment, or None."""
    global _started
    days = shift_days()
    if not days:
        return None
    if _started is None:
        import time_machine

        _started = dt.datetime.now().astimezone() + dt.timedelta(days=days)
        time_machine.travel(_started, tick=True).start()
    return _started
