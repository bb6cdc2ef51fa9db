"""Undo for this session: the last outcome, points entry, note or wrong-number mark, newest first.

An undo writes a compensating entry through the core (`calls.undo_call`, `loyalty.undo_entry`,
`notes.undo_note`); nothing of the history is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from shopkeep.store import Store

from shopkeep.i18n import N_, _

# What a call ended with (shopkeep.calls.OUTCOMES), as the owner reads it.
OUTCOME_WORDS = {
    "no_answer": N_("No answer"),
    "will_return": N_("Will return"),
    "not_interested": N_("Not interested"),
    "call_later": N_("Call later"),
    "wrong_number": N_("Wrong number"),
    "welcomed": N_("Welcomed"),
    "other": N_("Other"),
    "message_sent": N_("Message sent"),
    "not_called": N_("Not called"),  # the look back's group of those on a list nobody called
}
# An order's status (shopkeep.importing.model.STATUSES), as the card shows it.
STATUS_WORDS = {
    "paid": N_("paid"),
    "pending": N_("pending"),
    "cancelled": N_("cancelled"),
    "refunded": N_("refunded"),
    "voided": N_("voided"),
    "partially_refunded": N_("partially refunded"),
}


@dataclass(frozen=True)
class Undoable:
    kind: Literal["call", "points", "note"]
    target_id: int  # the call, ledger entry or note
    customer_id: int
    what: str  # for the owner, e.g. "No answer (customer #12)": no name, it may be shown in a log


def undo_in_store(store: Store, entry: Undoable) -> None:
    """Write the compensating entry for `entry` (in the calling thread's store)."""
    if entry.kind == "call":
        from shopkeep import calls

        calls.undo_call(store, entry.target_id)
    elif entry.kind == "points":
        from shopkeep import loyalty

        loyalty.undo_entry(store, entry.target_id)
    else:
        from shopkeep.notes import undo_note

        undo_note(store, entry.target_id)


def outcome_words(outcome: str) -> str:
    """'no_answer' -> 'No answer' (in the language in use)."""
    return _(OUTCOME_WORDS.get(outcome.replace(" ", "_"), outcome.replace("_", " ").capitalize()))


def status_words(status: str) -> str:
    return _(STATUS_WORDS.get(status, status.replace("_", " ")))
