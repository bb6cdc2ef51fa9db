"""Today in a Kuwaiti shop: the facts show dinars to the fils and a promise is typed in dinars."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from shopkeep.cli import app as cli
from tests.tui.test_today import make, ready, text, until

NBSP = "\u00a0"
# Shopify's column names (orders_export.csv); an invented customer whose first order was 5 days ago.
EXPORT = (
    "Name,Email,Financial Status,Currency,Shipping,Total,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Phone,Shipping City\n"
    "#1001,hala@example.com,paid,KWD,0.000,12.500,2026-11-18 10:00:00 +0300,1,Oud,12.500,O-1,Hala Saad,"
    "+965 5000 1234,Salmiya\n"
)


async def test_a_kwd_customer_reads_in_dinars_and_a_promise_refuses_a_fourth_decimal(tmp_path):
    source = tmp_path / "orders_export.csv"
    source.write_text(EXPORT, encoding="utf-8")
    db = tmp_path / "shop.db"
    assert CliRunner().invoke(cli, ["import", "--db", str(db), str(source)]).exit_code == 0
    app = make(db)
    assert app.as_of == dt.date(2026, 11, 23)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert f"Orders     1 · KWD{NBSP}12.500 in all" in text(app, "#facts")  # was "125 KWD"
        await pilot.press("m")
        await until(pilot, lambda: app.screen.query("#promise-amount"), "the promise dialog")
        dialog = app.screen
        amount = dialog.query_one("#promise-amount")
        amount.value = "2.5005"
        amount.focus()
        await pilot.press("enter")
        await until(pilot, lambda: "too many decimals" in text(app, "#promise-error"), "the error")
        assert str(dialog.query_one("#promise-error").render()) == "too many decimals: KWD has 3 (e.g. 12.500)"
