"""The simulation: people, their orders over two years, refunds and returns, referrals, the owner's calls
and notes, all drawn from one seeded random generator. Same arguments, same shop."""

from __future__ import annotations

import datetime as dt
import random

from shopkeep.demo.buying import choose_basket, moment, order_days, place, sale_days, seasonal_day
from shopkeep.demo.catalogue import CATALOGUE, THANKS_CODE, WELCOME_CODE
from shopkeep.demo.defaults import COUNTRY, DEFAULT_CUSTOMERS, DEFAULT_SEED, DEFAULT_TODAY, HISTORY_DAYS
from shopkeep.demo.owner_history import NOTE_BODIES, plan_calls
from shopkeep.demo.people import HOSTILE_NAMES, make_people, referral_code_for
from shopkeep.demo.plan import Line, Note, Order, Person, Plan
from shopkeep.errors import ShopkeepError


def simulate(customers: int = DEFAULT_CUSTOMERS, *, today: dt.date = DEFAULT_TODAY, seed: int = DEFAULT_SEED) -> Plan:
    """The whole demo shop as plain data: same arguments, same shop."""
    if customers < 20:
        raise ShopkeepError("the demo shop needs at least 20 customers")
    rng = random.Random(seed)
    start, end = today - dt.timedelta(days=HISTORY_DAYS), today - dt.timedelta(days=1)
    people = make_people(rng, customers)
    for person in people:
        if person.archetype == "hunter":
            first = seasonal_day(rng, start, end - dt.timedelta(days=60))
            welcome = place(rng, person, first)
            welcome.discount_code, welcome.discount_percent = WELCOME_CODE
            person.orders.append(welcome)
            for day, code, percent in sale_days(rng, first + dt.timedelta(days=1), end):
                order = place(rng, person, day)
                order.discount_code, order.discount_percent = code, percent
                person.orders.append(order)
            continue
        for day in order_days(rng, person, start, end):
            person.orders.append(
                place(rng, person, day, gift=person.archetype == "gift", big=person.archetype == "big")
            )
        if rng.random() < 0.08:  # now and then anybody uses a code
            order = rng.choice(person.orders)
            order.discount_code, order.discount_percent = WELCOME_CODE if order is person.orders[0] else THANKS_CODE
    _plan_referrals(rng, people, seed)
    calls, promises = plan_calls(rng, people, today)
    guests = [
        Order(None, moment(rng, day, "counter"), "counter", choose_basket(rng, None))
        for day in (seasonal_day(rng, start, end) for _ in range(max(3, customers // 60)))
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
            returns.append(Order(order.person, moment(rng, back, "counter"), "counter", [line]))
    orders = sorted(orders + returns, key=lambda o: (o.at, o.channel))
    numbers = {"online": 1001, "counter": 10001, "credit": 1}
    for order in orders:
        kind = "credit" if order.total < 0 else order.channel
        prefix = {"online": "#", "counter": "T", "credit": "R"}[kind]
        order.number = f"{prefix}{numbers[kind]}"
        numbers[kind] += 1
    notes = [
        Note(p, rng.choice(NOTE_BODIES), moment(rng, min(o.at for o in p.orders).date(), "counter"))
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
        first.at = moment(rng, first.at.date(), "counter")
