"""Cell values: money, dates, phones, emails, statuses, quantities, text."""

from __future__ import annotations

import datetime as dt
import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.importing.values import (
    DMY,
    MDY,
    YMD,
    BadCell,
    DateFormatError,
    Memo,
    classify_date,
    clean_text,
    currency_digits,
    normalise_email,
    parse_currency,
    parse_datetime,
    parse_money,
    parse_quantity,
    parse_status,
    phone_e164,
    resolve_date_format,
)

NBSP = "\u00a0"

# -- money ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "digits", "expected"),
    [
        ("12", 2, 1200),
        ("12.5", 2, 1250),
        ("12.50", 2, 1250),
        ("0.07", 2, 7),
        (".50", 2, 50),
        ("12,50", 2, 1250),
        ("1 234,50", 2, 123450),
        ("1\u00a0234,50", 2, 123450),
        ("1\u202f234,50 €", 2, 123450),
        ("1'234.50", 2, 123450),
        ("1,234.50", 2, 123450),
        ("1.234,50", 2, 123450),
        ("1,234,567", 2, 123456700),
        ("1.234.567,89", 2, 123456789),
        ("$8.00", 2, 800),
        ("-$8.00", 2, -800),
        ("$-8.00", 2, -800),
        ("1 234,50 ₽", 2, 123450),
        ("1 234,50 руб.", 2, 123450),
        ("zł 12,00", 2, 1200),
        ("12,00 zł", 2, 1200),
        ("EUR 12.00", 2, 1200),
        ("12.00 USD", 2, 1200),
        ("-12.00", 2, -1200),
        ("12.00-", 2, -1200),
        ("(12.00)", 2, -1200),
        ("$(12.00)", 2, -1200),
        ("(12,00 zł)", 2, -1200),
        ("\u221212.00", 2, -1200),
        ("1500", 0, 1500),
        ("1,500", 0, 1500),  # a currency without decimals: the comma can only group thousands
        ("¥1,500", 0, 1500),
        ("0.250", 3, 250),
        ("1234.567", 3, 1234567),
        ("0,500", 2, 50),  # trailing zeros are not extra precision
    ],
)
def test_money_is_read_exactly_into_minor_units(text, digits, expected):
    assert parse_money(text, digits) == expected


@pytest.mark.parametrize(
    ("text", "digits", "reason"),
    [
        ("1,234", 2, "ambiguous"),
        ("1.234", 2, "ambiguous"),
        ("12.345", 2, "ambiguous"),
        ("12.3456", 2, r"too many decimals \(4\); the currency allows 2"),
        ("1.5", 0, r"too many decimals \(1\)"),
        ("12.3456", 3, r"too many decimals \(4\)"),
        ("$ 12.00 USD", 2, "not an amount"),
        ("NaN", 2, "not a number"),
        ("nan", 2, "not a number"),
        ("inf", 2, "not a number"),
        ("Infinity", 2, "not a number"),
        ("1e5", 2, "exponent"),
        ("1.5E3", 2, "exponent"),
        ("12,34,56", 2, "3 digits"),
        ("1 23,00", 2, "3 digits"),
        ("1.2.3,4.5", 2, "mixed"),
        ("12 apples and pears", 2, "not an amount"),
        ("", 2, "empty"),
        ("abc", 2, "not a number"),
    ],
)
def test_money_rejections_say_why(text, digits, reason):
    with pytest.raises(BadCell, match=reason):
        parse_money(text, digits)


@given(cents=st.integers(min_value=-(10**12), max_value=10**12), style=st.integers(0, 7))
@settings(max_examples=200, deadline=None)
def test_money_round_trips_through_every_style(cents, style):
    units, minor = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    grouped = f"{units:,}"
    nbsp_grouped = grouped.replace(",", NBSP)
    text = [
        f"{sign}{units}.{minor:02d}",
        f"{sign}{units},{minor:02d}",
        f"{sign}{grouped}.{minor:02d}",
        f"{sign}{grouped.replace(',', ' ')},{minor:02d}",
        f"{sign}{grouped.replace(',', '.')},{minor:02d}",
        f"{sign}${grouped}.{minor:02d}",
        f"({grouped}.{minor:02d})" if cents < 0 else f"{grouped}.{minor:02d}",
        f"{sign}{nbsp_grouped},{minor:02d} zł",
    ][style]
    assert parse_money(text, 2) == cents


def test_currency_digits_follow_iso_4217():
    assert (currency_digits("EUR"), currency_digits("JPY"), currency_digits("KRW")) == (2, 0, 0)
    assert (currency_digits("BHD"), currency_digits("KWD"), currency_digits(None)) == (3, 3, 2)


def test_currency_codes_and_symbols():
    assert [parse_currency(t) for t in ("usd", " PLN ", "€", "zł", "₽")] == ["USD", "PLN", "EUR", "PLN", "RUB"]
    with pytest.raises(BadCell):
        parse_currency("euros")


