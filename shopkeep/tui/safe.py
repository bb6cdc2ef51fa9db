"""Customer data on screen: always literal text, never markup, never terminal escape sequences."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from shopkeep.notes import clean_text


def plain(value: object, *, multiline: bool = False) -> Content:
    """Literal Content for any value (None shows as empty)."""
    return Content("" if value is None else clean_text(str(value), multiline=multiline))


def cell(value: object, *, justify: str = "left") -> Text:
    """A literal rich Text for a DataTable cell (DataTable parses plain strings as markup)."""
    return Text("" if value is None else clean_text(str(value)), justify=justify, no_wrap=True)  # type: ignore[arg-type]
