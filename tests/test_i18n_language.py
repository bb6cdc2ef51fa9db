"""The language people read: chosen from the shop's setting, else the environment, else English; plural
forms per language; money, dates and numbers laid out for it, while files stay locale-neutral."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from shopkeep import i18n, money, shop
from shopkeep.cli import app
from shopkeep.i18n import ngettext
from shopkeep.store import Store
from tests.retention.conftest import add_history

runner = CliRunner()
NBSP = "\u00a0"
NO_LOCALE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def spaces(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("language", "currency", "shown"),
    [("pl", "PLN", "1 299,50 zł"), ("ru", "RUB", "1 299,50 ₽"), ("en", "GBP", "£1,299.50"), ("en", "EUR", "€1,299.50")],
)
def test_money_follows_the_language_in_use(language, currency, shown):
    i18n.set_language(language)
    assert spaces(money.format(129950, currency)) == shown
    assert money.parse(money.format(129950, currency), currency) == 129950  # what is shown reads back


def test_dates_and_numbers_follow_the_language_in_use():
    import datetime as dt

    day = dt.date(2026, 12, 5)
    assert (i18n.format_date(day), i18n.format_number(1299)) == ("2026-12-05", "1,299")
    i18n.set_language("pl")
    assert (i18n.format_date(day), spaces(i18n.format_number(1299))) == ("5.12.2026", "1 299")
    i18n.set_language("ru")
    assert (i18n.format_date(day), spaces(i18n.format_number(1299))) == ("05.12.2026", "1 299")


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", {1: "wrote 1 customer to x", 2: "wrote 2 customers to x", 5: "wrote 5 customers to x"}),
        ("pl", {1: "zapisano 1 klienta w x", 2: "zapisano 2 klientów w x", 5: "zapisano 5 klientów w x"}),
        (
            "ru",
            {
                1: "записан 1 клиент в x",
                2: "записано 2 клиента в x",
                5: "записано 5 клиентов в x",
                21: "записан 21 клиент в x",
                22: "записано 22 клиента в x",
                11: "записано 11 клиентов в x",
            },
        ),
    ],
)
def test_counts_take_the_plural_form_of_the_language(language, forms):
    i18n.set_language(language)
    for n, text in forms.items():
        assert (
            ngettext("wrote {n} customer to {path}", "wrote {n} customers to {path}", n).format(n=n, path="x") == text
        )


def test_the_call_list_counts_customers_in_polish_and_russian(db_path):
    """1 klient / 2 klientów / 5 klientów, as the owner reads the list's first line."""
    with Store.open(db_path) as store:
        store.set_setting("language", "pl")
    i18n.set_language("pl")
    assert ngettext("call list for {day}: {n} customer", "call list for {day}: {n} customers", 1).endswith("{n} klient")
    assert ngettext("call list for {day}: {n} customer", "call list for {day}: {n} customers", 2).endswith(
        "{n} klientów"
    )
    i18n.set_language("ru")
    got = [ngettext("call list for {day}: {n} customer", "call list for {day}: {n} customers", n) for n in (1, 2, 5)]
    assert [text.rsplit(" ", 1)[1] for text in got] == ["клиент", "клиента", "клиентов"]


def test_the_shop_setting_wins_over_the_environment_which_wins_over_english(db_path, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    with Store.open(db_path) as store:
        assert shop.shop_language(store) == "ru"  # no setting: the environment's
        shop.save_settings(store, {"language": "pl"})
        assert shop.shop_language(store) == "pl"  # the owner's choice wins
        monkeypatch.setenv("LANG", "C.UTF-8")
        shop.save_settings(store, {"language": ""})
        assert shop.shop_language(store) == "en"  # neither: English


def test_settings_take_a_language_shopkeep_speaks_and_then_speak_it(db_path):
    Store.open(db_path).close()
    refused = runner.invoke(app, ["settings", "--db", str(db_path), "--set", "language=de"])
    assert refused.exit_code == 1
    assert refused.stderr == "error: language: 'de' is not one shopkeep speaks (en, ru, pl)\n"
    changed = runner.invoke(app, ["settings", "--db", str(db_path), "--set", "language=pl_PL"])
    assert changed.exit_code == 0, changed.output
    with Store.open(db_path) as store:
        assert store.get_setting("language") == "pl"
    assert "język aplikacji i poleceń" in changed.stdout  # said at once in the new language
    shown = runner.invoke(app, ["settings", "--db", str(db_path)], env=NO_LOCALE)
    assert "(nie ustawiono)" in shown.stdout


def test_help_is_in_the_environments_language(monkeypatch):
    polish = runner.invoke(app, ["--help"], env={**NO_LOCALE, "LANG": "pl_PL.UTF-8"})
    assert polish.exit_code == 0
    assert "Zatrzymaj klientów, których Twój sklep już zdobył." in polish.stdout
    assert "Użycie:" in polish.stdout and "Polecenia:" in polish.stdout
    assert "Importuje eksporty zamówień." in polish.stdout
    russian = runner.invoke(app, ["import", "--help"], env={**NO_LOCALE, "LC_ALL": "ru_RU.UTF-8"})
    assert "Импортирует выгрузки заказов." in russian.stdout
    assert "Показать эту справку и выйти." in russian.stdout
    english = runner.invoke(app, ["--help"], env=NO_LOCALE)
    assert "Keep the customers your shop already won." in english.stdout


def test_a_wrong_command_line_is_answered_in_the_environments_language():
    polish = runner.invoke(app, ["import", "--bogus"], env={**NO_LOCALE, "LANG": "pl_PL.UTF-8"})
    assert polish.exit_code == 2
    assert "Pomoc: 'shopkeep import --help'." in polish.stderr
    assert "Błąd: Nie ma takiej opcji: --bogus" in polish.stderr
    russian = runner.invoke(app, ["import"], env={**NO_LOCALE, "LC_ALL": "ru_RU.UTF-8"})
    assert "Ошибка: Не указан аргумент 'FILE...'." in russian.stderr
    extra = runner.invoke(app, ["find", "ann", "smith"], env={**NO_LOCALE, "LANG": "pl_PL.UTF-8"})
    assert "Błąd: Nadmiarowe argumenty (smith)" in extra.stderr
    english = runner.invoke(app, ["import", "--bogus"], env=NO_LOCALE)
    assert "Error: No such option: --bogus" in english.stderr


def test_a_file_the_import_needs_a_currency_for_is_refused_in_the_environments_language(tmp_path):
    export = tmp_path / "Online Retail.csv"
    export.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,MUG,6,12/13/2010 8:26,2.55,17850,United Kingdom\n",
        encoding="utf-8",
    )
    db = tmp_path / "new.db"
    polish = runner.invoke(app, ["import", str(export), "--db", str(db)], env={**NO_LOCALE, "LANG": "pl_PL.UTF-8"})
    assert polish.exit_code == 1
    assert polish.stderr == (
        "błąd: Online Retail.csv nie ma kolumny waluty, a waluta sklepu nie jest jeszcze znana:"
        " podaj raz --currency PLN (lub swoją walutę), zostanie zapamiętana\n"
    )
    assert not db.exists()


