"""The app in English, Russian and Polish: F7 or the palette switches it while the app runs; what is on the
screen, the footer, `?` and the palette follow at once, the other screens when shown; the choice is the
shop's (saved in its settings) and the call scripts keep their own language."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import ScrollableContainer
from textual.widgets import DataTable, Input, OptionList, Select, Static, TextArea, Tree

from shopkeep import i18n
from shopkeep.store import Store
from shopkeep.tui.app import SCREENS_BY_KEY, ShopkeepApp
from shopkeep.tui.commands import ShopkeepCommands
from shopkeep.tui.screens.card import CustomerCardScreen
from shopkeep.tui.screens.segments import MembersScreen
from shopkeep.tui.textual_words import TEXTUAL_WORDS
from tests.conftest import until
from tests.tui.conftest import AS_OF, footer_cut


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def footer_words(app) -> dict[str, str]:
    """Key -> description, as the footer and `?` show them."""
    return {key: active.binding.description for key, active in app.screen.active_bindings.items()}


async def palette(app) -> list[str]:
    return [str(hit.display) async for hit in ShopkeepCommands(app.screen).discover()]


async def test_f7_switches_the_dashboard_its_footer_and_help_to_russian_polish_and_back(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await until(pilot, lambda: app.retention is not None and "Calls made" in text(app, "#calls"))
        assert app.screen.title == "Dashboard" and footer_words(app)["u"] == "Undo"

        await pilot.press("f7")
        await until(pilot, lambda: "Сделано звонков" in text(app, "#calls"), "the calls in Russian")
        assert app.screen.title == "Сводка"
        assert "Повторные покупатели" in text(app, "#kpis")
        assert "Выручка по месяцам" in text(app, "#revenue")
        assert footer_words(app)["u"] == "Отменить" and footer_words(app)["f1"] == "Экраны"
        assert "на 2026-11-23" not in app.sub_title and "на 23.11.2026" in app.sub_title
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen.query("HelpPanel"), "the keys panel")
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Язык: English, Русский" in shown and "Отменить" in shown  # F7 and u, listed by `?` in Russian

        await pilot.press("f7")
        await until(pilot, lambda: "Wykonane telefony" in text(app, "#calls"), "the calls in Polish")
        assert app.screen.title == "Pulpit" and footer_words(app)["u"] == "Cofnij"
        assert "Przejdź: Klienci" in await palette(app)

        await pilot.press("f7")
        await until(pilot, lambda: "Calls made" in text(app, "#calls"), "the calls in English again")
        assert app.screen.title == "Dashboard" and "Repeat purchase rate" in text(app, "#kpis")
        assert "Go to Customers" in await palette(app)


async def test_the_palette_switches_and_screens_out_of_view_follow_when_shown(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        table = app.screen.query_one("#segments", DataTable)
        await until(pilot, lambda: table.row_count > 0, "the segments")
        await pilot.press("6")
        assert "Language: Polski" in await palette(app)  # each language named in itself
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"polski")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.title == "Pulpit", "the dashboard in Polish")
        await pilot.press("3")
        await until(pilot, lambda: "Rodzaj" in [str(c.label) for c in table.ordered_columns], "Polish headers")
        await until(pilot, lambda: "na dzień 23.11.2026" in text(app, "#status"), "the status in Polish")
        assert app.screen.title == "Segmenty"


async def test_the_choice_is_the_shops_and_the_next_start_reads_it(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7", "f7")  # Russian, then Polish

        def saved() -> object:
            with Store.open(shop_db) as store:
                return store.get_setting("language")

        await until(pilot, lambda: saved() == "pl", "the language saved in the shop's settings")
    i18n.set_language("en")
    again = ShopkeepApp(shop_db, as_of=AS_OF)
    async with again.run_test(size=(120, 40)):
        assert i18n.language() == "pl"
        assert again.screen.title == "Dziś"


async def test_the_card_writes_dates_numbers_and_plurals_as_the_language_does(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(1)
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.metrics is not None)
        assert "2026-11-03 (20 days ago)" in text(app, "#numbers")
        await pilot.press("f7")
        await until(pilot, lambda: "03.11.2026 (20 дней назад)" in text(app, "#numbers"), "Russian dates")
        assert "Последний заказ" in text(app, "#numbers") and "Контакты" in text(app, "#contact")
        await pilot.press("f7")
        await until(pilot, lambda: "3.11.2026 (20 dni temu)" in text(app, "#numbers"), "Polish dates")
        assert "Ostatni zakup" in text(app, "#numbers")
        assert app.screen.title == "Alice [/]"  # a customer's name stays as it is


def test_every_key_textual_shows_in_help_is_in_the_catalog():
    """`?` lists the keys of the focused widget: those Textual defines must be translatable too."""
    listed = set(TEXTUAL_WORDS)
    for widget in (ShopkeepApp, DataTable, Input, Tree, OptionList, Select, TextArea, ScrollableContainer):
        for cls in widget.__mro__:
            for binding in vars(cls).get("BINDINGS", []):
                if isinstance(binding, Binding):
                    for words in (binding.description, binding.tooltip):
                        assert not words or words in listed or cls.__module__.startswith("shopkeep"), (cls, words)


@pytest.mark.parametrize("language", ["ru", "pl"])
async def test_every_screens_keys_fit_the_footer_at_80_columns(make_app, shop_db, language):
    """The footer never cuts a translated key: each screen's keys whole at 80×24 (else shorten the catalog's)."""
    with Store.open(shop_db) as store:
        store.set_setting("language", language)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:

        async def footer_whole(where: str) -> None:
            await pilot.pause()
            await until(pilot, lambda: not footer_cut(app), f"every key whole in the footer of {where}")

        for key in "123456":
            await pilot.press(f"f{key}")
            await until(pilot, lambda key=key: app.current_mode == SCREENS_BY_KEY[key][0], "the screen")
            await footer_whole(SCREENS_BY_KEY[key][1])
        await pilot.press("f3")
        table = app.screen.query_one("#segments", DataTable)
        await until(pilot, lambda: table.row_count > 0, "the segments")
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MembersScreen), "a segment's members")
        await footer_whole("a segment's members")
        app.open_customer(1)
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        await footer_whole("a card")


async def test_keys_work_with_the_russian_keyboard_layout_on(make_app):
    """ф is where a is: with the Russian layout on, a key means the Latin key printed beside it."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: "Everyone, most points first" in text(app, "#status"), "the loyalty list")
        await pilot.press("м")  # v: the next view
        await until(pilot, lambda: "Points expiring soon" in text(app, "#status"), "the next view")
        app.open_customer(6)
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        await pilot.press("Т")  # N: add a note
        await until(pilot, lambda: app.screen.query("#note"), "the note dialog")
        await pilot.press(*"ывф")  # typed into the note as it is, not taken as keys
        assert app.screen.query_one("#note", Input).value == "ывф"


async def test_today_redraws_in_the_new_language_and_the_scripts_keep_their_own(make_app):
    """F7 changes the screens' language; `t` on Today still switches only the call script's, per call."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.session is not None and app.screen.details, "today's list")
        script = app.screen.query_one("#script", Static)
        assert "Ask" in str(script.render()) and "to call" in text(app, "#today-status")
        await pilot.press("f7", "f7")  # the screens in Polish
        await until(pilot, lambda: "na liście" in text(app, "#today-status"), "Today's status in Polish")
        table = app.screen.query_one("#calls", DataTable)
        assert [str(c.label) for c in table.ordered_columns] == ["Imię i nazwisko", "Telefon", "Powód", "Dlaczego"]
        assert "Powód" in text(app, "#facts") and "Rozmowy" in text(app, "#results")
        assert "Ask" in str(script.render())  # the script is the shop's English one still
        await pilot.press("t")  # the script's own language, for this call: the next one (Russian)
        await until(pilot, lambda: "Спросите" in str(script.render()), "the script in Russian")
        assert app.screen.title == "Dziś" and "na liście" in text(app, "#today-status")