def test_quantities_may_be_fractional_or_negative_but_not_nan():
    assert [parse_quantity(t) for t in ("2", "0.5", "0,5", "-1", " 3 ")] == [2.0, 0.5, 0.5, -1.0, 3.0]
    for text in ("nan", "inf", "1e3", "two", "1_000"):
        with pytest.raises(BadCell):
            parse_quantity(text)


# -- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("2024-03-01", YMD, dt.datetime(2024, 3, 1)),
        ("2024-03-01 09:05", YMD, dt.datetime(2024, 3, 1, 9, 5)),
        ("2024-03-01T09:05:07", YMD, dt.datetime(2024, 3, 1, 9, 5, 7)),
        ("2024-03-01T09:05:07.123456", YMD, dt.datetime(2024, 3, 1, 9, 5, 7)),
        # shop-local time: the offset is dropped, never converted
        ("2026-04-05 21:06:21 +0400", YMD, dt.datetime(2026, 4, 5, 21, 6, 21)),
        ("2026-04-05T21:06:21+04:00", YMD, dt.datetime(2026, 4, 5, 21, 6, 21)),
        ("2026-04-05T21:06:21Z", YMD, dt.datetime(2026, 4, 5, 21, 6, 21)),
        ("2026-04-05 21:06 -0700", YMD, dt.datetime(2026, 4, 5, 21, 6)),
        ("2026-04-05T21:06Z", YMD, dt.datetime(2026, 4, 5, 21, 6)),
        ("31.12.2024", DMY, dt.datetime(2024, 12, 31)),
        ("01.02.2024 10:30", DMY, dt.datetime(2024, 2, 1, 10, 30)),
        ("01.02.2024 10:30:15", DMY, dt.datetime(2024, 2, 1, 10, 30, 15)),
        ("12/31/22", MDY, dt.datetime(2022, 12, 31)),  # Etsy
        ("12/1/2010 8:26", MDY, dt.datetime(2010, 12, 1, 8, 26)),  # UCI Online Retail
        ("1/12/2010 8:26", DMY, dt.datetime(2010, 12, 1, 8, 26)),
        ("3/7/2024 1:05 PM", MDY, dt.datetime(2024, 3, 7, 13, 5)),
        ("2024-03-01", DMY, dt.datetime(2024, 3, 1)),  # a year first is never ambiguous
        ("01 Mar 2024", "%d %b %Y", dt.datetime(2024, 3, 1)),
    ],
)
def test_dates_are_read_as_shop_local_time(text, fmt, expected):
    assert parse_datetime(text, fmt) == expected


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("2024-02-30", YMD),
        ("31/12/2024", MDY),
        ("01/02/2024", YMD),
        ("yesterday", DMY),
        ("01.02.24.5", DMY),
        ("01.02.2024 25:00", DMY),
        ("01.02.2024 noon", DMY),
        ("01.02.202", DMY),
        ("2024/13/01", YMD),
    ],
)
def test_impossible_dates_are_rejected(text, fmt):
    with pytest.raises(BadCell):
        parse_datetime(text, fmt)


def test_one_value_can_settle_the_column_order_or_not():
    assert classify_date("2024-03-01") == YMD
    assert classify_date("01.02.2024") == DMY  # dots are day first
    assert classify_date("13/02/2024") == DMY
    assert classify_date("02/13/2024") == MDY
    assert classify_date("01/02/2024") == "either"
    assert classify_date("not a date") is None


@pytest.mark.parametrize(
    ("spec", "resolved"),
    [
        ("DD/MM/YYYY", DMY),
        ("MM/DD/YYYY", MDY),
        ("%d/%m/%Y", DMY),
        ("%m/%d/%y %H:%M", MDY),
        ("YYYY-MM-DD", YMD),
        ("dmy", DMY),
        ("%d %b %Y", "%d %b %Y"),
    ],
)
def test_owner_date_formats_strftime_or_friendly(spec, resolved):
    assert resolve_date_format(spec) == resolved


def test_unknown_date_format_is_a_clear_error():
    with pytest.raises(DateFormatError, match="DD/MM/YYYY"):
        resolve_date_format("whenever")


# -- people ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("8 (916) 123-45-67", "RU", "+79161234567"),
        ("0048 600 123 456", "PL", "+48600123456"),
        ("600 123 456", "PL", "+48600123456"),
        ("+48 600-123-456", None, "+48600123456"),
        ("+39 06 1234 5678", None, "+390612345678"),  # Italy keeps its leading zero
        ("+44 (0) 20 7946 0018", None, "+442079460018"),  # the UK's "(0)" trunk prefix
        ("+1 1 212 736 3100", None, "+12127363100"),  # a trunk 1 after the country code
        ("+1 212 736 3100", None, "+12127363100"),
        ("'+48600123456", None, "+48600123456"),  # Excel's text apostrophe
        ("600 123 456", None, None),  # no + and no shop country: cannot know
        ("12", "PL", None),
        ("call me", "PL", None),
    ],
)
def test_phones_become_e164_or_none(text, region, expected):
    assert phone_e164(text, region) == expected


