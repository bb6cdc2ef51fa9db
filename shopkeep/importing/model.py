"""The shapes data takes on its way in. The contract between reading/parsing and loading.

file bytes --readers--> RawRecord (header -> text, with the editor line number)
           --presets/mapping--> MappedRecord (canonical field -> text)
           --values--> ParsedRow (typed: Decimal-free ints for money, datetime, E.164 phone)
           --grouping--> ParsedOrder (one order, its lines, its buyer identity)
           --load--> the store
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

# Every field an export can be mapped to.
CANONICAL_FIELDS: tuple[str, ...] = (
    "order_id",
    "ordered_at",
    "customer_id",
    "email",
    "phone",
    "name",
    "first_name",
    "last_name",
    "total",
    "unit_price",
    "quantity",
    "line_total",
    "currency",
    "status",
    "sku",
    "product",
    "discount",
    "discount_code",
    "shipping",
    "city",
    "country",
    "referral_code",
    "refunded",
)

# The fields that hold amounts.
MONEY_FIELDS: tuple[str, ...] = ("total", "unit_price", "line_total", "discount", "shipping", "refunded")

# Normalised order statuses (the store's CHECK constraint uses the same set).
STATUSES = ("paid", "pending", "cancelled", "refunded", "voided", "partially_refunded")


@dataclass(frozen=True)
class RawRecord:
    """One CSV record as read: `line` is the editor line number of the record's first line."""

    line: int
    values: dict[str, str]  # header as written in the file -> cell text


@dataclass(frozen=True)
class BadValue:
    """Why one cell (or one record) cannot be imported. Never carries more than the cell."""

    line: int
    column: str  # header in the file, or the canonical field when no header applies
    value: str
    reason: str


class BadRow(list):
    """A record that cannot be imported: its BadValues, plus the order id when it could be read
    (with --skip-bad, the other rows of that order are left out too)."""

    __slots__ = ("order_id",)

    def __init__(self, problems: Iterable[BadValue] = (), order_id: str | None = None):
        super().__init__(problems)
        self.order_id = order_id


@dataclass
class ParsedRow:
    """One record with typed values. Money is integer minor units of `currency`."""

    line: int
    order_id: str | None = None
    ordered_at: dt.datetime | None = None  # shop-local, naive
    customer_id: str | None = None
    email: str | None = None
    phone: str | None = None  # E.164
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    total: int | None = None
    unit_price: int | None = None
    quantity: float | None = None
    line_total: int | None = None
    currency: str | None = None
    status: str | None = None  # one of STATUSES
    sku: str | None = None
    product: str | None = None
    discount: int | None = None
    discount_code: str | None = None
    shipping: int | None = None
    city: str | None = None
    country: str | None = None
    referral_code: str | None = None
    refunded: int | None = None  # the amount refunded so far (a partial refund), never negative
    phone_unread: bool = False  # a phone was given but could not be read (e.g. no country code): left empty


@dataclass
class ParsedLine:
    line_no: int
    sku: str | None
    product: str | None
    quantity: float
    unit_price: int | None
    line_total: int


@dataclass
class ParsedOrder:
    """One order ready to load. `kind` is 'credit' for a cancellation invoice (negative total)."""

    source: str
    order_key: str
    order_number: str | None
    ordered_at: dt.datetime
    currency: str
    total: int
    status: str = "paid"
    kind: str = "order"
    discount: int = 0
    shipping: int = 0
    discount_code: str | None = None
    city: str | None = None
    country: str | None = None
    referral_code: str | None = None
    refunded: int = 0
    # buyer identity (all optional: none at all = a guest order)
    customer_ext_id: str | None = None
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    lines: list[ParsedLine] = field(default_factory=list)
    first_line: int = 0  # file line where the order starts, for messages
    phone_unread: bool = False  # a phone was given but could not be read
