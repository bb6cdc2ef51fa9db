"""Time is injected: every figure is computed "as of" a date.

Order of precedence: an explicit `--as-of`, then `SHOPKEEP_TODAY`, then the database's own
`demo_today` setting (demo data carries its own today), then the real date.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_ENV = "SHOPKEEP_TODAY"


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        from shopkeep.errors import ShopkeepError

        raise ShopkeepError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def resolve_as_of(explicit: str | dt.date | None = None, db_today: str | None = None) -> dt.date:
    if isinstance(explicit, dt.date):
        return explicit
    if explicit:
        return parse_day(explicit)
    env = os.environ.get(TODAY_ENV)
    if env:
        return parse_day(env)
    if db_today:
        return parse_day(db_today)
    return dt.date.today()


def now_iso() -> str:
    """The wall-clock moment for bookkeeping columns (created_at, called_at)."""
    return dt.datetime.now().replace(microsecond=0).isoformat()
