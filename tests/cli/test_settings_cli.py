from __future__ import annotations

from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()


def settings(db_path, *changes):
    args = ["settings", "--db", str(db_path)]
    for change in changes:
        args += ["--set", change]
    return runner.invoke(app, args)


def test_settings_are_shown_changed_and_cleared(db_path):
    Store.open(db_path).close()
    shown = settings(db_path)
    assert shown.exit_code == 0
    assert [line.split()[:2] for line in shown.output.splitlines()] == [
        ["shop_name", "(not"],
        ["caller_name", "(not"],
        ["currency", "(not"],
        ["phone_country", "(not"],
        ["free_delivery_from", "(not"],
        ["language", "(not"],
    ]
    changed = settings(db_path, "shop_name=Herbs & Co", "caller_name=Ola", "currency=pln", "phone_country=pl")
    assert changed.exit_code == 0, changed.output
    with Store.open(db_path) as store:
        assert [store.get_setting(k) for k in ("shop_name", "caller_name", "currency", "country")] == [
            "Herbs & Co",
            "Ola",
            "PLN",
            "PL",
        ]
    assert settings(db_path, "caller_name=").exit_code == 0
    with Store.open(db_path) as store:
        assert store.get_setting("caller_name") is None


def test_a_bad_value_is_refused_and_nothing_is_changed(db_path):
    with Store.open(db_path) as store:
        store.set_setting("currency", "EUR")
    result = settings(db_path, "shop_name=New name", "currency=ZZZ")
    assert result.exit_code == 1
    assert result.stderr == "error: currency: 'ZZZ' is not an ISO 4217 currency code (e.g. PLN, EUR, GBP)\n"
    with Store.open(db_path) as store:
        assert (store.get_setting("shop_name"), store.get_setting("currency")) == (None, "EUR")
    assert "unknown setting 'colour'" in settings(db_path, "colour=red").stderr
    assert "not a two-letter country code" in settings(db_path, "phone_country=Poland").stderr


def test_free_delivery_is_an_amount_in_the_shops_currency(db_path):
    Store.open(db_path).close()
    assert settings(db_path, "currency=PLN", "free_delivery_from=150,00").exit_code == 0
    with Store.open(db_path) as store:
        assert store.get_setting("free_delivery_from") == 15_000  # minor units
    shown = settings(db_path).output
    assert "free_delivery_from  150.00" in shown
    refused = settings(db_path, "free_delivery_from=1.505")
    assert refused.exit_code == 1 and "free_delivery_from:" in refused.stderr
