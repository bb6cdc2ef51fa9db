"""Numbers for people: money from minor units, dates, risk in words."""

from __future__ import annotations

import datetime as dt


def money(minor: int | None, currency: str) -> str:
    """`129950, "EUR"` -> `"1299.50 EUR"`."""
    from shopkeep.retention import format_money  # not at import: the home screen starts without it

    return "" if minor is None else f"{format_money(minor, currency)} {currency}"


def day(value: dt.date | str | None) -> str:
    if value is None:
        return "—"
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def risk_words(risk: float) -> str:
    if risk >= 0.7:
        return "high"
    if risk >= 0.4:
        return "medium"
    return "low"


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"
