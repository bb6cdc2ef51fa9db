"""Loyalty points and tiers.

Points live in an append-only ledger: every change is an entry (customer, delta, reason, reference,
moment, idempotency key) and the balance is their sum. Purchase points are computed once per order
with the rate that applied then and are never recomputed; a refund is a reversing entry. Tiers
follow the net spend of the last 12 months. Rules are a pydantic model stored in the settings.

Rules count money in "units" of a price level: so many units of the shop currency that buy roughly
what 1 EUR does (shopkeep.money.price_level: 1 EUR, 5 PLN, 100 BDT, 0.5 KWD), so that "1 point per
unit" and "Silver from 300 a year" mean the same in every currency. A shop may set its own level;
rules saved before levels existed keep their meaning (1 unit = 1 of the currency).
"""

from __future__ import annotations

import calendar
import datetime as dt
import sqlite3
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shopkeep import money, shop
from shopkeep.clock import day_after
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _, format_date, ngettext
from shopkeep.store import Store, sales
from shopkeep.store import customers as customers_sql
from shopkeep.store import lookup as lookup_sql
from shopkeep.store import loyalty as sql

# Reasons an entry can have (the ledger's `reason` column).
REASONS = (
    "purchase",
    "refund",
    "review",
    "follow",
    "newsletter",
    "birthday",
    "bonus",
    "apology",
    "referral",
    "redeem",
    "expiry",
    "adjust",
)
# What a ledger entry's reason is called where people read it.
REASON_LABELS = {
    "purchase": N_("purchase"),
    "refund": N_("refund"),
    "review": N_("review"),
    "follow": N_("follow"),
    "newsletter": N_("newsletter"),
    "birthday": N_("birthday"),
    "bonus": N_("bonus"),
    "apology": N_("apology"),
    "referral": N_("referral"),
    "redeem": N_("redeem"),
    "expiry": N_("expiry"),
    "adjust": N_("adjust"),
}


def reason_label(reason: str) -> str:
    """A ledger reason in the language in use ('purchase' -> 'zakup')."""
    return _(REASON_LABELS[reason]) if reason in REASON_LABELS else reason


# Non-purchase actions the owner rewards, with how often each may earn.
ACTIONS = ("review", "follow", "newsletter", "birthday")


class LoyaltyError(ShopkeepError):
    """A points operation that cannot be done as asked."""


class NotEnoughPoints(LoyaltyError):
    pass


class Tier(BaseModel):
    """A tier reached by net spend over the last 12 months (`min_spend` in units of the price level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    min_spend: int = Field(ge=0)
    benefits: str = ""


DEFAULT_TIERS = (
    # Names and benefits are the owner's words once changed; these defaults are shown translated (`_`).
    Tier(name=N_("Bronze"), min_spend=0, benefits=N_("Points on every order")),
    Tier(name=N_("Silver"), min_spend=300, benefits=N_("Points on every order, free delivery once a quarter")),
    Tier(name=N_("Gold"), min_spend=800, benefits=N_("Free delivery, early access to new products, a birthday gift")),
    Tier(
        name=N_("VIP"),
        min_spend=2000,
        benefits=N_("Free fast delivery, a personal contact, priority service, limited items first"),
    ),
)


class LoyaltyRules(BaseModel):
    """Earning, expiry and tier rules. A change applies from then on, never to points already earned."""

    model_config = ConfigDict(extra="forbid")

    points_per_unit: Decimal = Field(default=Decimal(1), ge=0)  # per unit (price level) of net spend
    # units of the shop currency that make one unit of these rules; None: the currency's usual level
    price_level: Decimal | None = Field(default=None, gt=0)
    review_points: int = Field(default=50, ge=0)
    follow_points: int = Field(default=20, ge=0)
    newsletter_points: int = Field(default=20, ge=0)
    birthday_points: int = Field(default=100, ge=0)
    surprise_bonus_points: int = Field(default=100, ge=0)
    apology_bonus_points: int = Field(default=200, ge=0)
    referrer_points: int = Field(default=200, ge=0)  # for the customer who brought a friend
    referred_points: int = Field(default=100, ge=0)  # for the friend, on their first paid order
    expiry_months: int = Field(default=12, ge=0)  # months without an order; 0 = points never expire
    expiring_warn_days: int = Field(default=30, ge=0)
    close_to_next_within: int = Field(default=50, ge=0)  # units (price level) missing to the next tier
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    # The day the programme starts: orders placed before it earn no points. None until the first import
    # (which sets it to that day, see `ensure_start_day`); the owner may move it (`points rules --set`).
    start_day: dt.date | None = None

    @field_validator("tiers")
    @classmethod
    def _tiers_ladder(cls, tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
        if not tiers or tiers[0].min_spend != 0:
            raise ValueError(_("the first tier must start at 0"))
        spends = [t.min_spend for t in tiers]
        if spends != sorted(set(spends)):
            raise ValueError(_("tiers must have strictly rising thresholds"))
        if len({t.name for t in tiers}) != len(tiers):
            raise ValueError(_("tier names must be unique"))
        return tiers

    def action_points(self, action: str) -> int:
        return getattr(self, f"{action}_points")

    def level(self, currency: str, shop_currency: str | None = None) -> Decimal:
        """How many units of `currency` one unit of these rules is. The shop's own level applies to the
        shop currency (`shop_currency`, default `currency`); any other currency, and a shop that set
        none, use the currency's usual level (1 when shopkeep knows none)."""
        if self.price_level is not None and currency.upper() == (shop_currency or currency).upper():
            return self.price_level
        return money.price_level(currency) or Decimal(1)

    def unit_minor(self, currency: str, shop_currency: str | None = None) -> Decimal:
        """Minor units of `currency` in one unit of these rules (100 BDT: 10000; 0.5 KWD: 500)."""
        return money.minor_units(self.level(currency, shop_currency), currency)

    def thresholds(self, currency: str) -> list[int]:
        """Each tier's `min_spend` in minor units of the shop currency `currency` (rounded up)."""
        unit = self.unit_minor(currency)
        return [int((t.min_spend * unit).to_integral_value(rounding=ROUND_CEILING)) for t in self.tiers]


