"""Loading parsed rows into the store: identity, idempotence, updates, all-or-nothing, dry runs."""

from __future__ import annotations

import datetime as dt
import gc
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopkeep.importing.load import import_file, load_parsed
from shopkeep.importing.model import BadValue, ParsedRow
from shopkeep.importing.parse import ImportOptions
from shopkeep.privacy import forget
from shopkeep.store import Store
from shopkeep.store import imports as import_sql

WHEN = dt.datetime(2026, 3, 1, 10, 0, 0)


def row(line: int, **values) -> ParsedRow:
    values.setdefault("ordered_at", WHEN)
    values.setdefault("currency", "EUR")
    return ParsedRow(line=line, **values)


def load(store, rows, *, source="generic", grain="order", name="orders.csv", **kwargs):
    result, _ = load_parsed(store, rows, source=source, grain=grain, file_name=name, file_hash="h", **kwargs)
    return result


def state(store) -> tuple:
    return (
        store.scalar("SELECT count(*) FROM orders"),
        store.scalar("SELECT coalesce(sum(total), 0) FROM orders"),
        store.scalar("SELECT count(*) FROM customers"),
        store.scalar("SELECT count(*) FROM customer_keys"),
        store.scalar("SELECT count(*) FROM order_lines"),
    )


def test_one_customer_per_person_across_files_by_any_key(store):
    load(store, [row(2, order_id="1", total=1000, email="ann@example.com", phone="+48600123456", name="Ann")])
    result = load(store, [row(2, order_id="2", total=500, phone="+48600123456")], name="second.csv")
    assert (result.customers_new, result.customers_matched) == (0, 1)
    assert store.scalar("SELECT count(DISTINCT customer_id) FROM orders") == 1
    kinds = {r["kind"] for r in store.rows("SELECT kind FROM customer_keys")}
    assert kinds == {"email", "phone"}


def test_platform_customer_id_is_a_key_of_its_own_source(store):
    load(store, [row(2, order_id="1", total=1, customer_id="0042")], source="etsy")
    load(store, [row(2, order_id="2", total=1, customer_id="0042")], source="etsy")
    load(store, [row(2, order_id="3", total=1, customer_id="0042")], source="square")
    assert store.scalar("SELECT count(*) FROM customers") == 2
    assert store.scalar("SELECT external_id FROM customers WHERE id = 1") == "0042"


def test_name_only_attaches_by_normalised_name_and_no_identity_is_a_guest(store):
    result = load(
        store,
        [
            row(2, order_id="1", total=100, name="Jan  Kowalski"),
            row(3, order_id="2", total=200, name="jan kowalski"),
            row(4, order_id="3", total=300, customer_id="NA", name="NA"),
        ],
    )
    assert (result.customers_new, result.guest_orders) == (1, 1)
    assert store.scalar("SELECT count(*) FROM orders WHERE customer_id IS NULL") == 1
    assert store.scalar("SELECT sum(total) FROM orders") == 600
    names = [r["name"] for r in store.rows("SELECT name FROM customers")]
    assert names == ["Jan Kowalski"]


def test_later_rows_fill_missing_fields_and_never_blank_a_known_email(store):
    load(store, [row(2, order_id="1", total=1, customer_id="7", email="ann@example.com")], source="shopify")
    load(store, [row(2, order_id="2", total=1, customer_id="7", phone="+15551234567", city="Austin")], source="shopify")
    customer = store.one("SELECT email, phone, city FROM customers")
    assert customer == {"email": "ann@example.com", "phone": "+15551234567", "city": "Austin"}


def test_a_number_the_owner_found_wrong_is_not_filled_in_again_by_an_older_export(store):
    from shopkeep.calls import log_call
    from shopkeep.clock import Clock

    old_export = [row(2, order_id="1", total=1, email="ann@example.com", phone="+48600123456")]
    load(store, old_export)
    store.clock = Clock.frozen("2026-04-01")
    log_call(store, 1, "wrong_number")
    assert store.scalar("SELECT phone FROM customers WHERE id = 1") is None
    load(store, [*old_export, row(3, order_id="2", total=1, email="ann@example.com", phone="+48600123456")])
    assert store.scalar("SELECT phone FROM customers WHERE id = 1") is None
    assert store.scalar("SELECT count(*) FROM orders WHERE customer_id = 1") == 2  # her orders still find her
    load(store, [row(2, order_id="3", total=1, email="ann@example.com", phone="+48600999888")], name="new.csv")
    assert store.scalar("SELECT phone FROM customers WHERE id = 1") == "+48600999888"  # a new number is taken


