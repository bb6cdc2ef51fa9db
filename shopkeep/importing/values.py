"""Cell text to typed values: money, dates, phones, emails, statuses, quantities, plain text.

Every parser takes the cell text and either returns a value or raises `BadCell` whose message is
the reason shown to the owner (never the value itself: the caller attaches line and column).
Parsers that see the same text again and again (dates, phones) cache their answers in bounded
dictionaries so that a million-row file parses in constant memory.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

import phonenumbers

from shopkeep import money
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _

CACHE_LIMIT = 50_000  # entries per cache before it is cleared (a few MB)
T = TypeVar("T")


class BadCell(ValueError):
    """One cell cannot be read; the message is the reason."""


class Failed(str):
    """A cached BadCell reason."""


_MISSING = object()


class Memo(Generic[T]):
    """`parse` with a bounded cache of answers (and of BadCell reasons) per distinct text.

    Hot loops may look in `cache` themselves and call the Memo only on a miss or a failure
    (a cached failure is a `Failed`, a str subclass holding the reason).
    """

    __slots__ = ("cache", "limit", "parse")

    def __init__(self, parse: Callable[[str], T], limit: int = CACHE_LIMIT):
        self.cache: dict[str, T | Failed] = {}
        self.parse = parse
        self.limit = limit

    def __call__(self, text: str) -> T:
        cache = self.cache
        value = cache.get(text, _MISSING)
        if value is _MISSING:
            if len(cache) >= self.limit:
                cache.clear()
            try:
                value = self.parse(text)
            except BadCell as exc:
                value = Failed(exc)
            cache[text] = value
        if type(value) is Failed:
            raise BadCell(value)
        return value  # type: ignore[return-value]


class DateFormatError(ShopkeepError):
    """The date column cannot be read without the owner saying which order day and month are in."""


# -- text -----------------------------------------------------------------------------------------

EMPTY_WORDS = frozenset({"", "na", "n/a", "n.a.", "null", "none", "nan", "-", "--", "—", "–", "#n/a"})
_KEEP_FORMAT = frozenset({"\u200c", "\u200d"})  # zero-width (non-)joiners are part of some scripts and emoji


def clean_text(text: str) -> str | None:
    """Strip control characters and surrounding space; placeholders like "N/A" or "-" become None.

    Letters of every script are kept. Line breaks and odd spaces inside the text become one space.
    """
    if not text.isprintable():
        text = " ".join("".join(_clean_char(ch) for ch in text).split())
    text = text.strip()
    if len(text) <= 4 and text.casefold() in EMPTY_WORDS:
        return None
    return text


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category[0] == "Z" or ch in "\t\n\r":
        return " "
    if category in ("Cc", "Cf", "Cs") and ch not in _KEEP_FORMAT:
        return ""
    return ch


# -- money ----------------------------------------------------------------------------------------

# Symbols and local spellings written instead of the ISO code.
_CURRENCY_WORDS = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₽": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "р.": "RUB",
    "₴": "UAH",
    "грн": "UAH",
    "грн.": "UAH",
    "zł": "PLN",
    "zl": "PLN",
    "¥": "JPY",
    "₩": "KRW",
    "₸": "KZT",
    "₹": "INR",
    "kč": "CZK",
}


def currency_digits(currency: str | None) -> int:
    """How many decimals the currency's minor unit has (ISO 4217, from shopkeep.money); 2 when unknown."""
    return money.digits(currency) if currency else 2


def parse_currency(text: str) -> str:
    """'usd', 'USD', '$', 'zł' -> the ISO code."""
    word = text.strip()
    if len(word) == 3 and word.isascii() and word.isalpha():
        return word.upper()
    code = _CURRENCY_WORDS.get(word.casefold())
    if code is None:
        raise BadCell(N_("not a currency code (use a 3-letter code like EUR)"))
    return code


_THOUSANDS_SPACES = " \u00a0\u202f\u2009'’"
_NUMBER_CHARS = frozenset("0123456789.,") | frozenset(_THOUSANDS_SPACES)


