"""Money, the one owner of it: how many decimals a currency has, reading an amount an owner types,
showing amounts to people and writing them to CSV/JSON, and how big a "unit" of a currency is.

Amounts are integer minor units plus an ISO 4217 code everywhere in shopkeep; only this module turns
them into text or back.

Decimals (`digits`) are ISO 4217's minor units, because that is what shop platforms export with and
what the database holds. They come from Babel's copy of the Unicode CLDR currency data (maintained,
updated with every ISO amendment), with one correction: CLDR's `digits` is the precision people
*write*, and for a few currencies it is lower than ISO's, because the minor unit is not used in
practice. Those keep ISO 4217's value (`_ISO_WHERE_CLDR_DIFFERS`), so that "1299.50 HUF" in a
Shopify export is read exactly and an amount stored before this module existed means what it meant:

    ISO 2, CLDR 0: AFN ALL COP HUF IDR IRR KPW LAK LBP MGA MMK SOS SYP YER
    ISO 3, CLDR 0: IQD

Where CLDR and ISO agree (JPY KRW CLP ISK XOF XAF UGX VND ... 0; KWD BHD OMR JOD TND LYD 3; CLF UYW 4)
CLDR is used as is. An unknown code has 2 decimals.

For people (`format`) an amount is shown with the decimals people write (CLDR's) when that loses
nothing (HUF 1,299.00 shows as "HUF 1,299"), else with all of ISO's: a value is never rounded
for display. Babel lays it out for a locale ("1 299,50 zł" in pl, "1 299,50 ₽" in ru, "£1,299.50" in en);
with no locale named, the language in use (`shopkeep.i18n`: the shop's setting, else the system's).
For files (`plain`) amounts are locale-neutral: dot decimal, no grouping, exactly ISO's decimals.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from shopkeep import i18n
from shopkeep.errors import ShopkeepError

# ISO 4217 minor units where CLDR's `digits` (the precision in everyday writing) is lower.
_ISO_WHERE_CLDR_DIFFERS = {
    "AFN": 2,
    "ALL": 2,
    "COP": 2,
    "HUF": 2,
    "IDR": 2,
    "IQD": 3,
    "IRR": 2,
    "KPW": 2,
    "LAK": 2,
    "LBP": 2,
    "MGA": 2,
    "MMK": 2,
    "SOS": 2,
    "SYP": 2,
    "YER": 2,
}


class MoneyError(ShopkeepError):
    """An amount an owner typed that cannot be read as money of the currency."""


@functools.cache
def digits(currency: str) -> int:
    """Decimals of the currency's minor unit (ISO 4217): EUR 2, JPY 0, KWD 3, HUF 2; unknown 2."""
    code = currency.upper()
    if code in _ISO_WHERE_CLDR_DIFFERS:
        return _ISO_WHERE_CLDR_DIFFERS[code]
    return _cldr_digits(code)


@functools.cache
def _cldr_digits(code: str) -> int:
    from babel.numbers import get_currency_precision  # not at import: the home screen paints first

    return get_currency_precision(code)


def to_major(minor: int, currency: str) -> Decimal:
    """12500, "KWD" -> Decimal('12.500'), exactly."""
    return Decimal(minor).scaleb(-digits(currency))


# -- for files ----------------------------------------------------------------------------------


def plain(minor: int, currency: str) -> str:
    """For CSV and JSON: dot decimal, no grouping, exactly the currency's decimals.

    129950 EUR -> '1299.50'; 125 JPY -> '125'; 12500 KWD -> '12.500'; -350 EUR -> '-3.50'."""
    places = digits(currency)
    if places == 0:
        return str(minor)
    whole, frac = divmod(abs(minor), 10**places)
    return f"{'-' if minor < 0 else ''}{whole}.{frac:0{places}d}"


# -- for people ---------------------------------------------------------------------------------


def format(minor: int, currency: str, *, locale: str | None = None, compact: bool = False) -> str:
    """An amount for people, laid out for `locale` (default: the language in use, `i18n.babel_locale()`)
    with grouped thousands: 129950 EUR -> '€1,299.50' (en), '1 299,50 zł' (pl), '1 299,50 ₽' (ru);
    12500 KWD -> 'KWD 12.500'.

    `compact` (tables and sentences): a whole amount without its zero decimals ('€1,240', but
    '€12.50' stays). Never rounds: every minor unit that is there is shown.
    """
    code = currency.upper()
    places = digits(code)
    whole, frac = divmod(abs(minor), 10**places)
    shown = places
    if compact and frac == 0:
        shown = 0
    else:
        usual = _cldr_digits(code)
        if usual < places and frac % 10 ** (places - usual) == 0:
            shown = usual
    layout = _layout(locale or i18n.babel_locale(), code, shown)
    number = _group(str(whole), layout.group, layout.sizes)
    if shown:
        number += f"{layout.decimal}{frac // 10 ** (places - shown):0{shown}d}"
    prefix, suffix = layout.negative if minor < 0 else layout.positive
    return f"{prefix}{number}{suffix}"


