"""SQL for the "call today" list: the call log, promises, call scripts and drafts of call notes.

Reads take an exclusive upper bound `until` ('YYYY-MM-DD' of the day after "as of") so that
nothing recorded after the day being computed is seen.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from typing import Any, NamedTuple, cast

from shopkeep.store import Store, sales

# -- reads for the list and the results ------------------------------------------------------------


def contact(store: Store, customer_id: int) -> dict[str, Any] | None:
    return store.one(
        "SELECT id, name, first_name, last_name, phone, referral_code FROM customers WHERE id = ?", (customer_id,)
    )


def calls_until(store: Store, until: str) -> list[dict[str, Any]]:
    return store.rows(
        "SELECT id, customer_id, called_at, outcome, reason, offer, note, callback_on, list_date"
        " FROM calls WHERE called_at < ? AND id NOT IN (SELECT target_id FROM undone WHERE kind = 'call')"
        " ORDER BY called_at, id",
        (until,),
    )


def open_promises(store: Store, customer_id: int | None = None) -> list[dict[str, Any]]:
    only, params = _one_customer("customer_id", customer_id)
    return store.rows(
        "SELECT id, customer_id, call_id, kind, amount, description, due_on FROM promises"
        f" WHERE closed_at IS NULL{only} ORDER BY due_on, id",
        params,
    )


def promise(store: Store, promise_id: int) -> dict[str, Any] | None:
    return store.one(
        "SELECT id, customer_id, kind, amount, due_on, closed_at FROM promises WHERE id = ?",
        (promise_id,),
    )


def _one_customer(column: str, customer_id: int | None) -> tuple[str, tuple[int, ...]]:
    """An extra WHERE condition limiting a query to one customer, or nothing."""
    return ("", ()) if customer_id is None else (f" AND {column} = ?", (customer_id,))


class OrderRow(NamedTuple):
    """A customer's order as the call list reads it (a named tuple: shops have many orders)."""

    customer_id: int
    ordered_at: str
    currency: str
    total: int
    status: str
    kind: str
    refunded: int
    shipping: int
    discount: int
    discount_code: str | None
    city: str | None


_ORDER_COLUMNS = ", ".join(OrderRow._fields)


def _order_rows(cursor: sqlite3.Cursor) -> list[OrderRow]:
    cursor.row_factory = lambda _cursor, row: OrderRow._make(row)
    return cursor.fetchall()


def orders_until(store: Store, until: str, customer_ids: Collection[int] | None = None) -> list[OrderRow]:
    """Customers' orders before `until`, by customer and moment: every customer's, or only those of
    `customer_ids`."""
    only, params = "", cast(tuple[str, ...], ())
    if customer_ids is not None:
        only, params = " AND customer_id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(customer_ids)),)
    return _order_rows(
        store.conn.execute(
            f"SELECT {_ORDER_COLUMNS} FROM orders WHERE customer_id IS NOT NULL AND ordered_at < ?"
            f"{only} ORDER BY customer_id, ordered_at, id",
            (until, *params),
        )
    )


def last_products(store: Store, until: str, customer_id: int | None = None) -> dict[int, str]:
    """The first named product of each customer's latest order before `until`."""
    only, params = _one_customer("o.customer_id", customer_id)
    rows = store.rows(
        "SELECT o.customer_id, l.product FROM orders o JOIN order_lines l ON l.order_id = o.id"
        " WHERE o.customer_id IS NOT NULL AND o.kind = 'order' AND o.ordered_at < ? AND l.product IS NOT NULL"
        f"{only} ORDER BY o.customer_id, o.ordered_at DESC, o.id DESC, l.line_no",
        (until, *params),
    )
    found: dict[int, str] = {}
    for row in rows:
        found.setdefault(row["customer_id"], row["product"])
    return found


