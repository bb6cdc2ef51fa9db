from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.errors import ShopkeepError
from shopkeep.scripts import (
    LANGUAGES,
    PLACEHOLDERS,
    REASONS,
    Script,
    default_script,
    fill,
    load_script,
    render_script,
    reset_script,
    save_script,
    spoken_values,
)

VALUES = {
    "name": "Anna",
    "last_product": "Green tea 100 g",
    "days_since": 61,
    "points": 340,
    "tier": "Gold",
    "points_expiring": 120,
    "referral_code": "ANNA-7Q",
}
SHOP = {"shop": "Tea & Co", "caller": "Tom"}
OWED = {"owed_kind": "refund", "owed_amount": 1250, "currency": "GBP", "owed_due": dt.date(2026, 11, 12)}


def _texts(script: Script) -> list[str]:
    return [script.title, script.opening, *script.questions, *script.talking_points, *script.offers, *script.notes]


def _said(script: Script) -> str:
    """Everything read aloud (not the tips)."""
    return " ".join([script.opening, *script.questions, *script.talking_points, *script.offers])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_default_script_renders_fully(language):
    used = set()
    for reason in REASONS:
        script = default_script(reason, language)
        assert script.language == language
        assert script.opening.startswith("{greeting} ")  # every call opens the same way: hello, who, which shop
        assert script.questions and script.offers
        used |= {key for text in _texts(script) for key in re.findall(r"\{(\w+)\}", text)}
        facts = VALUES | SHOP | OWED | {"free_delivery_from": 5000}
        rendered = " ".join(_texts(render_script(script, facts)))
        assert "{" not in rendered and "}" not in rendered
        assert "Anna" in rendered and "Tea & Co" in rendered and "Tom" in rendered
        values = spoken_values(facts, language)
        assert all(values[key] not in (None, "") for key in re.findall(r"\{(\w+)\}", script.opening))
    spoken = {"last_order_ago", "balance", "expiring", "owed", "owed_due", "free_delivery_from"}
    assert used == {"greeting", "last_product", "tier", "referral_code"} | spoken | (
        {"pan", "panu"} if language == "pl" else set()
    )
    assert used <= set(PLACEHOLDERS)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Hello Anna, this is Tom from Tea & Co. Your last order with us was 2 months ago, so I wanted"),
        ("ru", "Здравствуйте, Anna! Меня зовут Tom, я из магазина «Tea & Co». Последний раз вы заказывали у нас"),
        ("pl", "Dzień dobry, Anna! Mówi Tom ze sklepu Tea & Co. Ostatnie zamówienie u nas było 2 miesiące temu"),
    ],
)
def test_forgot_script_in_three_languages(language, expected):
    rendered = render_script(default_script("forgot", language), VALUES | SHOP)
    assert rendered.opening.startswith(expected)
    assert any("340" in t and "Gold" in t for t in rendered.talking_points)
    assert any("120" in t for t in rendered.talking_points)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (SHOP, "Hello Anna, this is Tom from Tea & Co."),
        ({"shop": "Tea & Co"}, "Hello Anna, this is Tea & Co."),  # no caller set: the line still reads
        ({"caller": "Tom"}, "Hello Anna, this is Tom."),
        ({}, "Hello Anna."),
        ({"name": "Anna Kowalska", **SHOP}, "Hello Anna, this is Tom from Tea & Co."),  # by first name
        ({"name": None, **SHOP}, "Hello, this is Tom from Tea & Co."),
    ],
)
def test_english_greets_by_first_name_and_names_the_shop_and_the_caller(facts, expected):
    rendered = render_script(default_script("other", "en"), VALUES | {"name": "Anna"} | facts)
    assert rendered.opening.startswith(expected + " ")


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"name": "Иванова Мария", **SHOP}, "Здравствуйте, Мария! Меня зовут Tom, я из магазина «Tea & Co»."),
        ({"name": "Мария Петровна Иванова"}, "Здравствуйте, Мария!"),  # not the patronymic, not the surname
        ({"name": "Иванова Мария", "shop": "Tea & Co"}, "Здравствуйте, Мария! Это магазин «Tea & Co»."),
        ({"name": "Мария Иванова", "first_name": "Маша"}, "Здравствуйте, Маша!"),  # the export's own first name
    ],
)
def test_russian_greets_by_first_name(facts, expected):
    rendered = render_script(default_script("other", "ru"), VALUES | facts)
    assert rendered.opening.startswith(expected)


