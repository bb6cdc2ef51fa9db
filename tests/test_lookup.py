from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.customer_ref import resolve as resolve_customer
from shopkeep.errors import ShopkeepError
from shopkeep.lookup import CustomerIndex
from shopkeep.translit import fold, tokens

MARKUP_NAME = "[@click=app.quit]Pay[/]"

# Each person has decoys: a similar name, a phone one digit-swap away, an id that extends theirs.
_COLUMNS = ("id", "name", "email", "phone", "external_id")
PEOPLE = [
    dict(zip(_COLUMNS, row, strict=True))
    for row in [
        (1, "Анна Иванова", "anna.ivanova@mail.ru", "+79161234567", "1042"),
        (2, "Иван Иванов", "ivan.ivanov@mail.ru", "+79167654321", "1043"),
        (3, "Ирина Ивакина", None, "+79161234576", "10420"),
        (4, "Пётр Смирнов", "p.smirnov@yandex.ru", "+79031112233", None),
        (5, "Павел Смирнов", "pavel@yandex.ru", "+79031112234", None),
        (6, "Petra Smirnova", "petra@gmail.com", None, None),
        (7, "Agnieszka Wiśniewska", "aga.w@wp.pl", "+48600123456", None),
        (8, "Adam Wiśniewski", "adam@wp.pl", "+48600123465", None),
        (9, "Oliver Pemberton", "oliver.p@example.co.uk", "+447700900123", None),
        (10, "Olivia Pemberton", None, "+447700900321", None),
        (11, MARKUP_NAME, None, None, None),
    ]
]


@pytest.fixture(scope="module")
def index():
    return CustomerIndex.from_rows(PEOPLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ivnaova", 1),  # typo
        ("ivanova", 1),  # Latin finds Cyrillic
        ("Иванова", 1),
        ("anna ivanova", 1),
        ("petr smirnov", 4),  # ё and transliteration
        ("smirnov petr", 4),  # any word order
        ("Pyotr Smirnov", 4),
        ("wisniewska", 7),  # missing diacritics
        ("WIŚNIEWSKA", 7),
        ("agnieszka wisn", 7),  # as typed so far
        ("8 916 123-45-67", 1),  # national format with trunk 8
        ("+7 (916) 123-45-67", 1),
        ("79161234567", 1),
        ("123-45-67", 1),  # last digits only
        ("07700 900123", 9),  # UK national format with trunk 0
        ("+44 7700 900123", 9),
        ("oliver pemberton", 9),
        ("pemberton oliver", 9),
        ("pembreton oliver", 9),
        ("ivanova@", 1),  # email fragments
        ("p.smirnov@", 4),
        ("@example.co", 9),
        ("anna.ivanova@mail.ru", 1),
        ("smirnov 2234", 5),  # a name and the last digits of the phone
        ("smirnov 2233", 4),
        ("smirnov 8 903 111-22-34", 5),  # ... or the phone in national format
        ("1042", 1),  # exact external id beats the id it prefixes
        ("10420", 3),
    ],
)
def test_finds_the_right_person_first(index, query, expected):
    results = index.search(query)
    assert results, query
    assert results[0].customer_id == expected, [(m.customer_id, m.score, m.matched_on) for m in results[:3]]


def test_the_person_stays_first_while_the_name_is_typed(index):
    query = "petr smirnov"
    for end in range(len("petr"), len(query) + 1):
        assert index.search(query[:end])[0].customer_id == 4, query[:end]


def test_reports_what_matched(index):
    assert index.search("ivanova")[0].matched_on == "name"
    assert index.search("8 916 123-45-67")[0].matched_on == "phone"
    assert index.search("1042")[0].matched_on == "id"
    assert index.search("aga.w@")[0].matched_on == "email"


