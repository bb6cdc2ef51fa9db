"""Notes the owner writes about a customer: cleaned of terminal control codes, then stored."""

from __future__ import annotations

import re

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.store import Store
from shopkeep.store import notes as notes_store

MAX_NOTE_CHARS = 4000

# ESC sequences first (CSI, OSC/DCS/APC/PM/SOS strings, two-byte escapes), then any lone C0/C1
# control, DEL, and the bidi overrides that make text read differently from how it is stored.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC ... terminator
    r"|\x1b[ -/]*[0-~]"  # other escapes (charset switches, RIS, ...)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """`text` without terminal escape sequences or control characters.

    Tabs become spaces; newlines are kept only when `multiline` (else they become spaces too).
    """
    if text.isprintable():  # the common case, and fast: no control character, no bidi override
        return text
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text).replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    return text


def add_note(store: Store, customer_id: int, body: str) -> int:
    """Store a cleaned note for a customer; returns the note id."""
    cleaned = clean_text(body, multiline=True).strip()
    if not cleaned:
        raise ShopkeepError(_("a note cannot be empty"))
    if len(cleaned) > MAX_NOTE_CHARS:
        raise ShopkeepError(
            _("a note can hold at most {most} characters (this one has {n})").format(
                most=MAX_NOTE_CHARS, n=len(cleaned)
            )
        )
    return notes_store.insert(store, customer_id, cleaned, store.clock.now_iso())


def undo_note(store: Store, note_id: int) -> int:
    """Take a note back by a tombstone (the note stays stored, the card no longer shows it); returns the
    customer's id."""
    return notes_store.undo(store, note_id, store.clock.now_iso())
