"""SQL for erasure on request: the live database and the copies of it (backups, migration backups).

Every function takes a plain `sqlite3.Connection`, so that the same erasure runs on the open store and on a
copy opened on its own. A copy may be at an older schema (a migration backup is, by definition): the
functions look at which tables and columns it has and touch only those.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

FORGOTTEN = "forgotten:"
# Free text in which one customer's record may name another person: scrubbed where it names them.
TEXT_FIELDS = (
    ("notes", "body"),
    ("calls", "note"),
    ("calls", "offer"),
    ("promises", "description"),
    ("call_drafts", "body"),
    ("order_lines", "product"),
    ("imports", "file_name"),
)
PERSONAL_COLUMNS = ("external_id", "name", "first_name", "last_name", "email", "phone", "city", "birthday")
MENTIONS_FN = "shopkeep_mentions"  # the SQL function a connection gets while it is searched
LEDGER_TRIGGER = "loyalty_ledger_no_update"
# Ledger entries whose note shopkeep writes itself ("1 points per unit of PLN"): not the owner's words.
SYSTEM_REASONS = ("purchase", "refund", "expiry")


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _scalar(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


# -- what a database holds -------------------------------------------------------------------


def tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def application_id(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA application_id").fetchone()[0]


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    """The raw (JSON) text of a setting, or None."""
    if "settings" not in tables(conn):
        return None
    return _scalar(conn, "SELECT value FROM settings WHERE key = ?", (key,))


def put_setting(conn: sqlite3.Connection, key: str, raw_json: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, raw_json),
    )


# -- the person --------------------------------------------------------------------------------


def customer(conn: sqlite3.Connection, customer_id: int) -> dict[str, Any] | None:
    wanted = ("id", "created_at", "forgotten_at", "external_id", "name", "first_name", "last_name", "email", "phone")
    have = columns(conn, "customers")
    picked = [c for c in (*wanted, "referral_code") if c in have]
    found = _rows(conn, f"SELECT {', '.join(picked)} FROM customers WHERE id = ?", (customer_id,))
    if not found:
        return None
    return {name: found[0].get(name) for name in (*wanted, "referral_code")}


def plain_keys(conn: sqlite3.Connection, customer_id: int) -> list[tuple[str, str]]:
    """The customer's identity keys in plain text (kind, value); their email and phone as keys too."""
    rows = conn.execute(
        "SELECT kind, value FROM customer_keys WHERE customer_id = ? AND kind NOT LIKE 'forgotten:%'",
        (customer_id,),
    ).fetchall()
    row = customer(conn, customer_id) or {}
    extra = [("email", row.get("email")), ("phone", row.get("phone"))]
    return sorted({*rows, *((k, v) for k, v in extra if v)})


def wrong_phones(conn: sqlite3.Connection, customer_id: int) -> list[str]:
    if "wrong_phones" not in tables(conn):
        return []
    return [r[0] for r in conn.execute("SELECT phone FROM wrong_phones WHERE customer_id = ?", (customer_id,))]


def matching_customers(
    conn: sqlite3.Connection,
    keys: Iterable[tuple[str, str]],
    lineage: tuple[int, str] | None,
) -> list[int]:
    """Customers of a copy that are the person: one of their plain identity keys (or email, phone) is the
    person's, or it is the same customer record (same number, created at the same moment)."""
    found: set[int] = set()
    for kind, value in keys:
        found.update(
            r[0]
            for r in conn.execute("SELECT customer_id FROM customer_keys WHERE kind = ? AND value = ?", (kind, value))
        )
        if kind in ("email", "phone"):
            found.update(r[0] for r in conn.execute(f"SELECT id FROM customers WHERE {kind} = ?", (value,)))
    if lineage is not None:
        same = _scalar(conn, "SELECT id FROM customers WHERE id = ? AND created_at = ?", lineage)
        if same is not None:
            found.add(same)
    return sorted(found)


# -- identity keys -----------------------------------------------------------------------------


def has_forgotten(conn: sqlite3.Connection) -> bool:
    return _scalar(conn, "SELECT 1 FROM customer_keys WHERE kind LIKE 'forgotten:%' LIMIT 1") is not None


class KeyRow(NamedTuple):
    kind: str  # 'forgotten:<kind>'
    value: str
    customer_id: int


