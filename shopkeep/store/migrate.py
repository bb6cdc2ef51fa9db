"""Numbered migrations from the top-level `migrations/` folder (shipped in the wheel).

Each file `NNNN_name.sql` (or `NNNN_name.py`) runs in its own `BEGIN IMMEDIATE` transaction together with
the row that records it in `schema_migrations`, so a failing migration leaves both the data and the version
as they were. Before the first pending migration touches a database that already holds data, a consistent
backup is written with `VACUUM INTO`. A file whose recorded version this shopkeep does not know is refused
before anything is changed (`refuse_newer`).

A `.py` migration is for what SQL alone does badly, the column changes SQLite's ALTER TABLE cannot make
(a type, NOT NULL, a default, a column dropped under an index): it defines `migrate(db)` and gets a
`sqlite_utils.Database` on the same connection, inside the same transaction, so `db["t"].transform(...)`
(which copies the table, nested as a savepoint, foreign key checks deferred to the commit) is all or nothing
with the rest of the migration and its record.

Why the numbered files are not run by sqlite-utils' own `Migrations` class (sqlite-utils 4): it records
what it applied in its own `_sqlite_migrations` table, by name, stamped with the wall clock, and opens
plain (deferred) `BEGIN` transactions. shopkeep's record must stay `schema_migrations` by number (every
shopkeep released reads it to refuse a newer file, and the demo build stamps it with the demo's clock),
so `Migrations` would be a second record of the same truth; the runner below is the one record.
"""

from __future__ import annotations

import re
import runpy
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from shopkeep.clock import Clock
from shopkeep.errors import StoreError
from shopkeep.i18n import _
from shopkeep.paths import resource_path, touch_private

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.(sql|py)$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def available(migrations_dir: Path | None = None) -> list[Migration]:
    folder = migrations_dir or resource_path("migrations")
    found = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".sql", ".py")):
        m = _NAME.match(path.name)
        if m:
            found.append(Migration(int(m.group(1)), path.stem, path))
    versions = [m.version for m in found]
    if len(versions) != len(set(versions)):
        raise StoreError(f"two migrations share a number in {folder}")
    return found


def _ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT"
    )


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    if not current_version(conn):
        return set()
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def _has_data(conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name <> 'schema_migrations' LIMIT 1"
        ).fetchone()
    )


def backup_into(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy of the open database (sees committed WAL content), mode 0600."""
    if target.exists() and target.stat().st_size > 0:
        raise StoreError(f"backup target already exists: {target}")
    touch_private(target)
    conn.execute("VACUUM INTO ?", (str(target),))
    return target


def refuse_newer(conn: sqlite3.Connection, migrations_dir: Path | None = None) -> None:
    """Raise StoreError if the database records a migration this shopkeep does not know (reads only:
    called before anything, even the switch to WAL, is changed in the file)."""
    applied = applied_versions(conn)
    known = {m.version for m in available(migrations_dir)}
    if applied - known:
        raise StoreError(
            _(
                "this database is at schema version {version}, newer than this shopkeep knows ({known});"
                " upgrade shopkeep to open it. Nothing was changed"
            ).format(version=max(applied), known=max(known, default=0))
        )


def is_unmarked_shopkeep(conn: sqlite3.Connection) -> bool:
    """A shopkeep database made before the application id mark (0011): shopkeep's first migration is
    recorded and its core tables are there. Reads only."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"schema_migrations", "settings", "customers", "orders"} <= tables:
        return False
    first = conn.execute("SELECT name FROM schema_migrations WHERE version = 1").fetchone()
    return first is not None and first[0] == "0001_initial"


def apply_pending(
    conn: sqlite3.Connection,
    db_path: Path | None,
    migrations_dir: Path | None,
    clock: Clock,
) -> list[Migration]:
    """Apply every pending migration in order. Returns what was applied."""
    refuse_newer(conn, migrations_dir)
    migrations = available(migrations_dir)
    applied = applied_versions(conn)
    # Every migration not yet recorded, in order (not only those above the highest applied one).
    pending = [m for m in migrations if m.version not in applied]
    if not pending:
        return []
    if db_path is not None and _has_data(conn):
        stamp = clock.now_iso().replace(":", "").replace("-", "")
        backup_into(conn, db_path.with_name(f"{db_path.name}.before-v{pending[0].version}-{stamp}.bak"))
    _ensure_table(conn)
    for migration in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            _run(conn, migration)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, clock.now_iso()),
            )
            conn.execute("COMMIT")
        except Exception as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(
                _("migration {name} failed: {reason}; nothing was changed").format(name=migration.name, reason=exc)
            ) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return pending


def _run(conn: sqlite3.Connection, migration: Migration) -> None:
    """The migration's statements, inside the transaction the caller opened."""
    if migration.path.suffix == ".py":
        import sqlite_utils  # only here: slow to import, and needed only by a pending Python migration

        namespace = runpy.run_path(str(migration.path), run_name=f"shopkeep_migration_{migration.version}")
        migrate = namespace.get("migrate")
        if not callable(migrate):
            raise StoreError(_("the file defines no migrate(db) function"))
        migrate(sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False))
        return
    # executescript would commit first; run the statements one by one inside our transaction.
    for statement in _split(migration.path.read_text(encoding="utf-8")):
        conn.execute(statement)


def _split(sql: str) -> list[str]:
    """Split a script into complete statements (triggers hold inner semicolons)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
