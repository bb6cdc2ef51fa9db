"""The demo shop: a deterministic generator of a believable small tea & coffee shop, and
copying the shipped demo.db for a session.

The generator simulates people, not rows: every customer has an archetype with its own rhythm
(regulars, slipping regulars, one-timers, gift buyers, discount hunters, big spenders, ...).
Their orders are written as the shop's two exports (the online shop's Shopify file and the
counter's semicolon file) and loaded through the real importer, as a shop owner's would be.
The demo carries its own "today" (setting `demo_today`), so it looks alive whatever the date.

    python -m shopkeep.demo build demo.db [--today YYYY-MM-DD] [--seed N] [--customers N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import hashlib
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

from shopkeep import i18n, loyalty, money
from shopkeep.clock import Clock
from shopkeep.errors import ShopkeepError
from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions
from shopkeep.paths import touch_private
from shopkeep.referrals import CODE_ALPHABET, code_prefix, to_ascii
from shopkeep.store import Store, demo_seed
from shopkeep.store import loyalty as loyalty_sql
from shopkeep.store.referrals import SALT_KEY
from shopkeep.upkeep import after_import

DEFAULT_TODAY = dt.date(2026, 11, 23)
DEMO_MOMENT = dt.time(8, 0)  # every bookkeeping time of the demo: its today, 08:00
DEFAULT_SEED = 2026
DEFAULT_CUSTOMERS = 1500
HISTORY_DAYS = 730

SHOP_NAME = "Tea & Co"
CURRENCY = "GBP"
COUNTRY = "GB"

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

# -- the catalogue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: int  # minor units
    weight: int  # how often it is bought, relative
    gift: bool = False


CATALOGUE: tuple[Product, ...] = (
    Product("TEA-EB-100", "English Breakfast, 100 g", 590, 30),
    Product("TEA-EB-250", "English Breakfast, 250 g", 1290, 14),
    Product("TEA-EG-100", "Earl Grey Classic, 100 g", 650, 28),
    Product("TEA-EG-250", "Earl Grey Classic, 250 g", 1450, 12),
    Product("TEA-LG-100", "Lady Grey, 100 g", 690, 10),
    Product("TEA-AS-100", "Assam Harmutty TGFOP, 100 g", 790, 12),
    Product("TEA-DJ-100", "Darjeeling First Flush, 100 g", 1490, 8),
    Product("TEA-DJ-050", "Darjeeling Second Flush, 50 g", 990, 7),
    Product("TEA-CY-100", "Ceylon Uva, 100 g", 690, 10),
    Product("TEA-LS-100", "Lapsang Souchong, 100 g", 850, 6),
    Product("TEA-YN-100", "Yunnan Golden Buds, 100 g", 1290, 6),
    Product("TEA-SE-100", "Sencha Fukamushi, 100 g", 1190, 11),
    Product("TEA-GM-100", "Genmaicha, 100 g", 790, 8),
    Product("TEA-MT-030", "Ceremonial Matcha, 30 g", 2290, 9),
    Product("TEA-JS-100", "Jasmine Pearls, 100 g", 1690, 9),
    Product("TEA-LJ-050", "Long Jing Dragon Well, 50 g", 1590, 5),
    Product("TEA-GP-100", "Gunpowder Green, 100 g", 550, 7),
    Product("TEA-TK-100", "Tie Guan Yin Oolong, 100 g", 1390, 8),
    Product("TEA-MO-100", "Milk Oolong, 100 g", 1190, 9),
    Product("TEA-DH-050", "Da Hong Pao, 50 g", 1890, 4),
    Product("TEA-PU-100", "Shou Pu-erh, 100 g", 1090, 6),
    Product("TEA-PU-357", "Pu-erh Cake 2018, 357 g", 4900, 2),
    Product("TEA-WP-050", "White Peony, 50 g", 990, 6),
    Product("TEA-SN-050", "Silver Needle, 50 g", 1990, 3),
    Product("TEA-RB-100", "Rooibos Vanilla, 100 g", 590, 12),
    Product("TEA-CH-100", "Chamomile Flowers, 100 g", 490, 11),
    Product("TEA-PM-100", "Peppermint Leaf, 100 g", 450, 12),
    Product("TEA-HB-100", "Hibiscus & Berries, 100 g", 550, 9),
    Product("TEA-CC-100", "Masala Chai, 100 g", 690, 11),
    Product("TEA-IT-100", "Ivan-chai Fermented Willowherb, 100 g", 790, 6),
    Product("COF-HB-250", "House Blend Beans, 250 g", 890, 26),
    Product("COF-HB-1KG", "House Blend Beans, 1 kg", 2990, 8),
    Product("COF-ET-250", "Ethiopia Yirgacheffe, 250 g", 1150, 14),
    Product("COF-CO-250", "Colombia Huila, 250 g", 1050, 13),
    Product("COF-BR-250", "Brazil Cerrado, 250 g", 950, 12),
    Product("COF-KE-250", "Kenya AA, 250 g", 1290, 8),
    Product("COF-GU-250", "Guatemala Antigua, 250 g", 1090, 7),
    Product("COF-DC-250", "Decaf Colombia, 250 g", 990, 7),
    Product("COF-ES-250", "Espresso Roast, 250 g", 950, 15),
    Product("COF-GR-250", "House Blend Ground, 250 g", 890, 10),
    Product("ACC-INF-01", "Stainless Tea Infuser", 450, 6),
    Product("ACC-TPT-06", "Glass Teapot 600 ml", 2490, 3),
    Product("ACC-KYU-03", "Kyusu Teapot 300 ml", 3900, 2),
    Product("ACC-CUP-02", "Double-Wall Glasses, set of 2", 1890, 3),
    Product("ACC-CHS-01", "Matcha Whisk (Chasen)", 1490, 3),
    Product("ACC-FRP-06", "French Press 600 ml", 2450, 2),
    Product("ACC-GRD-01", "Hand Coffee Grinder", 4900, 1),
    Product("ACC-FLT-100", "Paper Filters V60, 100 pcs", 590, 4),
    Product("ACC-CAD-01", "Tin Caddy 200 g", 690, 4),
    Product("GFT-SAM-06", "Tea Tasting Set, 6 teas", 2490, 4, gift=True),
    Product("GFT-XMS-01", "Winter Spice Gift Box", 3490, 3, gift=True),
    Product("GFT-COF-03", "Coffee Discovery Box, 3 x 250 g", 3190, 3, gift=True),
    Product("GFT-CARD-25", "Gift Card 25.00", 2500, 2, gift=True),
    Product("GFT-HMP-01", "Tea Lover's Hamper", 5900, 1, gift=True),
    Product("FD-BSC-200", "Shortbread Biscuits, 200 g", 390, 9),
    Product("FD-HNY-250", "Wildflower Honey, 250 g", 690, 5),
)
GIFTS = tuple(p for p in CATALOGUE if p.gift)
PREMIUM = tuple(p for p in CATALOGUE if p.price >= 1390)

FREE_SHIPPING_FROM = 4000
SHIPPING_FEE = 395

# Sale windows (month, first day, last day, code, percent) a discount hunter waits for.
SALES = (
    (1, 2, 15, "JANUARY15", 15),
    (3, 18, 31, "SPRING10", 10),
    (7, 1, 14, "SUMMER10", 10),
    (11, 20, 30, "BLACKFRIDAY20", 20),
)
WELCOME_CODE = ("WELCOME10", 10)
THANKS_CODE = ("THANKYOU5", 5)

# -- people -----------------------------------------------------------------------------------

# fmt: off
EN_FIRST_F = ("Emma", "Olivia", "Amelia", "Sophie", "Charlotte", "Grace", "Lucy", "Hannah", "Chloe", "Ella",
              "Jessica", "Emily", "Isabel", "Holly", "Megan", "Ruth", "Claire", "Anna", "Fiona", "Harriet")
EN_FIRST_M = ("Oliver", "James", "Harry", "Jack", "George", "Thomas", "William", "Daniel", "Samuel", "Joseph",
              "Henry", "Alfie", "Edward", "Luke", "Owen", "Callum", "Rory", "Peter", "Adam", "Ben")
EN_LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright",
           "Robinson", "Thompson", "Evans", "Walker", "Hughes", "Green", "Hall", "Wood", "Clarke", "Turner",
           "Hill", "Cooper", "Ward", "Morris", "Baker", "Harris", "Fletcher", "Barker", "Hodgson", "Ellis")
RU_FIRST_F = ("Анна", "Мария", "Екатерина", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Елена",
              "Дарья", "Юлия", "Ксения", "Полина", "Вера", "Алёна")
RU_FIRST_M = ("Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Михаил", "Иван", "Николай", "Павел",
              "Артём", "Егор", "Константин", "Виктор", "Фёдор", "Илья")
RU_LAST = (("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"), ("Попов", "Попова"),
           ("Соколов", "Соколова"), ("Лебедев", "Лебедева"), ("Новиков", "Новикова"), ("Морозов", "Морозова"),
           ("Волков", "Волкова"), ("Соловьёв", "Соловьёва"), ("Васильев", "Васильева"), ("Зайцев", "Зайцева"),
           ("Орлов", "Орлова"), ("Белов", "Белова"), ("Ершов", "Ершова"), ("Федоров", "Федорова"))
PL_FIRST_F = ("Małgorzata", "Agnieszka", "Katarzyna", "Zofia", "Joanna", "Łucja", "Magdalena", "Ewa",
              "Barbara", "Justyna", "Grażyna", "Aleksandra", "Weronika", "Dorota", "Marta")
PL_FIRST_M = ("Łukasz", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Wojciech", "Jakub", "Kamil",
              "Marek", "Grzegorz", "Mateusz", "Bartłomiej", "Jędrzej", "Szymon")
PL_LAST = (("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
           ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"),
           ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski",
           "Kozłowska"), ("Mazur", "Mazur"), ("Krawczyk", "Krawczyk"), ("Żak", "Żak"), ("Gołębiowski",
           "Gołębiowska"), ("Szczęsny", "Szczęsna"))
# fmt: on
# Names that break UIs which treat text as markup: the app must show them literally.
HOSTILE_NAMES = (("Alice", "[/]"), ("Smith", "[VIP]"), ("[@click=app.quit]Pay[/]", ""))

CITIES = {
    "GB": ("London", "London", "London", "Manchester", "Leeds", "Bristol", "Brighton", "Oxford", "York", "Bath"),
    "RU": ("Москва", "Москва", "Санкт-Петербург", "Казань", "Екатеринбург", "Новосибирск"),
    "PL": ("Warszawa", "Kraków", "Kraków", "Wrocław", "Gdańsk", "Łódź", "Poznań"),
}
COUNTER_CITY = "London"
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "inbox.example")


def ascii_name(text: str) -> str:
    """Latin letters only, for e-mail addresses: 'Łucja' -> 'lucja', 'Алёна' -> 'alena'."""
    return "".join(ch for ch in to_ascii(text) if "a" <= ch <= "z")


def referral_code_for(seed: int, first_name: str, person: int) -> str:
    """A referrer's own code in the shop's style, e.g. `ANNA-7K2Q`, fixed by the seed and the person."""
    digest = hashlib.sha256(f"{seed}:{person}".encode()).digest()
    return f"{code_prefix(first_name)}-{''.join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:4])}"


ARCHETYPES = (
    # name, share of customers
    ("one_timer", 0.32),
    ("occasional", 0.16),
    ("monthly", 0.10),
    ("weekly", 0.03),
    ("loyal", 0.06),
    ("slipping", 0.11),
    ("lapsed", 0.04),
    ("gift", 0.07),
    ("hunter", 0.06),
    ("big", 0.03),
    ("new", 0.02),
)


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


# -- simulation -------------------------------------------------------------------------------


def _seasonal_weight(day: dt.date) -> float:
    if day.month == 12 and day.day <= 22:
        return 2.2
    return {11: 1.4, 1: 0.9, 3: 1.2, 4: 1.1, 7: 0.8, 8: 0.7}.get(day.month, 1.0)


def _seasonal_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end] drawn with the shop's seasonality."""
    span = (end - start).days
    while True:
        day = start + dt.timedelta(days=rng.randint(0, max(span, 0)))
        if rng.random() * 2.2 <= _seasonal_weight(day):
            return day


