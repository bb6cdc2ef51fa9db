"""Real platform exports in, right numbers out.

Each fixture under fixtures/ has a platform's real header row (from its documentation, its source code or
public sample files) and rows written for the test with invented people. For each one, the revenue per
customer that shopkeep shows (the retention engine's figure) must equal an independent sum of the same
rows, read here with the csv module and Decimal by the platform's own rules, not by shopkeep's code.

Revenue, as the README defines it: paid and partially refunded orders count their total less the
refunded amount; pending, refunded, cancelled and voided orders count nothing; credit notes their (negative) total.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions, UnknownLayoutError, plan_file
from shopkeep.retention import compute

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = dt.date(2026, 1, 1)


def rows(name: str, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def shown_revenue(store, key: str) -> dict[str, Decimal]:
    """Revenue per customer as the app shows it, in major units, by the customer's `key` (email, phone...).
    Customers with no revenue are left out (whether one is listed at all is a question of population)."""
    figures = compute(store, AS_OF)
    return {getattr(m, key): Decimal(m.revenue).scaleb(-2) for m in figures.customers.values() if m.revenue}


def paying(expected: dict[str, Decimal]) -> dict[str, Decimal]:
    return {who: amount for who, amount in expected.items() if amount}


def imported(store, name: str, **options):
    result = import_file(store, FIXTURES / name, ImportOptions(**options))
    assert result.ok, result.errors[:3]
    return result


def money(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", "").replace(" ", ""))


# -- Gumroad ---------------------------------------------------------------------------------------


def test_gumroad_revenue_per_buyer_equals_an_independent_sum(store):
    result = imported(store, "gumroad_sales.csv")
    assert (result.format, result.orders_new, result.skipped_reasons) == ("gumroad", 4, {"the totals row": 1})
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("gumroad_sales.csv"):
        if row["Purchase ID"] == "Totals":
            continue
        price = Decimal(row["Sale Price ($)"])
        back = price if row["Fully Refunded?"] == "1" else Decimal(row["Partial Refund ($)"])
        expected[row["Purchase Email"]] += price - back
    assert shown_revenue(store, "email") == paying(expected)
    assert expected["ilse.m@example.com"] == 0  # fully refunded: not a paying customer


def test_gumroad_refunded_flag_is_never_read_as_an_amount(store, tmp_path):
    """Issue 13 point 2: even without the Gumroad preset, "Refunded?" (0/1) is a question, not money."""
    plan = plan_file(FIXTURES / "gumroad_sales.csv", ImportOptions(format="generic", currency="USD"))
    assert "refunded" not in plan.fields
    assert ("Refunded?", "refunded") in plan.flags  # a set flag makes the sale refunded
    # A column named like an amount that holds true/false is a flag too.
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order ID,Date,Email,Total,Currency,Refunded\n"
        "1,2025-01-02,ann@example.com,30.00,EUR,false\n"
        "2,2025-01-03,bob@example.com,20.00,EUR,true\n",
        encoding="utf-8",
    )
    result = imported(store, path)
    assert result.orders_new == 2
    assert shown_revenue(store, "email") == {"ann@example.com": Decimal("30.00")}  # bob's sale was refunded


# -- Lemon Squeezy ---------------------------------------------------------------------------------


def test_lemon_squeezy_totals_in_cents_per_buyer_equal_an_independent_sum(store):
    result = imported(store, "lemonsqueezy_orders.csv")
    assert (result.format, result.orders_new, result.skipped) == ("lemonsqueezy", 4, 1)  # the failed payment
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("lemonsqueezy_orders.csv"):
        if row["status"] in ("failed", "fraudulent") or row["currency"] != "USD":
            continue
        paid = Decimal(row["total"]) - Decimal(row["refunded_amount"])
        expected[row["user_email"]] += paid.scaleb(-2) if row["status"] != "refunded" else 0
    assert shown_revenue(store, "email") == paying(expected)
    assert expected["nadia.f@example.com"] == Decimal("30.99")  # not 3099.00


def test_any_file_can_say_its_amounts_are_in_minor_units(store, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text("Order ID,Date,Email,Amount,Currency\nA1,2025-02-01,kit@example.com,1999,EUR\n")
    imported(store, path, minor_units=True)
    assert shown_revenue(store, "email") == {"kit@example.com": Decimal("19.99")}
    path.write_text("Order ID,Date,Email,Amount,Currency\nA2,2025-02-02,kit@example.com,19.99,EUR\n")
    result = import_file(store, path, ImportOptions(minor_units=True))
    assert not result.ok and "minor units" in result.errors[0].reason  # refused, not read as 1999 cents


# -- Stripe ----------------------------------------------------------------------------------------


def test_stripe_refunds_reduce_revenue_and_failed_attempts_are_not_sales(store):
    result = imported(store, "stripe_unified_payments.csv")
    assert (result.format, result.orders_new, result.error_count) == ("stripe", 5, 0)
    assert result.skipped_reasons == {"not a sale: a failed, unfinished or abandoned payment": 2}
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("stripe_unified_payments.csv"):
        if row["Status"] not in ("Paid", "Refunded"):
            continue
        expected[row["Customer Email"]] += money(row["Amount"]) - money(row["Amount Refunded"])
    assert shown_revenue(store, "email") == paying(expected)
    assert expected["marisol.quint@example.com"] == Decimal("1265.00")  # 25.00 less 10.00 back, and 1,250.00


# -- PayPal ----------------------------------------------------------------------------------------


def test_paypal_sales_and_refunds_per_buyer_equal_an_independent_sum(store):
    result = imported(store, "paypal_activity.csv", country="GB")
    assert (result.format, result.orders_new, result.skipped) == ("paypal", 4, 4)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("paypal_activity.csv"):
        gross = Decimal(row["Gross"])
        received = gross > 0 and row["Balance Impact"] == "Credit" and "Conversion" not in row["Type"]
        if received:
            expected[row["From Email Address"]] += gross
        elif gross < 0 and "Refund" in row["Type"]:
            expected[row["To Email Address"]] += gross
    assert shown_revenue(store, "email") == paying(expected)
    assert expected == {"agnes.t@example.com": Decimal("75.00"), "rufus.oakes@example.com": 0}


# -- Square ----------------------------------------------------------------------------------------


def test_square_item_sales_group_by_transaction_and_count_net_sales(store):
    result = imported(store, "square_item_sales.csv", currency="USD")
    assert (result.format, result.orders_new, result.guest_orders) == ("square", 4, 1)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("square_item_sales.csv", encoding="cp1252"):
        if row["Customer ID"]:
            expected[row["Customer ID"]] += money(row["Net Sales"].replace("-$", "-"))
    assert shown_revenue(store, "external_id") == paying(expected)
    assert expected["CUST8J2K"] == Decimal("9.00")  # the muffin refunded the next day


def test_square_item_sales_without_a_transaction_id_column_are_still_recognised(tmp_path):
    lines = (FIXTURES / "square_item_sales.csv").read_text(encoding="cp1252").splitlines()
    header = lines[0].split(",")
    drop = [header.index("Transaction ID"), header.index("Event Type")]
    kept = [",".join(c for i, c in enumerate(line.split(",")) if i not in drop) for line in lines]
    path = tmp_path / "items.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    plan = plan_file(path, ImportOptions(currency="USD"))
    assert (plan.source, plan.fields["order_id"], plan.fields["line_total"]) == ("square", "Payment ID", "Net Sales")


# -- Tilda -----------------------------------------------------------------------------------------


def test_tilda_orders_statuses_and_fallback_columns(store):
    result = imported(store, "tilda_leads.csv", country="UA")
    assert (result.format, result.orders_new) == ("tilda", 4)
    assert result.skipped_reasons == {"a form lead without an amount, not an order": 2}
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("tilda_leads.csv", delimiter=";"):
        if not row["Сумма заказа"]:
            continue  # a callback form: a lead, not an order
        name = row["Name"] or row["имя"]
        if row["Статус оплаты"] == "1":  # 1 paid; 0 awaiting payment (pending: not a sale yet); 2 failed
            expected[name] += Decimal(row["Сумма заказа"].replace(",", "."))
        else:
            expected[name] += 0
    assert shown_revenue(store, "name") == paying(expected)
    figures = compute(store, AS_OF).customers.values()
    bohdan = next(m for m in figures if m.name == "Богдан Левчук")  # only the Russian-named columns filled
    assert bohdan.phone == "+380501234567"


def test_tilda_delivery_option_text_is_not_money(tmp_path):
    plan = plan_file(FIXTURES / "tilda_leads.csv", ImportOptions(country="UA"))
    assert "shipping" not in plan.fields and "delivery" not in plan.fields.values()
    assert (plan.fields["name"], plan.fallbacks["name"], plan.fallbacks["phone"]) == ("Name", ["имя"], ["телефон"])


# -- a purchase log without order ids --------------------------------------------------------------


def test_a_purchase_log_with_quantities_but_no_order_id_is_one_order_per_row(store):
    result = imported(store, "cdnow_purchases.csv", currency="USD")
    assert (result.orders_new, result.customers_new) == (7, 4)  # the repeated purchase stays two orders
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("cdnow_purchases.csv"):
        expected[row["Customer ID"]] += Decimal(row["Amount"])
    assert shown_revenue(store, "external_id") == paying(expected)
    again = imported(store, "cdnow_purchases.csv", currency="USD")
    assert (again.orders_new, again.orders_known) == (0, 7)  # stable keys: nothing twice


# -- Shopify and WooCommerce phones ----------------------------------------------------------------


def test_shopify_phones_fall_back_across_columns_and_revenue_matches(store):
    result = imported(store, "shopify_orders_gb.csv", country="GB")
    assert (result.national_phones, result.guest_orders) == (0, 0)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    phones = {}
    for row in rows("shopify_orders_gb.csv"):
        if row["Total"]:
            expected[row["Billing Name"]] += Decimal(row["Total"]) - Decimal(row["Refunded Amount"])
            phones[row["Billing Name"]] = row["Billing Phone"] or row["Shipping Phone"]
    assert shown_revenue(store, "name") == paying(expected)
    numbers = {m.name: m.phone for m in compute(store, AS_OF).customers.values()}
    assert numbers == {
        "Morwenna Pike": "+447911123456",
        "Idris Penhale": "+447911123457",  # only a Shipping Phone
        "Tamsin Rowe": "+447911123458",
    }


def test_woocommerce_guests_explained_and_the_flag_fixes_them(store):
    first = imported(store, "woocommerce_orders_phones.csv", currency="GBP")
    assert (first.guest_orders, first.guests_phone_unread, first.national_phones) == (3, 3, 3)
    assert any("3 of 4 orders are guest orders" in note for note in first.notes)
    again = imported(store, "woocommerce_orders_phones.csv", country="GB")
    assert (again.guest_orders, again.orders_updated) == (0, 3)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows("woocommerce_orders_phones.csv", delimiter=";"):
        number = row["Phone (Billing)"].replace(" ", "")
        expected["+44" + number[1:] if number.startswith("0") else number] += Decimal(row["Order Total Amount"])
    assert shown_revenue(store, "phone") == paying(expected)


# -- exports that are not orders -------------------------------------------------------------------


def test_a_shopify_customers_export_is_refused_with_what_to_import_instead():
    with pytest.raises(UnknownLayoutError) as caught:
        plan_file(FIXTURES / "shopify_customers_export.csv", ImportOptions(currency="GBP"))
    message = str(caught.value)
    assert "Shopify customers export" in message and "orders_export.csv" in message
    assert "lottie" not in message.casefold()


# -- the --map example -----------------------------------------------------------------------------


def refusal(path: Path, **options) -> str:
    with pytest.raises(UnknownLayoutError) as caught:
        plan_file(path, ImportOptions(currency="EUR", **options))
    return str(caught.value)


def test_the_map_example_only_names_a_column_whose_values_fit(tmp_path):
    # A customers list without its totals: yes/no, ids and phones are no order date.
    lines = (FIXTURES / "shopify_customers_export.csv").read_text().splitlines()
    header = lines[0].split(",")
    keep = [i for i, h in enumerate(header) if h not in ("Total Spent", "Total Orders")]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(",".join(line.split(",")[i] for i in keep) for line in lines) + "\n")
    message = refusal(path)
    assert "the order date" in message and "e.g." not in message and "Accepts Email Marketing" in message
    # Item sales without amounts: a price point's name is no total, a category no order id.
    path = tmp_path / "items.csv"
    path.write_text(
        "Date,Category,Item,Price Point Name,Notes\n"
        "2025-07-18,Coffee,Latte,Regular,\n2025-07-18,Coffee,Mocha,Large,\n2025-07-19,Bakery,Muffin,Regular,\n"
    )
    assert "e.g." not in refusal(path)
    # A README is no export at all.
    path = tmp_path / "README.md"
    path.write_text("# shopkeep\n\nKeep your customers.\n\nSee the docs.\n")
    assert refusal(path).endswith("Name them with --map FIELD=HEADER")


def test_the_map_example_names_the_column_that_reads_as_the_field(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "Ref,Status,Bought,Paid\nA-1,paid,03/02/2025,12.50\nA-2,paid,17/02/2025,8.00\nA-3,paid,18/02/2025,5.00\n"
    )
    assert 'e.g. --map ordered_at="Bought"' in refusal(path)
    path.write_text("Reference,Category,When,Sum paid\nR1,Soap,2025-02-03,12.50\nR2,Soap,2025-02-04,1.00\n")
    assert 'e.g. --map total="Sum paid"' in refusal(path, overrides={"ordered_at": "When"})
    shopify = FIXTURES / "shopify_orders_gb.csv"
    message = refusal(shopify, overrides={"order_id": ""})
    assert "the order id" in message and '--map order_id="Id"' in message  # not "Vendor" nor an email
