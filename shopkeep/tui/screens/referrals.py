"""Referrals (key 5): who brought the most customers and revenue (this month or ever), and the chain of
the advocate picked with Enter: who sent them, and everyone they brought, as a tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Header, Static, Tree

from shopkeep import money
from shopkeep.i18n import N_, _, ngettext
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import number
from shopkeep.tui.safe import plain
from shopkeep.tui.screens.loyalty import display_name
from shopkeep.tui.widgets.lazy_table import Column, LazyTable

if TYPE_CHECKING:
    from shopkeep.referrals import Chain, LeaderRow

LEADERS = 100
CHAIN_HINT = N_("Enter on a name shows who sent them and everyone they brought.")
PERIODS = {"month": N_("this month"), "ever": N_("ever")}
FLAGS = {
    "self": N_("used their own code"),
    "same_phone": N_("same phone"),
    "same_email": N_("same email"),
    "same_address": N_("same name and city"),
}


def chain_label(customer_id: int, names: dict[int, str | None], flag: str | None = None, *, me: bool = False) -> Text:
    """`Alice [/] (#1)`: the name literal, bold for the advocate, with why a link is not rewarded.
    A rich Text built from plain strings (Textual's Tree cannot take Content, and would parse a str as markup)."""
    text = Text(display_name(names.get(customer_id), customer_id), style="bold" if me else "")
    text.append(f" (#{customer_id})", style="dim")
    if flag:
        text.append(" " + _("not rewarded: {why}").format(why=_(FLAGS.get(flag, flag))), style="dim italic")
    return text


class ReferralsScreen(ShopScreen):
    TITLE = N_("Referrals")
    BINDINGS = [Binding("t", "toggle_period", N_("Month / ever")), Binding("o", "open_card", N_("Open card"))]

    def __init__(self) -> None:
        super().__init__()
        self.period = "month"
        self.leaders: list[LeaderRow] | None = None  # for the period shown
        self.chain_of: int | None = None  # the advocate whose chain is shown
        self._loads = 0  # only the latest load is shown: an older one may finish later, with older figures

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(_("Loading the leaderboard…")), id="board-title", classes="kpis")
        yield LazyTable(
            [
                Column("#", right=True),
                Column(N_("Customer")),
                Column(N_("Friends"), right=True),
                Column(N_("Their revenue"), right=True),
            ],
            self._row,
            lambda ranked: str(ranked[1].customer_id),
            id="board",
        )
        yield Static(plain(_(CHAIN_HINT)), id="chain-title")
        yield Tree[int](Text(""), id="chain")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one("#chain", Tree)
        tree.show_root = False
        tree.auto_expand = False  # Enter opens the card; space folds
        self.query_one("#board", LazyTable).focus()
        self._reload()

    def on_screen_resume(self) -> None:
        if self.leaders is not None:  # back from a card: a referrer may have been linked
            self._reload()

    def retranslate(self) -> None:
        self._reload()
        if self.chain_of is not None:
            self._load_chain(self.chain_of)
        else:
            self.query_one("#chain-title", Static).update(plain(_(CHAIN_HINT)))

    def _reload(self) -> None:
        self._loads += 1
        self._load(self._loads, self.period)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, load: int, period: str) -> None:
        from shopkeep import referrals

        with self.shop.open_store() as store:
            leaders = referrals.leaderboard(store, self.shop.as_of, period, limit=LEADERS)  # type: ignore[arg-type]
            advocates = len(referrals.advocates(store))
        self.app.call_from_thread(self._show, load, period, leaders, advocates)

    def _row(self, ranked: tuple[int, LeaderRow]) -> tuple[str, ...]:
        rank, r = ranked
        return (
            str(rank),
            display_name(r.name, r.customer_id),
            number(r.referred),
            money.format(r.revenue, r.currency),
        )

    def _show(self, load: int, period: str, leaders: list[LeaderRow], advocates: int) -> None:
        if load != self._loads:
            return
        self.leaders = leaders
        other = "ever" if period == "month" else "month"
        if period == "month":
            heading, nobody = _("Who brought most customers this month"), _("Nobody brought a customer this month yet.")
        else:
            heading, nobody = _("Who brought most customers ever"), _("Nobody has brought a customer yet.")
        advocates_text = ngettext("{n} advocate (2+ friends)", "{n} advocates (2+ friends)", advocates)
        title = Content.assemble(
            (heading, "bold"),
            f" · {advocates_text.format(n=number(advocates))} · t: {_(PERIODS[other])}",
        )
        if not leaders:
            title = Content("\n").join([title, Content(nobody)])
        self.query_one("#board-title", Static).update(title)
        self.query_one("#board", LazyTable).set_items(list(enumerate(leaders, 1)))

    def action_toggle_period(self) -> None:
        self.period = "ever" if self.period == "month" else "month"
        self.query_one("#board", LazyTable).cursor = 0
        self._reload()

    @on(LazyTable.Selected, "#board")
    def _pick(self, event: LazyTable.Selected) -> None:
        self._load_chain(int(event.key))

    @work(thread=True, exclusive=True, group="chain", exit_on_error=False)
    def _load_chain(self, customer_id: int) -> None:
        from shopkeep import referrals

        with self.shop.open_store() as store:
            chain = referrals.chain(store, customer_id)
            ids = [customer_id, *chain.up]
            stack = list(chain.down)
            while stack:
                node = stack.pop()
                ids.append(node.customer_id)
                stack.extend(node.children)
            names = referrals.names(store, ids)
        self.app.call_from_thread(self._show_chain, chain, names)

    def _show_chain(self, chain: Chain, names: dict[int, str | None]) -> None:
        self.chain_of = chain.customer_id
        tree = self.query_one("#chain", Tree)
        tree.clear()
        parent = tree.root
        for ancestor in reversed(chain.up):  # who sent who sent them, ..., down to the advocate
            parent = parent.add(chain_label(ancestor, names), data=ancestor, expand=True)
        me = parent.add(chain_label(chain.customer_id, names, me=True), data=chain.customer_id, expand=True)
        stack = [(me, node) for node in chain.down]
        count = 0
        while stack:
            at, node = stack.pop(0)
            count += 1
            label = chain_label(node.customer_id, names, node.flag)
            if node.children:
                child = at.add(label, data=node.customer_id, expand=True)
                stack.extend((child, c) for c in node.children)
            else:
                at.add_leaf(label, data=node.customer_id)
        template = ngettext(
            "Chain of {name}: brought {n} in all · Enter on a name opens their card",
            "Chain of {name}: brought {n} in all · Enter on a name opens their card",
            count,
        )
        before, _name, after = template.partition("{name}")
        title = Content.assemble(
            (before, "bold"),
            plain(display_name(names.get(chain.customer_id), chain.customer_id)),
            after.format(n=number(count)),
        )
        self.query_one("#chain-title", Static).update(title)
        tree.focus()
        self.call_after_refresh(tree.move_cursor, me)

    @on(Tree.NodeSelected, "#chain")
    def _open_from_tree(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            self.shop.open_customer(event.node.data)

    def action_open_card(self) -> None:
        table = self.query_one("#board", LazyTable)
        if isinstance(self.focused, Tree) and self.focused.cursor_node and self.focused.cursor_node.data is not None:
            self.shop.open_customer(self.focused.cursor_node.data)
        elif table.items:
            self.shop.open_customer(table.items[table.cursor][1].customer_id)
