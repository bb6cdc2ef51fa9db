"""The morning call flow on Today, driven by keys as the owner would, on a small fixed shop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.css.query import NoMatches
from textual.widgets import DataTable, Input, OptionList, Static

from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from shopkeep.tui.modals import ReasonPicker
from shopkeep.tui.screens.confirm import ConfirmModal
from shopkeep.tui.screens.today import CallLaterModal, ResultsModal, TodayScreen
from tests.conftest import insert_row, new_customer, new_order, until

AS_OF = dt.date(2026, 11, 23)
HOSTILE = "[@click=app.quit]Pay[/]"
NOW = "2026-11-01T10:00:00"
# (id, name, first name, phone): who is on the list, and why
CUSTOMERS = [
    (1, "Ola Zwrotna", "Ola", "+48600100001"),  # asked to be called back today
    (2, "Jan Kowalski", "Jan", "+48600100002"),  # first order 5 days ago: welcome call
    (3, HOSTILE, None, "+48600100003"),  # a slipping regular, worth the most
    (4, "Maria Nowak", "Maria", "+48600100004"),  # a slipping regular
    (5, "Piotr Cichy", "Piotr", None),  # slipping, but no phone: email or text instead
    (6, "Celina Stała", "Celina", "+48600100006"),  # orders every 20 days, on track: not called
]
# customer → (orders, days between, days since the last, total in grosze, product)
PLAN = {
    1: (5, 25, 30, 9_000, "Green tea"),
    2: (1, 0, 5, 6_000, "Honey jar"),
    3: (7, 30, 100, 20_000, "Tea [red]leaf[/red]"),
    4: (6, 20, 80, 12_000, "Mint tea"),
    5: (6, 20, 90, 9_000, "Black tea"),
    6: (6, 20, 5, 8_000, "Rooibos"),
}


def fill(store: Store) -> None:
    with store.write():
        insert_row(store, "settings", key="shop_name", value='"Herbs [b]&[/b] Co"')
        for cid, name, first_name, phone in CUSTOMERS:
            new_customer(store, id=cid, name=name, first_name=first_name, phone=phone, created_at=NOW, updated_at=NOW)
        n = 0
        for cid, (count, gap, last, total, product) in PLAN.items():
            for k in range(count):
                n += 1
                when = AS_OF - dt.timedelta(days=last + gap * (count - 1 - k))
                at = f"{when.isoformat()}T12:00:00"
                new_order(
                    store,
                    cid,
                    id=n,
                    source="generic",
                    order_key=f"o{n}",
                    ordered_at=at,
                    currency="PLN",
                    total=total,
                    created_at=NOW,
                    updated_at=NOW,
                )
                insert_row(store, "order_lines", order_id=n, line_no=1, product=product, quantity=1, line_total=total)
        # Ola asked on the 16th to be called back today, about delivery; the call before won her back
        insert_row(
            store,
            "calls",
            customer_id=1,
            called_at="2026-10-20T10:00:00",
            outcome="will_return",
            reason="forgot",
            callback_on=None,
        )
        insert_row(
            store,
            "calls",
            customer_id=1,
            called_at="2026-11-16T10:00:00",
            outcome="call_later",
            reason="delivery",
            callback_on="2026-11-23",
        )


@pytest.fixture
def today_db(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        fill(store)
    return path


def make(db: Path) -> ShopkeepApp:
    return ShopkeepApp(db, as_of=AS_OF)


def today(app: ShopkeepApp) -> TodayScreen:
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    return screen


def current_id(app: ShopkeepApp) -> int | None:
    queue = today(app).session
    return None if queue is None or queue.current is None else queue.current.customer_id


def text(app: ShopkeepApp, selector: str) -> str:
    """The widget's text on the current screen; empty while another screen (a dialog) is on top."""
    try:
        return str(app.screen.query_one(selector, Static).render())
    except NoMatches:
        return ""


async def ready(pilot) -> TodayScreen:
    """The list is built and the first customer's script is on screen."""
    screen = today(pilot.app)
    await until(pilot, lambda: screen.session is not None and "Hello" in text(pilot.app, "#script"), "the list")
    return screen


def calls_of(db: Path, customer_id: int) -> list[dict]:
    with Store.open(db, create=False) as store:
        return store.rows(
            "SELECT outcome, reason, offer, note, callback_on, list_date FROM calls"
            " WHERE customer_id = ? AND called_at >= '2026-11-23' ORDER BY id",
            (customer_id,),
        )


async def logged(pilot, db: Path, customer_id: int, count: int = 1) -> list[dict]:
    await until(pilot, lambda: len(calls_of(db, customer_id)) >= count, "the call to be saved")
    return calls_of(db, customer_id)


