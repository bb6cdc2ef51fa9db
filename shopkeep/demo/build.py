"""Building the demo database: the plan's two exports through the real importer, the owner's calls, promises
and notes, the promises kept through the calls core (an apology bonus reaches the points ledger the way it
does when the owner closes one), then the upkeep every import is followed by (`upkeep.after_import`)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from shopkeep import calls, loyalty, shop
from shopkeep.clock import Clock
from shopkeep.demo.defaults import (
    COUNTRY,
    CURRENCY,
    DEFAULT_CUSTOMERS,
    DEFAULT_SEED,
    DEFAULT_TODAY,
    DEMO_MOMENT,
    HISTORY_DAYS,
    SHOP_NAME,
)
from shopkeep.demo.exports import write_exports
from shopkeep.demo.plan import Plan
from shopkeep.demo.simulate import simulate
from shopkeep.errors import ShopkeepError
from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions
from shopkeep.store import Store, demo_seed
from shopkeep.store import calls as calls_sql
from shopkeep.store.referrals import SALT_KEY
from shopkeep.upkeep import after_import


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
        demo_seed.make_self_contained(partial)  # one file, no -wal beside it, compacted
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
    shop.save_settings(store, {"shop_name": SHOP_NAME, "currency": CURRENCY, "phone_country": COUNTRY})
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
    ids = demo_seed.customer_ids(store, [demo_seed.Identity(p.email, p.phone_e164) for p in plan.people])
    if None in ids:
        raise ShopkeepError(f"{ids.count(None)} demo customers were not found after the import")
    call_ids: dict[int, int] = {}
    promise_ids: list[int] = []
    with store.write() as conn:
        demo_seed.set_profiles(store, [demo_seed.Profile(ids[p.idx], p.script, p.referral_code) for p in plan.people])
        demo_seed.add_notes(store, [demo_seed.NoteRow(ids[n.person.idx], n.body, n.at.isoformat()) for n in plan.notes])
        for call in plan.calls:  # the owner's history, as the calls core would have written it then
            call_ids[id(call)] = calls_sql.insert_call(
                conn,
                {
                    "customer_id": ids[call.person.idx],
                    "called_at": call.at.isoformat(),
                    "outcome": call.outcome,
                    "reason": call.reason,
                    "offer": call.offer,
                    "note": call.note,
                    "callback_on": call.callback_on.isoformat() if call.callback_on else None,
                    "list_date": call.at.date().isoformat(),
                },
            )
        for promise in plan.promises:
            values = {
                "customer_id": ids[promise.person.idx],
                "call_id": call_ids[id(promise.call)],
                "kind": promise.kind,
                "amount": promise.amount,
                "description": promise.description,
                "due_on": promise.due_on.isoformat(),
            }
            promise_ids.append(calls_sql.insert_promise(conn, values))
    # Promises kept are closed as the owner closes them, on the day they were kept: a bonus reaches the
    # points ledger through the loyalty core.
    today_clock = store.clock
    try:
        for promise, promise_id in zip(plan.promises, promise_ids, strict=True):
            if promise.closed_at is None:
                continue
            store.clock = Clock.frozen(promise.closed_at.date(), promise.closed_at.time())
            points = promise.amount if promise.kind == "bonus" else None
            calls.close_promise(store, promise_id, "given", points=points)
    finally:
        store.clock = today_clock
    with store.write():
        demo_seed.settle_timestamps(store, store.clock.now_iso())
    # What `shopkeep points sync` does after an import (it also clears the imports' "upkeep owed" mark).
    after_import(store, plan.today)
