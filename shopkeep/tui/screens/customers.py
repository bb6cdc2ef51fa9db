"""Customers (key 2): as-you-type search over name, email, phone and platform id; Enter opens the card."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import phone
from shopkeep.tui.safe import cell, plain

DEBOUNCE_SECONDS = 0.12
RESULTS = 50


class CustomersScreen(ShopScreen):
    TITLE = "Customers"

    def __init__(self) -> None:
        super().__init__()
        self.index: Any = None  # shopkeep.lookup.CustomerIndex once built
        self._debounce: Timer | None = None
        self.shown_query = ""  # the query whose results the table shows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search by name, email, phone or customer id", id="search")
        yield Static(plain("Building the search index…"), id="status")
        table = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "Email", "Phone", "Id", "Matched on")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self._build_index()
        self.shop.data_changed.subscribe(self, lambda _: self._build_index())

    def on_screen_resume(self) -> None:
        """Back from a card: the list keeps focus, so number keys switch screens again."""
        results = self.query_one("#results", DataTable)
        if results.row_count:
            results.focus()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        from shopkeep.lookup import CustomerIndex

        with self.shop.open_store() as store:
            index = CustomerIndex.from_store(store)
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: Any) -> None:
        self.index = index
        self._set_status("Type to search.")
        self._search(self.query_one("#search", Input).value)

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(event.value))

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        table = self.query_one("#results", DataTable)
        if table.row_count:
            self.shop.open_customer(int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _search(self, query: str) -> None:
        if self.index is None:
            return
        if not query.strip():
            self.shown_query = query
            self.query_one("#results", DataTable).clear()
            self._set_status("Type to search.")
            return
        self._run_search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run_search(self, query: str) -> None:
        matches = self.index.search(query, limit=RESULTS)
        self.app.call_from_thread(self._show, query, matches)

    def _show(self, query: str, matches: list[Any]) -> None:
        if query != self.query_one("#search", Input).value:
            return  # the owner has typed on; a newer search is coming
        self.shown_query = query
        table = self.query_one("#results", DataTable)
        table.clear()
        for m in matches:
            table.add_row(
                cell(m.name),
                cell(m.email),
                cell(phone(m.phone)),
                cell(m.external_id),
                cell(m.matched_on),
                key=str(m.customer_id),
            )
        self._set_status("No customer matches." if not matches else f"{len(matches)} matches. Enter opens a card.")

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(plain(text))

    @on(DataTable.RowSelected, "#results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.shop.open_customer(int(event.row_key.value))
