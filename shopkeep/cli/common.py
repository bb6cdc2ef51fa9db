"""What every command shares: the --db and --as-of options, opening the store, clean errors."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from shopkeep.clock import Clock
from shopkeep.errors import ShopkeepError
from shopkeep.outputs import describe, error_errno, shown
from shopkeep.paths import default_db_path
from shopkeep.store import Store

DB_KEY = "shopkeep.db"  # the --db given so far on this command line (click's meta is shared by nested commands)


def _same_file(a: Path, b: Path) -> bool:
    a, b = a.expanduser(), b.expanduser()
    if os.path.abspath(a) == os.path.abspath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _merge_db(ctx: typer.Context, value: Path | None) -> Path | None:
    """--db means the same before or after the command name: `shopkeep --db my.db import FILE` and
    `shopkeep import FILE --db my.db` both use my.db. Given in both places, the two must agree."""
    given = ctx.meta.get(DB_KEY)
    if value is None:
        return given
    if given is not None and not _same_file(given, value):
        raise fail(f"--db is given twice with different files ({given} and {value}); give it once")
    ctx.meta[DB_KEY] = value
    return value


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Database file, before or after the command name."
        " Default: $SHOPKEEP_DB, else shopkeep.db in your user data folder.",
        show_default=False,
        metavar="FILE",
        callback=_merge_db,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Compute as of this day (YYYY-MM-DD). Default: $SHOPKEEP_TODAY, else today.",
        show_default=False,
        metavar="DAY",
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def db_path(db: Path | None) -> Path:
    return db.expanduser() if db is not None else default_db_path()


def open_store(db: Path | None, *, create: bool = True) -> Store:
    """The command's database. Its clock is `$SHOPKEEP_TODAY`, else the demo's own today, else the real
    date, until `as_of_for` moves it to the command's `--as-of`."""
    return Store.open(db_path(db), create=create)


def as_of_for(store: Store, as_of: str | None) -> dt.date:
    """The day the command computes as of; from here on its writes are stamped on that day too."""
    if as_of is not None:
        store.clock = Clock.resolve(as_of)
    return store.clock.as_of


def report_written(count: int, one: str, many: str, path: Path | None) -> None:
    """Where an export went: "wrote 1,492 customers to /home/ann/customers.csv" (stderr; stdout is data)."""
    if path is not None:
        typer.echo(f"wrote {count:,} {one if count == 1 else many} to {shown(path)}", err=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line to stderr; return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def handled(fn: F) -> F:
    """Turn expected failures into one line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ShopkeepError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except sqlite3.DatabaseError as exc:  # sqlite messages name tables and columns, never values
            if error_errno(exc) == errno.ENOSPC:
                raise fail("the disk is full: the change being written to the database was not saved") from None
            raise fail(f"database problem: {exc}") from None
        except KeyboardInterrupt:
            typer.echo("interrupted; nothing more was written", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # a file the command reads or writes: what went wrong, on one line
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                where = exc.filename
                raise fail(describe(exc, where) if where else "the disk is full; nothing more was written") from None
            reason = exc.strerror or type(exc).__name__
            raise fail(f"{shown(exc.filename)}: {reason}" if exc.filename else reason) from None

    return wrapper  # type: ignore[return-value]
