from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static, Tree

from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from shopkeep.tui.screens.card import CustomerCardScreen
from shopkeep.tui.widgets.lazy_table import LazyTable
from tests.conftest import until as wait_for
from tests.tui.conftest import AS_OF


@pytest.fixture
def shop_with_chain(shop_db):
    """Besides Alice -> Maria (this month): Smith -> Jan long ago, and Maria -> Pay, Maria -> Eve (flagged)."""
    with Store.open(shop_db) as store, store.write() as conn:
        conn.executemany(
            "INSERT INTO referrals (referrer_id, referred_id, source, created_at, flag) VALUES (?, ?, 'manual', ?, ?)",
            [
                (2, 7, "2025-01-05T10:00:00", None),
                (6, 3, "2025-02-05T10:00:00", None),
                (6, 5, "2025-02-06T10:00:00", "same_phone"),
            ],
        )
    return shop_db


def board(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#board", LazyTable)
    return [table.row_at(i) for i in range(table.row_count)]


async def open_referrals(pilot) -> None:
    app = pilot.app
    await pilot.press("5")
    await wait_for(pilot, lambda: app.screen.title == "Referrals" and app.screen.leaders is not None)
    await pilot.pause()


async def test_key_5_shows_this_months_leaderboard_and_t_toggles_to_ever(make_app, shop_with_chain):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_referrals(pilot)
        assert "this month" in str(app.screen.query_one("#board-title", Static).render())
        assert board(app) == [("1", "Alice [/]", "1", "PLN\u00a077.50"), ("2", "Smith [VIP]", "0", "PLN\u00a090.00")]
        await pilot.press("t")
        await wait_for(pilot, lambda: len(board(app)) == 3)
        assert "ever" in str(app.screen.query_one("#board-title", Static).render())
        assert [r[1:3] for r in board(app)] == [("Alice [/]", "1"), ("Smith [VIP]", "1"), ("Maria Nowak", "1")]
        await pilot.press("t")
        await wait_for(pilot, lambda: len(board(app)) == 2)


async def test_enter_shows_the_chain_as_a_tree_with_names_literal_and_opens_a_card(make_app, shop_with_chain):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_referrals(pilot)
        await pilot.press("enter")  # Alice [/], first on the board
        tree = app.screen.query_one("#chain", Tree)
        await wait_for(pilot, lambda: app.screen.chain_of == 1)
        await pilot.pause()
        alice = tree.root.children[0]
        maria = alice.children[0]
        assert str(alice.label) == "Alice [/] (#1)"
        assert str(maria.label) == "Maria Nowak (#6)"
        assert [str(n.label) for n in maria.children] == [
            "[@click=app.quit]Pay[/] (#3)",
            "Eve Red Title (#5) not rewarded: same phone",
        ]
        shown = "\n".join(tree.render_line(y).text for y in range(tree.size.height))
        assert "[@click=app.quit]Pay[/] (#3)" in shown
        assert "brought 3 in all" in str(app.screen.query_one("#chain-title", Static).render())
        assert app.focused is tree
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen))
        assert app.screen.customer_id == 6
        assert app.is_running  # the hostile [@click=app.quit] name did nothing


async def test_the_chain_of_a_referred_customer_shows_who_sent_them_above(make_app, shop_with_chain):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_referrals(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: len(board(app)) == 3)
        await pilot.press("down", "down", "enter")  # Maria Nowak, brought by Alice
        await wait_for(pilot, lambda: app.screen.chain_of == 6)
        await pilot.pause()
        top = app.screen.query_one("#chain", Tree).root.children[0]
        assert str(top.label) == "Alice [/] (#1)"
        assert str(top.children[0].label) == "Maria Nowak (#6)"
        assert len(top.children[0].children) == 2


def test_referrals_snapshot_with_a_chain_open(shop_with_chain, monkeypatch, snap_compare):
    monkeypatch.chdir(shop_with_chain.parent)  # the header shows the path as given: the same on every machine
    app = ShopkeepApp(Path(shop_with_chain.name), as_of=AS_OF)

    async def run_before(pilot):
        await open_referrals(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.chain_of == 1)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
