"""Issue 19: on a day where most customers are win-back candidates, the list ranks them from the figures'
arrays and builds only those who can make the cap; the list is the very list of the full build (the same
people, order, reasons, priorities and counts), score ties broken the same way."""

from __future__ import annotations

import datetime as dt
import math
import random
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from shopkeep import calls
from shopkeep.calls import CallRecord, CallSettings, ListInputs, PromiseRecord, build_list, log_call, today_list
from shopkeep.calls.inputs import RankedCandidates
from shopkeep.calls.list_builder import _score, priorities
from shopkeep.clock import Clock

from .conftest import NOW, add_customer, add_order
from .helpers import AS_OF, Metrics, contact, day, order


def test_priorities_from_arrays_are_the_scores_of_the_metrics():
    rng = random.Random(7)
    ms = [
        Metrics(
            cid,
            revenue=rng.choice([-5_000, 0, 1, 999, rng.randrange(10**9), 2**40 + rng.randrange(1000)]),
            recency_days=rng.choice([0, 1, 30, 89, 90, 91, rng.randrange(2000)]),
            usual_gap_days=rng.choice([None, 0.0, 30.0, 29.999999, rng.uniform(0.5, 400)]),
            churn_risk=rng.choice([0.0, 0.3, 0.5, 1.0, rng.random()]),
        )
        for cid in range(3000)
    ]
    got = priorities(
        np.array([m.revenue for m in ms], dtype=np.int64),
        np.array([m.churn_risk for m in ms]),
        np.array([m.recency_days for m in ms], dtype=np.int64),
        np.array([math.nan if m.usual_gap_days is None else m.usual_gap_days for m in ms]),
    )
    assert got.tolist() == [_score(m) for m in ms]


def _ranked(inputs: ListInputs, settings: CallSettings) -> RankedCandidates:
    """The candidates ranked as the loader ranks them, from plain inputs."""
    picked = [
        cid
        for cid, m in inputs.metrics.items()
        if m.recency_days is not None and m.orders >= settings.min_orders and m.churn_risk >= settings.min_churn_risk
    ]
    picked.sort(key=lambda cid: (-_score(inputs.metrics[cid]), cid))
    everyone = inputs.contacts
    return RankedCandidates(
        np.array(picked, dtype=np.int64),
        np.array([_score(inputs.metrics[cid]) for cid in picked], dtype=np.int64),
        forgotten=[cid for cid in inputs.metrics if cid not in everyone],
        do_not_call=[cid for cid, c in everyone.items() if c.do_not_call],
        no_phone=[cid for cid, c in everyone.items() if not c.phone],
        contacts=lambda ids: {cid: everyone[cid] for cid in ids},
    )


@pytest.mark.parametrize("seed", range(12))
def test_ranked_candidates_make_the_list_of_the_full_walk(seed):
    """Many candidates with tied scores, some without a phone, some asked not to be called, some forgotten,
    some called lately or awaiting payment, beside call-backs, promises, refunds and first buyers."""
    rng = random.Random(seed)
    metrics, contacts, orders, calls_made, promises, pending = {}, {}, {}, [], [], set()
    for cid in range(1, 400):
        metrics[cid] = Metrics(
            cid,
            orders=rng.choice([1, 2, 3, 9]),
            revenue=rng.choice([50_000, 50_000, 80_000, rng.randrange(200_000)]),  # ties
            recency_days=rng.choice([40, 61, 200]),
            usual_gap_days=rng.choice([None, 24.0]),
            churn_risk=rng.choice([0.2, 0.5, 0.8, 0.8]),
        )
        if rng.random() < 0.05:
            continue  # forgotten: no contact
        contacts[cid] = contact(cid, None if rng.random() < 0.1 else "+48600100200", do_not_call=rng.random() < 0.05)
        orders[cid] = [order(cid, 400), order(cid, 200)]
        luck = rng.random()
        if luck < 0.04:
            calls_made.append(CallRecord(cid, day(rng.choice([3, 30])), "not_reached"))
        elif luck < 0.06:
            calls_made.append(CallRecord(cid, day(9), "call_later", callback_on=AS_OF - dt.timedelta(days=1)))
        elif luck < 0.08:
            promises.append(PromiseRecord(cid, cid, "discount", 1_000, AS_OF - dt.timedelta(days=2)))
        elif luck < 0.10:
            orders[cid] = [order(cid, 200), order(cid, 6, status="refunded")]
        elif luck < 0.12:
            orders[cid] = [order(cid, 5)]
        elif luck < 0.15:
            pending.add(cid)
    full = ListInputs(
        metrics=metrics, contacts=contacts, calls=calls_made, promises=promises, orders=orders, pending=pending
    )
    for cap, share in ((1, 50), (5, 0), (5, 100), (15, 50), (40, 30), (500, 50)):
        settings = CallSettings(daily_cap=cap, fresh_share_percent=share)
        ranked = replace(full, ranked=_ranked(full, settings))
        expected = build_list(full, settings, AS_OF)
        assert expected.over_cap or cap == 500
        assert build_list(ranked, settings, AS_OF) == expected


