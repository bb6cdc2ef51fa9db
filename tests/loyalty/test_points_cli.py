from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from shopkeep import loyalty
from shopkeep.cli import app
from tests.loyalty.conftest import add_customer, add_order

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, [*args, "--db", str(db_path)])


def test_add_redeem_and_show_by_email_phone_and_id(shop, db_path):
    cid = add_customer(shop, email="anna@example.com", phone="+48601234567", external_id="C-17")
    add_order(shop, cid, 31000, at="2026-06-01T10:00:00")
    loyalty.sync_purchase_points(shop, dt.date(2026, 6, 30))

    added = run(db_path, "points", "add", "anna@example.com", "50", "--reason", "review")
    assert added.exit_code == 0, added.output
    assert added.output == "added 50 points to Anna Kowalska (C-17); balance 360\n"  # the platform's id
    redeemed = run(db_path, "points", "redeem", "601 234 567", "60", "--reason", "discount at the till")
    assert redeemed.exit_code == 0, redeemed.output
    assert redeemed.output == "redeemed 60 points from Anna Kowalska (C-17); balance 300\n"

    shown = runner.invoke(app, ["points", "show", f"#{cid}", "--db", str(db_path), "--as-of", "2026-06-30"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[:3] == [
        "Anna Kowalska (C-17)",
        "points: 300",
        "tier: Silver (12-month spend €310.00): Points on every order, free delivery once a quarter",
    ]
    assert lines[3].startswith("2026-06-01T10:00:00  +310  purchase  order:")
    assert lines[4].endswith("+50  review  review")
    assert lines[5].endswith("-60  redeem  discount at the till")
    assert [e.reason for e in loyalty.history(shop, cid)] == ["purchase", "review", "redeem"]
    assert run(db_path, "points", "show", "C-17").exit_code == 0


def test_overdraw_is_refused_with_a_clear_line_and_nothing_changes(shop, db_path):
    cid = add_customer(shop, email="anna@example.com")
    loyalty.add_points(shop, cid, 40)
    result = run(db_path, "points", "redeem", f"#{cid}", "41", "--reason", "too much")
    assert result.exit_code == 1
    assert result.stderr == f"error: customer #{cid} has 40 points; cannot redeem 41\n"
    assert "Traceback" not in result.output
    assert loyalty.balance(shop, cid) == 40
    assert shop.scalar("SELECT count(*) FROM loyalty_ledger") == 1


def test_unknown_customer_exits_1_without_echoing_the_query(shop, db_path):
    add_customer(shop, email="anna@example.com")
    result = run(db_path, "points", "add", "someone@example.com", "10", "--reason", "bonus")
    assert result.exit_code == 1
    assert result.stderr == "error: no customer matches that reference, email or phone (shopkeep find helps)\n"
    assert shop.scalar("SELECT count(*) FROM loyalty_ledger") == 0


def test_zero_or_negative_amount_is_a_usage_error(shop, db_path):
    cid = add_customer(shop)
    result = run(db_path, "points", "add", f"#{cid}", "0", "--reason", "x")
    assert result.exit_code == 2
    assert shop.scalar("SELECT count(*) FROM loyalty_ledger") == 0


def test_expiring_and_sync_commands(shop, db_path):
    cid = add_customer(shop)
    add_order(shop, cid, 12000, at="2025-07-15T10:00:00")
    assert run(db_path, "points", "rules", "--set", "start_day=2025-01-01").exit_code == 0
    synced = run(db_path, "points", "sync", "--as-of", "2026-06-30")
    assert synced.exit_code == 0, synced.output
    first_line = synced.output.splitlines()[0]
    assert first_line == "points: 120 awarded on 1 order, 0 taken back on 0 refunded orders, 0 expired"
    expiring = run(db_path, "points", "expiring", "--as-of", "2026-06-30")
    assert expiring.output == f"Anna Kowalska (#{cid})\t120\t2026-07-15\n"


def test_referrals_link_chain_and_leaderboard_commands(shop, db_path):
    a = add_customer(shop, "Alice [/]", email="alice@example.com")
    b = add_customer(shop, "Bob", phone="+48600000002")
    linked = run(db_path, "referrals", "link", "+48 600 000 002", "alice@example.com")
    assert linked.exit_code == 0, linked.output
    assert linked.output == f"Bob (#{b}) was sent by Alice [/] (#{a})\n"
    again = run(db_path, "referrals", "link", f"#{b}", f"#{a}")
    assert again.exit_code == 1 and again.stderr == f"error: customer #{b} was already referred by #{a}\n"
    chain = run(db_path, "referrals", "chain", f"#{b}")
    assert chain.output == f"sent by: Alice [/] (#{a})\nBob (#{b})\n"
    board = run(db_path, "referrals", "leaderboard", "--period", "ever")
    assert board.output == f"Alice [/] (#{a})\t1\t€0.00\n"


def test_rules_can_be_shown_and_changed_from_now_on(tmp_path):
    from shopkeep.store import Store

    db = tmp_path / "rules.db"
    Store.open(db).close()
    shown = runner.invoke(app, ["points", "rules", "--db", str(db)])
    assert shown.exit_code == 0 and "points_per_unit          1" in shown.stdout
    changed = runner.invoke(
        app, ["points", "rules", "--set", "points_per_unit=2.5", "--set", "expiry_months=18", "--db", str(db)]
    )
    assert changed.exit_code == 0, changed.output
    assert "points_per_unit          2.5" in changed.stdout and "expiry_months            18" in changed.stdout
    bad = runner.invoke(app, ["points", "rules", "--set", "expiry_months=-1", "--db", str(db)])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: expiry_months:")
    unknown = runner.invoke(app, ["points", "rules", "--set", "cashback=5", "--db", str(db)])
    assert unknown.exit_code == 1 and "unknown rule 'cashback'" in unknown.stderr
    again = runner.invoke(app, ["points", "rules", "--db", str(db)])
    assert "points_per_unit          2.5" in again.stdout


def test_rules_show_the_price_level_and_tiers_in_the_shops_money(shop, db_path):
    shop.set_setting("currency", "BDT")
    shown = run(db_path, "points", "rules")
    assert shown.exit_code == 0, shown.output
    assert "price_level              100 (the usual level for BDT: 1 unit = 100 BDT)" in shown.stdout
    assert "tier Silver              from 300 units (BDT\u00a030,000) a year:" in shown.stdout
    own = run(db_path, "points", "rules", "--set", "price_level=50")
    assert own.exit_code == 0, own.output
    assert "price_level              50 (set for this shop: 1 unit = 50 BDT)" in own.stdout
    assert "tier Silver              from 300 units (BDT\u00a015,000) a year:" in own.stdout
    bad = run(db_path, "points", "rules", "--set", "price_level=0")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: price_level:")


def test_a_bad_rule_value_is_said_in_the_owners_words_and_nothing_changes(shop, db_path, monkeypatch):
    before = loyalty.load_rules(shop)
    said = {}
    for value in (
        "points_per_unit=abc",
        "points_per_unit=nan",
        "review_points=1.5",
        "review_points=-3",
        "price_level=0",
    ):
        result = run(db_path, "points", "rules", "--set", value)
        assert result.exit_code != 0
        said[value] = result.output.strip().splitlines()[-1]
    assert said == {
        "points_per_unit=abc": "error: points_per_unit: 'abc' is not a number",
        "points_per_unit=nan": "error: points_per_unit: 'nan' is not a number",
        "review_points=1.5": "error: review_points: '1.5' is not a whole number",
        "review_points=-3": "error: review_points: must be 0 or more",
        "price_level=0": "error: price_level: must be more than 0",
    }
    monkeypatch.setenv("LANGUAGE", "pl")  # and in the owner's language, not pydantic's English
    polish = run(db_path, "points", "rules", "--set", "review_points=1.5")
    assert polish.output.strip().splitlines()[-1] == "błąd: review_points: '1.5' nie jest liczbą całkowitą"
    assert loyalty.load_rules(shop) == before
