"""What a call writes: the outcome (`log_call`, with a promise made on the call), promises kept,
do-not-call, drafts of call notes, and undoing a call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.notes import clean_text
from shopkeep.reasons import KEYS as REASONS  # the churn reasons (shopkeep.scripts.REASONS is the same)
from shopkeep.store import Store
from shopkeep.store import calls as sql
from shopkeep.store import customers as customers_sql

if TYPE_CHECKING:
    pass
from shopkeep.calls.inputs import PromiseRecord

OUTCOMES = (
    "no_answer",
    "will_return",
    "not_interested",
    "call_later",
    "wrong_number",
    "welcomed",
    "other",
    "message_sent",  # an email or SMS to a customer without a phone (migration 0016)
)
OUTCOME_KEYS = {"a": "no_answer", "w": "will_return", "n": "not_interested", "l": "call_later", "x": "wrong_number"}
NOT_REACHED = frozenset({"no_answer", "wrong_number"})
PROMISE_KINDS = ("refund", "credit", "bonus", "other")


@dataclass(frozen=True)
class Promise:
    """Compensation promised during a call: a refund, credit or bonus due by a day."""

    kind: str
    due_on: dt.date
    amount: int | None = None  # minor units for refund/credit, points for bonus
    description: str | None = None


def _check_customer(store: Store, customer_id: int) -> None:
    if not customers_sql.customer_exists(store, customer_id):
        raise ShopkeepError(_("no customer with id {id}").format(id=customer_id))


def log_call(
    store: Store,
    customer_id: int,
    outcome: str,
    *,
    reason: str | None = None,
    offer: str | None = None,
    note: str | None = None,
    callback_on: dt.date | None = None,
    list_date: dt.date | None = None,
    promise: Promise | None = None,
) -> int:
    """Record one call, stamped by the store's clock, all in one transaction: the call, its promise, the
    cleared phone of a wrong number; the draft note is dropped. Returns the call id."""
    outcome = OUTCOME_KEYS.get(outcome, outcome)
    if outcome not in OUTCOMES:
        raise ShopkeepError(
            _("unknown call outcome {outcome!r}; use one of: {names}").format(
                outcome=outcome, names=", ".join(OUTCOMES)
            )
        )
    if reason is not None and reason not in REASONS:
        raise ShopkeepError(
            _("unknown call reason {reason!r}; use one of: {names}").format(reason=reason, names=", ".join(REASONS))
        )
    if outcome == "call_later" and callback_on is None:
        raise ShopkeepError(_("a call back needs a date"))
    if promise is not None and promise.kind not in PROMISE_KINDS:
        raise ShopkeepError(
            _("unknown promise kind {kind!r}; use one of: {names}").format(
                kind=promise.kind, names=", ".join(PROMISE_KINDS)
            )
        )
    at = store.clock.now_iso()
    values = {
        "customer_id": customer_id,
        "called_at": at,
        "outcome": outcome,
        "reason": reason,
        "offer": clean_text(offer).strip() or None if offer else None,
        "note": clean_text(note, multiline=True).strip() or None if note else None,
        "callback_on": callback_on.isoformat() if outcome == "call_later" and callback_on else None,
        "list_date": list_date.isoformat() if list_date else None,
    }
    with store.write() as conn:
        _check_customer(store, customer_id)
        call_id = sql.insert_call(conn, values)
        if outcome == "wrong_number":
            sql.clear_wrong_phone(conn, customer_id, at)
        if promise is not None:
            sql.insert_promise(
                conn,
                {
                    "customer_id": customer_id,
                    "call_id": call_id,
                    "kind": promise.kind,
                    "amount": promise.amount,
                    "description": clean_text(promise.description).strip() if promise.description else None,
                    "due_on": promise.due_on.isoformat(),
                },
            )
        sql.delete_draft(conn, customer_id)
    return call_id


def close_promise(store: Store, promise_id: int, how: str, *, points: int | None = None) -> None:
    """Mark a promise kept. With `points`, the apology bonus goes to the loyalty ledger (once)."""
    row = sql.promise(store, promise_id)
    if row is None:
        raise ShopkeepError(_("no promise with id {id}").format(id=promise_id))
    if row["closed_at"] is not None:
        raise ShopkeepError(_("promise {id} is already closed").format(id=promise_id))
    if points is not None:
        from shopkeep import loyalty  # here: its pydantic rules take ~20 ms to import, and the list needs none

        loyalty.add_points(
            store,
            row["customer_id"],
            points,
            reason="apology",
            key=f"promise:{promise_id}",
            reference=f"promise:{promise_id}",
        )
    with store.write() as conn:
        sql.close_promise(conn, promise_id, store.clock.now_iso(), clean_text(how).strip() or "closed")


def customer_promises(store: Store, customer_id: int) -> list[PromiseRecord]:
    """The customer's promises not yet kept, the earliest due first."""
    return [
        PromiseRecord(
            row["id"],
            row["customer_id"],
            row["kind"],
            row["amount"],
            dt.date.fromisoformat(row["due_on"]),
            row["description"],
        )
        for row in sql.open_promises(store, customer_id)
    ]


def mark_do_not_call(store: Store, customer_id: int, flag: bool = True) -> None:
    with store.write() as conn:
        _check_customer(store, customer_id)
        sql.set_do_not_call(conn, customer_id, flag, store.clock.now_iso())


def save_draft(store: Store, customer_id: int, text: str) -> None:
    """Keep a half-typed note on disk at once; an empty text drops it."""
    with store.write() as conn:
        if text.strip():
            sql.upsert_draft(conn, customer_id, text, store.clock.now_iso())
        else:
            sql.delete_draft(conn, customer_id)


def load_draft(store: Store, customer_id: int) -> str | None:
    """The saved draft, left in place (the screen keeps saving over it)."""
    return sql.draft(store, customer_id)


def take_draft(store: Store, customer_id: int) -> str | None:
    """The saved draft, removed from the store."""
    with store.write() as conn:
        text = sql.draft(store, customer_id)
        sql.delete_draft(conn, customer_id)
    return text


def undo_call(store: Store, call_id: int) -> str:
    """Undo a logged call by a compensating entry, never a delete: the call stays in the history, marked
    undone, and the list, the results and the card leave it out; a promise made in it is closed as undone;
    a wrong-number mark gives the customer their phone back. Returns the undone call's outcome."""
    with store.write() as conn:
        row = sql.call_row(store, call_id)
        if row is None:
            raise ShopkeepError(_("no call with id {id}").format(id=call_id))
        if row["undone"]:
            raise ShopkeepError(_("call {id} is already undone").format(id=call_id))
        at = store.clock.now_iso()
        sql.mark_undone(conn, "call", call_id, at)
        sql.close_promises_of_call(conn, call_id, at)
        if row["outcome"] == "wrong_number":
            sql.restore_wrong_phone(conn, row["customer_id"], at)
    return str(row["outcome"])