# Rules saved before price levels existed meant 1 unit = 1 of the shop currency, and still do.
LEGACY_PRICE_LEVEL = Decimal(1)


def load_rules(store: Store) -> LoyaltyRules:
    raw = store.get_setting(sql.RULES_KEY)
    if raw is None:
        return LoyaltyRules()
    if isinstance(raw, dict) and "price_level" not in raw:
        raw = {**raw, "price_level": LEGACY_PRICE_LEVEL}
    try:
        return LoyaltyRules.model_validate(raw)
    except ValidationError as exc:
        count = exc.error_count()
        raise LoyaltyError(
            ngettext(
                "the loyalty rules in the settings are invalid ({n} problem)",
                "the loyalty rules in the settings are invalid ({n} problems)",
                count,
            ).format(n=count)
        ) from None


def change_rules(rules: LoyaltyRules, changes: dict[str, str]) -> LoyaltyRules:
    """The rules with some fields changed (not the tiers), validated; a clear error for a bad field or value."""
    editable = set(LoyaltyRules.model_fields) - {"tiers"}
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise LoyaltyError(
            _("unknown rule {rule!r}; rules are {names}").format(rule=unknown[0], names=", ".join(sorted(editable)))
        )
    if changes.get("price_level", "x").strip().lower() in ("", "default", "none"):
        changes = {**changes, "price_level": None}  # back to the currency's usual level
    if "start_day" in changes:
        try:
            changes = {**changes, "start_day": dt.date.fromisoformat(changes["start_day"].strip())}
        except ValueError:
            raise LoyaltyError(
                _("start_day: not a day {text!r} (write it as YYYY-MM-DD)").format(text=changes["start_day"])
            ) from None
    try:
        return LoyaltyRules.model_validate({**rules.model_dump(), **changes})
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise LoyaltyError(f"{problem['loc'][0]}: {_rule_problem(problem)}") from None


# pydantic's words for the problems a rule's value can have, in the owner's language (its own are English).
_RULE_PROBLEMS = {
    "int_parsing": N_("{text!r} is not a whole number"),
    "int_from_float": N_("{text!r} is not a whole number"),
    "decimal_parsing": N_("{text!r} is not a number"),
    "float_parsing": N_("{text!r} is not a number"),
    "finite_number": N_("{text!r} is not a number"),
    "greater_than_equal": N_("must be {limit} or more"),
    "greater_than": N_("must be more than {limit}"),
}