def forgotten_keys(conn: sqlite3.Connection) -> list[KeyRow]:
    """Every hashed identity key."""
    cursor = conn.execute(
        "SELECT kind, value, customer_id FROM customer_keys WHERE kind LIKE 'forgotten:%' ORDER BY kind, value"
    )
    return [KeyRow(*row) for row in cursor]


def forgotten_orders(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """(source, order key) -> customer id of every order of a forgotten customer."""
    return {
        (source, key): cid
        for source, key, cid in conn.execute(
            "SELECT o.source, o.order_key, o.customer_id FROM orders o JOIN customers c ON c.id = o.customer_id"
            " WHERE c.forgotten_at IS NOT NULL"
        )
    }


def swap_forgotten_key(conn: sqlite3.Connection, kind: str, old: str, new: str) -> None:
    conn.execute("UPDATE customer_keys SET value = ? WHERE kind = ? AND value = ?", (new, kind, old))


def replace_keys(conn: sqlite3.Connection, customer_id: int, hashed: list[tuple[str, str]]) -> None:
    conn.execute("DELETE FROM customer_keys WHERE customer_id = ? AND kind NOT LIKE 'forgotten:%'", (customer_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO customer_keys (kind, value, customer_id) VALUES (?, ?, ?)",
        [(kind, value, customer_id) for kind, value in hashed],
    )


# -- erasing -----------------------------------------------------------------------------------


def erase_personal_data(conn: sqlite3.Connection, customer_id: int, when: str) -> None:
    """The person's own fields, notes, call notes, promises' text, wrong numbers and drafts."""
    have = tables(conn)
    have_columns = columns(conn, "customers")
    personal = [c for c in PERSONAL_COLUMNS if c in have_columns]
    conn.execute(
        f"UPDATE customers SET {', '.join(f'{c} = NULL' for c in personal)}, do_not_call = 1,"
        " forgotten_at = coalesce(forgotten_at, ?), updated_at = ? WHERE id = ?",
        (when, when, customer_id),
    )
    for table, sql in (
        ("notes", "DELETE FROM notes WHERE customer_id = ?"),
        ("wrong_phones", "DELETE FROM wrong_phones WHERE customer_id = ?"),
        ("calls", "UPDATE calls SET note = NULL, offer = NULL WHERE customer_id = ?"),
        ("promises", "UPDATE promises SET description = NULL WHERE customer_id = ?"),
        ("orders", "UPDATE orders SET city = NULL WHERE customer_id = ?"),
        ("call_drafts", "DELETE FROM call_drafts WHERE customer_id = ?"),
    ):
        if table in have:
            conn.execute(sql, (customer_id,))


def still_personal(conn: sqlite3.Connection, customer_id: int) -> bool:
    """Whether anything of the customer's own record is left to erase (a copy made before the erasure)."""
    row = customer(conn, customer_id) or {}
    if any(row.get(c) for c in ("external_id", "name", "first_name", "last_name", "email", "phone")):
        return True
    if _scalar(conn, "SELECT 1 FROM customers WHERE id = ? AND city IS NOT NULL", (customer_id,)):
        return True
    return bool(
        conn.execute(
            "SELECT 1 FROM customer_keys WHERE customer_id = ? AND kind NOT LIKE 'forgotten:%' LIMIT 1", (customer_id,)
        ).fetchone()
    )


def mentioning(conn: sqlite3.Connection, mentions: Callable[[str | None], bool]) -> dict[tuple[str, str], list]:
    """Rows of the free-text fields that name the person: (table, column) -> [(rowid, text)]."""
    conn.create_function(MENTIONS_FN, 1, mentions, deterministic=True)
    try:
        have = tables(conn)
        found = {}
        for table, column in TEXT_FIELDS:
            if table not in have or column not in columns(conn, table):
                continue
            rows = conn.execute(
                f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL AND {MENTIONS_FN}({column})"
            ).fetchall()
            if rows:
                found[(table, column)] = rows
        return found
    finally:
        conn.create_function(MENTIONS_FN, 1, None)


def rewrite_text(conn: sqlite3.Connection, table: str, column: str, rows: list[tuple[int, str]]) -> None:
    conn.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", [(text, rowid) for rowid, text in rows])


# -- the loyalty ledger ------------------------------------------------------------------------


class LedgerNote(NamedTuple):
    id: int
    customer_id: int
    reason: str
    note: str


def ledger_notes(
    conn: sqlite3.Connection, customer_ids: Sequence[int], mentions: Callable[[str | None], bool]
) -> list[LedgerNote]:
    """Ledger entries whose note names the person, or is the owner's text on the person's own entry."""
    if "loyalty_ledger" not in tables(conn) or "note" not in columns(conn, "loyalty_ledger"):
        return []
    conn.create_function(MENTIONS_FN, 1, mentions, deterministic=True)
    try:
        marks = ", ".join("?" for _ in customer_ids) or "NULL"
        system = ", ".join(f"'{reason}'" for reason in SYSTEM_REASONS)
        cursor = conn.execute(
            "SELECT id, customer_id, reason, note FROM loyalty_ledger WHERE note IS NOT NULL AND note <> '[erased]'"
            f" AND ((customer_id IN ({marks}) AND reason NOT IN ({system})) OR {MENTIONS_FN}(note)) ORDER BY id",
            tuple(customer_ids),
        )
        return [LedgerNote(*row) for row in cursor]
    finally:
        conn.create_function(MENTIONS_FN, 1, None)


def redact_ledger(conn: sqlite3.Connection, changes: list[tuple[int, str]], when: str, why: str) -> None:
    """Correct ledger notes, the one change the ledger allows: each correction is written to
    `ledger_redactions` first (append-only), and the ledger's trigger lets the note become only what a
    redaction row says. A copy made before that table existed (schema < 12) has no such row to write:
    there the trigger is set aside for the correction and put back as it was, in the same transaction."""
    if not changes:
        return
    if "ledger_redactions" in tables(conn):
        conn.executemany(
            "INSERT INTO ledger_redactions (entry_id, note_after, redacted_at, why) VALUES (?, ?, ?, ?)",
            [(entry_id, note, when, why) for entry_id, note in changes],
        )
        conn.executemany("UPDATE loyalty_ledger SET note = ? WHERE id = ?", [(n, i) for i, n in changes])
        return
    trigger = _scalar(conn, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (LEDGER_TRIGGER,))
    if trigger is not None:
        conn.execute(f"DROP TRIGGER {LEDGER_TRIGGER}")
    conn.executemany("UPDATE loyalty_ledger SET note = ? WHERE id = ?", [(n, i) for i, n in changes])
    if trigger is not None:
        conn.execute(trigger)


# -- remembered column mappings ----------------------------------------------------------------


def mappings(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(headers key, the headers and mapping as stored) of every remembered mapping."""
    if "header_mappings" not in tables(conn):
        return []
    return conn.execute("SELECT headers_key, headers || char(10) || mapping FROM header_mappings").fetchall()


def forget_mapping(conn: sqlite3.Connection, headers_key: str) -> None:
    conn.execute("DELETE FROM header_mappings WHERE headers_key = ?", (headers_key,))


# -- referral codes ----------------------------------------------------------------------------


def code_taken(conn: sqlite3.Connection, code: str) -> bool:
    return _scalar(conn, "SELECT 1 FROM customers WHERE referral_code = ?", (code,)) is not None


def replace_referral_code(conn: sqlite3.Connection, customer_id: int, old: str, new: str) -> None:
    """The customer's own code becomes `new`; so does every record of the old code (links and orders)."""
    conn.execute("UPDATE customers SET referral_code = ? WHERE id = ?", (new, customer_id))
    have = tables(conn)
    if "referrals" in have:
        conn.execute("UPDATE referrals SET code = ? WHERE upper(trim(code)) = ?", (new, old))
    if "referral_code" in columns(conn, "orders"):
        conn.execute("UPDATE orders SET referral_code = ? WHERE upper(trim(referral_code)) = ?", (new, old))


# -- files shopkeep wrote ----------------------------------------------------------------------


def record_written(conn: sqlite3.Connection, path: str, kind: str, what: str | None, when: str) -> None:
    conn.execute(
        "INSERT INTO written_files (path, kind, what, written_at) VALUES (?, ?, ?, ?)", (path, kind, what, when)
    )


def written_files(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every file recorded, the latest write of each path first."""
    if "written_files" not in tables(conn):
        return []
    return _rows(
        conn,
        "SELECT path, kind, what, max(written_at) AS written_at FROM written_files GROUP BY path, kind"
        " ORDER BY written_at DESC, path",
    )


# -- the file itself ---------------------------------------------------------------------------


def scrub_files(conn: sqlite3.Connection) -> bool:
    """Overwrite freed bytes: the erased values must not linger in the database or its WAL. False when the
    WAL could not be emptied (another connection, e.g. the app, is reading): its old frames stay until then."""
    conn.execute("VACUUM")
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0
