"""Import an order export from inside the app (key i, or "Import orders" in ctrl+p): a typed form asks for the
file, the same importer as `shopkeep import` runs in a worker while a small window counts the rows, and the
result is said in the command's own words (see shopkeep.importing.report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _, ngettext
from shopkeep.importing.parse import ImportOptions
from shopkeep.tui.safe import plain


@dataclass(frozen=True)
class ImportRequest:
    """The file the owner chose (it exists and can be read, checked as `shopkeep import` checks it), and what
    the command's options would say: None leaves each to the file (or to what the shop has remembered)."""

    path: Path
    currency: str | None = None  # --currency
    date_format: str | None = None  # --date-format
    country: str | None = None  # --country

    def options(self) -> ImportOptions:
        return ImportOptions(currency=self.currency, date_format=self.date_format, country=self.country)


class ImportFileModal(ModalScreen[ImportRequest | None]):
    """Asks for the path of an export file (and, when the import asks for them, the options `shopkeep import`
    takes); Enter imports it, Esc leaves without importing."""

    DEFAULT_CSS = """
    ImportFileModal { align: center middle; }
    ImportFileModal > Vertical { width: 90%; max-width: 100; height: auto; padding: 0 2; border: round $accent;
        background: $surface; }
    ImportFileModal #import-error { color: $error; height: auto; }
    ImportFileModal .import-option { height: auto; }
    ImportFileModal .import-option Input { width: 1fr; }
    ImportFileModal .import-option Static { width: 16; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, last: ImportRequest | None = None) -> None:
        super().__init__()
        self.last = last  # the previous request of this session: its file and options, to correct one

    def compose(self) -> ComposeResult:
        last = self.last
        with Vertical():
            heading = _("Import orders from your shop's export file (Shopify, WooCommerce, Etsy, Square, …)")
            yield Static(Content.styled(heading, "bold"))
            yield Static(
                plain(_("The layout is recognised from the header row. Importing the same file again adds nothing."))
            )
            yield Input(
                str(last.path) if last else "",
                placeholder=_("path to the file, e.g. ~/Downloads/orders_export.csv"),
                id="import-path",
            )
            yield Static(plain(_("Only when the import asks for them (--currency, --date-format, --country):")))
            for field, label, hint in (
                ("currency", _("Currency"), _("e.g. EUR, when the file has none")),
                ("date_format", _("Date format"), _("DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD")),
                ("country", _("Phone country"), _("e.g. PL, for phones written without +code")),
            ):
                with Horizontal(classes="import-option"):
                    yield Static(label)
                    value = (getattr(last, field) or "") if last else ""
                    yield Input(value, placeholder=hint, id=f"import-{field}", compact=True)
            yield Static(id="import-error")
            yield Static(plain(_("Enter: import · Tab: next field · Esc: cancel")), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def _value(self, field: str) -> str | None:
        return self.query_one(f"#import-{field}", Input).value.strip() or None

    @on(Input.Submitted)
    def _chosen(self) -> None:
        from shopkeep.importing.report import check_file
        from shopkeep.importing.values import resolve_date_format

        text = (self._value("path") or "").strip("'\"")  # a path dropped into a terminal often arrives quoted
        if not text:
            self.query_one("#import-path", Input).focus()
            return
        path = Path(text).expanduser()
        currency, country, date_format = self._value("currency"), self._value("country"), self._value("date_format")
        try:
            check_file(path)
            if date_format:
                resolve_date_format(date_format)  # as the command checks it, before anything is read
        except ShopkeepError as exc:
            self.query_one("#import-error", Static).update(plain(str(exc)))
            return
        self.dismiss(
            ImportRequest(
                path, currency.upper() if currency else None, date_format, country.upper() if country else None
            )
        )

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
