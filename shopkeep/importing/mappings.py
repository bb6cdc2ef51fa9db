"""Column mappings the owner gave once, remembered by the file's exact header set."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from shopkeep.importing.presets import normalise_header
from shopkeep.importing.shapes import data_like_header
from shopkeep.store import Store
from shopkeep.store import mappings as mappings_sql


def headers_key(headers: list[str]) -> str:
    """sha256 of the normalised header list: the same export layout gives the same key."""
    normalised = [normalise_header(h) for h in headers]
    return hashlib.sha256(json.dumps(normalised, ensure_ascii=False).encode()).hexdigest()


def load_mapping(store: Store, headers: list[str]) -> dict[str, Any] | None:
    """{'mapping': {field: header}, 'format': ..., 'date_format': ...} saved for these headers, or None."""
    return mappings_sql.load(store, headers_key(headers))


def save_mapping(
    store: Store, headers: list[str], mapping: dict[str, str], fmt: str | None, date_format: str | None
) -> None:
    """Remember (or replace) the mapping for files with these headers. Never for a first line that holds data
    (a file without a header row): that would keep an order's email, name and phone for good."""
    if data_like_header(headers):
        return
    mappings_sql.save(store, headers_key(headers), headers, mapping, fmt, date_format)
