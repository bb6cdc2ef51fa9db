"""SQL for the owner's notes about a customer."""

from __future__ import annotations

from typing import Any

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.store import Store
from shopkeep.store.customers import customer_exists


def insert(store: Store, customer_id: int, body: str, created_at: str) -> int:
    with store.write() as conn:
        if not customer_exists(store, customer_id):
            raise ShopkeepError(_("no customer with id {id}").format(id=customer_id))
        cursor = conn.execute(
            "INSERT INTO notes (customer_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (customer_id, body, created_at, created_at),
        )
    return cursor.lastrowid


def for_customer(store: Store, customer_id: int) -> list[dict[str, Any]]:
    """Newest first."""
    return store.rows(
        "SELECT id, body, created_at FROM notes WHERE customer_id = ?"
        " AND id NOT IN (SELECT target_id FROM undone WHERE kind = 'note') ORDER BY created_at DESC, id DESC",
        (customer_id,),
    )


def undo(store: Store, note_id: int, at: str) -> int:
    """Tombstone a note (it stays stored, hidden from the card); returns its customer's id."""
    with store.write() as conn:
        row = conn.execute("SELECT customer_id FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise ShopkeepError(_("no note with id {id}").format(id=note_id))
        if conn.execute("SELECT 1 FROM undone WHERE kind = 'note' AND target_id = ?", (note_id,)).fetchone():
            raise ShopkeepError(_("note {id} is already undone").format(id=note_id))
        conn.execute("INSERT INTO undone (kind, target_id, undone_at) VALUES ('note', ?, ?)", (note_id, at))
    return int(row[0])
