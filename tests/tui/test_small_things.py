"""Issue 15 §6, the small things an owner notices, driven by keys: "1 match" (not "1 matches"), what `g` says it
gave, emails whole in segment lists at 80 columns, the current month marked as partial on the revenue chart,
and `e` on the Segments overview exporting the highlighted segment, saying where the file went."""

from __future__ import annotations

import csv

from textual.widgets import DataTable, Static

from shopkeep.store import Store
from shopkeep.tui.screens.segments import MembersScreen
from tests.conftest import messages, record_notifications, until
from tests.tui.test_card_loyalty import open_card


async def test_one_match_is_one_match_in_the_referrer_search(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_card(pilot, 7)
        await pilot.press("r")
        await until(pilot, lambda: type(app.screen).__name__ == "ReferrerModal" and app.screen.index is not None)
        await pilot.press(*"Maria")
        status = lambda: str(app.screen.query_one("#who-status", Static).render())  # noqa: E731
        await until(pilot, lambda: "match" in status(), "the matches")
        assert status() == "1 match."


async def test_g_on_a_card_says_which_promise_was_kept(make_app, shop_db, monkeypatch):
    with Store.open(shop_db) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO promises (id, customer_id, kind, amount, due_on) VALUES (1, 4, 'bonus', 50, '2026-11-20'),"
            " (2, 6, 'refund', 2500, '2026-11-22')"
        )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await open_card(pilot, 4)
        await until(pilot, lambda: app.screen.promises, "the promise")
        await pilot.press("g")
        await until(pilot, lambda: any("Promise kept" in m for m in messages(shown)), "the bonus given")
        await pilot.press("escape")
        await open_card(pilot, 6)
        await until(pilot, lambda: app.screen.promises, "the refund promise")
        await pilot.press("g")
        await until(pilot, lambda: len([m for m in messages(shown) if "Promise kept" in m]) == 2, "the refund given")
    kept = [m for m in messages(shown) if "Promise kept" in m]
    assert kept == [
        "Promise kept: bonus of 50 points due 2026-11-20; 50 points added.",
        "Promise kept: refund of PLN\u00a025 due 2026-11-22, marked given.",
    ]
    assert not [m for m in messages(shown) if "Promise 1" in m or "Promise 2" in m]


async def test_g_on_today_says_which_promise_was_kept(tmp_path, monkeypatch):
    from tests.tui.test_promises import goto, late_promises
    from tests.tui.test_today import fill, make, ready

    db = tmp_path / "shop.db"
    with Store.open(db) as store:
        fill(store)
    late_promises(db)
    app = make(db)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await ready(pilot)
        await goto(pilot, 4)
        await until(pilot, lambda: "(g: given)" in str(app.screen.query_one("#facts").render()), "her promise")
        await pilot.press("g")
        await until(pilot, lambda: any("Promise kept" in m for m in messages(shown)), "the bonus given")
    assert [m for m in messages(shown) if "Promise" in m] == [
        "Promise kept: bonus of 50 points due 2026-11-20; 50 points added."
    ]


async def _segment_row(pilot, key: str) -> None:
    """Down the Segments overview to the row `key` ('segment:Lost', 'group:repeat buyers'), as the owner would."""
    app = pilot.app
    await pilot.press("f3")
    await until(pilot, lambda: app.screen.query("#segments") and app.screen.query_one("#segments").row_count, "rows")
    table = app.screen.query_one("#segments", DataTable)
    keys = [str(k.value) for k in table.rows]
    for _ in range(keys.index(key)):
        await pilot.press("down")
    assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == key


def _screen_lines(app) -> list[str]:
    members = app.screen.query_one("#members")
    return [members.render_line(y).text for y in range(members.size.height)]


async def test_emails_are_whole_in_a_segment_list_at_80_columns(make_app, shop_db):
    long_email = "maria.nowak-kowalska@poczta.example"
    with Store.open(shop_db) as store, store.write() as conn:
        conn.execute("UPDATE customers SET email = ? WHERE id = 6", (long_email,))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _segment_row(pilot, "group:repeat buyers")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MembersScreen) and app.screen.members, "the members")
        await pilot.pause()
        lines = "\n".join(_screen_lines(app))
        for m in app.screen.members:
            assert m.email in lines, f"{m.email} is cut short:\n{lines}"
        assert long_email in lines


async def test_the_current_month_is_marked_partial_on_the_revenue_chart(make_app):
    app = make_app()  # as of 2026-11-23: November has a week to go
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        await until(pilot, lambda: "█" in str(app.screen.query_one("#revenue", Static).render()), "the chart")
        lines = str(app.screen.query_one("#revenue", Static).render()).splitlines()
    november = [line for line in lines if line.startswith("2026-11")]
    assert len(november) == 1 and november[0].endswith("so far (month to 2026-11-23)")
    assert not [line for line in lines if "so far" in line and not line.startswith("2026-11")]


async def test_e_on_the_segments_overview_exports_the_highlighted_one_and_says_where(make_app, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await _segment_row(pilot, "group:repeat buyers")
        await pilot.press("e")
        await until(pilot, lambda: any("Exported" in m for m in messages(shown)), "the export")
    target = folder / "repeat-buyers-2026-11-23.csv"
    assert messages(shown)[-1] == f"Exported 5 customers to {target}"
    with target.open(newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    assert len(rows) == 5
