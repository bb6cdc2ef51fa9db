"""Issue 19: the list kept today shows on Today at once, without waiting for the figures (seconds at 1M orders);
a list that no longer holds (something changed since) waits for them and is built again."""

from __future__ import annotations

import threading

from textual.widgets import DataTable

from shopkeep import calls, retention
from shopkeep.store import Store
from tests.conftest import until
from tests.tui.conftest import AS_OF


def _slow_figures(monkeypatch) -> threading.Event:
    release = threading.Event()
    compute = retention.cached_compute

    def slow(store, as_of):
        release.wait(30)  # the figures of a big shop, still being computed
        return compute(store, as_of)

    monkeypatch.setattr(retention, "cached_compute", slow)
    return release


def _listed(app) -> list[str]:
    table = app.screen.query_one("#calls", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_the_list_kept_today_shows_before_the_figures(make_app, shop_db, monkeypatch):
    with Store.open(shop_db) as store:
        kept = calls.today_list(store, AS_OF)
    assert kept.items
    release = _slow_figures(monkeypatch)
    app = make_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.screen.summary is not None, "the kept list")
            assert app.retention is None
            assert len(_listed(app)) == len(kept.items)
            release.set()
            await until(pilot, lambda: app.retention is not None, "the figures")
            assert len(_listed(app)) == len(kept.items)
    finally:
        release.set()


async def test_a_list_that_no_longer_holds_waits_for_the_figures(make_app, shop_db, monkeypatch):
    with Store.open(shop_db) as store:
        first = calls.today_list(store, AS_OF)
        calls.mark_do_not_call(store, first.items[0].customer_id)  # changed since it was kept
    release = _slow_figures(monkeypatch)
    answers: list[object] = []
    read = calls.kept_list
    monkeypatch.setattr(calls, "kept_list", lambda store, as_of: answers.append(read(store, as_of)) or answers[-1])
    app = make_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: answers, "the kept list looked for")
            assert answers == [None]
            await pilot.pause()
            assert app.screen.summary is None  # not the stale list
            release.set()
            await until(pilot, lambda: app.screen.summary is not None, "the list built from the figures")
            assert first.items[0].customer_id not in [i.customer_id for i in app.screen.summary.items]
    finally:
        release.set()
