"""Placeholder shell until the TUI issue lands: shows which database is open."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Footer, Header, Static


class ShopkeepApp(App):
    TITLE = "shopkeep"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, db_path: Path, *, demo: bool = False):
        super().__init__()
        self.db_path = db_path
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(f"Database: {self.db_path}"), id="placeholder")
        yield Footer()
