"""Customers (F2): as-you-type search over name, email, phone and platform id; Enter opens the card. With
nothing typed, everyone with a paid order is listed (s: sort by value, last order, risk or name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from shopkeep import money
from shopkeep.browse import SORTS
from shopkeep.customer_ref import reference
from shopkeep.i18n import N_, _, ngettext, pgettext
from shopkeep.notes import clean_text
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import day, number, phone, risk_words
from shopkeep.tui.safe import cell, plain
from shopkeep.tui.widgets.lazy_table import Column, LazyTable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.text import Text

    from shopkeep.lookup import CustomerIndex, Match
    from shopkeep.retention import CustomerMetrics, Retention

DEBOUNCE_SECONDS = 0.12
RESULTS = 50
# What a search matched on (shopkeep.lookup), as the results say it.
MATCHED_ON = {"name": N_("name"), "email": N_("email"), "phone": N_("phone"), "id": N_("id")}


def sort_words(sort: str) -> str:
    """A sort of shopkeep.browse.SORTS after "by" ("by value", "sort by last order")."""
    words = {
        "value": pgettext("sorted by", "value"),
        "last order": pgettext("sorted by", "last order"),
        "risk": pgettext("sorted by", "risk"),
        "name": pgettext("sorted by", "name"),
    }
    return words.get(sort, sort)


class CustomersScreen(ShopScreen):
    TITLE = N_("Customers")
    BINDINGS = [
        Binding("s", "sort", N_("Sort")),
        Binding("down", "browse", N_("Browse"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index: CustomerIndex | None = None  # once built
        self._index_wanted = False  # the owner has typed: build the index (see _typed)
        self._debounce: Timer | None = None
        self.shown_query = ""  # the query whose results the table shows
        self.sort = SORTS[0]
        self.metrics: Mapping[int, CustomerMetrics] | None = None  # retention.customers once computed
        self.retention: Retention | None = None  # the figures they come with
        self._card_opened = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Search by name, email, phone or customer id"), id="search")
        yield Static(plain(_("Type to search.")), id="status")  # the list of everyone follows with the figures
        table: DataTable[Text] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        table.add_columns(*self._result_columns())
        yield table
        yield LazyTable(
            [
                Column(N_("Name"), max_width=28),
                Column(N_("Email"), max_width=32),
                Column(N_("Value"), right=True),
                Column(N_("Last order")),
                Column(N_("Churn risk")),
                Column(N_("Segment"), max_width=22),
            ],
            self._browse_row,
            lambda m: str(m.id),
            id="everyone",
        )
        yield Footer()

    @staticmethod
    def _result_columns() -> list[str]:
        return [_("Name"), _("Email"), _("Phone"), _("Customer"), _("Matched on")]

    def retranslate(self) -> None:
        self.query_one("#search", Input).placeholder = _("Search by name, email, phone or customer id")
        results = self.query_one("#results", DataTable)
        results.clear(columns=True)
        results.add_columns(*self._result_columns())
        self.shown_query = ""
        self._search(self.query_one("#search", Input).value)  # with the index, or the kept words until it is built
        self._fill_everyone()

    def on_mount(self) -> None:
        self.query_one("#everyone", LazyTable).display = False  # until the figures are in
        self.query_one("#search", Input).focus()
        self.shop.data_changed.subscribe(self, self._data_changed)
        self.shop.want_retention(self, self._on_retention)

    def _data_changed(self, changed: None) -> None:
        if self._index_wanted:  # else nothing was read yet that could be out of date
            self._build_index()

    def _on_retention(self, retention: Retention) -> None:
        self.metrics = retention.customers
        self.retention = retention
        self._fill_everyone()

    def _browse_row(self, m: CustomerMetrics) -> tuple[str, ...]:
        return (
            clean_text(m.name or "") or reference(m.id, m.external_id),
            clean_text(m.email or ""),
            money.format(m.revenue, m.currency, compact=True),
            day(m.last_order),
            risk_words(m.churn_risk),
            _(m.segment),
        )

    def _fill_everyone(self) -> None:
        if self.metrics is None:
            return
        everyone = self.query_one("#everyone", LazyTable)
        # in order from the figures' arrays: only the rows shown are made (issue 19: 100k customers)
        everyone.set_items(self.retention.browse(self.sort))
        if not self.query_one("#search", Input).value.strip():
            self._show_everyone(True)

    def _show_everyone(self, show: bool) -> None:
        self.query_one("#everyone", LazyTable).display = show
        self.query_one("#results", DataTable).display = not show
        if show and self.metrics is not None:
            following = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
            self._set_status(
                _(
                    "Everyone with a paid order: {count}, by {sort} · s: sort by {next} · ↓: browse · type to search"
                ).format(count=number(len(self.metrics)), sort=sort_words(self.sort), next=sort_words(following))
            )

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._fill_everyone()
        self.query_one("#everyone", LazyTable).action_move(-1_000_000_000)

    def action_browse(self) -> None:
        """From the search box down into the list shown."""
        if self.query_one("#everyone", LazyTable).display:
            self.query_one("#everyone", LazyTable).focus()
        else:
            self.query_one("#results", DataTable).focus()

    @on(LazyTable.Selected, "#everyone")
    def _picked(self, event: LazyTable.Selected) -> None:
        self._card_opened = True  # back from the card, the list has the keys again (not the search box)
        self.shop.open_customer(int(event.key))

    def on_screen_resume(self) -> None:
        """Back from a card: the list keeps focus, so number keys switch screens again."""
        results = self.query_one("#results", DataTable)
        if results.display and results.row_count:
            results.focus()
        elif self._card_opened and self.query_one("#everyone", LazyTable).display:
            self.query_one("#everyone", LazyTable).focus()
        self._card_opened = False

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        from shopkeep.lookup import CustomerIndex

        with self.shop.open_store() as store:
            index = CustomerIndex.from_store(store)
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: CustomerIndex) -> None:
        self.index = index
        self._search(self.query_one("#search", Input).value)

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if event.value.strip() and not self._index_wanted:
            # Built once the owner types (issue 19: at 100k customers, seconds of CPU that would slow every
            # other screen opened meanwhile); until it is ready a search reads the database's kept words.
            self._index_wanted = True
            self._build_index()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(event.value))

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        table = self.query_one("#results", DataTable)
        if table.row_count:
            self.shop.open_customer(int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _search(self, query: str) -> None:
        if not query.strip():
            self.shown_query = query
            self.query_one("#results", DataTable).clear()
            if self.metrics is None:
                self._set_status(_("Type to search."))
            self._show_everyone(self.metrics is not None)
            return
        self._run_search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run_search(self, query: str) -> None:
        if self.index is not None:
            matches = self.index.search(query, limit=RESULTS)
        else:  # the index is not built yet: the same search on the database's kept words
            from shopkeep import lookup

            with self.shop.open_store() as store:
                matches = lookup.find(store, query, limit=RESULTS)
        self.app.call_from_thread(self._show, query, matches)

    def _show(self, query: str, matches: list[Match]) -> None:
        if query != self.query_one("#search", Input).value:
            return  # the owner has typed on; a newer search is coming
        self.shown_query = query
        self._show_everyone(False)
        table = self.query_one("#results", DataTable)
        table.clear()
        for m in matches:
            table.add_row(
                cell(m.name),
                cell(m.email),
                cell(phone(m.phone)),
                cell(reference(m.customer_id, m.external_id)),
                cell(_(MATCHED_ON.get(m.matched_on, m.matched_on))),
                key=str(m.customer_id),
            )
        found = ngettext("{n} match. Enter opens a card.", "{n} matches. Enter opens a card.", len(matches))
        self._set_status(found.format(n=len(matches)) if matches else _("No customer matches."))

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(plain(text))

    @on(DataTable.RowSelected, "#results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.shop.open_customer(int(event.row_key.value))
