"""Today, a customer card and the Dashboard in English, Russian and Polish at 120×40, and Today at 80×24 in
Polish (its words are the longest): the same fixed shop as tests/tui/test_snapshots.py, the language chosen
in the shop's settings. Each also checks that the footer shows every key it lists whole (a translation too
long for the footer is shortened in the catalog, never cut on screen). Look at the SVGs after a change to
a catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from shopkeep.tui.screens.card import CustomerCardScreen
from tests.conftest import until
from tests.tui.conftest import AS_OF, assert_footer_whole

SIZE = (120, 40)
LANGUAGES = ("en", "ru", "pl")


@pytest.fixture
def shop_in(shop_db, monkeypatch):
    monkeypatch.chdir(shop_db.parent)  # the header shows the path as given: the same on every machine

    def make(language: str) -> ShopkeepApp:
        with Store.open(shop_db) as store:
            store.set_setting("language", language)
        return ShopkeepApp(Path(shop_db.name), as_of=AS_OF)

    return make


async def today_ready(app, pilot) -> None:
    await until(pilot, lambda: app.screen.session is not None and app.screen.details, "today's list")


@pytest.mark.parametrize("language", LANGUAGES)
def test_today(shop_in, snap_compare, language):
    app = shop_in(language)

    async def run_before(pilot):
        await today_ready(app, pilot)
        assert_footer_whole(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_today_in_polish_at_80x24(shop_in, snap_compare):
    app = shop_in("pl")

    async def run_before(pilot):
        await today_ready(app, pilot)
        assert_footer_whole(app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_customer_card(shop_in, snap_compare, language):
    app = shop_in(language)

    async def run_before(pilot):
        app.open_customer(1)
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.metrics is not None)
        assert_footer_whole(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard(shop_in, snap_compare, language):
    app = shop_in(language)

    async def run_before(pilot):
        await pilot.press("6")
        await until(pilot, lambda: app.retention is not None, "the figures")
        await until(pilot, lambda: "%" in str(app.screen.query_one("#calls").render()), "the calls")
        assert_footer_whole(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
