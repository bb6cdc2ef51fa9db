"""Library code keeps its global state to itself: the collector pause and the figures cache."""

from __future__ import annotations

import datetime as dt
import gc
import threading

import pytest

import shopkeep.retention as retention
from shopkeep import collector
from shopkeep.retention import cached_compute
from shopkeep.store import analytics

from .conftest import add_history

AS_OF = dt.date(2026, 6, 30)


def _in_thread(fn):
    out: list = []
    worker = threading.Thread(target=lambda: out.append(fn()))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive() and out, "the worker did not finish"
    return out[0]


def _collector_during_compute(store, monkeypatch) -> list[bool]:
    """gc.isenabled() as seen from inside a compute (it reads the customers' ids half way through)."""
    seen: list[bool] = []
    real = analytics.customer_flags

    def customer_flags(s):
        seen.append(gc.isenabled())
        return real(s)

    monkeypatch.setattr(analytics, "customer_flags", customer_flags)
    return seen


def test_a_compute_in_a_worker_thread_leaves_the_process_collector_on(tmp_path, monkeypatch):
    from shopkeep.store import Store

    path = tmp_path / "shop.db"
    with Store.open(path) as s:
        add_history(s, ["2026-05-01", "2026-06-01"])
    seen = _collector_during_compute(None, monkeypatch)

    def work():
        with Store.open(path) as s:  # a connection of the worker's own, as the TUI's workers have
            return retention.compute(s, AS_OF)

    _in_thread(work)
    assert seen == [True]  # a TUI worker: the screen's thread keeps its collector
    assert gc.isenabled()


def test_a_compute_on_the_main_thread_still_pauses_the_collector_and_restores_it(mem, monkeypatch):
    add_history(mem, ["2026-05-01", "2026-06-01"])
    seen = _collector_during_compute(mem, monkeypatch)
    retention.compute(mem, AS_OF)
    assert seen == [False]  # the CLI keeps the speed-up
    assert gc.isenabled()


def test_the_pause_leaves_a_collector_the_caller_switched_off_alone():
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_import_in_a_worker_thread_leaves_the_process_collector_on(monkeypatch):
    seen = _in_thread(lambda: _state_inside_pause())
    assert seen is True and gc.isenabled()
    assert _state_inside_pause() is False and gc.isenabled()


def _state_inside_pause() -> bool:
    from shopkeep.importing import load

    with load._collector_paused():
        return gc.isenabled()


@pytest.fixture
def counted(monkeypatch):
    """How many real computes ran."""
    calls: list[dt.date] = []
    real = retention._compute  # what cached_compute runs: the figures and the fingerprint they were read at

    def compute(store, as_of):
        calls.append(as_of)
        return real(store, as_of)

    monkeypatch.setattr(retention, "_compute", compute)
    monkeypatch.setattr(retention, "_CACHE", type(retention._CACHE)())
    return calls


def test_a_look_back_keeps_the_figures_of_the_apps_own_day(mem, counted):
    add_history(mem, ["2026-05-01", "2026-06-01"])
    today = cached_compute(mem, AS_OF)
    back = cached_compute(mem, AS_OF - dt.timedelta(days=30))  # look-back: another day's figures
    assert back is not today
    assert cached_compute(mem, AS_OF) is today  # not recomputed: the look-back did not overwrite it
    assert counted == [AS_OF, AS_OF - dt.timedelta(days=30)]


def test_the_cache_holds_a_few_days_only(mem, counted):
    add_history(mem, ["2026-05-01"])
    days = [AS_OF - dt.timedelta(days=n) for n in range(retention.CACHE_SIZE + 2)]
    for day in days:
        cached_compute(mem, day)
    assert len(retention._CACHE) == retention.CACHE_SIZE
    cached_compute(mem, days[0])  # the oldest entry was dropped: computed again
    assert counted == [*days, days[0]]
