"""Segments (key 3): every RFM segment and behavioural group with size, revenue and share; Enter lists members."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from shopkeep import i18n, money
from shopkeep.i18n import N_, _, ngettext, pgettext
from shopkeep.notes import clean_text
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import day, number, percent, phone, risk_words
from shopkeep.tui.safe import cell, plain
from shopkeep.tui.widgets.lazy_table import Column, LazyTable

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison
    from rich.text import Text

    from shopkeep.customer_export import Elsewhere
    from shopkeep.retention import CustomerMetrics, Retention


def group_sizes(customers: Iterable[CustomerMetrics], groups: Iterable[str]) -> list[tuple[str, int, int, int]]:
    """(group, customers, revenue, revenue counted in shares) for every behavioural group, in the engine's
    order, empty ones included (see retention.share_base)."""
    size: dict[str, int] = dict.fromkeys(groups, 0)
    revenue: dict[str, int] = dict.fromkeys(groups, 0)
    gains: dict[str, int] = dict.fromkeys(groups, 0)
    for m in customers:
        for g in m.groups:
            size[g] += 1
            revenue[g] += m.revenue
            gains[g] += max(m.revenue, 0)
    return [(g, size[g], revenue[g], gains[g]) for g in size]


def members_of(retention: Retention, kind: str, name: str) -> list[CustomerMetrics]:
    if kind == "segment":
        return [m for m in retention.customers.values() if m.segment == name]
    return [m for m in retention.customers.values() if name in m.groups]


class ExportsMembers(ShopScreen):
    """Writes a segment's or group's members to a CSV in the current folder, and says the whole path."""

    def export_members(self, name: str, members: list[CustomerMetrics]) -> None:
        if not members:
            self.notify(_("Nobody in {name} to export.").format(name=name), severity="warning")
            return
        self._export(members, Path.cwd() / export_name(name, self.shop.as_of))

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, members: list[CustomerMetrics], target: Path) -> None:
        from shopkeep.customer_export import CUSTOMER_COLUMNS, customer_rows
        from shopkeep.errors import ShopkeepError
        from shopkeep.exporting import write_rows

        try:
            with self.shop.open_store() as store:
                count = write_rows(target, "csv", CUSTOMER_COLUMNS, customer_rows(store, self.shop.retention, members))
        except ShopkeepError as exc:  # e.g. "the disk is full: … was not written" (no partial file is left)
            failed = _("Export failed: {error}").format(error=exc)
            self.app.call_from_thread(self.notify, failed, severity="error", timeout=10)
            return
        said = ngettext("Exported {n} customer to {path}", "Exported {n} customers to {path}", count)
        self.app.call_from_thread(self.notify, said.format(n=number(count), path=target), timeout=10)


KINDS = {"segment": N_("segment"), "group": N_("group")}


class SegmentsScreen(ExportsMembers):
    TITLE = N_("Segments")
    BINDINGS = [Binding("e", "export", N_("Export CSV"))]  # Enter (the table's own key) lists the members

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(_("Computing segments…")), id="status")
        table: DataTable[str | Text] = DataTable(id="segments", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table
        yield Footer()

    @staticmethod
    def _add_columns(table: DataTable[str | Text]) -> None:
        table.add_column(_("Kind"), key="kind")
        table.add_column(pgettext("segment", "Name"), key="name")
        table.add_column(_("Customers"), key="customers")
        table.add_column(_("Revenue"), key="revenue")
        table.add_column(_("Share of revenue"), key="share")

    def on_mount(self) -> None:
        self.shop.want_retention(self, self._on_retention)

    def retranslate(self) -> None:
        table = self.query_one("#segments", DataTable)
        table.clear(columns=True)
        self._add_columns(table)
        if self.shop.retention is not None:
            self._summarise(self.shop.retention)

    def _on_retention(self, retention: Retention) -> None:
        self._summarise(retention)

    @work(thread=True, exclusive=True, group="summary", exit_on_error=False)
    def _summarise(self, retention: Retention) -> None:
        groups = retention.group_sizes()  # from the figures' arrays (group_sizes, without 100k metrics made)
        self.app.call_from_thread(self._show, retention, groups)

    def _show(self, retention: Retention, groups: list[tuple[str, int, int, int]]) -> None:
        table = self.query_one("#segments", DataTable)
        table.clear()
        base = retention.share_base()
        rows = [("segment", s.name, s.customers, s.revenue, round(s.share * base)) for s in retention.segments]
        rows += [("group", *group) for group in groups]
        for kind, name, size, revenue, counted in rows:
            table.add_row(
                _(KINDS[kind]),
                cell(_(name)),
                cell(number(size), justify="right"),
                cell(money.format(revenue, retention.currency), justify="right"),
                cell(percent(counted, base), justify="right"),
                key=f"{kind}:{name}",
            )
        count = len(retention.customers)
        status = (
            _("{population} as of {day}; shares are of their revenue. Enter: members.").format(
                population=retention.population(), day=i18n.format_date(retention.as_of)
            )
            + " "
            + _("e: export the highlighted one as CSV.")
            if count
            else _("No customers yet: import your orders first.")
        )
        self.query_one("#status", Static).update(plain(status))

    @on(DataTable.RowSelected, "#segments")
    def _open(self, event: DataTable.RowSelected) -> None:
        kind, name = str(event.row_key.value).split(":", 1)
        self.app.push_screen(MembersScreen(kind, name))

    def _highlighted(self) -> tuple[str, str] | None:
        table = self.query_one("#segments", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        kind, name = str(key).split(":", 1)
        return kind, name

    def action_export(self) -> None:
        """`e`: the highlighted segment's or group's members, most valuable first, as on its own screen."""
        chosen, retention = self._highlighted(), self.shop.retention
        if chosen is None or retention is None:
            self.notify(_("Nothing to export yet."), severity="warning")
            return
        kind, name = chosen
        key, descending = next((c[2], c[3]) for c in COLUMNS if c[0] == "revenue")
        self.export_members(name, sorted(members_of(retention, kind, name), key=key, reverse=descending))


# (column key, heading, sort key, sort descending first)
# How to reach them first (an email is never cut short: it is copied into a mail tool), then the figures,
# which scroll into view with ← → on a narrow terminal.
COLUMNS: list[tuple[str, Column, Callable[[CustomerMetrics], SupportsRichComparison], bool]] = [
    ("name", Column(N_("Name"), max_width=22), lambda m: (m.name or "").casefold(), False),
    ("phone", Column(N_("Phone"), max_width=16), lambda m: m.phone or "", False),
    ("email", Column(N_("Email"), max_width=80), lambda m: m.email or "", False),
    ("orders", Column(N_("Orders"), right=True), lambda m: m.orders, True),
    ("revenue", Column(N_("Revenue"), right=True), lambda m: m.revenue, True),
    ("last", Column(N_("Last order")), lambda m: m.last_order or dt.date.min, True),
    ("risk", Column(N_("Churn risk")), lambda m: m.churn_risk, True),
]
SORTABLE = ("revenue", "orders", "last", "risk", "name")


def sorted_by(column: str) -> str:
    """The member list's sort, after "sorted by"."""
    words = {
        "name": pgettext("sorted by", "name"),
        "orders": pgettext("sorted by", "orders"),
        "revenue": pgettext("sorted by", "revenue"),
        "last": pgettext("sorted by", "last order"),
        "risk": pgettext("sorted by", "churn risk"),
    }
    return words.get(column, column)