def points_balances(store: Store, until: str, customer_id: int | None = None) -> dict[int, int]:
    only, params = _one_customer("customer_id", customer_id)
    rows = store.rows(
        f"SELECT customer_id, sum(delta) AS points FROM loyalty_ledger WHERE created_at < ?{only} GROUP BY customer_id",
        (until, *params),
    )
    return {row["customer_id"]: row["points"] for row in rows}


def call_log(store: Store, until: str) -> list[dict[str, Any]]:
    return store.rows(
        "SELECT c.id, c.called_at, c.customer_id, cu.external_id, cu.name, c.outcome, c.reason, c.offer, c.note,"
        " c.callback_on, c.list_date FROM calls c JOIN customers cu ON cu.id = c.customer_id WHERE c.called_at < ?"
        " AND c.id NOT IN (SELECT target_id FROM undone WHERE kind = 'call') ORDER BY c.called_at, c.id",
        (until,),
    )


# -- writes (inside the caller's `store.write()` transaction) ---------------------------------------


def insert_call(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    cursor = conn.execute(
        "INSERT INTO calls (customer_id, called_at, outcome, reason, offer, note, callback_on, list_date)"
        " VALUES (:customer_id, :called_at, :outcome, :reason, :offer, :note, :callback_on, :list_date)",
        values,
    )
    return int(cursor.lastrowid)


def clear_wrong_phone(conn: sqlite3.Connection, customer_id: int, at: str) -> None:
    """Take the customer's phone off, remembered as wrong so that an import does not bring it back."""
    conn.execute(
        "INSERT OR IGNORE INTO wrong_phones (customer_id, phone, marked_at)"
        " SELECT id, phone, ? FROM customers WHERE id = ? AND phone IS NOT NULL",
        (at, customer_id),
    )
    conn.execute("UPDATE customers SET phone = NULL, updated_at = ? WHERE id = ?", (at, customer_id))


def set_do_not_call(conn: sqlite3.Connection, customer_id: int, flag: bool, at: str) -> None:
    conn.execute("UPDATE customers SET do_not_call = ?, updated_at = ? WHERE id = ?", (int(flag), at, customer_id))


def insert_promise(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    cursor = conn.execute(
        "INSERT INTO promises (customer_id, call_id, kind, amount, description, due_on)"
        " VALUES (:customer_id, :call_id, :kind, :amount, :description, :due_on)",
        values,
    )
    return int(cursor.lastrowid)


def close_promise(conn: sqlite3.Connection, promise_id: int, at: str, how: str) -> None:
    conn.execute("UPDATE promises SET closed_at = ?, closed_how = ? WHERE id = ?", (at, how, promise_id))


# -- drafts of call notes ----------------------------------------------------------------------------


def upsert_draft(conn: sqlite3.Connection, customer_id: int, body: str, at: str) -> None:
    conn.execute(
        "INSERT INTO call_drafts (customer_id, body, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(customer_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        (customer_id, body, at),
    )


def draft(store: Store, customer_id: int) -> str | None:
    return store.scalar("SELECT body FROM call_drafts WHERE customer_id = ?", (customer_id,))


def delete_draft(conn: sqlite3.Connection, customer_id: int) -> None:
    conn.execute("DELETE FROM call_drafts WHERE customer_id = ?", (customer_id,))


# -- call scripts ----------------------------------------------------------------------------------


def script_row(store: Store, reason: str, language: str) -> dict[str, Any] | None:
    return store.one(
        "SELECT reason, language, title, body, updated_at FROM call_scripts WHERE reason = ? AND language = ?",
        (reason, language),
    )


def upsert_script(conn: sqlite3.Connection, reason: str, language: str, title: str, body: str, at: str) -> None:
    conn.execute(
        "INSERT INTO call_scripts (reason, language, title, body, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(reason, language) DO UPDATE SET title = excluded.title, body = excluded.body,"
        " updated_at = excluded.updated_at",
        (reason, language, title, body, at),
    )


def delete_script(conn: sqlite3.Connection, reason: str, language: str) -> None:
    conn.execute("DELETE FROM call_scripts WHERE reason = ? AND language = ?", (reason, language))


# -- stored daily lists (migrations/0014_call_lists.sql) --------------------------------------------


def list_signature(store: Store) -> list[Any]:
    """Cheap figures that change whenever something a call list depends on changes: imports and orders,
    customers (new, forgotten, do-not-call), calls (and undone calls), promises and points."""
    row = store.conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM imports), (SELECT max(updated_at) FROM orders),"
        " (SELECT coalesce(max(id), 0) FROM customers),"
        " (SELECT count(*) FROM customers WHERE forgotten_at IS NOT NULL OR do_not_call = 1),"
        " (SELECT max(updated_at) FROM customers),"
        " (SELECT coalesce(max(id), 0) FROM calls), (SELECT count(*) FROM calls), (SELECT count(*) FROM undone),"
        " (SELECT coalesce(max(id), 0) FROM promises), (SELECT count(*) FROM promises WHERE closed_at IS NULL),"
        " (SELECT coalesce(max(id), 0) FROM loyalty_ledger)"
    ).fetchone()
    return list(row)