def _rule_problem(problem: Mapping[str, Any]) -> str:
    words = _RULE_PROBLEMS.get(problem["type"])
    if words is None:
        return str(problem["msg"])
    limit = next(iter((problem.get("ctx") or {}).values()), "")
    return _(words).format(text=str(problem.get("input", "")), limit=limit)


def save_rules(store: Store, rules: LoyaltyRules) -> None:
    store.set_setting(sql.RULES_KEY, rules.model_dump(mode="json"))


# -- the ledger --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: int
    customer_id: int
    delta: int
    reason: str
    reference: str | None
    created_at: str
    idempotency_key: str | None
    note: str | None


@dataclass(frozen=True)
class PointsChange:
    """A points adjustment the owner typed: positive adds (`add_points`), negative redeems (`redeem`)."""

    points: int
    note: str = ""


def balance(store: Store, customer_id: int) -> int:
    return sql.balance(store, customer_id)


def history(store: Store, customer_id: int) -> list[Entry]:
    return [Entry(**row) for row in sql.entries(store, customer_id)]


def _check_customer(store: Store, customer_id: int) -> None:
    if not customers_sql.customer_exists(store, customer_id):
        raise LoyaltyError(_("no customer #{id}").format(id=customer_id))


def add_points(
    store: Store,
    customer_id: int,
    points: int,
    *,
    reason: str = "adjust",
    note: str | None = None,
    key: str | None = None,
    reference: str | None = None,
) -> Entry | None:
    """A manual award (now). With `key`, a second call with the same key adds nothing (returns None)."""
    if points <= 0:
        raise LoyaltyError(_("points to add must be a positive whole number, not {points}").format(points=points))
    if reason not in REASONS or reason in ("purchase", "refund", "redeem", "expiry"):
        raise LoyaltyError(_("not a reason to add points: {reason}").format(reason=reason))
    with store.write() as conn:
        _check_customer(store, customer_id)
        entry_id = sql.insert_entry(
            conn,
            customer_id=customer_id,
            delta=points,
            reason=reason,
            created_at=store.clock.now_iso(),
            reference=reference,
            key=key,
            note=note,
        )
    return None if entry_id is None else _entry(store, entry_id)


def redeem(store: Store, customer_id: int, points: int, *, note: str | None = None, key: str | None = None) -> Entry:
    """Spend points. Refused (nothing written) when the balance is smaller: of two racing redemptions
    of the same points exactly one wins, because the check and the entry share one BEGIN IMMEDIATE."""
    if points <= 0:
        raise LoyaltyError(_("points to redeem must be a positive whole number, not {points}").format(points=points))
    with store.write() as conn:
        _check_customer(store, customer_id)
        have = sql.balance(store, customer_id)
        if points > have:
            raise NotEnoughPoints(
                ngettext(
                    "customer #{id} has {have} point; cannot redeem {points}",
                    "customer #{id} has {have} points; cannot redeem {points}",
                    have,
                ).format(id=customer_id, have=have, points=points)
            )
        try:
            entry_id = sql.insert_entry(
                conn,
                customer_id=customer_id,
                delta=-points,
                reason="redeem",
                created_at=store.clock.now_iso(),
                key=key,
                note=note,
            )
        except sqlite3.IntegrityError as exc:  # the trigger: a balance never goes below zero
            raise NotEnoughPoints(f"customer #{customer_id}: {exc}") from None
    if entry_id is None:
        raise LoyaltyError(_("this redemption was already recorded (key {key})").format(key=key))
    return _entry(store, entry_id)


def award_action(
    store: Store, customer_id: int, action: str, when: dt.date, *, note: str | None = None
) -> Entry | None:
    """Points for a non-purchase action. Follow and newsletter earn once per customer, a birthday once a
    year, a review once per day. None when it was already rewarded (or the rule gives 0 points)."""
    if action not in ACTIONS:
        raise LoyaltyError(
            _("not an action that earns points: {action} (one of {names})").format(
                action=action, names=", ".join(ACTIONS)
            )
        )
    points = load_rules(store).action_points(action)
    if points == 0:
        return None
    period = {"review": when.isoformat(), "birthday": str(when.year)}.get(action, "once")
    key = f"action:{action}:{customer_id}:{period}"
    return add_points(store, customer_id, points, reason=action, note=note, key=key)