def _moment(rng: random.Random, day: dt.date, channel: str) -> dt.datetime:
    if channel == "counter":
        hour = rng.randint(9, 17)
    else:
        hour = rng.choice((7, 8, 9, 11, 12, 13, 14, 17, 19, 20, 20, 21, 21, 22, 23))
    return dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)))


def _phone(rng: random.Random, country: str, used: set[str]) -> tuple[str, str]:
    """A valid mobile number of `country`, written as people write it there, and its E.164 form."""
    while True:
        if country == "GB":
            digits = f"07{rng.choice('4589')}{rng.randint(0, 99_999_999):08d}"
            text, region = f"{digits[:5]} {digits[5:]}", "GB"
        elif country == "RU":
            d = f"9{rng.randint(0, 99):02d}{rng.randint(0, 9_999_999):07d}"
            # "8 (916) ..." would need RU as the file's default region; the shop's is GB.
            text, region = f"+7 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}", "RU"
        else:
            d = f"{rng.choice('5678')}{rng.randint(0, 99_999_999):08d}"
            text, region = f"{rng.choice(('+48', '0048'))} {d[:3]} {d[3:6]} {d[6:]}", "PL"
        parsed = phonenumbers.parse(text, region)
        if not phonenumbers.is_valid_number(parsed):
            continue
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in used:
            used.add(e164)
            return text, e164