def member_row(m: CustomerMetrics, elsewhere: Elsewhere | None = None) -> tuple[str, ...]:
    """A member as the table shows them; `elsewhere`: their money in other currencies, each in its own."""
    from shopkeep.customer_export import revenue_by_currency

    spent = " + ".join(money.format(net, code) for code, net, _ in revenue_by_currency(m, elsewhere))
    return (
        clean_text(m.name or ""),
        clean_text(phone(m.phone)),
        clean_text(m.email or ""),
        number(m.orders),
        spent,
        day(m.last_order),
        f"{risk_words(m.churn_risk)} {number(m.churn_risk, digits=2)}",
    )


class MembersScreen(ExportsMembers):
    """The customers of one segment or group: sortable, scrolls through 100k rows, exports to CSV."""

    BINDINGS = [
        Binding("s", "sort", N_("Sort")),
        Binding("e", "export", N_("Export CSV")),
        Binding("escape", "app.pop_screen", N_("Back")),
    ]

    def __init__(self, kind: str, name: str) -> None:
        super().__init__()
        self.kind = kind
        self.segment = name
        self.title = _(name)
        self.members: list[CustomerMetrics] = []
        self.elsewhere: Mapping[int, Elsewhere] | None = None  # money in other currencies, by customer
        self.sort_by = "revenue"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(_("Loading members…")), id="status")
        yield LazyTable([c[1] for c in COLUMNS], row=self._row, key=lambda m: str(m.id), id="members")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#members", LazyTable).focus()
        self.shop.want_retention(self, self._on_retention)

    def _on_retention(self, retention: Retention) -> None:
        self.elsewhere = None  # new figures: read again
        self._fill(retention)

    def retranslate(self) -> None:
        self.title = _(self.segment)
        if self.shop.retention is not None:
            self._fill(self.shop.retention)

    def _row(self, m: CustomerMetrics) -> tuple[str, ...]:
        return member_row(m, (self.elsewhere or {}).get(m.id))

    @work(thread=True, exclusive=True, group="members", exit_on_error=False)
    def _fill(self, retention: Retention) -> None:
        from shopkeep.customer_export import other_currencies

        if self.elsewhere is None:
            with self.shop.open_store() as store:
                self.elsewhere = other_currencies(store, retention)
        key, descending = next((c[2], c[3]) for c in COLUMNS if c[0] == self.sort_by)
        members = sorted(members_of(retention, self.kind, self.segment), key=key, reverse=descending)
        self.app.call_from_thread(self._show, members)

    def _show(self, members: list[CustomerMetrics]) -> None:
        self.members = members
        self.query_one("#members", LazyTable).set_items(members)
        status = ngettext(
            "{n} customer, sorted by {sort}. s sorts, Enter opens a card, ← → scroll.",
            "{n} customers, sorted by {sort}. s sorts, Enter opens a card, ← → scroll.",
            len(members),
        ).format(n=number(len(members)), sort=sorted_by(self.sort_by))
        self.query_one("#status", Static).update(plain(status + " " + _("e: export them as CSV.")))

    def action_sort(self) -> None:
        self.sort_by = SORTABLE[(SORTABLE.index(self.sort_by) + 1) % len(SORTABLE)]
        self.query_one("#members", LazyTable).cursor = 0
        if self.shop.retention is not None:
            self._fill(self.shop.retention)

    @on(LazyTable.Selected, "#members")
    def _open(self, event: LazyTable.Selected) -> None:
        self.shop.open_customer(int(event.key))

    def action_export(self) -> None:
        self.export_members(self.segment, list(self.members))


def export_name(segment: str, as_of: dt.date) -> str:
    """A file name that does not exist yet in the current folder: 'at-risk-2026-11-23.csv', then '-2', ..."""
    slug = re.sub(r"[^a-z0-9]+", "-", segment.lower().replace("'", "")).strip("-") or "segment"
    name = f"{slug}-{as_of.isoformat()}.csv"
    n = 1
    while (Path.cwd() / name).exists():
        n += 1
        name = f"{slug}-{as_of.isoformat()}-{n}.csv"
    return name
