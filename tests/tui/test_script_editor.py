"""Editing call scripts from Today (key s) and switching their language (key t), by keys."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Static, TextArea

from shopkeep import calls, scripts
from shopkeep.store import Store
from shopkeep.tui.screens.script_editor import ScriptEditor
from tests.tui.test_today import HOSTILE, current_id, fill, make, ready, text, until


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        fill(store)
    return path


def stored(db, reason: str = "delivery", language: str = "en") -> dict | None:
    with Store.open(db, create=False) as store:
        return store.one("SELECT title, body FROM call_scripts WHERE reason = ? AND language = ?", (reason, language))


async def open_editor(pilot) -> ScriptEditor:
    await pilot.press("s")
    await until(pilot, lambda: isinstance(pilot.app.screen, ScriptEditor), "the script editor")
    return pilot.app.screen


def editor_text(editor: ScriptEditor, selector: str) -> str:
    return str(editor.query_one(selector, Static).render())


async def test_an_edited_opening_line_is_saved_and_read_on_the_next_call(shop):
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        editor = await open_editor(pilot)  # Ola: the delivery script, in English
        opening = editor.query_one("#editor-opening", Input)
        assert opening.value.startswith("{greeting} I noticed delivery")
        assert "Hello Ola, this is Herbs [b]&[/b] Co. I noticed delivery" in editor_text(editor, "#editor-preview")
        tips = editor.query_one("#editor-notes", TextArea)  # the tips are edited apart from the lines to read
        assert tips.text == "If delivery is what stops them, one free delivery often brings the next order."
        tips.text = "Mention the new courier."
        await until(pilot, lambda: "· Mention the new courier." in editor_text(editor, "#editor-preview"))
        opening.value = "Hi {name}, free delivery this week on {last_product}!"
        await until(
            pilot, lambda: "Hi Ola, free delivery this week on Green tea!" in editor_text(editor, "#editor-preview")
        )
        offers = editor.query_one("#editor-offers", TextArea)
        offers.text = "Free delivery for a month\n\nA delivery pass"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ScriptEditor), "the editor to close")
        await until(pilot, lambda: "Hi Ola, free delivery this week on Green tea!" in text(app, "#script"), "the edit")
        assert "Free delivery for a month" in text(app, "#script")
        row = stored(shop)
        assert row is not None and row["title"] == "Delivery too expensive"
        with Store.open(shop, create=False) as store:
            saved = scripts.load_script(store, "delivery", "en")
        assert saved.opening == "Hi {name}, free delivery this week on {last_product}!"
        assert saved.offers == ["Free delivery for a month", "A delivery pass"]  # blank lines dropped
        assert saved.questions == scripts.default_script("delivery", "en").questions
        assert saved.notes == ["Mention the new courier."]
        assert "· Mention the new courier." in text(app, "#script")


async def test_reset_asks_once_more_then_brings_the_shipped_script_back(shop):
    with Store.open(shop, create=False) as store:
        edited = scripts.default_script("delivery", "en")
        edited.opening = "Our own words for {name}"
        scripts.save_script(store, "delivery", "en", edited)
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready_with(pilot, "Our own words for Ola")
        editor = await open_editor(pilot)
        await pilot.press("ctrl+o")  # first press only asks
        assert "Press ctrl+o again" in str(editor.query_one("#editor-error", Label).render())
        assert stored(shop) is not None
        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.screen is screen, "the editor to close")
        await until(
            pilot, lambda: "Hello Ola, this is Herbs [b]&[/b] Co. I noticed" in text(app, "#script"), "the default"
        )
        assert stored(shop) is None


async def ready_with(pilot, opening: str):
    screen = pilot.app.screen
    await until(pilot, lambda: screen.session is not None and opening in text(pilot.app, "#script"), "the list")
    return screen


async def test_an_unknown_placeholder_is_refused_and_nothing_is_saved(shop):
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        editor = await open_editor(pilot)
        editor.query_one("#editor-opening", Input).value = "Hello {nmae}, about {last_product}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor  # still open
        assert "Unknown placeholder: {nmae}" in str(editor.query_one("#editor-error", Label).render())
        assert stored(shop) is None
        await pilot.press("escape")  # cancel: nothing changes
        await until(pilot, lambda: not isinstance(app.screen, ScriptEditor), "the editor to close")
        assert "Hello Ola, this is Herbs [b]&[/b] Co. I noticed delivery" in text(app, "#script")
        assert stored(shop) is None


async def test_the_language_key_switches_the_script_to_russian_and_the_editor_follows(shop):
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("t")  # en → ru
        await until(pilot, lambda: "Здравствуйте, Ola!" in text(app, "#script"), "the Russian script")
        assert "Дорогая доставка" in text(app, "#script")
        with Store.open(shop, create=False) as store:
            assert calls.load_settings(store).language == "ru"
        editor = await open_editor(pilot)
        assert "in Russian" in str(editor.query_one(Label).render())
        editor.query_one("#editor-opening", Input).value = "Добрый день, {name}!"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ScriptEditor), "the editor to close")
        await until(pilot, lambda: "Добрый день, Ola!" in text(app, "#script"), "the Russian edit")
        assert stored(shop, language="ru") is not None and stored(shop) is None
        await pilot.press("t")  # ru → pl
        await until(pilot, lambda: "Dzień dobry, Pani Zwrotna!" in text(app, "#script"), "the Polish script")
        assert "Zapytaj" in text(app, "#script") and "Ask" not in text(app, "#script")  # headings in Polish


async def test_hostile_customer_text_stays_literal_in_the_preview_and_the_script(shop):
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("down", "down")
        assert current_id(app) == 3
        await until(pilot, lambda: "Tea [red]leaf[/red]" in text(app, "#script"), "the hostile customer's script")
        editor = await open_editor(pilot)
        editor.query_one("#editor-opening", Input).value = "[b]Dear[/b] {name}: {last_product}"
        expected = f"[b]Dear[/b] {HOSTILE}: Tea [red]leaf[/red]"
        await until(pilot, lambda: expected in editor_text(editor, "#editor-preview"), "the preview")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ScriptEditor), "the editor to close")
        await until(pilot, lambda: expected in text(app, "#script"), "the saved script")
        assert app.is_running
