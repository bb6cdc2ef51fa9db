from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from typer.testing import CliRunner

from shopkeep.calls import log_call
from shopkeep.cli import app
from shopkeep.clock import Clock
from shopkeep.store import Store

from .conftest import add_customer, add_order
from .helpers import AS_OF

runner = CliRunner()


@pytest.fixture
def db(shop, db_path):
    shop.clock = Clock.frozen("2026-10-01", dt.time(10))
    log_call(shop, 3, "will_return", reason="delivery", offer='=HYPERLINK("x")')
    shop.clock = Clock.frozen("2026-10-02", dt.time(10))
    log_call(shop, 4, "no_answer", reason="forgot")
    shop.close()
    return str(db_path)


def test_calls_table(db):
    result = runner.invoke(app, ["calls", "--db", db, "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "call list for 2026-11-23: 2 customers"
    assert lines[1].split() == ["customer", "name", "phone", "kind", "reason", "priority", "why"]
    assert lines[2].startswith("#2 ") and "first purchase" in lines[2] and "first order 5 days ago" in lines[2]
    assert "Anna {name}[/]" in lines[3] and "spent €1,240 in 9 orders" in lines[3]
    assert lines[-1] == "1 more has no phone; email or text them instead (Dorota (#4))"


def test_calls_csv_with_limit(db):
    result = runner.invoke(app, ["calls", "--db", db, "--as-of", "2026-11-23", "--format", "csv", "--limit", "1"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    # one place: win-backs and welcomes take turns, the slipping regular first
    assert [(r["customer"], r["phone"], r["reason"]) for r in rows] == [("#1", "+48600100200", "forgot about us")]


def test_bad_format_is_one_line_error(db):
    result = runner.invoke(app, ["calls", "--db", db, "--format", "xml"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: unknown format 'xml'; use table or csv"


def test_calls_results(db):
    result = runner.invoke(app, ["calls", "results", "--db", db, "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert lines[0] == "call results as of 2026-11-23 (won back = ordered within 30 days)"
    assert "calls made 2" in lines
    assert "reached 50% (1)" in lines
    assert "agreed to return 100% (1) about 60%" in lines
    assert "call → order 50% (1) about 15%" in lines  # Celina ordered within 30 days of her call
    assert "order vs earlier AOV +0% about +15%" in lines
    assert "delivery cost: 1 call, 1 reached, 1 won back" in lines
    assert "forgot about us: 1 call, 0 reached, 0 won back" in lines


def test_calls_lookback(shop, db_path):
    shop.clock = Clock.frozen("2026-11-23", dt.time(10))
    log_call(shop, 1, "will_return", reason="delivery", list_date=AS_OF)
    add_order(shop, 1, -5, 15_000)  # Anna orders five days after the call
    shop.close()
    args = ["calls", "lookback", "--days", "7", "--db", str(db_path), "--as-of", "2026-11-30"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "list of 2026-11-23: 2 customers, 1 ordered by 2026-11-30",
        "by reason:",
        "  delivery cost: 1 listed, 1 came back",
        "  first purchase: 1 listed, 0 came back",
        "by outcome:",
        "  not called: 1 listed, 0 came back",
        "  will return: 1 listed, 1 came back",
    ]


def test_export_calls_csv_neutralises_formulas(db, tmp_path):
    target = tmp_path / "calls.csv"
    result = runner.invoke(app, ["export", "calls", "--db", db, "--as-of", "2026-11-23", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote 2 calls to {target}"
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert [(r["called_at"], r["customer"], r["outcome"], r["reason"]) for r in rows] == [
        ("2026-10-01T10:00:00", "#3", "will_return", "delivery"),
        ("2026-10-02T10:00:00", "#4", "no_answer", "forgot"),
    ]
    assert rows[0]["offer"] == '\'=HYPERLINK("x")'
    assert rows[0]["name"] == "Celina"


def test_export_before_the_calls_is_empty(db):
    result = runner.invoke(app, ["export", "calls", "--db", db, "--as-of", "2026-09-30"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["called_at,customer,name,outcome,reason,offer,note,callback_on,list_date"]


def test_missing_database_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["calls", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.output.startswith("error: no database at ")


def test_export_calls_json_keeps_values(db):
    result = runner.invoke(app, ["export", "calls", "--db", db, "--as-of", "2026-11-23", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [(r["customer"], r["outcome"], r["offer"]) for r in records] == [
        ("#3", "will_return", '=HYPERLINK("x")'),
        ("#4", "no_answer", None),
    ]


def test_export_calls_unknown_format(db):
    result = runner.invoke(app, ["export", "calls", "--db", db, "--format", "xlsx"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: unknown format 'xlsx'; use one of: csv, json"


def test_calls_on_a_shop_without_orders(db_path):
    Store.open(db_path).close()
    result = runner.invoke(app, ["calls", "--db", str(db_path), "--as-of", "2026-11-23"])
    assert (result.exit_code, result.output) == (0, "nobody to call on 2026-11-23\n")


def test_a_shop_that_keeps_no_phones_names_only_the_most_valuable_twenty(shop, db_path):
    for cid in range(10, 40):  # 30 slipping regulars without a phone, the later ones worth more
        add_customer(shop, cid, f"Mail only {cid}", phone=None)
        for n in range(6):
            add_order(shop, cid, 90 + 20 * n, 1_000 * cid)
    shop.close()
    result = runner.invoke(app, ["calls", "--db", str(db_path), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert last.startswith("31 more have no phone; email or text them instead (Mail only 39 (#39), Mail only 38 (#38),")
    assert last.endswith(", Mail only 20 (#20) and 11 more)")