async def test_the_morning_opens_on_today_with_the_list_focused_and_the_first_call_ready(today_db):
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        table = screen.query_one("#calls", DataTable)
        assert app.focused is table
        # the promised call-back first, then win-backs and the welcome call; the one without a phone apart
        assert [str(table.get_row_at(r)[0]) for r in range(table.row_count)] == [
            "Ola Zwrotna",
            "Jan Kowalski",
            "[@click=app.quit]…",  # long names are cut in the list
            "Maria Nowak",
        ]
        assert "4 to call · 1 without a phone (e: show)" in text(app, "#today-status")
        assert current_id(app) == 1
        facts = text(app, "#facts")
        assert "call back: asked to be called back today" in facts
        assert "Reason     delivery cost" in facts
        script = text(app, "#script")
        assert "Delivery too expensive" in script
        assert "Hello Ola, this is Herbs [b]&[/b] Co. I noticed delivery" in script  # the shop's name, literally
        await pilot.press("e")
        await until(pilot, lambda: "Piotr Cichy" in no_phone_rows(app)[0], "the no-phone list")


async def test_outcome_keys_log_the_call_and_the_next_customer_appears_at_once(today_db):
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("a")  # no answer: Ola is tried again at the end
        assert current_id(app) == 2
        assert [i.customer_id for i in screen.session.items] == [2, 3, 4, 1]
        assert (await logged(pilot, today_db, 1))[0]["outcome"] == "no_answer"

        await pilot.press("w")  # Jan will come back: the note field takes the keys
        assert isinstance(app.focused, Input)
        await pilot.press(*"loves the honey", "enter")
        assert current_id(app) == 3
        assert app.focused is screen.query_one("#calls", DataTable)
        [call] = await logged(pilot, today_db, 2)
        assert call == {
            "outcome": "will_return",
            "reason": "first_purchase",
            "offer": None,
            "note": "loves the honey",
            "callback_on": None,
            "list_date": "2026-11-23",
        }

        await pilot.press("l")  # call later: a date, prefilled a week ahead
        await until(pilot, lambda: isinstance(app.screen, CallLaterModal), "the date dialog")
        day = app.screen.query_one("#callback-day", Input)
        assert day.value == "2026-11-30"
        day.value = "2026-11-01"
        await pilot.press("enter")
        assert isinstance(app.screen, CallLaterModal)  # a day in the past is refused, the dialog stays
        assert "pick a day after 2026-11-23" in str(app.screen.query_one("#callback-error", Static).render())
        day.value = "+0"
        await pilot.press("enter")
        assert isinstance(app.screen, CallLaterModal)
        day.value = "+3"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "note", "the note field")
        await pilot.press("escape")  # no note
        [call] = await logged(pilot, today_db, 3)
        assert (call["outcome"], call["callback_on"], call["note"]) == ("call_later", "2026-11-26", None)

        assert current_id(app) == 4
        await pilot.press("x")  # wrong number: it erases the phone, so it asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("y")
        assert (await logged(pilot, today_db, 4))[0]["outcome"] == "wrong_number"
        with Store.open(today_db, create=False) as store:
            assert store.scalar("SELECT phone FROM customers WHERE id = 4") is None

        assert current_id(app) == 1  # back to Ola, who did not answer
        await pilot.press("a")  # no answer twice: left for another day
        await logged(pilot, today_db, 1, count=2)
        assert current_id(app) is None
        assert "All done for today" in text(app, "#facts-name")
        assert app.is_running


async def test_the_card_call_dialog_reads_the_call_back_day_as_today_does(today_db):
    from shopkeep.tui.modals import CallModal
    from shopkeep.tui.screens.card import CustomerCardScreen

    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # the first customer's card
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CallModal), "the call dialog")
        dialog = app.screen
        await pilot.press("enter", *["down"] * 3, "enter")  # call later
        dialog.query_one("#callback", Input).value = "2026-11-01"
        dialog.query_one("#call-note").focus()
        await pilot.press("enter")
        assert app.screen is dialog  # a day in the past is refused, the dialog stays
        assert calls_of(today_db, 1) == []
        dialog.query_one("#callback", Input).value = "+3"
        await pilot.press("enter")
        [call] = await logged(pilot, today_db, 1)
        assert (call["outcome"], call["callback_on"]) == ("call_later", "2026-11-26")


