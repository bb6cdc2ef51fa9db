"""SQL for one customer's card: contact details, orders with items, calls, notes, referrals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.store import Store
from shopkeep.store import notes as notes_store

ORDERS_SHOWN = 50


@dataclass(frozen=True)
class Card:
    customer: dict[str, Any]
    orders: list[dict[str, Any]]  # newest first, at most ORDERS_SHOWN, each with "lines"
    order_count: int
    calls: list[dict[str, Any]]  # newest first
    notes: list[dict[str, Any]]  # newest first
    referred_by: dict[str, Any] | None  # {"id", "name"} of who brought this customer
    referred: list[dict[str, Any]]  # {"id", "name", "flag", "rewarded_at"} of whom this customer brought


def load(store: Store, customer_id: int) -> Card:
    with store.snapshot():
        customer = store.one(
            "SELECT id, external_id, name, email, phone, city, country, referral_code, do_not_call, language,"
            " birthday, created_at, forgotten_at FROM customers WHERE id = ?",
            (customer_id,),
        )
        if customer is None:
            raise ShopkeepError(_("no customer with id {id}").format(id=customer_id))
        orders = store.rows(
            "SELECT id, order_number, ordered_at, status, kind, currency, total, refunded, discount_code"
            " FROM orders WHERE customer_id = ? ORDER BY ordered_at DESC, id DESC LIMIT ?",
            (customer_id, ORDERS_SHOWN),
        )
        lines: dict[int, list[dict[str, Any]]] = {o["id"]: [] for o in orders}
        if orders:
            marks = ",".join("?" * len(orders))
            for line in store.rows(
                f"SELECT order_id, product, sku, quantity, line_total FROM order_lines"
                f" WHERE order_id IN ({marks}) ORDER BY order_id, line_no",
                list(lines),
            ):
                lines[line["order_id"]].append(line)
        for order in orders:
            order["lines"] = lines[order["id"]]
        return Card(
            customer=customer,
            orders=orders,
            order_count=store.scalar("SELECT count(*) FROM orders WHERE customer_id = ?", (customer_id,)),
            calls=store.rows(
                "SELECT id, called_at, outcome, reason, offer, note, callback_on FROM calls"
                " WHERE customer_id = ? AND id NOT IN (SELECT target_id FROM undone WHERE kind = 'call')"
                " ORDER BY called_at DESC, id DESC",
                (customer_id,),
            ),
            notes=notes_store.for_customer(store, customer_id),
            referred_by=store.one(
                "SELECT c.id, c.name FROM referrals r JOIN customers c ON c.id = r.referrer_id WHERE r.referred_id = ?",
                (customer_id,),
            ),
            referred=store.rows(
                "SELECT c.id, c.name, r.flag, r.rewarded_at FROM referrals r JOIN customers c ON c.id = r.referred_id"
                " WHERE r.referrer_id = ? ORDER BY r.created_at, r.id",
                (customer_id,),
            ),
        )
