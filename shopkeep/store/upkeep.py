"""SQL for the mark an import leaves until its upkeep (points, referrals, expiry, tiers) is done.

The mark is written in the import's own transaction and removed by the upkeep once it has committed, so
an import killed in between leaves it behind for the next shopkeep to notice (shopkeep.upkeep.heal).
Its value says which process owes the upkeep, so that one still at work is not mistaken for a dead one.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from typing import Any

from shopkeep.store import Store

PENDING_KEY = "upkeep_pending"


def mark_pending(conn: sqlite3.Connection, import_id: int) -> None:
    """Inside the import's transaction: its upkeep is owed, by this process."""
    value = json.dumps({"import": import_id, "pid": os.getpid(), "host": socket.gethostname()})
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (PENDING_KEY, value),
    )


def pending(store: Store) -> str | None:
    """The mark as stored (compared as is when it is cleared), or None when no upkeep is owed."""
    return store.scalar("SELECT value FROM settings WHERE key = ?", (PENDING_KEY,))


def owner(mark: str) -> dict[str, Any]:
    try:
        value = json.loads(mark)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def clear_pending(store: Store, mark: str) -> None:
    """Remove the mark if it is still the one read before the upkeep began: an import that committed
    meanwhile has left its own, and its orders may not have been seen."""
    with store.write() as conn:
        conn.execute("DELETE FROM settings WHERE key = ? AND value = ?", (PENDING_KEY, mark))
