"""The Dashboard and the card say how churn risk is told here, or that the history cannot tell yet."""

from __future__ import annotations

import datetime as dt
import random

from textual.widgets import Static

from shopkeep.store import Store
from tests.conftest import new_customer, new_order
from tests.conftest import until as wait_for
from tests.tui.conftest import AS_OF
from tests.tui.test_card_loyalty import open_card, section

CANNOT_TELL = "not enough history to rank who is slipping away; showing days since last order"


def add_regulars(path, customers: int = 600) -> None:
    """Regular buyers on their own rhythms, some of whom stopped: enough history to tell."""
    rng = random.Random(4)
    now = "2026-11-01T10:00:00"
    orders = []
    for cid in range(100, 100 + customers):
        gap, day = rng.uniform(14, 120), AS_OF - dt.timedelta(days=rng.randrange(3 * 365))
        while day <= AS_OF:
            orders.append((cid, f"{day.isoformat()}T12:00:00"))
            if rng.random() < 0.12:
                break
            day += dt.timedelta(days=round(gap * rng.uniform(0.9, 1.1)))
    with Store.open(path) as store, store.write():
        for cid in range(100, 100 + customers):
            new_customer(store, id=cid, name=f"Regular {cid}", created_at=now, updated_at=now)
        for i, (cid, at) in enumerate(orders):
            new_order(
                store,
                cid,
                source="generic",
                order_key=f"r{i}",
                ordered_at=at,
                currency="PLN",
                total=5000,
                created_at=now,
                updated_at=now,
            )


async def test_a_small_shop_says_it_cannot_tell_instead_of_a_risk_for_everyone(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await wait_for(pilot, lambda: app.retention is not None)
        await pilot.pause()
        assert CANNOT_TELL in " ".join(str(app.screen.query_one("#kpis", Static).render()).split())
        await open_card(pilot, 6)
        await wait_for(pilot, lambda: app.screen.metrics is not None)
        numbers = " ".join(section(app, "numbers").split())
        assert f"Churn risk {CANNOT_TELL} (usually orders every 20 days; 10 days since the last order)" in numbers
        assert not any(f"Churn risk {word}" in numbers for word in ("low", "medium", "high"))


async def test_a_shop_that_can_tell_shows_how_well_and_the_chance_on_the_card(make_app, shop_db):
    add_regulars(shop_db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await wait_for(pilot, lambda: app.retention is not None)
        await pilot.pause()
        q = app.retention.risk_quality
        assert q.can_tell
        kpis = " ".join(str(app.screen.query_one("#kpis", Static).render()).split())
        assert f"Churn risk churn risk from {q.words}: replaying this shop as of" in kpis
        await open_card(pilot, 6)
        await wait_for(pilot, lambda: app.screen.metrics is not None)
        m = app.retention.customers[6]
        numbers = " ".join(section(app, "numbers").split())
        assert "likely to order again within 180 days" in numbers and CANNOT_TELL not in numbers
        assert f"{1 - m.churn_risk:.0%} likely" in numbers