def parse_money(text: str, digits: int = 2) -> int:
    """Money text -> integer minor units with `digits` decimals. Exact: never rounds.

    Accepts currency symbols or codes before or after, decimal commas, thousands separators
    (space, no-break space, apostrophe, or the other of . and ,) where unambiguous, a leading or
    trailing minus and accounting parentheses. Rejects NaN, infinities, exponents, ambiguous
    separators (`1,234`) and more decimals than the currency has.
    """
    text = text.strip()
    # Fast path: plain "1234" or "1234.56"
    head, dot, tail = text.partition(".")
    if head.isdigit() and head.isascii() and (not dot or (tail.isdigit() and tail.isascii())):
        if len(tail) == 3 and len(head) <= 3 and head[0] != "0" and digits != 3:  # 3 decimals: "12.500" KWD
            raise BadCell(_ambiguous(text))
        if len(tail) <= digits:
            return int(head) * 10**digits + int(tail.ljust(digits, "0") or 0)
        return _minor(head, tail, digits)
    return _parse_money_slow(text, digits)


def _ambiguous(text: str) -> str:
    sep = "," if "," in text else "."
    return _(
        "ambiguous number: the {sep!r} could separate thousands or decimals; write it without thousands separators"
    ).format(sep=sep)


def _parse_money_slow(text: str, digits: int) -> int:
    if not text:
        raise BadCell(N_("empty amount"))
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = text.replace("\u2212", "-")
    if text.startswith("-"):
        negative, text = not negative, text[1:].strip()
    elif text.endswith("-"):
        negative, text = not negative, text[:-1].strip()
    start = next((i for i, ch in enumerate(text) if ch.isdigit()), None)
    if start is None:
        raise BadCell(N_("not a number"))
    if start and text[start - 1] in ".,":  # ".50"
        start -= 1
    end = len(text)
    while not text[end - 1].isdigit():
        end -= 1
    prefix, number, suffix = text[:start].strip(), text[start:end], text[end:].strip()
    if prefix.endswith("-") and not negative:  # "$-8.00"
        negative, prefix = True, prefix[:-1].strip()
    if prefix.endswith("(") and suffix.startswith(")"):  # "$(8.00)"
        negative, prefix, suffix = not negative, prefix[:-1].strip(), suffix[1:].strip()
    for marker in (prefix, suffix):
        if marker.casefold() in ("nan", "inf"):
            raise BadCell(N_("not a number"))
        if marker and not _is_currency_marker(marker):
            raise BadCell(N_("not an amount"))
    if any(ch not in _NUMBER_CHARS for ch in number):
        if "e" in number.casefold():
            raise BadCell(N_("exponents are not accepted in amounts"))
        raise BadCell(N_("not an amount"))
    if prefix and suffix:
        raise BadCell(N_("not an amount"))
    head, tail = _split_decimal(number, digits)
    value = _minor(head, tail, digits)
    return -value if negative else value


# Symbols and words written beside amounts; any three-letter code (EUR, pln) is accepted as well.
CURRENCY_MARKERS = frozenset(
    [
        "$",
        "€",
        "£",
        "¥",
        "₽",
        "₴",
        "₸",
        "₺",
        "₹",
        "+",
        "zł",
        "zl",
        "руб",
        "руб.",
        "р",
        "р.",
        "грн",
        "kr",
        "kr.",
        "kč",
        "ft",
        "lei",
        "fr",
        "fr.",
        "us$",
        "a$",
        "c$",
        "r$",
        "hk$",
        "nz$",
        "s$",
        "€.",
        "eur.",
        "sfr",
    ]
)


def _is_currency_marker(marker: str) -> bool:
    folded = marker.casefold()
    return folded in CURRENCY_MARKERS or (len(marker) == 3 and marker.isascii() and marker.isalpha())


def _split_decimal(number: str, digits: int) -> tuple[str, str]:
    """Separate integer digits from decimal digits, checking thousands groups."""
    marks = [ch for ch in number if not ch.isdigit()]
    points = [ch for ch in marks if ch in ".,"]
    spaces = [ch for ch in marks if ch not in ".,"]
    decimal_sep: str | None = None
    if len(set(points)) == 2:
        decimal_sep = number[max(number.rfind("."), number.rfind(","))]
        if points.count(decimal_sep) > 1:
            raise BadCell(N_("not an amount: mixed separators"))
    elif len(points) == 1:
        sep = points[0]
        head, _, tail = number.rpartition(sep)
        plain_head = head.translate(_DROP_SPACES)
        if len(tail) == 3 and digits != 3 and not spaces and len(plain_head) <= 3 and plain_head[0] != "0":
            if digits != 0:
                raise BadCell(_ambiguous(number))
            decimal_sep = None  # a currency without decimals: it can only be thousands
        else:
            decimal_sep = sep
    elif points and spaces:  # the same mark several times is thousands, but not beside spaces
        raise BadCell(N_("not an amount: mixed separators"))
    if decimal_sep is None:
        head, tail = number, ""
    else:
        head, _, tail = number.rpartition(decimal_sep)
        if not tail.isdigit():
            raise BadCell(N_("not an amount"))
    groups = re.split(r"[.,'’ \u00a0\u202f\u2009]", head)
    if len(groups) > 1:
        if len(set(ch for ch in head if not ch.isdigit())) > 1:
            raise BadCell(N_("not an amount: mixed thousands separators"))
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise BadCell(N_("not an amount: thousands groups must have 3 digits"))
    return "".join(groups), tail


