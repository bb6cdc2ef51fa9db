"""The demo shop: a deterministic generator of a believable small tea & coffee shop, and copying the
shipped demo.db for a session.

The generator simulates people, not rows: every customer has an archetype with its own rhythm
(regulars, slipping regulars, one-timers, gift buyers, discount hunters, big spenders, ...).
Their orders are written as the shop's two exports (the online shop's Shopify file and the
counter's semicolon file) and loaded through the real importer, as a shop owner's would be.
The demo carries its own "today" (setting `demo_today`), so it looks alive whatever the date.

    python -m shopkeep.demo build demo.db [--today YYYY-MM-DD] [--seed N] [--customers N]

Where each part lives:
    defaults.py       the shop's name, currency, country; the demo's today, seed, size
    catalogue.py      products and prices, shipping, sale windows, discount codes
    plan.py           the plan's data: Person, Order, Line, Call, Promise, Note, Plan
    people.py         names, places, phones and e-mails, archetypes
    buying.py         when each archetype buys and what (seasons, hours, baskets, rhythms)
    owner_history.py  the owner's calls, offers, promises and notes
    simulate.py       `simulate`: the whole shop as a Plan, from one seeded generator
    exports.py        `write_exports`: the plan as the two platforms' CSV exports
    build.py          `build`: the exports through the importer, the history, the upkeep, one file
    command.py        `python -m shopkeep.demo build ...` (`make demo-db`)
    shipped.py        `copy_demo`: a session's copy of the shipped demo.db
"""

from __future__ import annotations

from shopkeep.demo.build import build
from shopkeep.demo.command import main
from shopkeep.demo.defaults import (
    COUNTRY,
    CURRENCY,
    DEFAULT_CUSTOMERS,
    DEFAULT_SEED,
    DEFAULT_TODAY,
    HISTORY_DAYS,
    SHOP_NAME,
)
from shopkeep.demo.exports import write_exports
from shopkeep.demo.owner_history import CALL_NOTES, OFFERS
from shopkeep.demo.plan import Plan
from shopkeep.demo.shipped import copy_demo
from shopkeep.demo.simulate import simulate

__all__ = [
    "CALL_NOTES",
    "COUNTRY",
    "CURRENCY",
    "DEFAULT_CUSTOMERS",
    "DEFAULT_SEED",
    "DEFAULT_TODAY",
    "HISTORY_DAYS",
    "OFFERS",
    "SHOP_NAME",
    "Plan",
    "build",
    "copy_demo",
    "main",
    "simulate",
    "write_exports",
]
