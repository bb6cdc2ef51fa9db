"""The app in a real browser: `shopkeep serve` as a process, headless Chromium (the Debian `chromium`
package, driven by Playwright) opening Today, an outcome logged by keys, and two tabs plus a CLI import
writing at the same time without losing anything.

What a tab shows is read from the terminal bytes the page received (replayed in a terminal emulator),
since the page draws the app on a canvas. Every wait is on a condition with a deadline, never a sleep.
Without Chromium this test FAILS and says how to install it; SHOPKEEP_NO_BROWSER=1 skips it on purpose."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from shopkeep.store import Store
from tests.test_serve import Served, running_apps, wait_until
from tests.tui.test_today import fill

NO_BROWSER_ENV = "SHOPKEEP_NO_BROWSER"
DAY = "2026-11-23"
IMPORTED_ORDERS = 3_000
SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Currency,Shipping,Total,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Phone,Shipping City\n"
)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get(NO_BROWSER_ENV) == "1":
        pytest.skip(f"{NO_BROWSER_ENV}=1: the browser test is skipped on purpose")
    pytest.fail(
        "Chromium is not installed: `apt-get install chromium` (.ci/run does it), "
        f"or set {NO_BROWSER_ENV}=1 to skip the browser test on purpose"
    )


@contextmanager
def headless_chromium() -> Iterator[Any]:
    executable = chromium()  # in the test itself: a missing browser is the test's failure, not a setup error
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


class Tab:
    """A browser tab on the served app, and the screen its terminal draws (replayed with pyte)."""

    def __init__(self, context, url: str, *, width: int = 1280, height: int = 800):
        import pyte

        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": height})
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.page.on("websocket", self._watch)
        self.page.goto(url)

    def _watch(self, ws) -> None:
        size = parse_qs(urlsplit(ws.url).query)
        self.screen.resize(int(size.get("height", ["24"])[0]), int(size.get("width", ["80"])[0]))
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)

    def _sent(self, payload: bytes | str) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        """The screen, once `condition` holds for it; the page's events are taken in while waiting."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if condition(text):
                return text
            self.page.wait_for_timeout(50)  # lets Playwright deliver the frames that arrived meanwhile
        raise AssertionError(f"the tab never showed {what}; it shows:\n{self.text()}")

    def current(self) -> int:
        """The customer whose card is open: the card's title names them with their reference (#id)."""
        found = re.findall(r"\(#(\d+)\)", self.text())
        assert len(found) == 1, self.text()
        return int(found[0])

    def wait_for_card(self, what: str = "a customer's card", timeout: float = 30) -> int:
        self.wait_for(lambda text: len(re.findall(r"\(#\d+\)", text)) == 1, what, timeout)
        return self.current()

    def press(self, *keys: str) -> None:
        self.page.focus(".xterm-helper-textarea")  # the terminal's keyboard, as a click on it would give
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.type(text)


def calls_today(db: Path) -> list[tuple[int, str, str | None, str]]:
    with Store.open(db, create=False) as store:
        return [
            (r["customer_id"], r["outcome"], r["note"], r["called_at"][:10])
            for r in store.rows(
                f"SELECT customer_id, outcome, note, called_at FROM calls WHERE called_at >= '{DAY}' ORDER BY id"
            )
        ]


def orders(db: Path) -> int:
    with Store.open(db, create=False) as store:
        return store.scalar("SELECT count(*) FROM orders")


def shopify_export(path: Path, rows: int) -> Path:
    """A Shopify order export (its real column names) of invented buyers."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(SHOPIFY_HEADER)
        for n in range(rows):
            c = n % 300
            fh.write(
                f"#W{n},buyer{c}@example.org,paid,PLN,0.00,{20 + n % 70}.50,2026-{1 + n % 10:02d}-{1 + n % 28:02d}"
                f" 10:00:00 +0100,1,Green tea,{20 + n % 70}.50,TEA,Buyer {c},,Kraków\n"
            )
    return path


@pytest.fixture
def shop(tmp_path) -> Path:
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        fill(store)
    return path


def test_the_app_in_a_browser_logs_calls_from_two_tabs_while_an_import_runs(shop, tmp_path):
    export = shopify_export(tmp_path / "orders_export.csv", IMPORTED_ORDERS)
    orders_before = orders(shop)
    with headless_chromium() as browser, Served(shop, "--as-of", DAY) as served:
        context = browser.new_context()
        # Nothing leaves the machine: the page's web font is refused at once (a shop may be offline).
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
        first = Tab(context, served.url)
        assert first.wait_for_card("Today's first call") == 1, first.text()  # Ola asked to be called back today
        assert "Ola Zwrotna (#1)" in first.text() and f"as of {DAY}" in first.text()

        first.press("a")  # no answer
        wait_until(lambda: calls_today(shop), "the call to be saved")
        assert calls_today(shop) == [(1, "no_answer", None, DAY)]
        after_ola = first.wait_for(lambda text: "(#1)" not in text and "(#" in text, "the next customer")
        first_next = first.current()

        second = Tab(context, served.url)
        second_current = second.wait_for_card("the second tab's list")
        assert len(running_apps(shop)) == 2  # a tab, an app process

        importer = subprocess.Popen(
            [sys.executable, "-m", "shopkeep", "import", str(export), "--db", str(shop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first.press("a")  # no answer, in the first tab
        second.press("w")  # will return, in the second: the note field opens
        second.wait_for(lambda text: "note (Enter saves" in text, "the note field")
        second.type("from tab two")
        second.press("Enter")
        _, err = importer.communicate(timeout=120)
        assert importer.returncode == 0, err

        expected = [
            (1, "no_answer", None, DAY),
            (first_next, "no_answer", None, DAY),
            (second_current, "will_return", "from tab two", DAY),
        ]
        wait_until(lambda: len(calls_today(shop)) >= 3, "both tabs' calls to be saved")
        assert sorted(calls_today(shop)) == sorted(expected), after_ola
        assert orders(shop) == orders_before + IMPORTED_ORDERS
        first.wait_for(lambda text: f"(#{first_next})" not in text and "(#" in text, "the first tab to move on")
        context.close()
    assert served.proc.returncode == 0
    wait_until(lambda: not running_apps(shop), "the tabs' apps to end with the server", timeout=10)
