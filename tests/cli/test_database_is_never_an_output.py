"""No command writes an output over the shop's database, or reads it as an export: before this, `export
customers -o shop.db --db shop.db` renamed a CSV over the database (the shop gone, exit 0)."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "shop.db"
    export = tmp_path / "orders.csv"
    export.write_text(
        "Order ID,Date,Email,Total,Currency\n"
        "1,2026-11-01,ann@example.com,10.00,EUR\n"
        "2,2026-11-02,x@example.com,1x,EUR\n"
    )
    result = runner.invoke(
        app, ["import", str(export), "--db", str(path), "--skip-bad", "--rejects", str(tmp_path / "r.csv")]
    )
    assert result.exit_code == 0, result.output
    return path


def orders(path) -> int:
    with Store.open(path, create=False) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        return store.scalar("SELECT count(*) FROM orders")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "customers", "-o", "{db}"],
        ["export", "segments", "-o", "{db}-wal"],
        ["export", "calls", "-o", "{db}"],
        ["import", "{dir}/orders.csv", "--skip-bad", "--rejects", "{db}"],
        ["import", "{db}"],
    ],
)
def test_the_database_is_never_replaced_or_read_as_an_export(shop, args):
    command = [a.format(db=shop, dir=shop.parent) for a in args]
    result = runner.invoke(app, [*command, "--db", str(shop)])
    assert result.exit_code == 1, result.output
    assert "the shop's database" in result.output
    assert orders(shop) == 1
    assert sqlite3.connect(shop).execute("PRAGMA application_id").fetchone()[0] != 0
