"""Issue 19: the loyalty programme has a start day. The first import starts it (and says so); orders before
it earn nothing, so years of history are not awarded and expired in one breath. A ledger from before start
days keeps every entry; the owner may move the day."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from shopkeep import loyalty
from shopkeep.cli import app
from shopkeep.store import loyalty as loyalty_sql
from shopkeep.upkeep import after_import
from tests.loyalty.conftest import add_customer, add_order, ledger
from tests.store.procs import HEADER, write_export

runner = CliRunner()
TODAY = "2026-12-05"


def _purchases(store) -> tuple[int, int]:
    row = store.one(
        "SELECT count(*) AS n, coalesce(sum(delta), 0) AS points FROM loyalty_ledger WHERE reason = 'purchase'"
    )
    return row["n"], row["points"]


def test_the_first_import_starts_the_programme_today_and_history_earns_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPKEEP_TODAY", TODAY)
    db = tmp_path / "shop.db"
    history = write_export(tmp_path / "history.csv", 200, "H")  # orders from January to October 2026
    first = runner.invoke(app, ["import", str(history), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert (
        "loyalty starts on 2026-12-05: earlier orders earn no points"
        " (shopkeep points rules --set start_day=YYYY-MM-DD)\n" in first.output
    )
    assert "points: 0 awarded on 0 orders, 0 taken back on 0 refunded orders, 0 expired" in first.output

    today = tmp_path / "today.csv"
    today.write_text(HEADER + "T1,2026-12-05,C1,c1@example.org,+48600000001,Customer 1,50.00,PLN,paid\n")
    second = runner.invoke(app, ["import", str(today), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "loyalty starts" not in second.output  # said once, by the first import
    assert "points: 10 awarded on 1 order" in second.output  # 50 PLN at the usual 5 PLN a unit

    shown = runner.invoke(app, ["points", "rules", "--db", str(db)])
    assert "start_day                2026-12-05" in shown.output


def test_moving_the_start_day_back_awards_the_orders_since_then(store):
    cid = add_customer(store)
    add_order(store, cid, 5000, at="2026-03-10T12:00:00")
    add_order(store, cid, 7000, at="2026-06-20T12:00:00")
    after_import(store, dt.date(2026, 6, 30))
    assert _purchases(store) == (0, 0)

    loyalty.save_rules(store, loyalty.change_rules(loyalty.load_rules(store), {"start_day": "2026-06-01"}))
    done = after_import(store, dt.date(2026, 6, 30))
    assert done.purchases.orders_awarded == 1 and _purchases(store) == (1, 70)
    assert not any(line.startswith("loyalty starts") for line in done.lines())


def test_a_bad_start_day_is_refused_with_the_reason(store, db_path):
    result = runner.invoke(app, ["points", "rules", "--set", "start_day=05.12.2026", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == "error: start_day: not a day '05.12.2026' (write it as YYYY-MM-DD)\n"
    assert loyalty.load_rules(store).start_day is None


def test_a_ledger_from_before_start_days_is_kept_as_it_is(store):
    cid = add_customer(store)
    add_order(store, cid, 5000, at="2026-03-10T12:00:00")
    add_order(store, cid, 7000, at="2026-06-20T12:00:00")
    loyalty.sync_purchase_points(store, dt.date(2026, 6, 30))  # what upkeep did before start days
    before = ledger(store, cid)
    assert [e["delta"] for e in before] == [50, 70]

    add_order(store, cid, 3000, at="2026-07-02T12:00:00")
    done = after_import(store, dt.date(2026, 7, 2))
    assert loyalty.load_rules(store).start_day == dt.date(2026, 3, 10)  # the earliest order that earned
    assert ledger(store, cid)[:2] == before
    assert [e["delta"] for e in ledger(store, cid)] == [50, 70, 30]
    assert done.lines()[0].startswith("loyalty starts on 2026-03-10")


def test_a_shop_without_orders_has_no_start_day_yet(store):
    assert after_import(store, dt.date(2026, 6, 30)).start is None
    assert loyalty.load_rules(store).start_day is None


def test_upkeep_reads_the_history_in_chunks_and_awards_every_order(store, monkeypatch):
    monkeypatch.setattr(loyalty_sql, "CHUNK", 3)
    cid = add_customer(store)
    for day in range(1, 11):
        add_order(store, cid, 1000 * day, at=f"2026-06-{day:02d}T12:00:00")
    loyalty.save_rules(store, loyalty.LoyaltyRules(start_day=dt.date(2026, 6, 3)))
    result = loyalty.sync_purchase_points(store, dt.date(2026, 6, 30))
    assert result.orders_awarded == 8 and result.points_awarded == sum(10 * d for d in range(3, 11))
    assert loyalty.sync_purchase_points(store, dt.date(2026, 6, 30)).orders_awarded == 0  # idempotent
