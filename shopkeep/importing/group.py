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
from typing import cast

from shopkeep.i18n import N_, _
from shopkeep.importing.model import BadRow, BadValue, ParsedLine, ParsedOrder, ParsedRow

# Cell texts that mean "nobody": never a customer id or a customer name.
PLACEHOLDERS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "--", "—", "?", "unknown", "guest", "0"})

_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(ParsedRow) if f.name != "line")
_KEYED_FIELDS = tuple(name for name in _ROW_FIELDS if name not in ("refunded", "phone_unread"))


def clean_identity(text: str | None) -> str | None:
    """The text trimmed, or None when it is empty or a placeholder such as 'NA'."""
    if text is None:
        return None
    if len(text) > 7 and text[0] != " " != text[-1] and "  " not in text and text.isprintable():
        return text  # the common case: nothing to trim, too long for a placeholder
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
    """A stable content digest of a row without an order id (before the occurrence count).

    A refunded amount counts only when there is one, so rows imported before refunds were read keep their keys.
    """
    values = tuple(getattr(row, name) for name in _KEYED_FIELDS)
    if row.refunded:
        values += (row.refunded,)
    return hashlib.blake2b(repr(values).encode(), digest_size=12).digest()


def group_orders(
    items: Iterable[object],
    source: str,
    grain: str,
    *,
    whole_orders: bool = False,
) -> Iterator[ParsedOrder | list[BadValue] | object]:
    """Turn a stream of parsed items into orders.

    ParsedRows are grouped (by adjacent order id when `grain` is 'line'); everything else
    (lists of BadValue, skipped records) passes through unchanged and at once. An order that
    cannot be built (no date, no currency, no money at all) comes out as a list of BadValue.
    With `whole_orders` (--skip-bad), a bad row of a line-item order rejects the whole order:
    its other rows come out as lists of BadValue too, never as an order with a wrong total.
    """
    pending: list[ParsedRow] = []
    occurrences: dict[bytes, int] = {}  # the only per-row memory: 12-byte digests of rows without order id
    bad_orders: dict[str, int] = {}  # with whole_orders: order id -> line of its first bad row
    by_line = grain == "line"
    whole_orders = whole_orders and by_line
    for item in items:
        if type(item) is not ParsedRow:
            bad_id = getattr(item, "order_id", None) if whole_orders else None
            if bad_id is not None:
                bad_line = bad_orders.setdefault(bad_id, cast(BadRow, item)[0].line)
                if pending and pending[0].order_id == bad_id:
                    yield from (_left_out(row, bad_line) for row in pending)
                    pending = []
            yield item
            continue
        order_id = item.order_id or None
        if by_line and order_id is not None:
            if whole_orders and order_id in bad_orders:
                yield _left_out(item, bad_orders[order_id])
                continue
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
            yield _row_order(item, source, f"row:{content.hex()}:{seen}", None)
        else:
            yield _row_order(item, source, order_id, order_id)
    if pending:
        yield build_order(pending, source, order_id=pending[0].order_id)


def _left_out(row: ParsedRow, bad_line: int) -> list[BadValue]:
    return [
        BadValue(
            row.line, "(record)", "", _("left out with line {line}, a bad row of the same order").format(line=bad_line)
        )
    ]


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


def _row_order(row: ParsedRow, source: str, order_key: str, order_id: str | None) -> ParsedOrder | list[BadValue]:
    """build_order([row]) for the common row: an order of its own with a date, a currency, a total, no line
    fields and a refund within the total. The same order, built without the general path; any other row
    takes the general path."""
    total = row.total
    refunded = row.refunded or 0
    if (
        total is None
        or row.ordered_at is None
        or row.currency is None
        or row.sku is not None
        or row.product is not None
        or row.quantity is not None
        or row.unit_price is not None
        or row.line_total is not None
        or refunded > total >= 0
    ):
        return build_order([row], source, order_id=order_id, content_key=order_key)
    first_name = row.first_name
    if first_name is not None:
        first_name = clean_identity(first_name)
    last_name = row.last_name
    if last_name is not None:
        last_name = clean_identity(last_name)
    name = row.name
    if name is not None:
        name = clean_identity(name)
    if name is None and (first_name or last_name):
        name = " ".join(part for part in (first_name, last_name) if part)
    customer_id = row.customer_id
    return ParsedOrder(
        source,
        order_key,
        order_id,
        row.ordered_at,
        row.currency,
        total,
        row.status or "paid",
        "credit" if total < 0 else "order",
        row.discount or 0,
        row.shipping or 0,
        row.discount_code,
        row.city,
        row.country,
        row.referral_code,
        refunded,
        None if customer_id is None else clean_identity(customer_id),
        row.email,
        row.phone,
        name,
        first_name,
        last_name,
        [],
        row.line,
        row.phone_unread,
    )


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
        problems.append(BadValue(first_line, "ordered_at", "", N_("no order date")))
    if head.currency is None:
        problems.append(BadValue(first_line, "currency", "", N_("no currency (give one with --currency)")))

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
        problems.append(BadValue(first_line, "total", "", N_("no total, line total or unit price")))
        total = 0
    refunded = head.refunded or 0
    if refunded > total >= 0:
        problems.append(BadValue(first_line, "refunded", "", N_("the refunded amount is larger than the order total")))
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
        refunded=refunded,
        customer_ext_id=clean_identity(head.customer_id),
        email=head.email,
        phone=head.phone,
        name=name,
        first_name=first_name,
        last_name=last_name,
        lines=lines,
        first_line=first_line,
        phone_unread=head.phone_unread and head.phone is None,
    )