def test_exact_word_beats_typo_and_longer_word(index):
    scores = {m.customer_id: m.score for m in index.search("Иванов")}
    assert scores[2] == 100.0  # Иванов typed in full, as written
    assert scores[1] < scores[2]  # Иванова only starts with it
    latin = {m.customer_id: m.score for m in index.search("ivanov")}
    assert latin[2] == 99.5  # typed in another script: a little less, still above any longer word
    assert latin[1] < latin[2]
    assert index.search("ivanov")[0].customer_id == 2


def test_match_carries_the_customer_fields(index):
    top = index.search("pemberton oliver")[0]
    assert (top.name, top.email, top.phone, top.external_id) == (
        "Oliver Pemberton",
        "oliver.p@example.co.uk",
        "+447700900123",
        None,
    )


@pytest.mark.parametrize("query", ["", "   ", "!!! ...", "—", "@", "-- ++"])
def test_empty_or_punctuation_query_finds_nothing(index, query):
    assert index.search(query) == []


def test_one_weak_word_of_several_is_not_a_match(index):
    assert index.search("smirnof nothing here") == []
    assert index.search("smirnov nothing")[0].customer_id in (4, 5)  # one word of two, typed in full


def test_markup_like_name_is_found_and_returned_literally(index):
    for query in ("pay", MARKUP_NAME, "click app quit"):
        top = index.search(query)[0]
        assert top.customer_id == 11
        assert top.name == MARKUP_NAME


def test_limit_is_respected_and_results_are_best_first(index):
    results = index.search("iv", limit=3)
    assert len(results) == 3
    assert [m.score for m in results] == sorted((m.score for m in results), reverse=True)
    assert index.search("anna", limit=0) == []


def test_scales_down_to_no_customers_and_to_a_few():
    assert CustomerIndex.from_rows([]).search("anna") == []
    assert CustomerIndex.from_rows([]).search("8 916 123 45 67") == []
    few = CustomerIndex.from_rows([{"id": 5, "name": None, "email": None, "phone": None, "external_id": None}])
    assert few.search("anna") == []


def test_a_rare_pair_of_common_words_is_found_among_thousands():
    rows = [{"id": i, "name": "Anna Kowalska", "email": None, "phone": None, "external_id": None} for i in range(1500)]
    rows += [{"id": 2000 + i, "name": "Maria Zielińska"} for i in range(1500)]
    rows += [{"id": 5000 + i, "name": "Anna Zielińska"} for i in range(3)]
    index = CustomerIndex.from_rows(rows)
    for query in ("anna zielinska", "zielinska anna", "anna ziel"):
        found = index.search(query)
        assert {m.customer_id for m in found[:3]} == {5000, 5001, 5002}, query
        assert found[3].score < found[0].score


def test_a_short_last_word_narrows_among_thousands():
    # "z" begins hundreds of indexed words: it is checked against the Annas instead of being expanded.
    surnames = [f"Z{a}{b}ski" for a in "aeiouy" for b in "bcdfghjklmnprstvwz"]
    rows = [{"id": i, "name": f"Anna {['Kowalska', 'Nowak'][i % 2]}"} for i in range(1500)]
    rows += [{"id": 2000 + i, "name": f"Maria {surname}"} for i, surname in enumerate(surnames)]
    rows += [
        {"id": 5000, "name": "Anna Zielińska"},
        {"id": 5001, "name": "Anna Kowalska", "email": "anna.zawadzka@wp.pl"},
    ]
    index = CustomerIndex.from_rows(rows)
    for query in ("anna z", "z anna", "anna zi"):
        found = index.search(query, limit=5)
        assert found[0].customer_id == 5000, query
    assert [m.customer_id for m in index.search("anna z", limit=5)[:2]] == [5000, 5001]
    assert index.search("anna z", limit=5)[1].matched_on == "name"  # Anna in full outweighs the email word


def test_same_input_gives_same_order(index):
    assert index.search("an") == index.search("an")


