"""Erasure on request (`shopkeep forget CUSTOMER`).

The person's name, email, phone, address fields, notes and call notes are removed; their orders stay
as anonymous totals so the shop's figures do not change. Their identity keys are replaced by keyed
hashes (HMAC with a per-database secret), so a re-import of an old export recognises the row as the
forgotten customer and attaches the order anonymously instead of bringing the person back.
With `secure_delete` on and a WAL checkpoint, the old bytes are overwritten in the file.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3

from shopkeep.errors import ShopkeepError
from shopkeep.store import Store
from shopkeep.store import privacy as queries

SALT_KEY = "privacy_salt"


def _salt(store: Store) -> bytes:
    salt = store.get_setting(SALT_KEY)
    if salt is None:
        salt = secrets.token_hex(16)
        store.set_setting(SALT_KEY, salt)
    return bytes.fromhex(salt)


def forgotten_key(salt: bytes, kind: str, value: str) -> tuple[str, str]:
    """The (kind, value) row that stands for a forgotten identity key."""
    digest = hmac.new(salt, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return f"forgotten:{kind}", digest


class ForgottenKeys:
    """Lets the importer recognise identities that were erased."""

    def __init__(self, store: Store):
        self._salt = _salt(store) if queries.has_forgotten(store) else None
        self._store = store

    def customer_for(self, kind: str, value: str) -> int | None:
        if self._salt is None:
            return None
        fkind, digest = forgotten_key(self._salt, kind, value)
        return queries.customer_for_key(self._store, fkind, digest)


class ErasedNotScrubbed(ShopkeepError):
    """The erasure was committed (the person is gone from every screen, export and search), but the old
    bytes could not be overwritten in the database file afterwards: forgetting the same customer again
    finishes the job."""

    def __init__(self, customer_id: int, cause: BaseException):
        self.customer_id = customer_id
        self.cause = cause
        super().__init__(f"customer #{customer_id} was erased, but the old bytes are still in the file: {cause}")


def forget(store: Store, customer_id: int) -> None:
    """Erase one person. Raises ShopkeepError if there is no such customer (nothing erased), an SQLite error
    if the erasure could not be saved (nothing erased), or ErasedNotScrubbed if it was saved but the file
    could not be rewritten after it (e.g. a full disk). Forgetting a forgotten customer again is harmless."""
    salt = _salt(store)
    store.conn.execute("PRAGMA secure_delete = ON")  # freed cells are zeroed as they are deleted
    with store.write():
        if not queries.customer_exists(store, customer_id):
            raise ShopkeepError(f"no customer #{customer_id}")
        keys = queries.keys_of(store, customer_id)
        queries.replace_keys(store, customer_id, [forgotten_key(salt, kind, value) for kind, value in keys])
        queries.erase_personal_data(store, customer_id, store.clock.now_iso())
    try:
        queries.scrub_files(store)
    except (sqlite3.Error, OSError) as exc:
        raise ErasedNotScrubbed(customer_id, exc) from exc