def _make_people(rng: random.Random, count: int) -> list[Person]:
    archetypes: list[str] = []
    for name, share in ARCHETYPES:
        archetypes += [name] * round(share * count)
    while len(archetypes) < count:
        archetypes.append("one_timer")
    archetypes = archetypes[:count]
    rng.shuffle(archetypes)
    # The hostile names go where the app shows them most: the call list, the regulars, the newcomers.
    archetypes[: len(HOSTILE_NAMES)] = ["slipping", "loyal", "new"]
    weights = [p.weight for p in CATALOGUE]
    used_phones: set[str] = set()
    used_emails: set[str] = set()
    people = []
    for idx, archetype in enumerate(archetypes):
        script = rng.choices(("en", "ru", "pl"), weights=(55, 25, 20))[0]
        female = rng.random() < 0.6
        if idx < len(HOSTILE_NAMES):
            script, (first, last) = "en", HOSTILE_NAMES[idx]
        elif script == "en":
            first, last = rng.choice(EN_FIRST_F if female else EN_FIRST_M), rng.choice(EN_LAST)
        elif script == "ru":
            first, last = rng.choice(RU_FIRST_F if female else RU_FIRST_M), rng.choice(RU_LAST)[female]
        else:
            first, last = rng.choice(PL_FIRST_F if female else PL_FIRST_M), rng.choice(PL_LAST)[female]
        # Most customers live near the shop; some order online from their home country.
        abroad = script != "en" and archetype != "weekly" and rng.random() < 0.35
        country = {"ru": "RU", "pl": "PL"}[script] if abroad else "GB"
        if abroad:
            channel = "online"
        elif archetype == "weekly":
            channel = "counter"
        else:
            channel = rng.choices(("online", "counter", "both"), (70, 15, 15))[0]
        stem = f"{ascii_name(first) or 'guest'}.{ascii_name(last) or 'shop'}"
        email = f"{stem}@{rng.choice(EMAIL_DOMAINS)}"
        n = 2
        while email in used_emails:
            email = f"{stem}{n}@{email.split('@')[1]}"
            n += 1
        used_emails.add(email)
        phone, e164 = _phone(rng, country, used_phones)
        if channel == "online" and rng.random() < 0.08:
            phone = e164 = None  # e-mail only
        elif channel == "counter" and rng.random() < 0.4:
            email = None  # the till only asked for a phone number
        people.append(
            Person(
                idx=idx,
                script=script,
                first=first,
                last=last,
                country=country,
                city=rng.choice(CITIES[country]),
                email=email,
                phone=phone,
                phone_e164=e164,
                archetype=archetype,
                channel=channel,
                counter_id=f"{idx + 1:06d}",
                favourites=rng.choices(CATALOGUE, weights=weights, k=rng.randint(2, 4)),
            )
        )
    return people


