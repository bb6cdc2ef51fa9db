"""The shop's own defaults: its currency and the country of phones written without +code.

One place decides them for everyone (the import, the figures, loyalty and every screen):
- the currency: the `currency` setting (the owner's word), else the currency most orders are in;
- the phone country: the `country` setting.
The first import that needs one and is told it (`--currency`, `--country`) remembers it in the settings.
Light to import (the app loads it at start): the heavy modules are imported where they are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
