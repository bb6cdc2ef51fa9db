from __future__ import annotations

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
    """`SHOPKEEP_TEST_SHIFT_DAYS=+365 pytest`: the whole suite with the real date moved, in this process and in
    every Python process a test starts (tests/shifted/sitecustomize.py)."""
    sys.path.insert(0, str(SHIFTED))
    from shopkeep_test_shift import shift_days, start

    if shift_days():
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SHIFTED), os.environ.get("PYTHONPATH")]))
        config.shopkeep_moved_to = start()


def pytest_report_header(config):
    moved = getattr(config, "shopkeep_moved_to", None)
    return f"the real date is moved to {moved.date().isoformat()}" if moved else None


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