@pytest.mark.parametrize(
    ("name", "hello", "pan", "panu"),
    [
        ("Agnieszka Wiśniewska", "Dzień dobry, Pani Wiśniewska!", "Pani", "Pani"),
        ("Wiśniewska Agnieszka", "Dzień dobry, Pani Wiśniewska!", "Pani", "Pani"),
        ("Jan Kowalski", "Dzień dobry, Panie Kowalski!", "Pan", "Panu"),
        ("Kuba Nowak", "Dzień dobry, Panie Nowak!", "Pan", "Panu"),  # ends in -a, a man
        ("Barnaba Zieliński", "Dzień dobry, Panie Zieliński!", "Pan", "Panu"),
        ("Miriam Nowak", "Dzień dobry, Pani Nowak!", "Pani", "Pani"),  # a woman's name not in -a
        ("Kowalska, Anna", "Dzień dobry, Pani Kowalska!", "Pani", "Pani"),
        # Unsure: greeted by first name, and "Pan/Pani" is left for the caller to choose by ear.
        ("Sophie Smith", "Dzień dobry, Sophie!", "Pan/Pani", "Panu/Pani"),
        ("Alex Nowak", "Dzień dobry, Alex!", "Pan/Pani", "Panu/Pani"),
        ("Maria Kowalski", "Dzień dobry, Maria!", "Pan/Pani", "Panu/Pani"),  # name and surname disagree
        ("Agnieszka", "Dzień dobry, Agnieszka!", "Pani", "Pani"),  # no surname
        ("Иванова Мария", "Dzień dobry, Мария!", "Pan/Pani", "Panu/Pani"),  # another script: not guessed
    ],
)
def test_polish_greets_pan_or_pani_with_the_surname_and_speaks_to_that_person(name, hello, pan, panu):
    facts = VALUES | {"name": name, "shop": "Herbata"} | OWED
    forgot = render_script(default_script("forgot", "pl"), facts)
    assert forgot.opening.startswith(f"{hello} Z tej strony sklep Herbata. ")
    assert f"Czy potrzebuje {pan} teraz czegoś z naszej oferty?" in forgot.questions
    assert forgot.talking_points[0].startswith(f"Ma {pan} u nas 340 punktów")
    compensation = render_script(default_script("compensation", "pl"), facts)
    assert f"Obiecaliśmy {panu} zwrot 12,50\u00a0GBP do 12 listopada" in compensation.opening
    if "/" not in pan:
        everything = " ".join(_texts(forgot) + _texts(compensation))
        assert "Pan/Pani" not in everything and "Panu/Pani" not in everything and "(a)" not in everything


def test_polish_greeting_uses_the_exports_own_name_columns():
    facts = VALUES | {"name": "A. Nowak", "first_name": "Anna", "last_name": "Nowak"}
    assert render_script(default_script("other", "pl"), facts).opening.startswith("Dzień dobry, Pani Nowak!")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "We promised you a refund of £12.50 by 12 November, and we have not kept that promise."),
        ("ru", "Мы обещали вам возврат 12,50\u00a0£ до 12 ноября и не сдержали слово."),  # money as Russian writes it
        ("pl", "Obiecaliśmy Pani zwrot 12,50\u00a0GBP do 12 listopada i nie dotrzymaliśmy terminu."),
    ],
)
def test_the_compensation_script_says_what_is_owed_and_when_it_was_due(language, expected):
    rendered = render_script(default_script("compensation", language), VALUES | {"name": "Anna Nowak"} | OWED)
    assert expected in rendered.opening