def give_bonus(store: Store, customer_id: int, *, apology: bool = False, note: str | None = None) -> Entry | None:
    """The surprise bonus, or the apology bonus after a complaint, in the amount the rules say."""
    rules = load_rules(store)
    points = rules.apology_bonus_points if apology else rules.surprise_bonus_points
    if points == 0:
        return None
    return add_points(store, customer_id, points, reason="apology" if apology else "bonus", note=note)


def _entry(store: Store, entry_id: int) -> Entry:
    row = store.one(
        "SELECT id, customer_id, delta, reason, reference, created_at, idempotency_key, note"
        " FROM loyalty_ledger WHERE id = ?",
        (entry_id,),
    )
    assert row is not None
    return Entry(**row)


# -- the start day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StartDay:
    day: dt.date
    newly_set: bool  # set just now (the first import, or a ledger older than start days)

    def line(self) -> str:
        return _(
            "loyalty starts on {day}: earlier orders earn no points (shopkeep points rules --set start_day=YYYY-MM-DD)"
        ).format(day=format_date(self.day))


def ensure_start_day(store: Store, as_of: dt.date) -> StartDay | None:
    """The programme's start day, set when it is not yet: a ledger that already holds purchase points
    (a database from before start days) starts on the day of the earliest order that earned, so that
    its ledger stays as it is; otherwise the first import starts it on `as_of` (its day). None while
    the shop has no order at all."""
    rules = load_rules(store)
    if rules.start_day is not None:
        return StartDay(rules.start_day, newly_set=False)
    with store.write():
        rules = load_rules(store)  # again, under the write lock: another process may have set it
        if rules.start_day is not None:
            return StartDay(rules.start_day, newly_set=False)
        earliest = sql.earliest_purchase_award(store)
        if earliest is not None:
            day = min(dt.date.fromisoformat(earliest[:10]), as_of)
        elif sql.has_orders(store):
            day = as_of
        else:
            return None
        save_rules(store, rules.model_copy(update={"start_day": day}))
    return StartDay(day, newly_set=True)


# -- purchase points -------------------------------------------------------------------------


def purchase_points(amount_minor: int, unit_minor: Decimal, rate: Decimal) -> int:
    """Points for spending `amount_minor`, at `rate` points per `unit_minor`: whole points, rounded down."""
    points = Decimal(amount_minor) * rate / unit_minor
    return int(points.to_integral_value(rounding=ROUND_FLOOR))


@dataclass
class SyncResult:
    orders_awarded: int = 0
    points_awarded: int = 0
    orders_reversed: int = 0
    points_reversed: int = 0
    points_not_reversed: int = 0  # already spent: a balance never goes below zero

    @property
    def changed(self) -> bool:
        return bool(self.orders_awarded or self.orders_reversed)


