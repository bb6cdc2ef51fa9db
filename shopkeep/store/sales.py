"""Which orders are sales: the one definition, used by analytics, loyalty, calls and referrals alike.

An order row has a kind ('order', or 'credit' for a cancellation invoice with a negative total) and
a status. What each status means for the shop's figures:

| status              | a sale?            | revenue             | purchase points         |
|---------------------|--------------------|---------------------|-------------------------|
| paid                | yes                | total               | on the total            |
| partially_refunded  | yes                | total - refunded    | on the total, the refunded share taken back |
| pending             | not yet            | none until paid     | none until paid         |
| refunded            | no (undone)        | none                | taken back              |
| cancelled, voided   | no (undone)        | none                | taken back              |
| credit note         | no (reduces sales) | its negative total  | taken back from the customer |

Pending (placed, not paid: bank transfer, cash on delivery) is deliberately *not yet* a sale: it adds
no revenue, no order to the counts and no points. The next import of the same order, paid, makes it
one. A customer whose latest order is still pending is not called as slipping away.
"""

from __future__ import annotations

SALE_STATUSES = frozenset({"paid", "partially_refunded"})
PENDING_STATUSES = frozenset({"pending"})
UNDONE_STATUSES = frozenset({"cancelled", "refunded", "voided"})
# Something went wrong with the order (the reason to script "let down" calls on).
TROUBLE_STATUSES = UNDONE_STATUSES | {"partially_refunded"}


def _in(statuses: frozenset[str]) -> str:
    return "(" + ", ".join(f"'{s}'" for s in sorted(statuses)) + ")"


SALE_STATUSES_SQL = _in(SALE_STATUSES)
UNDONE_STATUSES_SQL = _in(UNDONE_STATUSES)


def is_undone(status: str) -> bool:
    """Refunded, cancelled or voided: the sale was taken back (points too)."""
    return status in UNDONE_STATUSES


def is_sale(kind: str, status: str) -> bool:
    """An order that brought money."""
    return kind == "order" and status in SALE_STATUSES


def sale_sql(alias: str = "") -> str:
    """SQL true for a sale (`alias` is the orders table's alias, e.g. 'o')."""
    p = f"{alias}." if alias else ""
    return f"({p}kind = 'order' AND {p}status IN {SALE_STATUSES_SQL})"


def credit_sql(alias: str = "") -> str:
    """SQL true for a credit note that stands (it reduces revenue)."""
    p = f"{alias}." if alias else ""
    return f"({p}kind = 'credit' AND {p}status IN {SALE_STATUSES_SQL})"


def net_revenue_sql(alias: str = "") -> str:
    """SQL for the money one order row brought, in minor units: total less refunds for a sale, the
    (negative) total of a credit note that stands, nothing otherwise."""
    p = f"{alias}." if alias else ""
    return f"(CASE WHEN {p}status IN {SALE_STATUSES_SQL} THEN {p}total - {p}refunded ELSE 0 END)"
