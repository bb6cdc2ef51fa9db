"""Import an order export from inside the app (key i, or "Import orders" in ctrl+p): a typed form asks for the
file, the same importer as `shopkeep import` runs in a worker while a small window counts the rows, and the
result is said in the command's own words (see shopkeep.importing.report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _, ngettext
from shopkeep.tui.safe import plain


@dataclass(frozen=True)
class ImportRequest:
    """The file the owner chose; it exists and can be read (checked as `shopkeep import` checks it)."""

    path: Path


class ImportFileModal(ModalScreen[ImportRequest | None]):
    """Asks for the path of an export file; Enter imports it, Esc leaves without importing."""

    DEFAULT_CSS = """
    ImportFileModal { align: center middle; }
    ImportFileModal > Vertical { width: 90%; max-width: 100; height: auto; padding: 1 2; border: round $accent;
        background: $surface; }
    ImportFileModal #import-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = _("Import orders from your shop's export file (Shopify, WooCommerce, Etsy, Square, …)")
            yield Static(Content.styled(heading, "bold"))
            yield Static(
                plain(_("The layout is recognised from the header row. Importing the same file again adds nothing."))
            )
            yield Input(placeholder=_("path to the file, e.g. ~/Downloads/orders_export.csv"), id="import-path")
            yield Static(id="import-error")
            yield Static(plain(_("Enter: import · Esc: cancel")), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted, "#import-path")
    def _chosen(self, event: Input.Submitted) -> None:
        from shopkeep.importing.report import check_file

        text = event.value.strip().strip("'\"")  # a path dropped into a terminal often arrives quoted
        if not text:
            return
        path = Path(text).expanduser()
        try:
            check_file(path)
        except ShopkeepError as exc:
            self.query_one("#import-error", Static).update(plain(str(exc)))
            return
        self.dismiss(ImportRequest(path))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportProgressModal(ModalScreen[None]):
    """What the import is doing while it runs (it cannot be stopped halfway: a file goes in whole or not at all)."""

    DEFAULT_CSS = """
    ImportProgressModal { align: center middle; }
    ImportProgressModal > Static { width: auto; max-width: 90%; padding: 1 2; border: round $accent;
        background: $surface; }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.file_name = name

    def compose(self) -> ComposeResult:
        yield Static(plain(_("Importing {file}…").format(file=self.file_name)), id="import-progress")

    def rows(self, count: int) -> None:
        if not self.is_mounted:
            return
        text = ngettext("Importing {file}: {rows} row read…", "Importing {file}: {rows} rows read…", count)
        text = text.format(file=self.file_name, rows=f"{count:,}")
        self.query_one("#import-progress", Static).update(plain(text))
