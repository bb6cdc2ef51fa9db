"""Small shops in awkward currencies, end to end through the commands an owner runs: a Shopify export
is imported, then the points, the report and the CSV export show each amount exactly, in its currency."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from shopkeep.cli import app

runner = CliRunner()
NBSP = "\u00a0"
AS_OF = "2026-11-23"
# Shopify's own column names (orders_export.csv), a subset in Shopify's order; invented people.
HEADER = (
    "Name,Email,Financial Status,Currency,Shipping,Total,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Phone,Shipping City\n"
)


def shop(tmp_path, rows: str):
    path = tmp_path / "orders_export.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    db = tmp_path / "shop.db"
    # the loyalty programme started before these orders (else the first import starts it today): they earn
    started = runner.invoke(app, ["points", "rules", "--set", "start_day=2026-01-01", "--db", str(db)])
    assert started.exit_code == 0, started.output
    imported = runner.invoke(app, ["import", "--db", str(db), str(path)])
    assert imported.exit_code == 0, imported.output
    return db


def cli(db, *args):
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def exported(db) -> dict[str, dict[str, str]]:
    text = cli(db, "export", "customers", "--as-of", AS_OF)
    return {row["email"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_kuwaiti_shop_shows_fils_exactly_and_earns_points_by_the_scaled_rule(tmp_path):
    db = shop(
        tmp_path,
        "#1001,hala@example.com,paid,KWD,0.000,12.500,2026-11-10 10:00:00 +0300,1,Oud,12.500,O-1,Hala Saad,,Salmiya\n"
        "#1002,omar@example.com,paid,KWD,0.000,301.250,2026-11-12 10:00:00 +0300,1,Box,301.250,B-1,Omar Ali,,Hawalli\n",
    )
    hala = exported(db)["hala@example.com"]
    assert (hala["revenue"], hala["currency"], hala["aov"], hala["ltv"]) == ("12.500", "KWD", "12.500", "12.500")
    assert hala["points"] == "25"  # 1 point per 0.5 KWD (the dinar's price level), not 125 or 12500
    shown = cli(db, "points", "show", "hala@example.com", "--as-of", AS_OF).splitlines()
    assert shown[1:3] == ["points: 25", f"tier: Bronze (12-month spend KWD{NBSP}12.500): Points on every order"]
    omar = cli(db, "points", "show", "omar@example.com", "--as-of", AS_OF).splitlines()
    assert omar[2].startswith(f"tier: Silver (12-month spend KWD{NBSP}301.250)")  # Silver: 300 x 0.5 = 150 KWD
    assert f"Revenue (net of refunds and credit notes)    KWD{NBSP}313.750" in cli(db, "report", "--as-of", AS_OF)


def test_a_yen_shop_has_no_decimals_anywhere(tmp_path):
    db = shop(
        tmp_path,
        "#1,aiko@example.com,paid,JPY,0,1599,2026-11-10 10:00:00 +0900,1,Matcha,1599,MT-1,Aiko Sato,,Kyoto\n",
    )
    aiko = exported(db)["aiko@example.com"]
    assert (aiko["revenue"], aiko["currency"], aiko["points"]) == ("1599", "JPY", "15")  # a point per ¥100
    assert "Revenue (net of refunds and credit notes)    ¥1,599\n" in cli(db, "report", "--as-of", AS_OF)


def test_a_cfa_franc_shop_reads_1250_as_1250(tmp_path):
    db = shop(
        tmp_path,
        "#7,awa@example.com,paid,XOF,0,1250,2026-11-10 10:00:00 +0000,1,Bissap,1250,BS-1,Awa Diop,,Dakar\n"
        '#8,awa@example.com,paid,XOF,0,"1 000",2026-11-11 10:00:00 +0000,1,Bissap,1000,BS-1,Awa Diop,,Dakar\n',
    )
    awa = exported(db)["awa@example.com"]
    assert (awa["revenue"], awa["aov"], awa["points"]) == ("2250", "1125", "4")  # 500 XOF a point
    report = cli(db, "report", "--as-of", AS_OF)
    assert f"Revenue (net of refunds and credit notes)    F{chr(0x202F)}CFA{NBSP}2,250" in report


def test_a_two_currency_shop_shows_each_customer_in_their_own_currency_never_a_silent_zero(tmp_path):
    db = shop(
        tmp_path,
        "#1,eva@example.com,paid,EUR,0.00,40.00,2026-10-01 10:00:00 +0100,1,Tea,40.00,T-1,Eva Berg,,Wien\n"
        "#2,eva@example.com,paid,EUR,0.00,10.00,2026-10-20 10:00:00 +0100,1,Tea,10.00,T-1,Eva Berg,,Wien\n"
        "#3,max@example.com,paid,EUR,0.00,25.00,2026-10-05 10:00:00 +0100,1,Mug,25.00,M-1,Max Roth,,Graz\n"
        "#4,max@example.com,paid,USD,0.00,30.00,2026-10-06 10:00:00 +0100,1,Mug,30.00,M-1,Max Roth,,Graz\n"
        "#5,kim@example.com,paid,USD,0.00,120.00,2026-10-07 10:00:00 +0100,1,Pot,120.00,P-1,Kim Lee,,Boston\n",
    )
    rows = exported(db)
    eva, max_, kim = rows["eva@example.com"], rows["max@example.com"], rows["kim@example.com"]
    assert (eva["revenue"], eva["currency"], eva["other_currencies"]) == ("50.00", "EUR", "")
    assert (max_["revenue"], max_["currency"], max_["other_currencies"]) == ("25.00", "EUR", "30.00 USD")
    assert (kim["revenue"], kim["currency"], kim["aov"], kim["ltv"]) == ("120.00", "USD", "120.00", "120.00")
    assert kim["ltv_predicted"] == ""  # the model predicts in the shop currency only: unknown, not 0.00


def test_segments_members_show_other_currencies_each_in_its_own(tmp_path):
    from shopkeep.customer_export import other_currencies
    from shopkeep.retention import compute
    from shopkeep.store import Store
    from shopkeep.tui.screens.segments import COLUMNS, member_row

    db = shop(
        tmp_path,
        "#1,eva@example.com,paid,EUR,0.00,40.00,2026-10-01 10:00:00 +0100,1,Tea,40.00,T-1,Eva Berg,,Wien\n"
        "#3,max@example.com,paid,EUR,0.00,25.00,2026-10-05 10:00:00 +0100,1,Mug,25.00,M-1,Max Roth,,Graz\n"
        "#4,max@example.com,paid,USD,0.00,30.00,2026-10-06 10:00:00 +0100,1,Mug,30.00,M-1,Max Roth,,Graz\n"
        "#5,kim@example.com,paid,USD,0.00,120.00,2026-10-07 10:00:00 +0100,1,Pot,120.00,P-1,Kim Lee,,Boston\n",
    )
    import datetime as dt

    with Store.open(db) as store:
        retention = compute(store, dt.date(2026, 11, 23))
        elsewhere = other_currencies(store, retention)
    spent = [key for key, *_ in COLUMNS].index("revenue")
    shown = {m.email: member_row(m, elsewhere.get(m.id))[spent] for m in retention.customers.values()}
    assert shown == {"eva@example.com": "€40.00", "max@example.com": "€25.00 + $30.00", "kim@example.com": "$120.00"}