def test_importing_the_same_rows_twice_adds_nothing(store):
    rows = [
        row(2, order_id="1", total=1000, email="a@example.com"),
        row(3, total=250, email="b@example.com"),
        row(4, total=250, email="b@example.com"),
    ]
    first = load(store, rows)
    before = state(store)
    second = load(store, rows)
    assert state(store) == before
    assert (first.orders_new, second.orders_new, second.orders_known) == (3, 0, 3)
    assert store.scalar("SELECT count(*) FROM imports") == 2


def test_a_changed_order_is_updated_not_added(store):
    load(store, [row(2, order_id="1", total=1000, status="paid")])
    result = load(store, [row(2, order_id="1", total=1000, status="refunded")])
    assert (result.orders_new, result.orders_updated) == (0, 1)
    assert store.scalar("SELECT status FROM orders") == "refunded"


def test_line_rows_of_one_order_that_are_not_adjacent_still_make_one_order(store):
    rows = [
        row(2, order_id="A", product="Mug", quantity=1.0, unit_price=1000),
        row(3, order_id="B", product="Tea", quantity=1.0, unit_price=300),
        row(4, order_id="A", product="Pot", quantity=2.0, unit_price=500),
    ]
    load(store, rows, grain="line")
    totals = dict(store.conn.execute("SELECT order_key, total FROM orders"))
    assert totals == {"A": 2000, "B": 300}
    assert store.scalar("SELECT count(*) FROM order_lines") == 3
    load(store, rows, grain="line")
    assert dict(store.conn.execute("SELECT order_key, total FROM orders")) == totals
    assert store.scalar("SELECT count(*) FROM order_lines") == 3


def test_a_cancellation_invoice_is_stored_as_a_negative_credit(store):
    load(store, [row(2, order_id="C536379", quantity=-2.0, unit_price=125, customer_id="14527")], grain="line")
    assert store.one("SELECT kind, total FROM orders") == {"kind": "credit", "total": -250}


def test_any_bad_row_means_nothing_is_written(store):
    load(store, [row(2, order_id="1", total=100, email="a@example.com")])
    before = state(store)
    bad = [BadValue(3, "Total", "12,x", "not an amount")]
    result = load(store, [row(2, order_id="2", total=5, email="new@example.com"), bad, row(4, order_id="3", total=1)])
    assert not result.ok
    assert (result.error_count, result.errors[0].line) == (1, 3)
    assert state(store) == before
    assert store.scalar("SELECT count(*) FROM imports") == 1


def test_skip_bad_imports_the_good_rows_and_returns_the_rejected_lines(store):
    bad = [BadValue(3, "Date", "31/31/2026", "not a date"), BadValue(3, "Total", "x", "not an amount")]
    result, rejected = load_parsed(
        store,
        [row(2, order_id="1", total=100), bad, row(4, order_id="3", total=1)],
        source="generic",
        grain="order",
        file_name="f.csv",
        file_hash="h",
        skip_bad=True,
    )
    assert result.ok and result.orders_new == 2 and result.rejected == 1
    assert rejected == {3: "Date: not a date; Total: not an amount"}
    assert import_sql.recent(store)[0]["skipped"] == 1


def test_a_dry_run_counts_but_writes_nothing_and_reports_progress(store):
    before = state(store)
    seen: list[int] = []
    rows = [row(2, order_id="1", total=100, email="a@example.com")]
    result = load(store, rows, dry_run=True, progress=seen.append)
    assert (result.orders_new, result.customers_new) == (1, 1)
    assert seen == [1]
    assert state(store) == before
    assert store.scalar("SELECT count(*) FROM imports") == 0


def test_a_forgotten_customer_is_not_brought_back_by_a_reimport(store):
    rows = [row(2, order_id="1", total=100, email="gone@example.com", name="Gone")]
    load(store, rows)
    forget(store, 1)
    result = load(store, [row(2, order_id="2", total=50, email="gone@example.com", name="Gone")])
    assert result.customers_new == 0
    assert store.one("SELECT email, name FROM customers") == {"email": None, "name": None}
    assert store.scalar("SELECT count(*) FROM orders WHERE customer_id = 1") == 2


_orders = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10**9),  # total in cents
        st.sampled_from(["a@example.com", "b@example.com", None]),
        st.sampled_from(["1", "2", "3", None]),  # order id (None: keyed by content)
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_orders)
def test_imported_cents_equal_parsed_cents_and_twice_is_once(spec):
    rows = []
    expected: dict[str | None, int] = {}
    for n, (total, email, order_id) in enumerate(spec, start=2):
        if order_id is not None and order_id in expected:
            continue  # one row per order id in an order-grain file
        expected[order_id if order_id is not None else f"row{n}"] = total
        rows.append(row(n, order_id=order_id, total=total, email=email))
    with Store.memory() as store:
        load(store, rows)
        assert store.scalar("SELECT coalesce(sum(total), 0) FROM orders") == sum(expected.values())
        once = state(store)
        load(store, rows)
        assert state(store) == once