@pytest.mark.parametrize(
    ("owed", "language", "expected"),
    [
        ({"owed_kind": "bonus", "owed_points": 200}, "en", "200 bonus points"),
        ({"owed_kind": "bonus", "owed_points": 1}, "en", "1 bonus point"),
        ({"owed_kind": "bonus", "owed_points": 22}, "ru", "22 бонусных балла"),
        ({"owed_kind": "bonus", "owed_points": 25}, "pl", "25 punktów bonusowych"),
        ({"owed_kind": "credit", "owed_amount": 500, "currency": "PLN"}, "pl", "rekompensatę 5\u00a0zł"),
        ({"owed_kind": "credit", "owed_amount": 150000, "currency": "RUB"}, "ru", "компенсацию 1\u00a0500\u00a0₽"),
        ({"owed_kind": "credit", "owed_amount": 2550, "currency": "EUR"}, "en", "a credit of €25.50"),
        ({"owed_kind": "other", "owed_description": "a new teapot"}, "en", "a new teapot"),
        ({"owed_kind": "refund"}, "en", "a refund by"),  # no amount written down
    ],
)
def test_what_is_owed_reads_in_the_language(owed, language, expected):
    facts = VALUES | owed | {"owed_due": dt.date(2026, 3, 2)}
    assert expected in render_script(default_script("compensation", language), facts).opening


@pytest.mark.parametrize(
    ("points", "ru", "pl", "en"),
    [
        (1, "1 балл", "1 punkt", "1 point"),
        (2, "2 балла", "2 punkty", "2 points"),
        (5, "5 баллов", "5 punktów", "5 points"),
        (21, "21 балл", "21 punktów", "21 points"),
        (22, "22 балла", "22 punkty", "22 points"),
        (112, "112 баллов", "112 punktów", "112 points"),
    ],
)
def test_numbers_agree_with_their_nouns(points, ru, pl, en):
    for language, expected in (("ru", ru), ("pl", pl), ("en", en)):
        said = _said(render_script(default_script("other", language), VALUES | {"points": points}))
        assert re.search(rf"(?<!\d){expected}(?!\w)", said), (language, said)


def test_tips_are_kept_apart_from_the_lines_to_read():
    for language in LANGUAGES:
        for reason in REASONS:
            script = default_script(reason, language)
            said = _said(script)
            for text in ("honest apology", "Честное извинение", "Szczere przeprosiny", "Tell them", "Расскажите,"):
                assert text not in said, (reason, language)
    tips = default_script("compensation", "en").notes
    assert tips[0] == "An honest apology matters, even without anything else."


def test_lines_about_values_nobody_set_are_left_out():
    delivery = default_script("delivery", "en")
    assert render_script(delivery, VALUES).talking_points == []  # no threshold set: nothing said about one
    with_threshold = render_script(delivery, VALUES | {"free_delivery_from": 5000, "currency": "GBP"})
    assert with_threshold.talking_points == ["Orders from £50 now ship free."]
    for language in LANGUAGES:
        said = " ".join(_texts(render_script(default_script("delivery", language), VALUES)))
        assert "threshold" not in said and "пределённой суммы" not in said and "pewnej kwoty" not in said
    edited = delivery.model_copy(update={"offers": ["Free delivery from {free_delivery_from}", "A delivery pass"]})
    assert render_script(edited, VALUES).offers == ["A delivery pass"]
    no_currency = render_script(delivery, VALUES | {"free_delivery_from": 5000})
    assert no_currency.talking_points == []  # an amount in no known currency is not said


def test_talking_points_about_values_the_customer_lacks_are_left_out():
    rendered = render_script(default_script("forgot", "en"), {**VALUES, "points_expiring": None})
    assert rendered.talking_points == ["You have 340 points with us, at the Gold level."]
    nothing = render_script(default_script("forgot", "en"), {**VALUES, "points": 0, "points_expiring": None})
    assert nothing.talking_points == []  # "you have 0 points" is not worth saying
    no_product = render_script(default_script("forgot", "en"), {**VALUES, "last_product": None})
    assert no_product.questions == ["Is there anything you need at the moment?"]
    no_orders = render_script(default_script("forgot", "en"), {**VALUES, "days_since": None})
    assert no_orders.opening == "Hello Anna."  # a sentence of the opening about nothing is left out too
    edited = default_script("forgot", "en").model_copy(update={"opening": "About {last_product}: sorry."})
    assert render_script(edited, {**VALUES, "last_product": None}).opening == "About —: sorry."  # never empty


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Hello Anna. I am sorry — I am calling to put it right today."),
        ("ru", "Здравствуйте, Anna! Простите нас — звоню, чтобы всё исправить сегодня."),
        ("pl", "Dzień dobry, Anna! Bardzo przepraszam — dzwonię, żeby to dziś naprawić."),
    ],
)
def test_a_compensation_call_with_no_promise_on_record_says_nothing_it_cannot_know(language, expected):
    assert render_script(default_script("compensation", language), VALUES).opening == expected


