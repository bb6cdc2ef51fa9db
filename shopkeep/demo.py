"""The demo shop: copying the shipped demo.db for a session."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shopkeep.errors import ShopkeepError
from shopkeep.paths import touch_private


def copy_demo(source: Path, target: Path) -> Path:
    """Copy the shipped demo database with SQLite's backup API; the source is opened read-only."""
    if not source.exists():
        raise ShopkeepError(f"demo database not found at {source}")
    touch_private(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
