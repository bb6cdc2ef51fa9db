"""Promises as people type and read them: the amount typed (money in the shop's currency, or points for
a bonus) and the one line that says what was promised."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopkeep import money
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _, format_date, ngettext

if TYPE_CHECKING:
    pass
from shopkeep.calls.inputs import PromiseRecord
from shopkeep.calls.writes import Promise

# What a promise is, as people read it (the kind is the key).
PROMISE_LABELS = {"refund": N_("refund"), "credit": N_("credit"), "bonus": N_("bonus"), "other": N_("other")}


def what_was_promised(promise: PromiseRecord, currency: str | None) -> str:
    kind = _(PROMISE_LABELS[promise.kind]) if promise.kind in PROMISE_LABELS else promise.kind
    if promise.amount is None:
        return kind
    if promise.kind == "bonus":
        return ngettext("bonus of {n} point", "bonus of {n} points", promise.amount).format(n=promise.amount)
    return _("{kind} of {amount}").format(kind=kind, amount=_promise_money(promise.amount, currency))


def promise_amount(text: str, kind: str, currency: str) -> int | None:
    """What the owner typed as the amount: points for a bonus, else money in major units of `currency`
    ('12.50', '12,50'), returned in minor units. Empty means no amount; more decimals than the
    currency has are refused."""
    text = text.strip()
    if not text:
        return None
    if kind == "bonus":
        text = text.replace(" ", "")
        if not text.isdigit() or int(text) <= 0:
            raise ShopkeepError(_("a bonus is a whole number of points above 0"))
        return int(text)
    minor = money.parse(text, currency)
    if minor <= 0:
        raise ShopkeepError(_("the amount must be above 0 {currency}").format(currency=currency.upper()))
    return minor


def _promise_money(minor: int, currency: str | None) -> str:
    """A promised amount in the shop's currency; without one (no order yet, no setting) it cannot be shown
    as money, so it says so rather than show minor units as if they were major ones."""
    if currency is None:
        return ngettext("{n} minor unit", "{n} minor units", minor).format(n=minor)
    return money.format(minor, currency, compact=True)


def promise_text(promise: PromiseRecord | Promise, currency: str | None) -> str:
    """E.g. 'refund of 25 zł due 2026-11-30' (display only)."""
    what = what_was_promised(promise, currency)  # type: ignore[arg-type]  # a Promise has the same fields
    return _("{what} due {day}").format(what=what, day=format_date(promise.due_on))