def test_russian_defaults_say_lower_case_vy_and_polish_defaults_use_no_gender_slashes():
    for reason in REASONS:
        ru = default_script(reason, "ru")
        for text in _texts(ru):
            for sentence in re.split(r"(?<=[.!?—:])\s+", text.removeprefix("{greeting} ")):
                assert not re.search(r"(?<!^)\b(Вы|Вас|Вам|Ваш\w*)\b", sentence), (reason, sentence)
        pl = " ".join(_texts(default_script(reason, "pl")))
        assert "(a)" not in pl and "Pan/Pani" not in pl and "Panu/Pani" not in pl and "Pana/Panią" not in pl


def test_hostile_name_is_inserted_as_is_and_never_expanded():
    hostile = {**VALUES, "name": "{name}[/]{points}{0}{", "last_product": "[bold]x[/bold] {referral_code}"}
    rendered = render_script(default_script("let_down", "en"), hostile)
    assert rendered.opening == (
        "Hello {name}[/]{points}{0}{. I am calling about your order of [bold]x[/bold] {referral_code}. "
        "I am sorry it did not go as it should."
    )


def test_broken_or_unknown_braces_in_an_edited_script_stay_as_typed():
    assert (
        fill("Hi {name}! {unknown} {name.__class__} {0} { {", VALUES) == "Hi Anna! {unknown} {name.__class__} {0} { {"
    )


@settings(max_examples=100)
@given(st.text(min_size=1))
def test_any_name_is_inserted_verbatim(name):
    assert fill("Hi {name}, you have {points} points", {"name": name, "points": 3}) == f"Hi {name}, you have 3 points"


def test_missing_values_show_a_dash():
    assert fill("{name}, {last_product}, {points}", {"name": None, "points": 0}) == "—, —, 0"


def test_owner_edits_a_script_and_resets_it(store):
    edited = default_script("delivery", "pl").model_copy(update={"opening": "Cześć {name}!", "title": "Dostawa"})
    save_script(store, "delivery", "pl", edited)
    assert load_script(store, "delivery", "pl") == edited
    assert load_script(store, "delivery", "en") == default_script("delivery", "en")  # other language untouched
    reset_script(store, "delivery", "pl")
    assert load_script(store, "delivery", "pl") == default_script("delivery", "pl")


def test_damaged_stored_script_is_a_clear_error(store):
    store.conn.execute(
        "INSERT INTO call_scripts (reason, language, title, body, updated_at) VALUES ('moved', 'en', 't', '{', 'x')"
    )
    with pytest.raises(ShopkeepError, match="damaged; reset it"):
        load_script(store, "moved", "en")


def test_unknown_reason_or_language_refused(store):
    with pytest.raises(ShopkeepError, match="unknown reason"):
        load_script(store, "weather", "en")
    with pytest.raises(ShopkeepError, match="unknown script language"):
        save_script(store, "moved", "de", default_script("moved", "en"))


def test_an_edit_with_an_unknown_placeholder_is_refused_and_nothing_is_stored(store):
    edited = default_script("forgot", "en").model_copy(update={"opening": "Hi {nmae}!", "offers": ["{Code} {x_y}"]})
    with pytest.raises(ShopkeepError, match=r"unknown placeholder \{nmae\}, \{x_y\}; use: \{greeting\}, \{name\}"):
        save_script(store, "forgot", "en", edited)
    assert load_script(store, "forgot", "en") == default_script("forgot", "en")
