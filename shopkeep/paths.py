"""Where shopkeep keeps its files, and how they are created: owner-only."""

from __future__ import annotations

import os
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


def touch_private(path: Path) -> None:
    """Create `path` with mode 0600 if it does not exist yet (before SQLite or an export opens it)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def resource_path(name: str) -> Path:
    """A file shipped with shopkeep: inside the wheel (`shopkeep/_migrations`, `shopkeep/_data`)
    or, in a source checkout, at the top of the repository."""
    package_dir = Path(__file__).resolve().parent
    shipped = {"migrations": package_dir / "_migrations", "demo.db": package_dir / "_data" / "demo.db"}
    candidate = shipped[name]
    if candidate.exists():
        return candidate
    return package_dir.parent / name
