"""One parser for "+N days" (the call-back day on Today and the card, a promise's due day)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopkeep.clock import YEAR_AHEAD, parse_day_ahead
from shopkeep.errors import ShopkeepError

AS_OF = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("+3", "2026-11-26"),
        ("3", "2026-11-26"),
        ("+3d", "2026-11-26"),
        (" +3D ", "2026-11-26"),
        ("2026-12-01", "2026-12-01"),
        ("+0", "2026-11-23"),
        ("2026-11-23", "2026-11-23"),
    ],
)
def test_days_ahead_or_a_date(text, day):
    assert parse_day_ahead(text, AS_OF) == dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-11-01", "cannot be before 2026-11-23"),
        ("soon", "not a day: 'soon'"),
        ("+", "not a day"),
        ("-3", "not a day"),
        ("+3w", "not a day"),
        ("2026-13-01", "not a day"),
        ("", "not a day"),
        ("+367", "within a year"),
        ("2028-01-01", "within a year"),
    ],
)
def test_the_past_and_nonsense_are_refused_with_the_reason(text, why):
    with pytest.raises(ShopkeepError, match=why):
        parse_day_ahead(text, AS_OF)


def test_a_call_back_is_after_today():
    with pytest.raises(ShopkeepError, match="pick a day after 2026-11-23"):
        parse_day_ahead("+0", AS_OF, after_today=True)
    with pytest.raises(ShopkeepError, match="pick a day after 2026-11-23"):
        parse_day_ahead("2026-11-23", AS_OF, after_today=True)
    assert parse_day_ahead("+1", AS_OF, after_today=True) == dt.date(2026, 11, 24)


@given(st.integers(min_value=0, max_value=YEAR_AHEAD), st.sampled_from(["+{n}", "{n}", "+{n}d", "{n}d"]))
def test_any_number_of_days_within_a_year_is_that_many_days_on(n, form):
    typed = form.format(n=n)
    assert parse_day_ahead(typed, AS_OF) == AS_OF + dt.timedelta(days=n)
    assert parse_day_ahead((AS_OF + dt.timedelta(days=n)).isoformat(), AS_OF) == AS_OF + dt.timedelta(days=n)
