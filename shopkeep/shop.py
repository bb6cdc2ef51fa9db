"""The shop's own defaults: its currency and the country of phones written without +code.

One place decides them for everyone (the import, the figures, loyalty and every screen):
- the currency: the `currency` setting (the owner's word), else the currency most orders are in;
- the phone country: the `country` setting.
The first import that needs one and is told it (`--currency`, `--country`) remembers it in the settings.
Light to import (the app loads it at start): the heavy modules are imported where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopkeep.i18n import N_, _
from shopkeep.store import settings as store_settings

if TYPE_CHECKING:
    from shopkeep.store import Store

# The currency of a country, for the countries whose shops use shopkeep's languages and their neighbours.
# `--country RU` alone means the shop sells in RUB; a file's own currency column still wins.
COUNTRY_CURRENCY = {
    "AE": "AED",
    "AM": "AMD",
    "AU": "AUD",
    "AZ": "AZN",
    "BA": "BAM",
    "BG": "BGN",
    "BR": "BRL",
    "BY": "BYN",
    "CA": "CAD",
    "CH": "CHF",
    "CN": "CNY",
    "CZ": "CZK",
    "DK": "DKK",
    "GB": "GBP",
    "GE": "GEL",
    "HU": "HUF",
    "IL": "ILS",
    "IN": "INR",
    "IS": "ISK",
    "JP": "JPY",
    "KG": "KGS",
    "KR": "KRW",
    "KZ": "KZT",
    "MD": "MDL",
    "MX": "MXN",
    "NO": "NOK",
    "NZ": "NZD",
    "PL": "PLN",
    "RO": "RON",
    "RS": "RSD",
    "RU": "RUB",
    "SE": "SEK",
    "SG": "SGD",
    "TR": "TRY",
    "UA": "UAH",
    "US": "USD",
    "UZ": "UZS",
    "ZA": "ZAR",
    # the euro area
    **dict.fromkeys(
        ("AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PT"),
        "EUR",
    ),
    **dict.fromkeys(("SI", "SK"), "EUR"),
}
# A currency used by one country only names that country (EUR and USD do not: many countries write them).
_CURRENCY_COUNTRY = {
    currency: country
    for country, currency in COUNTRY_CURRENCY.items()
    if list(COUNTRY_CURRENCY.values()).count(currency) == 1 and currency != "USD"
} | {"USD": "US"}


def currency_setting(store: Store) -> str | None:
    """The currency the owner set (or the first import remembered), if any."""
    setting = store.get_setting("currency")
    if isinstance(setting, str) and len(setting.strip()) == 3 and setting.strip().isalpha():
        return setting.strip().upper()
    return None


def shop_currency(store: Store) -> str | None:
    """The shop's currency: the `currency` setting, else the currency most of its orders are in, else None."""
    from shopkeep.store.analytics import likely_currency

    return currency_setting(store) or likely_currency(store)


def phone_country(store: Store) -> str | None:
    """The country (ISO 3166 alpha-2) of the shop's phones written without +code: the `country` setting."""
    import phonenumbers

    from shopkeep.store.lookup import shop_country

    country = shop_country(store)
    return country if country in phonenumbers.SUPPORTED_REGIONS else None


def currency_of_country(country: str | None) -> str | None:
    """'RU' -> 'RUB'; None for a country not in the table."""
    return COUNTRY_CURRENCY.get(country.upper()) if country else None


def country_of_currency(currency: str | None) -> str | None:
    """'GBP' -> 'GB'; None for a currency many countries write (EUR)."""
    return _CURRENCY_COUNTRY.get(currency.upper()) if currency else None


# -- the owner's settings of the shop --------------------------------------------------------------

# What `shopkeep settings` and the app's settings form show and change, each under its settings key.
SETTING_KEYS = {
    "shop_name": "shop_name",  # the title bar and the call scripts' opener
    "caller_name": "caller_name",  # who is calling, in the scripts ("this is Ola from ...")
    "currency": "currency",  # ISO 4217: the shop's figures, points and tiers are in it
    "phone_country": "country",  # ISO 3166 alpha-2: phones written without +code are read in it
    "free_delivery_from": "free_delivery_from",  # minor units: the delivery script's "orders from X ship free"
    "language": "language",  # en, ru, pl: what the app and the commands speak (else the system's language)
}
SETTING_HELP = {
    "shop_name": N_("the shop's name (title bar, call scripts)"),
    "caller_name": N_("who calls the customers (call scripts)"),
    "currency": N_("the shop's currency, e.g. PLN, EUR, GBP"),
    "phone_country": N_("the country of phones written without +code, e.g. PL, GB, RU"),
    "free_delivery_from": N_("orders from this amount ship free (the delivery script says so only when set)"),
    "language": N_("the language of the app and the commands: en, ru, pl (not set: the system's)"),
}
MAX_NAME = 80