_line_items = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=6),  # order number
        st.integers(min_value=1, max_value=5),  # quantity
        st.integers(min_value=0, max_value=99_999),  # unit price in cents
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=40, deadline=None)
@given(_line_items)
def test_a_line_item_file_imports_exactly_its_cents_once_however_often_it_is_imported(items):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lines.csv"
        body = "".join(f"{n},2026-01-0{n},{q},{p // 100}.{p % 100:02d},EUR\n" for n, q, p in items)
        path.write_text("Order ID,Date,Quantity,Unit Price,Currency\n" + body, encoding="utf-8")
        with Store.memory() as store:
            first = import_file(store, path, ImportOptions())
            assert first.ok and first.orders_new == len({n for n, _, _ in items})
            assert store.scalar("SELECT sum(total) FROM orders") == sum(q * p for _, q, p in items)
            once = state(store)
            second = import_file(store, path, ImportOptions())
            assert (second.orders_new, second.orders_updated) == (0, 0)
            assert state(store) == once


def _indexes(store) -> list[tuple]:
    return store.conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_large_import_builds_the_order_indexes_at_the_end_and_leaves_the_schema_as_it_was(store, monkeypatch):
    import shopkeep.importing.load as load_module

    monkeypatch.setattr(load_module, "BULK_ROWS", 2)
    schema = _indexes(store)
    folder = Path(tempfile.mkdtemp())
    good = folder / "good.csv"
    good.write_text(
        "Order ID,Date,Email,Total,Currency\n1,2026-01-02,a@example.com,10.00,EUR\n2,2026-01-03,a@example.com,5,EUR\n"
    )
    result = import_file(store, good, ImportOptions())
    assert result.ok and result.orders_new == 2
    assert _indexes(store) == schema
    assert store.scalar("PRAGMA integrity_check") == "ok"
    customer = store.scalar("SELECT customer_id FROM orders LIMIT 1")
    plan = store.conn.execute("EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer_id = ?", (customer,)).fetchall()
    assert "orders_customer" in str(plan)  # the rebuilt index holds the new rows
    assert (
        store.scalar("SELECT count(*) FROM orders INDEXED BY orders_customer WHERE customer_id = ?", (customer,)) == 2
    )

    bad = folder / "bad.csv"
    bad.write_text(
        "Order ID,Date,Email,Total,Currency\n3,2026-01-04,b@example.com,1,EUR\n4,2026-01-05,b@example.com,x,EUR\n"
    )
    before = state(store)
    assert not import_file(store, bad, ImportOptions()).ok
    assert _indexes(store) == schema and state(store) == before


def test_a_database_error_during_a_large_import_leaves_the_indexes_and_data_as_they_were(store, monkeypatch):
    from shopkeep.errors import ShopkeepError
    from shopkeep.store import orders as order_sql

    load(store, [row(2, order_id="1", total=100, email="a@example.com")])
    schema, before = _indexes(store), state(store)

    def refuse(conn, rows):
        raise sqlite3.IntegrityError("CHECK constraint failed")

    monkeypatch.setattr(order_sql, "insert_orders", refuse)
    with pytest.raises(ShopkeepError, match="nothing was imported"):
        load(store, [row(3, order_id="2", total=5)], defer_indexes=True)
    assert _indexes(store) == schema and state(store) == before


def test_indexes_are_only_deferred_inside_a_write_transaction(store):
    from shopkeep.store import orders as order_sql

    with pytest.raises(RuntimeError), order_sql.indexes_deferred(store.conn):
        pass
    assert len(_indexes(store)) > 2


def test_repeated_buyer_details_in_one_file_still_learn_new_keys_and_count_once(store):
    rows = [
        row(2, order_id="1", total=1, email="ann@example.com"),
        row(3, order_id="2", total=1, email="ann@example.com"),
        row(4, order_id="3", total=1, email="ann@example.com", phone="+48600123456"),
        row(5, order_id="4", total=1, phone="+48600123456", city="Kraków"),
        row(6, order_id="5", total=1, email="ann@example.com"),
    ]
    first = load(store, rows)
    assert (first.customers_new, first.customers_matched) == (1, 0)
    assert store.scalar("SELECT count(DISTINCT customer_id) FROM orders") == 1
    assert store.one("SELECT email, phone, city FROM customers") == {
        "email": "ann@example.com",
        "phone": "+48600123456",
        "city": "Kraków",
    }
    again = load(store, [row(2, order_id=str(n), total=1, email="ann@example.com") for n in range(6, 9)])
    assert (again.customers_new, again.customers_matched) == (0, 1)