_DROP_SPACES = str.maketrans("", "", _THOUSANDS_SPACES)


def _minor(head: str, tail: str, digits: int) -> int:
    if len(tail) > digits:
        tail = tail.rstrip("0") if len(tail.rstrip("0")) <= digits else tail
        if len(tail) > digits:
            raise BadCell(_("too many decimals ({n}); the currency allows {digits}").format(n=len(tail), digits=digits))
    try:
        value = Decimal(f"{head or '0'}.{tail or '0'}")
    except InvalidOperation:
        raise BadCell(N_("not an amount")) from None
    return int(value.scaleb(digits))


def parse_quantity(text: str) -> float:
    """A count (may be fractional, e.g. 0.5 kg; negative on returns)."""
    text = text.strip()
    if text.isdigit() and text.isascii():
        return float(text)
    number = text.replace(",", ".").replace(" ", "").replace("\u00a0", "").replace("\u2212", "-")
    if not number or any(ch not in "0123456789.-+" for ch in number):
        raise BadCell(N_("not a quantity"))
    try:
        value = Decimal(number)
    except InvalidOperation:
        raise BadCell(N_("not a quantity")) from None
    return float(value)


# -- flags and minor units -------------------------------------------------------------------------

# Cells of a yes/no column ("Refunded?" 0/1, "refunded" true/false): never an amount.
FLAG_TRUE = frozenset({"1", "true", "yes", "y", "t", "да", "tak"})
FLAG_FALSE = frozenset({"0", "false", "no", "n", "f", "нет", "nie"})
FLAG_WORDS = FLAG_TRUE | FLAG_FALSE


def is_flag(text: str) -> bool:
    """True when the cell is a yes/no value (1/0, true/false, yes/no)."""
    return text.strip().casefold() in FLAG_WORDS


def flag_set(text: str) -> bool:
    """True for a set flag (1, true, yes); False for anything else, empty included."""
    return text.strip().casefold() in FLAG_TRUE


def parse_minor_units(text: str) -> int:
    """An amount written in the currency's minor unit (Lemon Squeezy: 1199 = 11.99 USD): a whole number."""
    number = text.strip().replace("\u2212", "-")
    digits = number[1:] if number[:1] in "-+" else number
    if not digits.isdigit() or not digits.isascii():
        raise BadCell(N_("not a whole number: amounts in this file are in minor units (cents), e.g. 1199 for 11.99"))
    return -int(digits) if number.startswith("-") else int(digits)


# -- dates ----------------------------------------------------------------------------------------

# A resolved date format is one of these orders, or a strptime pattern (contains '%').
YMD, DMY, MDY = "YMD", "DMY", "MDY"
_FRIENDLY = {"DD": "d", "MM": "m", "YYYY": "y", "YY": "y", "%D": "d", "%M": "m", "%Y": "y"}


def resolve_date_format(text: str) -> str:
    """An owner's `--date-format` ('DD/MM/YYYY', '%m/%d/%Y', 'YMD', ...) -> a resolved format."""
    spec = text.strip()
    if spec.upper() in (YMD, DMY, MDY):
        return spec.upper()
    date_part = spec.split()[0] if spec.split() else ""
    tokens = [tok for tok in re.split(r"[./\-]", date_part.upper()) if tok]
    order = "".join(_FRIENDLY.get(tok, "?") for tok in tokens)
    if order in ("ymd", "dmy", "mdy"):
        return order.upper()
    if "%" in spec:
        return spec
    raise DateFormatError(
        _("unknown date format {text!r}: use DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD or a %d/%m/%Y pattern").format(
            text=text
        )
    )


