"""Where shopkeep keeps its files, and how they are created: owner-only."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "shopkeep"
DB_ENV = "SHOPKEEP_DB"


def default_db_path() -> Path:
    """`SHOPKEEP_DB`, else `shopkeep.db` in the platform's user data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "shopkeep.db"


def ensure_private_dir(path: Path) -> None:
    """Create a data directory readable by the owner only (0700)."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        path.chmod(0o700)


def touch_private(path: Path) -> bool:
    """Create `path` empty with mode 0600 if no file is there yet (before SQLite or an export writes it).
    An existing file is left alone, never opened: closing a descriptor of a database would drop the locks
    SQLite holds on it for this process's connections. True when the file was created."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def database_files(db_path: Path) -> tuple[Path, ...]:
    """The database file and the files SQLite keeps beside it: only SQLite may open any of them."""
    return tuple(db_path.with_name(db_path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal"))


# Every database this process holds a connection to, with how many: no file shopkeep writes (an export, a
# rejects file) may replace one of them or their companions, and no importer may read one with Python
# (closing that descriptor would drop SQLite's locks). Store counts each database in on open and out on
# close, so that a process that opened thousands (the test suite) does not check them all on every write.
_OPEN: dict[Path, int] = {}
_OPEN_LOCK = threading.Lock()


def remove_new_database(db_path: Path) -> None:
    """Remove a database this command created and closed again without putting anything in it (its first
    import failed). Only the files are unlinked, nothing is opened; not while this process holds it open."""
    if database_in_use(db_path) is not None:
        return
    for path in database_files(Path(db_path)):
        path.unlink(missing_ok=True)


def remember_database(db_path: Path) -> Path:
    """Count a connection to `db_path` in; returns the key to hand to `let_go_of_database`."""
    key = Path(db_path).expanduser().absolute()
    with _OPEN_LOCK:
        _OPEN[key] = _OPEN.get(key, 0) + 1
    return key


def let_go_of_database(key: Path) -> None:
    """Count a connection to the database `key` out (it was closed)."""
    with _OPEN_LOCK:
        left = _OPEN.get(key, 0) - 1
        if left > 0:
            _OPEN[key] = left
        else:
            _OPEN.pop(key, None)


def database_in_use(path: str | os.PathLike[str]) -> Path | None:
    """The database this process has open that `path` is (or is a companion file of), else None."""
    with _OPEN_LOCK:
        open_now = list(_OPEN)
    return next((db for db in open_now if is_database_file(Path(path), db)), None)


def is_database_file(path: Path, db_path: Path) -> bool:
    """Whether `path` names the database at `db_path` or one of its companions (by name or by being the
    same file: a link, another spelling). Looks without opening anything."""
    path = Path(path).expanduser()
    for candidate in database_files(Path(db_path).expanduser()):
        if path.absolute() == candidate.absolute():
            return True
        try:
            if path.exists() and candidate.exists() and os.path.samefile(path, candidate):
                return True
        except OSError:
            continue
        if path.resolve() == candidate.resolve():
            return True
    return False


def resource_path(name: str) -> Path:
    """A file shipped with shopkeep: inside the wheel (`shopkeep/_migrations`, `shopkeep/_data`)
    or, in a source checkout, at the top of the repository."""
    package_dir = Path(__file__).resolve().parent
    shipped = {"migrations": package_dir / "_migrations", "demo.db": package_dir / "_data" / "demo.db"}
    candidate = shipped[name]
    if candidate.exists():
        return candidate
    return package_dir.parent / name
