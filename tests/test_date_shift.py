"""`make test` runs the suite three times: today, a year ahead, a year back. This checks the date really
moved (in the test process and in the processes tests start), so a passing shifted run means something.
SQLite's date('now') reads the clock below Python, unmoved: the difference is the shift."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys

from tests.shifted.shopkeep_test_shift import shift_days

READ = (
    "import datetime, sqlite3; "
    "print(datetime.date.today(), sqlite3.connect(':memory:').execute(\"select date('now')\").fetchone()[0])"
)


def _moved_by(today: str, unmoved: str) -> int:
    return (dt.date.fromisoformat(today) - dt.date.fromisoformat(unmoved)).days


def test_the_date_is_moved_here_as_asked():
    unmoved = sqlite3.connect(":memory:").execute("select date('now')").fetchone()[0]
    assert abs(_moved_by(dt.date.today().isoformat(), unmoved) - shift_days()) <= 1


def test_the_date_is_moved_in_a_process_a_test_starts():
    out = subprocess.run([sys.executable, "-c", READ], capture_output=True, text=True, check=True).stdout.split()
    assert abs(_moved_by(*out) - shift_days()) <= 1