def _split_date(text: str) -> tuple[list[str], str]:
    """'31.12.2024 10:00' -> (['31', '12', '2024'], '10:00')."""
    text = text.strip()
    cut = len(text)
    for sep in (" ", "T"):
        pos = text.find(sep)
        if 0 < pos < cut:
            cut = pos
    date_part, time_part = text[:cut], text[cut + 1 :].strip()
    for sep in "./-":
        if sep in date_part:
            return date_part.split(sep), time_part
    return [date_part], time_part


def classify_date(text: str) -> str | None:
    """What one sample says about the column's order: YMD, DMY, MDY, 'either' or None (unreadable)."""
    parts, _rest = _split_date(text)
    if len(parts) == 1 and _compact_date(parts[0]) is not None:
        return YMD
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    first, second, third = parts
    if len(first) == 4:
        return YMD
    if len(third) not in (2, 4):
        return None
    a, b = int(first), int(second)
    if "." in text.split()[0]:
        return DMY  # dots mean day first in practice
    if a > 12 and b <= 12:
        return DMY
    if b > 12 and a <= 12:
        return MDY
    return "either" if a <= 12 and b <= 12 else None


def parse_datetime(text: str, fmt: str) -> dt.datetime:
    """Cell text -> naive shop-local datetime. An offset is dropped, never converted."""
    text = text.strip()
    if "%" in fmt:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            raise BadCell(_("not a date in the format {format}").format(format=fmt)) from None
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        try:  # the ISO fast path
            if len(text) <= 19 or text[19] in " +-Z.z":
                value = dt.datetime.fromisoformat(text[:19])
                return value if value.tzinfo is None else value.replace(tzinfo=None)
            return _iso(text)
        except ValueError:
            pass
    parts, time_part = _split_date(text)
    if len(parts) == 1 and (compact := _compact_date(parts[0])) is not None:
        return dt.datetime.combine(compact, _parse_time(time_part))
    if len(parts) != 3 or not all(p.isdigit() and p.isascii() for p in parts):
        raise BadCell(N_("not a date"))
    if len(parts[0]) == 4:
        year, month, day = parts
    elif fmt == DMY:
        day, month, year = parts
    elif fmt == MDY:
        month, day, year = parts
    else:
        raise BadCell(N_("not a date in the format YYYY-MM-DD"))
    if len(year) == 2:
        year = "20" + year
    elif len(year) != 4:
        raise BadCell(N_("not a date: the year needs 4 digits"))
    try:
        return dt.datetime.combine(dt.date(int(year), int(month), int(day)), _parse_time(time_part))
    except ValueError:
        raise BadCell(N_("not a date: no such day")) from None


def _compact_date(text: str) -> dt.date | None:
    """'19970101' (YYYYMMDD, as CDNOW and many logs write it) -> the date; None when it is not one."""
    if len(text) != 8 or not text.isdigit() or not text.isascii() or text[:2] not in ("19", "20"):
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _iso(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace(" +", "+").replace(" -", "-"))
    return value.replace(tzinfo=None)


_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp][Mm])?")


def _parse_time(text: str) -> dt.time:
    if not text:
        return dt.time()
    if len(text) in (5, 8) and text[2] == ":" and text.replace(":", "").isdigit():  # "09:30", "09:30:15"
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            raise BadCell(N_("not a time of day")) from None
    match = _TIME.match(text)
    rest = text[match.end() :].strip() if match else text
    if not match or (rest and rest[0] not in "+-Zz" and not rest.isalpha()):
        raise BadCell(N_("not a time of day"))
    hour, minute, second, half = match.groups()
    h = int(hour)
    if half:
        if not 1 <= h <= 12:
            raise BadCell(N_("not a time of day"))
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return dt.time(h, int(minute), int(second or 0))
    except ValueError:
        raise BadCell(N_("not a time of day")) from None


# -- people ---------------------------------------------------------------------------------------


def normalise_email(text: str) -> str | None:
    """Trimmed and lower-cased; None if it cannot be an address."""
    email = text.strip().strip("<>").strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local or "." not in domain.strip(".") or "@" in local or len(email.split()) != 1:
        return None
    return email


def check_country(code: str) -> str:
    """An owner's `--country` (ISO 3166 alpha-2) checked against the phone metadata."""
    region = code.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ShopkeepError(_("unknown country {code!r}: use a 2-letter ISO code like PL, DE or US").format(code=code))
    return region