def test_a_command_speaks_the_shops_language_and_exports_stay_locale_neutral(db_path):
    with Store.open(db_path) as store:
        store.set_setting("currency", "EUR")
        store.set_setting("language", "pl")
        add_history(store, ["2026-05-01", "2026-06-01"], total=129_950, external_id="42", name="Ann")
    args = ["--db", str(db_path), "--as-of", "2026-06-30"]
    report = runner.invoke(app, ["report", *args], env=NO_LOCALE)
    assert report.exit_code == 0, report.output
    assert report.stdout.startswith("Raport sklepu na dzień 30.06.2026 (kwoty w EUR)")
    assert "Przychód (po odliczeniu zwrotów i korekt)        2 599,00 €" in spaces(report.stdout)
    as_csv = runner.invoke(app, ["export", "customers", *args], env=NO_LOCALE)
    row = next(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert (row["revenue"], row["first_order"], row["last_order"]) == ("2599.00", "2026-05-01", "2026-06-01")
    assert "." in row["churn_risk"] or row["churn_risk"] in ("", "0", "1")
    as_json = runner.invoke(app, ["export", "customers", "--format", "json", *args], env=NO_LOCALE)
    (record,) = json.loads(as_json.stdout)
    assert (record["revenue"], record["first_order"]) == ("2599.00", "2026-05-01")
    segments = runner.invoke(app, ["export", "segments", *args], env=NO_LOCALE)
    assert "2599.00" in segments.stdout and "€" not in segments.stdout


@pytest.mark.parametrize(("language", "usage"), [("pl", "Użycie:"), ("ru", "Использование:")])
def test_every_commands_help_is_translated(language, usage):
    """No help text of any command, option or argument is left in English, and each command's --help is
    headed in the language."""
    import typer.main

    from shopkeep.cli import _register, translate_help

    _register()
    root = typer.main.get_command(app)
    i18n.set_language(language)
    translate_help(root)
    left, paths = [], []

    def walk(command, path: tuple[str, ...]) -> None:
        paths.append((path, command.__dict__.get("_shopkeep_source_help", {}).get("help") or ""))
        for thing in (command, *command.params):
            for name, source in thing.__dict__.get("_shopkeep_source_help", {}).items():
                if source and getattr(thing, name) == source:
                    left.append((path, getattr(thing, "name", None), source))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(root, ())
    assert len(paths) > 20
    assert not left
    for path, english in paths:  # each as a person runs it (one command's module loaded, or all for the root)
        shown = runner.invoke(app, [*path, "--help"], env={**NO_LOCALE, "LANG": f"{language}_XX.UTF-8"})
        assert shown.exit_code == 0, (path, shown.output)
        assert shown.stdout.startswith(usage), path
        assert " ".join(english.split()[:4]) not in " ".join(shown.stdout.split()), path


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("pl", {1: "zapisano 1 klienta w", 2: "zapisano 2 klientów w", 5: "zapisano 5 klientów w"}),
        ("ru", {1: "записан 1 клиент в", 2: "записано 2 клиента в", 5: "записано 5 клиентов в"}),
        ("en", {1: "wrote 1 customer to", 2: "wrote 2 customers to", 5: "wrote 5 customers to"}),
    ],
)
def test_an_export_says_how_many_in_the_plural_form_of_the_shops_language(tmp_path, language, said):
    for count, words in said.items():
        db = tmp_path / f"{language}-{count}.db"
        with Store.open(db) as store:
            store.set_setting("language", language)
            for n in range(count):
                add_history(store, ["2026-05-01"], total=1_000, name=f"Customer {n}")
        out = tmp_path / f"{language}-{count}.csv"
        result = runner.invoke(app, ["export", "customers", "--db", str(db), "-o", str(out)], env=NO_LOCALE)
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith(words), result.stderr
