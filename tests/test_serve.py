"""`shopkeep serve` as a real process: who may open the page and its websocket, and what they get.

Beyond loopback, a request without the access token gets a 403 and no customer data (the page, its files,
the websocket); with the token it gets the app. On loopback no token is asked, but only loopback names and
the page's own origin may reach it. Every wait is on a condition, with a deadline."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from shopkeep.store import Store
from tests.store.procs import Lines
from tests.tui.test_today import fill

CUSTOMER = "Ola Zwrotna"  # first on the call list of `fill`'s shop: she asked to be called back today
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


@pytest.fixture
def shop(tmp_path) -> Path:
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        fill(store)
    return path


class Served:
    """`shopkeep serve` started as the owner would, on any free port; `url` is the link it printed."""

    def __init__(self, db: Path, *args: str, cwd: Path | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "shopkeep", "serve", "--port", "0", "--db", str(db), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
        )
        self.out = Lines(self.proc.stdout)
        try:
            line = self.out.wait_for("open http://", timeout=30)
        except BaseException:
            self.stop()
            raise
        self.url = line.split()[1]
        self.port = int(re.search(r":(\d+)/", self.url).group(1))
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = self.url.split("token=", 1)[1] if "token=" in self.url else None

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        return self.proc.returncode

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def bounded(coroutine, timeout: float = 60):
    """Run `coroutine` to its end, or fail after `timeout` seconds whatever it waits on."""
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


def fetch(url: str, **kwargs) -> tuple[int, str, dict]:
    """Status, body and headers of one GET, redirects not followed."""

    async def get():
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, allow_redirects=False, **kwargs) as response,
        ):
            return response.status, await response.text(), dict(response.headers)

    return bounded(get())


def app_text(url: str, *wanted: str, timeout: float = 30, **kwargs) -> str:
    """What the app behind the websocket at `url` draws (escape codes taken out), once it shows all `wanted`.
    A refused handshake raises aiohttp.WSServerHandshakeError."""

    async def run() -> str:
        seen = ""
        deadline = time.monotonic() + timeout
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, **kwargs) as ws,
        ):
            while time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=max(0.01, deadline - time.monotonic()))
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += ANSI.sub("", message.data.decode("utf-8", "replace"))
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break
                if all(text in seen for text in wanted):
                    return seen
        raise AssertionError(f"the app never showed {wanted!r}; it showed: {seen[-300:]!r}")

    return bounded(run(), timeout + 30)


def refused_websocket(url: str, **kwargs) -> int:
    async def run() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, **kwargs) as ws:
                    await ws.close()
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status
        raise AssertionError("the websocket was opened")

    return bounded(run())


def test_beyond_loopback_nothing_without_the_token(shop, tmp_path):
    with Served(shop, "--host", "0.0.0.0") as served:
        assert served.token is not None, served.url
        for path in ("/", "/static/js/textual.js", "/download/x", "/?token=wrong"):
            status, body, _ = fetch(served.base + path)
            assert status == 403, path
            assert CUSTOMER not in body and "websocket" not in body
            assert "link" in body  # says how to get in
        assert refused_websocket(f"{served.base}/ws") == 403
        assert refused_websocket(f"{served.base}/ws?token=wrong") == 403
        assert refused_websocket(f"{served.base}/ws", headers={"Cookie": "shopkeep_access=wrong"}) == 403


def test_with_the_token_the_app_opens(shop):
    with Served(shop, "--host", "0.0.0.0", "--as-of", "2026-11-20") as served:
        status, _, headers = fetch(f"{served.base}/?token={served.token}")
        assert status == 303 and headers["Location"] == "/"  # the token leaves the address bar
        cookie = headers["Set-Cookie"]
        assert f"shopkeep_access={served.token}" in cookie and "HttpOnly" in cookie
        status, page, _ = fetch(served.base + "/", headers={"Cookie": f"shopkeep_access={served.token}"})
        assert status == 200 and f'"ws://127.0.0.1:{served.port}/ws"' in page  # the address the browser used
        app_text(
            f"{served.base}/ws?width=120&height=40",
            "as of 2026-11-20",  # the tab's app runs on the day `serve` was given
            "Maria Nowak",  # a customer of the shop: the app itself, not a refusal
            headers={"Cookie": f"shopkeep_access={served.token}"},
        )
        app_text(f"{served.base}/ws?token={served.token}", "Maria Nowak")  # or the token in its address


def test_the_token_is_kept_owner_only_and_reused(shop):
    with Served(shop, "--host", "0.0.0.0") as served:
        first = served.token
    kept = Path(os.environ["XDG_DATA_HOME"]) / "shopkeep" / "serve-token"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert kept.read_text().strip() == first
    with Served(shop, "--host", "0.0.0.0") as served:
        assert served.token == first
    with Served(shop, "--host", "0.0.0.0", "--new-token") as served:
        assert served.token != first
        assert fetch(served.base + "/", headers={"Cookie": f"shopkeep_access={first}"})[0] == 403
        assert fetch(served.base + "/", headers={"Cookie": f"shopkeep_access={served.token}"})[0] == 200


def test_refuses_to_start_when_others_may_read_the_token(shop):
    with Served(shop, "--host", "0.0.0.0"):
        pass
    kept = Path(os.environ["XDG_DATA_HOME"]) / "shopkeep" / "serve-token"
    kept.chmod(0o644)
    result = subprocess.run(
        [sys.executable, "-m", "shopkeep", "serve", "--host", "0.0.0.0", "--port", "0", "--db", str(shop)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "may be read by others" in result.stderr and "Traceback" not in result.stderr
    assert "open http" not in result.stdout


def test_loopback_needs_no_token_but_only_this_machine_and_the_page_itself(shop):
    with Served(shop) as served:
        assert served.token is None and served.url.startswith("http://127.0.0.1:")
        status, page, _ = fetch(served.base + "/")
        assert status == 200 and "/ws" in page
        app_text(f"{served.base}/ws", CUSTOMER)
        # A site whose name was pointed at 127.0.0.1 (DNS rebinding) asks with its own name: refused.
        status, body, _ = fetch(served.base + "/", headers={"Host": f"shop.example:{served.port}"})
        assert status == 403 and CUSTOMER not in body
        assert refused_websocket(f"{served.base}/ws", headers={"Host": f"shop.example:{served.port}"}) == 403
        # Another site open in the same browser may not open the app's websocket.
        assert refused_websocket(f"{served.base}/ws", origin="http://shop.example") == 403
        app_text(f"{served.base}/ws", CUSTOMER, origin=served.base)


def test_a_relative_database_is_opened_by_its_full_path_in_every_tab(shop, tmp_path):
    with Served(Path("shop.db"), cwd=tmp_path) as served:
        app_text(f"{served.base}/ws?width=160&height=40", str(shop))  # the header names the file


def test_stopping_the_server_closes_the_tabs_apps(shop):
    served = Served(shop)

    async def hold_a_tab() -> int:
        async with aiohttp.ClientSession() as session, session.ws_connect(f"{served.base}/ws") as ws:
            seen = ""
            deadline = time.monotonic() + 30
            while CUSTOMER not in seen and time.monotonic() < deadline:
                message = await ws.receive(timeout=30)
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += ANSI.sub("", message.data.decode("utf-8", "replace"))
            assert CUSTOMER in seen
            apps = running_apps(shop)
            assert len(apps) == 1
            served.proc.send_signal(signal.SIGINT)
            while (await ws.receive(timeout=30)).type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                pass
            return apps[0]

    app_pid = bounded(hold_a_tab(), 90)
    assert served.proc.wait(timeout=30) == 0
    wait_until(lambda: app_pid not in running_apps(shop), "the tab's app to end", timeout=10)


def wait_until(condition, what: str, timeout: float = 30):
    """`condition()`'s first true value, checked every 50 ms until the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def running_apps(db: Path) -> list[int]:
    """The processes running the app on `db` (their command line names the file)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"shopkeep" in argv and str(db).encode() in argv and b"serve" not in argv:
            found.append(int(entry.name))
    return found
