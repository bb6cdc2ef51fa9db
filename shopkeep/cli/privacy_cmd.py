"""`shopkeep forget CUSTOMER`: erasure on request, from the database and every copy shopkeep keeps."""

from __future__ import annotations

import errno
import sqlite3
from typing import Annotated

import typer

from shopkeep import customer_ref
from shopkeep.cli import app
from shopkeep.cli.common import DbOption, fail, handled, open_store
from shopkeep.i18n import N_, _
from shopkeep.outputs import error_errno
from shopkeep.privacy import ErasedNotScrubbed, report_lines
from shopkeep.privacy import forget as forget_customer


@app.command(
    help=N_(
        "Erase a person on request: from the database (name, email, phone, notes, call notes, ledger notes,"
        " remembered mappings; their referral code is replaced), and from every backup and migration backup."
        " Orders stay as anonymous totals, and a re-import of an old export does not bring the person back."
        " Says what was erased, and which exports and rejects files still hold the person, for you to delete."
    )
)
@handled
def forget(
    customer: Annotated[
        str, typer.Argument(help=N_("The customer's reference (#533 or the platform's id), email or phone."))
    ],
    yes: Annotated[bool, typer.Option("--yes", help=N_("Do not ask for confirmation."))] = False,
    db: DbOption = None,
) -> None:
    with open_store(db, create=False) as store:
        customer_id = customer_ref.resolve(store, customer)
        if not yes:  # the reference only: what forget prints may end up in a log
            ref = customer_ref.references(store, [customer_id])[customer_id]
            typer.confirm(_("Erase customer {ref} for good?").format(ref=ref), abort=True, err=True)
        try:
            report = forget_customer(store, customer_id)
        except ErasedNotScrubbed as exc:  # committed: say so, then what is left to do
            typer.echo(
                _("customer #{id} WAS erased: personal data removed, orders kept as anonymous totals").format(
                    id=customer_id
                )
            )
            raise fail(
                _(
                    "but the erased values could not yet be overwritten in the database file ({reason});"
                    " free some space, then run `shopkeep forget '#{id}' --yes` again to finish"
                    " (and to reach the backups)"
                ).format(reason=_reason(exc.cause), id=customer_id)
            ) from None
        except sqlite3.Error as exc:  # the erasure was not saved
            raise fail(
                _("customer #{id} was NOT erased: {reason}; nothing was changed").format(
                    id=customer_id, reason=_reason(exc)
                )
            ) from None
    lines = list(report_lines(report))
    typer.echo(lines[0][1])
    for title, section in ((_("erased:"), "done"), (_("still to do (shopkeep cannot do these for you):"), "todo")):
        chosen = [text for kind, text in lines[1:] if kind == section]
        if chosen:
            typer.echo(title)
            for text in chosen:
                typer.echo(f"  - {text}")
    if not report.complete:
        raise typer.Exit(1)


def _reason(exc: BaseException) -> str:
    if error_errno(exc) in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return _("the disk is full")
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return _("database problem: {reason}").format(reason=exc)