def stored_list_day(store: Store, list_date: str, version: str) -> dict[str, Any] | None:
    """A kept list of a day ('first' or 'latest'), without its rows."""
    return store.one(
        "SELECT list_date, version, over_cap, do_not_call, signature, built_at FROM call_list_days"
        " WHERE list_date = ? AND version = ?",
        (list_date, version),
    )


def stored_list_items(store: Store, list_date: str, version: str) -> list[dict[str, Any]]:
    """The rows of a kept list, with the customer's current name, phone and reference."""
    return store.rows(
        "SELECT l.section, l.customer_id, l.kind, l.reason, l.why, l.priority, l.promise_id,"
        " c.name, c.phone, c.external_id FROM call_lists l JOIN customers c ON c.id = l.customer_id"
        " WHERE l.list_date = ? AND l.version = ? ORDER BY l.section, l.position",
        (list_date, version),
    )


def called_from_list(store: Store, list_date: str) -> bool:
    """Whether anyone was called from the list of that day."""
    return store.scalar("SELECT 1 FROM calls WHERE list_date = ? LIMIT 1", (list_date,)) is not None


def save_list(
    conn: sqlite3.Connection,
    list_date: str,
    versions: Collection[str],
    over_cap: int,
    do_not_call: int,
    signature: str,
    built_at: str,
    rows: list[tuple[str, int, int, str, str, str, int, int | None]],
) -> None:
    """Replace the kept `versions` of a day's list: rows are (section, position, customer_id, kind, reason,
    why, priority, promise_id)."""
    for version in versions:
        conn.execute("DELETE FROM call_list_days WHERE list_date = ? AND version = ?", (list_date, version))
        conn.execute(
            "INSERT INTO call_list_days (list_date, version, over_cap, do_not_call, signature, built_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (list_date, version, over_cap, do_not_call, signature, built_at),
        )
        conn.executemany(
            "INSERT INTO call_lists (list_date, version, section, position, customer_id, kind, reason, why, priority,"
            " promise_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(list_date, version, *row) for row in rows],
        )


# -- a long history, read only as far as the list needs it (issue 19) ---------------------------------


def recent_orders(store: Store, start: str, until: str) -> list[OrderRow]:
    """Orders placed in [start, until) (through the date index), with, for each of their customers, the
    latest sale before `start`; as orders_until, by customer and moment."""
    sale = sales.sale_sql("p")
    cursor = store.conn.execute(
        f"SELECT {_ORDER_COLUMNS} FROM orders WHERE id IN ("
        "  SELECT id FROM orders WHERE ordered_at >= :start AND ordered_at < :until AND customer_id IS NOT NULL"
        "  UNION ALL"
        "  SELECT (SELECT p.id FROM orders p WHERE p.customer_id = r.customer_id AND p.ordered_at < :start"
        f"    AND {sale} ORDER BY p.ordered_at DESC, p.id DESC LIMIT 1)"
        "  FROM (SELECT DISTINCT customer_id FROM orders WHERE ordered_at >= :start AND ordered_at < :until"
        "    AND customer_id IS NOT NULL) r)"
        " ORDER BY customer_id, ordered_at, id",
        {"start": start, "until": until},
    )
    return _order_rows(cursor)