class _Layout(NamedTuple):
    positive: tuple[str, str]  # text before and after the number
    negative: tuple[str, str]
    decimal: str
    group: str
    sizes: tuple[int, int]  # primary and secondary grouping (3, 3; Indian 3, 2)


@functools.cache
def _layout(locale: str, code: str, places: int) -> _Layout:
    """How the locale writes an amount of `code` with `places` decimals, learnt from Babel once (Babel
    itself takes ~0.1 ms an amount: too slow for a table of thousands of rows)."""
    import copy

    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    where = Locale.parse(locale)
    pattern = copy.copy(where.currency_formats["standard"])
    pattern.frac_prec = (places, places)
    decimal, group = get_decimal_symbol(where), get_group_symbol(where)
    one = "1" + (decimal + "0" * places if places else "")

    def around(value: int) -> tuple[str, str]:
        text = _space_letters(pattern.apply(Decimal(value), where, currency=code, currency_digits=False))
        before, found, after = text.partition(one)
        assert found, text
        return before, after

    return _Layout(around(1), around(-1), decimal, group, pattern.grouping)


def _group(number: str, mark: str, sizes: tuple[int, int]) -> str:
    primary, secondary = sizes
    if len(number) <= primary:
        return number
    head, groups = number[:-primary], [number[-primary:]]
    while len(head) > secondary:
        groups.append(head[-secondary:])
        head = head[:-secondary]
    groups.append(head)
    return mark.join(reversed(groups))


_LETTER_BY_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def _space_letters(text: str) -> str:
    """A no-break space between a currency code and the number ('PLN1,299.00' -> 'PLN 1,299.00'): CLDR's
    currency spacing rule, which Babel does not apply. A symbol ('€', 'US$') stays attached."""
    return _LETTER_BY_DIGIT.sub("\u00a0", text)


# -- from people --------------------------------------------------------------------------------

_SPACES = " \u00a0\u202f\u2009'’"
_SIGNS = "+-\u2212"


def parse(text: str, currency: str) -> int:
    """An amount an owner typed in major units ('12.50', '12,50', '1 299,50', '1,299.50', '€12.50') ->
    minor units. Refused with the reason: not a number, more decimals than the currency has
    ('12.5' JPY, '1.2345' KWD), or a separator that could mean thousands or decimals ('1,299' EUR)."""
    code = currency.upper()
    places = digits(code)
    number = _strip_currency(text.strip(), code)
    negative = number[:1] in ("-", "\u2212")
    if number[:1] in _SIGNS:
        number = number[1:].lstrip()
    if not number or any(ch not in "0123456789.," and ch not in _SPACES for ch in number) or not number[0].isdigit():
        raise MoneyError(i18n._("not an amount of {code} (e.g. {example})").format(code=code, example=_example(code)))
    head, tail = _split(number, places, code)
    tail_value = tail.rstrip("0")
    if len(tail_value) > places:
        if places == 0:
            raise MoneyError(
                i18n._("{code} has no decimals: write a whole amount (e.g. {example})").format(
                    code=code, example=_example(code)
                )
            )
        raise MoneyError(
            i18n._("too many decimals: {code} has {places} (e.g. {example})").format(
                code=code, places=places, example=_example(code)
            )
        )
    try:
        value = int(Decimal(f"{head}.{tail or '0'}").scaleb(places))
    except InvalidOperation:
        raise MoneyError(
            i18n._("not an amount of {code} (e.g. {example})").format(code=code, example=_example(code))
        ) from None
    return -value if negative else value


