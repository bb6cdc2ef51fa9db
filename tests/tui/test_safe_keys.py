"""Keys that cannot hurt: a key means the same on every screen, giving points and erasing a phone ask
first, and `u` undoes the last outcome, points entry, note or wrong-number mark by a compensating entry."""

from __future__ import annotations

from textual.widgets import Input

from shopkeep.store import Store
from shopkeep.tui.modals import PointsModal
from shopkeep.tui.screens.card import CustomerCardScreen
from shopkeep.tui.screens.confirm import ConfirmModal
from tests.tui.test_card_loyalty import open_card, section
from tests.tui.test_customers import wait_for
from tests.tui.test_today import current_id, make, ready, text, today, today_db, until  # noqa: F401


def _rows(db, sql: str, params: tuple = ()) -> list[dict]:
    with Store.open(db, create=False) as store:
        return store.rows(sql, params)


def _calls(db, customer_id: int) -> list[str]:
    rows = _rows(
        db,
        "SELECT outcome FROM calls WHERE customer_id = ? AND id NOT IN (SELECT target_id FROM undone"
        " WHERE kind = 'call') ORDER BY id",
        (customer_id,),
    )
    return [r["outcome"] for r in rows]


def _ledger(db, customer_id: int) -> list[tuple[int, str]]:
    rows = _rows(db, "SELECT delta, reason FROM loyalty_ledger WHERE customer_id = ? ORDER BY id", (customer_id,))
    return [(r["delta"], r["reason"]) for r in rows]


async def test_a_and_w_on_the_card_are_call_outcomes_as_on_today_not_points(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 7)
        await pilot.press("a")
        await wait_for(pilot, lambda: "no answer" in section(app, "calls"))
        await pilot.press("w")
        await wait_for(pilot, lambda: "will return" in section(app, "calls"))
        assert app.screen.points == 0
    assert _calls(shop_db, 7) == ["no_answer", "will_return"]
    assert _ledger(shop_db, 7) == []


async def test_points_on_the_card_go_through_p_and_a_question_and_u_takes_them_back(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 7)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PointsModal))
        await pilot.press(*"200", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("enter")  # Enter from habit does not say yes
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen))
        assert _ledger(shop_db, 7) == []

        await pilot.press("p", *"200", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen.points == 200)
        await pilot.press("u")
        await wait_for(pilot, lambda: app.screen.points == 0)
        assert "Points          0" in section(app, "points")
    assert _ledger(shop_db, 7) == [(200, "adjust"), (-200, "adjust")]  # a reversing entry, nothing deleted


async def test_a_wrong_number_on_the_card_asks_first_and_u_gives_the_phone_back(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 7)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen))
        assert _calls(shop_db, 7) == []
        await pilot.press("x", "y")
        await wait_for(pilot, lambda: app.screen.card.customer["phone"] is None)
        assert _calls(shop_db, 7) == ["wrong_number"]
        await pilot.press("u")
        await wait_for(pilot, lambda: app.screen.card.customer["phone"] == "+48600100206")
        assert "+48" in section(app, "contact")
        assert "wrong number" not in section(app, "calls")
    assert _calls(shop_db, 7) == []
    assert _rows(shop_db, "SELECT count(*) AS n FROM calls WHERE customer_id = 7")[0]["n"] == 1  # kept, undone


async def test_u_takes_back_a_note_and_then_says_when_nothing_is_left(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 6)
        await pilot.press("N", *"call after 5", "enter")
        await wait_for(pilot, lambda: "call after 5" in section(app, "notes"))
        await pilot.press("u")
        await wait_for(pilot, lambda: "call after 5" not in section(app, "notes"))
        await pilot.press("u")
        await wait_for(pilot, lambda: app.last_notice == "Nothing to undo in this session.")
    assert _rows(shop_db, "SELECT body FROM notes WHERE customer_id = 6") == [{"body": "call after 5"}]


async def test_on_today_u_puts_the_customer_back_and_the_results_forget_the_call(today_db):  # noqa: F811
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert current_id(app) == 1
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.focused, Input), "the note field")
        await pilot.press("enter")
        await until(pilot, lambda: "1 logged" in text(app, "#today-status"), "the call to be saved")
        assert 1 not in [i.customer_id for i in screen.session.items]
        await pilot.press("u")
        await until(pilot, lambda: 1 in [i.customer_id for i in screen.session.items], "Ola back on the list")
        assert "logged" not in text(app, "#today-status")
        await until(pilot, lambda: "Calls 2" in text(app, "#results"), "the results without the undone call")
    assert _calls(today_db, 1) == ["will_return", "call_later"]  # the two calls from before today


async def test_on_today_x_asks_first_and_u_restores_the_phone(today_db):  # noqa: F811
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen, "back on Today")
        assert current_id(app) == 1
        await pilot.press("x", "y")
        await until(pilot, lambda: "1 logged" in text(app, "#today-status"), "the call to be saved")
        assert _rows(today_db, "SELECT phone FROM customers WHERE id = 1") == [{"phone": None}]
        await pilot.press("u")
        await until(pilot, lambda: 1 in [i.customer_id for i in today(app).session.items], "Ola back")
        assert current_id(app) == 1  # the customer of the undone key is the one shown, to call again
    assert _rows(today_db, "SELECT phone FROM customers WHERE id = 1") == [{"phone": "+48600100001"}]


async def test_digits_type_into_the_search_box_and_f_keys_switch_screens_from_anywhere(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.title == "Customers")
        app.screen.query_one("#search", Input).focus()
        await pilot.press("3", "4")
        assert app.screen.query_one("#search", Input).value == "34"
        assert app.screen.title == "Customers"
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen.title == "Loyalty")
        await pilot.press("1")  # where nothing is typed, digits still switch
        await wait_for(pilot, lambda: app.screen.title == "Today")