def awaiting_payment(store: Store, until: str) -> list[int]:
    """Customers whose latest order (kind 'order') placed before `until` is not paid yet (pending)."""
    assert {"pending"} == sales.PENDING_STATUSES, "the partial index orders_pending (migrations/0014) says so"
    rows = store.conn.execute(
        "SELECT DISTINCT o.customer_id FROM orders o WHERE o.status = 'pending' AND o.customer_id IS NOT NULL"
        " AND o.kind = 'order' AND o.ordered_at < :until AND NOT EXISTS (SELECT 1 FROM orders p"
        "  WHERE p.customer_id = o.customer_id AND p.kind = 'order' AND p.ordered_at < :until"
        "  AND (p.ordered_at > o.ordered_at OR (p.ordered_at = o.ordered_at AND p.id < o.id)))",
        {"until": until},
    ).fetchall()
    return [r[0] for r in rows]


class SetApart(NamedTuple):
    """Customers a win-back call may not go to as such: forgotten (never contacted), asked not to be called,
    or without a phone (not forgotten; the latter two may overlap)."""

    forgotten: list[int]
    do_not_call: list[int]
    no_phone: list[int]


def set_apart(store: Store) -> SetApart:
    """Who is set apart (SetApart), through the customers_set_apart (migrations/0025) and phone indexes: ids
    only, not every customer's contact."""
    forgotten: list[int] = []
    dnc: list[int] = []
    for cid, gone, asked in store.conn.execute(
        "SELECT id, forgotten_at IS NOT NULL, do_not_call FROM customers"
        " WHERE forgotten_at IS NOT NULL OR do_not_call = 1"
    ):
        if gone:
            forgotten.append(cid)
        elif asked:
            dnc.append(cid)
    rows = store.conn.execute(
        "SELECT id FROM customers WHERE (phone IS NULL OR phone = '') AND forgotten_at IS NULL"
    ).fetchall()
    return SetApart(forgotten, dnc, [r[0] for r in rows])


# -- undo (compensating entries: the undone row stays, marked in `undone`) ----------------------------


def call_row(store: Store, call_id: int) -> dict[str, Any] | None:
    return store.one(
        "SELECT c.id, c.customer_id, c.outcome, (u.target_id IS NOT NULL) AS undone FROM calls c"
        " LEFT JOIN undone u ON u.kind = 'call' AND u.target_id = c.id WHERE c.id = ?",
        (call_id,),
    )


def mark_undone(conn: sqlite3.Connection, kind: str, target_id: int, at: str) -> None:
    conn.execute("INSERT INTO undone (kind, target_id, undone_at) VALUES (?, ?, ?)", (kind, target_id, at))


def close_promises_of_call(conn: sqlite3.Connection, call_id: int, at: str) -> None:
    conn.execute(
        "UPDATE promises SET closed_at = ?, closed_how = 'undone' WHERE call_id = ? AND closed_at IS NULL",
        (at, call_id),
    )


def restore_wrong_phone(conn: sqlite3.Connection, customer_id: int, at: str) -> bool:
    """Put back the number most recently marked wrong (if the customer has no phone now); True if restored."""
    row = conn.execute(
        "SELECT phone FROM wrong_phones WHERE customer_id = ? ORDER BY marked_at DESC LIMIT 1", (customer_id,)
    ).fetchone()
    if row is None:
        return False
    changed = conn.execute(
        "UPDATE customers SET phone = ?, updated_at = ? WHERE id = ? AND phone IS NULL", (row[0], at, customer_id)
    ).rowcount
    conn.execute("DELETE FROM wrong_phones WHERE customer_id = ? AND phone = ?", (customer_id, row[0]))
    return bool(changed)
