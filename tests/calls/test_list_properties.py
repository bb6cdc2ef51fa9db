from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.calls import (
    FRESH_KINDS,
    KINDS,
    PROMISED_KINDS,
    CallRecord,
    CallSettings,
    ListInputs,
    PromiseRecord,
    build_list,
)

from .helpers import AS_OF, Metrics, contact, day, order

customer = st.fixed_dictionaries(
    {
        "phone": st.sampled_from(["+48600100200", None, ""]),
        "do_not_call": st.booleans(),
        "orders": st.integers(1, 12),
        "recency": st.integers(0, 400),
        "risk": st.floats(0, 1),
        "called_days_ago": st.one_of(st.none(), st.integers(0, 40)),
        "outcome": st.sampled_from(["no_answer", "will_return", "call_later", "not_interested"]),
        "callback_in": st.integers(-5, 5),
        "promise_in": st.one_of(st.none(), st.integers(-5, 5)),
        "refund_days_ago": st.one_of(st.none(), st.integers(0, 60)),
    }
)


@settings(max_examples=100, deadline=None)
@given(st.lists(customer, max_size=30), st.integers(1, 10), st.integers(0, 20))
def test_list_rules_always_hold(people, cap, cooldown):
    metrics, contacts, calls, promises, orders = {}, {}, [], [], {}
    for cid, p in enumerate(people, start=1):
        metrics[cid] = Metrics(cid, orders=p["orders"], recency_days=p["recency"], churn_risk=p["risk"])
        contacts[cid] = contact(cid, p["phone"], do_not_call=p["do_not_call"])
        orders[cid] = [order(cid, p["recency"] + 30 * n) for n in range(p["orders"])][::-1]
        if p["refund_days_ago"] is not None:
            orders[cid].append(order(cid, p["refund_days_ago"], status="refunded"))
        if p["called_days_ago"] is not None:
            callback = AS_OF + dt.timedelta(days=p["callback_in"])
            calls.append(CallRecord(cid, day(p["called_days_ago"]), p["outcome"], callback_on=callback))
        if p["promise_in"] is not None:
            promises.append(PromiseRecord(cid, cid, "credit", 1000, AS_OF + dt.timedelta(days=p["promise_in"])))
    rules = CallSettings(daily_cap=cap, cooldown_days=cooldown)
    inputs = ListInputs(metrics=metrics, contacts=contacts, calls=calls, promises=promises, orders=orders)
    result = build_list(inputs, rules, AS_OF)

    everyone = build_list(inputs, rules.model_copy(update={"daily_cap": 500}), AS_OF).items
    promised = [i for i in everyone if i.kind in PROMISED_KINDS]
    kept_for_fresh = min(-(-cap // 2), sum(i.kind in FRESH_KINDS for i in everyone))
    assert all(i in result.items for i in promised)  # promised calls always come
    assert sum(i.kind in FRESH_KINDS for i in result.items) >= kept_for_fresh
    assert len(result.items) == max(min(cap, len(everyone)), len(promised) + kept_for_fresh)
    assert result.over_cap == len(everyone) - len(result.items)
    ids = [i.customer_id for i in result.items + result.no_phone]
    assert len(ids) == len(set(ids))
    assert all(contacts[i.customer_id].phone for i in result.items)
    assert not any(contacts[i.customer_id].phone for i in result.no_phone)
    assert not any(contacts[cid].do_not_call for cid in ids)
    assert [KINDS.index(i.kind) for i in result.items] == sorted(KINDS.index(i.kind) for i in result.items)
    recent = {c.customer_id for c in calls if c.called_at.date() > AS_OF - dt.timedelta(days=cooldown)}
    for item in result.items + result.no_phone:
        if item.customer_id in recent:
            assert item.kind in ("callback", "compensation_late")