async def test_a_call_logged_on_the_card_takes_the_customer_off_today_and_a_no_answer_does_not(today_db):
    from shopkeep.tui.screens.card import CustomerCardScreen

    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)

        async def log_on_card(outcome_downs: int) -> None:
            await pilot.press("enter")  # the highlighted customer's card
            await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
            await pilot.press("c")
            await until(pilot, lambda: type(app.screen).__name__ == "CallModal", "the call dialog")
            await pilot.press("enter", *["down"] * outcome_downs, "enter")  # pick the outcome in its list
            app.screen.query_one("#call-note").focus()
            await pilot.press(*"on the card", "enter")
            await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and bool(app.screen.card.calls))
            await pilot.press("escape")  # back to Today
            await until(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")

        await pilot.press("down")  # Jan
        assert current_id(app) == 2
        await log_on_card(outcome_downs=0)  # no answer: Jan stays on the list
        assert [i.customer_id for i in screen.session.items] == [1, 2, 3, 4]
        await log_on_card(outcome_downs=1)  # will return: Jan is done for today
        assert calls_of(today_db, 2)[-1]["outcome"] == "will_return"
        table = screen.query_one("#calls", DataTable)
        assert [i.customer_id for i in screen.session.items] == [1, 3, 4]
        assert "Jan Kowalski" not in [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        assert current_id(app) == 3  # the next one down the list
        assert "3 to call · 1 logged" in text(app, "#today-status")


async def test_reason_key_switches_the_script_and_the_offer_is_saved_with_the_call(today_db):
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "Delivery too expensive" in text(app, "#script")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReasonPicker), "the reason picker")
        await pilot.press("3")  # prices, picked by its number
        await until(pilot, lambda: "Prices too high" in text(app, "#script"), "the prices script")
        assert "You used to buy Green tea from us" in text(app, "#script")
        assert "Reason     prices" in text(app, "#facts")
        await pilot.press("o", "o")  # the second offer of the prices script
        assert "▶ Bonus points on your next order" in text(app, "#script")
        await pilot.press("n", "enter")
        [call] = await logged(pilot, today_db, 1)
        assert (call["outcome"], call["reason"], call["offer"]) == (
            "not_interested",
            "prices",
            "Bonus points on your next order",
        )


async def test_r_opens_a_picker_of_every_reason_instead_of_cycling(today_db):
    app = make(today_db)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ready(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReasonPicker), "the reason picker")
        options = app.screen.query_one("#reasons", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(labels) == 8 and labels[0].startswith("1  Forgot about us") and labels[7].startswith("8  Other")
        assert options.highlighted == 1 and "← now" in labels[1]  # Ola's call-back was about delivery
        await pilot.press("escape")  # Esc keeps the reason
        await until(pilot, lambda: app.screen is screen, "Today again")
        assert "Delivery too expensive" in text(app, "#script")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReasonPicker), "the reason picker")
        await pilot.press("down", "down", "down", "enter")  # delivery → prices → moved → let down
        await until(pilot, lambda: "Let down by quality" in text(app, "#script"), "the let-down script")
        table = screen.query_one("#calls", DataTable)
        assert str(table.get_row_at(0)[2]) == "let down"
        assert "Reason     let down" in text(app, "#facts")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReasonPicker), "the reason picker")
        assert app.screen.query_one("#reasons", OptionList).highlighted == 4  # opens on the reason now in use
        await pilot.press("6")  # compensation, straight to it: no cycling through the ones between
        await until(pilot, lambda: "compensation late" in str(table.get_row_at(0)[2]), "the compensation row")


async def test_a_half_typed_note_survives_a_crash(today_db):
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("w", *"wants free deliv")
        with Store.open(today_db, create=False) as store:
            await until(pilot, lambda: store.scalar("SELECT body FROM call_drafts WHERE customer_id = 1") is not None)
            assert store.scalar("SELECT body FROM call_drafts WHERE customer_id = 1") == "wants free deliv"
    # the terminal was closed mid-call: nothing logged, the note kept
    assert calls_of(today_db, 1) == []
    again = make(today_db)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert current_id(again) == 1
        await until(pilot, lambda: "wants free deliv" in text(again, "#facts"), "the draft")
        await pilot.press("w")
        assert again.screen.query_one("#note", Input).value == "wants free deliv"
        await pilot.press(*"ery", "enter")
        assert (await logged(pilot, today_db, 1))[0]["note"] == "wants free delivery"
        with Store.open(today_db, create=False) as store:
            assert store.scalar("SELECT count(*) FROM call_drafts") == 0


async def test_results_bar_beside_practice_and_results_by_reason(today_db):
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: "Calls 2" in text(app, "#results"), "the results")
        bar = text(app, "#results")
        # Ola: reached twice, agreed once, and ordered after the first call
        assert "reached 100%" in bar
        assert "agreed 50% (~60%)" in bar
        assert "call→order 50% (~15%)" in bar
        await pilot.press("x", "y")
        await until(pilot, lambda: "Calls 3" in text(app, "#results"), "the results after a call")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ResultsModal), "the results")
        table = app.screen.query_one("#by-reason", DataTable)
        await until(pilot, lambda: table.row_count > 0, "results by reason")
        rows = {str(table.get_row_at(r)[0]): [str(c) for c in table.get_row_at(r)[1:]] for r in range(table.row_count)}
        assert rows["delivery cost"] == ["2", "1", "0"]
        assert rows["forgot about us"] == ["1", "1", "1"]
        await until(pilot, lambda: "Look back" in text(app, "#look-back"), "the look back")
        assert "on the list of 2026-11-16" in text(app, "#look-back")