def sync_purchase_points(store: Store, as_of: dt.date) -> SyncResult:
    """Award paid orders placed from the start day (the rules' `start_day`; none: every order) up to
    `as_of` that have no award yet, and reverse the awards of orders refunded, cancelled or voided since
    (partial refunds proportionally). Idempotent. Streams: memory stays bounded whatever the history.

    An award is computed once, with the rate in force when it is made, and dated with the order;
    reversals take back a share of that award, so a later rate change never touches it.
    """
    rules = load_rules(store)
    shop = shop_currency(store)
    start = rules.start_day.isoformat() if rules.start_day is not None else ""
    result = SyncResult()
    owed: list[tuple[dict, int, str]] = []  # (order, points to take back, idempotency key): refunds, few
    with store.write() as conn:
        # The candidates come out of a sort, computed before the first row: inserting awards while
        # reading them changes nothing read.
        for chunk in sql.purchase_candidates(store, start, day_after(as_of)):
            awards: list[dict] = []
            for order in chunk:
                total, ref, currency = order["total"], f"order:{order['id']}", order["currency"]
                unit = rules.unit_minor(currency, shop)
                if order["kind"] == "credit":
                    owed.append((order, purchase_points(-total, unit, rules.points_per_unit), f"{ref}:credit"))
                    continue
                earned = order["earned"]
                if not order["awarded"]:
                    earned = purchase_points(total, unit, rules.points_per_unit)
                    if earned > 0:
                        awards.append(
                            {
                                "customer_id": order["customer_id"],
                                "delta": earned,
                                "reason": "purchase",
                                "created_at": order["ordered_at"],
                                "reference": ref,
                                "key": f"{ref}:earn",
                                "note": f"{rules.points_per_unit} points per {rules.level(currency, shop)} {currency}",
                            }
                        )
                if sales.is_undone(order["status"]):
                    target, key = earned, f"{ref}:refund"
                elif order["refunded"] > 0 and total > 0:
                    share = min(order["refunded"], total)
                    target, key = earned * share // total, f"{ref}:refund:{share}"
                else:
                    continue
                if target + order["reversed"] > 0:
                    owed.append((order, target + order["reversed"], key))
            awards.sort(key=lambda a: a["key"])  # in index order: inserting stays fast
            sql.insert_entries(conn, awards)
            result.orders_awarded += len(awards)
            result.points_awarded += sum(a["delta"] for a in awards)
        owed.sort(key=lambda o: (o[0]["ordered_at"], o[0]["id"]))
        for order, points, key in owed:
            if sql.key_exists(store, key):
                continue
            cid = order["customer_id"]
            taken = min(points, sql.balance(store, cid))
            result.points_not_reversed += points - taken
            if taken <= 0:
                continue
            sql.insert_entry(
                conn,
                customer_id=cid,
                delta=-taken,
                reason="refund",
                created_at=max(order["updated_at"], order["ordered_at"]),
                reference=f"order:{order['id']}",
                key=key,
                note=None if taken == points else f"{points - taken} points were already spent",
            )
            result.orders_reversed += 1
            result.points_reversed += taken
    return result


# -- expiry ----------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Expiring:
    customer_id: int
    points: int
    expires_on: dt.date


def _expiries(store: Store, as_of: dt.date, customer_id: int | None = None) -> list[Expiring]:
    """Every balance with the day it expires: N months after the last order (for a customer who never
    ordered, after the last points they earned)."""
    rules = load_rules(store)
    if rules.expiry_months == 0:
        return []
    found = []
    for row in sql.balances_with_activity(store, day_after(as_of), customer_id):
        last = row["last_order"] or row["last_earned"]
        if last:
            expires_on = add_months(dt.date.fromisoformat(last), rules.expiry_months)
            found.append(Expiring(row["customer_id"], row["points"], expires_on))
    return found


def points_expiring(store: Store, customer_id: int, as_of: dt.date) -> Expiring | None:
    """The customer's points if they expire within the warning window after `as_of`, else None."""
    horizon = as_of + dt.timedelta(days=load_rules(store).expiring_warn_days)
    for item in _expiries(store, as_of, customer_id):
        if as_of <= item.expires_on <= horizon:
            return item
    return None


def expiring_soon(store: Store, as_of: dt.date, within_days: int | None = None) -> list[Expiring]:
    """Everyone whose points expire within `within_days` (default: the rules' warning window), soonest first."""
    days = load_rules(store).expiring_warn_days if within_days is None else within_days
    horizon = as_of + dt.timedelta(days=days)
    found = [e for e in _expiries(store, as_of) if as_of <= e.expires_on <= horizon]
    return sorted(found, key=lambda e: (e.expires_on, -e.points, e.customer_id))


def expire_points(store: Store, as_of: dt.date) -> int:
    """Write an expiry entry for every balance whose expiry day has passed; returns points expired."""
    with store.write() as conn:
        due = [
            sql.ExpiryRow(
                item.customer_id,
                -item.points,
                f"{item.expires_on.isoformat()}T00:00:00",
                f"expiry:{item.customer_id}:{item.expires_on.isoformat()}",
            )
            for item in _expiries(store, as_of)
            if item.expires_on < as_of
        ]
        return sql.insert_expiries(conn, due)


# -- tiers -----------------------------------------------------------------------------------


def _window(as_of: dt.date) -> tuple[str, str]:
    """The last 12 months up to and including `as_of`, as [start, end) days."""
    return (add_months(as_of, -12) + dt.timedelta(days=1)).isoformat(), day_after(as_of)


def tier_for_spend(rules: LoyaltyRules, spend_minor: int, currency: str, thresholds: list[int] | None = None) -> Tier:
    """The highest tier whose threshold `spend_minor` (of the shop currency) reaches (a threshold counts
    as reached); the first tier for a spend below zero (credit notes in the year). Pass
    `rules.thresholds(currency)` when asking for many customers."""
    return rules.tiers[max(bisect_right(thresholds or rules.thresholds(currency), spend_minor) - 1, 0)]


