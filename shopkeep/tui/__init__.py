"""The Textual app. The only package that imports Textual."""

from __future__ import annotations

from pathlib import Path


def run_app(db_path: Path, *, demo: bool = False) -> None:
    from shopkeep.tui.app import ShopkeepApp

    ShopkeepApp(db_path, demo=demo).run()
