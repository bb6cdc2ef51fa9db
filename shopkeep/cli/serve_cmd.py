"""`shopkeep serve`: the app in a web browser, one app process per tab, all on the same database.

textual-serve (and aiohttp under it) load only when the command runs, never for `shopkeep` alone or --help.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shopkeep.cli import app
from shopkeep.cli.common import AsOfOption, DbOption, fail, handled, open_store
from shopkeep.clock import parse_day
from shopkeep.i18n import N_, _

if TYPE_CHECKING:
    from aiohttp import web

# How long stopping waits for the tabs' apps to close before the server goes anyway.
CLOSE_TABS_SECONDS = 10.0
_PAGE_HEADERS = {
    "Cache-Control": "no-store",  # customer data is never kept in a browser's cache
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # no other site may frame the app and steer its keys
    "Content-Security-Policy": "frame-ancestors 'none'",
}


@app.command(
    help=N_(
        "Open the app in a web browser: every tab runs its own app on the same database.\n\n"
        "On 127.0.0.1 (the default) only this machine can open it, without a token. For a tablet or a second"
        " till, use --host 0.0.0.0: shopkeep then prints a link carrying an access token, made once and kept"
        " owner-only in your data folder, and refuses every browser that has not opened that link."
    )
)
@handled
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help=N_(
                "Address to listen on. The default 127.0.0.1 (or localhost) is this machine only: no token is"
                " asked. Any other address (0.0.0.0: every network this machine is on) asks every browser for the"
                " access token."
            ),
            metavar="ADDRESS",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help=N_("Port to listen on (0: any free one)."), metavar="N")
    ] = 8000,
    db: DbOption = None,
    as_of: AsOfOption = None,
    new_token: Annotated[
        bool,
        typer.Option("--new-token", help=N_("Replace the access token: the links printed before stop working.")),
    ] = False,
) -> None:
    from shopkeep import serving

    if as_of is not None:
        parse_day(as_of)  # a wrong day is said now, not in every tab
    loopback = serving.binds_loopback_only(host)
    token, made = None, False
    if not loopback:
        try:
            token, made = serving.access_token(renew=new_token)
        except OSError as exc:
            raise fail(
                _("not serving on {host}: the access token cannot be kept in {folder} ({reason})").format(
                    host=host, folder=serving.token_path().parent, reason=exc.strerror or type(exc).__name__
                )
            ) from None
    elif new_token:
        raise fail(_("--new-token is for serving beyond this machine (--host other than 127.0.0.1)"))
    with open_store(db) as store:  # made and brought up to date once, before any tab opens it
        path = Path(os.path.abspath(store.path))
    _serve(serving.app_command(path, as_of), host, port, token, made, path)


def _serve(command: str, host: str, port: int, token: str | None, made: bool, db: Path) -> None:
    import asyncio

    asyncio.run(_run(command, host, port, token, made, db))


async def _run(command: str, host: str, port: int, token: str | None, made: bool, db: Path) -> None:
    import asyncio
    import signal

    from aiohttp import web

    from shopkeep import serving
    from shopkeep.outputs import shown

    server = _make_server(command, token)
    runner = web.AppRunner(await server.make_app(), access_log=None, shutdown_timeout=CLOSE_TABS_SECONDS)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            raise fail(
                _("cannot listen on {host} port {port}: {reason}").format(
                    host=host, port=port, reason=exc.strerror or type(exc).__name__
                )
            ) from None
        bound = _bound_port(runner, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if signum is not None:
                loop.add_signal_handler(signum, stop.set)
        typer.echo(_("serving {db}; each browser tab runs its own app on it").format(db=shown(db)))
        if token is None:
            typer.echo(
                _("open {link} on this machine (Ctrl+C to stop)").format(link=serving.page_url(host, bound, None))
            )
        else:
            typer.echo(_("open {link} (Ctrl+C to stop)").format(link=serving.page_url(host, bound, token)))
            if made:
                kept = _(
                    "the link carries a new access token, now kept in {file}:"
                    " give it only to people who may see your customers (--new-token replaces it)"
                )
            else:
                kept = _(
                    "the link carries the access token kept in {file}:"
                    " give it only to people who may see your customers (--new-token replaces it)"
                )
            typer.echo(kept.format(file=shown(serving.token_path())))
        await stop.wait()
        typer.echo(_("stopping: closing the open tabs' apps"), err=True)
    finally:
        await runner.cleanup()


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked


def _make_server(command: str, token: str | None) -> Any:
    """textual-serve's server with the access check in front of every route (the page, its files, the
    websocket, downloads) and the page's websocket address taken from the address the browser used."""
    import asyncio
    import logging

    from aiohttp import web
    from textual_serve.server import Server

    from shopkeep import serving

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        verdict = serving.judge(
            token,
            path=request.path,
            query=dict(request.query),
            cookie=request.cookies.get(serving.COOKIE),
            host_header=request.headers.get("Host"),
            origin=request.headers.get("Origin"),
            websocket=websocket,
        )
        if not verdict.allowed:
            return web.Response(status=403, text=f"403 forbidden: {verdict.reason}\n", headers=_PAGE_HEADERS)
        if verdict.redirect_to is not None:
            response = web.Response(status=303, headers={**_PAGE_HEADERS, "Location": verdict.redirect_to})
        else:
            response = await handler(request)
            if not response.prepared:
                response.headers.update(_PAGE_HEADERS)
        if verdict.set_cookie and token is not None:
            response.set_cookie(
                serving.COOKIE,
                token,
                max_age=serving.COOKIE_DAYS * 24 * 3600,
                path="/",
                httponly=True,
                samesite="Lax",
            )
        return response

    class ShopServer(Server):
        def __init__(self) -> None:
            super().__init__(command, title="shopkeep")
            self.tabs: dict[asyncio.Task[Any], web.Request] = {}  # the open tabs' websocket handlers

        def initialize_logging(self) -> None:  # plain lines: never a traceback's locals, never a URL
            logging.getLogger("textual-serve").setLevel(logging.WARNING)

        async def make_app(self) -> web.Application:
            self.initialize_logging()
            application = await self._make_app()
            application.middlewares.append(guard)
            return application

        async def on_startup(self, app: web.Application) -> None:
            """Said by `shopkeep serve` itself, once it listens."""

        async def on_shutdown(self, app: web.Application) -> None:
            """Each open tab's connection is closed, so that its app is told to quit and waited for, as when
            the browser closes the tab (up to CLOSE_TABS_SECONDS; then it is cut short)."""
            tabs = dict(self.tabs)
            for request in tabs.values():
                if request.transport is not None:
                    request.transport.close()
            if tabs:
                _, late = await asyncio.wait(tabs, timeout=CLOSE_TABS_SECONDS)
                for task in late:
                    task.cancel()

        async def handle_index(self, request: web.Request) -> Any:
            # The websocket at the address this browser reached the page by (not the bind address: 0.0.0.0
            # means nothing to a tablet). Set and read in one step of the event loop, so tabs never mix.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            task = asyncio.current_task()
            assert task is not None
            self.tabs[task] = request
            try:
                return await super().handle_websocket(request)
            finally:
                self.tabs.pop(task, None)

    return ShopServer()
