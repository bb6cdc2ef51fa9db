"""The demo's plan: everything the demo shop holds, as plain data, before it is written anywhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shopkeep.demo.catalogue import FREE_SHIPPING_FROM, SHIPPING_FEE, Product


@dataclass
class Person:
    idx: int
    script: str  # 'en', 'ru' or 'pl': also the language the owner calls them in
    first: str
    last: str
    country: str
    city: str
    email: str | None
    phone: str | None  # as written in the files (national format)
    phone_e164: str | None
    archetype: str
    channel: str  # 'online', 'counter' or 'both'
    counter_id: str
    favourites: list[Product]
    referral_code: str | None = None  # own code, when the person refers friends
    orders: list[Order] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()


@dataclass
class Line:
    product: Product
    quantity: int

    @property
    def total(self) -> int:
        return self.product.price * self.quantity


@dataclass
class Order:
    person: Person | None  # None = a guest at the counter
    at: dt.datetime
    channel: str  # 'online' or 'counter'
    lines: list[Line]
    discount_code: str | None = None
    discount_percent: int = 0
    status: str = "paid"
    refunded: int = 0
    referral_code: str | None = None
    number: str = ""

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def discount(self) -> int:
        return self.subtotal * self.discount_percent // 100

    @property
    def shipping(self) -> int:
        if self.channel == "counter" or self.subtotal - self.discount >= FREE_SHIPPING_FROM:
            return 0
        return SHIPPING_FEE

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.shipping


@dataclass
class Call:
    person: Person
    at: dt.datetime
    outcome: str
    reason: str | None
    offer: str | None
    note: str | None
    callback_on: dt.date | None = None


@dataclass
class Promise:
    person: Person
    call: Call
    kind: str
    amount: int
    description: str
    due_on: dt.date
    closed_at: dt.datetime | None


@dataclass
class Note:
    person: Person
    body: str
    at: dt.datetime


@dataclass
class Plan:
    """Everything the demo shop holds, before it is written anywhere."""

    today: dt.date
    seed: int
    people: list[Person]
    orders: list[Order]
    calls: list[Call]
    promises: list[Promise]
    notes: list[Note]
