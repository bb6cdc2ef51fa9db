"""A run that fails, or only looks (--dry-run), leaves no database behind (issue 13 point 16)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.paths import default_db_path
from shopkeep.store import Store

runner = CliRunner()
ORDERS = """Order ID,Date,Email,Total,Currency,Status
1,2026-01-02,a@example.com,10.00,EUR,paid
2,2026-01-03,b@example.com,20.00,EUR,paid
"""


@pytest.fixture
def orders(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    return path


def files_beside(db):
    return sorted(p.name for p in db.parent.iterdir()) if db.parent.exists() else []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "shopifx"], "unknown --format 'shopifx'"),
        (["--date-format", "DD.MM"], "unknown date format 'DD.MM'"),
        (["--map", "nonsense=Total"], "unknown field 'nonsense'"),
        (["--skip-bad", "--rejects", "no-such-folder/rejects.csv"], "the folder for the rejects file does not exist"),
    ],
)
def test_a_mistyped_option_creates_no_database(tmp_path, orders, args, says):
    db = tmp_path / "shop" / "new.db"
    result = runner.invoke(app, ["import", str(orders), "--db", str(db), *args])
    assert result.exit_code == 1
    assert says in result.stderr and len(result.stderr.splitlines()) == 1
    assert files_beside(db) == []


def test_a_missing_file_creates_no_database_and_imports_none_of_the_others(tmp_path, orders):
    db = tmp_path / "shop" / "new.db"
    result = runner.invoke(app, ["import", str(orders), str(tmp_path / "typo.csv"), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr == f"error: no such file: {tmp_path / 'typo.csv'}; nothing was imported\n"
    assert files_beside(db) == []


def test_a_missing_file_creates_no_default_database_either(tmp_path):
    result = runner.invoke(app, ["import", str(tmp_path / "typo.csv")])
    assert result.exit_code == 1
    assert not default_db_path().exists()
    assert not default_db_path().parent.exists()


def test_a_dry_run_without_a_database_shows_the_figures_and_creates_nothing(tmp_path, orders):
    db = tmp_path / "shop" / "new.db"
    result = runner.invoke(app, ["import", str(orders), "--db", str(db), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "orders.csv (dry run, nothing written): 2 rows read; orders 2 new" in result.stdout
    assert files_beside(db) == []
    again = runner.invoke(app, ["import", str(orders), "--dry-run"])  # the default database
    assert again.exit_code == 0, again.output
    assert not default_db_path().exists()


def test_a_dry_run_on_an_existing_database_reads_it_and_changes_nothing(tmp_path, orders, db_path):
    assert runner.invoke(app, ["import", str(orders), "--db", str(db_path)]).exit_code == 0
    result = runner.invoke(app, ["import", str(orders), "--db", str(db_path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "orders 0 new, 2 already known" in result.stdout
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM imports") == 1


def test_a_failing_dry_run_creates_nothing(tmp_path):
    no_currency = tmp_path / "orders.csv"
    no_currency.write_text("Order ID,Date,Email,Total\n1,2026-01-02,a@example.com,10.00\n", encoding="utf-8")
    db = tmp_path / "shop" / "new.db"
    result = runner.invoke(app, ["import", str(no_currency), "--db", str(db), "--dry-run"])
    assert result.exit_code == 1
    assert "currency" in result.stderr
    assert files_beside(db) == []


def test_a_first_import_that_fails_leaves_no_empty_database(tmp_path):
    no_currency = tmp_path / "orders.csv"
    no_currency.write_text("Order ID,Date,Email,Total\n1,2026-01-02,a@example.com,10.00\n", encoding="utf-8")
    db = tmp_path / "shop" / "new.db"
    result = runner.invoke(app, ["import", str(no_currency), "--db", str(db)])
    assert result.exit_code == 1 and "currency" in result.stderr
    assert files_beside(db) == []
    again = runner.invoke(app, ["import", str(no_currency), "--db", str(db), "--currency", "EUR"])
    assert again.exit_code == 0, again.output
    assert files_beside(db) and runner.invoke(app, ["import", str(no_currency), "--db", str(db)]).exit_code == 0


@pytest.mark.parametrize(
    "command", [["points", "show", "a@example.com"], ["points", "rules"], ["referrals", "leaderboard"]]
)
def test_points_and_referrals_without_a_database_create_none(tmp_path, command):
    db = tmp_path / "shop" / "new.db"
    result = runner.invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == 1 and "no database" in result.stderr
    assert files_beside(db) == []


def test_the_points_rules_may_be_set_before_the_first_import(tmp_path, orders):
    db = tmp_path / "shop" / "new.db"
    started = runner.invoke(app, ["points", "rules", "--set", "start_day=2026-01-01", "--db", str(db)])
    assert started.exit_code == 0, started.output
    assert runner.invoke(app, ["import", str(orders), "--db", str(db)]).exit_code == 0
