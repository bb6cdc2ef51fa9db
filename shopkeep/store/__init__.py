"""The store: the one layer that speaks SQL.

Every connection is in WAL mode with foreign keys on, a busy timeout of 10 s and FULL sync.
Writes go through `Store.write()`, which opens `BEGIN IMMEDIATE` so that two writers queue on
the lock instead of failing half-way with "database is locked".

Domain queries live in the modules beside this one (orders, customers, calls, loyalty, ...);
they take a `Store` and return plain rows or dataclasses.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopkeep.clock import Clock
from shopkeep.errors import StoreBusy, StoreError
from shopkeep.paths import ensure_private_dir, touch_private
from shopkeep.store import migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


def _row_factory(cursor: sqlite3.Cursor, row: tuple) -> dict[str, Any]:
    return {col[0]: value for col, value in zip(cursor.description, row, strict=True)}


class Store:
    """One open shopkeep database. Not shared between threads: open one per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, clock: Clock | None = None):
        self.conn = conn
        self.path = path
        self._clock = clock
        # How long a write waits for another writer (an import holds the lock for a whole file).
        # The CLI gives up after the busy timeout; the app waits much longer.
        self.patience = BUSY_TIMEOUT_MS / 1000

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on this connection, imported on first use: it is slow to import (numpy)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        migrations_dir: Path | None = None,
        clock: Clock | None = None,
    ) -> Store:
        """Open (and if needed create and migrate) the database at `path`."""
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file")
        if not path.exists():
            if not create:
                raise StoreError(f"no database at {path}")
            ensure_private_dir(path.parent)
            touch_private(path)
        elif path.stat().st_size > 0:
            with path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise StoreError(f"{path} is not a shopkeep database (not an SQLite file)")
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            configure(conn)
            migrate.apply_pending(conn, path, migrations_dir, clock or Clock.resolve())
            store = cls(conn, path, clock)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc
        return store

    @classmethod
    def memory(cls, migrations_dir: Path | None = None, clock: Clock | None = None) -> Store:
        """A private in-memory database with the full schema (tests, dry runs)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        configure(conn)
        migrate.apply_pending(conn, None, migrations_dir, clock or Clock.resolve())
        return cls(conn, None, clock)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        if self.conn.in_transaction:
            raise StoreError("a write transaction is already open on this connection")
        self._begin_immediate()
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        deadline = time.monotonic() + self.patience
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        "the database is busy: another shopkeep (an import?) is writing; try again when it is done"
                    ) from None

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    # -- small helpers ---------------------------------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        cursor.row_factory = _row_factory
        return cursor.fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        cursor = self.conn.execute(sql, params)
        cursor.row_factory = _row_factory
        return cursor.fetchone()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @property
    def clock(self) -> Clock:
        """The one clock every write on this store is stamped with (and the as-of day of its reads).
        The CLI and the app hand theirs in; otherwise it is resolved as they would resolve it, on first use."""
        if self._clock is None:
            self._clock = Clock.resolve(None, self._demo_today())
        return self._clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self._clock = clock

    def _demo_today(self) -> str | None:
        """The demo shop's own "today" (a setting), read before the clock exists."""
        has_settings = self.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'")
        value = self.scalar("SELECT value FROM settings WHERE key = 'demo_today'") if has_settings else None
        return None if value is None else json.loads(value)

    def schema_version(self) -> int:
        return migrate.current_version(self.conn)

    # -- settings (JSON values) ----------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        sql = "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        params = (key, json.dumps(value, ensure_ascii=False))
        if self.conn.in_transaction:
            self.conn.execute(sql, params)
        else:
            with self.write():
                self.conn.execute(sql, params)

    def data_version(self) -> int:
        """Changes whenever another connection commits (cheap: no table is read)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def change_signature(self) -> tuple[int, int, int]:
        """What tells a screen that orders or customers changed underneath it (an import, a forget)."""
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM imports), (SELECT coalesce(max(id), 0) FROM customers),"
            " (SELECT count(*) FROM customers WHERE forgotten_at IS NOT NULL)"
        ).fetchone()
        return tuple(row)

    def backup(self, target: str | Path) -> Path:
        """A consistent copy (VACUUM INTO), safe while other connections write."""
        return migrate.backup_into(self.conn, Path(target).expanduser())


def configure(conn: sqlite3.Connection) -> None:
    """The pragmas every shopkeep connection runs with."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() not in ("wal", "memory"):
        raise StoreError(f"cannot switch the database to WAL mode (got {mode})")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
