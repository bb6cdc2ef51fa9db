"""When each kind of customer buys and what: the shop's seasons, the hours of each channel, baskets,
the rhythm of every archetype, the sales a discount hunter waits for."""

from __future__ import annotations

import datetime as dt
import random

from shopkeep.demo.catalogue import CATALOGUE, GIFTS, PREMIUM, SALES
from shopkeep.demo.defaults import HISTORY_DAYS
from shopkeep.demo.plan import Line, Order, Person


def _seasonal_weight(day: dt.date) -> float:
    if day.month == 12 and day.day <= 22:
        return 2.2
    return {11: 1.4, 1: 0.9, 3: 1.2, 4: 1.1, 7: 0.8, 8: 0.7}.get(day.month, 1.0)


def seasonal_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end] drawn with the shop's seasonality."""
    span = (end - start).days
    while True:
        day = start + dt.timedelta(days=rng.randint(0, max(span, 0)))
        if rng.random() * 2.2 <= _seasonal_weight(day):
            return day


def moment(rng: random.Random, day: dt.date, channel: str) -> dt.datetime:
    if channel == "counter":
        hour = rng.randint(9, 17)
    else:
        hour = rng.choice((7, 8, 9, 11, 12, 13, 14, 17, 19, 20, 20, 21, 21, 22, 23))
    return dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)))


def choose_basket(rng: random.Random, person: Person | None, *, gift: bool = False, big: bool = False) -> list[Line]:
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


def sale_days(rng: random.Random, start: dt.date, end: dt.date) -> list[tuple[dt.date, str, int]]:
    found = []
    for year in range(start.year, end.year + 1):
        for month, first, last, code, percent in SALES:
            day = dt.date(year, month, rng.randint(first, last))
            if start <= day <= end and rng.random() < 0.75:
                found.append((day, code, percent))
    return found


def order_days(rng: random.Random, person: Person, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days a person orders on, by archetype (discount hunters are handled apart)."""
    kind = person.archetype
    if kind == "one_timer":
        return [seasonal_day(rng, start, end - dt.timedelta(days=14))]
    if kind == "new":
        return [end - dt.timedelta(days=rng.randint(2, 9))]
    if kind == "occasional":
        first = seasonal_day(rng, start, end - dt.timedelta(days=90))
        return sorted({seasonal_day(rng, first, end) for _ in range(rng.randint(2, 4))} | {first})
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
        return sorted(days) or [seasonal_day(rng, start, end)]
    raise ValueError(kind)


def place(rng: random.Random, person: Person, day: dt.date, **basket: bool) -> Order:
    channel = person.channel if person.channel != "both" else rng.choice(("online", "counter"))
    return Order(person, moment(rng, day, channel), channel, choose_basket(rng, person, **basket))
