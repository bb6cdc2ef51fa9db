"""Column mappings the owner gave once, remembered by the file's exact header set."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from shopkeep.importing.presets import normalise_header
from shopkeep.importing.shapes import data_like_header
from shopkeep.store import Store


def headers_key(headers: list[str]) -> str:
    """sha256 of the normalised header list: the same export layout gives the same key."""
    normalised = [normalise_header(h) for h in headers]
    return hashlib.sha256(json.dumps(normalised, ensure_ascii=False).encode()).hexdigest()


def load_mapping(store: Store, headers: list[str]) -> dict[str, Any] | None:
    """{'mapping': {field: header}, 'format': ..., 'date_format': ...} saved for these headers, or None."""
    row = store.one(
        "SELECT mapping, format, date_format FROM header_mappings WHERE headers_key = ?", (headers_key(headers),)
    )
    if row is None:
        return None
    return {"mapping": json.loads(row["mapping"]), "format": row["format"], "date_format": row["date_format"]}


def save_mapping(
    store: Store, headers: list[str], mapping: dict[str, str], fmt: str | None, date_format: str | None
) -> None:
    """Remember (or replace) the mapping for files with these headers. Never for a first line that holds data
    (a file without a header row): that would keep an order's email, name and phone for good."""
    if data_like_header(headers):
        return
    sql = """
        INSERT INTO header_mappings (headers_key, headers, mapping, format, date_format, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(headers_key) DO UPDATE SET
            headers = excluded.headers, mapping = excluded.mapping, format = excluded.format,
            date_format = excluded.date_format, updated_at = excluded.updated_at
    """
    params = (
        headers_key(headers),
        json.dumps(headers, ensure_ascii=False),
        json.dumps(mapping, ensure_ascii=False, sort_keys=True),
        fmt,
        date_format,
        store.clock.now_iso(),
    )
    if store.conn.in_transaction:
        store.conn.execute(sql, params)
    else:
        with store.write() as conn:
            conn.execute(sql, params)
