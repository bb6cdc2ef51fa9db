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
from shopkeep.i18n import N_, _, ngettext, pgettext
from shopkeep.notes import clean_text
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import day, number
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
    ("e", "review", N_("Review")),
    ("f", "follow", N_("Followed us")),
    ("m", "newsletter", N_("Newsletter")),
    ("b", "birthday", N_("Birthday")),
    ("s", "bonus", N_("Surprise bonus")),
    ("o", "apology", N_("Apology bonus")),
)
POINTS_BINDINGS = [
    Binding("p", "points", N_("Points")),
    *(Binding(key, f"reward('{what}')", label, show=False) for key, what, label in REWARD_KEYS),
]
VIEWS = {
    "all": N_("Everyone, most points first"),
    "expiring": N_("Points expiring soon, soonest first"),
    "near": N_("Close to the next tier, least to go first"),
}


def reward_words(what: str) -> str:
    """What a reward is for (shopkeep.loyalty.REWARDS), after "points for"."""
    words = {
        "review": pgettext("points for", "a review"),
        "follow": pgettext("points for", "a social follow"),
        "newsletter": pgettext("points for", "the newsletter sign-up"),
        "birthday": pgettext("points for", "the birthday"),
        "bonus": pgettext("points for", "a surprise bonus"),
        "apology": pgettext("points for", "an apology bonus"),
    }
    return words.get(what, what)


def display_name(name: str | None, customer_id: int) -> str:
    return clean_text(name) if name else _("customer #{id}").format(id=customer_id)


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
            self.notify(_("Pick a customer first."), severity="warning")  # type: ignore[attr-defined]
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
        who = target[1] if target is not None and target[0] == customer_id else display_name(None, customer_id)
        question = ngettext("Give {points} point to {who}?", "Give {points} points to {who}?", points).format(
            points=f"{points:+d}", who=who
        )
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
        self._remember_points(entry, ngettext("{n} point", "{n} points", abs(points)).format(n=f"{points:+d}"))
        saved = _("Points {n} saved. u: undo.").format(n=f"{points:+d}")
        self.app.call_from_thread(self.points_written, saved)  # type: ignore[attr-defined]

    def _remember_points(self, entry: Entry | None, what: str) -> None:
        if entry is not None:
            what = _("{what} for customer #{id}").format(what=what, id=entry.customer_id)
            undoable = Undoable("points", entry.id, entry.customer_id, what)
            self.app.call_from_thread(self.shop.remember, undoable)  # type: ignore[attr-defined]

    def action_reward(self, what: str) -> None:
        target = self.points_target()
        if target is None:
            self.notify(_("Pick a customer first."), severity="warning")  # type: ignore[attr-defined]
            return
        customer_id, who, _balance = target
        question = _("Give {who} the points for {what}?").format(who=who, what=reward_words(what))
        self.app.push_screen(  # type: ignore[attr-defined]
            ConfirmModal(question, _("As many points as your loyalty rules give for it.")),
            lambda yes: self._write_reward(customer_id, what) if yes else None,
        )

    @work(thread=True, group="write", exit_on_error=False)
    def _write_reward(self, customer_id: int, what: str) -> None:
        from shopkeep import loyalty

        with self.shop.open_store() as store:  # type: ignore[attr-defined]
            entry = loyalty.reward(store, customer_id, what, self.shop.as_of)  # type: ignore[attr-defined]
        label = reward_words(what)
        if entry is None:
            message = _("No points: already rewarded for {what} (or it earns 0 points by the rules).").format(
                what=label
            )
            self.app.call_from_thread(self.notify, message, severity="warning")  # type: ignore[attr-defined]
            return
        given = ngettext("+{n} point for {what}", "+{n} points for {what}", entry.delta).format(
            n=number(entry.delta), what=label
        )
        self._remember_points(entry, given)
        self.app.call_from_thread(self.points_written, given + ". " + _("u: undo."))  # type: ignore[attr-defined]


class LoyaltyScreen(PointsActions, ShopScreen):
    TITLE = N_("Loyalty")
    BINDINGS = [Binding("v", "next_view", N_("Next view")), *POINTS_BINDINGS]

    def __init__(self) -> None:
        super().__init__()
        self.overview: Overview | None = None  # once loaded
        self.view = "all"
        self._loads = 0  # only the latest load is shown: an older one may finish later, with older figures

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(_("Loading points and tiers…")), id="loyalty-summary", classes="kpis")
        yield Static(id="status")
        yield LazyTable(
            [
                Column(N_("Customer")),
                Column(N_("Points"), right=True),
                Column(N_("Tier")),
                Column(N_("Points expiring"), max_width=24),
                Column(N_("Next tier"), max_width=34),
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

    def retranslate(self) -> None:
        if self.overview is not None:
            self._show(self._loads, self.overview)

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
        expiring = ""
        if s.expiring:
            expiring = _("{n} on {day}").format(n=number(s.expiring.points), day=day(s.expiring.expires_on))
        near = ""
        if s.near:
            missing = money.format(s.near.missing, currency, compact=True)
            near = _("{tier}: {money} to go").format(tier=_(s.near.next_tier), money=missing)
        return (display_name(s.name, s.customer_id), number(s.points), _(s.tier), expiring, near)

    def _show(self, load: int, overview: Overview) -> None:
        if load != self._loads:
            return
        self.overview = overview
        tiers = " · ".join(f"{_(name)} {number(count)}" for name, count in overview.tier_counts.items())
        labels = [_("Customers"), _("Points held"), _("Watch")]
        width = max(17, *(len(label) + 2 for label in labels))
        values = [
            _("{n} in the programme, paid order or not ({tiers})").format(
                n=number(len(overview.standings)), tiers=tiers
            ),
            number(overview.points_outstanding),
            _("{expiring} with points expiring soon · {near} close to the next tier").format(
                expiring=number(len(overview.expiring)), near=number(len(overview.near))
            ),
        ]
        summary = [
            Content.assemble((f"{label:<{width}}", "dim"), value) for label, value in zip(labels, values, strict=True)
        ]
        self.query_one("#loyalty-summary", Static).update(Content("\n").join(summary))
        self._show_view()

    def _show_view(self) -> None:
        overview = self.overview
        items = {"all": overview.standings, "expiring": overview.expiring, "near": overview.near}[self.view]
        self.query_one(LazyTable).set_items(items)
        view = _(VIEWS[self.view])
        if not overview.standings:
            status = _("No customers yet: import your orders first.")
        elif not items:
            status = _("{view}: nobody right now · v: next view").format(view=view)
        else:
            status = _("{view} ({n}) · v: next view · Enter: card").format(view=view, n=number(len(items)))
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
