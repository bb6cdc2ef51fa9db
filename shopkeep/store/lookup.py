"""SQL that feeds the customer lookup index."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from typing import Any

from shopkeep.store import Store

_NAME = "coalesce(name, nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ''))"


def searchable_customers(store: Store) -> list[dict[str, Any]]:
    """Every customer not forgotten, in id order: id, name, email, phone, external_id.

    `name` falls back to "first_name last_name" when the export gave only the parts.
    """
    return store.rows(
        f"SELECT id, {_NAME} AS name, email, phone, external_id FROM customers WHERE forgotten_at IS NULL ORDER BY id"
    )


def customers_by_id(store: Store, customer_ids: Collection[int]) -> list[dict[str, Any]]:
    """searchable_customers, only those of `customer_ids` (in id order)."""
    ids = sorted(customer_ids)
    found: list[dict[str, Any]] = []
    for n in range(0, len(ids), 500):
        part = ids[n : n + 500]
        found += store.rows(
            f"SELECT id, {_NAME} AS name, email, phone, external_id FROM customers"
            f" WHERE forgotten_at IS NULL AND id IN ({', '.join('?' * len(part))}) ORDER BY id",
            part,
        )
    return sorted(found, key=lambda row: row["id"])


# -- the kept words (migrations/0023_lookup_words.sql) -----------------------------------------------------


def words_missing(store: Store, limit: int | None = None) -> list[tuple[int, str | None, str | None]]:
    """(id, name, email) of the customers (not forgotten) whose words are not kept yet."""
    sql = (
        f"SELECT id, {_NAME}, email FROM customers c WHERE forgotten_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM lookup_done d WHERE d.customer_id = c.id) ORDER BY id"
    )
    return store.conn.execute(sql + ("" if limit is None else f" LIMIT {int(limit)}")).fetchall()


def words_missing_count(store: Store) -> int:
    """How many customers (not forgotten) have no kept words (0 at once when none: two counts)."""
    customers = store.scalar("SELECT count(*) FROM customers WHERE forgotten_at IS NULL")
    done = store.scalar(
        "SELECT count(*) FROM lookup_done d JOIN customers c ON c.id = d.customer_id WHERE c.forgotten_at IS NULL"
    )
    if customers == done:
        return 0
    return len(words_missing(store))


def keep_words(
    conn: sqlite3.Connection,
    customer_ids: Iterable[int],
    words: Iterable[tuple[str, str, str, int, int]],
    sounds: Iterable[tuple[str, str, int]],
) -> None:
    """Keep customers' words: (word, field, as written, customer id, place in the text) and (sound, name word,
    customer id), and mark them done. In the caller's write transaction."""
    conn.executemany(
        "INSERT OR IGNORE INTO lookup_words (word, field, written, customer_id, position) VALUES (?, ?, ?, ?, ?)",
        words,
    )
    conn.executemany("INSERT OR IGNORE INTO lookup_sounds (sound, word, customer_id) VALUES (?, ?, ?)", sounds)
    conn.executemany("INSERT OR IGNORE INTO lookup_done (customer_id) VALUES (?)", ((cid,) for cid in customer_ids))


def kept_words_starting(store: Store, low: str, high: str, limit: int | None = None) -> list[str]:
    """The kept words w with low <= w < high, each once, sorted (at most `limit`)."""
    sql = "SELECT DISTINCT word FROM lookup_words WHERE word >= ? AND word < ? ORDER BY word"
    rows = store.conn.execute(sql + ("" if limit is None else f" LIMIT {int(limit)}"), (low, high))
    return [row[0] for row in rows]


def kept_sounds_starting(store: Store, low: str, high: str, limit: int) -> list[tuple[str, list[str]]]:
    """The first `limit` kept sounds s with low <= s < high, sorted, each with its name words (sorted)."""
    rows = store.conn.execute(
        "SELECT sound, word FROM lookup_sounds WHERE sound IN (SELECT DISTINCT sound FROM lookup_sounds"
        " WHERE sound >= ? AND sound < ? ORDER BY sound LIMIT ?) GROUP BY sound, word ORDER BY sound, word",
        (low, high, limit),
    )
    found: dict[str, list[str]] = {}
    for sound, word in rows:
        found.setdefault(sound, []).append(word)
    return list(found.items())


def kept_forms(store: Store, word: str, field: str) -> list[tuple[str, int]]:
    """(as written, customer id) of everyone with `word` in that field: by customer, then place in the text."""
    return store.conn.execute(
        "SELECT written, customer_id FROM lookup_words WHERE word = ? AND field = ? ORDER BY customer_id, position",
        (word, field),
    ).fetchall()


def _key(text: str | None) -> str | None:
    return None if text is None else text.strip().lower()


def _digits(text: str | None) -> str | None:
    return None if text is None else "".join(ch for ch in text if ch.isdigit())


# SQLite's lower() folds ASCII only, and a phone is usually '+' and digits: such values are searched in SQL, the
# others through the same Python the index uses (the matches are then never fewer than the index's).
_ASCII = "length(CAST({0} AS BLOB)) = length({0})"  # as many bytes as characters: ASCII
_PLAIN_PHONE = "phone GLOB '+[0-9]*' AND NOT phone GLOB '+*[^0-9]*'"


def customers_matching(
    store: Store, phone_parts: Collection[str], reference: str | None, fragment: str | None
) -> set[int]:
    """Customers (not forgotten) who may match a typed number, reference or part of an address: whose phone's
    digits hold one of `phone_parts`, whose reference (platform id, id, #id) holds `reference`, or whose
    address (trimmed, lower-case, as the index reads it) holds `fragment`. More than match, never fewer."""
    store.conn.create_function("shopkeep_key", 1, _key, deterministic=True)
    store.conn.create_function("shopkeep_digits", 1, _digits, deterministic=True)
    tests: list[str] = []
    params: list[str] = []
    for part in phone_parts:
        tests.append(f"CASE WHEN {_PLAIN_PHONE} THEN instr(phone, ?1) ELSE instr(shopkeep_digits(phone), ?1) END > 0")
        params.append(part)
    if reference:
        tests.append(
            f"CASE WHEN {_ASCII.format('external_id')} THEN instr(lower(external_id), ?1)"
            " ELSE instr(shopkeep_key(external_id), ?1) END > 0 OR instr('#' || id, ?1) > 0"
        )
        params.append(reference)
    if fragment:
        tests.append(
            f"CASE WHEN {_ASCII.format('email')} THEN instr(lower(email), ?1)"
            " ELSE instr(shopkeep_key(email), ?1) END > 0"
        )
        params.append(fragment)
    if not tests:
        return set()
    numbered = [test.replace("?1", f"?{n}") for n, test in enumerate(tests, start=1)]
    sql = f"SELECT id FROM customers WHERE forgotten_at IS NULL AND ({' OR '.join(f'({t})' for t in numbered)})"
    return {row[0] for row in store.conn.execute(sql, params)}


def shop_country(store: Store) -> str | None:
    """The shop's country (ISO 3166 alpha-2) from the "country" setting, if set: the region for phones."""
    value = store.get_setting("country")
    if isinstance(value, str) and len(value.strip()) == 2 and value.strip().isalpha():
        return value.strip().upper()
    return None


def find_customers(store: Store, column: str, value: str) -> list[int]:
    """Ids of customers whose `column` (id, email, phone or external_id) equals `value`."""
    if column not in ("id", "email", "phone", "external_id"):
        raise ValueError(column)
    return [r["id"] for r in store.rows(f"SELECT id FROM customers WHERE {column} = ? ORDER BY id", (value,))]
