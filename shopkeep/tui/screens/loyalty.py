"""Loyalty (key 4): balances and tiers, points expiring soon, who is close to the next tier; add or
redeem points and reward non-purchase actions for the selected customer (the card has the same keys)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Header, Static

from shopkeep import money
from shopkeep.notes import clean_text
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import day
from shopkeep.tui.modals import PointsModal
from shopkeep.tui.safe import plain
from shopkeep.tui.screens.confirm import ConfirmModal
from shopkeep.tui.undo import Undoable
from shopkeep.tui.widgets.lazy_table import Column, LazyTable

if TYPE_CHECKING:
    from shopkeep.loyalty import Entry, Overview, PointsChange, Standing

# key, what (shopkeep.loyalty.REWARDS), footer label. Never a, w, n, l or x: those are call outcomes
# wherever a customer is shown (a key means the same on every screen).
REWARD_KEYS = (
    ("e", "review", "Review"),
    ("f", "follow", "Followed us"),
    ("m", "newsletter", "Newsletter"),
    ("b", "birthday", "Birthday"),
    ("s", "bonus", "Surprise bonus"),
    ("o", "apology", "Apology bonus"),
)
POINTS_BINDINGS = [
    Binding("p", "points", "Points"),
    *(Binding(key, f"reward('{what}')", label, show=False) for key, what, label in REWARD_KEYS),
]
VIEWS = {
    "all": "Everyone, most points first",
    "expiring": "Points expiring soon, soonest first",
    "near": "Close to the next tier, least to go first",
}


def display_name(name: str | None, customer_id: int) -> str:
    return clean_text(name) if name else f"customer #{customer_id}"


class PointsActions:
    """The points keys, for a screen that knows which customer they are about (`points_target`)."""

    def points_target(self) -> tuple[int, str, int] | None:
        """(customer id, name to show, balance) of the customer the keys act on, or None."""
        raise NotImplementedError

    def points_written(self, message: str) -> None:
        """After a change was saved: tell the owner and show the new figures."""
        raise NotImplementedError

    def action_points(self) -> None:
        target = self.points_target()
        if target is None:
            self.notify("Pick a customer first.", severity="warning")  # type: ignore[attr-defined]
            return
        customer_id, who, points = target
        self.app.push_screen(PointsModal(who, points), partial(self._save_points, customer_id))  # type: ignore[attr-defined]

    def _save_points(self, customer_id: int, change: PointsChange | None) -> None:
        if change is None:
            return
        points, note = change.points, change.note
        if points < 0:
            self._write_points(customer_id, points, note)
            return
        target = self.points_target()
        who = target[1] if target is not None and target[0] == customer_id else f"customer #{customer_id}"
        question = f"Give {points:+d} points to {who}?"
        self.app.push_screen(  # type: ignore[attr-defined]
            ConfirmModal(question), lambda yes: self._write_points(customer_id, points, note) if yes else None
        )

    @work(thread=True, group="write", exit_on_error=False)
    def _write_points(self, customer_id: int, points: int, note: str) -> None:
        from shopkeep import loyalty

        with self.shop.open_store() as store:  # type: ignore[attr-defined]
            if points > 0:
                entry = loyalty.add_points(store, customer_id, points, reason="adjust", note=note or None)
            else:
                entry = loyalty.redeem(store, customer_id, -points, note=note or None)
        self._remember_points(entry, f"{points:+d} points")
        self.app.call_from_thread(self.points_written, f"Points {points:+d} saved. u: undo.")  # type: ignore[attr-defined]

    def _remember_points(self, entry: Entry | None, what: str) -> None:
        if entry is not None:
            undoable = Undoable("points", entry.id, entry.customer_id, f"{what} for customer #{entry.customer_id}")
            self.app.call_from_thread(self.shop.remember, undoable)  # type: ignore[attr-defined]

    def action_reward(self, what: str) -> None:
        from shopkeep.loyalty import REWARDS

        target = self.points_target()
        if target is None:
            self.notify("Pick a customer first.", severity="warning")  # type: ignore[attr-defined]
            return
        customer_id, who, _ = target
        question = f"Give {who} the points for: {REWARDS[what]}?"
        self.app.push_screen(  # type: ignore[attr-defined]
            ConfirmModal(question, "As many points as your loyalty rules give for it."),
            lambda yes: self._write_reward(customer_id, what) if yes else None,
        )

    @work(thread=True, group="write", exit_on_error=False)
    def _write_reward(self, customer_id: int, what: str) -> None:
        from shopkeep import loyalty

        with self.shop.open_store() as store:  # type: ignore[attr-defined]
            entry = loyalty.reward(store, customer_id, what, self.shop.as_of)  # type: ignore[attr-defined]
        label = loyalty.REWARDS[what]
        if entry is None:
            message = f"No points: {label} was already rewarded (or earns 0 points by the rules)."
            self.app.call_from_thread(self.notify, message, severity="warning")  # type: ignore[attr-defined]
            return
        self._remember_points(entry, f"+{entry.delta} points for {label}")
        self.app.call_from_thread(self.points_written, f"+{entry.delta} points for {label}. u: undo.")  # type: ignore[attr-defined]


class LoyaltyScreen(PointsActions, ShopScreen):
    TITLE = "Loyalty"
    BINDINGS = [Binding("v", "next_view", "Next view"), *POINTS_BINDINGS]

    def __init__(self) -> None:
        super().__init__()
        self.overview: Overview | None = None  # once loaded
        self.view = "all"
        self._loads = 0  # only the latest load is shown: an older one may finish later, with older figures

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain("Loading points and tiers…"), id="loyalty-summary", classes="kpis")
        yield Static(id="status")
        yield LazyTable(
            [
                Column("Customer"),
                Column("Points", right=True),
                Column("Tier"),
                Column("Points expiring", max_width=24),
                Column("Next tier", max_width=34),
            ],
            self._row,
            lambda s: str(s.customer_id),
            id="standings",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(LazyTable).focus()
        self._reload()

    def on_screen_resume(self) -> None:
        if self.overview is not None:  # back from a card or another screen: points may have changed
            self._reload()

    def _reload(self) -> None:
        self._loads += 1
        self._load(self._loads)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, load: int) -> None:
        from shopkeep import loyalty

        with self.shop.open_store() as store:
            overview = loyalty.overview(store, self.shop.as_of)
        self.app.call_from_thread(self._show, load, overview)

    def _row(self, s: Standing) -> tuple[str, ...]:
        currency = self.overview.currency
        expiring = f"{s.expiring.points:,} on {day(s.expiring.expires_on)}" if s.expiring else ""
        near = f"{s.near.next_tier}: {money.format(s.near.missing, currency, compact=True)} to go" if s.near else ""
        return (display_name(s.name, s.customer_id), f"{s.points:,}", s.tier, expiring, near)

    def _show(self, load: int, overview: Overview) -> None:
        if load != self._loads:
            return
        self.overview = overview
        tiers = " · ".join(f"{name} {count:,}" for name, count in overview.tier_counts.items())
        summary = [
            Content.assemble(
                ("Customers        ", "dim"),
                f"{len(overview.standings):,} in the programme, paid order or not ({tiers})",
            ),
            Content.assemble(("Points held      ", "dim"), f"{overview.points_outstanding:,}"),
            Content.assemble(
                ("Watch            ", "dim"),
                f"{len(overview.expiring)} with points expiring soon · {len(overview.near)} close to the next tier",
            ),
        ]
        self.query_one("#loyalty-summary", Static).update(Content("\n").join(summary))
        self._show_view()

    def _show_view(self) -> None:
        overview = self.overview
        items = {"all": overview.standings, "expiring": overview.expiring, "near": overview.near}[self.view]
        self.query_one(LazyTable).set_items(items)
        if not overview.standings:
            status = "No customers yet: import your orders first."
        elif not items:
            status = f"{VIEWS[self.view]}: nobody right now · v: next view"
        else:
            status = f"{VIEWS[self.view]} ({len(items):,}) · v: next view · Enter: card"
        self.query_one("#status", Static).update(plain(status))

    def action_next_view(self) -> None:
        if self.overview is None:
            return
        names = list(VIEWS)
        self.view = names[(names.index(self.view) + 1) % len(names)]
        table = self.query_one(LazyTable)
        table.cursor = 0
        self._show_view()

    @on(LazyTable.Selected, "#standings")
    def _open(self, event: LazyTable.Selected) -> None:
        self.shop.open_customer(int(event.key))

    # -- points keys ---------------------------------------------------------------------------------

    def points_target(self) -> tuple[int, str, int] | None:
        table = self.query_one(LazyTable)
        if not table.items:
            return None
        s = table.items[table.cursor]
        return s.customer_id, display_name(s.name, s.customer_id), s.points

    def points_written(self, message: str) -> None:
        self.notify(message)
        self._reload()
        self.shop.refresh_retention()