_PHONE_PUNCTUATION = str.maketrans("", "", " -().\u00a0/")


def phone_e164(text: str, region: str | None) -> str | None:
    """A phone to E.164 ('+48600123456'), using `region` for numbers written without `+`; invalid -> None."""
    raw = text.strip().lstrip("'")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    compact = raw.translate(_PHONE_PUNCTUATION)
    if (
        compact[:2] != "+0"
        and compact[:1] == "+"
        and compact[1:].isdigit()
        and compact.isascii()
        and len(compact) <= 18
    ):
        return _international_e164(compact[1:], raw, region)
    if not any(ch.isdigit() for ch in raw) or len(raw) > 40:
        return None
    return _parsed_e164(raw, region)


def _international_e164(digits: str, raw: str, region: str | None) -> str | None:
    """The fast path for a valid '+<country code><number>': no text parsing, the same validity check.

    Country calling codes are prefix-free, so the first known prefix is the country code.
    """
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            national = digits[size:]
            if not national or national[0] == "0":  # a trunk zero or an Italian leading zero: let the library decide
                return _parsed_e164(raw, region)
            if _valid_international(code, national):
                return f"+{code}{national}"
            break
    return _parsed_e164(raw, region)  # not valid as written: the library may still strip a trunk prefix


# -- validity, as phonenumbers.is_valid_number decides it, with the metadata's patterns compiled once ----------

# The number types is_valid_number accepts (phonenumberutil._number_type_helper): any match is valid.
_TYPE_DESCS = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail")
_validators: dict[tuple[int, str], Callable[[str], bool]] = {}


def _valid_international(code: int, national: str) -> bool:
    """phonenumbers.is_valid_number(PhoneNumber(code, int(national))) for a national number without a leading
    zero, the same answer at a fraction of the cost: a million-row export has one phone per customer, and the
    library, called per number, spends most of its time around the regular expressions rather than in them."""
    candidates = _candidates.get(code)
    if candidates is None:
        candidates = _candidates[code] = _regions_of(code)
    if len(candidates) == 1:
        return _validator(code, candidates[0][0])(national)
    for region, leading in candidates:  # phonenumberutil._region_code_for_number_from_list
        if leading is not None:
            if leading(national):
                return _validator(code, region)(national)
        elif _validator(code, region)(national):
            return True  # the region's own check, which the library repeats
    return False


_candidates: dict[int, list[tuple[str, Callable[[str], object] | None]]] = {}


