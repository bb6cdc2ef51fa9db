"""Issue 19: at 100k customers the search index takes seconds to build; until it is ready, what is typed is
searched on the database's kept words, with the same results, and the screens never wait for the index."""

from __future__ import annotations

import threading

from textual.widgets import DataTable, Input

from shopkeep import lookup
from tests.conftest import until


def _names(app) -> list[str]:
    table = app.screen.query_one("#results", DataTable)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


async def test_a_search_before_the_index_is_built_finds_the_same(make_app, shop_db, monkeypatch):
    release = threading.Event()
    build = lookup.CustomerIndex.from_store

    def slow_build(store):
        release.wait(30)  # the index of a big shop, still being built
        return build(store)

    monkeypatch.setattr(lookup.CustomerIndex, "from_store", staticmethod(slow_build))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: app.screen.metrics is not None, "the customers list")
        assert app.screen.index is None
        app.screen.query_one("#search", Input).value = ""
        await pilot.press(*"kowal")
        await until(pilot, lambda: app.screen.shown_query == "kowal", "the results")
        before = _names(app)
        assert before and before[0] == "Jan Kowalski"
        await pilot.press("f3")  # the other screens do not wait for the index either
        await until(pilot, lambda: app.screen.title == "Segments", "the segments screen")
        await until(pilot, lambda: app.screen.query_one("#segments", DataTable).row_count > 0, "the segments")
        release.set()
        await pilot.press("f2")
        await until(pilot, lambda: app.screen.index is not None, "the index")
        expected = [m.name for m in app.screen.index.search("kowal", limit=50)]
        assert before == expected


async def test_the_index_is_built_only_once_the_owner_types(make_app, monkeypatch):
    """Issue 19: opening Customers (and every screen after it) costs no index build; the first letter typed
    starts it, once, and the search box works meanwhile."""
    built: list[int] = []
    build = lookup.CustomerIndex.from_store

    def counted(store):
        built.append(1)
        return build(store)

    monkeypatch.setattr(lookup.CustomerIndex, "from_store", staticmethod(counted))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: app.screen.metrics is not None, "the customers list")
        await pilot.press("f6", "f3", "f2")
        await until(pilot, lambda: app.screen.title == "Customers", "back on Customers")
        assert app.screen.index is None and built == []
        await pilot.press(*"kowal")
        await until(pilot, lambda: app.screen.index is not None and app.screen.shown_query == "kowal", "the index")
        assert _names(app)[0] == "Jan Kowalski"
        builds = len(built)  # the screen's one (a search typed before it was ready may have made its own)
        await pilot.press("f1", "f2")
        await until(pilot, lambda: app.screen.title == "Customers", "back on Customers")
        app.screen.query_one("#search", Input).value = "kowa"
        await until(pilot, lambda: app.screen.shown_query == "kowa", "the results")
        assert len(built) == builds  # coming back and searching again builds nothing more
