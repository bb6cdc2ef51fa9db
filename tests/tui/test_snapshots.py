"""Screens at 120×40 on the fixed test shop (as of 2026-11-23). Update with `pytest --snapshot-update` after a
deliberate change, and look at the SVGs in __snapshots__ before committing them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from shopkeep.tui.app import ShopkeepApp
from shopkeep.tui.screens.card import CustomerCardScreen
from tests.conftest import until
from tests.tui.conftest import AS_OF

SIZE = (120, 40)


@pytest.fixture
def app(shop_db, monkeypatch):
    monkeypatch.chdir(shop_db.parent)  # the header shows the path as given: the same on every machine
    return ShopkeepApp(Path(shop_db.name), as_of=AS_OF)


async def settle(pilot, condition) -> None:
    await until(pilot, condition, "the screen to settle before the snapshot")


def test_customer_search_results(app, snap_compare):
    async def run_before(pilot):
        await pilot.press("2")
        await settle(pilot, lambda: app.screen.metrics is not None)
        await pilot.press(*"example.com")
        await settle(pilot, lambda: app.screen.index is not None and app.screen.shown_query == "example.com")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_customer_card_with_hostile_text(app, snap_compare):
    async def run_before(pilot):
        app.open_customer(1)
        await settle(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.metrics is not None)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_segments(app, snap_compare):
    async def run_before(pilot):
        await pilot.press("3")
        await settle(pilot, lambda: app.screen.query_one("#segments", DataTable).row_count > 0)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_dashboard(app, snap_compare):
    async def run_before(pilot):
        await pilot.press("6")
        await settle(pilot, lambda: app.retention is not None)
        await settle(pilot, lambda: "Calls made" in str(app.screen.query_one("#calls").render()))

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_today_at_80x24_shows_its_keys(app, snap_compare):
    """The keys that matter on Today fit an 80×24 terminal: the outcomes, screens, undo and `?`."""

    async def run_before(pilot):
        await settle(pilot, lambda: app.screen.session is not None and app.screen.details)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
