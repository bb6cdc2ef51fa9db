"""Today, a customer card and the Dashboard in English, Russian and Polish at 120×40, and Today at 80×24 in
Polish (its words are the longest): the same fixed shop as tests/tui/test_snapshots.py, the language chosen
in the shop's settings. Each also checks that the footer shows every key it lists whole (a translation too
long for the footer is shortened in the catalog, never cut on screen). Look at the SVGs after a change to
a catalog."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from shopkeep.tui.screens.card import CustomerCardScreen
from tests.conftest import until
from tests.tui.conftest import AS_OF

SIZE = (120, 40)
CELL_WIDTH = 12.2  # pixels per terminal cell in Rich's SVG export
LANGUAGES = ("en", "ru", "pl")


def screen_rows(app: ShopkeepApp) -> list[str]:
    """The terminal's rows as text, read from the screenshot Textual exports (one <text> per run of cells)."""
    svg = app.export_screenshot()
    rows: dict[int, list[str]] = {}
    for x, row, words in re.findall(r'<text[^>]*? x="([\d.]+)"[^>]*?-line-(\d+)\)">([^<]*)</text>', svg):
        cells = rows.setdefault(int(row), [])
        column = round(float(x) / CELL_WIDTH)
        cells.extend([" "] * (column - len(cells)))
        cells[column:] = list(html.unescape(words).replace("\xa0", " "))
    return ["".join(cells) for _row, cells in sorted(rows.items())]


def assert_footer_whole(app: ShopkeepApp) -> None:
    """Every key the footer shows is there with its whole description (the footer is the last row)."""
    footer = " ".join(screen_rows(app)[-1].split())
    for active in app.screen.active_bindings.values():
        binding = active.binding
        if binding.show and binding.description and active.enabled:
            assert binding.description in footer, (binding.description, footer)


@pytest.fixture
def shop_in(shop_db, monkeypatch):
    monkeypatch.chdir(shop_db.parent)  # the header shows the path as given: the same on every machine

    def make(language: str) -> ShopkeepApp:
        with Store.open(shop_db) as store:
            store.set_setting("language", language)
        return ShopkeepApp(Path(shop_db.name), as_of=AS_OF)

    return make


async def today_ready(app, pilot) -> None:
    await until(pilot, lambda: app.screen.queue is not None and app.screen.details, "today's list")


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
