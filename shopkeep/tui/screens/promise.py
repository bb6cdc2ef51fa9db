"""The promise dialog on Today (key m): compensation promised during a call — a refund, a credit,
bonus points or something else — with the day it is due. The screen keeps it until the call is logged."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Select

from shopkeep.clock import parse_day_ahead
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _
from shopkeep.tui.base import ShopModal
from shopkeep.tui.safe import plain

if TYPE_CHECKING:
    from shopkeep.calls import Promise

PROMISE_DAYS = 7  # the due day offered first
KIND_CHOICES = [
    (N_("Refund"), "refund"),
    (N_("Credit"), "credit"),
    (N_("Bonus points"), "bonus"),
    (N_("Other"), "other"),
]


class PromiseModal(ShopModal["Promise | None"]):
    """Returns the promise (amount in minor units, or points for a bonus), or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]
    DEFAULT_CSS = """
    PromiseModal .dialog { width: 70; }
    PromiseModal #promise-error { color: $error; }
    """

    def __init__(self, as_of: dt.date, currency: str) -> None:
        super().__init__()
        self.as_of = as_of
        self.currency = currency

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content.styled(_("Promise compensation (saved with the next call you log)"), "bold"))
            kinds = [(_(label), kind) for label, kind in KIND_CHOICES]
            yield Select(kinds, value="refund", allow_blank=False, id="promise-kind")
            amount = _("Amount in {currency} (points for a bonus)").format(currency=self.currency.upper())
            yield Input(placeholder=amount, id="promise-amount")
            yield Input(placeholder=_("What exactly (optional)"), id="promise-what")
            yield Label(_("Due on (YYYY-MM-DD, or +days):"))
            yield Input(value=(self.as_of + dt.timedelta(days=PROMISE_DAYS)).isoformat(), id="promise-due")
            yield Label("", id="promise-error")
            yield Label(Content.styled(_("Enter saves · Esc cancels"), "dim"))

    def on_mount(self) -> None:
        self.query_one("#promise-amount", Input).focus()

    @on(Select.Changed, "#promise-kind")
    def _kind(self, event: Select.Changed) -> None:
        unit = (
            _("Points") if event.value == "bonus" else _("Amount in {currency}").format(currency=self.currency.upper())
        )
        self.query_one("#promise-amount", Input).placeholder = unit

    def build(self) -> Promise:
        from shopkeep.calls import Promise, promise_amount

        kind = str(self.query_one("#promise-kind", Select).value)
        amount = promise_amount(self.query_one("#promise-amount", Input).value, kind, self.currency)
        due = parse_day_ahead(self.query_one("#promise-due", Input).value, self.as_of)
        what = self.query_one("#promise-what", Input).value.strip() or None
        return Promise(kind=kind, due_on=due, amount=amount, description=what)

    @on(Input.Submitted)
    def _done(self) -> None:
        try:
            self.dismiss(self.build())
        except ShopkeepError as exc:
            self.query_one("#promise-error", Label).update(plain(str(exc)))

    def action_cancel(self) -> None:
        self.dismiss(None)
