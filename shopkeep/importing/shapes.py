"""What a cell looks like, said without saying what it holds.

Messages about a file name lines, columns and what was expected; a cell's text is shown only when it is
plainly not about a person (digits and punctuation, as an amount or a date is written, with at most a
currency code or a stray letter). Anything else is described by its shape: "an email address", "a word
of 9 letters", "text of 2 words". The owner opens the file at the line named to see the value itself.
"""

from __future__ import annotations

import re

from shopkeep.i18n import N_, _, ngettext
from shopkeep.importing.values import BadCell, classify_date, normalise_email, parse_money

SHOWN_CHARS = 40  # of a value plain enough to show
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+$")
_DECIMALS = re.compile(r"\d[.,]\d{1,2}(?!\d)")
_MONEY_SYMBOLS = frozenset("$€£¥₽₴₸₹₩")


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _digits(text: str) -> int:
    return sum(1 for ch in text if ch.isdigit())


def is_email(text: str) -> bool:
    return "@" in text and normalise_email(text) is not None


def is_phone(text: str) -> bool:
    """Seven or more digits written with phone punctuation only (a date or an amount is not one)."""
    return _digits(text) >= 7 and bool(_PHONE_CHARS.match(text.strip())) and not is_date(text)


def is_date(text: str) -> bool:
    return classify_date(text.strip()) is not None


def is_amount(text: str) -> bool:
    """Money as an export writes it: with decimals or a currency symbol (a bare whole number is not enough)."""
    text = text.strip()
    if not _DECIMALS.search(text) and not _MONEY_SYMBOLS.intersection(text):
        return False
    try:
        parse_money(text)
    except BadCell:
        return False
    return True


def shape(text: str) -> str:
    """What the cell looks like: 'an email address', 'a date', 'a word of 5 letters', ... (the fixed ones
    in English, compared here and translated where shown: `_(shape(text))`)."""
    text = text.strip()
    if not text:
        return N_("empty")
    if is_email(text):
        return N_("an email address")
    if is_date(text):
        return N_("a date")
    if is_phone(text):
        return N_("a phone number")
    if is_amount(text):
        return N_("an amount")
    if text.lstrip("#").isdigit():
        return N_("a number")
    words = text.split()
    if len(words) == 1:
        letters = _letters(text)
        if not letters:
            return N_("symbols")
        return ngettext("a word of {n} letter", "a word of {n} letters", letters).format(n=letters)
    return ngettext("text of {n} word", "text of {n} words", len(words)).format(n=len(words))


def shown(value: str) -> str:
    """A cell as an error message may show it: quoted when it is plainly not personal, else its shape.

    Plain: no letters at all, at most one letter, or at most three letters beside digits
    ('12x', 'EUR 12', '12,50 zł', '10:00 PM'). Emails and phones are never shown, whatever the column.
    """
    text = value.strip()
    if is_email(text):
        return _("(an email address, not shown)")
    if _PHONE_CHARS.match(text) and _digits(text) >= 9:
        return _("(a phone number, not shown)")
    letters = _letters(text)
    if letters <= 1 or (letters <= 3 and _digits(text)):
        return repr(value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 1] + "…")
    return _("({shape}, not shown)").format(shape=_(shape(text)))


# -- a header row that is data --------------------------------------------------------------------

_STRONG = ("an email address", "a phone number", "a date", "an amount")


def data_like_header(headers: list[str]) -> list[tuple[int, str]]:
    """(column number, shape) of the header cells that look like an order's data, when they say the
    first line is not column names: any email, phone, date or amount, or two or more plain numbers."""
    found = []
    for number, header in enumerate(headers, 1):
        kind = shape(header)
        if kind in _STRONG or kind == "a number":
            found.append((number, kind))
    if any(kind in _STRONG for _number, kind in found) or len(found) >= 2:
        return found
    return []
