"""Files shopkeep writes for the owner (exports, rejects files, backups): whole, or not at all.

An output is written to a temporary file in the target's own folder, flushed to the disk (fsync), and
renamed over the target only once it is complete. On any failure the temporary file is removed and a file
already at the target is left exactly as it was: a full disk never leaves a truncated CSV or an empty
backup behind. Problems come back as `OutputError`, one line an owner can act on:
"the disk is full: /home/ann/customers.csv was not written".

A target that is a device or a pipe (`-o /dev/stdout`) is written directly: there is nothing to rename.

Every file written with a `Written` (exports, rejects files, backups) is recorded in the database's
`written_files` (absolute path, kind, time) before it is put in place, so that no such file exists unlisted:
`shopkeep forget` scrubs the backups and names the exports and rejects files that still hold the person.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.paths import database_in_use

if TYPE_CHECKING:
    from shopkeep.store import Store

TEMP_SUFFIX = ".part"

# SQLite's primary result codes that mean the same as an OSError (sqlite3.Error.sqlite_errorcode & 0xff).
_SQLITE_ERRNO = {
    3: errno.EACCES,  # SQLITE_PERM
    8: errno.EROFS,  # SQLITE_READONLY
    13: errno.ENOSPC,  # SQLITE_FULL
    14: errno.ENOENT,  # SQLITE_CANTOPEN
}
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class OutputError(ShopkeepError):
    """An output file could not be written; nothing partial was left behind."""


def shown(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: absolute, so the owner can find it (symlinks are not resolved)."""
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


def error_errno(exc: BaseException) -> int | None:
    """The errno an OSError or an SQLite error stands for (None when it is neither)."""
    if isinstance(exc, OSError):
        return exc.errno
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            return _SQLITE_ERRNO.get(code & 0xFF)
        if "disk is full" in str(exc):  # an SQLite error raised without its code
            return errno.ENOSPC
    return None


def describe(exc: BaseException, path: str | os.PathLike[str]) -> str:
    """One line saying why `path` was not written, without a traceback or an exception name."""
    where = shown(path)
    code = error_errno(exc)
    if code in _DISK_FULL:
        return _("the disk is full: {path} was not written").format(path=where)
    if code in (errno.EACCES, errno.EPERM):
        return _("permission denied: {path} was not written").format(path=where)
    if code == errno.EROFS:
        return _("read-only file system: {path} was not written").format(path=where)
    if code == errno.ENOENT:
        return _("the folder {folder} does not exist: {path} was not written").format(
            folder=os.path.dirname(where), path=where
        )
    if code == errno.ENOTDIR:
        return _("part of the folder path is a file, not a folder: {path} was not written").format(path=where)
    if code == errno.EISDIR:
        return _("{path} is a folder: give a file name").format(path=where)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
    return _("{path} was not written: {reason}").format(path=where, reason=reason)


@dataclass(frozen=True)
class Written:
    """Where a file being written is recorded: the store of the data it holds, and what it is."""

    store: Store
    kind: str  # 'export', 'rejects' or 'backup'
    what: str | None = None  # customers, calls, segments; for rejects the imported file's name


def _record(written: Written | None, target: Path) -> None:
    """List `target` in the database's `written_files` (in its own write, or the one already open)."""
    if written is None:
        return
    import sqlite3

    from shopkeep.store import describe_error
    from shopkeep.store import privacy as sql

    store = written.store
    row = (shown(target), written.kind, written.what, store.clock.now_iso())
    try:
        if store.conn.in_transaction:
            sql.record_written(store.conn, *row)
        else:
            with store.write() as conn:
                sql.record_written(conn, *row)
    except sqlite3.Error as exc:
        raise OutputError(
            _("{path} was not written: it could not be listed in the database ({reason})").format(
                path=shown(target), reason=describe_error(exc)
            )
        ) from None


def check_target(path: str | os.PathLike[str]) -> Path:
    """`path` as a file to write: refused (OutputError) when it is a folder or its folder is missing."""
    text = os.fspath(path)
    target = Path(text).expanduser()
    if database_in_use(target) is not None:
        raise OutputError(
            _("{path} is the shop's database (or one of its files): choose another name").format(path=shown(target))
        )
    if text.endswith(("/", os.sep)) or target.is_dir():
        raise OutputError(_("{path} is a folder: give a file name").format(path=shown(target)))
    parent = target.parent
    if not parent.is_dir():
        if parent.exists() or any(p.exists() and not p.is_dir() for p in parent.parents):
            raise OutputError(
                _("part of the folder path is a file, not a folder: {path} was not written").format(path=shown(target))
            )
        raise OutputError(
            _("the folder {folder} does not exist: {path} was not written").format(
                folder=shown(parent), path=shown(target)
            )
        )
    return target


def _special(path: Path) -> bool:
    """A device, pipe or socket: written in place (renaming over /dev/stdout would replace it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _ours(exc: OSError, *paths: Path) -> bool:
    """Whether an OSError came from writing our output (a write has no file name; an open has ours)."""
    return exc.filename is None or os.fspath(exc.filename) in {os.fspath(p) for p in paths}


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Some systems cannot open a folder; the rename is done anyway."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with suppress(OSError):
        os.unlink(path)


def _put_in_place(tmp: Path, target: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if the target appeared meanwhile: never replace an existing file
    except FileExistsError:
        raise OutputError(_("{path} already exists; choose another name").format(path=shown(target))) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if target.exists():  # a file system without hard links
            raise OutputError(_("{path} already exists; choose another name").format(path=shown(target))) from None
        os.replace(tmp, target)
        return
    _remove(tmp)


@contextmanager
def staged(path: str | os.PathLike[str], *, overwrite: bool = True, record: Written | None = None) -> Iterator[Path]:
    """A new, empty, owner-only (0600) temporary file beside `path`, for a writer that opens it itself
    (SQLite's VACUUM INTO, a file object). When the block ends normally the file is synced, recorded (with
    `record`) and renamed to `path`; if the block, the record or the rename fails, it is removed and `path`
    is untouched. With overwrite=False an existing `path` is refused, never replaced. OSErrors of the write
    become OutputError.
    """
    target = check_target(path)
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise OutputError(describe(exc, target)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync_file(tmp)
        _record(record, target)
        _put_in_place(tmp, target, overwrite)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError) and _ours(exc, tmp, target):
            raise OutputError(describe(exc, target)) from None
        raise
    _fsync_folder(target.parent)


@contextmanager
def atomic_text(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", record: Written | None = None
) -> Iterator[TextIO]:
    """A text file (newline="" for the csv module) that appears at `path` only once complete, recorded with
    `record`; see `staged`. A device or pipe is written directly and not recorded (it keeps nothing)."""
    target = Path(os.fspath(path)).expanduser()
    if _special(target):
        try:
            with open(target, "w", encoding=encoding, newline="") as out:
                yield out
        except OSError as exc:
            if not _ours(exc, target):
                raise
            raise OutputError(describe(exc, target)) from None
        return
    with staged(path, record=record) as tmp, open(tmp, "w", encoding=encoding, newline="") as out:
        yield out
