"""SQL for the settings table beyond `Store.get_setting` / `Store.set_setting`."""

from __future__ import annotations

import sqlite3


def delete(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM settings WHERE key = ?", (key,))