@dataclass(frozen=True)
class ShopSettings:
    shop_name: str | None = None
    caller_name: str | None = None
    currency: str | None = None
    phone_country: str | None = None
    free_delivery_from: str | None = None  # as the owner types it, in the shop's currency
    language: str | None = None  # 'en', 'ru' or 'pl'

    def items(self) -> list[tuple[str, str | None]]:
        return [(field, getattr(self, field)) for field in SETTING_KEYS]


@dataclass(frozen=True)
class SettingsChange:
    """The settings the owner changed in a form (the app's settings dialog), for `save_settings`: each field
    None when left as it was, else the text typed (an empty text clears the setting)."""

    shop_name: str | None = None
    caller_name: str | None = None
    currency: str | None = None
    phone_country: str | None = None
    free_delivery_from: str | None = None
    language: str | None = None

    def texts(self) -> dict[str, str]:
        """Field -> text, the changed fields only (what `save_settings` takes)."""
        return {field: text for field in SETTING_KEYS if (text := getattr(self, field)) is not None}


def load_settings(store: Store) -> ShopSettings:
    values = {field: store.get_setting(key) for field, key in SETTING_KEYS.items()}
    if isinstance(values["free_delivery_from"], int):
        from shopkeep import money

        values["free_delivery_from"] = money.plain(values["free_delivery_from"], shop_currency(store) or "EUR")
    return ShopSettings(**{field: str(value) if value not in (None, "") else None for field, value in values.items()})


def check_setting(field: str, text: str, currency: str | None = None) -> str | int | None:
    """The value to store for `field`, or a ValueError in one line. Empty text clears the setting.
    `currency`: the shop's, for an amount (free_delivery_from)."""
    if field not in SETTING_KEYS:
        raise ValueError(
            _("unknown setting {field!r}; settings are {names}").format(field=field, names=", ".join(SETTING_KEYS))
        )
    value = " ".join(text.split())
    if not value:
        return None
    if field in ("shop_name", "caller_name"):
        if len(value) > MAX_NAME or not value.isprintable():
            raise ValueError(_("{field}: at most {n} printable characters").format(field=field, n=MAX_NAME))
        return value
    if field == "free_delivery_from":
        from shopkeep import money

        try:
            amount = money.parse(value, currency or "EUR")
        except money.MoneyError as exc:
            raise ValueError(_("free_delivery_from: {reason}").format(reason=exc)) from None
        if amount <= 0:
            raise ValueError(_("free_delivery_from: an amount above 0"))
        return amount
    if field == "language":
        from shopkeep.i18n import LANGUAGES, normalize

        code = normalize(value)
        if code is None:
            raise ValueError(
                _("language: {value!r} is not one shopkeep speaks ({names})").format(
                    value=value, names=", ".join(LANGUAGES)
                )
            )
        return code
    if field == "currency":
        from babel.numbers import is_currency

        code = value.upper()
        if len(code) != 3 or not is_currency(code):
            raise ValueError(
                _("currency: {value!r} is not an ISO 4217 currency code (e.g. PLN, EUR, GBP)").format(value=value)
            )
        return code
    import phonenumbers

    code = value.upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            _("phone_country: {value!r} is not a two-letter country code (e.g. PL, GB, RU)").format(value=value)
        )
    return code


def language_setting(store: Store) -> str | None:
    """The language the owner chose for the shop ('en', 'ru', 'pl'), if any."""
    import sqlite3

    from shopkeep.i18n import normalize

    try:
        setting = store.get_setting("language")
    except sqlite3.DatabaseError:  # a damaged file: the command says so in the environment's language
        return None
    return normalize(setting) if isinstance(setting, str) else None


def shop_language(store: Store) -> str:
    """The language people read this shop in: the `language` setting, else the environment's
    ($LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG), else English."""
    from shopkeep.i18n import SOURCE_LANGUAGE, language_from_environment

    return language_setting(store) or language_from_environment() or SOURCE_LANGUAGE


def save_settings(store: Store, changes: dict[str, str]) -> ShopSettings:
    """Check every change first, then store them all in one transaction; returns the settings now."""
    checked: dict[str, str | int | None] = {}
    unknown = [field for field in changes if field not in SETTING_KEYS]
    for field in [*unknown, *(field for field in SETTING_KEYS if field in changes)]:  # currency before an amount
        currency = checked.get("currency") or shop_currency(store)  # an amount is in the currency set with it
        checked[field] = check_setting(field, changes[field], currency if isinstance(currency, str) else None)
    with store.write() as conn:
        for field, value in checked.items():
            key = SETTING_KEYS[field]
            if value is None:
                store_settings.delete(conn, key)
            else:
                store.set_setting(key, value)
    return load_settings(store)
