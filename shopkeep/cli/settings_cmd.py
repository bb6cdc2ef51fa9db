"""`shopkeep settings`: the shop's name, the caller's name, its currency and the country of its phones."""

from __future__ import annotations

from typing import Annotated

import typer

from shopkeep import shop
from shopkeep.cli import app
from shopkeep.cli.common import DbOption, handled, open_store
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _, set_language


@app.command(
    "settings",
    help=N_('Show the shop\'s settings, or change them (the app has the same form: ctrl+p, "Shop settings").'),
)
@handled
def settings(
    changes: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help=N_("Change one, e.g. --set shop_name='Herbs & Co' --set currency=PLN; an empty value clears it."),
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    with open_store(db) as store:
        if changes:
            pairs = dict(_pair(text) for text in changes)
            try:
                current = shop.save_settings(store, pairs)
            except ValueError as exc:
                raise ShopkeepError(str(exc)) from None
            set_language(shop.shop_language(store))  # a new language is shown at once
        else:
            current = shop.load_settings(store)
    for field, value in current.items():
        shown = value if value is not None else _("(not set)")
        typer.echo(f"{field:<19} {shown:<24} {_(shop.SETTING_HELP[field])}")


def _pair(text: str) -> tuple[str, str]:
    field, sep, value = text.partition("=")
    if not sep or not field.strip():
        raise ShopkeepError(_("--set {text!r}: write it as FIELD=VALUE").format(text=text))
    return field.strip(), value
