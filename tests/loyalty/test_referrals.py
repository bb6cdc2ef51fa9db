from __future__ import annotations

import datetime as dt
import re

import pytest

from shopkeep import loyalty, referrals
from tests.loyalty.conftest import add_customer, add_order, ledger

AS_OF = dt.date(2026, 6, 30)


def codes(store):
    return {r["id"]: r["referral_code"] for r in store.rows("SELECT id, referral_code FROM customers")}


def test_codes_are_readable_unique_random_and_carry_no_name(shop):
    ids = [add_customer(shop, n) for n in ("Anna Smith", "Анна Иванова", "Łucja Nowak", "[@click=app.quit]Pay[/]")]
    nameless = add_customer(shop, None)
    assert referrals.ensure_codes(shop) == 5
    assert referrals.ensure_codes(shop) == 0
    got = codes(shop)
    assert len(set(got.values())) == 5
    for code in got.values():
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code)
        assert not any(name in code for name in ("ANNA", "LUCJA", "FRIEND", "PAY"))
    assert got[nameless]
    # random, not derived from the customer: the same customer in another shop gets another code
    assert referrals.make_code(ids[0], "test-salt") != referrals.make_code(ids[0], "test-salt")


def test_the_demo_shop_gets_the_same_codes_on_every_build(shop):
    shop.set_setting("referral_salt", "demo-7")
    first = add_customer(shop, "Anna")
    second = add_customer(shop, "Anna")
    clash = referrals.make_code(second, "demo-7")
    assert clash == referrals.make_code(second, "demo-7")
    with shop.write() as conn:
        conn.execute("UPDATE customers SET referral_code = ? WHERE id = ?", (clash, first))
    referrals.ensure_codes(shop)
    assert codes(shop)[second] == referrals.make_code(second, "demo-7", attempt=1)  # a taken code: the next attempt


def test_code_on_the_first_order_links_and_first_paid_order_rewards_both_once(shop):
    anna = add_customer(shop, "Anna", phone="+48600000001")
    friend = add_customer(shop, "Bob", phone="+48600000002")
    referrals.ensure_codes(shop)
    code = codes(shop)[anna]
    first = add_order(shop, friend, 5000, at="2026-05-02T10:00:00", status="pending", referral_code=code.lower())
    assert referrals.link_from_orders(shop) == referrals.LinkResult(linked=1)
    assert referrals.link_from_orders(shop) == referrals.LinkResult()
    assert referrals.reward_referrals(shop, AS_OF) == 0  # not paid yet
    shop.conn.execute("UPDATE orders SET status = 'paid' WHERE id = ?", (first,))
    assert referrals.reward_referrals(shop, AS_OF) == 1
    assert referrals.reward_referrals(shop, AS_OF) == 0
    assert loyalty.balance(shop, anna) == 200
    assert loyalty.balance(shop, friend) == 100
    assert ledger(shop, anna)[0]["created_at"] == "2026-05-02T10:00:00"
    row = shop.one("SELECT source, code, rewarded_at, flag FROM referrals")
    assert row == {"source": "import", "code": code, "rewarded_at": "2026-05-02T10:00:00", "flag": None}


def test_own_code_and_unknown_code_link_nobody_and_later_orders_do_not_count(shop):
    anna = add_customer(shop, "Anna")
    old = add_customer(shop, "Old customer")
    referrals.ensure_codes(shop)
    code = codes(shop)[anna]
    add_order(shop, anna, 1000, referral_code=code)
    add_order(shop, old, 1000, at="2026-01-01T10:00:00", referral_code="NOPE-2222")
    add_order(shop, old, 1000, at="2026-02-01T10:00:00", referral_code=code)  # not their first order
    assert referrals.link_from_orders(shop) == referrals.LinkResult(own_code=1, unknown_code=1)
    assert shop.scalar("SELECT count(*) FROM referrals") == 0


@pytest.mark.parametrize(
    ("friend", "flag"),
    [
        ({"phone": "+48600000001"}, "same_phone"),
        ({"email": "anna@example.com"}, "same_email"),
        ({"name": "anna  kowalska", "city": "KRAKÓW"}, "same_address"),
    ],
)
def test_look_alike_referrals_are_flagged_and_never_rewarded(shop, friend, flag):
    anna = add_customer(shop, "Anna Kowalska", phone="+48600000001", email="anna@example.com", city="Kraków")
    fields = {"name": "Zofia"} | friend
    other = add_customer(shop, fields.pop("name"), **fields)
    made = referrals.link_referral(shop, other, anna)
    assert made.flag == flag
    add_order(shop, other, 9000)
    assert referrals.reward_referrals(shop, AS_OF) == 0
    assert loyalty.balance(shop, anna) == 0
    assert referrals.advocates(shop) == set()


