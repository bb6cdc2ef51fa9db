"""A read-only table that formats and renders only the rows on screen: 100k rows cost a list, not
100k widgets or 700k formatted cells.

`row(item)` turns an item into a tuple of plain strings (already cleaned of control characters);
they are written as Segments, so nothing in them is ever parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from shopkeep.i18n import N_, _

WIDTH_SAMPLE = 2_000  # rows measured to size the columns
Item = TypeVar("Item")


@dataclass(frozen=True)
class Column:
    heading: str  # marked with N_: shown in the language in use
    right: bool = False  # numbers are right-aligned
    max_width: int = 40

    @property
    def title(self) -> str:
        return _(self.heading)


class LazyTable(ScrollView, Generic[Item], can_focus=True):
    """Header line plus `items`; a row cursor moved by keys or the mouse; Enter posts `Selected` with `key(item)`."""

    BINDINGS = [
        Binding("up", "move(-1)", N_("Up"), show=False),
        Binding("down", "move(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "move(-1_000_000_000)", N_("First"), show=False),
        Binding("end", "move(1_000_000_000)", N_("Last"), show=False),
        Binding("enter", "select", N_("Open"), show=False),
        Binding("left", "scroll_columns(-8)", N_("Scroll left"), show=False),
        Binding("right", "scroll_columns(8)", N_("Scroll right"), show=False),
    ]
    COMPONENT_CLASSES = {"lazy-table--header", "lazy-table--cursor", "lazy-table--odd"}
    DEFAULT_CSS = """
    LazyTable { height: 1fr; }
    LazyTable > .lazy-table--header { text-style: bold; background: $panel; }
    LazyTable > .lazy-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    LazyTable:blur > .lazy-table--cursor { background: $block-cursor-blurred-background; }
    LazyTable > .lazy-table--odd { background: $surface-lighten-1; }
    """

    cursor = reactive(0, repaint=True)

    class Selected(Message):
        def __init__(self, table: LazyTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> LazyTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        row: Callable[[Item], tuple[str, ...]],
        key: Callable[[Item], str],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.row = row
        self.key = key
        self.items: Sequence[Item] = ()
        self.widths = [cell_len(c.title) for c in self.columns]

    @property
    def row_count(self) -> int:
        return len(self.items)

    def row_at(self, index: int) -> tuple[str, ...]:
        return self.row(self.items[index])

    def set_items(self, items: Sequence[Item]) -> None:
        """Replace every row; the cursor stays on the same line number (see `action_move` to go to the top).
        (Called with the same items after a language switch: the headings and rows are measured again.)"""
        self.items = items
        widths = [cell_len(c.title) for c in self.columns]
        for item in items[:WIDTH_SAMPLE]:
            for i, text in enumerate(self.row(item)):
                widths[i] = max(widths[i], cell_len(text))
        self.widths = [min(w, c.max_width) for w, c in zip(widths, self.columns, strict=True)]
        self.virtual_size = Size(sum(self.widths) + 2 * len(self.widths), len(items) + 1)
        self.cursor = min(self.cursor, max(0, len(items) - 1))
        self.refresh()

    # -- drawing -------------------------------------------------------------------------------------

    def _line(self, cells: Sequence[str], style) -> Strip:
        segments = []
        for text, width, column in zip(cells, self.widths, self.columns, strict=True):
            if cell_len(text) > width:
                text = set_cell_size(text, width - 1) + "…"
            pad = " " * (width - cell_len(text))
            segments.append(Segment(f" {pad}{text} " if column.right else f" {text}{pad} ", style))
        return Strip(segments)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._line([c.title for c in self.columns], self.get_component_rich_style("lazy-table--header"))
        else:
            index = scroll_y + y - 1
            if index >= len(self.items):
                return Strip.blank(width, self.rich_style)
            if index == self.cursor:
                style = self.get_component_rich_style("lazy-table--cursor")
            elif index % 2:
                style = self.get_component_rich_style("lazy-table--odd")
            else:
                style = self.rich_style
            strip = self._line(self.row(self.items[index]), style)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    # -- moving --------------------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, cursor: int) -> None:
        top = int(self.scroll_y)
        if cursor < top:
            self.scroll_to(y=cursor, animate=False)
        elif cursor >= top + self._page:
            self.scroll_to(y=cursor - self._page + 1, animate=False)

    def action_move(self, by: int) -> None:
        if self.items:
            self.cursor = max(0, min(len(self.items) - 1, self.cursor + by))

    def action_scroll_columns(self, cells: int) -> None:
        """Columns wider than the terminal come into view sideways."""
        self.scroll_to(x=max(0, self.scroll_x + cells), animate=False)

    def action_page(self, pages: int) -> None:
        self.action_move(pages * self._page)

    def action_select(self) -> None:
        if self.items:
            self.post_message(self.Selected(self, self.key(self.items[self.cursor])))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.items):
            self.cursor = index
            if event.chain > 1:
                self.action_select()
