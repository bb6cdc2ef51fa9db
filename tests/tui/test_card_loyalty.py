from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from shopkeep.store import Store
from shopkeep.tui.screens.card import CustomerCardScreen
from tests.conftest import messages, record_notifications
from tests.conftest import until as wait_for


async def open_card(pilot, customer_id: int) -> None:
    app = pilot.app
    app.open_customer(customer_id)
    await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
    await pilot.pause()


def section(app, part: str) -> str:
    return str(app.screen.query_one(f"#{part}", Static).render())


def referrals(shop_db) -> list[tuple[int, int]]:
    with Store.open(shop_db) as store:
        return [(r["referrer_id"], r["referred_id"]) for r in store.rows("SELECT * FROM referrals ORDER BY id")]


async def pick_referrer(pilot, typed: str) -> None:
    app = pilot.app
    await pilot.press("r")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ReferrerModal" and app.screen.index is not None)
    await pilot.press(*typed)
    await wait_for(pilot, lambda: app.screen.query_one("#who-matches", OptionList).option_count > 0)
    await pilot.press("enter")


async def test_card_shows_points_tier_expiry_code_and_both_sides_of_referrals(make_app, shop_db):
    with Store.open(shop_db) as store:
        store.set_setting("loyalty_rules", {"expiry_months": 7})  # Smith's last order was 200 days ago
        with store.write() as conn:
            conn.execute("UPDATE customers SET referral_code = 'SMITH-7K2Q' WHERE id = 2")
            conn.execute(
                "INSERT INTO loyalty_ledger (customer_id, delta, reason, created_at)"
                " VALUES (2, 80, 'review', '2026-05-07T10:00:00')"
            )
            conn.execute(
                "INSERT INTO referrals (referrer_id, referred_id, source, created_at) VALUES (6, 2, 'manual', ?)",
                ("2026-05-01T10:00:00",),
            )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 2)
        points = section(app, "points")
        assert "Points          80" in points
        assert "Tier            Bronze" in points
        assert "Expiring        80 points on 2026-12-07" in points
        refs = section(app, "referrals")
        assert "Referral code   SMITH-7K2Q" in refs
        assert "Brought by      Maria Nowak" in refs
        await open_card(pilot, 1)
        assert "Expiring        none soon" in section(app, "points")
        assert "Brought Maria Nowak" in section(app, "referrals")


async def test_r_links_who_sent_the_customer_from_a_search(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 7)
        assert "nobody recorded" in section(app, "referrals")
        await pilot.press("r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReferrerModal" and app.screen.index is not None)
        await pilot.press(*"kowal")  # Jan Kowalski himself is never offered
        await wait_for(
            pilot,
            lambda: (
                app.screen.query_one("#who", Input).value == "kowal"
                and str(app.screen.query_one("#who-status", Static).render()) == "No match."
            ),
            "the search for 'kowal' to have run",
        )
        assert app.screen.query_one("#who-matches", OptionList).option_count == 0
        await pilot.press("escape")
        await pick_referrer(pilot, "smith")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen))
        await wait_for(pilot, lambda: "Smith" in section(app, "referrals"))
        assert "Brought by      Smith [VIP]" in section(app, "referrals")
    assert referrals(shop_db) == [(1, 6), (2, 7)]


async def test_a_referral_loop_is_refused_with_the_cores_message(make_app, shop_db, monkeypatch):
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 1)  # Alice brought Maria: Maria cannot have brought Alice
        await pick_referrer(pilot, "maria")
        message = "customer #6 was brought by #1: that would be a loop"
        await wait_for(pilot, lambda: message in messages(shown))
    assert referrals(shop_db) == [(1, 6)]
