"""The store: the one layer that speaks SQL.

Every connection is in WAL mode with foreign keys on, a busy timeout of 10 s and FULL sync.
Writes go through `Store.write()`, which opens `BEGIN IMMEDIATE` so that two writers queue on
the lock instead of failing half-way with "database is locked".

Only SQLite opens the database file and its -wal/-shm: in a process holding a connection, closing any
other descriptor of the file drops SQLite's POSIX locks (issue 11: the app lost writes).

Domain queries live in the modules beside this one (orders, customers, calls, loyalty, ...);
they take a `Store` and return plain rows (dicts, or named tuples where many rows cross) or dataclasses.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopkeep.clock import Clock
from shopkeep.errors import StoreBusy, StoreError
from shopkeep.i18n import _, ngettext
from shopkeep.paths import ensure_private_dir, is_database_file, let_go_of_database, remember_database
from shopkeep.store import migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
# Marks a shopkeep database (`PRAGMA application_id`, set by migrations/0011_application_id.sql): "SHKP".
APPLICATION_ID = 0x53484B50
WAIT_NOTICE_MS = 1_000  # a write kept waiting this long for another writer says that it waits (on_wait)
WAIT_STEP_MS = 250  # then it tries again this often, so that Ctrl+C stops it at once


def dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict[str, Any]:
    """A row factory: each row as {column: value} (what Store.rows and Store.one return)."""
    return {col[0]: value for col, value in zip(cursor.description, row, strict=True)}


class Store:
    """One open shopkeep database. Not shared between threads: open one per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, clock: Clock | None = None):
        self.conn = conn
        self.path = path
        self._clock = clock
        # While open: never an output's target, never read by an importer (shopkeep.paths).
        self._in_use = remember_database(path) if path is not None else None
        # How long a write waits for another writer (an import holds the lock for a whole file).
        # The CLI sets minutes (shopkeep.cli.common), the app longer still.
        self.patience = BUSY_TIMEOUT_MS / 1000
        # Called once when a write has waited WAIT_NOTICE_MS for the lock and goes on waiting (the CLI says so).
        self.on_wait: Callable[[], None] | None = None

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on this connection (schema introspection: tables, counts, indexes), imported on first
        use: it is slow to import (numpy). It leaves the connection as it is: no recursive triggers (its
        default would switch them on for every later statement), no plugins."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)

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
        """Open (and if needed create and migrate) the shopkeep database at `path`.

        Only SQLite ever opens the file: on POSIX, closing any other descriptor of it would drop the locks
        SQLite holds for this process's other connections (the app keeps one open while its workers open
        more), and another process would then checkpoint and delete the WAL under them. A file that is not
        shopkeep's (not SQLite, another application's database, an empty file) or is from a newer shopkeep
        is refused before anything in it is changed: no WAL switch, no backup, no migration.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(_("{path} is a folder, not a database file").format(path=path))
        if not path.exists():
            if not create:
                raise StoreError(_("no database at {path}").format(path=path))
            _create(path, migrations_dir, clock or Clock.resolve())
        try:
            conn = _connect(path)
        except sqlite3.Error as exc:
            raise StoreError(describe_error(exc, path)) from None
        try:
            _refuse_foreign(conn, path)
            migrate.refuse_newer(conn, migrations_dir)
            configure(conn)
            migrate.apply_pending(conn, path, migrations_dir, clock or Clock.resolve())
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(describe_error(exc, path)) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, clock)

    @classmethod
    def memory(cls, migrations_dir: Path | None = None, clock: Clock | None = None) -> Store:
        """A private in-memory database with the full schema (tests, dry runs)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        configure(conn)
        migrate.apply_pending(conn, None, migrations_dir, clock or Clock.resolve())
        return cls(conn, None, clock)

    def close(self) -> None:
        self.conn.close()
        if self._in_use is not None:
            let_go_of_database(self._in_use)
            self._in_use = None

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
        """BEGIN IMMEDIATE, waiting up to `patience` seconds for another writer. A wait longer than
        WAIT_NOTICE_MS is said once through `on_wait`; from then on the lock is tried every WAIT_STEP_MS,
        so that Ctrl+C is heard at once."""
        deadline = time.monotonic() + self.patience
        if self.on_wait is None:
            try:  # the usual case: the lock is free, or freed within the connection's busy timeout
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
        configured = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        step = min(configured, WAIT_NOTICE_MS) if self.on_wait is not None else configured
        said = False
        try:
            while True:
                remaining_ms = int((deadline - time.monotonic()) * 1000)
                self.conn.execute(f"PRAGMA busy_timeout = {max(1, min(step, remaining_ms))}")
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc):
                        raise
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        _(
                            "the database stayed busy for {time}: another shopkeep (an import?) is writing;"
                            " nothing was saved, try again when it is done"
                        ).format(time=duration_words(self.patience))
                    ) from None
                if self.on_wait is not None and not said:
                    said = True
                    self.on_wait()
                    step = min(configured, WAIT_STEP_MS)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {configured}")

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
        cursor.row_factory = dict_row
        return cursor.fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        cursor = self.conn.execute(sql, params)
        cursor.row_factory = dict_row
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

    def holds_nothing(self) -> bool:
        """No order, customer, call, note, points entry, import or setting in it: as a new one is made."""
        return not self.scalar(
            "SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM calls)"
            " OR EXISTS (SELECT 1 FROM notes) OR EXISTS (SELECT 1 FROM loyalty_ledger)"
            " OR EXISTS (SELECT 1 FROM imports) OR EXISTS (SELECT 1 FROM settings)"
        )

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
        target = Path(target).expanduser()
        if self.path is not None and is_database_file(target, self.path):
            raise StoreError(
                _("{path} is the database itself or one of its files; choose another name").format(path=target)
            )
        return migrate.backup_into(self.conn, target)


