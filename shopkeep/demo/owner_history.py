"""The owner's history with the customers: calls of the last 60 days (mostly slipping regulars), what was
offered and promised, and the notes on their cards."""

from __future__ import annotations

import datetime as dt
import random

from shopkeep.demo.buying import moment, place
from shopkeep.demo.plan import Call, Person, Promise

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


def plan_calls(rng: random.Random, people: list[Person], today: dt.date) -> tuple[list[Call], list[Promise]]:
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
            calls.append(Call(person, moment(rng, day, "counter"), "no_answer", reason, None, None))
            day += dt.timedelta(days=rng.randint(2, min(7, (today - day).days - 1)))
            outcome = rng.choice(("will_return", "will_return", "no_answer", "not_interested"))
        reached = outcome in ("will_return", "not_interested", "call_later")
        call = Call(
            person,
            moment(rng, day, "counter"),
            outcome,
            reason,
            OFFERS[reason] if outcome == "will_return" else None,
            rng.choice(CALL_NOTES[reason]) if reached else None,
            today if outcome == "call_later" else None,
        )
        calls.append(call)
        back = day + dt.timedelta(days=rng.randint(2, 25))
        if outcome == "will_return" and back < today and rng.random() < 0.7:  # won back
            won = place(rng, person, back, big=rng.random() < 0.08)  # now and then a bigger basket than before
            won.discount_code, won.discount_percent = ("COMEBACK10", 10) if reason == "forgot" else (None, 0)
            person.orders.append(won)
            again = back + dt.timedelta(days=rng.randint(14, 35))
            if again < today and rng.random() < 0.4:  # and then came again
                person.orders.append(place(rng, person, again))
        if reason in ("let_down", "compensation") and outcome == "will_return":
            kind = rng.choice(tuple(PROMISES))
            due = day + dt.timedelta(days=7)
            given = None if due >= today - dt.timedelta(days=3) else moment(rng, due - dt.timedelta(days=2), "counter")
            amount, description = PROMISES[kind]
            promises.append(Promise(person, call, kind, amount, description, due, given))
    # First-purchase follow-ups for the newest buyers.
    for person in [p for p in people if p.archetype == "new" and p.phone][:6]:
        first = min(o.at.date() for o in person.orders)
        if first + dt.timedelta(days=1) < today:
            at = moment(rng, first + dt.timedelta(days=1), "counter")
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
