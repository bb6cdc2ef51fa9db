"""Issue 14, point 3: a forgotten phone or email cannot practically be recovered from the database.

The issue's attack: the salt sits in the same database, so trying every number of a known prefix with the
salt found the phone in 2.8 s. Now each candidate costs a memory-hard hash (>= 50 ms here), keys forgotten
before are re-keyed, and an import still hashes only the few identities whose short tag matches.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from shopkeep import privacy
from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions
from shopkeep.privacy import forget
from shopkeep.store import Store

PHONE = "+48600123456"
EMAIL = "marta.wisniewska@example.pl"
HEADER = "Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status"


def _person(store: Store, email: str = EMAIL, phone: str = PHONE, ext: str = "000123") -> int:
    with store.write() as c:
        cid = c.execute(
            "INSERT INTO customers (external_id, name, email, phone, created_at, updated_at)"
            " VALUES (?, 'Marta Wiśniewska', ?, ?, '2026-01-01', '2026-01-01')",
            (ext, email, phone),
        ).lastrowid
        c.executemany(
            "INSERT INTO customer_keys (kind, value, customer_id) VALUES (?, ?, ?)",
            [("email", email, cid), ("phone", phone, cid), ("ext:generic", ext, cid)],
        )
    return cid


def _old_digest(salt_hex: str, kind: str, value: str) -> str:
    """What shopkeep stored for a forgotten key before issue 14: a salted HMAC, the salt in the database."""
    return hmac.new(bytes.fromhex(salt_hex), f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def test_trying_every_number_with_the_salt_no_longer_finds_the_phone(store):
    forget(store, _person(store))
    salt = store.get_setting(privacy.SALT_KEY)
    stored = {r["value"] for r in store.rows("SELECT value FROM customer_keys WHERE kind = 'forgotten:phone'")}
    # The attack of the issue, over 2,000 numbers around the right one (it included): nothing matches.
    found = [
        n
        for n in range(600122456, 600124456)
        if _old_digest(salt, "phone", f"+48{n}") in stored or f"+48{n}" in str(stored)
    ]
    assert found == []
    (value,) = stored
    assert value.startswith("s1:") and PHONE not in value


def test_checking_one_candidate_costs_at_least_50_ms(store):
    forget(store, _person(store))
    salt = bytes.fromhex(store.get_setting(privacy.SALT_KEY))
    _, entry = privacy.parse_entry(store.scalar("SELECT value FROM customer_keys WHERE kind = 'forgotten:phone'"))
    assert entry.matches(privacy.inner_digest(salt, "phone", PHONE))
    assert 128 * entry.r * (1 << entry.log2_n) >= 32 * 1024 * 1024  # memory-hard: 32 MB per candidate
    wrong = privacy.inner_digest(salt, "phone", "+48600123457")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        assert not entry.matches(wrong)
        times.append(time.perf_counter() - start)
    assert min(times) >= 0.050


def test_keys_forgotten_before_are_rekeyed_by_the_next_import_and_still_recognised(store, tmp_path):
    """A database forgotten in by an older shopkeep: its keys are bare HMACs. They are re-keyed with the slow
    hash (over the HMAC: no plain value is needed), and the person is still recognised on re-import."""
    salt = "00112233445566778899aabbccddeeff"
    store.set_setting(privacy.SALT_KEY, salt)
    with store.write() as c:
        cid = c.execute(
            "INSERT INTO customers (created_at, updated_at, forgotten_at) VALUES ('2026-01-01', 'x', 'x')"
        ).lastrowid
        c.executemany(
            "INSERT INTO customer_keys (kind, value, customer_id) VALUES (?, ?, ?)",
            [
                ("forgotten:email", _old_digest(salt, "email", EMAIL), cid),
                ("forgotten:phone", _old_digest(salt, "phone", PHONE), cid),
            ],
        )
    export = tmp_path / "old.csv"
    export.write_text(f"{HEADER}\nA1,2026-02-01,,{EMAIL},{PHONE},Marta Wiśniewska,10.00,PLN,paid\n", encoding="utf-8")
    result = import_file(store, export, ImportOptions(country="PL"))
    assert result.ok and result.customers_new == 0 and result.customers_matched == 1
    values = [r["value"] for r in store.rows("SELECT value FROM customer_keys WHERE customer_id = ?", (cid,))]
    assert len(values) == 2 and all(v.startswith("s1:") for v in values)
    assert store.scalar("SELECT customer_id FROM orders") == cid
    assert store.scalar("SELECT count(*) FROM customers WHERE email IS NOT NULL") == 0
    store.close()  # the file is read raw only once no connection is open
    raw = b"".join(p.read_bytes() for p in store.path.parent.glob(f"{store.path.name}*"))
    assert _old_digest(salt, "phone", PHONE).encode() not in raw


def test_a_big_import_hashes_slowly_only_the_identities_whose_tag_matches(store, tmp_path, monkeypatch):
    # What is counted is how many identities are hashed slowly, not how slowly: cheaper scrypt parameters
    # (recorded in each entry, which the import reads) keep this test from spending seconds on the hashes.
    monkeypatch.setattr(privacy, "SCRYPT_LOG2_N", 10)
    for n in range(5):
        forget(store, _person(store, f"gone{n}@example.com", f"+4860011100{n}", f"G{n}"))
    calls = 0
    slow = privacy.slow_hash

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls > 60:
            pytest.fail("the import hashes every new identity slowly")
        return slow(*args, **kwargs)

    monkeypatch.setattr(privacy, "slow_hash", counted)
    rows = [HEADER]
    rows += [f"N{n},2026-02-01,C{n},new{n}@example.com,+48601{n:06d},Person {n},10.00,PLN,paid" for n in range(1500)]
    rows.append("G,2026-03-01,,gone3@example.com,,Gone Three,10.00,PLN,paid")  # one of the forgotten
    export = tmp_path / "big.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = import_file(store, export, ImportOptions(country="PL"))
    assert result.ok and result.customers_new == 1500 and result.customers_matched == 1
    assert 1 <= calls <= 60  # 4,503 new identities; about 4,503 x 5 / 1,024 = 22 slow hashes expected
    assert store.scalar("SELECT count(*) FROM customers WHERE email = 'gone3@example.com'") == 0


def test_a_reimport_of_an_old_export_recognises_the_person_by_their_orders_without_any_slow_hash(
    store, tmp_path, monkeypatch
):
    export = tmp_path / "old.csv"
    export.write_text(
        f"{HEADER}\nA1,2026-02-01,000123,{EMAIL},{PHONE},Marta Wiśniewska,10.00,PLN,paid\n"
        "A2,2026-02-02,000124,tom@example.com,,Tom Lis,12.00,PLN,paid\n",
        encoding="utf-8",
    )
    assert import_file(store, export, ImportOptions(country="PL")).customers_new == 2
    forget(store, 1)

    def refused(*args, **kwargs):
        pytest.fail("a slow hash for an order already stored")

    monkeypatch.setattr(privacy, "slow_hash", refused)
    result = import_file(store, export, ImportOptions(country="PL"))
    assert result.ok and result.customers_new == 0 and result.customers_matched == 2
    assert store.scalar("SELECT count(*) FROM customers WHERE email IS NOT NULL") == 1
