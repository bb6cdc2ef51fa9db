"""shopkeep.money, the one owner of money: decimals per currency, typed amounts, text for people and files."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from shopkeep import money

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("currency", "places"),
    [
        ("EUR", 2),
        ("usd", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("CLP", 0),
        ("ISK", 0),
        ("XOF", 0),
        ("UGX", 0),
        ("KWD", 3),
        ("BHD", 3),
        ("TND", 3),
        # ISO 4217 where CLDR writes fewer decimals: platforms export these with ISO's
        ("HUF", 2),
        ("IDR", 2),
        ("IQD", 3),
        ("CLF", 4),
        ("XYZ", 2),  # unknown
    ],
)
def test_decimals_are_iso_4217s(currency, places):
    assert money.digits(currency) == places


def test_the_importer_reads_amounts_with_the_same_decimals():
    from shopkeep.importing.values import currency_digits, parse_money

    for code in ("KWD", "JPY", "XOF", "HUF", "EUR", "RWF", "XPF", "CLF"):
        assert currency_digits(code) == money.digits(code)
    assert currency_digits("XPF") == 0  # the importer's own table had it at 2
    assert parse_money("12.5", currency_digits("KWD")) == 12500
    assert parse_money("12.500", currency_digits("KWD")) == 12500  # three decimals are the dinar's, not thousands
    assert parse_money("1.250,500", currency_digits("KWD")) == 1250500
    assert parse_money("1250", currency_digits("XOF")) == 1250


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (129950, "EUR", "1299.50"),
        (125, "JPY", "125"),
        (12500, "KWD", "12.500"),
        (1250, "XOF", "1250"),
        (-350, "EUR", "-3.50"),
        (5, "EUR", "0.05"),
        (129900, "HUF", "1299.00"),
        (0, "KWD", "0.000"),
    ],
)
def test_plain_is_locale_neutral_and_exact(minor, currency, text):
    assert money.plain(minor, currency) == text


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "text"),
    [
        (129950, "PLN", "pl", "1 299,50 zł"),
        (129950, "RUB", "ru", "1 299,50 ₽"),
        (129950, "GBP", "en_GB", "£1,299.50"),
        (129950, "EUR", "en", "€1,299.50"),
        (129950, "EUR", "de", "1.299,50 €"),
        (12500, "KWD", "en", "KWD 12.500"),
        (125, "JPY", "en", "¥125"),
        (1250, "XOF", "en", "F CFA 1,250"),
        (129950, "PLN", "en", "PLN 1,299.50"),  # a code is spaced from the number, a symbol is not
        (-350, "EUR", "en", "-€3.50"),
        (123456789, "INR", "en_IN", "₹12,34,567.89"),
        (129900, "HUF", "en", "HUF 1,299"),  # HUF is written without decimals when it has none
        (129950, "HUF", "en", "HUF 1,299.50"),  # ... and keeps them when it has
    ],
)
def test_format_lays_amounts_out_for_the_locale(minor, currency, locale, text):
    assert money.format(minor, currency, locale=locale).replace(NBSP, " ").replace("\u202f", " ") == text


def test_format_defaults_to_english_and_compact_drops_only_zero_decimals():
    assert money.format(124000, "EUR") == "€1,240.00"
    assert money.format(124000, "EUR", compact=True) == "€1,240"
    assert money.format(124050, "EUR", compact=True) == "€1,240.50"  # never rounded
    assert money.format(12500, "KWD", compact=True) == f"KWD{NBSP}12.500"
    assert money.format(12000, "KWD", compact=True) == f"KWD{NBSP}12"


def test_format_agrees_with_babel_for_many_locales_and_amounts():
    """The fast layout learnt from Babel gives what Babel itself gives."""
    import copy
    import random
    from decimal import Decimal

    from babel import Locale

    rng = random.Random(7)
    for name in ("en", "en_GB", "en_IN", "pl", "ru", "de", "fr", "ja", "ar", "uk", "cs", "tr", "pt_BR", "hi"):
        where = Locale.parse(name)
        for code in ("EUR", "USD", "PLN", "KWD", "JPY", "INR", "RUB"):
            places = money.digits(code)
            pattern = copy.copy(where.currency_formats["standard"])
            pattern.frac_prec = (places, places)
            for minor in (0, 1, -1, 99, 100_000, rng.randint(-(10**12), 10**12), rng.randint(0, 10**6)):
                babel = pattern.apply(Decimal(minor).scaleb(-places), where, currency=code, currency_digits=False)
                expected = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", NBSP, babel)
                assert money.format(minor, code, locale=name) == expected, (name, code, minor)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.50", "EUR", 1250),
        ("12,50", "EUR", 1250),
        (" 12,5 ", "EUR", 1250),
        ("1 299,50", "PLN", 129950),
        ("1,299.50", "USD", 129950),
        ("1.299,50", "EUR", 129950),
        ("€12.50", "EUR", 1250),
        ("12.50 eur", "EUR", 1250),
        ("0.500", "EUR", 50),
        ("12.5", "KWD", 12500),
        ("12,500", "KWD", 12500),
        ("1250", "JPY", 1250),
        ("1,250", "JPY", 1250),  # no decimals: the comma can only group thousands
        ("12.00", "JPY", 12),
        ("1250", "XOF", 1250),
    ],
)
def test_parse_reads_what_an_owner_types(text, currency, minor):
    assert money.parse(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency", "reason"),
    [
        ("12.5", "JPY", "JPY has no decimals"),
        ("1250.5", "XOF", "XOF has no decimals"),
        ("12.5001", "KWD", "too many decimals: KWD has 3"),
        ("12.505", "EUR", "thousands or decimals"),
        ("12.5055", "EUR", "too many decimals: EUR has 2"),
        ("1,299", "EUR", "thousands or decimals"),
        ("ten", "EUR", "not an amount of EUR"),
        ("NaN", "EUR", "not an amount of EUR"),
        ("1e5", "EUR", "not an amount of EUR"),
        ("12.50 USD", "EUR", "not an amount of EUR"),
        ("1,2,3", "EUR", "thousands groups"),
    ],
)
def test_parse_refuses_what_it_cannot_be_sure_of(text, currency, reason):
    with pytest.raises(money.MoneyError, match=reason):
        money.parse(text, currency)


def test_every_currency_a_country_implies_has_a_price_level():
    from shopkeep.shop import COUNTRY_CURRENCY

    assert sorted(c for c in set(COUNTRY_CURRENCY.values()) if money.price_level(c) is None) == []
    assert (money.price_level("EUR"), money.price_level("PLN"), money.price_level("KWD")) == (1, 5, Decimal("0.5"))
    assert money.price_level("XYZ") is None


def test_one_currency_table_and_one_money_formatter_in_the_source():
    """No module keeps its own decimals table or turns minor units into text by hand."""
    source = Path(money.__file__).parent
    offenders = []
    patterns = [
        re.compile(r"\b(?:JPY|KWD|BHD)\"?\s*:\s*[0-3]\b"),  # a digits table
        re.compile(r"ZERO_DECIMAL|minor_per_major|_CURRENCY_DIGITS"),
        re.compile(r"/\s*100\s*:\s*[,.]?\d*f|//\s*100\}|%\s*100:02d"),  # f"{x / 100:.2f}", f"{x // 100}.{x % 100:02d}"
        re.compile(r"def (?:format_money|_exact_money|money|_money|_grouped)\("),
    ]
    for path in sorted(source.rglob("*.py")):
        if path.name == "money.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(p.search(line) for p in patterns):
                offenders.append(f"{path.relative_to(source)}:{number}: {line.strip()}")
    assert offenders == []