def _basket(rng: random.Random, person: Person | None, *, gift: bool = False, big: bool = False) -> list[Line]:
    size = rng.choices((1, 2, 3, 4, 5), weights=(35, 30, 18, 10, 7))[0]
    if big:
        size = rng.randint(3, 5)
    chosen: dict[str, Line] = {}
    for _ in range(size):
        roll = rng.random()
        if gift and roll < 0.6:
            product = rng.choice(GIFTS)
        elif big and roll < 0.5:
            product = rng.choice(PREMIUM)
        elif person is not None and roll < 0.7:
            product = rng.choice(person.favourites)
        else:
            product = rng.choices(CATALOGUE, weights=[p.weight for p in CATALOGUE])[0]
        quantity = rng.choices((1, 2, 3), weights=(75, 20, 5))[0] + (1 if big and rng.random() < 0.4 else 0)
        if product.sku in chosen:
            chosen[product.sku].quantity += quantity
        else:
            chosen[product.sku] = Line(product, quantity)
    return list(chosen.values())


def _rhythm(rng: random.Random, first: dt.date, end: dt.date, interval: float, jitter: float) -> list[dt.date]:
    days, day = [], first
    while day <= end:
        days.append(day)
        day += dt.timedelta(days=max(1, round(rng.gauss(interval, interval * jitter))))
    return days


