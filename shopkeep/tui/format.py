"""Numbers for people: phones, dates, risk in words (money: shopkeep.money.format)."""

from __future__ import annotations

import datetime as dt


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


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"
