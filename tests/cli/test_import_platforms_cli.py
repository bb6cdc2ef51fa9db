"""`shopkeep import` on real platform exports, the whole run as an owner types it.

Each file either imports with no flags or asks, in one line, for exactly the flag it needs and then imports.
The fixtures (real header rows, invented people) live in tests/importing/fixtures/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "importing" / "fixtures"


def run(db_path, *args):
    return runner.invoke(app, ["import", "--db", str(db_path), *map(str, args)])


def fixture(name: str) -> Path:
    return FIXTURES / name


def revenue(db_path, order_key: str) -> tuple:
    with Store.open(db_path) as store:
        row = store.one("SELECT status, currency, total, refunded FROM orders WHERE order_key = ?", (order_key,))
        return tuple(row.values()) if row else None


@pytest.mark.parametrize(
    ("name", "platform", "summary"),
    [
        ("gumroad_sales.csv", "gumroad", "orders 4 new, 0 already known, 0 updated; customers 3 new"),
        ("lemonsqueezy_orders.csv", "lemonsqueezy", "orders 4 new, 0 already known, 0 updated; customers 3 new"),
        ("stripe_unified_payments.csv", "stripe", "orders 5 new, 0 already known, 0 updated; customers 3 new"),
        ("paypal_activity.csv", "paypal", "orders 4 new, 0 already known, 0 updated; customers 2 new"),
        ("shopify_orders_gb.csv", "shopify", "orders 4 new, 0 already known, 0 updated; customers 3 new"),
    ],
)
def test_platform_exports_import_with_no_flags(db_path, name, platform, summary):
    result = run(db_path, fixture(name))
    assert result.exit_code == 0, result.stderr
    assert summary in result.stdout
    with Store.open(db_path) as store:
        assert store.scalar("SELECT format FROM imports") == platform


def test_the_skipped_rows_are_counted_with_their_reason(db_path):
    stripe = run(db_path, fixture("stripe_unified_payments.csv"))
    assert "; 2 skipped (2 not a sale: a failed, unfinished or abandoned payment)" in stripe.stdout
    gumroad = run(db_path, fixture("gumroad_sales.csv"))
    assert "; 1 skipped (1 the totals row)" in gumroad.stdout
    assert revenue(db_path, "Yc5bR2nO1qF4sU8zV3xJpB==") == ("refunded", "USD", 2500, 0)
    assert revenue(db_path, "Zd6cS3oP2rG5tV9aW4yKqC==") == ("partially_refunded", "USD", 2000, 550)
    assert revenue(db_path, "py_3QkLm2AbCdEf0002") == ("paid", "GBP", 2500, 1000)  # Amount Refunded read


def test_lemon_squeezy_cents_are_not_read_as_units(db_path):
    assert run(db_path, fixture("lemonsqueezy_orders.csv")).exit_code == 0
    assert revenue(db_path, "3f9c2d1e-5a7b-4c8d-9e0f-1a2b3c4d5e01") == ("paid", "USD", 1199, 0)  # 11.99, not 1199.00


def test_minor_units_flag_for_any_file(db_path, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text("Order ID,Date,Email,Amount,Currency\nA1,2025-02-01,kit@example.com,1999,EUR\n")
    assert run(db_path, path, "--minor-units").exit_code == 0
    assert revenue(db_path, "A1") == ("paid", "EUR", 1999, 0)


def test_a_file_without_currency_asks_once_then_the_shop_currency_is_remembered(db_path, tmp_path):
    first = run(db_path, fixture("square_item_sales.csv"))
    assert first.exit_code == 1
    assert first.stderr.strip().splitlines() == [
        "error: square_item_sales.csv has no currency column and the shop's currency is not known yet:"
        " pass --currency EUR (or your currency) once; it is remembered"
    ]
    second = run(db_path, fixture("square_item_sales.csv"), "--currency", "USD")
    assert second.exit_code == 0, second.stderr
    assert (
        "square_item_sales.csv: the shop's currency USD remembered: used for the next files that do not say theirs"
        in second.stdout
    )
    # The next file without a currency column needs no flag any more.
    third = run(db_path, fixture("cdnow_purchases.csv"))
    assert third.exit_code == 0, third.stderr
    assert "remembered" not in third.stdout
    with Store.open(db_path) as store:
        assert store.get_setting("currency") == "USD"
        assert store.scalar("SELECT group_concat(DISTINCT currency) FROM orders") == "USD"


def test_the_shop_currency_known_from_earlier_orders_is_used(db_path):
    assert run(db_path, fixture("stripe_unified_payments.csv")).exit_code == 0  # GBP, from the file
    result = run(db_path, fixture("woocommerce_orders_phones.csv"), "--country", "GB")
    assert result.exit_code == 0, result.stderr
    assert revenue(db_path, "3101") == ("paid", "GBP", 2400, 0)
    with Store.open(db_path) as store:
        assert store.get_setting("currency") is None  # known from the orders: nothing to remember
        assert store.get_setting("country") == "GB"


def test_country_implies_the_currency_and_a_file_currency_column_wins(db_path, tmp_path):
    result = run(db_path, fixture("tilda_leads.csv"), "--country", "UA")
    assert result.exit_code == 0, result.stderr
    assert "the shop's phone country UA and currency UAH remembered" in result.stdout
    assert revenue(db_path, "4419021:8812302") == ("paid", "UAH", 85050, 0)
    path = tmp_path / "eur.csv"
    path.write_text("Order ID,Date,Email,Total,Currency\nE1,2025-03-01,eve@example.com,10.00,EUR\n")
    assert run(db_path, path, "--currency", "PLN").exit_code == 0
    assert revenue(db_path, "E1") == ("paid", "EUR", 1000, 0)  # the file says EUR


def test_national_phones_ask_for_the_likeliest_country_naming_the_column(db_path):
    result = run(db_path, fixture("shopify_orders_gb.csv"))
    assert result.exit_code == 0, result.stderr
    assert (
        "shopify_orders_gb.csv: 3 phones written without a country code were left empty"
        " (first: line 2, column 'Billing Phone'): pass --country GB"
    ) in result.stdout
    again = run(db_path, fixture("shopify_orders_gb.csv"), "--country", "GB")
    assert "without a country code" not in again.stdout
    assert "phone country GB remembered" in again.stdout
    with Store.open(db_path) as store:
        phones = {r["phone"] for r in store.rows("SELECT phone FROM customers")}
        assert phones == {"+447911123456", "+447911123457", "+447911123458"}


def test_most_orders_guests_says_why_and_which_flag(db_path):
    result = run(db_path, fixture("woocommerce_orders_phones.csv"), "--currency", "GBP")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("3 phones written without a country code" in line and "--country GB" in line for line in lines)
    assert (
        "woocommerce_orders_phones.csv: 3 of 4 orders are guest orders (no customer): 3 have a phone that could"
        " not be read; the --country above fixes it"
    ) in lines


def test_a_customers_export_is_refused_in_one_line(db_path):
    result = run(db_path, fixture("shopify_customers_export.csv"))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "this is a Shopify customers export (people, not orders): import the orders export instead" in line
    assert "Lottie" not in line and "lottie" not in line


def test_a_named_format_that_does_not_fit_names_the_export_it_looks_like(db_path):
    result = run(db_path, fixture("shopify_orders_gb.csv"), "--format", "etsy")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: shopify_orders_gb.csv: this looks like a Shopify orders export, not an Etsy sold orders export:"
        " import it without --format (or with --format shopify)"
    )


def test_map_field_to_nothing_unmaps_a_wrongly_detected_column_and_is_remembered(db_path, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order ID,Date,Email,Total,Currency,Discount\n"
        "1,2025-01-02,ann@example.com,30.00,EUR,loyal customer\n",  # "Discount" holds a note, not an amount
    )
    refused = run(db_path, path)
    assert refused.exit_code == 1 and "column 'Discount'" in refused.stderr
    result = run(db_path, path, "--map", "discount=")
    assert result.exit_code == 0, result.stderr
    assert revenue(db_path, "1") == ("paid", "EUR", 3000, 0)
    again = run(db_path, shutil.copy(path, tmp_path / "orders-2.csv"))  # same headers: remembered
    assert again.exit_code == 0, again.stderr


def test_a_purchase_log_without_order_ids_imports_one_order_per_row(db_path):
    result = run(db_path, fixture("cdnow_purchases.csv"), "--currency", "USD")
    assert result.exit_code == 0, result.stderr
    assert "7 rows read; orders 7 new" in result.stdout
    again = run(db_path, fixture("cdnow_purchases.csv"))
    assert "orders 0 new, 7 already known, 0 updated" in again.stdout
