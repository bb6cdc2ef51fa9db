"""The one clock: the day figures are computed "as of", and the moment writes are stamped with.

Every read takes `clock.as_of`; every write is stamped with `clock.now()`: the as-of day at the
current time of day. So a call logged in the demo (whose "today" is 2026-11-23) is a call of
2026-11-23, counted by the same screens that count the demo's orders; and a shop looked at
`--as-of` last Friday records what it logs on last Friday.

The as-of day: an explicit `--as-of`, then `SHOPKEEP_TODAY`, then the database's own `demo_today`
setting (demo data carries its own today), then the real date. The edges (the CLI, the app, the demo
build) make the clock; the core is handed it. This module is the only one that reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

TODAY_ENV = "SHOPKEEP_TODAY"


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        from shopkeep.errors import ShopkeepError
        from shopkeep.i18n import _

        raise ShopkeepError(_("not a date: {text!r} (use YYYY-MM-DD)").format(text=text)) from None


def day_after(day: dt.date) -> str:
    """The exclusive upper bound of everything recorded up to `day`: the next day as 'YYYY-MM-DD', which
    sorts after every stored moment of `day` ('YYYY-MM-DDTHH:MM:SS'). Reads "as of" a day take it."""
    return (day + dt.timedelta(days=1)).isoformat()


# Days from the as-of day: "+3", "3", "+3d" (at most three digits: a year is the furthest one may pick).
_DAYS_AHEAD = re.compile(r"\+?(\d{1,3})\s*d?", re.IGNORECASE)
YEAR_AHEAD = 366  # the furthest day one may pick, in days from the as-of day


def parse_day_ahead(text: str, as_of: dt.date, *, after_today: bool = False) -> dt.date:
    """A day someone typed for something to happen (a call back, a promise due): a date YYYY-MM-DD, or
    days from `as_of` as "+3", "3" or "+3d". Today at the earliest (after today with `after_today`),
    a year ahead at the latest (`YEAR_AHEAD` days); anything else is refused with the reason (a ShopkeepError)."""
    from shopkeep.errors import ShopkeepError
    from shopkeep.i18n import _

    raw = text.strip()
    days = _DAYS_AHEAD.fullmatch(raw)
    if days:
        when = as_of + dt.timedelta(days=int(days[1]))
    else:
        try:
            when = dt.date.fromisoformat(raw)
        except ValueError:
            raise ShopkeepError(
                _("not a day: {text!r} (use YYYY-MM-DD, or +days such as +3)").format(text=raw)
            ) from None
    if after_today and when <= as_of:
        raise ShopkeepError(_("pick a day after {day}").format(day=as_of.isoformat()))
    if when < as_of:
        raise ShopkeepError(_("the day cannot be before {day}").format(day=as_of.isoformat()))
    if when > as_of + dt.timedelta(days=YEAR_AHEAD):
        raise ShopkeepError(_("pick a day within a year"))
    return when


def _wall() -> dt.datetime:
    return dt.datetime.now()


def file_time_now() -> float:
    """The real moment as the file system stamps files (seconds since the epoch): for the age of a file,
    which the shop's clock (perhaps set to another day) must not decide."""
    return dt.datetime.now().timestamp()


@dataclass(frozen=True)
class Clock:
    """The as-of day and "now" for writes. Frozen in tests with `Clock.frozen(day)`."""

    as_of: dt.date
    # Where the time of day comes from (the wall clock; a fixed time in a frozen clock).
    _time_of_day: Callable[[], dt.datetime] = field(default=_wall, repr=False, compare=False)

    @classmethod
    def resolve(cls, explicit: str | dt.date | None = None, db_today: str | None = None) -> Clock:
        """The clock for a command or the app: `--as-of`, else `SHOPKEEP_TODAY`, else the database's
        `demo_today`, else the real date."""
        if isinstance(explicit, dt.date):
            return cls(explicit)
        if explicit:
            return cls(parse_day(explicit))
        env = os.environ.get(TODAY_ENV)
        if env:
            return cls(parse_day(env))
        if db_today:
            return cls(parse_day(db_today))
        return cls(_wall().date())

    @classmethod
    def frozen(cls, day: dt.date | str, at: dt.time = dt.time(12, 0)) -> Clock:
        """A clock that does not move: the day given, always at `at`."""
        day = parse_day(day) if isinstance(day, str) else day
        moment = dt.datetime.combine(day, at)
        return cls(day, lambda: moment)

    def on(self, day: dt.date) -> Clock:
        """The same clock looked at as of another day (the look back, a replay)."""
        return Clock(day, self._time_of_day)

    def now(self) -> dt.datetime:
        """The moment a write is stamped with: the as-of day, at the current time of day (to the second)."""
        return dt.datetime.combine(self.as_of, self._time_of_day().time().replace(microsecond=0))

    def now_iso(self) -> str:
        """`now()` as stored in the bookkeeping columns (created_at, called_at): 'YYYY-MM-DDTHH:MM:SS'."""
        return self.now().isoformat()

    def stamp(self) -> str:
        """`now()` for a file name: 'YYYYMMDD-HHMMSS'."""
        return self.now().strftime("%Y%m%d-%H%M%S")