def _regions_of(code: int) -> list[tuple[str, Callable[[str], object] | None]]:
    """The regions of a country calling code, each with its leading-digits test (None: none given)."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]
    if len(regions) == 1:
        return [(regions[0], None)]
    found: list[tuple[str, Callable[[str], object] | None]] = []
    for region in regions:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is not None:
            leading = metadata.leading_digits
            found.append((region, re.compile(leading).match if leading is not None else None))
    return found


def _validator(code: int, region: str) -> Callable[[str], bool]:
    """is_valid_number_for_region for this country code and region, as one function of the national number."""
    found = _validators.get((code, region))
    if found is not None:
        return found
    if region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
        metadata = phonenumbers.PhoneMetadata.metadata_for_nongeo_region(code, None)
    else:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is not None and metadata.country_code != code:
            metadata = None
    if metadata is None:
        found = _never
    else:
        general = _desc_check(metadata.general_desc)
        descs = [getattr(metadata, name) for name in _TYPE_DESCS] + [metadata.fixed_line]
        if not metadata.same_mobile_and_fixed_line_pattern:
            descs.append(metadata.mobile)
        checks = [check for desc in descs if (check := _desc_check(desc)) is not None]

        def found(national: str) -> bool:
            return general is not None and general(national) and any(check(national) for check in checks)

    _validators[(code, region)] = found
    return found


def _never(national: str) -> bool:
    return False


def _desc_check(desc: object) -> Callable[[str], bool] | None:
    """phonenumberutil._is_number_matching_desc for one description: its possible lengths, then its pattern."""
    pattern = getattr(desc, "national_number_pattern", None) if desc is not None else None
    if not pattern:
        return None
    lengths = frozenset(getattr(desc, "possible_length", ()) or ())
    fullmatch = re.compile(pattern).fullmatch
    if not lengths:
        return lambda national: fullmatch(national) is not None
    return lambda national: len(national) in lengths and fullmatch(national) is not None


def _parsed_e164(raw: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- statuses -------------------------------------------------------------------------------------

_STATUS_WORDS = {
    "paid": (
        "paid",
        "completed",
        "complete",
        "fulfilled",
        "delivered",
        "shipped",
        "success",
        "succeeded",
        "payment",
        "sale",
        "payment accepted",
        # WooCommerce and PrestaShop: payment received, the order is being prepared
        "processing",
        "processing in progress",
        "выполнен",
        "выполнено",
        "оплачен",
        "оплачено",
        "доставлен",
        "завершен",
        "успешно",
        "zrealizowane",
        "zrealizowano",
        "opłacone",
        "opłacono",
        "zapłacone",
        "wysłane",
        "dostarczone",
        "płatność zaakceptowana",
    ),
    "pending": (
        "pending",
        "on hold",
        "pending payment",
        "awaiting payment",
        "authorized",
        "unpaid",
        "new",
        "в обработке",
        "новый",
        "ожидает оплаты",
        "не оплачен",
        "не оплачено",
        "w realizacji",
        "nowe",
        "oczekujące",
        "oczekuje na płatność",
        "nieopłacone",
    ),
    "cancelled": (
        "cancelled",
        "canceled",
        "failed",
        "declined",
        "expired",
        "отменен",
        "отменено",
        "отмена",
        "anulowane",
        "anulowano",
        "anulowany",
    ),
    "refunded": ("refunded", "refund", "returned", "возврат", "возвращен", "zwrócone", "zwrot", "zwrócono"),
    "voided": ("voided", "void"),
    "partially_refunded": (
        "partially refunded",
        "partial refund",
        "частичный возврат",
        "частично возвращен",
        "częściowo zwrócone",
        "częściowy zwrot",
    ),
}
_STATUSES = {word: status for status, words in _STATUS_WORDS.items() for word in words}
# Shops rename and translate statuses ("Awaiting bank wire payment", "Платеж принят", "Błąd płatności"):
# when no word matches exactly, the first stem found in the text decides. Order matters.
_STATUS_STEMS = (
    ("partial", "partially_refunded"),
    ("частичн", "partially_refunded"),
    ("częściow", "partially_refunded"),
    ("unpaid", "pending"),
    ("не оплач", "pending"),
    ("неоплач", "pending"),
    ("nieopłac", "pending"),
    ("refund", "refunded"),
    ("возврат", "refunded"),
    ("zwrot", "refunded"),
    ("zwróc", "refunded"),
    ("cancel", "cancelled"),
    ("отмен", "cancelled"),
    ("anul", "cancelled"),
    ("void", "voided"),
    ("error", "cancelled"),
    ("fail", "cancelled"),
    ("ошибк", "cancelled"),
    ("błąd", "cancelled"),
    ("await", "pending"),
    ("pending", "pending"),
    ("processing", "paid"),
    ("ожида", "pending"),
    ("в процессе", "pending"),
    ("oczekiw", "pending"),
    ("w toku", "pending"),
    ("paid", "paid"),
    ("accepted", "paid"),
    ("complete", "paid"),
    ("deliver", "paid"),
    ("shipped", "paid"),
    ("оплач", "paid"),
    ("принят", "paid"),
    ("выполн", "paid"),
    ("доставл", "paid"),
    ("отправл", "paid"),
    ("opłac", "paid"),
    ("zapłac", "paid"),
    ("zaakcept", "paid"),
    ("zrealiz", "paid"),
    ("dostarcz", "paid"),
    ("wysł", "paid"),
)


def status_key(text: str) -> str:
    """A status cell as a lookup key: 'requires_payment_method' -> 'requires payment method'."""
    return " ".join(text.casefold().replace("ё", "е").replace("_", " ").replace("-", " ").split())


def parse_status(text: str) -> str | None:
    """Platform status words (EN/RU/PL) -> one of STATUSES; empty -> None (the loader's default)."""
    word = status_key(text)
    if word.startswith("wc "):
        word = word[3:]
    if not word:
        return None
    status = _STATUSES.get(word) or next((st for stem, st in _STATUS_STEMS if stem in word), None)
    if status is None:
        raise BadCell(N_("unknown order status (expected a word like paid, pending, cancelled, refunded)"))
    return status