def next_tier(rules: LoyaltyRules, tier: Tier) -> Tier | None:
    names = [t.name for t in rules.tiers]
    i = names.index(tier.name)
    return rules.tiers[i + 1] if i + 1 < len(rules.tiers) else None


def shop_currency(store: Store) -> str:
    """The shop's currency (shopkeep.shop), EUR for an empty shop."""
    return shop.shop_currency(store) or "EUR"


def spend_12m(store: Store, customer_id: int, as_of: dt.date) -> int:
    """Net spend (minor units of the shop currency) in the 12 months up to `as_of`."""
    start, end = _window(as_of)
    return sql.spend_between(store, start, end, shop_currency(store), customer_id).get(customer_id, 0)


def tier_of(store: Store, customer_id: int, as_of: dt.date) -> Tier:
    rules = load_rules(store)
    currency = shop_currency(store)
    return tier_for_spend(rules, spend_12m(store, customer_id, as_of), currency)


@dataclass(frozen=True)
class TierChange:
    customer_id: int
    from_tier: str | None
    to_tier: str


def refresh_tiers(store: Store, as_of: dt.date) -> list[TierChange]:
    """Record in `tier_changes` every customer whose tier as of `as_of` differs from the last recorded
    one (no record = the first tier). Running it again for the same day records nothing. The spends and
    tiers are worked out by SQLite (tier_moves): no order is read into Python."""
    rules = load_rules(store)
    currency = shop_currency(store)
    start, end = _window(as_of)
    ladder = list(zip(rules.thresholds(currency), (t.name for t in rules.tiers), strict=True))
    with store.write() as conn:
        changes = [
            TierChange(cid, before, tier) for cid, before, tier in sql.tier_moves(store, start, end, currency, ladder)
        ]
        sql.insert_tier_changes(
            conn, [sql.TierChangeRow(c.customer_id, c.from_tier, c.to_tier, as_of.isoformat()) for c in changes]
        )
    return changes


@dataclass(frozen=True)
class NearTier:
    customer_id: int
    tier: str
    next_tier: str
    spend: int  # minor units, last 12 months
    missing: int  # minor units still to spend


def close_to_next_tier(store: Store, as_of: dt.date, within: int | None = None) -> list[NearTier]:
    """Customers who need at most `within` minor units more (default: the rules' `close_to_next_within`
    major units) to reach the next tier, those needing least first."""
    rules = load_rules(store)
    currency = shop_currency(store)
    limit = int(rules.close_to_next_within * rules.unit_minor(currency)) if within is None else within
    ladder = rules.thresholds(currency)
    start, end = _window(as_of)
    found = []
    for cid, spend in sql.spend_between(store, start, end, currency).items():
        tier = tier_for_spend(rules, spend, currency, ladder)
        up = next_tier(rules, tier)
        if up is not None and ladder[rules.tiers.index(up)] - spend <= limit:
            found.append(NearTier(cid, tier.name, up.name, spend, ladder[rules.tiers.index(up)] - spend))
    return sorted(found, key=lambda n: (n.missing, n.customer_id))


@dataclass(frozen=True)
class CustomerLoyalty:
    points: int
    tier: str
    referrals: int  # customers they brought (not flagged)


def summary_for_all(store: Store, as_of: dt.date) -> dict[int, CustomerLoyalty]:
    """Points, tier and referrals of every customer, from one query (for the card list and the export)."""
    rules = load_rules(store)
    currency = shop_currency(store)
    start, end = _window(as_of)
    ladder = rules.thresholds(currency)
    return {
        cid: CustomerLoyalty(points, tier_for_spend(rules, spend, currency, ladder).name, referred)
        for cid, points, spend, referred in sql.summary_rows(store, start, end, currency)
    }


@dataclass(frozen=True)
class Standing:
    """One customer on the Loyalty screen."""

    customer_id: int
    name: str | None  # None once forgotten
    points: int
    tier: str
    expiring: Expiring | None  # points that expire within the warning window
    near: NearTier | None  # close to the next tier


