"""`shopkeep points`: add, redeem and show a customer's loyalty points; who has points expiring."""

from __future__ import annotations

from typing import Annotated

import typer

from shopkeep import customer_ref, loyalty, money
from shopkeep.cli import app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, open_store, who
from shopkeep.i18n import N_, _, format_date, format_number, ngettext
from shopkeep.upkeep import after_import

points_app = typer.Typer(help=N_("Loyalty points: add, redeem, show, expiring, sync."), no_args_is_help=True)
app.add_typer(points_app, name="points")

CustomerArg = Annotated[
    str,
    typer.Argument(
        help=N_("The customer's reference (#533 or the platform's id), email or phone."), show_default=False
    ),
]
AmountArg = Annotated[int, typer.Argument(min=1, help=N_("Whole points."), show_default=False)]
ReasonOption = Annotated[str, typer.Option("--reason", help=N_("Why (kept with the entry)."), show_default=False)]
# Reasons the owner may name for an addition; any other text is kept as the note of an 'adjust'.
MANUAL_REASONS = ("review", "follow", "newsletter", "birthday", "bonus", "apology", "referral", "adjust")


@points_app.command("add", help=N_("Give a customer points (a bonus, an apology, a review ...)."))
@handled
def add(customer: CustomerArg, amount: AmountArg, reason: ReasonOption, db: DbOption = None) -> None:
    with open_store(db, create=False) as store:
        cid = customer_ref.resolve(store, customer)
        category = reason.strip().lower()
        kind = category if category in MANUAL_REASONS else "adjust"
        loyalty.add_points(store, cid, amount, reason=kind, note=reason.strip() or None)
        typer.echo(
            ngettext(
                "added {n} point to {customer}; balance {balance}",
                "added {n} points to {customer}; balance {balance}",
                amount,
            ).format(n=format_number(amount), customer=who(store, [cid])[cid], balance=loyalty.balance(store, cid))
        )


@points_app.command("redeem", help=N_("Spend a customer's points. Refused, with nothing changed, if they have fewer."))
@handled
def redeem(customer: CustomerArg, amount: AmountArg, reason: ReasonOption, db: DbOption = None) -> None:
    with open_store(db, create=False) as store:
        cid = customer_ref.resolve(store, customer)
        loyalty.redeem(store, cid, amount, note=reason.strip() or None)
        typer.echo(
            ngettext(
                "redeemed {n} point from {customer}; balance {balance}",
                "redeemed {n} points from {customer}; balance {balance}",
                amount,
            ).format(n=format_number(amount), customer=who(store, [cid])[cid], balance=loyalty.balance(store, cid))
        )


@points_app.command("show", help=N_("A customer's balance, tier, points expiring soon and every entry."))
@handled
def show(customer: CustomerArg, db: DbOption = None, as_of: AsOfOption = None) -> None:
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        cid = customer_ref.resolve(store, customer)
        tier = loyalty.tier_of(store, cid, day)
        currency = loyalty.shop_currency(store)
        typer.echo(who(store, [cid])[cid])
        typer.echo(_("points: {balance}").format(balance=format_number(loyalty.balance(store, cid))))
        spend = money.format(loyalty.spend_12m(store, cid, day), currency)
        typer.echo(
            _("tier: {tier} (12-month spend {spend}): {benefits}").format(
                tier=_(tier.name), spend=spend, benefits=_(tier.benefits)
            )
        )
        expiring = loyalty.points_expiring(store, cid, day)
        if expiring is not None:
            typer.echo(
                ngettext("expiring: {n} point on {day}", "expiring: {n} points on {day}", expiring.points).format(
                    n=format_number(expiring.points), day=format_date(expiring.expires_on)
                )
            )
        for e in loyalty.history(store, cid):
            detail = "  ".join(x for x in (e.reference, e.note) if x)
            typer.echo(f"{e.created_at}  {e.delta:+d}  {loyalty.reason_label(e.reason)}  {detail}".rstrip())


@points_app.command(
    "expiring",
    help=N_("Customers whose points expire soon, soonest first (tab-separated: customer, points, expires on)."),
)
@handled
def expiring(
    db: DbOption = None,
    as_of: AsOfOption = None,
    within: Annotated[int | None, typer.Option("--within", min=0, help=N_("Days ahead (default: the rules)."))] = None,
) -> None:
    with open_store(db, create=False) as store:
        items = loyalty.expiring_soon(store, as_of_for(store, as_of), within)
        names = who(store, [item.customer_id for item in items])
        for item in items:
            typer.echo(f"{names[item.customer_id]}\t{item.points}\t{item.expires_on.isoformat()}")


@points_app.command(
    "sync", help=N_("Award and reverse purchase points, link and reward referrals, expire points, record tier changes.")
)
@handled
def sync(db: DbOption = None, as_of: AsOfOption = None) -> None:
    with open_store(db, create=False) as store:
        for line in after_import(store, as_of_for(store, as_of)).lines():
            typer.echo(line)


@points_app.command(
    "rules",
    help=N_(
        "Show the earning, expiry and tier rules, or change them. A change applies from now on:"
        " points already earned are never recomputed. Amounts are in units of the shop's price level"
        " (e.g. 1 unit = 100 BDT); --set price_level=default goes back to the currency's usual level."
    ),
)
@handled
def rules(
    changes: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help=N_("FIELD=VALUE, e.g. --set points_per_unit=2 --set expiry_months=18."), show_default=False
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    with open_store(db, create=bool(changes)) as store:  # rules may be set before the first import
        current = loyalty.load_rules(store)
        if changes:
            current = loyalty.change_rules(current, dict(_pair(c) for c in changes))
            loyalty.save_rules(store, current)
        currency = loyalty.shop_currency(store)
        level = current.level(currency)
        for field, value in current.model_dump(mode="json", exclude={"tiers"}).items():
            if field == "price_level":
                whose = (
                    _("set for this shop")
                    if current.price_level is not None
                    else _("the usual level for {currency}").format(currency=currency)
                )
                value = _("{level} ({whose}: 1 unit = {level} {currency})").format(
                    level=level, whose=whose, currency=currency
                )
            typer.echo(f"{field:<24} {value}")
        for tier, threshold in zip(current.tiers, current.thresholds(currency), strict=True):
            spend = money.format(threshold, currency, compact=True)
            typer.echo(
                _("tier {tier} from {units} units ({spend}) a year: {benefits}").format(
                    tier=f"{_(tier.name):<19}",
                    units=format_number(tier.min_spend),
                    spend=spend,
                    benefits=_(tier.benefits),
                )
            )


def _pair(text: str) -> tuple[str, str]:
    field, sep, value = text.partition("=")
    if not sep or not field.strip():
        raise loyalty.LoyaltyError(_("--set {text!r}: write it as FIELD=VALUE").format(text=text))
    return field.strip(), value.strip()