@given(digits=st.text(alphabet="0123456789", min_size=3, max_size=16), spaced=st.booleans())
@settings(max_examples=500, deadline=None)
def test_the_fast_phone_path_agrees_with_the_library(digits, spaced):
    text = "+" + (" ".join([digits[:2], digits[2:5], digits[5:]]) if spaced else digits)
    try:
        number = phonenumbers.parse(text, None)
        expected = (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if phonenumbers.is_valid_number(number)
            else None
        )
    except phonenumbers.NumberParseException:
        expected = None
    assert phone_e164(text, None) == expected


def test_the_fast_phone_path_agrees_with_the_library_on_real_numbers_of_every_country():
    """The validity check compiled from the metadata: the library's example number of every type in every
    region, and the same numbers one or two digits off (most of them then invalid), read the same."""
    rng = random.Random(19)
    checked = valid = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None or example.italian_leading_zero:
                continue
            national = str(example.national_number)
            for attempt in range(8):
                digits = list(national)
                for _ in range(attempt and rng.randint(1, 2)):
                    digits[rng.randrange(1, len(digits))] = rng.choice("0123456789")
                text = f"+{example.country_code}{''.join(digits)}"
                number = phonenumbers.parse(text, None)
                expected = text if phonenumbers.is_valid_number(number) else None
                assert phone_e164(text, None) == expected, text
                checked += 1
                valid += expected is not None
    assert checked > 5000 and valid > checked / 3


def test_emails_are_trimmed_lower_cased_or_dropped():
    assert normalise_email("  Anna.K@Example.COM ") == "anna.k@example.com"
    assert normalise_email("<a@b.pl>") == "a@b.pl"
    for text in ("no-at-sign", "a@b", "a b@c.de", "@c.de", "a@@c.de", "a@b@c.de"):
        assert normalise_email(text) is None


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("paid", "paid"),
        ("Completed", "paid"),
        ("wc-completed", "paid"),
        ("Выполнен", "paid"),
        ("Оплачен", "paid"),
        ("Zrealizowane", "paid"),
        ("processing", "paid"),
        ("On-hold", "pending"),
        ("pending", "pending"),
        ("Отменён", "cancelled"),
        ("Отменен", "cancelled"),
        ("Anulowane", "cancelled"),
        ("Canceled", "cancelled"),
        ("refunded", "refunded"),
        ("Refund", "refunded"),  # Square Event Type
        ("Payment", "paid"),  # Square Event Type
        ("voided", "voided"),
        ("partially_refunded", "partially_refunded"),
        ("Partially refunded", "partially_refunded"),
        # renamed and translated statuses (PrestaShop lets shops edit them)
        ("Awaiting bank wire payment", "pending"),
        ("Payment accepted", "paid"),
        ("Payment error", "cancelled"),
        ("Платеж принят", "paid"),
        ("Ожидание оплаты банковским переводом", "pending"),
        ("Не оплачено", "pending"),
        ("Błąd płatności", "cancelled"),
        ("Częściowy zwrot", "partially_refunded"),
        ("Zwrot", "refunded"),
    ],
)
def test_platform_statuses_map_to_ours(text, status):
    assert parse_status(text) == status


def test_empty_status_is_left_to_the_default_and_unknown_is_an_error():
    assert parse_status("  ") is None
    with pytest.raises(BadCell, match="unknown order status"):
        parse_status("teleported")


def test_text_loses_control_characters_but_keeps_every_script():
    assert clean_text("  Zoë Łukasz-Żółć ") == "Zoë Łukasz-Żółć"
    assert clean_text("Анна\x00 Петрова\x1b[31m") == "Анна Петрова[31m"
    assert clean_text("山田\u202e太郎") == "山田太郎"  # a bidi override could disguise text
    assert clean_text("Big\nPlate") == "Big Plate"
    assert clean_text("नमस्ते") == "नमस्ते"
    for empty in ("", " ", "NA", "N/A", "null", "-", "None", "nan"):
        assert clean_text(empty) is None


def test_memo_remembers_answers_and_failures():
    calls = []

    def parse(text: str) -> int:
        calls.append(text)
        if text == "bad":
            raise BadCell("nope")
        return len(text)

    memo = Memo(parse)
    assert memo("abc") == 3 and memo("abc") == 3
    for _ in range(2):
        with pytest.raises(BadCell, match="nope"):
            memo("bad")
    assert calls == ["abc", "bad"]


@pytest.mark.parametrize("text", ["12x", "x12", "12 apples", "ab 12", "12 ?"])
def test_words_that_are_not_currencies_make_an_amount_bad(text):
    with pytest.raises(BadCell):
        parse_money(text)
