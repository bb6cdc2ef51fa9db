"""The settings form returns a typed `shop.SettingsChange`: one field per shop setting, so a setting added to
the shop is a field the form can return (or this test says which is missing)."""

from __future__ import annotations

import dataclasses

from shopkeep import shop
from shopkeep.store import Store


def test_a_change_has_a_field_for_every_setting():
    fields = [f.name for f in dataclasses.fields(shop.SettingsChange)]
    assert fields == list(shop.SETTING_KEYS) == [f.name for f in dataclasses.fields(shop.ShopSettings)]


def test_only_the_changed_fields_are_saved_and_an_empty_one_clears(tmp_path):
    with Store.open(tmp_path / "shop.db") as store:
        shop.save_settings(store, {"shop_name": "Herbs", "caller_name": "Ola"})
        change = shop.SettingsChange(caller_name="", currency="gbp")
        assert change.texts() == {"caller_name": "", "currency": "gbp"}
        now = shop.save_settings(store, change.texts())
    assert (now.shop_name, now.caller_name, now.currency) == ("Herbs", None, "GBP")
    assert shop.SettingsChange().texts() == {}
