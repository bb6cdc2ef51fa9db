"""SQL for messages to customers without a phone: who they are and where to write."""

from __future__ import annotations

import json

from shopkeep.store import Store


def contacts(store: Store, customer_ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """customer id -> (first name, email) for these customers (forgotten customers have neither)."""
    rows = store.conn.execute(
        "SELECT id, first_name, email FROM customers WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(customer_ids),),
    ).fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}
