"""Cell values platforms write that the generic readers did not know: yes/no flags, whole cents,
compact dates (CDNOW's 19970101) and status words as lookup keys."""

from __future__ import annotations

import datetime as dt

import pytest

from shopkeep.importing.values import (
    YMD,
    BadCell,
    classify_date,
    flag_set,
    is_flag,
    parse_datetime,
    parse_minor_units,
    status_key,
)


@pytest.mark.parametrize("text", ["0", "1", "true", "FALSE", " yes ", "No", "да", "nie"])
def test_yes_no_cells_are_flags(text):
    assert is_flag(text)


@pytest.mark.parametrize("text", ["0.00", "12", "", "refunded", "2"])
def test_amounts_and_words_are_not_flags(text):
    assert not is_flag(text)


def test_only_a_yes_sets_a_flag():
    assert [flag_set(t) for t in ("1", "true", "Yes", "0", "false", "", "maybe")] == [1, 1, 1, 0, 0, 0, 0]


@pytest.mark.parametrize(("text", "cents"), [("1199", 1199), ("0", 0), ("-250", -250), (" 5292 ", 5292)])
def test_minor_units_are_whole_numbers(text, cents):
    assert parse_minor_units(text) == cents


@pytest.mark.parametrize("text", ["11.99", "1,199", "$1199", "", "12e3"])
def test_minor_units_refuse_anything_else(text):
    with pytest.raises(BadCell, match="minor units"):
        parse_minor_units(text)


def test_compact_dates_read_year_month_day():
    assert classify_date("19970101") == YMD
    assert parse_datetime("19970330", YMD) == dt.datetime(1997, 3, 30)
    assert classify_date("20231301") is None  # no 13th month: a number, not a date
    assert classify_date("12345678") is None
    with pytest.raises(BadCell):
        parse_datetime("19971340", YMD)


def test_status_words_as_keys():
    assert status_key("requires_payment_method") == "requires payment method"
    assert status_key(" Partially-Refunded ") == "partially refunded"
