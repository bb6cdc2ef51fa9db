"""The real date moved by SHOPKEEP_TEST_SHIFT_DAYS days (e.g. +365), for this process (see sitecustomize)."""

from __future__ import annotations

import datetime as dt
import os

ENV = "SHOPKEEP_TEST_SHIFT_DAYS"


def shift_days() -> int:
    text = os.environ.get(ENV, "").strip()
    return int(text) if text else 0


def start() -> dt.datetime | None:
    """Start travelling (ticking) if asked; returns the moved moment, or None."""
    days = shift_days()
    if not days:
        return None
    import time_machine

    moved = dt.datetime.now().astimezone() + dt.timedelta(days=days)
    time_machine.travel(moved, tick=True).start()
    return moved
