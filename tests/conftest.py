from __future__ import annotations

import os
import sys
from pathlib import Path

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
