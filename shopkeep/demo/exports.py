"""The demo's orders written as the shop's two exports, as the owner downloads them: the online shop's
Shopify file and the counter's semicolon file (the demo build then loads them through the real importer)."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path

from shopkeep import money
from shopkeep.demo.defaults import CURRENCY
from shopkeep.demo.people import COUNTER_CITY
from shopkeep.demo.plan import Plan

SHOPIFY_FILE = "orders_export.csv"
COUNTER_FILE = "counter_sales.csv"

SHOPIFY_HEADERS = (
    "Name",
    "Email",
    "Financial Status",
    "Created at",
    "Currency",
    "Subtotal",
    "Shipping",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Refunded Amount",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Billing Name",
    "Billing Phone",
    "Shipping City",
    "Shipping Country",
)
COUNTER_HEADERS = (
    "Order ID",
    "Order Date",
    "Customer ID",
    "Email",
    "Phone",
    "Name",
    "Total",
    "Currency",
    "Status",
    "SKU",
    "Product",
    "Quantity",
    "Unit Price",
    "Discount Code",
    "City",
    "Referral Code",
)


_money = functools.partial(money.plain, currency=CURRENCY)  # amounts as the platforms write them


def _utc_offset(at: dt.datetime) -> str:
    """The shop's UK offset: British Summer Time from the last Sunday of March to that of October."""

    def last_sunday(month: int) -> dt.date:
        day = dt.date(at.year, month, 31)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)

    return "+0100" if last_sunday(3) <= at.date() < last_sunday(10) else "+0000"


def write_exports(plan: Plan, folder: Path) -> tuple[Path, Path]:
    """The online shop's Shopify export and the counter's semicolon export, as the owner downloads them."""
    shopify, counter = folder / SHOPIFY_FILE, folder / COUNTER_FILE
    _write_shopify(plan, shopify)
    _write_counter(plan, counter)
    return shopify, counter


def _write_shopify(plan: Plan, shopify: Path) -> None:
    """One row per line item; the order's own columns only on its first row, as Shopify writes them."""
    with shopify.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(SHOPIFY_HEADERS)
        for order in plan.orders:
            if order.channel != "online":
                continue
            person = order.person
            assert person is not None
            head = [
                order.number,
                person.email or "",
                order.status,
                f"{order.at:%Y-%m-%d %H:%M:%S} {_utc_offset(order.at)}",
                CURRENCY,
                _money(order.subtotal),
                _money(order.shipping),
                _money(order.total),
                order.discount_code or "",
                _money(order.discount) if order.discount_code else "",
                _money(order.refunded) if order.refunded else "",
            ]
            tail = [person.name, person.phone or "", person.city, person.country]
            for i, line in enumerate(order.lines):
                item = [str(line.quantity), line.product.name, _money(line.product.price), line.product.sku]
                if i == 0:
                    writer.writerow(head + item + tail)
                else:
                    writer.writerow([order.number] + [""] * (len(head) - 1) + item + [""] * len(tail))


def _write_counter(plan: Plan, counter: Path) -> None:
    """One row per line item, every row carrying its order's columns, as the counter's till writes them."""
    with counter.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(COUNTER_HEADERS)
        for order in plan.orders:
            if order.channel != "counter":
                continue
            person = order.person
            who = ["", "", "", ""] if person is None else [person.counter_id, person.email or "", person.phone or ""]
            if person is not None:
                who.append(person.name)
            city = COUNTER_CITY if person is None else person.city
            status = {"paid": "completed"}.get(order.status, order.status)
            for line in order.lines:
                head = (order.number, f"{order.at:%d.%m.%Y %H:%M}", *who, _money(order.total), CURRENCY, status)
                item = (line.product.sku, line.product.name, str(line.quantity), _money(line.product.price))
                writer.writerow((*head, *item, order.discount_code or "", city, order.referral_code or ""))