def test_fold_meets_scripts_and_diacritics():
    assert fold("Пётр Смирнов") == "petr smirnov"
    assert fold("Wiśniewska Łucja") == "wisniewska lucja"
    assert tokens("Юлия Сергеевна") == tokens("Yuliya Sergeevna") == tokens("Iuliia Sergeevna")
    assert tokens("Дмитрий Хабибуллин") == tokens("Dmitry Khabibullin")
    assert tokens(MARKUP_NAME) == ["click", "app", "quit", "pai"]  # y -> i on both sides


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.text(max_size=40), st.from_regex(r"[a-zа-я+0-9 ().@-]{0,25}", fullmatch=True)),
    st.integers(min_value=1, max_value=5),
)
def test_any_input_returns_at_most_limit_results_best_first(index, text, limit):
    results = index.search(text, limit=limit)
    assert len(results) <= limit
    scores = [m.score for m in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 100 for s in scores)
    assert len({m.customer_id for m in results}) == len(results)


def _customer(store, **values) -> int:
    columns = ", ".join(values)
    with store.write() as conn:
        return conn.execute(
            f"INSERT INTO customers ({columns}, created_at, updated_at)"
            f" VALUES ({', '.join('?' * len(values))}, '2025-01-01', '2025-01-01')",
            tuple(values.values()),
        ).lastrowid


def test_a_command_finds_its_customer_by_id_email_external_id_or_any_phone_format(store):
    cid = _customer(store, name="Anna", email="anna@example.com", phone="+48601234567", external_id="00042")
    other = _customer(store, name="Other")
    store.set_setting("country", "pl")
    assert resolve_customer(store, f"#{cid}") == cid
    assert resolve_customer(store, " Anna@Example.com ") == cid
    assert resolve_customer(store, "00042") == cid  # leading zeros are part of the id
    assert resolve_customer(store, "601 234 567") == cid  # national format, the shop's country
    assert resolve_customer(store, "+48 601-234-567") == cid
    assert resolve_customer(store, f"#{other}") == other
    assert resolve_customer(store, str(other)) == other  # their reference is #N: the number alone will do
    with pytest.raises(ShopkeepError, match="no customer matches"):
        resolve_customer(store, str(cid))  # Anna's reference is her platform id, 00042, not her number
    with pytest.raises(ShopkeepError, match="no customer matches"):
        resolve_customer(store, "nobody@example.com")


def test_a_command_refuses_to_guess_between_customers_sharing_an_email(store):
    first = _customer(store, name="Anna", email="family@example.com")
    second = _customer(store, name="Piotr", email="family@example.com")
    expected = f"2 customers match that: #{first}, #{second}; use one of these references"
    with pytest.raises(ShopkeepError, match=expected):
        resolve_customer(store, "family@example.com")


# -- people as owners type them (issue 15) -------------------------------------------------------------


def _rows(names_and_phones):
    return [
        {"id": i, "name": name, "email": None, "phone": phone, "external_id": None}
        for i, (name, phone) in enumerate(names_and_phones, start=1)
    ]


# A small shop where every person the owner looks for has look-alikes ranked by id before them.
_SHOP = _rows(
    [
        *((f"{first} Fletcher", None) for first in ("Daniel", "Ruth", "Hannah", "Owen", "Chloe")),
        *((f"Lucy {last}", None) for last in ("Harris", "Ward", "Evans", "Hughes", "Jones")),
        *((f"{first} Smith", None) for first in ("Charlotte", "Chloe", "Isabel", "William")),
        ("Sophie Jones", None),
        ("Lisa Fletcher", None),
        ("Lucy Fletcher", "+447543187851"),  # 17
        ("Sophie Smith", "+447517487278"),  # 18
        ("Наталья Федорова", "+447400877205"),  # 19
        ("Anna Ivanova", None),  # 20: before Иванова Мария by id
        ("Иванова Мария", None),  # 21
    ]
)