@dataclass(frozen=True)
class Overview:
    currency: str
    standings: list[Standing]  # everyone, most points first
    expiring: list[Standing]  # points expiring soon, soonest first
    near: list[Standing]  # close to the next tier, those needing least first
    tier_counts: dict[str, int]  # customers per tier, in ladder order

    @property
    def points_outstanding(self) -> int:
        return sum(s.points for s in self.standings)


def overview(store: Store, as_of: dt.date) -> Overview:
    """Balances, tiers, expiring points and who is close to the next tier, for every customer at once
    (one pass over the orders of the last 12 months: the same figures as `summary_for_all`,
    `expiring_soon` and `close_to_next_tier`)."""
    with store.snapshot():
        rules = load_rules(store)
        currency = shop_currency(store)
        start, end = _window(as_of)
        rows = sql.summary_rows(store, start, end, currency)
        expiring = {e.customer_id: e for e in expiring_soon(store, as_of)}
        names = {r["id"]: r["name"] for r in lookup_sql.searchable_customers(store)}
    limit = int(rules.close_to_next_within * rules.unit_minor(currency))
    ladder = rules.thresholds(currency)
    by_id: dict[int, Standing] = {}
    for cid, points, spend, _referred in rows:
        tier = tier_for_spend(rules, spend, currency, ladder)
        up = next_tier(rules, tier)
        missing = None if up is None else ladder[rules.tiers.index(up)] - spend
        near = NearTier(cid, tier.name, up.name, spend, missing) if up and missing <= limit else None
        by_id[cid] = Standing(cid, names.get(cid), points, tier.name, expiring.get(cid), near)
    counts = {t.name: 0 for t in rules.tiers}
    for standing in by_id.values():
        counts[standing.tier] += 1
    return Overview(
        currency=currency,
        standings=sorted(by_id.values(), key=lambda s: (-s.points, s.customer_id)),
        expiring=[by_id[cid] for cid in expiring if cid in by_id],
        near=sorted((s for s in by_id.values() if s.near), key=lambda s: (s.near.missing, s.customer_id)),
        tier_counts=counts,
    )


REWARDS = {  # what the owner rewards by hand -> label
    "review": "a review",
    "follow": "a social follow",
    "newsletter": "the newsletter sign-up",
    "birthday": "the birthday",
    "bonus": "a surprise bonus",
    "apology": "an apology bonus",
}


def reward(store: Store, customer_id: int, what: str, as_of: dt.date) -> Entry | None:
    """A non-purchase action (`award_action`) or a bonus (`give_bonus`) by one name from REWARDS."""
    if what not in REWARDS:
        raise LoyaltyError(_("not something to reward: {what}").format(what=what))
    if what in ("bonus", "apology"):
        return give_bonus(store, customer_id, apology=what == "apology")
    return award_action(store, customer_id, what, as_of)


# -- undo ------------------------------------------------------------------------------------------


def undo_entry(store: Store, entry_id: int) -> Entry:
    """Undo a points entry by a reversing entry (the ledger is append-only: nothing is changed or deleted).
    Refused when it was already undone, is itself an undo, or the points were spent since. Returns the
    reversing entry."""
    with store.write() as conn:
        if not sql.entry_exists(store, entry_id):
            raise LoyaltyError(_("no points entry with id {id}").format(id=entry_id))
        entry = _entry(store, entry_id)
        if entry.reference and entry.reference.startswith("undo:"):
            raise LoyaltyError(_("points entry {id} is itself an undo").format(id=entry_id))
        if sql.key_exists(store, f"undo:{entry_id}"):
            raise LoyaltyError(_("points entry {id} is already undone").format(id=entry_id))
        try:
            reversal_id = sql.insert_entry(
                conn,
                customer_id=entry.customer_id,
                delta=-entry.delta,
                reason="adjust",
                created_at=store.clock.now_iso(),
                reference=f"undo:{entry_id}",
                key=f"undo:{entry_id}",
                note=f"undo of {entry.delta:+d} points ({entry.reason})",
            )
        except sqlite3.IntegrityError:  # the trigger: a balance never goes below zero
            raise NotEnoughPoints(
                _("customer #{id} has spent these points since: cannot undo").format(id=entry.customer_id)
            ) from None
    if reversal_id is None:
        raise LoyaltyError(_("points entry {id} is already undone").format(id=entry_id))
    return _entry(store, reversal_id)
