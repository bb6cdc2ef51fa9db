"""The shop's currency and phone country: one function each (shopkeep.shop), setting first."""

from __future__ import annotations

from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions
from shopkeep.shop import country_of_currency, currency_of_country, phone_country, shop_currency


def test_the_setting_wins_over_the_orders(store, tmp_path):
    assert (shop_currency(store), phone_country(store)) == (None, None)
    path = tmp_path / "orders.csv"
    path.write_text("Order ID,Date,Total,Currency\n1,2025-01-01,5.00,PLN\n2,2025-01-02,6.00,PLN\n")
    assert import_file(store, path, ImportOptions()).ok
    assert shop_currency(store) == "PLN"  # the currency most orders are in
    store.set_setting("currency", "eur")
    store.set_setting("country", "pl")
    assert (shop_currency(store), phone_country(store)) == ("EUR", "PL")


def test_a_country_implies_its_currency_and_back_only_when_unambiguous():
    assert (currency_of_country("RU"), currency_of_country("de"), currency_of_country("AQ")) == ("RUB", "EUR", None)
    assert (country_of_currency("GBP"), country_of_currency("USD"), country_of_currency("EUR")) == ("GB", "US", None)