def test_self_referral_repeat_and_loop_are_refused(shop):
    a = add_customer(shop, "A")
    b = add_customer(shop, "B")
    with pytest.raises(referrals.ReferralError, match="cannot refer themselves"):
        referrals.link_referral(shop, a, a)
    referrals.link_referral(shop, b, a)
    with pytest.raises(referrals.ReferralError, match=f"already referred by #{a}"):
        referrals.link_referral(shop, b, a)
    with pytest.raises(referrals.ReferralError, match="loop"):
        referrals.link_referral(shop, a, b)
    with pytest.raises(referrals.ReferralError, match="no customer #77"):
        referrals.link_referral(shop, 77, a)


def test_manual_link_without_any_code_is_rewarded_like_an_imported_one(shop):
    a = add_customer(shop, "A")
    b = add_customer(shop, "B")
    made = referrals.link_referral(shop, b, a)
    assert (made.source, made.code, made.flag) == ("manual", None, None)
    add_order(shop, b, 3000)
    result = referrals.sync_referrals(shop, AS_OF)
    assert result.rewarded == 1
    assert (loyalty.balance(shop, a), loyalty.balance(shop, b)) == (200, 100)


def test_chain_advocates_and_leaderboard(shop):
    root = add_customer(shop, "Root")
    a = add_customer(shop, "A")
    b = add_customer(shop, "B")
    c = add_customer(shop, "C")
    solo = add_customer(shop, "Solo")
    with shop.write() as conn:  # links dated by the friend's first order, as an import makes them
        for referrer, referred, at in (
            (root, a, "2026-01-05"),
            (root, b, "2026-06-03"),
            (a, c, "2026-06-10"),
            (c, solo, "2026-02-01"),
        ):
            conn.execute(
                "INSERT INTO referrals (referrer_id, referred_id, source, created_at) VALUES (?, ?, 'import', ?)",
                (referrer, referred, at + "T10:00:00"),
            )
    add_order(shop, a, 10000, at="2026-01-05T10:00:00")
    add_order(shop, b, 4000, at="2026-06-03T10:00:00")
    add_order(shop, c, 25000, at="2026-06-10T10:00:00")

    found = referrals.chain(shop, a)
    assert found.up == [root]
    assert [(n.customer_id, [k.customer_id for k in n.children]) for n in found.down] == [(c, [solo])]
    assert [n.customer_id for n in referrals.chain(shop, root).down] == [a, b]
    assert referrals.chain(shop, solo).up == [c, a, root]

    assert referrals.advocates(shop) == {root}

    month = referrals.leaderboard(shop, AS_OF, "month")
    assert [(r.customer_id, r.referred, r.revenue) for r in month] == [(a, 1, 25000), (root, 1, 4000)]
    ever = referrals.leaderboard(shop, AS_OF, "ever")
    assert [(r.customer_id, r.referred, r.revenue) for r in ever] == [(root, 2, 14000), (a, 1, 25000), (c, 1, 0)]
    assert ever[0].name == "Root" and ever[0].currency == "EUR"


def test_a_code_of_the_shops_choosing_links_friends_who_used_it(shop):
    anna = add_customer(shop, "Anna")
    other = add_customer(shop, "Other")
    friend = add_customer(shop, "Friend")
    assert referrals.assign_code(shop, anna, " anna-2024 ") == "ANNA-2024"
    with pytest.raises(referrals.ReferralError, match=f"already belongs to customer #{anna}"):
        referrals.assign_code(shop, other, "Anna-2024")
    with pytest.raises(referrals.ReferralError, match="3 to 24 letters"):
        referrals.assign_code(shop, other, "no spaces")
    add_order(shop, friend, 2000, referral_code="anna-2024")
    assert referrals.sync_referrals(shop, AS_OF).links.linked == 1
    assert referrals.chain(shop, friend).up == [anna]
    assert codes(shop)[anna] == "ANNA-2024"  # ensure_codes keeps a code the shop chose
