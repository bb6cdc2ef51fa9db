"""Issue 15 §3: a new shop is filled from inside the app: `i` on the first-run screen (or "Import orders" in
ctrl+p) asks for the file, the same importer as `shopkeep import` runs with the rows counted, the summary is the
command's own line, and the screens show the customers at once. A bad file is refused in one line, naming the
line and the reason but no customer's data, and nothing of it is written."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from shopkeep.cli import app as cli
from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from tests.conftest import messages, record_notifications, until
from tests.importing.real_exports import SHOPIFY, UCI, write_export
from tests.tui.test_today import text

AS_OF = dt.date(2026, 12, 5)


def _order(number: str, email: str, name: str, phone: str, day: str, total: str) -> dict[str, str]:
    return {
        "Name": number,
        "Email": email,
        "Financial Status": "paid",
        "Paid at": f"{day} 10:05:00 +0100",
        "Currency": "GBP",
        "Subtotal": total,
        "Shipping": "0.00",
        "Total": total,
        "Created at": f"{day} 10:00:00 +0100",
        "Lineitem quantity": "1",
        "Lineitem name": "Herbal tea",
        "Lineitem price": total,
        "Billing Name": name,
        "Billing Phone": phone,
        "Billing Country": "GB",
        "Id": number.strip("#") + "000",
    }


ROWS = [
    _order("#1001", "olive.marsh@example.com", "Olive Marsh", "+44 7700 900101", "2026-03-02", "24.00"),
    _order("#1002", "rufus.crane@example.com", "Rufus Crane", "+44 7700 900102", "2026-04-11", "61.50"),
    _order("#1003", "olive.marsh@example.com", "Olive Marsh", "+44 7700 900101", "2026-06-20", "18.00"),
    _order("#1004", "ida.fenn@example.com", "Ida Fenn", "", "2026-07-01", "9.99"),
]


def _empty_db(tmp_path):
    db = tmp_path / "new.db"
    Store.open(db).close()
    return db


async def _type(pilot, value: str) -> None:
    await pilot.press(*value)


async def _import_from_first_run(app, pilot, path: str) -> None:
    """`i` on the first-run screen, the file's path typed into the form, Enter. The tests type a name relative
    to the folder the app was started in (as an owner does), not a long temporary path key by key."""
    await until(pilot, lambda: "Press i to import" in text(app, "#facts"), "the first-run hint")
    await pilot.press("i")
    await until(pilot, lambda: app.screen.query("#import-path"), "the import form")
    await _type(pilot, path)
    await pilot.press("enter")


async def test_i_on_the_first_run_screen_imports_a_shopify_export_and_the_customers_appear(tmp_path, monkeypatch):
    export = write_export(tmp_path / "orders_export.csv", SHOPIFY, ROWS)
    db = _empty_db(tmp_path)
    monkeypatch.chdir(tmp_path)
    app = ShopkeepApp(db, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await _import_from_first_run(app, pilot, export.name)
        await until(
            pilot, lambda: any(title == "information" and "rows read" in m for m, title in shown), "the summary"
        )
        await until(pilot, lambda: app.retention is not None and len(app.retention.customers) == 3, "the figures")
        await until(pilot, lambda: "No orders in this shop yet" not in text(app, "#facts-name"), "Today's list")
        await pilot.press("f2")
        await until(pilot, lambda: "Everyone with a paid order: 3" in text(app, "#status"), "the customers")
    said = next(m for m in messages(shown) if "rows read" in m)
    # the command's own words: import the same file with `shopkeep import` into another database
    other = CliRunner().invoke(cli, ["--db", str(tmp_path / "other.db"), "import", str(export)])
    assert other.exit_code == 0, other.output
    assert said.splitlines()[0] == other.stdout.splitlines()[0]
    assert said.splitlines()[0].startswith("orders_export.csv: 4 rows read; orders 4 new")
    assert not [m for m in messages(shown) if "New orders or customers in the database" in m]  # said once
    with Store.open(db, create=False) as store:
        assert store.scalar("SELECT count(*) FROM customers") == 3


async def test_the_palette_offers_the_import(tmp_path):
    app = ShopkeepApp(_empty_db(tmp_path), as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await _type(pilot, "import orders")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#import-path"), "the import form")
        await pilot.press("escape")
        await until(pilot, lambda: not app.screen.query("#import-path"), "the form closed")


async def test_a_bad_file_is_refused_in_one_line_and_nothing_is_written(tmp_path, monkeypatch):
    bad_rows = [*ROWS[:2], {**ROWS[2], "Total": "18,00 Olive"}, ROWS[3]]
    write_export(tmp_path / "orders_export.csv", SHOPIFY, bad_rows)
    db = _empty_db(tmp_path)
    monkeypatch.chdir(tmp_path)
    app = ShopkeepApp(db, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await _import_from_first_run(app, pilot, "missing.csv")  # no such file: said in the form
        await until(pilot, lambda: "no such file" in text(app, "#import-error"), "the form's error")
        for _ in range(len("missing.csv")):
            await pilot.press("backspace")
        await _type(pilot, "orders_export.csv")
        await pilot.press("enter")
        await until(pilot, lambda: any(severity == "error" for _, severity in shown), "the error")
        await until(pilot, lambda: not app.screen.query("#import-progress"), "the progress window closed")
        assert "No orders in this shop yet" in text(app, "#facts-name")
    errors = [m for m, severity in shown if severity == "error"]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith("orders_export.csv: 1 bad value; nothing was imported from this file (first: line 4,")
    assert "Total" in errors[0] and "Olive" not in errors[0]  # the line and column, never the customer's text
    with Store.open(db, create=False) as store:
        assert store.scalar("SELECT count(*) FROM orders") == 0
        assert store.scalar("SELECT count(*) FROM customers") == 0
        assert store.scalar("SELECT count(*) FROM loyalty_ledger") == 0


async def test_an_import_that_asks_for_a_currency_is_given_one_in_the_form(tmp_path, monkeypatch):
    rows = [
        {"InvoiceNo": "536365", "StockCode": "85123A", "Description": "WHITE MUG", "Quantity": "6",
         "InvoiceDate": "12/13/2010 8:26", "UnitPrice": "2.55", "CustomerID": "17850", "Country": "United Kingdom"},
        {"InvoiceNo": "536366", "StockCode": "22633", "Description": "HAND WARMER", "Quantity": "6",
         "InvoiceDate": "11/29/2011 8:28", "UnitPrice": "1.85", "CustomerID": "17851", "Country": "United Kingdom"},
    ]  # fmt: skip
    export = write_export(tmp_path / "Online Retail.csv", UCI, rows)
    db = _empty_db(tmp_path)
    monkeypatch.chdir(tmp_path)
    app = ShopkeepApp(db, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await _import_from_first_run(app, pilot, export.name)
        await until(pilot, lambda: any(severity == "error" for _, severity in shown), "the question")
        assert "--currency" in messages(shown)[-1]  # the importer's own words; the form has that field
        await pilot.press("i")  # the form again, with the file already in it
        await until(pilot, lambda: app.screen.query("#import-currency"), "the import form")
        await pilot.press("tab")  # from the path to Currency
        await _type(pilot, "gbp")
        await pilot.press("enter")
        await until(pilot, lambda: any("rows read" in m for m in messages(shown)), "the summary")
        await until(pilot, lambda: app.retention is not None and len(app.retention.customers) == 2, "the figures")
    other = CliRunner().invoke(cli, ["--db", str(tmp_path / "other.db"), "import", str(export), "--currency", "GBP"])
    assert other.exit_code == 0, other.output
    assert next(m for m in messages(shown) if "rows read" in m).splitlines()[0] == other.stdout.splitlines()[0]


async def test_an_import_that_fails_midway_is_said_and_the_app_still_sees_other_imports(tmp_path, monkeypatch):
    """A disk or database failure (not a bad file) is one line, and afterwards the app goes on noticing what
    other processes write (it had stopped watching for good)."""
    import errno

    import shopkeep.importing.load as load

    export = write_export(tmp_path / "orders_export.csv", SHOPIFY, ROWS)
    db = _empty_db(tmp_path)
    monkeypatch.chdir(tmp_path)

    def failing(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    app = ShopkeepApp(db, as_of=AS_OF)
    app.WATCH_SECONDS = 0.2
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        with monkeypatch.context() as patched:
            patched.setattr(load, "import_file", failing)
            await _import_from_first_run(app, pilot, export.name)
            await until(pilot, lambda: any(severity == "error" for _, severity in shown), "the failure")
        failure = next(m for m, severity in shown if severity == "error")
        assert failure.startswith("orders_export.csv: ") and "Import it again: nothing is added twice." in failure
        imported = CliRunner().invoke(cli, ["--db", str(db), "import", str(export)])  # another process's import
        assert imported.exit_code == 0, imported.output
        await until(pilot, lambda: any("New orders" in m for m in messages(shown)), "the other import noticed")
