from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from shopkeep.tui.widgets.lazy_table import LazyTable
from tests.conftest import messages, record_notifications
from tests.conftest import until as wait_for
from tests.tui.conftest import AS_OF, HOSTILE_NAMES


def table(app) -> LazyTable:
    return app.screen.query_one("#standings", LazyTable)


def rows(app) -> list[tuple[str, ...]]:
    t = table(app)
    return [t.row_at(i) for i in range(t.row_count)]


def shown_lines(app) -> list[str]:
    t = table(app)
    return [t.render_line(y).text for y in range(t.size.height)]


async def open_loyalty(pilot) -> None:
    app = pilot.app
    await pilot.press("4")
    await wait_for(pilot, lambda: app.screen.title == "Loyalty" and app.screen.overview is not None)
    await pilot.pause()


def ledger(shop_db, customer_id: int) -> list[tuple]:
    with Store.open(shop_db) as store:
        found = store.rows(
            "SELECT delta, reason, note FROM loyalty_ledger WHERE customer_id = ? ORDER BY id", (customer_id,)
        )
    return [tuple(r.values()) for r in found]


async def test_key_4_shows_balances_and_tiers_with_hostile_names_literally(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_loyalty(pilot)
        assert rows(app)[0][:3] == ("Alice [/]", "120", "Silver")  # most points first
        assert len(rows(app)) == 7
        summary = str(app.screen.query_one("#loyalty-summary", Static).render())
        assert "Bronze 4 · Silver 3 · Gold 0 · VIP 0" in summary
        assert "Points held      120" in summary
        screen_text = "\n".join(shown_lines(app))
        for name in HOSTILE_NAMES[:4]:
            assert name in screen_text
        assert "Eve Red Title" in screen_text  # escape codes stripped, the text kept
        assert "\x1b" not in screen_text


async def test_v_shows_who_is_close_to_the_next_tier_and_who_has_points_expiring(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_loyalty(pilot)
        await pilot.press("v")
        assert rows(app) == []  # nobody's points expire within 30 days
        assert "nobody right now" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("v")
        assert rows(app) == [("Maria Nowak", "0", "Silver", "", "Gold: PLN\u00a07.50 to go")]
        await pilot.press("v")
        assert len(rows(app)) == 7


async def test_adding_points_asks_amount_and_reason_then_shows_the_new_balance(make_app, shop_db, monkeypatch):
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_loyalty(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert "Alice [/] has 120 points" in str(app.screen.query_one("#points-balance", Static).render())
        await pilot.press(*"+50", "tab", *"birthday cake", "enter", "y")
        await wait_for(pilot, lambda: rows(app)[0][1] == "170")
        assert any("Points +50 saved." in m for m in messages(shown))
    assert ledger(shop_db, 1)[-1] == (50, "adjust", "birthday cake")


async def test_redeeming_more_than_the_balance_is_refused_and_writes_nothing(make_app, shop_db, monkeypatch):
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_loyalty(pilot)
        await pilot.press("p", *"-500", "enter")
        await wait_for(pilot, lambda: any("cannot redeem 500" in m for m in messages(shown)))
        assert "customer #1 has 120 points; cannot redeem 500" in messages(shown)
        assert rows(app)[0][1] == "120"
    assert ledger(shop_db, 1) == [(120, "purchase", None)]


async def test_action_keys_reward_the_selected_customer_once(make_app, shop_db, monkeypatch):
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_loyalty(pilot)
        await pilot.press("down")  # Smith [VIP], 0 points
        await pilot.press("f", "y")  # giving points asks first
        await wait_for(pilot, lambda: any("+20 points for a social follow" in m for m in messages(shown)))
        await wait_for(pilot, lambda: ("Smith [VIP]", "20") in [r[:2] for r in rows(app)])
        assert rows(app)[table(app).cursor][0] == "Smith [VIP]"  # still second, now with 20 points
        await pilot.press("f", "y")
        await wait_for(pilot, lambda: any("already rewarded" in m for m in messages(shown)))
        await pilot.press("o", "n")  # said no: nothing given
        await pilot.press("o", "y")
        await wait_for(pilot, lambda: any("+200 points for an apology bonus" in m for m in messages(shown)))
    assert ledger(shop_db, 2) == [(20, "follow", None), (200, "apology", None)]


def test_loyalty_snapshot(shop_db, monkeypatch, snap_compare):
    monkeypatch.chdir(shop_db.parent)  # the header shows the path as given: the same on every machine
    app = ShopkeepApp(Path(shop_db.name), as_of=AS_OF)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_loyalty)
