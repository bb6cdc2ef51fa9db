"""`shopkeep referrals`: the leaderboard, linking a friend by hand, a customer's referral chain."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from shopkeep import customer_ref, money, referrals
from shopkeep.cli import app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, open_store, who
from shopkeep.cli.points_cmd import CustomerArg
from shopkeep.i18n import N_, _, format_number

referrals_app = typer.Typer(help=N_("Referrals: leaderboard, link, chain."), no_args_is_help=True)
app.add_typer(referrals_app, name="referrals")


@referrals_app.command("leaderboard", help=N_("Who brought the most customers, and their revenue (tab-separated)."))
@handled
def leaderboard_cmd(
    db: DbOption = None,
    as_of: AsOfOption = None,
    period: Annotated[Literal["month", "ever"], typer.Option("--period", help=N_("month or ever."))] = "month",
    limit: Annotated[int, typer.Option("--limit", min=1, help=N_("Show at most this many."))] = 20,
) -> None:
    with open_store(db, create=False) as store:
        rows = referrals.leaderboard(store, as_of_for(store, as_of), period, limit)
        names = who(store, [row.customer_id for row in rows])
        for row in rows:
            revenue = money.format(row.revenue, row.currency)
            typer.echo(f"{names[row.customer_id]}\t{format_number(row.referred)}\t{revenue}")


@referrals_app.command("link", help=N_('Record who sent a customer ("who sent you?"), no code needed.'))
@handled
def link(
    customer: CustomerArg,
    sent_by: Annotated[str, typer.Argument(help=N_("The customer who sent them (same forms)."), show_default=False)],
    db: DbOption = None,
) -> None:
    with open_store(db, create=False) as store:
        referred = customer_ref.resolve(store, customer)
        referrer = customer_ref.resolve(store, sent_by)
        made = referrals.link_referral(store, referred, referrer)
        names = who(store, [referred, referrer])
        if made.flag:
            line = _("{customer} was sent by {sender} (flagged: {flag}; no reward)")
        else:
            line = _("{customer} was sent by {sender}")
        typer.echo(line.format(customer=names[referred], sender=names[referrer], flag=referrals.flag_label(made.flag)))


def _everyone(nodes: list[referrals.ChainNode]) -> list[int]:
    return [i for node in nodes for i in (node.customer_id, *_everyone(node.children))]


@referrals_app.command(
    "chain", help=N_("Who sent this customer (the line above) and everyone they brought (the tree below).")
)
@handled
def chain_cmd(customer: CustomerArg, db: DbOption = None) -> None:
    with open_store(db, create=False) as store:
        found = referrals.chain(store, customer_ref.resolve(store, customer))
        names = who(store, [found.customer_id, *found.up, *_everyone(found.down)])
        typer.echo(_("sent by: {who}").format(who=" <- ".join(names[c] for c in found.up) or _("nobody")))
        typer.echo(names[found.customer_id])

        def show(nodes: list[referrals.ChainNode], depth: int) -> None:
            for node in nodes:
                flag = f" [{referrals.flag_label(node.flag)}]" if node.flag else ""
                typer.echo(f"{'  ' * depth}- {names[node.customer_id]}{flag}")
                show(node.children, depth + 1)

        show(found.down, 1)
