"""`shopkeep forget CUSTOMER`: erasure on request."""

from __future__ import annotations

from typing import Annotated

import typer

from shopkeep import customer_ref
from shopkeep.cli import app
from shopkeep.cli.common import DbOption, handled, open_store
from shopkeep.privacy import forget as forget_customer


@app.command()
@handled
def forget(
    customer: Annotated[
        str, typer.Argument(help="The customer's reference (#533 or the platform's id), email or phone.")
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Erase a person on request: name, email, phone, notes and call notes. Orders stay as anonymous totals,
    and a re-import of an old export does not bring the person back."""
    with open_store(db, create=False) as store:
        customer_id = customer_ref.resolve(store, customer)
        if not yes:  # the reference only: what forget prints may end up in a log
            ref = customer_ref.references(store, [customer_id])[customer_id]
            typer.confirm(f"Erase customer {ref} for good?", abort=True, err=True)
        forget_customer(store, customer_id)
    typer.echo(f"customer #{customer_id} forgotten: personal data erased, orders kept as anonymous totals")
