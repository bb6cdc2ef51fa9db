"""Numbers for people: phones, dates, risk in words (money: shopkeep.money.format)."""

from __future__ import annotations

import datetime as dt
from typing import Any


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
    if value is None:
        return "—"
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def risk_words(risk: float) -> str:
    """'low', 'medium' or 'high', cut where the segment explanations cut them (retention.risk_level)."""
    from shopkeep.i18n import _
    from shopkeep.retention import risk_level

    return _(risk_level(risk))


def given_words(promise: Any, currency: str | None) -> str:
    """What `g` did, in words: 'Promise kept: refund of £25 due 2026-11-30, marked given.' (a bonus: its points)."""
    from shopkeep.calls import promise_text
    from shopkeep.i18n import _, ngettext

    what = promise_text(promise, currency)
    if promise.kind == "bonus" and promise.amount:
        added = ngettext("{n} point added", "{n} points added", promise.amount).format(n=promise.amount)
        return _("Promise kept: {what}; {added}.").format(what=what, added=added)
    return _("Promise kept: {what}, marked given.").format(what=what)


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"
