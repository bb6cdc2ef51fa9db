"""Grouping: parsed rows -> orders.

A file has one row per order, or one row per line item (Shopify, Square items, invoices).
Rows of one order are adjacent in practice; they are grouped by order id. Order-level values
(total, status, buyer, ...) are taken once, from the first row that carries them, so files that
repeat them on every row (WooCommerce) and files that give them only on the first row (Shopify)
both count the total once. When no row carries a total, the total is the sum of the lines, each
line being its line total or quantity x unit price. A negative total is a cancellation invoice:
kind 'credit'.

Rows without an order id each become one order with a stable key: a hash of the row's values
plus how many identical rows came before it in the file, so two identical rows stay two orders
and importing the file again finds the same keys.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_EVEN, Decimal

from shopkeep.importing.model import BadValue, ParsedLine, ParsedOrder, ParsedRow

# Cell texts that mean "nobody": never a customer id or a customer name.
PLACEHOLDERS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "--", "—", "?", "unknown", "guest", "0"})

_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(ParsedRow) if f.name != "line")


def clean_identity(text: str | None) -> str | None:
    """The text trimmed, or None when it is empty or a placeholder such as 'NA'."""
    if text is None:
        return None
    if "  " in text or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())
    if len(text) <= 7 and text.casefold() in PLACEHOLDERS:
        return None
    return text


def normalise_name(text: str | None) -> str | None:
    """A name as an identity key: case-folded, single spaces; None for placeholders."""
    text = clean_identity(text)
    return text.casefold() if text else None


def line_amount(quantity: float, unit_price: int) -> int:
    """quantity x unit price in minor units, rounded half to even (0.5 kg x 199 = 100)."""
    if quantity.is_integer():
        return int(quantity) * unit_price
    exact = Decimal(repr(quantity)) * unit_price
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def row_key(row: ParsedRow) -> bytes:
    """A stable content digest of a row without an order id (before the occurrence count)."""
    values = tuple(getattr(row, name) for name in _ROW_FIELDS)
    return hashlib.blake2b(repr(values).encode(), digest_size=12).digest()


def group_orders(
    items: Iterable[object],
    source: str,
    grain: str,
) -> Iterator[ParsedOrder | list[BadValue] | object]:
    """Turn a stream of parsed items into orders.

    ParsedRows are grouped (by adjacent order id when `grain` is 'line'); everything else
    (lists of BadValue, skipped records) passes through unchanged and at once. An order that
    cannot be built (no date, no currency, no money at all) comes out as a list of BadValue.
    """
    pending: list[ParsedRow] = []
    occurrences: dict[bytes, int] = {}  # the only per-row memory: 12-byte digests of rows without order id
    by_line = grain == "line"
    for item in items:
        if type(item) is not ParsedRow:
            yield item
            continue
        order_id = item.order_id or None
        if by_line and order_id is not None:
            if pending and pending[0].order_id != order_id:
                yield build_order(pending, source, order_id=pending[0].order_id)
                pending = []
            pending.append(item)
            continue
        if pending:
            yield build_order(pending, source, order_id=pending[0].order_id)
            pending = []
        if order_id is None:
            content = row_key(item)
            seen = occurrences.get(content, 0)
            occurrences[content] = seen + 1
            yield build_order([item], source, order_id=None, content_key=f"row:{content.hex()}:{seen}")
        else:
            yield build_order([item], source, order_id=order_id)
    if pending:
        yield build_order(pending, source, order_id=pending[0].order_id)


def _head(rows: list[ParsedRow]) -> ParsedRow:
    """The order-level values of a group: each field from the first row that has it."""
    if len(rows) == 1:
        return rows[0]
    values = {}
    for name in _ROW_FIELDS:
        for row in rows:
            value = getattr(row, name)
            if value is not None:
                values[name] = value
                break
    return ParsedRow(line=rows[0].line, **values)


def build_order(
    rows: list[ParsedRow],
    source: str,
    *,
    order_id: str | None,
    content_key: str | None = None,
) -> ParsedOrder | list[BadValue]:
    """One order from its rows (all of one order id, or a single row without one)."""
    head = _head(rows)
    first_line = head.line
    problems: list[BadValue] = []
    if head.ordered_at is None:
        problems.append(BadValue(first_line, "ordered_at", "", "no order date"))
    if head.currency is None:
        problems.append(BadValue(first_line, "currency", "", "no currency (give one with --currency)"))

    explicit_total = head.total
    lines: list[ParsedLine] = []
    for row in rows:
        if (
            row.sku is None
            and row.product is None
            and row.quantity is None
            and row.unit_price is None
            and row.line_total is None
        ):
            continue
        quantity = 1.0 if row.quantity is None else row.quantity
        if row.line_total is not None:
            amount = row.line_total
        elif row.unit_price is not None:
            amount = line_amount(quantity, row.unit_price)
        elif len(rows) == 1 and explicit_total is not None:
            amount = explicit_total
        else:
            amount = 0
        lines.append(ParsedLine(len(lines) + 1, row.sku, row.product, quantity, row.unit_price, amount))

    if explicit_total is not None:
        total = explicit_total
    elif head.line_total is not None or head.unit_price is not None:
        total = sum(line.line_total for line in lines)
    else:
        problems.append(BadValue(first_line, "total", "", "no total, line total or unit price"))
        total = 0
    if problems:
        return problems

    first_name = clean_identity(head.first_name)
    last_name = clean_identity(head.last_name)
    name = clean_identity(head.name)
    if name is None and (first_name or last_name):
        name = " ".join(part for part in (first_name, last_name) if part)
    return ParsedOrder(
        source=source,
        order_key=order_id if order_id is not None else content_key,
        order_number=order_id,
        ordered_at=head.ordered_at,
        currency=head.currency,
        total=total,
        status=head.status or "paid",
        kind="credit" if total < 0 else "order",
        discount=head.discount or 0,
        shipping=head.shipping or 0,
        discount_code=head.discount_code,
        city=head.city,
        country=head.country,
        referral_code=head.referral_code,
        customer_ext_id=clean_identity(head.customer_id),
        email=head.email,
        phone=head.phone,
        name=name,
        first_name=first_name,
        last_name=last_name,
        lines=lines,
        first_line=first_line,
    )
