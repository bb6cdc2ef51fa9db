"""`shopkeep import` end to end: real files in tmp_path, the real database, the summary a user reads."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest
from typer.testing import CliRunner

from shopkeep import loyalty
from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()

SHOPIFY = (
    (
        "Name,Email,Financial Status,Currency,Shipping,Total,Created at,"
        "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Phone,Shipping City\n"
    )
    + """\
#1001,ann@example.com,paid,USD,5.00,45.00,2026-04-05 21:06:21 +0400,2,Mug,10.00,MUG-1,Ann Lee,+48 600 123 456,Austin
#1001,,,,,,,1,Teapot,20.00,POT-1,,,
#1002,bob@example.com,refunded,USD,0.00,12.00,2026-04-06 10:00:00 +0400,1,Card,12.00,CARD,Bob Ray,,Dallas
#1003,ann@example.com,paid,USD,0.00,8.50,2026-04-07 09:30:00 +0400,1,Tea,8.50,TEA,Ann Lee,,Austin
"""
)

UCI = """\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,2,12/1/2010 8:26,3.39,17850,United Kingdom
536366,22633,HAND WARMER,6,12/13/2010 8:28,1.85,NA,United Kingdom
C536379,D,Discount,-1,12/14/2010 9:41,27.50,17850,United Kingdom
"""

ETSY = """\
Sale Date,Order ID,Buyer User ID,Full Name,Order Total,Currency,Status,Ship City
12/31/22,2001,555001,Jane Roe,30.00,GBP,Completed,Leeds
01/02/23,2002,555001,Jane Roe,15.50,GBP,Completed,Leeds
01/03/23,2003,,Tom Poe,9.99,GBP,Completed,York
"""

RUSSIAN = (
    "Номер заказа;Дата;ФИО;Телефон;Сумма;Валюта;Статус\r\n"
    "А-1;01.02.2024;Иван Петров;8 (916) 123-45-67;1 234,50;RUB;оплачен\r\n"
    "А-2;15.02.2024;Иван Петров;+7 916 123-45-67;500,00;RUB;оплачен\r\n"
    "А-3;16.02.2024;Мария Сидорова;;99,90;RUB;оплачен\r\n"
)

GENERIC = """\
Order ID,Date,Email,Total,Currency,Status
1,2026-01-02,a@example.com,10.00,EUR,paid
2,2026-01-03,b@example.com,20.00,EUR,paid
"""


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(db_path, *args):
    return runner.invoke(app, ["import", "--db", str(db_path), *map(str, args)])


def figures(db_path) -> tuple:
    with Store.open(db_path) as store:
        return (
            store.scalar("SELECT count(*) FROM orders"),
            store.scalar("SELECT coalesce(sum(total), 0) FROM orders"),
            store.scalar("SELECT count(*) FROM customers"),
            store.scalar("SELECT count(*) FROM customer_keys"),
            store.scalar("SELECT count(*) FROM order_lines"),
            store.scalar("SELECT group_concat(status, ',') FROM (SELECT status FROM orders ORDER BY id)"),
        )


def test_shopify_line_items_make_orders_with_the_total_once(db_path, tmp_path):
    with Store.open(db_path) as store:  # the loyalty programme ran before these orders: they earn points
        loyalty.save_rules(store, loyalty.LoyaltyRules(start_day=dt.date(2026, 1, 1)))
    result = run(db_path, write(tmp_path, "orders_export.csv", SHOPIFY))
    assert result.exit_code == 0, result.stderr
    summary, points, referrals = result.stdout.splitlines()
    assert summary == (
        "orders_export.csv: 4 rows read; orders 3 new, 0 already known, 0 updated;"
        " customers 2 new, 0 matched; 0 guest orders; 0 skipped"
    )
    assert points.startswith("points: ") and "awarded on 2 orders" in points  # the refunded order earns nothing
    assert referrals.startswith("referrals: ")
    with Store.open(db_path) as store:
        order = store.one("SELECT total, shipping, ordered_at, customer_id FROM orders WHERE order_key = '#1001'")
        assert order["total"] == 4500 and order["shipping"] == 500
        assert order["ordered_at"] == "2026-04-05T21:06:21"
        lines = store.rows(
            "SELECT product, quantity, line_total FROM order_lines"
            " WHERE order_id = (SELECT id FROM orders WHERE order_key = '#1001') ORDER BY line_no"
        )
        assert lines == [
            {"product": "Mug", "quantity": 2.0, "line_total": 2000},
            {"product": "Teapot", "quantity": 1.0, "line_total": 2000},
        ]
        ann = store.one("SELECT email, phone, city FROM customers WHERE id = ?", (order["customer_id"],))
        assert ann == {"email": "ann@example.com", "phone": "+48600123456", "city": "Austin"}
        assert store.scalar("SELECT count(*) FROM orders WHERE customer_id = ?", (order["customer_id"],)) == 2
        assert store.scalar("SELECT status FROM orders WHERE order_key = '#1002'") == "refunded"
        run_row = store.one("SELECT file_name, format, rows_read, orders_new, customers_new FROM imports")
        assert run_row == {
            "file_name": "orders_export.csv",
            "format": "shopify",
            "rows_read": 4,
            "orders_new": 3,
            "customers_new": 2,
        }


def test_importing_a_file_twice_equals_importing_it_once(db_path, tmp_path):
    path = write(tmp_path, "orders_export.csv", SHOPIFY)
    run(db_path, path)
    once = figures(db_path)
    again = run(db_path, path)
    assert again.exit_code == 0
    assert "orders 0 new, 3 already known, 0 updated; customers 0 new, 2 matched" in again.stdout
    assert figures(db_path) == once


def test_overlapping_exports_add_only_the_new_orders(db_path, tmp_path):
    header, first, second, third = (
        GENERIC.splitlines(keepends=True)[:1]
        + GENERIC.splitlines(keepends=True)[1:]
        + ["3,2026-01-04,a@example.com,5.00,EUR,paid\n"]
    )
    run(db_path, write(tmp_path, "jan-1.csv", header + first + second))
    result = run(db_path, write(tmp_path, "jan-2.csv", header + second + third))
    assert "orders 1 new, 1 already known, 0 updated; customers 0 new, 2 matched" in result.stdout
    assert figures(db_path)[:3] == (3, 3500, 2)


def test_a_changed_status_updates_the_order(db_path, tmp_path):
    run(db_path, write(tmp_path, "a.csv", GENERIC))
    result = run(db_path, write(tmp_path, "b.csv", GENERIC.replace("20.00,EUR,paid", "20.00,EUR,refunded")))
    assert "orders 0 new, 1 already known, 1 updated" in result.stdout
    assert figures(db_path)[5] == "paid,refunded"


def test_cp1251_semicolon_russian_file_with_national_phones(db_path, tmp_path):
    path = write(tmp_path, "заказы.csv", RUSSIAN, encoding="cp1251")
    result = run(db_path, path, "--country", "RU")
    assert result.exit_code == 0, result.stderr
    assert "3 rows read; orders 3 new" in result.stdout
    assert "customers 2 new" in result.stdout  # the same phone written two ways is one person
    with Store.open(db_path) as store:
        assert store.scalar("SELECT sum(total) FROM orders") == 123450 + 50000 + 9990
        ivan = store.one("SELECT name, phone FROM customers WHERE phone IS NOT NULL")
        assert ivan == {"name": "Иван Петров", "phone": "+79161234567"}
        assert store.scalar("SELECT ordered_at FROM orders WHERE order_key = 'А-2'") == "2024-02-15T00:00:00"


def test_invoice_file_with_a_cancellation_and_an_na_customer(db_path, tmp_path):
    result = run(db_path, write(tmp_path, "online_retail.csv", UCI), "--currency", "GBP")
    assert result.exit_code == 0, result.stderr
    assert "orders 3 new" in result.stdout and "customers 1 new" in result.stdout
    assert "1 guest order;" in result.stdout  # the singular
    with Store.open(db_path) as store:
        rows = store.rows("SELECT order_key, kind, total, customer_id FROM orders ORDER BY id")
        assert [(r["order_key"], r["kind"], r["total"]) for r in rows] == [
            ("536365", "order", 6 * 255 + 2 * 339),
            ("536366", "order", 6 * 185),
            ("C536379", "credit", -2750),
        ]
        assert rows[1]["customer_id"] is None
        assert store.scalar("SELECT count(*) FROM customers WHERE name IN ('NA', '') OR external_id = 'NA'") == 0
        assert store.scalar("SELECT external_id FROM customers") == "17850"


def test_etsy_file_without_email_keys_buyers_by_platform_id_then_name(db_path, tmp_path):
    result = run(db_path, write(tmp_path, "EtsySoldOrders2023.csv", ETSY))
    assert result.exit_code == 0, result.stderr
    assert "customers 2 new" in result.stdout and "0 guest orders" in result.stdout
    with Store.open(db_path) as store:
        kinds = sorted(r["kind"] for r in store.rows("SELECT kind FROM customer_keys"))
        assert kinds == ["ext:etsy", "name"]
        assert store.scalar("SELECT ordered_at FROM orders WHERE order_key = '2001'") == "2022-12-31T00:00:00"


def test_a_bad_row_means_nothing_is_written_and_each_bad_row_is_reported(db_path, tmp_path):
    run(db_path, write(tmp_path, "good.csv", GENERIC))
    before = figures(db_path)
    bad_rows = "".join(f"{n},2026-02-01,c@example.com,{'x' if n % 2 else '1.00'},EUR,paid\n" for n in range(10, 60))
    result = run(db_path, write(tmp_path, "bad.csv", GENERIC + bad_rows))
    assert result.exit_code == 1
    assert result.stdout == ""
    err = result.stderr.splitlines()
    assert err[0] == "error: bad.csv: 25 bad values; nothing was imported from this file"
    assert err[1].startswith("  line 5, column 'Total', value 'x':")
    assert "  … and 5 more" in err
    assert "Traceback" not in result.stderr
    assert figures(db_path) == before


def test_skip_bad_imports_the_good_rows_and_writes_rejects(db_path, tmp_path):
    text = GENERIC + "3,2026-01-05,c@example.com,abc,EUR,paid\n4,not a date,d@example.com,4.00,EUR,paid\n"
    rejects = tmp_path / "rejects.csv"
    result = run(db_path, write(tmp_path, "mixed.csv", text), "--skip-bad", "--rejects", rejects)
    assert result.exit_code == 0, result.stderr
    assert "orders 2 new" in result.stdout
    assert "2 bad rows left out" in result.stdout
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Order ID,Date,Email,Total,Currency,Status,reason"
    assert lines[1].startswith("3,2026-01-05,c@example.com,abc,EUR,paid,Total: ")
    assert lines[2].startswith("4,not a date,d@example.com,4.00,EUR,paid,Date: ")
    assert len(lines) == 3
    assert stat.S_IMODE(os.stat(rejects).st_mode) == 0o600
    assert figures(db_path)[:2] == (2, 3000)


def test_dry_run_prints_the_summary_and_writes_nothing(db_path, tmp_path):
    result = run(db_path, write(tmp_path, "orders_export.csv", SHOPIFY), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("orders_export.csv (dry run, nothing written): 4 rows read; orders 3 new")
    assert figures(db_path)[:3] == (0, 0, 0)
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM imports") == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "not a text file"),
        (b"PK\x03\x04zipdata", "not CSV"),
    ],
)
def test_unreadable_files_give_one_line_and_a_nonzero_exit(db_path, tmp_path, content, expected):
    path = tmp_path / "export.csv"
    if content is not None:
        path.write_bytes(content)
    result = run(db_path, path)
    assert result.exit_code != 0
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: ") and expected in result.stderr and "export.csv" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_several_files_each_all_or_nothing_with_the_file_named(db_path, tmp_path):
    good = write(tmp_path, "good.csv", GENERIC)
    bad = write(tmp_path, "bad.csv", GENERIC.replace("20.00", "twenty"))
    result = run(db_path, bad, good)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: bad.csv: 1 bad value;")
    assert result.stdout.startswith("good.csv: 2 rows read; orders 2 new")
    assert figures(db_path)[:2] == (2, 3000)


def test_customer_text_is_printed_plain_never_as_markup(db_path, tmp_path):
    text = GENERIC.replace("20.00", "[/]20[")  # no letters: shown as it is, and never read as markup
    result = run(db_path, write(tmp_path, "markup.csv", text))
    assert "value '[/]20[':" in result.stderr


def test_map_reads_a_field_from_the_named_column_and_rejects_unknown_fields(db_path, tmp_path):
    path = write(tmp_path, "odd.csv", "Ref,When,Mail,Money\nX-1,2026-03-01,a@example.com,7.00\n")
    mapped = ["--map", "order_id=Ref", "--map", "ordered_at=When", "--map", "total=Money", "--currency", "eur"]
    result = run(db_path, path, "--map", "email=Mail", *mapped)
    assert result.exit_code == 0, result.stderr
    assert "orders 1 new" in result.stdout and "customers 1 new" in result.stdout
    with Store.open(db_path) as store:
        assert store.one("SELECT order_key, currency, total FROM orders") == {
            "order_key": "X-1",
            "currency": "EUR",
            "total": 700,
        }
    wrong = run(db_path, path, "--map", "colour=Mail")
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith("error: --map: unknown field 'colour'") and len(wrong.stderr.splitlines()) == 1


def test_skip_bad_into_a_missing_folder_fails_before_anything_is_written(db_path, tmp_path):
    rejects = tmp_path / "no-such-folder" / "rejects.csv"
    result = run(db_path, write(tmp_path, "a.csv", GENERIC), "--skip-bad", "--rejects", rejects)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and "rejects file does not exist" in result.stderr
    assert figures(db_path)[0] == 0


def test_dry_run_with_skip_bad_writes_neither_orders_nor_rejects(db_path, tmp_path):
    rejects = tmp_path / "rejects.csv"
    text = GENERIC + "3,2026-01-05,c@example.com,abc,EUR,paid\n"
    result = run(db_path, write(tmp_path, "m.csv", text), "--dry-run", "--skip-bad", "--rejects", rejects)
    assert result.exit_code == 0
    assert "orders 2 new" in result.stdout and "1 bad row would be left out" in result.stdout
    assert not rejects.exists()
    assert figures(db_path)[0] == 0


def test_unreadable_phones_are_left_empty_and_counted_not_fatal(db_path, tmp_path):
    text = "Order ID,Date,Email,Phone,Total,Currency\n1,2026-01-02,a@example.com,12,10.00,EUR\n"
    result = run(db_path, write(tmp_path, "p.csv", text), "--country", "PL")
    assert result.exit_code == 0, result.stderr
    assert "p.csv: 1 phone or email could not be read and was left empty (first: line 2, column 'Phone')" in (
        result.stdout
    )
    with Store.open(db_path) as store:
        assert store.one("SELECT email, phone FROM customers") == {"email": "a@example.com", "phone": None}


def test_progress_line_shows_rows_and_rate_and_ends_with_a_newline(capsys):
    from shopkeep.cli.import_cmd import _Progress

    progress = _Progress("big.csv")
    progress(20_000)
    progress.done()
    err = capsys.readouterr().err
    assert err.startswith("\rbig.csv: 20,000 rows, ") and err.endswith(" rows/s\n")


def test_partial_refunds_are_stored_with_the_order_from_shopify_and_generic_files(db_path, tmp_path):
    shopify = SHOPIFY.replace("Shipping City\n", "Shipping City,Refunded Amount\n", 1)
    shopify = shopify.replace("Austin\n#1001", "Austin,10.00\n#1001", 1).replace(",Dallas\n", ",Dallas,12.00\n")
    assert run(db_path, write(tmp_path, "orders_export.csv", shopify)).exit_code == 0
    generic = GENERIC.replace("Status\n", "Status,Zwrot\n").replace("20.00,EUR,paid", "20.00,EUR,paid,-5.50")
    assert run(db_path, write(tmp_path, "g.csv", generic)).exit_code == 0
    with Store.open(db_path) as store:
        refunds = dict(store.conn.execute("SELECT order_key, refunded FROM orders"))
    assert refunds == {"#1001": 1000, "#1002": 1200, "#1003": 0, "1": 0, "2": 550}


def test_a_refund_larger_than_the_order_is_a_bad_row(db_path, tmp_path):
    text = GENERIC.replace("Status\n", "Status,Refunded\n").replace("10.00,EUR,paid", "10.00,EUR,paid,10.01")
    result = run(db_path, write(tmp_path, "r.csv", text))
    assert result.exit_code == 1
    assert "line 2, column 'refunded'" in result.stderr and "larger than the order total" in result.stderr
    assert figures(db_path)[0] == 0


def test_a_dry_run_does_not_remember_the_mapping_it_was_given(db_path, tmp_path):
    path = write(tmp_path, "odd.csv", "Ref,When,Money\nX-1,2026-03-01,7.00\n")
    mapped = ["--map", "order_id=Ref", "--map", "ordered_at=When", "--map", "total=Money", "--currency", "EUR"]
    assert run(db_path, path, *mapped, "--dry-run").exit_code == 0
    assert run(db_path, path, "--currency", "EUR").exit_code == 1  # nothing remembered: the columns are unknown
    assert run(db_path, path, *mapped).exit_code == 0
    result = run(db_path, path, "--currency", "EUR")  # remembered by a real import
    assert result.exit_code == 0 and "orders 0 new, 1 already known" in result.stdout


def test_unreadable_emails_are_counted_with_phones(db_path, tmp_path):
    text = "Order ID,Date,Email,Phone,Total,Currency\n1,2026-01-02,not-an-email,12,10.00,EUR\n2,2026-01-03,x@,,5,EUR\n"
    result = run(db_path, write(tmp_path, "p.csv", text), "--country", "PL")
    assert result.exit_code == 0, result.stderr
    assert "p.csv: 3 phones or emails could not be read and were left empty (first: line 2, column 'Email')" in (
        result.stdout
    )


def test_unknown_format_lists_every_preset(db_path, tmp_path):
    result = run(db_path, write(tmp_path, "a.csv", GENERIC), "--format", "magento")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: unknown --format 'magento'; choose one of auto, shopify, woocommerce, square, etsy, tilda,"
        " prestashop, stripe, paypal, gumroad, lemonsqueezy, generic"
    )


def test_skip_bad_rejects_every_row_of_an_order_with_one_bad_row(db_path, tmp_path):
    text = (
        SHOPIFY
        + "#1004,cy@example.com,paid,USD,0.00,30.00,2026-04-08 10:00:00 +0400,1,Mug,10.00,MUG-1,Cy Dee,,Austin\n"
        + "#1004,,,,,,,two,Teapot,20.00,POT-1,,,\n"
        + "#1004,,,,,,,1,Tea,abc,TEA,,,\n"
    )
    rejects = tmp_path / "rejects.csv"
    result = run(db_path, write(tmp_path, "orders_export.csv", text), "--skip-bad", "--rejects", rejects)
    assert result.exit_code == 0, result.stderr
    assert "orders 3 new" in result.stdout and "3 bad rows left out" in result.stdout
    lines = rejects.read_text(encoding="utf-8").splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == ["#1004"] * 3
    assert lines[0].endswith(',"(record): left out with line 7, a bad row of the same order"')
    assert "Lineitem quantity: " in lines[1] and "Lineitem price: " in lines[2]
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM orders WHERE order_key = '#1004'") == 0
        assert store.scalar("SELECT count(*) FROM order_lines") == 4


def test_a_refund_column_added_later_updates_only_the_refunded_orders(db_path, tmp_path):
    run(db_path, write(tmp_path, "a.csv", GENERIC))
    with_column = GENERIC.replace("Status\n", "Status,Refunded Amount\n").replace(",paid\n", ",paid,0.00\n")
    result = run(db_path, write(tmp_path, "b.csv", with_column))
    assert "orders 0 new, 2 already known, 0 updated" in result.stdout
    result = run(db_path, write(tmp_path, "c.csv", with_column.replace("20.00,EUR,paid,0.00", "20.00,EUR,paid,4.00")))
    assert "orders 0 new, 1 already known, 1 updated" in result.stdout
    with Store.open(db_path) as store:
        assert dict(store.conn.execute("SELECT order_key, refunded FROM orders")) == {"1": 0, "2": 400}


def test_the_error_report_does_not_print_emails_or_phones_found_in_the_wrong_column(db_path, tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text(
        "Order ID,Order Date,Email,Total,Currency\n"
        "1,2026-02-01,a@example.com,anna.k@example.org,EUR\n"
        "2,2026-02-02,b@example.com,8 (916) 123-45-67,EUR\n"
        "3,2026-02-03,c@example.com,12x,EUR\n",
        encoding="utf-8",
    )
    result = run(db_path, path)
    assert result.exit_code == 1
    assert "anna.k@example.org" not in result.stderr and "123-45-67" not in result.stderr
    assert "line 2, column 'Total', value (an email address, not shown)" in result.stderr
    assert "line 3, column 'Total', value (a phone number, not shown)" in result.stderr
    assert "line 4, column 'Total', value '12x'" in result.stderr
