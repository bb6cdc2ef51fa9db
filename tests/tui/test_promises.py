"""Promised compensation on Today: promise it during a call (key m), give it when it is due (key g)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Select

from shopkeep.store import Store
from shopkeep.tui.screens.promise import PromiseModal
from tests.tui.test_today import HOSTILE, current_id, fill, logged, make, ready, text, until


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        fill(store)
    return path


def promises(db) -> list[dict]:
    with Store.open(db, create=False) as store:
        return store.rows(
            "SELECT p.id, p.customer_id, p.call_id, p.kind, p.amount, p.description, p.due_on, p.closed_at,"
            " p.closed_how, c.outcome FROM promises p LEFT JOIN calls c ON c.id = p.call_id ORDER BY p.id"
        )


async def promise(pilot, amount: str, *, kind: str | None = None, what: str = "", due: str | None = None) -> None:
    await pilot.press("m")
    await until(pilot, lambda: isinstance(pilot.app.screen, PromiseModal), "the promise dialog")
    dialog = pilot.app.screen
    if kind is not None:
        dialog.query_one("#promise-kind", Select).value = kind
    dialog.query_one("#promise-what", Input).value = what
    if due is not None:
        dialog.query_one("#promise-due", Input).value = due
    assert pilot.app.focused is dialog.query_one("#promise-amount", Input)
    await pilot.press(*amount, "enter")


async def test_a_promise_is_saved_with_the_next_call_and_gets_a_due_date(shop):
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await promise(pilot, "25.50", what="delivery fee back")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        assert "Promising  refund of PLN\u00a025.50 due 2026-11-30 — delivery fee back" in text(app, "#facts")
        assert promises(shop) == []  # not before the call is logged
        await pilot.press("w", "enter")
        [call] = await logged(pilot, shop, 1)
        assert call["outcome"] == "will_return"
        await until(pilot, lambda: promises(shop) != [], "the promise")
        [row] = promises(shop)
        assert (row["customer_id"], row["kind"], row["amount"], row["due_on"]) == (1, "refund", 2550, "2026-11-30")
        assert row["description"] == "delivery fee back"
        assert row["outcome"] == "will_return" and row["closed_at"] is None
        assert current_id(app) == 2
        assert "Promising" not in text(app, "#facts")  # Jan promised nothing


async def test_a_bad_amount_or_a_past_due_day_keeps_the_dialog_open(shop):
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await promise(pilot, "12.5055")
        dialog = app.screen
        assert isinstance(dialog, PromiseModal)
        assert "too many decimals: PLN has 2" in str(dialog.query_one("#promise-error", Label).render())
        dialog.query_one("#promise-amount", Input).value = "12"
        dialog.query_one("#promise-due", Input).value = "2026-11-01"
        await pilot.press("enter")
        assert app.screen is dialog
        assert "cannot be before 2026-11-23" in str(dialog.query_one("#promise-error", Label).render())
        dialog.query_one("#promise-due", Input).value = "+3"
        dialog.query_one("#promise-kind", Select).value = "bonus"
        await pilot.press("enter")  # 12 points due in three days
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        assert "Promising  bonus of 12 points due 2026-11-26" in text(app, "#facts")
        await pilot.press("a")  # no answer: it still goes with the logged call
        await until(pilot, lambda: promises(shop) != [], "the promise")
        assert [(p["kind"], p["amount"], p["due_on"], p["outcome"]) for p in promises(shop)] == [
            ("bonus", 12, "2026-11-26", "no_answer")
        ]


async def goto(pilot, customer_id: int) -> None:
    """Down the list to this customer, as the owner would."""
    for _ in range(10):
        if current_id(pilot.app) == customer_id:
            return
        await pilot.press("down")
    raise AssertionError(f"customer {customer_id} is not on the list")


def late_promises(db) -> None:
    """Maria was promised 50 apology points by the 20th; the hostile customer a refund due today."""
    with Store.open(db, create=False) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO promises (id, customer_id, kind, amount, description, due_on) VALUES"
            " (7, 4, 'bonus', 50, 'sorry for the wait', '2026-11-20'),"
            " (8, 3, 'refund', 3000, '[b]broken[/b] jar', '2026-11-23')"
        )


async def test_a_late_bonus_given_with_g_goes_to_the_ledger_and_closes_the_promise(shop):
    late_promises(shop)
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert [i.kind for i in screen.session.items[1:3]] == ["compensation_late", "compensation_late"]
        await goto(pilot, 4)
        await until(pilot, lambda: "Promised" in text(app, "#facts"), "her promise")
        facts = text(app, "#facts")
        assert "compensation late: promised bonus of 50 points: 3 days late" in facts
        assert "Promised   bonus of 50 points due 2026-11-20 — sorry for the wait  (g: given)" in facts
        await pilot.press("g")
        await until(pilot, lambda: promises(shop)[0]["closed_at"] is not None, "the promise to close")
        assert promises(shop)[0]["closed_how"] == "given"
        with Store.open(shop, create=False) as store:
            ledger = store.rows("SELECT delta, reason, reference FROM loyalty_ledger WHERE customer_id = 4")
        assert ledger == [{"delta": 50, "reason": "apology", "reference": "promise:7"}]
        await until(pilot, lambda: "Promised" not in text(app, "#facts"), "the facts to update")
        assert "Points     50" in text(app, "#facts")
        await pilot.press("g")  # given already: the key does nothing more
        await pilot.pause()
        with Store.open(shop, create=False) as store:
            assert store.scalar("SELECT count(*) FROM loyalty_ledger WHERE customer_id = 4") == 1
        assert current_id(app) == 4 and app.screen is screen  # the call itself is still to make


async def test_a_refund_given_closes_without_points_and_hostile_text_stays_literal(shop):
    late_promises(shop)
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await goto(pilot, 3)
        await until(pilot, lambda: "Promised" in text(app, "#facts"), "the refund promise")
        assert text(app, "#facts-name").startswith(HOSTILE)
        assert "refund of PLN\u00a030 due 2026-11-23 — [b]broken[/b] jar" in text(app, "#facts")
        await pilot.press("g")
        await until(pilot, lambda: promises(shop)[1]["closed_at"] is not None, "the refund to close")
        assert promises(shop)[1]["closed_how"] == "given"
        with Store.open(shop, create=False) as store:
            assert store.scalar("SELECT count(*) FROM loyalty_ledger WHERE customer_id = 3") == 0
        await promise(pilot, "40", what="[@click=app.quit]x[/]")
        await until(pilot, lambda: "[@click=app.quit]x[/]" in text(app, "#facts"), "the new promise")
        assert app.is_running


async def test_a_call_back_with_a_late_promise_can_close_it_with_g_too(shop):
    with Store.open(shop, create=False) as store, store.write() as conn:
        conn.execute("INSERT INTO promises (customer_id, kind, due_on) VALUES (1, 'credit', '2026-11-22')")
        conn.execute("INSERT INTO promises (customer_id, kind, due_on) VALUES (1, 'other', '2026-12-01')")
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.session.current.kind == "callback"  # the call-back outranks the late credit
        await until(pilot, lambda: "(g: given)" in text(app, "#facts"), "the late credit")
        assert "Promised   credit due 2026-11-22  (g: given)" in text(app, "#facts")
        assert text(app, "#facts").endswith("Promised   other due 2026-12-01")  # not due yet: g is not for it
        await pilot.press("g")
        await until(pilot, lambda: promises(shop)[0]["closed_how"] == "given", "the credit to close")
        await until(pilot, lambda: "(g: given)" not in text(app, "#facts"), "the facts to update")
        await pilot.press("g")  # nothing else is due
        await until(pilot, lambda: all(w.is_finished for w in app.workers), "every write to finish")
        assert promises(shop)[1]["closed_at"] is None


def why_of(app, customer_id: int) -> str:
    from textual.widgets import DataTable

    table = app.screen.query_one("#calls", DataTable)
    return str(table.get_row(str(customer_id))[3])


async def test_open_promises_show_on_the_card_and_g_there_updates_today_at_once(shop):
    from shopkeep.tui.screens.card import CustomerCardScreen
    from tests.tui.test_customers import wait_for

    late_promises(shop)
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert "promised bonus of 50 points: 3 days late" in why_of(app, 4)
        app.open_customer(4)
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.promises)
        shown = str(app.screen.query_one("#promises").render())
        assert "bonus of 50 points due 2026-11-20, 3 days late — sorry for the wait  (g: given)" in shown
        await pilot.press("g")
        await wait_for(pilot, lambda: not app.screen.promises and app.screen.points == 50)
        assert not app.screen.query_one("#promises").display
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on Today")
        assert why_of(app, 4) == "promise given today"  # at once, without a rebuild
        await goto(pilot, 4)
        await until(pilot, lambda: "Points     50" in text(app, "#facts"), "her facts to update")
        assert "Promised" not in text(app, "#facts")
    assert promises(shop)[0]["closed_how"] == "given"
