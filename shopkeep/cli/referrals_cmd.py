"""`shopkeep referrals`: the leaderboard, linking a friend by hand, a customer's referral chain."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from shopkeep import customer_ref, money, referrals
from shopkeep.cli import app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, open_store, who
from shopkeep.cli.points_cmd import CustomerArg

referrals_app = typer.Typer(help="Referrals: leaderboard, link, chain.", no_args_is_help=True)
app.add_typer(referrals_app, name="referrals")


@referrals_app.command("leaderboard")
@handled
def leaderboard_cmd(
    db: DbOption = None,
    as_of: AsOfOption = None,
    period: Annotated[Literal["month", "ever"], typer.Option("--period", help="month or ever.")] = "month",
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
) -> None:
    """Who brought the most customers, and their revenue (tab-separated)."""
    with open_store(db) as store:
        rows = referrals.leaderboard(store, as_of_for(store, as_of), period, limit)
        names = who(store, [row.customer_id for row in rows])
        for row in rows:
            typer.echo(f"{names[row.customer_id]}\t{row.referred}\t{money.format(row.revenue, row.currency)}")


@referrals_app.command("link")
@handled
def link(
    customer: CustomerArg,
    sent_by: Annotated[str, typer.Argument(help="The customer who sent them (same forms).", show_default=False)],
    db: DbOption = None,
) -> None:
    """Record who sent a customer ("who sent you?"), no code needed."""
    with open_store(db) as store:
        referred = customer_ref.resolve(store, customer)
        referrer = customer_ref.resolve(store, sent_by)
        made = referrals.link_referral(store, referred, referrer)
        flag = f" (flagged: {made.flag}; no reward)" if made.flag else ""
        names = who(store, [referred, referrer])
        typer.echo(f"{names[referred]} was sent by {names[referrer]}{flag}")


def _everyone(nodes: list[referrals.ChainNode]) -> list[int]:
    return [i for node in nodes for i in (node.customer_id, *_everyone(node.children))]


@referrals_app.command("chain")
@handled
def chain_cmd(customer: CustomerArg, db: DbOption = None) -> None:
    """Who sent this customer (the line above) and everyone they brought (the tree below)."""
    with open_store(db) as store:
        found = referrals.chain(store, customer_ref.resolve(store, customer))
        names = who(store, [found.customer_id, *found.up, *_everyone(found.down)])
        typer.echo("sent by: " + (" <- ".join(names[c] for c in found.up) or "nobody"))
        typer.echo(names[found.customer_id])

        def show(nodes: list[referrals.ChainNode], depth: int) -> None:
            for node in nodes:
                flag = f" [{node.flag}]" if node.flag else ""
                typer.echo(f"{'  ' * depth}- {names[node.customer_id]}{flag}")
                show(node.children, depth + 1)

        show(found.down, 1)
