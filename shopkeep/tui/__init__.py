"""The Textual app. The only package that imports Textual."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def run_app(db_path: Path, *, demo: bool = False, as_of: dt.date | None = None) -> None:
    from shopkeep.tui.app import ShopkeepApp

    result = ShopkeepApp(db_path, demo=demo, as_of=as_of).run()
    while isinstance(result, dt.date):  # F9 on old data: the app again, as of the newest order's day
        result = ShopkeepApp(db_path, demo=demo, as_of=result).run()
