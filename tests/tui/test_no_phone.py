"""Every customer reachable: Today's `e` lists the customers without a phone with a message for their reason;
`y` copies it, `s` logs it as sent (a contact like a call, in the results), `u` takes that back."""

from __future__ import annotations

from textual.widgets import Static

from shopkeep.store import Store
from shopkeep.tui.screens.no_phone import NoPhoneScreen
from tests.tui.test_today import make, no_phone_rows, ready, text, today_db, until  # noqa: F401


async def test_write_to_a_customer_without_a_phone_and_log_it_as_sent(today_db):  # noqa: F811
    with Store.open(today_db, create=False) as store, store.write() as conn:
        conn.execute("UPDATE customers SET email = 'piotr@example.com' WHERE id = 5")
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: "Calls 2" in text(app, "#results"), "the results")
        await pilot.press("e")
        await until(pilot, lambda: no_phone_rows(app)[0].startswith("Piotr Cichy"), "the no-phone list")
        message = str(app.screen.query_one("#message", Static).render())
        assert "Email to piotr@example.com" in message and "Hello Piotr," in message
        await pilot.press("y")
        assert app.clipboard.startswith("Subject: ") and "Hello Piotr," in app.clipboard
        await pilot.press("t", "y")
        assert app.clipboard.startswith("Hello Piotr! ")
        assert "Subject" not in app.clipboard
        await pilot.press("s")
        await until(pilot, lambda: no_phone_rows(app) == [""], "Piotr off the list")
        assert "1 sent" in text(app, "#no-phone-status")
        await pilot.press("u")
        await until(pilot, lambda: no_phone_rows(app)[0].startswith("Piotr Cichy"), "Piotr back")
        await pilot.press("s")
        await until(pilot, lambda: no_phone_rows(app) == [""], "Piotr off the list again")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, NoPhoneScreen), "back on Today")
        await until(pilot, lambda: "Calls 3" in text(app, "#results"), "the message counted like a call")
    with Store.open(today_db, create=False) as store:
        rows = store.rows(
            "SELECT outcome, reason, (id IN (SELECT target_id FROM undone)) AS undone FROM calls WHERE customer_id = 5"
        )
    assert [(r["outcome"], r["undone"]) for r in rows] == [("message_sent", 1), ("message_sent", 0)]
