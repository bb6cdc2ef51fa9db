"""Issue 14, point 4: referral codes carry no personal data; a forgotten person's code is replaced."""

from __future__ import annotations

import re

import pytest

from shopkeep import referrals
from shopkeep.privacy import forget
from tests.loyalty.conftest import add_customer, add_order

CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


@pytest.fixture
def shop(store):
    store.set_setting("currency", "EUR")
    store.set_setting("country", "PL")
    return store


def test_a_new_code_does_not_carry_the_first_name(shop):
    zofia = add_customer(shop, "Zofia Nowak")
    referrals.ensure_codes(shop)
    code = shop.scalar("SELECT referral_code FROM customers WHERE id = ?", (zofia,))
    assert CODE.fullmatch(code) and "ZOFIA" not in code


def test_forget_replaces_the_persons_code_everywhere_it_was_recorded(shop):
    """A code made before codes were random ("ZOFIA-AJUL") names her: after forget it is gone from her
    record, from the referral link and from the friend's order; the link itself still counts."""
    zofia = add_customer(shop, "Zofia Nowak", phone="+48600000001")
    friend = add_customer(shop, "Bob Lis", phone="+48600000002")
    with shop.write() as conn:
        conn.execute("UPDATE customers SET referral_code = 'ZOFIA-AJUL' WHERE id = ?", (zofia,))
    add_order(shop, friend, 5000, at="2026-05-02T10:00:00", referral_code=" zofia-ajul")
    assert referrals.link_from_orders(shop) == referrals.LinkResult(linked=1)

    report = forget(shop, zofia)

    assert report.live.codes == 1
    new = shop.scalar("SELECT referral_code FROM customers WHERE id = ?", (zofia,))
    assert CODE.fullmatch(new)
    assert shop.one("SELECT referrer_id, referred_id, code FROM referrals") == {
        "referrer_id": zofia,
        "referred_id": friend,
        "code": new,
    }
    assert shop.scalar("SELECT referral_code FROM orders WHERE customer_id = ?", (friend,)) == new
    shop.close()  # the file is read raw only once no connection is open
    assert b"ZOFIA" not in shop.path.read_bytes().upper()
