"""The shipped demo.db, copied for one session of `shopkeep demo` (the shipped file is never changed)."""

from __future__ import annotations

from pathlib import Path

from shopkeep import i18n
from shopkeep.errors import ShopkeepError
from shopkeep.paths import touch_private
from shopkeep.store import demo_seed


def copy_demo(source: Path, target: Path) -> Path:
    """Copy the shipped demo database with SQLite's backup API; the source is opened read-only."""
    if not source.exists():
        raise ShopkeepError(i18n._("demo database not found at {path}").format(path=source))
    touch_private(target)
    demo_seed.copy_read_only(source, target)
    return target
