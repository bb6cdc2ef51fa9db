"""Why a customer stopped buying: the one registry of churn reasons.

Each `Reason` says its key (stored with calls and scripts), its label (shown; translated with `label`),
and, if the list can tell it from someone's orders, the check that recognises it and where that check
comes in the order of checks (the first that holds wins; none holding means `FALLBACK`). Everything else
derives from `REASONS`: `scripts.REASONS` (the keys, in the order the picker shows them),
`calls.REASON_LABELS`, `calls.suggest_reason`. Each reason also needs a default script in every language
(`scripts._DEFAULTS`) and a message for customers without a phone (`messages._TEXTS`):
tests/calls/test_reasons.py fails when one is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopkeep.i18n import N_, _

if TYPE_CHECKING:
    from shopkeep.calls import CallSettings, OrderRecord

# A check: from a customer's orders (oldest first), the list's settings and whether a promise to them is
# late, the evidence in plain words that this is why they stopped buying; None when it is not.
Check = Callable[["Sequence[OrderRecord]", "CallSettings", bool], "str | None"]


@dataclass(frozen=True)
class Reason:
    key: str
    label: str  # marked with N_; shown through `label()`
    check: Check | None = None  # None: never told from orders (picked by the owner, or by the kind of call)
    check_order: int | None = None  # the checks run lowest first; the first that holds wins


def _bought(orders: Sequence[OrderRecord]) -> list[OrderRecord]:
    return [o for o in orders if o.kind == "order" and o.total > 0]


def _compensation(orders: Sequence[OrderRecord], settings: CallSettings, promise_late: bool) -> str | None:
    return _("promised compensation is late") if promise_late else None


def _let_down(orders: Sequence[OrderRecord], settings: CallSettings, promise_late: bool) -> str | None:
    return _("a recent order was refunded or cancelled") if any(o.troubled for o in list(orders)[-3:]) else None


def _delivery(orders: Sequence[OrderRecord], settings: CallSettings, promise_late: bool) -> str | None:
    bought = _bought(orders)
    total = sum(o.total for o in bought)
    shipping = sum(o.shipping for o in bought)
    if total and shipping * 100 >= settings.delivery_share_percent * total:
        return _("delivery was {share}% of what they paid").format(share=shipping * 100 // total)
    return None


def _prices(orders: Sequence[OrderRecord], settings: CallSettings, promise_late: bool) -> str | None:
    bought = _bought(orders)
    if len(bought) >= 2 and all(o.discount > 0 or o.discount_code for o in bought):
        return _("every order used a discount")
    return None


def _moved(orders: Sequence[OrderRecord], settings: CallSettings, promise_late: bool) -> str | None:
    cities = [o.city.strip().casefold() for o in _bought(orders) if o.city and o.city.strip()]
    return _("the last order went to another city") if len(cities) >= 2 and cities[-1] != cities[-2] else None


# In the order the reason picker lists them.
REASONS: tuple[Reason, ...] = (
    Reason("forgot", N_("forgot about us")),  # FALLBACK: what is left when no check holds
    Reason("delivery", N_("delivery cost"), _delivery, check_order=3),
    Reason("prices", N_("prices"), _prices, check_order=4),
    Reason("moved", N_("moved"), _moved, check_order=5),
    Reason("let_down", N_("let down"), _let_down, check_order=2),
    Reason("compensation", N_("compensation late"), _compensation, check_order=1),
    Reason("first_purchase", N_("first purchase")),  # the welcome call's reason (calls.build_list)
    Reason("other", N_("other")),
)
FALLBACK = "forgot"
KEYS: tuple[str, ...] = tuple(r.key for r in REASONS)
BY_KEY: dict[str, Reason] = {r.key: r for r in REASONS}
CHECKS: tuple[Reason, ...] = tuple(
    sorted((r for r in REASONS if r.check is not None), key=lambda r: r.check_order or 0)
)


def label(key: str) -> str:
    """The reason's label in the language in use (an unknown key as it is, words apart)."""
    reason = BY_KEY.get(key)
    return _(reason.label) if reason is not None else key.replace("_", " ")


def labels() -> dict[str, str]:
    """Every reason's label in the language in use, by key, in the order the picker shows them."""
    return {r.key: _(r.label) for r in REASONS}


def suggest(orders: Sequence[OrderRecord], settings: CallSettings, *, promise_late: bool = False) -> tuple[str, str]:
    """The likely reason a customer stopped buying, with the evidence in plain words: the first check that
    holds, in `check_order`; else `FALLBACK` with no evidence."""
    for reason in CHECKS:
        assert reason.check is not None
        evidence = reason.check(orders, settings, promise_late)
        if evidence is not None:
            return reason.key, evidence
    return FALLBACK, ""
