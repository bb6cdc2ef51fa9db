"""SQL for the column mappings the owner gave once, remembered by a key of the file's header set.

The key and the rule of what may be remembered live in the core (shopkeep.importing.mappings): the store
knows nothing of headers.
"""

from __future__ import annotations

import json
from typing import Any

from shopkeep.store import Store


def load(store: Store, key: str) -> dict[str, Any] | None:
    """{'mapping': {field: header}, 'format': ..., 'date_format': ...} saved under this key, or None."""
    row = store.one("SELECT mapping, format, date_format FROM header_mappings WHERE headers_key = ?", (key,))
    if row is None:
        return None
    return {"mapping": json.loads(row["mapping"]), "format": row["format"], "date_format": row["date_format"]}


def save(
    store: Store, key: str, headers: list[str], mapping: dict[str, str], fmt: str | None, date_format: str | None
) -> None:
    """Remember (or replace) the mapping under this key, in the caller's transaction if one is open."""
    sql = """
        INSERT INTO header_mappings (headers_key, headers, mapping, format, date_format, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(headers_key) DO UPDATE SET
            headers = excluded.headers, mapping = excluded.mapping, format = excluded.format,
            date_format = excluded.date_format, updated_at = excluded.updated_at
    """
    params = (
        key,
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
