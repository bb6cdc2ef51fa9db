from __future__ import annotations

import subprocess
import sys
import textwrap

from textual.app import App

from shopkeep.notes import clean_text
from shopkeep.tui.safe import cell, plain

CRASHING_APP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from shopkeep.tui.app import ShopkeepApp

    class Crashing(ShopkeepApp):
        def on_mount(self):
            with self.open_store() as store:
                customer_name = store.scalar("SELECT name FROM customers WHERE id = 6")
            raise RuntimeError("boom")

    Crashing(Path(sys.argv[1])).run(headless=True)
    """
)


def test_a_crash_report_never_prints_local_variables(shop_db, tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_APP)
    done = subprocess.run([sys.executable, str(script), str(shop_db)], capture_output=True, text=True, timeout=60)
    report = done.stdout + done.stderr
    assert "RuntimeError" in report
    assert "Maria Nowak" not in report


def test_escape_sequences_and_controls_are_stripped():
    assert clean_text("Eve \x1b[31mRed\x1b[0m") == "Eve Red"
    assert clean_text("a\x1b]0;title\x07b\x1b]8;;https://x\x1b\\c") == "abc"
    assert clean_text("bell\x07 nul\x00 del\x7f c1\x9b2J") == "bell nul del c1"
    assert clean_text("rtl\u202eevil") == "rtlevil"
    assert clean_text("two\nlines\ttab") == "two lines tab"
    assert clean_text("two\nlines", multiline=True) == "two\nlines"


def test_plain_and_cell_never_parse_markup():
    for text in ["Alice [/]", "Smith [VIP]", "[@click=app.quit]Pay[/]", "[link=https://evil.example]x[/link]"]:
        assert plain(text).plain == text
        assert not plain(text).spans
        assert cell(text).plain == text
        assert not cell(text).spans


async def test_every_notification_is_literal_text_whoever_sends_it_and_whatever_it_asks(make_app, monkeypatch):
    hostile = "Saved for [@click=app.quit]Pay[/] [b]Anna[/b]"
    reaching_textual: list[tuple[str, bool]] = []  # what Textual's own App.notify is asked to show, and how
    textual_notify = App.notify

    def spy(self, message, *, markup=True, **kwargs):
        reaching_textual.append((message, markup))
        return textual_notify(self, message, markup=markup, **kwargs)

    monkeypatch.setattr(App, "notify", spy)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.notify(hostile)  # a screen's notify, markup left at Textual's default
        app.notify(hostile, markup=True)  # even when markup is asked for
        await pilot.pause()
        assert [(m, markup) for m, markup in reaching_textual if m == hostile] == [(hostile, False), (hostile, False)]
        assert app.is_running
