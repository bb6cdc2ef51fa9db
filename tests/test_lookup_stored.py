"""Issue 19: a cold `shopkeep find` (shopkeep.lookup.find) looks the query's words up among every customer's kept
words and indexes only the customers it may find; what it returns is exactly what the whole index returns."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopkeep import lookup
from shopkeep.lookup import CustomerIndex
from shopkeep.store import Store
from tests import test_lookup as cases

QUERIES = [
    *(query for query, _ in cases.test_finds_the_right_person_first.pytestmark[0].args[1]),
    *("petr smirnov"[:end] for end in range(1, 13)),
    "Иванов",
    "ivanov",
    "aga.w@",
    "smirnof nothing here",
    "smirnov nothing",
    "pay",
    cases.MARKUP_NAME,
    "click app quit",
    "iv",
    "an",
    "a",
    "",
    "!!! ...",
    "@",
    "10",
    "#3",
    "+7",
    "4567",
    "mail.ru",
    "wisn",
    "Вишневская",
    "oliwer",
]
SHOP_QUERIES = [
    *(query for query, _ in cases.test_finds_people_as_owners_type_them.pytestmark[0].args[1]),
    "lucy",
    "luc",
    "fletcher",
    "flet",
    "sofi",
    "Софи",
    "смит",
    "chloe smith",
    "hannah fl",
    "7543",
    "07543 187851",
]


@pytest.fixture
def whole_index_refused(monkeypatch):
    """The search must come from the kept words, never from building the whole index."""

    def refuse(*args, **kwargs):
        raise AssertionError("the whole index was built")

    monkeypatch.setattr(lookup.CustomerIndex, "from_store", refuse)


def _stored(store: Store, rows: list[dict], country: str | None = None) -> Store:
    with store.write() as conn:
        conn.executemany(
            "INSERT INTO customers (id, name, email, phone, external_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, '2025-01-01', '2025-01-01')",
            [(r["id"], r.get("name"), r.get("email"), r.get("phone"), r.get("external_id")) for r in rows],
        )
    if country:
        store.set_setting("country", country)
    return store


def _same(store: Store, index: CustomerIndex, query: str, limit: int = 20) -> None:
    assert lookup.find(store, query, limit) == index.search(query, limit), query


def test_every_query_of_the_lookup_tests_finds_the_same(store, whole_index_refused):
    _stored(store, cases.PEOPLE)
    index = CustomerIndex.from_rows(cases.PEOPLE)
    for query in QUERIES:
        for limit in (1, 3, 20):
            _same(store, index, query, limit)


def test_people_as_owners_type_them_are_found_the_same(store, whole_index_refused):
    _stored(store, cases._SHOP, "GB")
    index = CustomerIndex.from_rows(cases._SHOP, default_region="GB")
    for query in SHOP_QUERIES:
        _same(store, index, query)


def test_common_words_among_thousands_are_ranked_the_same(store, whole_index_refused):
    surnames = [f"Z{a}{b}ski" for a in "aeiouy" for b in "bcdfghjklmnprstvwz"]
    rows = [{"id": i, "name": f"Anna {['Kowalska', 'Nowak'][i % 2]}"} for i in range(1, 1500)]
    rows += [{"id": 2000 + i, "name": f"Maria {surname}"} for i, surname in enumerate(surnames)]
    rows += [{"id": 5000 + i, "name": "Anna Zielińska"} for i in range(3)]
    rows += [{"id": 5010, "name": "Anna Kowalska", "email": "anna.zawadzka@wp.pl"}]
    _stored(store, rows)
    index = CustomerIndex.from_rows(rows)
    for query in ("anna zielinska", "zielinska anna", "anna ziel", "anna z", "z anna", "anna zi", "maria z", "anna"):
        for limit in (5, 20):
            _same(store, index, query, limit)


def test_a_number_among_thousands_of_look_alikes_is_found_the_same(store, whole_index_refused):
    rows = [{"id": i, "name": f"Customer {i}", "phone": f"+447700{i:06d}"} for i in range(1, 3001)]
    rows += [{"id": 30_000 + i, "name": f"Other {i}", "phone": f"+4479{i:04d}900123"} for i in range(1, 301)]
    rows.append({"id": 99_999, "name": "Oliver Pemberton", "phone": "+447700900123"})
    _stored(store, rows)
    index = CustomerIndex.from_rows(rows)
    for query in ("07700 900123", "+44 (0)7700 900123", "900123", "7700", "customer 12", "0012"):
        _same(store, index, query)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=30), st.from_regex(r"[a-zа-я+0-9 ().@#-]{0,25}", fullmatch=True)))
def test_any_input_finds_the_same(store, whole_index_refused, text):
    if not store.scalar("SELECT count(*) FROM customers"):
        _stored(store, cases.PEOPLE)
    _same(store, CustomerIndex.from_rows(cases.PEOPLE), text, 5)


def test_a_renamed_or_forgotten_customer_is_found_by_what_they_are_now(store, whole_index_refused):
    _stored(store, cases.PEOPLE)
    assert lookup.find(store, "oliver pemberton")[0].customer_id == 9
    with store.write() as conn:
        conn.execute("UPDATE customers SET name = 'Oliver Grant' WHERE id = 9")
        conn.execute("UPDATE customers SET name = NULL, email = NULL, forgotten_at = '2026-01-01' WHERE id = 6")
    assert [m.customer_id for m in lookup.find(store, "grant")] == [9]
    assert 9 not in [m.customer_id for m in lookup.find(store, "pemberton")]
    assert 6 not in [m.customer_id for m in lookup.find(store, "petra")]
    for table in ("lookup_words", "lookup_sounds"):  # nothing of the forgotten customer is kept
        assert not store.scalar(f"SELECT count(*) FROM {table} WHERE customer_id = 6")


def test_a_database_that_cannot_keep_the_words_still_finds(store, db_path):
    _stored(store, cases.PEOPLE)
    with Store.open(db_path) as other, other.write():  # another process holds the write lock throughout
        assert lookup.find(store, "ivanova")[0].customer_id == 1
    assert not store.scalar("SELECT count(*) FROM lookup_done")


@pytest.mark.parametrize("query", ["ivanova", "8 916 123-45-67", "a"])
def test_too_many_candidates_builds_the_whole_index(store, monkeypatch, query):
    _stored(store, cases.PEOPLE)
    monkeypatch.setattr(lookup, "MAX_CANDIDATES", 0)
    assert lookup.find(store, query) == CustomerIndex.from_rows(cases.PEOPLE).search(query)


def test_a_customer_forgotten_while_the_words_are_kept_leaves_no_word_behind(store, db_path, monkeypatch):
    """Another process forgets someone while `keep_words` works on a batch: either it waits, or the batch
    never brings their words back (before, they were read, forgotten, then written back and kept for good)."""
    import sqlite3

    from shopkeep.errors import StoreError
    from shopkeep.store import lookup as lookup_store

    _stored(store, cases.PEOPLE)
    forget = "UPDATE customers SET name = NULL, email = NULL, forgotten_at = '2026-01-01' WHERE id = 6"
    real = lookup._kept_rows

    def forgotten_meanwhile(customer_id, name, email):
        if customer_id == 6:
            with Store.open(db_path) as other:
                other.patience, other.on_wait = 0.2, lambda: None
                try:
                    with other.write() as conn:
                        conn.execute(forget)
                except (StoreError, sqlite3.OperationalError):
                    pass  # kept waiting: the batch is one write
        return real(customer_id, name, email)

    monkeypatch.setattr(lookup, "_kept_rows", forgotten_meanwhile)
    assert lookup.keep_words(store)
    with Store.open(db_path) as other, other.write() as conn:  # if it had to wait: now
        conn.execute(forget + " AND forgotten_at IS NULL")
    for table in ("lookup_words", "lookup_sounds", "lookup_done"):
        assert not store.scalar(f"SELECT count(*) FROM {table} WHERE customer_id = 6"), table
    assert lookup_store.words_missing_count(store) == 0
