"""The import's upkeep works in bulk (issue 19) and gives what the one-at-a-time path gave."""

from __future__ import annotations

import os
import re

from shopkeep import referrals
from tests.loyalty.conftest import add_customer


def codes(store):
    return {r["id"]: r["referral_code"] for r in store.rows("SELECT id, referral_code FROM customers")}


def test_codes_for_many_customers_come_from_one_read_of_the_random_source(shop, monkeypatch):
    ids = [add_customer(shop, f"Customer {n}") for n in range(50)]
    reads = []

    def token_bytes(n):
        reads.append(n)
        return os.urandom(n)

    monkeypatch.setattr(referrals.secrets, "token_bytes", token_bytes)
    assert referrals.ensure_codes(shop) == 50
    assert reads == [8 * 50]
    got = codes(shop)
    assert len({got[cid] for cid in ids}) == 50
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", got[cid]) for cid in ids)


def test_a_drawn_code_someone_has_or_drawn_twice_is_drawn_again(shop, monkeypatch):
    owner = add_customer(shop, "Owner")
    referrals.assign_code(shop, owner, "2222-2222")
    ids = [add_customer(shop, f"Customer {n}") for n in range(5)]
    # The bulk read gives every customer the owner's code; the draws after it are random.
    monkeypatch.setattr(referrals.secrets, "token_bytes", lambda n: bytes(n) if n > 8 else os.urandom(n))
    assert referrals.ensure_codes(shop) == 5
    got = codes(shop)
    assert got[owner] == "2222-2222"
    assert len({got[cid] for cid in ids} | {"2222-2222"}) == 6


def _codes_one_at_a_time(store, salt):
    """The path before issue 19: every customer in turn, checked against every code seen so far."""
    taken = {r["referral_code"] for r in store.rows("SELECT referral_code FROM customers WHERE referral_code NOT NULL")}
    given = {}
    for row in store.rows("SELECT id FROM customers WHERE referral_code IS NULL AND forgotten_at IS NULL ORDER BY id"):
        code = referrals.new_code(taken.__contains__, row["id"], salt)
        taken.add(code)
        given[row["id"]] = code
    return given


def test_the_demo_shop_gets_the_codes_the_one_at_a_time_path_gave(shop):
    shop.set_setting("referral_salt", "demo-11")
    ids = [add_customer(shop, f"Customer {n}") for n in range(30)]
    # Three customers already hold codes that later customers would draw first.
    for holder, later in ((ids[0], ids[5]), (ids[1], ids[17]), (ids[2], ids[29])):
        referrals.assign_code(shop, holder, referrals.make_code(later, "demo-11"))
    expected = _codes_one_at_a_time(shop, "demo-11")
    assert referrals.ensure_codes(shop) == 27
    got = codes(shop)
    assert {cid: got[cid] for cid in expected} == expected
    assert got[ids[5]] == referrals.make_code(ids[5], "demo-11", attempt=1)