def _example(code: str) -> str:
    return plain(1250 * 10 ** digits(code) // 100, code) if digits(code) else "1250"


def _strip_currency(text: str, code: str) -> str:
    """'12.50 EUR', 'EUR 12.50', '€12.50', '12,50 zł' -> the number (only the currency asked for)."""
    words = {code.casefold(), *(symbol.casefold() for symbol in _symbols(code))}
    for word in sorted(words, key=len, reverse=True):
        if text.casefold().startswith(word):
            return text[len(word) :].strip()
        if text.casefold().endswith(word):
            return text[: -len(word)].strip()
    return text


@functools.cache
def _symbols(code: str) -> tuple[str, ...]:
    """The currency's symbol as each of shopkeep's languages shows it ('€'; 'zł' in Polish, '₽' in Russian):
    an amount copied from what shopkeep showed reads back."""
    from babel.numbers import get_currency_symbol

    found = (get_currency_symbol(code, language) for language in i18n.LANGUAGES)
    return tuple(dict.fromkeys(s for s in found if s and not s[0].isdigit())) or (code,)


def _split(number: str, places: int, code: str) -> tuple[str, str]:
    """Integer digits and decimal digits of a number written with '.', ',' and spaces."""
    marks = [ch for ch in number if not ch.isdigit()]
    points = [ch for ch in marks if ch in ".,"]
    if len(set(points)) == 2:  # '1,299.50', '1.299,50': the last one is the decimal mark
        decimal = number[max(number.rfind("."), number.rfind(","))]
        if points.count(decimal) > 1:
            raise MoneyError(i18n._("not an amount of {code}: mixed separators").format(code=code))
    elif len(points) == 1:
        head, tail = number.split(points[0])
        if len(tail) == 3 and places != 3 and head != "0" and not (set(head) & set(_SPACES)):
            if places != 0:
                raise MoneyError(
                    i18n._("'{number}' could mean thousands or decimals: write it without thousands separators").format(
                        number=number
                    )
                )
            decimal = None  # a currency without decimals: '1,299' can only be thousands
        else:
            decimal = points[0]
    else:
        decimal = None  # none, or the same mark repeated: thousands ('1.299.000')
    head, tail = number.rsplit(decimal, 1) if decimal else (number, "")
    if not tail.isdigit() and decimal:
        raise MoneyError(i18n._("not an amount of {code}").format(code=code))
    groups = re.split(r"[.,'’ \u00a0\u202f\u2009]", head)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise MoneyError(i18n._("not an amount of {code}: thousands groups must have 3 digits").format(code=code))
    return "".join(groups), tail


# -- how big a unit is --------------------------------------------------------------------------

# How many units of a currency buy roughly what 1 EUR buys, rounded to the nearest step of the
# 1-2-5 series on a log scale (the step changes only when the rate moves across a geometric mean
# of two steps: 1.41, 3.16, 7.07 x 10^n), for loyalty rules that mean the same in every currency:
# "1 point per 100 BDT", "Silver from 30,000 BDT a year". Source: the euro foreign exchange reference
# rates of the European Central Bank (for currencies the ECB does not quote: the issuing central
# bank's official rate), approximate 2025 averages, noted beside each row; table of 2026-12. A row
# within ~10% of a step boundary may round either way: a shop sets its own `price_level` then.
# One deliberate exception: JPY is 100 (the rate gives 200), the yen amount Japanese point schemes
# count in ("1 point per ¥100").
_PRICE_LEVELS: dict[str, str] = {
    "EUR": "1",
    "USD": "1",  # 1.13
    "GBP": "1",  # 0.85
    "CHF": "1",  # 0.94
    "JOD": "1",  # 0.80
    "CAD": "2",  # 1.57
    "AUD": "2",  # 1.75
    "NZD": "2",  # 1.92
    "SGD": "2",  # 1.47
    "BGN": "2",  # 1.956 (fixed)
    "BAM": "2",  # 1.956 (fixed)
    "AZN": "2",  # 1.92
    "GEL": "2",  # 3.1
    "PLN": "5",  # 4.25
    "RON": "5",  # 5.0
    "BYN": "5",  # 3.7
    "ILS": "5",  # 4.0
    "AED": "5",  # 4.15
    "SAR": "5",  # 4.24
    "QAR": "5",  # 4.1
    "TND": "5",  # 3.35
    "MYR": "5",  # 4.85
    "BRL": "5",  # 6.3
    "PEN": "5",  # 4.15
    "SEK": "10",  # 11.0
    "NOK": "10",  # 11.7
    "DKK": "10",  # 7.46
    "HKD": "10",  # 8.8
    "CNY": "10",  # 8.1
    "MAD": "10",  # 10.4
    "CZK": "20",  # 24.9
    "MDL": "20",  # 19.6
    "ZAR": "20",  # 20.5
    "MXN": "20",  # 21.6
    "UAH": "50",  # 47
    "TRY": "50",  # 45
    "MKD": "50",  # 61.5
    "EGP": "50",  # 56
    "THB": "50",  # 37.5
    "TWD": "50",  # 35
    "PHP": "50",  # 64
    "RUB": "100",  # 94
    "KGS": "100",  # 99
    "INR": "100",  # 97
    "BDT": "100",  # 137
    "RSD": "100",  # 117
    "ALL": "100",  # 98
    "JPY": "100",  # 163 (see above)
    "ISK": "200",  # 145
    "KES": "200",  # 146
    "HUF": "500",  # 403
    "KZT": "500",  # 590
    "AMD": "500",  # 440
    "PKR": "500",  # 320
    "LKR": "500",  # 340
    "XOF": "500",  # 655.957 (fixed)
    "XAF": "500",  # 655.957 (fixed)
    "CLP": "1000",  # 1080
    "KRW": "2000",  # 1550
    "NGN": "2000",  # 1750
    "COP": "5000",  # 4700
    "UGX": "5000",  # 4100
    "IDR": "20000",  # 18600
    "VND": "20000",  # 29500
    "UZS": "20000",  # 14500 (near the step: 10000 would do as well)
    "KWD": "0.5",  # 0.347
    "BHD": "0.5",  # 0.425
    "OMR": "0.5",  # 0.435
}


def price_level(currency: str) -> Decimal | None:
    """How many units of the currency buy roughly what 1 EUR does (1-2-5 rounded): PLN 5, RUB 100,
    KWD 0.5; None for a currency without a known level."""
    level = _PRICE_LEVELS.get(currency.upper())
    return None if level is None else Decimal(level)


def minor_units(major: Decimal | int, currency: str) -> Decimal:
    """Major units -> minor units, exactly (may be fractional: 0.5 EUR levels of 1 JPY)."""
    return Decimal(major).scaleb(digits(currency))
