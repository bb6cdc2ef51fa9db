"""The one customer reference shown to people, and the one way commands find a customer by it.

A customer's reference is the platform's own customer id when the shop has one (`000721`), else
shopkeep's short, stable number written `#533`. It is what `find`, `calls`, exports, `points`,
`referrals`, `forget` and the app show, always with the name beside it where there is one, and what
every command that takes a customer accepts (as well as an email or a phone in any format).
"""

from __future__ import annotations

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _, ngettext
from shopkeep.store import Store
from shopkeep.store import customers as customers_sql
from shopkeep.store import lookup as lookup_sql


def reference(customer_id: int, external_id: str | None) -> str:
    """'000721' (the platform's id) or '#533' (shopkeep's own number)."""
    external = (external_id or "").strip()
    return external if external else f"#{customer_id}"


def label(customer_id: int, external_id: str | None, name: str | None) -> str:
    """'Anna Kowalska (#533)', or the reference alone for a customer without a name (or forgotten)."""
    ref = reference(customer_id, external_id)
    name = (name or "").strip()
    return f"{name} ({ref})" if name else ref


def labels(store: Store, customer_ids: list[int]) -> dict[int, str]:
    """`label` for each of these customers."""
    found = customers_sql.names_and_external_ids(store, customer_ids)
    rows = {cid: found.get(cid, customers_sql.NO_NAME) for cid in customer_ids}
    return {cid: label(cid, row.external_id, row.name) for cid, row in rows.items()}


def references(store: Store, customer_ids: list[int]) -> dict[int, str]:
    """`reference` for each of these customers."""
    found = customers_sql.names_and_external_ids(store, customer_ids)
    return {cid: reference(cid, found.get(cid, customers_sql.NO_NAME).external_id) for cid in customer_ids}


def resolve(store: Store, text: str) -> int:
    """The customer a command is about: a reference (`#533`, or the platform's id), an email, or a phone
    in any format. Two people matching is an error that names both references, never a guess."""
    from shopkeep.lookup import customers_by_phone

    text = text.strip()
    if text.startswith("#") and text[1:].isdigit():
        found = lookup_sql.find_customers(store, "id", text[1:])
    elif "@" in text:
        found = lookup_sql.find_customers(store, "email", text.lower())
    else:
        found = lookup_sql.find_customers(store, "external_id", text) or customers_by_phone(store, text)
        if not found and text.isdigit():  # '533' for '#533', when no platform id or phone is 533
            own = customers_sql.names_and_external_ids(store, lookup_sql.find_customers(store, "id", text))
            found = [cid for cid, row in own.items() if not row.external_id]
    if not found:
        raise ShopkeepError(_("no customer matches that reference, email or phone (shopkeep find helps)"))
    if len(found) > 1:
        refs = customers_sql.names_and_external_ids(store, found)
        listed = ", ".join(reference(cid, refs.get(cid, customers_sql.NO_NAME).external_id) for cid in found[:10])
        raise ShopkeepError(
            ngettext(
                "{n} customer matches that: {listed}; use one of these references",
                "{n} customers match that: {listed}; use one of these references",
                len(found),
            ).format(n=len(found), listed=listed)
        )
    return found[0]
