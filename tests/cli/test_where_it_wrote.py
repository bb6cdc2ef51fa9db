"""Backups and exports say where they wrote; a backup into a folder is a file in that folder; --help shows
plain placeholders (issue 15 point 6)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from tests.cli.test_db_everywhere import commands

runner = CliRunner()
ORDERS = """Order ID,Date,Email,Total,Currency,Status
1,2026-01-02,a@example.com,10.00,EUR,paid
2,2026-01-03,b@example.com,20.00,EUR,paid
3,2026-02-03,a@example.com,30.00,EUR,paid
"""
STAMPED = r"shop-\d{8}-\d{6}(-\d+)?\.db"


@pytest.fixture
def shop(tmp_path, db_path):
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    assert runner.invoke(app, ["import", str(orders), "--db", str(db_path)]).exit_code == 0
    return db_path


def customers_in(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    finally:
        conn.close()


def test_backup_into_a_missing_folder_with_a_slash_creates_it_and_a_timestamped_copy(tmp_path, shop):
    folder = tmp_path / "bk"
    result = runner.invoke(app, ["backup", f"{folder}/", "--db", str(shop)])
    assert result.exit_code == 0, result.output
    assert folder.is_dir()
    (written,) = folder.iterdir()
    assert re.fullmatch(STAMPED, written.name)
    assert result.stdout == f"wrote a backup to {written}\n"
    assert customers_in(written) == 2
    then = runner.invoke(app, ["backup", str(folder / "x.db"), "--db", str(shop)])  # was NotADirectoryError
    assert then.exit_code == 0, then.output
    assert then.stdout == f"wrote a backup to {folder / 'x.db'}\n"


def test_backup_into_an_existing_folder_twice_keeps_both(tmp_path, shop):
    folder = tmp_path / "bk"
    folder.mkdir()
    for _ in range(2):
        assert runner.invoke(app, ["backup", str(folder), "--db", str(shop)]).exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and all(re.fullmatch(STAMPED, n) for n in names)


def test_backup_says_the_absolute_path_of_a_relative_target(tmp_path, shop, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["backup", "copies/monday.db", "--db", str(shop)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote a backup to {tmp_path / 'copies' / 'monday.db'}\n"


def test_backup_under_a_file_is_one_clear_line(tmp_path, shop):
    (tmp_path / "bk").write_text("not a folder")
    result = runner.invoke(app, ["backup", str(tmp_path / "bk" / "x.db"), "--db", str(shop)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {tmp_path / 'bk'} is a file, not a folder: {tmp_path / 'bk' / 'x.db'} was not written\n"
    )
    slash = runner.invoke(app, ["backup", f"{tmp_path / 'bk'}/", "--db", str(shop)])
    assert slash.exit_code == 1
    assert "is a file, not a folder" in slash.stderr and "internal error" not in slash.stderr


def test_exports_say_how_many_and_where_with_an_absolute_path(tmp_path, shop, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = ["--db", str(shop), "--as-of", "2026-03-01"]
    customers = runner.invoke(app, ["export", "customers", *base, "-o", "customers.csv"])
    assert customers.exit_code == 0, customers.output
    assert customers.stderr == f"wrote 2 customers to {tmp_path / 'customers.csv'}\n"
    one = runner.invoke(app, ["export", "customers", *base, "--segment", "New Customers", "-o", "new.csv"])
    assert one.exit_code == 0, one.output
    assert re.fullmatch(rf"wrote \d+ customers? to {re.escape(str(tmp_path / 'new.csv'))}\n", one.stderr)
    segments = runner.invoke(app, ["export", "segments", *base, "-o", "segments.json", "--format", "json"])
    assert segments.exit_code == 0, segments.output
    assert re.fullmatch(rf"wrote \d+ segments to {re.escape(str(tmp_path / 'segments.json'))}\n", segments.stderr)
    calls = runner.invoke(app, ["export", "calls", *base, "-o", "calls.csv"])
    assert calls.exit_code == 0, calls.output
    assert calls.stderr == f"wrote 0 calls to {tmp_path / 'calls.csv'}\n"


def test_an_export_to_a_folder_is_refused_before_any_work(tmp_path, shop):
    result = runner.invoke(app, ["export", "customers", "--db", str(shop), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path} is a folder: give a file name\n"


# Typer's type names as placeholders: `<list[Path]>`, `<int range>`, `<str>`, `<path>`, `{customer}`.
TYPE_PLACEHOLDER = re.compile(r"<(list\[[^\]]*\]|[a-z]+ range|str|int|float|bool|path|text|[a-z]+\|[a-z|]+)>")


def test_no_help_shows_a_type_name_as_a_placeholder():
    checked = 0
    for path in [(), *(p for p, _ in commands())]:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, result.output
        where = f"shopkeep {' '.join(path)} --help"
        assert not TYPE_PLACEHOLDER.search(result.output), f"{where}: {TYPE_PLACEHOLDER.search(result.output)[0]}"
        usage = result.output.splitlines()[0]
        assert "{" not in usage and "<" not in usage, f"{where}: {usage}"
        checked += 1
    assert checked >= 20


def test_help_uses_the_readmes_words():
    imported = runner.invoke(app, ["import", "--help"]).output
    assert "Usage: shopkeep import [OPTIONS] FILE..." in imported
    assert "DD/MM/YYYY" in imported and "%d/%m/%Y" not in imported
    assert "--map FIELD=HEADER" in imported
    points = runner.invoke(app, ["points", "add", "--help"]).output
    assert "Usage: shopkeep points add [OPTIONS] CUSTOMER AMOUNT" in points
    backup = runner.invoke(app, ["backup", "--help"]).output
    assert "Usage: shopkeep backup [OPTIONS] [PATH]" in backup
