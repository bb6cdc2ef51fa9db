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
from shopkeep.i18n import N_, _, format_number, set_language
from shopkeep.outputs import describe, shown
from shopkeep.paths import default_db_path
from shopkeep.shop import shop_language
from shopkeep.store import Store, describe_error, duration_words
from shopkeep.store import upkeep as upkeep_sql

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
        raise fail(
            _("--db is given twice with different files ({first} and {second}); give it once").format(
                first=given, second=value
            )
        )
    ctx.meta[DB_KEY] = value
    return value


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help=N_(
            "Database file, before or after the command name."
            " Default: $SHOPKEEP_DB, else shopkeep.db in your user data folder."
        ),
        show_default=False,
        metavar="FILE",
        callback=_merge_db,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help=N_("Compute as of this day (YYYY-MM-DD). Default: $SHOPKEEP_TODAY, else today."),
        show_default=False,
        metavar="DAY",
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


# Help texts with {values} filled in after translation (a list of formats): source -> values.
HELP_VALUES: dict[str, dict[str, str]] = {}


def help_with(source: str, **values: str) -> str:
    """A help text marked with N_ whose {names} are filled in once it is translated (shopkeep.cli.translate_help)."""
    HELP_VALUES[source] = values
    return source.format(**values)


def db_path(db: Path | None) -> Path:
    return db.expanduser() if db is not None else default_db_path()


# How long a command waits for another writer (a long import holds the lock for its whole file) before it
# gives up; a wait of more than a second is said on stderr.
WRITE_PATIENCE_SECONDS = 2 * 60
IMPORT_PATIENCE_SECONDS = 10 * 60


def open_store(
    db: Path | None,
    *,
    create: bool = True,
    patience: float = WRITE_PATIENCE_SECONDS,
    waiting_for: str = N_("another shopkeep that is writing (an import?)"),
    heal: bool = True,
) -> Store:
    """The command's database. Its clock is `$SHOPKEEP_TODAY`, else the demo's own today, else the real
    date, until `as_of_for` moves it to the command's `--as-of`. A write kept waiting says so once on stderr.
    With `heal`, the upkeep of an import that was stopped before it is finished first, and said in one line."""
    store = Store.open(db_path(db), create=create)
    try:
        set_language(shop_language(store))  # from here on the command speaks the shop's language
        store.patience = patience
        limit = duration_words(patience)
        store.on_wait = lambda: typer.echo(
            _("waiting for {what}… (Ctrl+C to stop; giving up after {limit})").format(what=_(waiting_for), limit=limit),
            err=True,
        )
        if heal and upkeep_sql.pending(store) is not None:  # rare: the upkeep (and loyalty) load only then
            from shopkeep.upkeep import heal as heal_upkeep

            line = heal_upkeep(store, as_of_for(store, None))
            if line:
                typer.echo(line, err=True)
    except BaseException:
        store.close()
        raise
    return store


def as_of_for(store: Store, as_of: str | None) -> dt.date:
    """The day the command computes as of; from here on its writes are stamped on that day too."""
    if as_of is not None:
        store.clock = Clock.resolve(as_of)
    return store.clock.as_of


def who(store: Store, customer_ids: list[int]) -> dict[int, str]:
    """'Anna Kowalska (#533)' for each customer, safe to print (a name may carry escape codes)."""
    from shopkeep.customer_ref import labels
    from shopkeep.notes import clean_text

    return {cid: clean_text(text) for cid, text in labels(store, customer_ids).items()}


def report_written(sentence: str, count: int, path: Path | None) -> None:
    """Where an export went: "wrote 1,492 customers to /home/ann/customers.csv" (stderr; stdout is data).
    `sentence`: the ngettext of the count, with {n} and {path}."""
    if path is not None:
        typer.echo(sentence.format(n=format_number(count), path=shown(path)), err=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line to stderr; return the Exit to raise."""
    typer.echo(_("error: {message}").format(message=message), err=True)
    return typer.Exit(code)


def handled(fn: F) -> F:
    """Turn expected failures into one line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ShopkeepError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except sqlite3.Error as exc:  # sqlite messages name tables and columns, never values
            raise fail(describe_error(exc)) from None
        except KeyboardInterrupt:
            typer.echo(_("interrupted; nothing more was written"), err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # a file the command reads or writes: what went wrong, on one line
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                where = exc.filename
                raise fail(describe(exc, where) if where else _("the disk is full; nothing more was written")) from None
            reason = exc.strerror or type(exc).__name__
            raise fail(f"{shown(exc.filename)}: {reason}" if exc.filename else reason) from None

    return wrapper  # type: ignore[return-value]
