"""The app in a browser: who may open it, and the command each browser tab runs.

`shopkeep serve` hands every tab its own app process (textual-serve runs one command line per connection)
on the same database. On loopback the page is open to this machine only; on any other address a request
needs the access token, kept owner-only in the data folder and reused from one start to the next.
This module decides; `shopkeep.cli.serve_cmd` wires it into the web server (aiohttp loads only there).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import shlex
import socket
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from shopkeep.clock import TODAY_ENV
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.paths import default_db_path, ensure_private_dir

TOKEN_FILE = "serve-token"
TOKEN_QUERY = "token"
COOKIE = "shopkeep_access"
COOKIE_DAYS = 30
_TOKEN_BYTES = 32
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or a name) reaches this machine only: 127.x, ::1, localhost."""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def binds_loopback_only(host: str) -> bool:
    """Whether binding to `host` listens on loopback addresses only. A name is resolved: every address it
    stands for must be a loopback one (a machine's own name usually resolves to its network address)."""
    if is_loopback(host):
        return True
    if not host.strip():
        return False  # an empty host means every address
    try:
        ipaddress.ip_address(host.strip("[]"))
        return False  # an address, and not a loopback one
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(is_loopback(str(info[4][0])) for info in infos)


def token_path() -> Path:
    """The access token's file: beside the default database, in the user's data folder."""
    return default_db_path().parent / TOKEN_FILE


def access_token(path: Path | None = None, *, renew: bool = False) -> tuple[str, bool]:
    """The access token and whether it was made now. Made once, kept in `path` (0600), reused from then on;
    `renew` replaces it (every browser that had the old one must open the new link). A token file that
    others may read, or that shopkeep did not write, is refused with the reason rather than used."""
    path = path or token_path()
    ensure_private_dir(path.parent)
    if not renew:
        try:
            return _read_token(path), False
        except FileNotFoundError:
            pass
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    spare = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(spare, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(token + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if renew:
            os.replace(spare, path)
        else:
            try:
                os.link(spare, path)  # never over a token another `shopkeep serve` made a moment ago
            except FileExistsError:
                return _read_token(path), False
    finally:
        spare.unlink(missing_ok=True)
    return token, True


def _read_token(path: Path) -> str:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "r", encoding="ascii", errors="replace") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ShopkeepError(_("{path} is not a file; remove it, and shopkeep makes a new token").format(path=path))
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise ShopkeepError(
                _("{path} belongs to another user; remove it, and shopkeep makes a new token").format(path=path)
            )
        if info.st_mode & 0o077:
            raise ShopkeepError(
                _(
                    "{path} may be read by others (mode {mode}): anyone who read it can open your customers;"
                    " remove it, and `shopkeep serve` makes a new token (owner-only)"
                ).format(path=path, mode=f"{stat.S_IMODE(info.st_mode):o}")
            )
        token = fh.read(1024).strip()
    if len(token) < 32 or not set(token) <= _TOKEN_CHARS:
        raise ShopkeepError(
            _("{path} does not hold a token shopkeep made; remove it, and shopkeep makes a new one").format(path=path)
        )
    return token


def app_command(db: Path, as_of: str | None = None) -> str:
    """The shell command line textual-serve runs for each browser tab: this Python's `shopkeep` on the
    database by its absolute path, on the served day when one was given."""
    line = shlex.join([sys.executable, "-m", "shopkeep", "--db", os.path.abspath(db)])
    return f"{TODAY_ENV}={shlex.quote(as_of)} {line}" if as_of else line


def page_url(host: str, port: int, token: str | None) -> str:
    """The link to open: the address a browser reaches (this machine's name for a wildcard bind), with the
    token for a non-loopback bind."""
    shown = host.strip()
    if shown in ("", "0.0.0.0", "::", "[::]"):
        shown = socket.gethostname()
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    url = f"http://{shown}:{port}/"
    return f"{url}?{TOKEN_QUERY}={token}" if token else url


@dataclass(frozen=True)
class Verdict:
    """What to do with one request: refuse it (with the reason, which names no customer), let it through,
    or, for a page opened with the right token, set the cookie and send the browser on without the
    token in its address bar."""

    allowed: bool
    reason: str = ""
    set_cookie: bool = False
    redirect_to: str | None = None


def judge(
    token: str | None,
    *,
    path: str,
    query: dict[str, str],
    cookie: str | None,
    host_header: str | None,
    origin: str | None,
    websocket: bool,
) -> Verdict:
    """Whether a request may have the page, its files or its websocket. `token` None: served on loopback.

    On loopback, the Host must be a loopback name too (a web page elsewhere cannot reach the app by
    pointing its own name at 127.0.0.1). Whatever the bind, a request that says where it comes from (every
    browser websocket does) must come from the page itself, not from another site open in the same browser.
    With a token, the request carries it in the address once (`?token=`), then in an HttpOnly cookie."""
    if not _HOST.fullmatch(host_header or ""):
        return Verdict(False, "the request does not name the server it asks (no valid Host)")
    hostname = _host_name(host_header or "")
    if token is None and not is_loopback(hostname):
        return Verdict(False, "served on loopback only: open it at http://127.0.0.1 or http://localhost")
    if origin is not None and not _same_origin(origin, host_header or ""):
        return Verdict(False, "a page of another site may not open the app")
    if token is None:
        return Verdict(True)
    given = query.get(TOKEN_QUERY)
    if given is not None and _same(given, token):
        if websocket:
            return Verdict(True)
        rest = urlencode([(k, v) for k, v in query.items() if k != TOKEN_QUERY])
        return Verdict(True, set_cookie=True, redirect_to=path + (f"?{rest}" if rest else ""))
    if cookie is not None and _same(cookie, token):
        return Verdict(True)
    return Verdict(False, "open the link `shopkeep serve` printed (it carries the access token)")


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("ascii"))


def _host_name(host_header: str) -> str:
    """'127.0.0.1:8000' → '127.0.0.1', '[::1]:8000' → '::1'."""
    host = host_header.strip()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same_origin(origin: str, host_header: str) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.strip().lower()
