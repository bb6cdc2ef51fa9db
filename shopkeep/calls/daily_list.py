"""Today's list (`today_list`): built once a day and kept in the store, read back while nothing changed
underneath; the list the owner started the day with stays for look-back (`stored_list`)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from shopkeep.errors import StoreError
from shopkeep.store import Store
from shopkeep.store import calls as sql

if TYPE_CHECKING:
    from shopkeep.retention import Retention
from shopkeep.calls.list_builder import CallItem, CallList, build_list
from shopkeep.calls.loader import light_inputs
from shopkeep.calls.settings import CallSettings, load_settings


def today_list(
    store: Store, as_of: dt.date, settings: CallSettings | None = None, *, retention: Retention | None = None
) -> CallList:
    """The list for `as_of`; pass the app's shared `retention` figures for that day to skip recomputing them.

    A day's list is computed once and kept (`call_lists`): asked again with nothing changed underneath
    (no import, call, promise, points or customer change; the same settings) it is read back, not rebuilt.
    Two versions are kept: the latest, and the first — the list the owner started the day with, replaced
    by a rebuilt one only until someone is called from it; that is the one look-back reads."""
    settings = settings or load_settings(store)
    owners = settings == load_settings(store)  # not a --limit view of it
    day = as_of.isoformat()
    with store.snapshot():
        signature = _signature(store, settings)
        latest = sql.stored_list_day(store, day, "latest")
        if latest is not None and latest["signature"] == signature:
            return _stored_list(store, latest)
        versions = ["latest"]
        if sql.stored_list_day(store, day, "first") is None or not sql.called_from_list(store, day):
            versions.append("first")
        built = build_list(light_inputs(store, as_of, settings, retention), settings, as_of)
    if owners:
        _keep(store, built, versions, signature)
    return built


def kept_list(store: Store, as_of: dt.date) -> CallList | None:
    """The day's list as kept, when nothing it depends on changed since (see today_list), else None: read
    without the retention figures (the app shows it at once, before they are computed)."""
    settings = load_settings(store)
    with store.snapshot():
        latest = sql.stored_list_day(store, as_of.isoformat(), "latest")
        if latest is not None and latest["signature"] == _signature(store, settings):
            return _stored_list(store, latest)
    return None


def _signature(store: Store, settings: CallSettings) -> str:
    return json.dumps([*sql.list_signature(store), settings.model_dump(mode="json")])


def _keep(store: Store, built: CallList, versions: list[str], signature: str) -> None:
    """Keep the list, if the database lets us at once: an import writing meanwhile is not waited for."""
    if store.conn.in_transaction:
        return
    rows = [
        (section, n, i.customer_id, i.kind, i.reason, i.why, i.priority, i.promise_id)
        for section, items in (("call", built.items), ("no_phone", built.no_phone))
        for n, i in enumerate(items)
    ]
    patience, on_wait = store.patience, store.on_wait
    store.patience, store.on_wait = 0.2, lambda: None
    try:
        with store.write() as conn:
            sql.save_list(
                conn,
                built.as_of.isoformat(),
                versions,
                built.over_cap,
                built.do_not_call,
                signature,
                store.clock.now_iso(),
                rows,
            )
    except (StoreError, sqlite3.Error):  # busy, or read-only: the list is still right, only not kept
        pass
    finally:
        store.patience, store.on_wait = patience, on_wait


def _stored_list(store: Store, day: dict[str, Any]) -> CallList:
    sections: dict[str, list[CallItem]] = {"call": [], "no_phone": []}
    for r in sql.stored_list_items(store, day["list_date"], day["version"]):
        sections[r["section"]].append(
            CallItem(
                r["customer_id"],
                r["name"],
                r["phone"],
                r["kind"],
                r["reason"],
                r["why"],
                r["priority"],
                r["promise_id"],
                r["external_id"],
            )
        )
    as_of = dt.date.fromisoformat(day["list_date"])
    return CallList(as_of, sections["call"], sections["no_phone"], day["over_cap"], day["do_not_call"])


def stored_list(store: Store, list_date: dt.date) -> CallList | None:
    """The list the owner started that day with (as kept), None when none was kept."""
    day = sql.stored_list_day(store, list_date.isoformat(), "first")
    return None if day is None else _stored_list(store, day)