def test_the_content_hash_stays_what_earlier_versions_stored():
    """Stored orders carry this digest: if it changed, every re-imported order would count as updated."""
    from shopkeep.importing.load import content_hash
    from shopkeep.importing.model import ParsedLine, ParsedOrder

    order = ParsedOrder(
        source="shopify",
        order_key="#1042",
        order_number="#1042",
        ordered_at=dt.datetime(2026, 3, 1, 10, 0),
        currency="PLN",
        total=12900,
        discount=500,
        city="Łódź",
        email="ann@example.com",
        phone="+48600123456",
        name="Ann Nowak",
        lines=[ParsedLine(1, "T-1", "Green tea", 2.0, 6450, 12900)],
    )
    assert content_hash(order, "2026-03-01T10:00:00") == "9cd322ac416f85cce50b95effe2955b6"
    order.refunded = 1000
    assert content_hash(order, "2026-03-01T10:00:00") == "5f0a5abfee39856cd1a41d592a6cb22a"


def test_every_value_lands_on_its_own_order_when_orders_are_written_many_per_statement(store):
    # 250 orders span several multi-row INSERTs: some columns empty in a whole statement, some only in a few rows.
    rows = [
        row(
            n + 2,
            order_id=f"A{n}",
            total=100 + n,
            email=f"buyer{n % 40}@example.com",
            discount_code="SPRING" if n % 7 == 0 else None,
            country="PL" if n < 100 else None,
            city=None if n % 3 else "Gdańsk",
            sku="T-1" if n % 5 == 0 else None,
            line_total=100 + n if n % 5 == 0 else None,
        )
        for n in range(250)
    ]
    assert load(store, rows).orders_new == 250
    stored = store.rows("SELECT order_key, total, discount_code, country, city FROM orders ORDER BY id")
    assert [tuple(o.values()) for o in stored] == [
        (r.order_id, r.total, r.discount_code, r.country, r.city) for r in rows
    ]
    lines = store.rows(
        "SELECT o.order_key, l.line_total FROM order_lines AS l JOIN orders AS o ON o.id = l.order_id ORDER BY l.id"
    )
    assert [(line["order_key"], line["line_total"]) for line in lines] == [
        (r.order_id, r.line_total) for r in rows if r.sku
    ]
    countries = store.rows("SELECT email, country FROM customers ORDER BY id")
    assert [(c["email"], c["country"]) for c in countries] == [(f"buyer{n}@example.com", "PL") for n in range(40)]


def test_an_import_leaves_garbage_collection_as_it_found_it_even_when_the_file_is_refused(store):
    assert gc.isenabled()
    assert load(store, [row(2, order_id="1", total=100)]).ok
    assert not load(store, [row(2, order_id="2", total=100), [BadValue(3, "Total", "x", "not an amount")]]).ok
    assert gc.isenabled()
    gc.disable()
    try:
        load(store, [row(2, order_id="3", total=100)])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_met_by_the_writer_thread_midway_leaves_nothing(store, monkeypatch):
    """Batches are written on a second thread while the next is parsed: an error in the third batch is raised
    on the importing thread, the batches already written are rolled back with it, and the thread is done."""
    import threading

    import shopkeep.importing.load as load_module
    from shopkeep.errors import ShopkeepError
    from shopkeep.store import orders as order_sql

    monkeypatch.setattr(load_module, "BATCH", 2)
    real, calls = order_sql.insert_orders, []

    def third_fails(conn, rows):
        calls.append(threading.current_thread().name)
        if len(calls) == 3:
            raise sqlite3.IntegrityError("CHECK constraint failed")
        return real(conn, rows)

    monkeypatch.setattr(order_sql, "insert_orders", third_fails)
    rows = [row(n, order_id=str(n), total=100 + n, email=f"c{n}@example.com") for n in range(2, 14)]
    with pytest.raises(ShopkeepError, match="nothing was imported"):
        load(store, rows)
    assert len(calls) == 3 and "shopkeep-import-writer" in calls
    assert store.scalar("SELECT count(*) FROM orders") == 0
    assert store.scalar("SELECT count(*) FROM customers") == 0
    assert not [t for t in threading.enumerate() if t.name == "shopkeep-import-writer"]
