from __future__ import annotations

import csv
import io
import json
import stat

from typer.testing import CliRunner

from shopkeep.cli import app
from tests.retention.conftest import add_customer, add_history, add_order

runner = CliRunner()
# The issue names these columns exactly (retention first, then loyalty).
CUSTOMER_COLUMNS = [
    "customer",
    "name",
    "email",
    "phone",
    "orders",
    "first_order",
    "last_order",
    "revenue",
    "currency",
    "aov",
    "recency_days",
    "r_score",
    "f_score",
    "m_score",
    "segment",
    "groups",
    "churn_risk",
    "expected_next_order",
    "ltv",
    "ltv_predicted",
    "points",
    "tier",
    "referrals",
    "other_currencies",  # money in currencies other than the shop's, each with its code
]


def _export(db_path, *args):
    return runner.invoke(app, ["export", *args, "--db", str(db_path), "--as-of", "2026-06-30"])


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_export_customers_csv_has_exactly_the_columns_and_keeps_ids_as_text(store, db_path):
    a = add_history(store, ["2026-05-01", "2026-06-01"], total=129_950, external_id="000042", name="Ann")
    b = add_history(store, ["2026-06-20"], total=1_000, name='=HYPERLINK("http://x")', phone="+48601234567")
    add_order(store, a, "2026-07-15", 5_000)  # after the as-of day: not yet placed
    result = _export(db_path, "customers")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert header.split(",") == list(CUSTOMER_COLUMNS)
    rows = {r["customer"]: r for r in _rows(result.stdout)}
    ann = rows["000042"]
    assert (ann["orders"], ann["first_order"], ann["last_order"]) == ("2", "2026-05-01", "2026-06-01")
    assert (ann["revenue"], ann["currency"], ann["aov"]) == ("2599.00", "EUR", "1299.50")
    assert 0 <= float(ann["churn_risk"]) <= 1 and len(ann["churn_risk"]) == 4
    assert ann["groups"] == "repeat buyers;full-price buyers"
    other = rows[f"#{b}"]  # no platform id: shopkeep's own number
    assert other["name"] == '\'=HYPERLINK("http://x")'
    assert other["phone"] == "+48601234567"


def test_forgotten_customers_export_with_empty_personal_fields(store, db_path):
    cid = add_history(store, ["2026-06-01"], name="Jan", email="jan@example.com", forgotten=True)
    row = _rows(_export(db_path, "customers").stdout)[0]
    assert row["customer"] == f"#{cid}"
    assert (row["name"], row["email"], row["phone"]) == ("", "", "")
    assert row["orders"] == "1"


def test_segment_filter_json_and_private_file(store, db_path, tmp_path):
    add_history(store, [f"2026-0{m}-10" for m in range(1, 7)], total=9_000, external_id="A")
    add_history(store, ["2025-01-10"], total=500, external_id="B")
    target = tmp_path / "sleeping.json"
    result = _export(db_path, "customers", "--segment", "hibernating", "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = json.loads(target.read_text(encoding="utf-8-sig"))
    assert [d["customer"] for d in data] == ["B"] and data[0]["segment"] == "Hibernating"
    assert list(data[0]) == list(CUSTOMER_COLUMNS)


def test_unknown_segment_or_format_is_one_clear_line(store, db_path):
    add_customer(store)
    bad = _export(db_path, "customers", "--segment", "Sleepers")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: unknown segment 'Sleepers'") and len(bad.stderr.splitlines()) == 1
    fmt = _export(db_path, "customers", "--format", "xlsx")
    assert fmt.exit_code == 1 and fmt.stderr.strip() == "error: unknown format 'xlsx' (use csv or json)"


def test_missing_database_is_an_error_not_a_new_file(tmp_path):
    missing = tmp_path / "nope.db"
    result = _export(missing, "customers")
    assert result.exit_code == 1 and "no database" in result.stderr
    assert not missing.exists()


def test_export_segments_lists_every_segment_with_revenue_and_share(store, db_path):
    add_history(store, ["2026-06-01", "2026-06-20"], total=3_000)
    add_history(store, ["2025-01-01"], total=1_000)
    result = _export(db_path, "segments")
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert len(rows) == 11 and list(rows[0]) == ["name", "customers", "revenue", "share"]
    assert sum(int(r["customers"]) for r in rows) == 2
    assert sum(float(r["share"]) for r in rows) == 1.0
    assert {r["revenue"] for r in rows if r["customers"] != "0"} == {"60.00", "10.00"}


def test_customers_export_carries_points_tier_and_referrals(store, db_path):
    from shopkeep import loyalty, referrals

    ann = add_history(store, ["2026-05-01", "2026-06-01"], total=50_000, external_id="A1", name="Ann")
    bob = add_history(store, ["2026-06-10"], total=1_000, external_id="B1", name="Bob")
    loyalty.add_points(store, ann, 120, reason="review")
    referrals.link_referral(store, bob, ann)
    rows = {r["customer"]: r for r in _rows(_export(db_path, "customers").stdout)}
    assert (rows["A1"]["points"], rows["A1"]["tier"], rows["A1"]["referrals"]) == ("120", "Gold", "1")
    assert (rows["B1"]["points"], rows["B1"]["tier"], rows["B1"]["referrals"]) == ("0", "Bronze", "0")