def no_phone_rows(app: ShopkeepApp) -> list[str]:
    """The customers on the no-phone screen, as shown (empty until it is open and written)."""
    from shopkeep.tui.screens.no_phone import NoPhoneScreen

    if not isinstance(app.screen, NoPhoneScreen):
        return [""]
    table = app.screen.query_one("#outreach", DataTable)
    return [str(table.get_row_at(r)[0]) for r in range(table.row_count)] or [""]


async def test_a_long_no_phone_list_lists_everyone_the_most_valuable_first(today_db):
    with Store.open(today_db, create=False) as store, store.write():
        for cid in range(100, 210):  # 110 more slipping regulars who left no phone
            new_customer(store, id=cid, name=f"Mail only {cid}", created_at=NOW, updated_at=NOW)
            for k in range(6):
                when = AS_OF - dt.timedelta(days=90 + 20 * k)
                at = f"{when.isoformat()}T12:00:00"
                new_order(
                    store,
                    cid,
                    source="generic",
                    order_key=f"m{cid}-{k}",
                    ordered_at=at,
                    currency="PLN",
                    total=100 * cid,
                    created_at=NOW,
                    updated_at=NOW,
                )
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "111 without a phone (e: show)" in text(app, "#today-status")
        await pilot.press("e")
        await until(pilot, lambda: len(no_phone_rows(app)) == 111, "the no-phone list")
        shown = no_phone_rows(app)
        assert shown[0].startswith("Mail only 209") and shown[1].startswith("Mail only 208")  # most valuable first
        assert "111 without a phone · 0 with an email" in text(app, "#no-phone-status")


async def test_hostile_name_is_shown_literally_and_does_nothing(today_db):
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("down", "down")
        assert current_id(app) == 3
        await until(pilot, lambda: "Tea [red]leaf[/red]" in text(app, "#script"), "the hostile customer's script")
        assert text(app, "#facts-name").startswith(HOSTILE)
        assert f"Hello {HOSTILE}, this is Herbs [b]&[/b] Co." in text(app, "#script")
        assert "How are you getting on with Tea [red]leaf[/red]?" in text(app, "#script")
        await pilot.click("#facts-name")
        await pilot.click("#script")
        assert app.is_running


async def test_a_shop_with_nobody_to_call_says_so(tmp_path):
    Store.open(tmp_path / "empty.db").close()
    app = make(tmp_path / "empty.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = today(app)
        await until(pilot, lambda: screen.session is not None, "the list")
        assert "No orders in this shop yet" in text(app, "#facts-name")  # a first run: how to import
        assert "0 to call" in text(app, "#today-status")
        await pilot.press("a", "w", "r", "o")  # nothing to log: the keys do nothing
        assert app.is_running


def test_today_snapshot(today_db, monkeypatch, snap_compare):
    monkeypatch.chdir(today_db.parent)  # the header shows the path as given: the same on every machine
    app = ShopkeepApp(Path(today_db.name), as_of=AS_OF)

    async def run_before(pilot):
        await ready(pilot)
        await until(pilot, lambda: "Calls 2" in text(app, "#results"), "the results")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


async def test_a_call_whose_write_fails_is_not_counted_and_its_customer_comes_back_on_the_list(today_db):
    # The database refuses the next call (as a full disk or a broken file would): the owner must see it.
    with Store.open(today_db, create=False) as store, store.write() as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'refused'); END")
    app = make(today_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("x", "y")  # wrong number for Ola: the write fails
        await until(pilot, lambda: screen.session.saving == 0, "the write to finish")
        assert calls_of(today_db, 1) == []
        assert "logged" not in text(app, "#today-status")
        assert [i.customer_id for i in screen.session.items] == [2, 1, 3, 4]  # still to call, right after Jan
        with Store.open(today_db, create=False) as store:
            assert store.scalar("SELECT phone FROM customers WHERE id = 1") == "+48600100001"  # nothing half-done
            with store.write() as conn:
                conn.execute("DROP TRIGGER refuse")
        await pilot.press("down")  # the owner picks Ola again
        assert current_id(app) == 1
        await pilot.press("a")
        await until(pilot, lambda: "1 logged" in text(app, "#today-status"), "the call to count once saved")
        assert [c["outcome"] for c in calls_of(today_db, 1)] == ["no_answer"]