def test_only_those_who_can_make_the_cap_are_read():
    metrics = {cid: Metrics(cid, revenue=1000 * (cid % 7)) for cid in range(1, 2001)}
    contacts = {cid: contact(cid, None if cid % 100 == 0 else "+48600100200") for cid in metrics}
    inputs = ListInputs(metrics=metrics, contacts=contacts, pending=())
    settings = CallSettings(daily_cap=5)
    ranked = _ranked(inputs, settings)
    asked: list[int] = []

    def reading(ids):
        asked.extend(ids)
        return {cid: contacts[cid] for cid in ids}

    result = build_list(replace(inputs, ranked=replace(ranked, contacts=reading)), settings, AS_OF)
    assert result == build_list(inputs, settings, AS_OF)
    assert [i.customer_id for i in result.items] == [6, 13, 20, 27, 34]  # the highest score, then the lowest id
    assert result.over_cap == 2000 - 20 - 5  # every callable one counted
    assert sorted(asked) == sorted([6, 13, 20, 27, 34, *range(100, 2001, 100)])  # and the 20 without a phone


def test_a_shop_where_the_cap_cuts_gets_the_list_of_the_full_build(store):
    """A stored shop with many candidates (equal histories among them), some without a phone, asked not to be
    called, forgotten, called lately: the day's list is build_list over every order and every metric."""
    rng = random.Random(1919)
    for cid in range(1, 241):
        kind = rng.random()
        extra: dict = {"name": f"Customer {cid}", "phone": f"+4860010{cid:04d}"}
        if kind < 0.06:
            extra = {"forgotten_at": NOW, "name": None, "phone": None}
        elif kind < 0.12:
            extra["do_not_call"] = 1
        elif kind < 0.2:
            extra["phone"] = None if kind < 0.16 else ""
        add_customer(store, cid, **extra)
        gap, spend = rng.choice([(30, 10_000), (30, 10_000), (45, 20_000), (rng.randrange(20, 90), 5_000)])
        for n in range(rng.choice([2, 3, 5, 5])):
            add_order(store, cid, rng.choice([150, 150, 300]) + gap * n, spend, order_key=f"o{cid}-{n}")
        if rng.random() < 0.05:
            add_order(store, cid, 2, 3_000, status="pending", order_key=f"p{cid}")
        if rng.random() < 0.04:
            add_order(store, cid, 12, 3_000, status="refunded", order_key=f"r{cid}")
    store.conn.commit()
    for cid in (7, 8, 9, 10, 11):  # called lately (cooldown), or asked to be called back
        store.clock = Clock.frozen((AS_OF - dt.timedelta(days=3)).isoformat(), dt.time(10))
        later = AS_OF - dt.timedelta(days=1) if cid % 2 else None
        log_call(store, cid, "l" if later else "n", reason=None, callback_on=later)
    store.clock = Clock.frozen(AS_OF.isoformat(), dt.time(8))
    for cap in (3, 10, 25):
        settings = CallSettings(daily_cap=cap)
        full = build_list(calls.load_inputs(store, AS_OF), settings, AS_OF)
        assert full.over_cap > 50 and full.do_not_call and full.no_phone
        store.conn.execute("DELETE FROM call_list_days")
        assert today_list(store, AS_OF, settings) == full
        inputs = calls.loader.light_inputs(store, AS_OF, settings)
        assert inputs.ranked is not None  # the ranked way, not the walk over every candidate


def test_a_kept_list_is_read_without_numpy_or_the_figures(shop, db_path):
    """The ranking needs numpy; reading the day's kept list back (a second `shopkeep calls`) does not."""
    shop.clock = Clock.frozen(AS_OF.isoformat(), dt.time(8))
    made = today_list(shop, AS_OF)
    assert made.items
    shop.conn.commit()
    code = f"""
import datetime as dt, sys
from shopkeep.calls import today_list
from shopkeep.clock import Clock
from shopkeep.store import Store
store = Store.open({str(db_path)!r})
store.clock = Clock.frozen({AS_OF.isoformat()!r}, dt.time(9))
print([i.customer_id for i in today_list(store, dt.date.fromisoformat({AS_OF.isoformat()!r})).items])
print(sorted(m for m in sys.modules if m == "numpy" or m.startswith("shopkeep.retention")))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    listed, heavy = out.stdout.splitlines()[-2:]
    assert listed == str([i.customer_id for i in made.items])
    assert heavy == "[]"
