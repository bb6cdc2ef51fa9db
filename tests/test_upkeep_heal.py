"""Issue 11, point 5: an import killed after its commit but before its upkeep (purchase points, referrals,
expiry, tiers) left its orders without points until the next import or `points sync`. The import now marks
the upkeep as owed in its own transaction; the next command, or `shopkeep doctor`, finishes it and says so.
Real import processes, killed between the commit and the upkeep."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from shopkeep import loyalty
from shopkeep.cli import app
from shopkeep.store import Store
from tests.store.procs import TODAY, Lines, run, write_export

runner = CliRunner()

# The import core, as `shopkeep import` runs it, in a process that dies (or waits) between its commit and
# the upkeep that `shopkeep import` runs next.
IMPORT_THEN_STOP = """
import os, signal, sys
from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions
from shopkeep.store import Store
store = Store.open(sys.argv[1])
assert import_file(store, sys.argv[2], ImportOptions()).ok
print("committed", flush=True)
if sys.argv[3] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.readline()
os._exit(0)
"""


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPKEEP_TODAY", TODAY)
    return _started(tmp_path / "shop.db")


def _started(db):
    """A shop whose loyalty programme started before the exports' orders, so that they earn points."""
    with Store.open(db) as store:
        loyalty.save_rules(store, loyalty.LoyaltyRules(start_day=dt.date(2000, 1, 1)))
    return db


def _import_then(how: str, db, csv) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", IMPORT_THEN_STOP, str(db), str(csv), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert Lines(proc.stdout).next(timeout=120) == "committed"
    return proc


def _purchase_points(db) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT count(*), coalesce(sum(delta), 0) FROM loyalty_ledger WHERE reason = 'purchase'"
        ).fetchone()
    finally:
        conn.close()


def test_doctor_finishes_the_points_of_a_killed_import_and_says_so(shop, tmp_path):
    proc = _import_then("kill", shop, write_export(tmp_path / "orders.csv", 120, "K"))
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert _purchase_points(shop) == (0, 0)  # 120 orders, not one point

    result = runner.invoke(app, ["doctor", "--db", str(shop)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("upkeep:"))
    assert line.startswith("upkeep:    import #1 was stopped before its points were given; finished now: points: ")
    orders, points = _purchase_points(shop)
    assert orders == 120 and points > 0
    assert "upkeep:    done" in runner.invoke(app, ["doctor", "--db", str(shop)]).output  # said once


def test_the_next_command_finishes_it_with_one_line_and_the_same_points_as_an_import(shop, tmp_path):
    csv = write_export(tmp_path / "orders.csv", 120, "K")
    whole = _started(tmp_path / "whole.db")
    assert run(whole, "import", str(csv)).returncode == 0
    assert "upkeep:    done" in run(whole, "doctor").stdout  # a whole import leaves nothing owed

    assert _import_then("kill", shop, csv).wait(timeout=60) == -signal.SIGKILL
    shown = run(shop, "points", "show", "c1@example.org")
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr.count("\n") == 1 and "was stopped before its points were given; finished now" in shown.stderr
    assert _purchase_points(shop) == _purchase_points(whole)
    assert run(shop, "points", "show", "c1@example.org").stderr == ""  # healed once


def test_an_import_still_giving_its_points_is_left_to_it(shop, tmp_path):
    proc = _import_then("wait", shop, write_export(tmp_path / "orders.csv", 30, "W"))
    try:
        result = runner.invoke(app, ["doctor", "--db", str(shop)])
        assert "upkeep:    an import is giving its points now (it is still running)" in result.output
        assert _purchase_points(shop) == (0, 0)
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=60)
    assert "finished now" in runner.invoke(app, ["doctor", "--db", str(shop)]).output
    assert _purchase_points(shop)[0] == 30
