"""A numbered migration may be a Python file for the column changes SQLite's ALTER TABLE cannot make: it gets
sqlite-utils on the same connection and runs in the same one transaction as its record (issue 18 point 6)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from shopkeep.errors import StoreError
from shopkeep.paths import resource_path
from shopkeep.store import Store

RELAX = """
def migrate(db):
    # NOT NULL off a column: ALTER TABLE cannot, sqlite-utils' transform copies the table to do it.
    db["notes"].transform(not_null={"updated_at": False})
"""


def _shop_with_a_note(tmp_path, db_path):
    folder = tmp_path / "migrations"
    shutil.copytree(resource_path("migrations"), folder)
    with Store.open(db_path, migrations_dir=folder) as s, s.write() as c:
        c.execute(
            "INSERT INTO customers (id, name, created_at, updated_at) VALUES (1, 'Anna', '2026-01-01', '2026-01-01')"
        )
        c.execute("INSERT INTO notes (customer_id, body, created_at, updated_at) VALUES (1, 'tea', 'x', 'x')")
    return folder


def test_a_python_migration_changes_a_column_and_keeps_the_rows_indexes_and_record(tmp_path, db_path):
    folder = _shop_with_a_note(tmp_path, db_path)
    (folder / "9998_notes_updated_optional.py").write_text(RELAX)
    with Store.open(db_path, migrations_dir=folder) as s:
        assert s.scalar("SELECT max(version) FROM schema_migrations") == 9998
        assert s.rows("SELECT customer_id, body FROM notes") == [{"customer_id": 1, "body": "tea"}]
        with s.write() as c:  # NULL is allowed now
            c.execute("INSERT INTO notes (customer_id, body, created_at) VALUES (1, 'later', 'y')")
        assert s.scalar("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'notes_customer'") == 1
        assert s.scalar("SELECT count(*) FROM pragma_foreign_key_list('notes')") == 1
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert len(list(tmp_path.glob("shop.db.before-v9998-*.bak"))) == 1


def test_a_failing_python_migration_leaves_the_table_and_the_version_as_they_were(tmp_path, db_path):
    folder = _shop_with_a_note(tmp_path, db_path)
    (folder / "9998_half_done.py").write_text(RELAX + '    raise ValueError("stopped half-way")\n')
    with pytest.raises(StoreError, match="9998_half_done failed: stopped half-way; nothing was changed"):
        Store.open(db_path, migrations_dir=folder)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] < 9998
    assert conn.execute("SELECT body FROM notes").fetchall() == [("tea",)]
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        conn.execute("INSERT INTO notes (customer_id, body, created_at) VALUES (1, 'later', 'y')")
    assert conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'notes%' ORDER BY name").fetchall() == [
        ("notes",),
        ("notes_customer",),
    ]
