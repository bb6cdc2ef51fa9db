"""What a call script is filled with for one customer (`placeholders`: name, last product, points, ...)
and the script itself in the customer's language (`script_for`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from shopkeep.clock import day_after
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.notes import clean_text
from shopkeep.shop import shop_currency
from shopkeep.store import Store
from shopkeep.store import calls as sql

if TYPE_CHECKING:
    from shopkeep.scripts import Script
from shopkeep.calls.loader import orders_by_customer
from shopkeep.calls.settings import load_settings
from shopkeep.calls.writes import customer_promises


def placeholders(store: Store, customer_id: int, as_of: dt.date) -> dict[str, object]:
    """The customer's facts a script is filled from (`shopkeep.scripts.spoken_values` says them in the
    script's language), as of `as_of`; the shop's name, the caller and the free-delivery threshold come
    from the settings."""
    # Imported here: the loyalty rules and the scripts are pydantic models (~30 ms to import together at
    # every `shopkeep calls`, which needs neither to build the list).
    from shopkeep import loyalty
    from shopkeep.scripts import CALLER_SETTING, FREE_DELIVERY_SETTING, SHOP_NAME_SETTING

    contact = sql.contact(store, customer_id)
    if contact is None:
        raise ShopkeepError(_("no customer with id {id}").format(id=customer_id))
    until = day_after(as_of)
    orders = [o for o in orders_by_customer(store, as_of, [customer_id]).get(customer_id, []) if o.is_sale]
    expiring = loyalty.points_expiring(store, customer_id, as_of)
    currency = shop_currency(store)  # promised money and the free-delivery threshold are in it
    promises = customer_promises(store, customer_id)  # the earliest due first: that one is owed first
    owed = promises[0] if promises else None
    free_from = store.get_setting(FREE_DELIVERY_SETTING)
    return {
        "name": contact["name"],
        "first_name": contact["first_name"],
        "last_name": contact["last_name"],
        "shop": clean_text(str(store.get_setting(SHOP_NAME_SETTING) or "")).strip() or None,
        "caller": clean_text(str(store.get_setting(CALLER_SETTING) or "")).strip() or None,
        "last_product": sql.last_products(store, until, customer_id).get(customer_id),
        "days_since": (as_of - orders[-1].ordered_at.date()).days if orders else None,
        "points": sql.points_balances(store, until, customer_id).get(customer_id, 0),
        "tier": loyalty.tier_of(store, customer_id, as_of).name,
        "points_expiring": expiring.points if expiring and expiring.points > 0 else None,
        "referral_code": contact["referral_code"],
        "currency": currency,
        "free_delivery_from": free_from if isinstance(free_from, int) and free_from > 0 else None,
        "owed_kind": owed.kind if owed else None,
        "owed_amount": owed.amount if owed and owed.kind != "bonus" else None,
        "owed_points": owed.amount if owed and owed.kind == "bonus" else None,
        "owed_description": owed.description if owed else None,
        "owed_due": owed.due_on if owed else None,
    }


def script_for(store: Store, customer_id: int, reason: str, as_of: dt.date, language: str | None = None) -> Script:
    """The script for `reason` (the owner's edit or the default) filled with this customer's data."""
    from shopkeep.scripts import load_script, render_script  # see placeholders

    language = language or load_settings(store).language
    return render_script(load_script(store, reason, language), placeholders(store, customer_id, as_of))