@pytest.fixture(scope="module")
def shop_index():
    return CustomerIndex.from_rows(_SHOP, default_region="GB")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("+44 (0)7400-877205", 19),  # the "(0)" trunk notation
        ("+44 (0) 7400 877205", 19),
        ("люси", 17),  # Lucy, typed in Cyrillic: the only Lucy who is a Fletcher comes with the surname
        ("Люси Флетчер", 17),
        ("Lucy Флетчер", 17),
        ("sofi smyth", 18),  # Sophie Smith, as it sounds
        ("Иванова", 21),  # written as typed beats the same name in another script
        ("Ivanova", 20),
        ("Ivanova Maria", 21),
    ],
)
def test_finds_people_as_owners_type_them(shop_index, query, expected):
    results = shop_index.search(query)
    assert results, query
    top = [(m.customer_id, m.name, m.score) for m in results[:3]]
    if query == "люси":  # every Lucy sounds like it: all of them, before anyone else
        assert {m.customer_id for m in results[:6]} == {6, 7, 8, 9, 10, 17}, top
        assert all("Lucy" in (m.name or "") for m in results[:6])
        return
    assert results[0].customer_id == expected, top
    assert len(results) == 1 or results[1].score < results[0].score, top  # first on its own, not by id


def test_the_same_name_in_another_script_scores_just_below_it_as_typed(shop_index):
    scores = {m.customer_id: m.score for m in shop_index.search("Иванова")}
    assert scores[21] == 100.0
    assert scores[20] == 99.5


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Lucy", "Люси"),
        ("Sophie", "Софи"),
        ("Smith", "Смит"),
        ("Fletcher", "Флетчер"),
        ("Ivanova", "Иванова"),
        ("Wiśniewska", "Вишневская"),
        ("Piotr", "Пётр"),
        ("Michał", "Михал"),
        ("Grzegorz", "Гжегож"),
        ("Julia", "Юлия"),
    ],
)
@pytest.mark.parametrize("direction", ["latin stored", "cyrillic stored"])
def test_transliteration_works_both_ways_for_common_names(stored, typed, direction):
    if direction == "cyrillic stored":
        stored, typed = typed, stored
    decoys = [
        "Lisa",
        "Sonia",
        "Smart",
        "Fletch",
        "Ivanov",
        "Wiśniewski",
        "Pavel",
        "Mikołaj",
        "Grzegorczyk",
        "Jolanta",
    ]
    rows = [{"id": i, "name": f"Anna {word}"} for i, word in enumerate(decoys, start=1)]
    rows.append({"id": 100, "name": f"Anna {stored}"})
    found = CustomerIndex.from_rows(rows).search(f"anna {typed}")
    assert found[0].customer_id == 100, [(m.name, m.score) for m in found[:3]]
    assert len(found) == 1 or found[1].score < found[0].score


def test_a_uk_national_number_is_found_among_twenty_thousand_without_a_country():
    # Many numbers share the beginning and the end of the one looked for; no country is set.
    rows = [{"id": i, "name": f"Customer {i}", "phone": f"+447700{i:06d}"} for i in range(1, 20_001)]
    rows += [{"id": 30_000 + i, "name": f"Other {i}", "phone": f"+4479{i:04d}900123"} for i in range(1, 301)]
    rows.append({"id": 99_999, "name": "Oliver Pemberton", "phone": "+447700900123"})
    index = CustomerIndex.from_rows(rows)
    for query in ("07700 900123", "07700900123", "0 7700 900 123", "+44 7700 900123", "+44 (0)7700 900123"):
        found = index.search(query)
        assert found and found[0].customer_id == 99_999, query
        assert found[0].score == 100.0, query


def test_sound_keys_meet_across_scripts():
    from shopkeep.translit import sound_keys

    def keys(name):
        return {key for word in tokens(name) for key in sound_keys(word)}

    for latin, cyrillic in [("Lucy", "Люси"), ("Sophie", "Софи"), ("Wiśniewska", "Вишневская")]:
        assert keys(latin) & keys(cyrillic), (latin, cyrillic)
    assert not keys("Lucy") & keys("Lisa")
    assert sound_keys("123") == ()
