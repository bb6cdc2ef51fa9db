from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shopkeep.demo import DEFAULT_TODAY
from shopkeep.store import Store

TEST_TODAY = DEFAULT_TODAY
SHIFTED = Path(__file__).parent / "shifted"


def pytest_configure(config):
    """The suite reads English (its assertions are in the source language) whatever the machine's locale:
    $LANGUAGE=en wins over $LANG/$LC_ALL here and in every process a test starts; a test that wants another
    language sets it (the shop's setting, or the environment it passes).

    `SHOPKEEP_TEST_SHIFT_DAYS=+365 pytest`: the whole suite with the real date moved, in this process and in
    every Python process a test starts (tests/shifted/sitecustomize.py)."""
    os.environ["LANGUAGE"] = "en"
    sys.path.insert(0, str(SHIFTED))
    from shopkeep_test_shift import shift_days, start

    if shift_days():
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SHIFTED), os.environ.get("PYTHONPATH")]))
        config.shopkeep_moved_to = start()


def pytest_report_header(config):
    moved = getattr(config, "shopkeep_moved_to", None)
    return f"the real date is moved to {moved.date().isoformat()}" if moved else None


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English, and a language a test switches to does not leak into the next."""
    from shopkeep import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


# The one time limit for waiting on the screen (a worker, a refresh, a modal). Generous: the suite must pass
# with two CPU-bound processes beside it on 2 cores; a condition that holds returns at once anyway.
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.02


async def until(pilot: Any, condition: Callable[[], object], what: str = "the screen") -> None:
    """Wait (letting the app run) until `condition()` is true, then let the screen settle once more.
    Fails after WAIT_SECONDS, naming `what`. The one polling helper of the suite: import it from here."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {WAIT_SECONDS:.0f} s waiting for {what}")
        await pilot.pause(POLL_SECONDS)
    await pilot.pause()


def record_notifications(app: Any, monkeypatch: Any) -> list[tuple[str, str]]:
    """(message, severity) of every notification the app shows from now on, in order: what the owner
    reads, without Textual's private notification store. Screens' and widgets' notify end in app.notify."""
    shown: list[tuple[str, str]] = []
    real = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        shown.append((str(message), kwargs.get("severity", "information")))
        real(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return shown


def messages(shown: list[tuple[str, str]]) -> list[str]:
    return [message for message, _ in shown]


# -- shared factories: rows as the importer would leave them, one place for the columns and defaults --

STAMP = "2026-01-01T00:00:00"
_order_keys = itertools.count(1)


def insert_row(store: Store, table: str, **columns: Any) -> int:
    """One row into `table` (the caller's transaction if one is open, else its own); its rowid."""
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if store.conn.in_transaction:
        return store.conn.execute(sql, tuple(columns.values())).lastrowid or 0
    with store.write() as conn:
        return conn.execute(sql, tuple(columns.values())).lastrowid or 0


def new_customer(store: Store, **columns: Any) -> int:
    """A customer (any column of `customers` may be given); its id."""
    return insert_row(store, "customers", **{"name": "A Customer", "created_at": STAMP, "updated_at": STAMP, **columns})


def new_order(store: Store, customer_id: int | None, **columns: Any) -> int:
    """A paid EUR order of 50.00 (any column of `orders` may be given); its id."""
    key = columns.pop("order_key", None) or f"t{next(_order_keys)}"
    defaults = {"source": "test", "order_key": key, "customer_id": customer_id, "ordered_at": f"{STAMP[:10]}T12:00:00"}
    defaults |= {"currency": "EUR", "total": 5_000, "content_hash": "h", "created_at": STAMP, "updated_at": STAMP}
    return insert_row(store, "orders", **{**defaults, **columns})


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch):
    """No test touches the real user data folder or depends on the real date."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("SHOPKEEP_DB", raising=False)
    # The clock is frozen on the demo's own today: every command and every store resolves its as-of
    # day (and stamps its writes) on it, whatever the real date. `make test` also runs the whole suite
    # with the real date moved a year either way, which catches any other read of the wall clock.
    monkeypatch.setenv("SHOPKEEP_TODAY", TEST_TODAY.isoformat())
    old = os.umask(0o077)
    yield
    os.umask(old)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "shop.db"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()
