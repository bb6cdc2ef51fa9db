"""Issue 19: the orders grouped per customer are kept in the database (migrations/0019), so that a command on
a later day skips the pass over every order; they are never served once the orders changed, nor for a day
that orders placed since would tell apart."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from shopkeep import retention
from shopkeep.store import Store, analytics

from .conftest import add_customer, add_order
from .helpers import AS_OF


def _figures(result: retention.Retention) -> tuple:
    return dict(result.customers), result.segments, result.kpis, result.without_sale, result.currency


def _fresh(store: Store, as_of: dt.date, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        m.setattr(analytics, "kept_columns", lambda *args: None)
        m.setattr(analytics, "keep_columns", lambda *args: False)
        return _figures(retention.compute(store, as_of))


def _refuse(*args, **kwargs):
    raise AssertionError("every order was read again")


@pytest.fixture
def shop(store):
    add_customer(store, 1, "Anna")
    for n in range(6):
        add_order(store, 1, 40 + 20 * n, 9_000)
    add_customer(store, 2, "Bartek", phone="+48600100300")
    for n in range(4):
        add_order(store, 2, 5 + 30 * n, 4_000)
    add_customer(store, 3, "Celina")
    add_order(store, 3, 2, 7_000)  # two days before AS_OF
    return store


def test_a_later_day_without_newer_orders_reads_the_kept_columns(shop, monkeypatch):
    retention.compute(shop, AS_OF)
    later = AS_OF + dt.timedelta(days=9)
    expected = _fresh(shop, later, monkeypatch)
    monkeypatch.setattr(analytics, "order_columns", _refuse)
    assert _figures(retention.compute(shop, later)) == expected


def test_orders_placed_between_the_two_days_are_never_left_out(shop, monkeypatch):
    earlier = AS_OF - dt.timedelta(days=3)  # before Celina's only order
    first = retention.compute(shop, earlier)
    assert 3 not in first.customers
    now = retention.compute(shop, AS_OF)
    assert now.customers[3].orders == 1
    assert _figures(now) == _fresh(shop, AS_OF, monkeypatch)


def test_a_changed_order_is_read_again(shop, monkeypatch):
    retention.compute(shop, AS_OF)
    with Store.open(shop.path) as other, other.write() as conn:  # another process: a refund lands
        conn.execute("UPDATE orders SET status = 'refunded', updated_at = '2026-11-24T09:00:00' WHERE customer_id = 3")
    after = retention.compute(shop, AS_OF)
    assert 3 not in after.customers
    assert _figures(after) == _fresh(shop, AS_OF, monkeypatch)


# -- the command, as a user runs it: one process per command ---------------------------------------------

EXPORT = "Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status\n"


def _rows(customer: str, email: str, phone: str, name: str, days: list[dt.date], start: int) -> str:
    return "".join(
        f"{start + n},{day.isoformat()} 12:00:00,{customer},{email},{phone},{name},90.00,EUR,paid\n"
        for n, day in enumerate(days)
    )


def _shopkeep(db, day: dt.date, *args: str) -> str:
    env = {**os.environ, "SHOPKEEP_TODAY": day.isoformat()}
    proc = subprocess.run(
        [sys.executable, "-m", "shopkeep", *args, "--db", str(db)], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_an_import_between_two_calls_runs_changes_the_list(tmp_path):
    db = tmp_path / "shop.db"
    day = AS_OF
    regular = [day - dt.timedelta(days=90 + 20 * n) for n in range(6)]  # every 20 days, silent for 90
    first = tmp_path / "orders.csv"
    first.write_text(
        EXPORT
        + _rows("C1", "anna@example.com", "+48600100200", "Anna Nowak", regular, 100)
        + _rows("C2", "ola@example.com", "+48600100300", "Ola Lis", regular, 200),
        encoding="utf-8",
    )
    _shopkeep(db, day, "import", str(first))
    before = _shopkeep(db, day - dt.timedelta(days=1), "calls")  # another day first: its columns are kept
    assert "Anna Nowak" in before and "Ola Lis" in before
    today = _shopkeep(db, day, "calls")
    assert "Anna Nowak" in today and "Ola Lis" in today
    came_back = tmp_path / "more.csv"
    came_back.write_text(EXPORT + _rows("C1", "anna@example.com", "+48600100200", "Anna Nowak", [day], 300))
    _shopkeep(db, day, "import", str(came_back))
    after = _shopkeep(db, day, "calls")
    assert "Ola Lis" in after
    assert "Anna Nowak" not in after  # she ordered today: no win-back call


def test_an_order_changed_by_an_import_stamped_earlier_is_read_again(tmp_path):
    """A re-import on an earlier --as-of (or in the same second, or after the clock went back) stamps the
    changed order before the newest stamp: the kept figures must still be dropped."""
    db = tmp_path / "shop.db"
    days = [AS_OF - dt.timedelta(days=60 + 30 * n) for n in range(3)]
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT + _rows("C1", "anna@example.com", "+48600100200", "Anna Nowak", days, 100))
    _shopkeep(db, AS_OF, "import", str(export))
    assert "270.00" in _shopkeep(db, AS_OF, "export", "customers")  # the figures are kept now
    export.write_text(export.read_text().replace("100,", "100,", 1).replace(",90.00,EUR", ",55.00,EUR", 1))
    _shopkeep(db, AS_OF - dt.timedelta(days=5), "import", str(export))  # stamped five days before the first
    assert "235.00" in _shopkeep(db, AS_OF, "export", "customers")


# -- names and contacts: read only where they are shown (issue 19) ----------------------------------------


def _refuse_rows(*args, **kwargs):
    raise AssertionError("every customer's row was read")


def test_the_daily_list_reads_the_rows_of_its_candidates_only(shop, monkeypatch):
    from shopkeep.calls import CallSettings, build_list
    from shopkeep.calls.loader import light_inputs

    for cid in range(10, 20):  # one order each: never win-back candidates
        add_customer(shop, cid, f"Once {cid}")
        add_order(shop, cid, 50 + cid, 3_000)
    settings = CallSettings()
    expected = build_list(light_inputs(shop, AS_OF, settings), settings, AS_OF)
    assert [i.customer_id for i in expected.items] == [1, 2]
    read: list = []
    real = analytics._customer_rows
    monkeypatch.setattr(analytics, "_customer_rows", lambda conn, ids=None: read.append(ids) or real(conn, ids))
    retention._CACHE.clear()
    assert build_list(light_inputs(shop, AS_OF, settings), settings, AS_OF) == expected
    assert read and None not in read  # never every customer's row
    assert sorted(cid for ids in read for cid in ids) == [1, 2]  # the win-back candidates (3: one order)


def test_names_are_read_when_first_shown_even_after_the_command_closed_the_store(shop):
    add_customer(shop, 4, "Dora", forgotten_at="2026-01-02T00:00:00", phone=None)
    add_order(shop, 4, 30, 5_000)
    with Store.open(shop.path) as other:
        figures = retention.compute(other, AS_OF)
    assert [figures.customers[cid].name for cid in (1, 2, 3, 4)] == ["Anna", "Bartek", "Celina", None]
    assert figures.customers[2].phone == "+48600100300"
    assert [m.name for m in figures.browse("name")] == ["Anna", "Bartek", "Celina", None]


def test_the_app_reads_the_names_in_its_worker_not_when_a_screen_shows_them(shop, monkeypatch):
    figures = retention.compute(shop, AS_OF)
    figures.read_contacts()
    monkeypatch.setattr(analytics, "_customer_rows", _refuse_rows)
    assert [m.name for m in figures.browse("value")] == ["Anna", "Bartek", "Celina"]
