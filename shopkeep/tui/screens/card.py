"""The customer card: contact, segment and why, the numbers, orders with items, points, referrals, calls, notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from shopkeep import calls, loyalty, money, reasons, referrals, shop
from shopkeep.call_session import CallOutcome
from shopkeep.i18n import N_, _, ngettext
from shopkeep.notes import add_note
from shopkeep.store import card as card_store
from shopkeep.store import currencies as currencies_sql
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import day, given_words, number, phone, risk_words
from shopkeep.tui.modals import CallModal, NoteModal, ReferrerModal
from shopkeep.tui.safe import plain
from shopkeep.tui.screens.confirm import ConfirmModal
from shopkeep.tui.screens.loyalty import PointsActions
from shopkeep.tui.screens.referrals import FLAGS
from shopkeep.tui.undo import Undoable, outcome_words, status_words

if TYPE_CHECKING:
    from shopkeep.retention import CustomerMetrics, Retention


def _line(label: str, value: object) -> Content:
    width = max(16, len(label) + 1)
    return Content.assemble((f"{label:<{width}}", "dim"), plain(value) if value not in (None, "") else "—")


def _section(title: str, lines: list[Content]) -> Content:
    heading = Content.styled(title, "bold")
    return Content("\n").join([heading, *(lines or [Content.styled(_("none yet"), "dim")])])


def _customer(customer_id: int) -> str:
    return _("customer #{id}").format(id=customer_id)


class CustomerCardScreen(PointsActions, ShopScreen):
    TITLE = N_("Customer")
    # Call outcomes are the same keys as on Today; points only through `p` (a typed form, then a question).
    BINDINGS = [
        Binding("a", "outcome('no_answer')", N_("No answer")),
        Binding("w", "outcome('will_return')", N_("Will return")),
        Binding("n", "outcome('not_interested')", N_("Not interested"), show=False),
        Binding("l", "outcome('call_later')", N_("Call later"), show=False),
        Binding("x", "outcome('wrong_number')", N_("Wrong number"), show=False),
        Binding("p", "points", N_("Points")),
        Binding("g", "given", N_("Promise given"), show=False),
        Binding("N", "note", N_("Add note"), key_display="N"),
        Binding("c", "call", N_("Log call"), show=False),
        Binding("r", "referrer", N_("Who sent you?"), show=False),
        Binding("y", "copy_phone", N_("Copy phone"), show=False),
        Binding("escape", "app.pop_screen", N_("Back"), show=False),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.card: card_store.Card | None = None
        self.elsewhere: dict[str, tuple[int, int]] = {}  # currency -> (net, sales) outside the shop's currency
        self.points = 0
        self.metrics: CustomerMetrics | None = None
        self.promises: list[calls.PromiseRecord] = []
        # what _show_card was last given: drawn again after a language switch
        self.shown: tuple[card_store.Card, int, loyalty.Tier, loyalty.Expiring | None] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="card"):
            with VerticalScroll(id="card-left"):
                for part in ("contact", "promises", "segment", "numbers", "points", "referrals"):
                    yield Static(id=part, classes="card-section")
            with VerticalScroll(id="card-right"):
                for part in ("notes", "calls", "orders"):
                    yield Static(id=part, classes="card-section")
        yield Footer(show_command_palette=False, compact=True)  # at 80 columns: the keys, then ? for the rest

    def on_mount(self) -> None:
        self.query_one("#contact", Static).update(plain(_("Loading…")))
        self.shop.want_retention(self, self._on_retention)
        self.shop.undone.subscribe(self, self._undone)
        self.shop.call_logged.subscribe(self, lambda logged: self._load() if logged[0] == self.customer_id else None)
        self.shop.promise_closed.subscribe(self, lambda closed: self._load() if closed[0] == self.customer_id else None)
        self._load()

    def retranslate(self) -> None:
        if self.shown is not None:
            self._show_card(*self.shown)
        self._show_promises(self.promises)

    def _undone(self, entry: Undoable) -> None:
        if entry.customer_id == self.customer_id:
            self._load()

    @work(thread=True, exclusive=True, group="card", exit_on_error=False)
    def _load(self) -> None:
        with self.shop.open_store() as store:
            card = card_store.load(store, self.customer_id)
            points = loyalty.balance(store, self.customer_id)
            tier = loyalty.tier_of(store, self.customer_id, self.shop.as_of)
            expiring = loyalty.points_expiring(store, self.customer_id, self.shop.as_of)
            promises = calls.customer_promises(store, self.customer_id)
            elsewhere = currencies_sql.other_currency_revenue(
                store, self.shop.as_of, shop.shop_currency(store) or "EUR", self.customer_id
            ).get(self.customer_id, {})
        self.elsewhere = elsewhere
        self.app.call_from_thread(self._show_promises, promises)
        self.app.call_from_thread(self._show_card, card, points, tier, expiring)

    def _show_promises(self, promises: list[calls.PromiseRecord]) -> None:
        """Open promises, the earliest due first (`g` marks that one given), late ones said so."""
        self.promises = promises
        currency = self.metrics.currency if self.metrics is not None else None
        lines = []
        for n, p in enumerate(promises):
            late = (self.shop.as_of - p.due_on).days
            state = ", " + ngettext("{n} day late", "{n} days late", late).format(n=late) if late > 0 else ""
            what = f" — {p.description}" if p.description else ""
            hint = "  " + _("(g: given)") if n == 0 else ""
            lines.append(Content.assemble(plain(calls.promise_text(p, currency) + state + what), (hint, "dim")))
        box = self.query_one("#promises", Static)
        box.display = bool(promises)
        box.update(_section(_("Open promises"), lines))

    def _elsewhere_text(self) -> str:
        return " + ".join(
            f"{money.format(net, code)} ({ngettext('{n} order', '{n} orders', sold).format(n=number(sold))})"
            for code, (net, sold) in sorted(self.elsewhere.items())
        )

    def _on_retention(self, retention: Retention) -> None:
        self.metrics = retention.customers.get(self.customer_id)
        self.risk_quality = retention.risk_quality
        self._show_metrics()

    def _show_card(
        self, card: card_store.Card, points: int, tier: loyalty.Tier, expiring: loyalty.Expiring | None
    ) -> None:
        self.card = card
        self.points = points
        self.shown = (card, points, tier, expiring)
        c = card.customer
        self.title = plain(c["name"] or _("Customer {id}").format(id=c["id"])).plain
        contact = [
            _line(_("Name"), c["name"]),
            _line(_("Email"), c["email"]),
            _line(_("Phone"), phone(c["phone"])),
            _line(_("City"), ", ".join(x for x in (c["city"], c["country"]) if x)),
            _line(_("Customer id"), c["external_id"] or c["id"]),
        ]
        if c["do_not_call"]:
            contact.append(Content.styled(_("Do not call"), "bold red"))
        if c["forgotten_at"]:
            erased = _("Personal data erased on {day}").format(day=day(c["forgotten_at"]))
            contact.append(Content.styled(erased, "bold"))
        self.query_one("#contact", Static).update(_section(_("Contact"), contact))
        orders: list[Content] = []
        if card.order_count > len(card.orders):
            latest = _("latest {shown} of {count}").format(shown=len(card.orders), count=number(card.order_count))
            orders.append(Content.styled(latest, "dim"))
        for o in card.orders:
            status = status_words(o["status"])
            head = f"{day(o['ordered_at'])}  {money.format(o['total'] - o['refunded'], o['currency'])}  {status}"
            orders.append(Content.assemble(plain(o["order_number"] or ""), "  ", head))
            for line in o["lines"]:
                qty = f"{line['quantity']:g}"
                item = line["product"] or line["sku"] or _("item")
                orders.append(Content.assemble("    ", qty, " × ", plain(item)))
        orders_title = _("Orders ({count})").format(count=number(card.order_count))
        self.query_one("#orders", Static).update(_section(orders_title, orders))
        if expiring:
            expires = ngettext("{n} point on {day}", "{n} points on {day}", expiring.points).format(
                n=number(expiring.points), day=day(expiring.expires_on)
            )
        else:
            expires = _("none soon")
        benefits = f"{_(tier.name)}: {_(tier.benefits)}"
        self.query_one("#points", Static).update(
            _section(
                _("Loyalty"),
                [_line(_("Points"), number(points)), _line(_("Tier"), benefits), _line(_("Expiring"), expires)],
            )
        )
        referral_lines = [_line(_("Referral code"), c["referral_code"])]
        if by := card.referred_by:
            referral_lines.append(_line(_("Brought by"), by["name"] or _customer(by["id"])))
        else:
            referral_lines.append(_line(_("Brought by"), _("nobody recorded (r: who sent you?)")))
        for r in card.referred:
            flag = " " + _("(not rewarded: {why})").format(why=_(FLAGS.get(r["flag"], r["flag"]))) if r["flag"] else ""
            brought = plain(r["name"] or _customer(r["id"]))
            referral_lines.append(Content.assemble(_("Brought") + " ", brought, flag))
        self.query_one("#referrals", Static).update(_section(_("Referrals"), referral_lines))
        call_lines = [
            Content.assemble(
                f"{day(k['called_at'])}  {outcome_words(k['outcome']).lower()}",
                f"  ({reasons.label(k['reason'])})" if k["reason"] else "",
                "  ",
                plain(k["note"]),
            )
            for k in card.calls
        ]
        self.query_one("#calls", Static).update(_section(_("Calls"), call_lines))
        notes = [
            Content.assemble((day(n["created_at"]) + "  ", "dim"), plain(n["body"], multiline=True)) for n in card.notes
        ]
        self.query_one("#notes", Static).update(_section(_("Notes"), notes))
        self._show_metrics()
        self.refresh_bindings()

    def _show_metrics(self) -> None:
        if self.card is None:
            return
        from shopkeep.retention import explain_segment

        m = self.metrics
        if m is None:
            waiting = _("Computing…") if self.shop.retention is None else _("No orders up to this date.")
            self.query_one("#segment", Static).update(_section(_("Segment"), [plain(waiting)]))
            self.query_one("#numbers", Static).update(_section(_("Numbers"), []))
            return
        segment = [Content.styled(_(m.segment), "bold"), plain(explain_segment(m, self.risk_quality.can_tell))]
        if m.groups:
            segment.append(_line(_("Groups"), ", ".join(_(g) for g in m.groups)))
        self.query_one("#segment", Static).update(_section(_("Segment"), segment))
        ago = ngettext("{n} day ago", "{n} days ago", m.recency_days).format(n=number(m.recency_days))
        numbers = [
            _line(_("Orders"), number(m.orders)),
            _line(_("Revenue"), money.format(m.revenue, m.currency)),
            *(
                [_line(_("In other currencies"), self._elsewhere_text() + " " + _("(not in the shop's figures)"))]
                if self.elsewhere
                else []
            ),
            _line(_("Average order"), money.format(m.aov, m.currency)),
            _line(_("First order"), day(m.first_order)),
            _line(_("Last order"), f"{day(m.last_order)} ({ago})"),
            _line(_("Expected next"), day(m.expected_next_order)),
            _line(_("Churn risk"), f"{risk_words(m.churn_risk)}: {m.risk_reason}")
            if self.risk_quality.can_tell
            else _line(_("Churn risk"), f"{self.risk_quality.message} ({m.risk_reason})"),
            _line(_("Lifetime value"), money.format(m.ltv, m.currency)),
            _line(_("Next 12 months"), money.format(m.ltv_predicted, m.currency)),
        ]
        self.query_one("#numbers", Static).update(_section(_("Numbers"), numbers))

    # -- actions -------------------------------------------------------------------------------------

    def action_note(self) -> None:
        self.app.push_screen(NoteModal(), self._save_note)

    def _save_note(self, body: str | None) -> None:
        if body:
            self._write_note(body)

    @work(thread=True, group="write", exit_on_error=False)
    def _write_note(self, body: str) -> None:
        with self.shop.open_store() as store:
            note_id = add_note(store, self.customer_id, body)
        what = _("note on customer #{id}").format(id=self.customer_id)
        self.app.call_from_thread(self.shop.remember, Undoable("note", note_id, self.customer_id, what))
        self.app.call_from_thread(self._saved, _("Note saved (u: undo)."))

    def action_call(self) -> None:
        self.app.push_screen(CallModal(self.shop.as_of), self._save_call)

    def _save_call(self, call: CallOutcome | None) -> None:
        if call is not None:
            self._write_call(call)

    @work(thread=True, group="write", exit_on_error=False)
    def _write_call(self, call: CallOutcome) -> None:
        with self.shop.open_store() as store:
            call_id = calls.log_call(
                store, self.customer_id, call.outcome, reason=call.reason, note=call.note, callback_on=call.callback_on
            )
        self.app.call_from_thread(self._call_saved, call_id, call.outcome)

    def _call_saved(self, call_id: int, outcome: str) -> None:
        what = _("{outcome} for customer #{id}").format(outcome=outcome_words(outcome), id=self.customer_id)
        self.shop.remember(Undoable("call", call_id, self.customer_id, what))
        self._saved(_("Logged: {outcome} (u: undo).").format(outcome=outcome_words(outcome)))
        self.shop.call_logged.publish((self.customer_id, outcome))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "given":
            return bool(self.promises)
        if action in ("outcome", "call", "points", "note"):
            if self.card is None or self.card.customer["forgotten_at"]:
                return False
            if action == "outcome" and parameters == ("wrong_number",) and not self.card.customer["phone"]:
                return False
        return True

    def action_given(self) -> None:
        """Mark the earliest due open promise given (a bonus adds its points), as `g` does on Today."""
        if self.promises:
            self._give(self.promises[0])

    @work(thread=True, group="write", exit_on_error=False)
    def _give(self, promise: calls.PromiseRecord) -> None:
        points = promise.amount if promise.kind == "bonus" else None
        with self.shop.open_store() as store:
            calls.close_promise(store, promise.id, "given", points=points)
        self.app.call_from_thread(self._given, promise)

    def _given(self, promise: calls.PromiseRecord) -> None:
        self.shop.promise_closed.publish((promise.customer_id, promise.id))
        self._saved(given_words(promise, self.metrics.currency if self.metrics is not None else None))

    def action_outcome(self, outcome: str) -> None:
        """The same outcome keys as on Today, for this customer; a wrong number (it erases the phone) asks first."""
        if self.card is None:
            return
        if outcome == "call_later":
            from shopkeep.tui.screens.today import CallLaterModal

            self.app.push_screen(
                CallLaterModal(self.shop.as_of),
                lambda when: self._write_call(CallOutcome(outcome, callback_on=when)) if when else None,
            )
        elif outcome == "wrong_number":
            question = _("Mark this phone number as wrong?")
            detail = _("It is taken off the customer (an import will not bring it back); u undoes it.")
            self.app.push_screen(
                ConfirmModal(question, detail), lambda yes: self._write_call(CallOutcome(outcome)) if yes else None
            )
        else:
            self._write_call(CallOutcome(outcome))

    def _saved(self, message: str) -> None:
        self.notify(message)
        self._load()
        self.shop.refresh_retention()
        self.refresh_bindings()

    def points_target(self) -> tuple[int, str, int] | None:
        if self.card is None:
            return None
        return self.customer_id, plain(self.card.customer["name"] or _customer(self.customer_id)).plain, self.points

    def points_written(self, message: str) -> None:
        self._saved(message)

    def action_referrer(self) -> None:
        self.app.push_screen(ReferrerModal(self.customer_id), self._save_referrer)

    def _save_referrer(self, referrer_id: int | None) -> None:
        if referrer_id is not None:
            self._write_referrer(referrer_id)

    @work(thread=True, group="write", exit_on_error=False)
    def _write_referrer(self, referrer_id: int) -> None:
        with self.shop.open_store() as store:
            referrals.link_referral(store, self.customer_id, referrer_id)
        saved = _("Saved: customer #{id} sent this customer.").format(id=referrer_id)
        self.app.call_from_thread(self._saved, saved)

    def action_copy_phone(self) -> None:
        phone = self.card.customer["phone"] if self.card else None
        if phone:
            self.app.copy_to_clipboard(phone)
            self.notify(_("Phone number copied."))
        else:
            self.notify(_("No phone number on this card."), severity="warning")
