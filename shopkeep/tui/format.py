"""Numbers for people: phones, dates, risk in words, shares (money: shopkeep.money.format), in the language
in use (shopkeep.i18n lays out dates and numbers for it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shopkeep.i18n import N_, _, format_date, format_number, ngettext


def phone(number: str | None) -> str:
    """An E.164 number grouped for reading aloud: '+48600100200' -> '+48 600 100 200'."""
    import phonenumbers  # not at import: the home screen paints first

    if not number:
        return ""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(number, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return number


def day(value: dt.date | str | None) -> str:
    """A day (or the day of an ISO timestamp) as the language writes it."""
    if value is None:
        return "—"
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)[:10]
    return format_date(value)


RISK_WORDS = (N_("high"), N_("medium"), N_("low"))  # retention.risk_level's words, for the catalog


def risk_words(risk: float) -> str:
    """'low', 'medium' or 'high', cut where the segment explanations cut them (retention.risk_level)."""
    from shopkeep.retention import risk_level

    return _(risk_level(risk))


def number(value: float, digits: int = 0) -> str:
    """1,299 / 1 299 as the language groups digits."""
    return format_number(value, digits=digits)


def pct(share: float | None, *, digits: int = 0, signed: bool = False) -> str:
    """A share as a percentage (0.125 -> '12.5%' / '12,5%'), '—' when unknown."""
    if share is None:
        return "—"
    text = format_number(100 * share, digits=digits)
    if signed and share >= 0:
        text = "+" + text
    return text + "%"


def given_words(promise: Any, currency: str | None) -> str:
    """What `g` did, in words: 'Promise kept: refund of £25 due 2026-11-30, marked given.' (a bonus: its points)."""
    from shopkeep.calls import promise_text

    what = promise_text(promise, currency)
    if promise.kind == "bonus" and promise.amount:
        added = ngettext("{n} point added", "{n} points added", promise.amount).format(n=promise.amount)
        return _("Promise kept: {what}; {added}.").format(what=what, added=added)
    return _("Promise kept: {what}, marked given.").format(what=what)


def percent(part: float, whole: float) -> str:
    return pct(part / whole, digits=1) if whole else "—"
