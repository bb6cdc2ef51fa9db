"""SQL that feeds the customer lookup index."""

from __future__ import annotations

from typing import Any

from shopkeep.store import Store


def searchable_customers(store: Store) -> list[dict[str, Any]]:
    """Every customer not forgotten, in id order: id, name, email, phone, external_id.

    `name` falls back to "first_name last_name" when the export gave only the parts.
    """
    return store.rows(
        """
        SELECT id,
               coalesce(name, nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '')) AS name,
               email, phone, external_id
        FROM customers
        WHERE forgotten_at IS NULL
        ORDER BY id
        """
    )


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
