from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from shopkeep.store import Store
from shopkeep.tui.screens.card import CustomerCardScreen
from tests.conftest import messages, record_notifications, until
from tests.tui.conftest import HOSTILE_NAMES

wait_for = until  # the suite's one polling helper (tests/conftest.py), under the name older tests import


def results(app) -> list[str]:
    table = app.screen.query_one("#results", DataTable)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


async def search(pilot, text: str) -> None:
    app = pilot.app
    await pilot.press("2")
    await wait_for(pilot, lambda: app.screen.metrics is not None)
    app.screen.query_one("#search", Input).value = ""
    await pilot.press(*text)  # typing builds the index; the results are the index's once it is there
    await wait_for(pilot, lambda: app.screen.index is not None and app.screen.shown_query == text)


async def test_typing_finds_a_customer_and_enter_opens_the_card(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "kowal")
        assert results(app)[0] == "Jan Kowalski"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        assert app.screen.title == "Jan Kowalski"
        await pilot.press("escape")
        assert app.screen.title == "Customers"
        await pilot.pause()
        await pilot.press("3")  # back from the card, a number key switches screens again
        await wait_for(pilot, lambda: app.screen.title == "Segments")
        assert app.screen.title == "Segments"


async def test_number_keys_typed_into_search_stay_in_the_input(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.press("6", "0", "0", "1", "q", "3")
        assert app.screen.title == "Customers"
        assert app.screen.query_one("#search", Input).value == "6001q3"
        assert app.is_running


async def test_slash_jumps_to_search_from_another_screen(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "slash")
        await pilot.pause()
        assert app.screen.title == "Customers"
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        assert not isinstance(app.focused, Input)
        await pilot.press("3")
        assert app.screen.title == "Segments"


async def test_hostile_names_are_found_and_shown_literally(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "smith")
        assert results(app)[0] == "Smith [VIP]"
        await search(pilot, "pay@")
        assert results(app)[0] == "[@click=app.quit]Pay[/]"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        contact = app.screen.query_one("#contact", Static).render()
        assert "[@click=app.quit]Pay[/]" in str(contact)
        assert "[b]Łódź[/b]" in str(contact)
        await pilot.click("#contact")
        assert app.is_running


async def test_escape_sequences_in_a_name_are_stripped(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "eve@")
        name = results(app)[0]
        assert "\x1b" not in name
        assert name == "Eve Red Title"
        assert HOSTILE_NAMES[4] != name


async def test_adding_a_note_saves_it_and_shows_it_on_the_card(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(6)
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        await pilot.press("N")
        await pilot.press(*"Likes [b]rye[/b] bread", "enter")
        await wait_for(pilot, lambda: app.screen.card is not None and bool(app.screen.card.notes))
        assert "Likes [b]rye[/b] bread" in str(app.screen.query_one("#notes", Static).render())
    with Store.open(shop_db) as store:
        assert store.scalar("SELECT body FROM notes WHERE customer_id = 6") == "Likes [b]rye[/b] bread"


async def test_logging_a_call_writes_the_contact_log(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(7)
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#call-note").focus()
        await pilot.press(*"back in May", "enter")
        await wait_for(pilot, lambda: app.screen.card is not None and bool(app.screen.card.calls))
        assert "no answer" in str(app.screen.query_one("#calls", Static).render())
    with Store.open(shop_db) as store:
        row = store.one("SELECT outcome, note FROM calls WHERE customer_id = 7")
    assert row == {"outcome": "no_answer", "note": "back in May"}


async def test_copy_phone_puts_the_number_on_the_clipboard(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(6)
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        await pilot.press("y")
        assert app.clipboard == "+48600100205"


async def test_adjusting_points_adds_to_the_ledger_and_the_card(make_app, shop_db, monkeypatch):
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(1)
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        assert app.screen.points == 120
        await pilot.press("p", *"+30", "enter", "y")  # giving points asks first
        await wait_for(pilot, lambda: app.screen.points == 150)
        await pilot.press("p", *"-500", "enter")
        await until(pilot, lambda: any("has 150 points" in m for m in messages(shown)), "the refusal")
        assert app.screen.points == 150
    with Store.open(shop_db) as store:
        assert store.scalar("SELECT sum(delta) FROM loyalty_ledger WHERE customer_id = 1") == 150


async def test_screen_keys_do_not_leave_an_open_dialog(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(6)
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("3", "q", "slash")
        assert app.is_running
        assert type(app.screen).__name__ == "CallModal"
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerCardScreen)


async def test_with_nothing_typed_everyone_is_listed_and_s_sorts_without_typing(make_app):
    from shopkeep.tui.widgets.lazy_table import LazyTable

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.title == "Customers" and app.screen.metrics is not None)
        everyone = app.screen.query_one("#everyone", LazyTable)
        await wait_for(pilot, lambda: everyone.display and everyone.row_count == 7)
        by_value = [everyone.row_at(i)[0] for i in range(everyone.row_count)]
        assert by_value[0] == "Maria Nowak"  # 12 orders: the most valuable
        assert "by value · s: sort by last order" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("down")  # from the search box into the list: keys now act on it
        assert app.focused is everyone
        await pilot.press("s", "s")  # by last order, then by churn risk
        await pilot.press("s")  # by name
        by_name = [everyone.row_at(i)[0] for i in range(everyone.row_count)]
        assert by_name == sorted(by_value, key=str.casefold) and by_name != by_value
        await pilot.press("down", "down", "enter")  # the third by name: Alice
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.customer_id == 1)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.title == "Customers")
        app.screen.query_one("#search", Input).focus()
        await pilot.press(*"maria")
        await wait_for(pilot, lambda: app.screen.shown_query == "maria")
        assert not everyone.display and results(app)[0] == "Maria Nowak"


async def test_digits_type_into_search_when_the_list_of_everyone_is_already_there(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.retention is not None)  # the list of everyone shows at once
        await pilot.press("2")
        await wait_for(pilot, lambda: app.screen.title == "Customers")
        await pilot.press("6", "0", "1")
        assert app.screen.title == "Customers"
        assert app.screen.query_one("#search", Input).value == "601"
