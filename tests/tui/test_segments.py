from __future__ import annotations

import csv

from textual.widgets import DataTable, Static

from shopkeep.tui.screens.card import CustomerCardScreen
from shopkeep.tui.screens.segments import MembersScreen
from tests.conftest import messages, record_notifications
from tests.conftest import until as wait_for


def segment_rows(app) -> dict[str, list[str]]:
    table = app.screen.query_one("#segments", DataTable)
    return {str(table.get_row_at(i)[1]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}


async def open_segments(pilot):
    app = pilot.app
    await pilot.press("3")
    await wait_for(pilot, lambda: app.screen.query_one("#segments", DataTable).row_count > 0)


async def test_segments_list_every_segment_and_group_with_size_revenue_and_share(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_segments(pilot)
        rows = segment_rows(app)
        assert {"Champions", "At Risk", "Lost", "repeat buyers", "first-time buyers"} <= set(rows)
        sizes = [int(r[2]) for r in rows.values() if r[0] == "segment"]
        assert sum(sizes) == 7  # every customer is in exactly one segment
        assert rows["repeat buyers"][2] == "5"
        assert rows["first-time buyers"][2] == "2"
        assert rows["repeat buyers"][3].startswith("PLN\u00a0")
        assert rows["repeat buyers"][4].endswith("%")


async def test_members_open_sort_and_lead_to_a_card(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_segments(pilot)
        table = app.screen.query_one("#segments", DataTable)
        keys = [str(k.value) for k in table.rows]
        table.move_cursor(row=keys.index("group:repeat buyers"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen) and app.screen.members)
        members = app.screen.query_one("#members")
        assert members.row_count == 5
        revenues = [m.revenue for m in app.screen.members]
        assert revenues == sorted(revenues, reverse=True)
        await pilot.press("s")  # by orders
        await wait_for(
            pilot,
            lambda: (
                app.screen.sort_by == "orders" and "orders" in str(app.screen.query_one("#status", Static).render())
            ),
        )
        orders = [m.orders for m in app.screen.members]
        assert orders == sorted(orders, reverse=True)
        assert members.row_at(0)[0] == "Maria Nowak"  # 12 orders
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        assert app.screen.title == "Alice [/]"  # 8 orders
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen), "back on the members")
        assert members.cursor == 1  # back where the owner left the list
        await pilot.press("escape")
        assert app.screen.title == "Segments"


async def test_exporting_members_writes_a_csv_in_the_current_folder(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_segments(pilot)
        app.push_screen(MembersScreen("group", "repeat buyers"))
        await wait_for(pilot, lambda: app.screen.members)
        await pilot.press("e")
        target = tmp_path / "repeat-buyers-2026-11-23.csv"
        await wait_for(pilot, lambda: any(str(target) in m for m in messages(shown)))
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5
    names = {r["name"] for r in rows}
    assert "Alice [/]" in names
    assert "'[@click=app.quit]Pay[/]" not in names  # a one-timer: not a repeat buyer
    assert rows[0]["customer"].startswith("000")  # leading zeros kept


async def test_hostile_names_in_the_members_table_render_literally(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_segments(pilot)
        app.push_screen(MembersScreen("group", "full-price buyers"))
        await wait_for(pilot, lambda: app.screen.members)
        table = app.screen.query_one("#members")
        lines = [table.render_line(y).text for y in range(1, 8)]
        shown = "\n".join(lines)
        for name in ("Alice [/]", "Smith [VIP]", "[@click=app.quit]Pay[/]", "[link=https://evil.example]x[/link]"):
            assert name[:20] in shown
        assert "\x1b" not in shown
        assert "Eve Red Title" in shown