def _sale_days(rng: random.Random, start: dt.date, end: dt.date) -> list[tuple[dt.date, str, int]]:
    found = []
    for year in range(start.year, end.year + 1):
        for month, first, last, code, percent in SALES:
            day = dt.date(year, month, rng.randint(first, last))
            if start <= day <= end and rng.random() < 0.75:
                found.append((day, code, percent))
    return found


def _order_days(rng: random.Random, person: Person, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days a person orders on, by archetype (discount hunters are handled apart)."""
    kind = person.archetype
    if kind == "one_timer":
        return [_seasonal_day(rng, start, end - dt.timedelta(days=14))]
    if kind == "new":
        return [end - dt.timedelta(days=rng.randint(2, 9))]
    if kind == "occasional":
        first = _seasonal_day(rng, start, end - dt.timedelta(days=90))
        return sorted({_seasonal_day(rng, first, end) for _ in range(rng.randint(2, 4))} | {first})
    if kind in ("monthly", "loyal", "big", "weekly"):
        interval = {"monthly": 30, "loyal": 50, "big": 40, "weekly": 8}[kind] * rng.uniform(0.8, 1.2)
        latest = {"loyal": 60, "weekly": 300}.get(kind, 500)
        first = start + dt.timedelta(days=rng.randint(0, HISTORY_DAYS - latest))
        return _rhythm(rng, first, end, interval, 0.2)
    if kind == "slipping":
        interval = rng.uniform(18, 45)
        # Now overdue: 1.6 to 4 times their own rhythm since the last order.
        last = end - dt.timedelta(days=round(interval * rng.uniform(1.6, 4.0)))
        days, day, gap = [last], last, interval * rng.uniform(1.1, 1.4)
        for _ in range(rng.randint(6, 16)):
            day -= dt.timedelta(days=max(3, round(rng.gauss(gap, gap * 0.1))))
            if day < start:
                break
            days.append(day)
            gap = max(interval * 0.8, gap / 1.2)
        return sorted(days)
    if kind == "lapsed":
        stop = end - dt.timedelta(days=rng.randint(180, 420))
        first = start + dt.timedelta(days=rng.randint(0, 120))
        return _rhythm(rng, first, stop, rng.uniform(25, 50), 0.25)
    if kind == "gift":
        days = []
        for year in range(start.year, end.year + 1):
            candidates = [(dt.date(year, 12, rng.randint(1, 21)), 0.85), (dt.date(year, 3, rng.randint(10, 28)), 0.4)]
            days += [d for d, p in candidates if start <= d <= end and rng.random() < p]
        return sorted(days) or [_seasonal_day(rng, start, end)]
    raise ValueError(kind)


def _place(rng: random.Random, person: Person, day: dt.date, **basket: bool) -> Order:
    channel = person.channel if person.channel != "both" else rng.choice(("online", "counter"))
    return Order(person, _moment(rng, day, channel), channel, _basket(rng, person, **basket))


CALL_NOTES = {
    "forgot": ("Forgot about us, happy to hear from the shop", "Asked for the new harvest list"),
    "delivery": ("Says delivery is too dear for small orders", "Would order more with free delivery"),
    "prices": ("Found cheaper matcha elsewhere", "Wants a volume discount on coffee"),
    "moved": ("Moved out of town; asked about pickup", "Moving back in spring"),
    "let_down": ("Last parcel arrived with a split bag", "Tea was stale, wants a replacement"),
    "compensation": ("Still waiting for the refund promised in summer", "Wrong item sent, no apology yet"),
}
OFFERS = {
    "forgot": "10% off the next order",
    "delivery": "free delivery on the next order",
    "prices": "double loyalty points for a month",
    "moved": "pickup at the shop",
    "let_down": "replacement sent free",
    "compensation": "5.00 credit and an apology",
}
# What the owner promises an unhappy customer: amount in minor units, or points for a bonus.
PROMISES = {
    "credit": (500, "5.00 store credit on the next order"),
    "refund": (500, "refund 5.00 for the damaged item"),
    "bonus": (200, "200 bonus points as an apology"),
}
NOTE_BODIES = (
    "Prefers loose-leaf oolong; ask about the new harvest",
    "Allergic to bergamot",
    "Buys gifts for her sister every December",
    "Likes a call in the evening, not at work",
    "Runs a small café, may order wholesale",
    "Grinds at home: always sell beans, not ground",
    "Asked to be told when Silver Needle is back",
    "Pays at the counter, never online",
)


def _plan_calls(rng: random.Random, people: list[Person], today: dt.date) -> tuple[list[Call], list[Promise]]:
    """Call history of the last 60 days: mostly slipping regulars, some first-time buyers welcomed."""
    calls: list[Call] = []
    promises: list[Promise] = []
    candidates = [p for p in people if p.archetype in ("slipping", "lapsed") and p.phone and p.orders]
    rng.shuffle(candidates)
    outcomes = ("no_answer", "will_return", "not_interested", "call_later", "wrong_number")
    for person in candidates[: max(8, len(candidates) // 2)]:
        last = max(o.at.date() for o in person.orders)
        earliest = max(today - dt.timedelta(days=60), last + dt.timedelta(days=14))
        if earliest >= today:
            continue
        day = earliest + dt.timedelta(days=rng.randint(0, (today - earliest).days - 1))
        reason = rng.choice(tuple(OFFERS))  # the likely reason the owner calls about
        outcome = rng.choices(outcomes, weights=(30, 42, 13, 8, 3))[0]
        if outcome == "no_answer" and day + dt.timedelta(days=3) < today:
            calls.append(Call(person, _moment(rng, day, "counter"), "no_answer", reason, None, None))
            day += dt.timedelta(days=rng.randint(2, min(7, (today - day).days - 1)))
            outcome = rng.choice(("will_return", "will_return", "no_answer", "not_interested"))
        reached = outcome in ("will_return", "not_interested", "call_later")
        call = Call(
            person,
            _moment(rng, day, "counter"),
            outcome,
            reason,
            OFFERS[reason] if outcome == "will_return" else None,
            rng.choice(CALL_NOTES[reason]) if reached else None,
            today if outcome == "call_later" else None,
        )
        calls.append(call)
        back = day + dt.timedelta(days=rng.randint(2, 25))
        if outcome == "will_return" and back < today and rng.random() < 0.7:  # won back
            won = _place(rng, person, back, big=rng.random() < 0.08)  # now and then a bigger basket than before
            won.discount_code, won.discount_percent = ("COMEBACK10", 10) if reason == "forgot" else (None, 0)
            person.orders.append(won)
            again = back + dt.timedelta(days=rng.randint(14, 35))
            if again < today and rng.random() < 0.4:  # and then came again
                person.orders.append(_place(rng, person, again))
        if reason in ("let_down", "compensation") and outcome == "will_return":
            kind = rng.choice(tuple(PROMISES))
            due = day + dt.timedelta(days=7)
            given = None if due >= today - dt.timedelta(days=3) else _moment(rng, due - dt.timedelta(days=2), "counter")
            amount, description = PROMISES[kind]
            promises.append(Promise(person, call, kind, amount, description, due, given))
    # First-purchase follow-ups for the newest buyers.
    for person in [p for p in people if p.archetype == "new" and p.phone][:6]:
        first = min(o.at.date() for o in person.orders)
        if first + dt.timedelta(days=1) < today:
            at = _moment(rng, first + dt.timedelta(days=1), "counter")
            calls.append(Call(person, at, "welcomed", "first_purchase", "WELCOME10 on the second order", None))
    # The demo must always show a callback due today and an overdue promise.
    if not any(c.outcome == "call_later" for c in calls):
        unanswered = [c for c in calls if c.outcome == "no_answer"]
        if unanswered:
            later = max(unanswered, key=lambda c: c.at)
            later.outcome, later.callback_on, later.note = "call_later", today, "Busy at work, asked for a call back"
    if promises and all(p.closed_at is not None or p.due_on >= today for p in promises):
        promises[0].due_on, promises[0].closed_at = today - dt.timedelta(days=2), None
    calls.sort(key=lambda c: (c.at, c.person.idx))
    return calls, promises


def simulate(customers: int = DEFAULT_CUSTOMERS, *, today: dt.date = DEFAULT_TODAY, seed: int = DEFAULT_SEED) -> Plan:
    """The whole demo shop as plain data: same arguments, same shop."""
    if customers < 20:
        raise ShopkeepError("the demo shop needs at least 20 customers")
    rng = random.Random(seed)
    start, end = today - dt.timedelta(days=HISTORY_DAYS), today - dt.timedelta(days=1)
    people = _make_people(rng, customers)
    for person in people:
        if person.archetype == "hunter":
            first = _seasonal_day(rng, start, end - dt.timedelta(days=60))
            welcome = _place(rng, person, first)
            welcome.discount_code, welcome.discount_percent = WELCOME_CODE
            person.orders.append(welcome)
            for day, code, percent in _sale_days(rng, first + dt.timedelta(days=1), end):
                order = _place(rng, person, day)
                order.discount_code, order.discount_percent = code, percent
                person.orders.append(order)
            continue
        for day in _order_days(rng, person, start, end):
            person.orders.append(
                _place(rng, person, day, gift=person.archetype == "gift", big=person.archetype == "big")
            )
        if rng.random() < 0.08:  # now and then anybody uses a code
            order = rng.choice(person.orders)
            order.discount_code, order.discount_percent = WELCOME_CODE if order is person.orders[0] else THANKS_CODE
    _plan_referrals(rng, people, seed)
    calls, promises = _plan_calls(rng, people, today)
    guests = [
        Order(None, _moment(rng, day, "counter"), "counter", _basket(rng, None))
        for day in (_seasonal_day(rng, start, end) for _ in range(max(3, customers // 60)))
    ]
    orders = sorted([o for p in people for o in p.orders] + guests, key=lambda o: (o.at, o.channel))
    for order in orders:
        roll = rng.random()
        if roll < 0.04:
            if order.channel == "online":
                order.status = rng.choices(("refunded", "partially_refunded", "voided"), (5, 3, 2))[0]
            else:
                order.status = rng.choice(("cancelled", "refunded"))
        if order.status == "refunded":
            order.refunded = order.total
        elif order.status == "partially_refunded":
            if len(order.lines) == 1:
                order.lines.append(Line(rng.choice(CATALOGUE), 1))
            order.refunded = order.lines[0].total
    # Now and then something bought at the counter is brought back: the till writes a credit note.
    returns = []
    for order in orders:
        back = order.at.date() + dt.timedelta(days=rng.randint(1, 10))
        eligible = order.channel == "counter" and order.person and order.status == "paid" and back < today
        if eligible and rng.random() < 0.01:
            line = Line(rng.choice(order.lines).product, -1)
            returns.append(Order(order.person, _moment(rng, back, "counter"), "counter", [line]))
    orders = sorted(orders + returns, key=lambda o: (o.at, o.channel))
    numbers = {"online": 1001, "counter": 10001, "credit": 1}
    for order in orders:
        kind = "credit" if order.total < 0 else order.channel
        prefix = {"online": "#", "counter": "T", "credit": "R"}[kind]
        order.number = f"{prefix}{numbers[kind]}"
        numbers[kind] += 1
    notes = [
        Note(p, rng.choice(NOTE_BODIES), _moment(rng, min(o.at for o in p.orders).date(), "counter"))
        for p in people
        if rng.random() < 0.05
    ]
    return Plan(today, seed, people, orders, calls, promises, notes)


def _plan_referrals(rng: random.Random, people: list[Person], seed: int) -> None:
    """About one customer in ten came with a friend's code, used at the counter on the first order."""
    advocates = [p for p in people if p.archetype in ("loyal", "monthly", "big", "weekly") and len(p.orders) >= 2]
    if not advocates:
        return
    for person in people:
        local = person.country == COUNTRY and person.idx >= len(HOSTILE_NAMES)
        if not local or person.archetype in ("weekly", "hunter") or rng.random() >= 0.12:
            continue
        first = min(person.orders, key=lambda o: o.at)
        senders = [a for a in advocates if a is not person and min(o.at for o in a.orders) < first.at]
        if not senders:
            continue
        sender = rng.choice(senders)
        sender.referral_code = sender.referral_code or referral_code_for(seed, sender.first, sender.idx)
        first.channel, first.referral_code = "counter", sender.referral_code
        first.at = _moment(rng, first.at.date(), "counter")


# -- the export files ------------------------------------------------------------------------


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
    return shopify, counter


# -- building the database -------------------------------------------------------------------


def build(
    target: str | Path,
    *,
    today: dt.date = DEFAULT_TODAY,
    seed: int = DEFAULT_SEED,
    customers: int = DEFAULT_CUSTOMERS,
) -> dict[str, int]:
    """Build the demo database at `target`: into a file beside it, then moved into place, so a
    failed build leaves the old file as it was. Returns a few figures."""
    plan = simulate(customers, today=today, seed=seed)
    target = Path(target)
    partial = target.with_name(f".{target.name}.building")
    _remove_db(partial)
    try:
        with tempfile.TemporaryDirectory(prefix="shopkeep-demo-") as folder:
            files = write_exports(plan, Path(folder))
            with Store.open(partial, clock=Clock.frozen(plan.today, DEMO_MOMENT)) as store:
                _fill(store, plan, files)
                figures = demo_seed.figures(store)
        conn = sqlite3.connect(partial, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            conn.execute("VACUUM")
        finally:
            conn.close()
        partial.chmod(0o644)  # a shipped resource of invented people, readable by whoever installs it
        os.replace(partial, target)
    except BaseException:
        _remove_db(partial)
        raise
    figures["bytes"] = target.stat().st_size
    return figures


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _fill(store: Store, plan: Plan, files: Sequence[Path]) -> None:
    """The shop's settings, its two exports through the importer, the owner's history, points and codes."""
    store.set_setting("shop_name", SHOP_NAME)
    store.set_setting("currency", CURRENCY)
    store.set_setting("country", COUNTRY)
    store.set_setting("demo_today", plan.today.isoformat())
    store.set_setting(SALT_KEY, f"demo-{plan.seed}")  # everyone's referral code is fixed by the seed
    # The demo's loyalty programme ran before its history began: every order in it earned its points.
    before_history = plan.today - dt.timedelta(days=HISTORY_DAYS + 1)
    loyalty.save_rules(store, loyalty.LoyaltyRules(start_day=before_history))
    for path in files:
        result = import_file(store, path, ImportOptions(country=COUNTRY))
        if not result.ok:
            where = ", ".join(f"line {e.line} {e.column}: {e.reason}" for e in result.errors[:3])
            raise ShopkeepError(f"the demo's {path.name} did not import ({result.error_count} bad rows): {where}")
    ids = demo_seed.customer_ids(store, [(p.email, p.phone_e164) for p in plan.people])
    if None in ids:
        raise ShopkeepError(f"{ids.count(None)} demo customers were not found after the import")
    call_ids: dict[int, int] = {}
    with store.write():
        demo_seed.set_profiles(store, [(ids[p.idx], p.script, p.referral_code) for p in plan.people])
        demo_seed.add_notes(store, [(ids[n.person.idx], n.body, n.at.isoformat()) for n in plan.notes])
        for call in plan.calls:
            callback = call.callback_on.isoformat() if call.callback_on else None
            row = (ids[call.person.idx], call.at.isoformat(), call.outcome, call.reason, call.offer, call.note)
            call_ids[id(call)] = demo_seed.add_call(store, (*row, callback, call.at.date().isoformat()))
        demo_seed.add_promises(
            store,
            [
                (
                    ids[p.person.idx],
                    call_ids[id(p.call)],
                    p.kind,
                    p.amount,
                    p.description,
                    p.due_on.isoformat(),
                    p.closed_at.isoformat() if p.closed_at else None,
                )
                for p in plan.promises
            ],
        )
        for promise in plan.promises:  # a bonus promised and given is in the points ledger
            if promise.kind == "bonus" and promise.closed_at is not None:
                loyalty_sql.insert_entry(
                    store.conn,
                    customer_id=ids[promise.person.idx],
                    delta=promise.amount,
                    reason="apology",
                    created_at=promise.closed_at.isoformat(),
                    reference=f"call:{call_ids[id(promise.call)]}",
                    key=f"apology:call:{call_ids[id(promise.call)]}",
                )
        demo_seed.settle_timestamps(store, store.clock.now_iso())
    # What `shopkeep points sync` does after an import (it also clears the imports' "upkeep owed" mark).
    after_import(store, plan.today)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopkeep.demo", description="Build the demo shop database.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the demo database at PATH")
    build_cmd.add_argument("path", type=Path)
    build_cmd.add_argument("--today", default=DEFAULT_TODAY.isoformat(), help="the demo's own today (YYYY-MM-DD)")
    build_cmd.add_argument("--seed", type=int, default=DEFAULT_SEED)
    build_cmd.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    args = parser.parse_args(argv)
    try:
        today = dt.date.fromisoformat(args.today)
    except ValueError:
        parser.error(f"not a date: {args.today!r} (use YYYY-MM-DD)")
    started = time.perf_counter()
    try:
        figures = build(args.path, today=today, seed=args.seed, customers=args.customers)
    except ShopkeepError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{key} {value}" for key, value in figures.items())
    print(f"built {args.path} in {time.perf_counter() - started:.1f} s: {summary}")
    return 0


def copy_demo(source: Path, target: Path) -> Path:
    """Copy the shipped demo database with SQLite's backup API; the source is opened read-only."""
    if not source.exists():
        raise ShopkeepError(i18n._("demo database not found at {path}").format(path=source))
    touch_private(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


if __name__ == "__main__":
    sys.exit(main())