def configure(conn: sqlite3.Connection) -> None:
    """The pragmas every shopkeep connection runs with."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() not in ("wal", "memory"):
        raise StoreError(f"cannot switch the database to WAL mode (got {mode})")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def duration_words(seconds: float) -> str:
    """'10 minutes', '1.5 seconds': how long a wait is said."""
    if seconds >= 120:
        minutes = seconds / 60
        return ngettext("{n} minute", "{n} minutes", int(minutes) if minutes == int(minutes) else 2).format(
            n=f"{minutes:g}"
        )
    return ngettext("{n} second", "{n} seconds", int(seconds) if seconds == int(seconds) else 2).format(
        n=f"{seconds:g}"
    )


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to an existing file (mode=rw: SQLite never creates a file here)."""
    uri = f"{path.absolute().as_uri()}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _create(path: Path, migrations_dir: Path | None, clock: Clock) -> None:
    """Create a new database at `path` only where no file exists, and never a half-made one: it is built
    (owner-only, migrated, marked) under a temporary name in the same folder and then linked into place,
    which fails if a file appeared there meanwhile (another shopkeep created it first: that one is used)."""
    ensure_private_dir(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".creating", dir=path.parent)  # mode 0600
    os.close(fd)  # a brand-new file that no connection has opened
    partial = Path(name)
    try:
        conn = sqlite3.connect(partial, isolation_level=None)
        try:
            configure(conn)
            migrate.apply_pending(conn, None, migrations_dir, clock)
        except sqlite3.Error as exc:
            raise StoreError(describe_error(exc, path)) from None
        finally:
            conn.close()
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        except OSError:  # a filesystem without hard links (FAT, some network mounts)
            if not path.exists():
                os.replace(partial, path)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Raise StoreError unless the file is a shopkeep database: marked with shopkeep's application id, or
    (made before the mark existed) holding shopkeep's first migration and tables. Reads only."""
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]  # "file is not a database" here
    if application_id == APPLICATION_ID:
        return
    if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
        raise StoreError(
            _(
                "{path} is an empty file, not a shopkeep database; nothing was changed"
                " (delete it, or choose another path, and shopkeep creates a new database there)"
            ).format(path=path)
        )
    if application_id != 0:
        raise StoreError(
            _(
                "{path} is another application's database (application id {id}), not a shopkeep one;"
                " nothing was changed"
            ).format(path=path, id=f"{application_id:#010x}")
        )
    if not migrate.is_unmarked_shopkeep(conn):
        raise StoreError(
            _("{path} is an SQLite file of another application, not a shopkeep database; nothing was changed").format(
                path=path
            )
        )


def describe_error(exc: sqlite3.Error, path: Path | None = None) -> str:
    """One clear line for an error SQLite raised (its messages name tables and columns, never values)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    where = str(path) if path is not None else _("the database")
    if name == "SQLITE_NOTADB" or "not a database" in text:
        return _("{where} is not a shopkeep database (not an SQLite file); nothing was changed").format(where=where)
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return _("{where} is damaged ({reason}); nothing more was written. Restore your latest backup").format(
            where=where, reason=text
        )
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return _("the disk is full; nothing more was written. Free some space and try again")
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return _("{where} cannot be written here (read-only file or folder); nothing was saved").format(where=where)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return _("cannot open {where}: {reason}").format(where=where, reason=text)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return _("the database is busy: another shopkeep is writing; try again when it is done")
    return _("database problem: {reason}").format(reason=text)
