from __future__ import annotations

from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()

EXPORT = """Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status
A1,2026-03-01,000731,zofia.nowak@example.pl,+48 600 700 800,Zofia Nowak,120.00,PLN,paid
A2,2026-05-01,000731,zofia.nowak@example.pl,+48 600 700 800,Zofia Nowak,80.00,PLN,paid
B1,2026-04-01,000999,jan@example.pl,,Jan Lis,50.00,PLN,paid
"""
LATER = """Order ID,Order Date,Email,Phone,Name,Total,Currency,Status
C1,2026-06-01,zofia.nowak@example.pl,600700800,Zofia Nowak,30.00,PLN,paid
"""


def _import(db, path):
    result = runner.invoke(app, ["import", str(path), "--db", str(db), "--country", "PL"])
    assert result.exit_code == 0, result.output
    return result


def test_forget_then_reimport_does_not_bring_the_person_back(tmp_path, db_path):
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    _import(db_path, export)
    result = runner.invoke(app, ["forget", "zofia.nowak@example.pl", "--db", str(db_path)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "forgotten" in result.output
    assert "Zofia" not in result.output and "zofia" not in result.output.lower().split("forget")[-1]
    _import(db_path, export)  # the old file again
    later = tmp_path / "later.csv"
    later.write_text(LATER, encoding="utf-8")
    _import(db_path, later)  # a new order by phone only
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM customers WHERE name LIKE '%Zofia%' OR email LIKE 'zofia%'") == 0
        assert store.scalar("SELECT count(*) FROM customers WHERE phone = '+48600700800'") == 0
        assert store.scalar("SELECT count(*) FROM customers") == 2
        forgotten = store.one("SELECT id, forgotten_at FROM customers WHERE forgotten_at IS NOT NULL")
        # the shop's figures keep every order, attached to the anonymous customer
        assert store.scalar("SELECT sum(total) FROM orders WHERE customer_id = ?", (forgotten["id"],)) == 23000
    data = db_path.read_bytes()
    assert b"zofia.nowak@example.pl" not in data


def test_forget_asks_and_can_be_refused(tmp_path, db_path):
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    _import(db_path, export)
    result = runner.invoke(app, ["forget", "#1", "--db", str(db_path)], input="n\n")
    assert result.exit_code == 1
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM customers WHERE forgotten_at IS NOT NULL") == 0


def test_forget_unknown_customer_is_one_clear_line(db_path):
    Store.open(db_path).close()
    result = runner.invoke(app, ["forget", "nobody@example.com", "--yes", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output.strip() == "error: no customer matches that reference, email or phone (shopkeep find helps)"
