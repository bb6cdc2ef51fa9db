from __future__ import annotations

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


def _texts(script: Script) -> list[str]:
    return [script.title, script.opening, *script.questions, *script.talking_points, *script.offers]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_default_script_renders_fully(language):
    used = set()
    for reason in REASONS:
        script = default_script(reason, language)
        assert script.opening and script.questions and script.offers
        used |= {key for text in _texts(script) for key in re.findall(r"\{(\w+)\}", text)}
        rendered = " ".join(_texts(render_script(script, VALUES)))
        assert "{" not in rendered and "}" not in rendered
        assert "Anna" in rendered
    assert used == set(PLACEHOLDERS)  # each language uses every placeholder somewhere


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Hello Anna, this is the shop you bought Green tea 100 g from. We have not seen you for 61 days"),
        ("ru", "Здравствуйте, Anna! Это магазин, где вы покупали Green tea 100 g. Вас не было 61 дней"),
        (
            "pl",
            "Dzień dobry, Anna! Tu sklep, w którym kupił(a) Pan/Pani Green tea 100 g. Nie widzieliśmy się od 61 dni",
        ),
    ],
)
def test_forgot_script_in_three_languages(language, expected):
    rendered = render_script(default_script("forgot", language), VALUES)
    assert rendered.opening.startswith(expected)
    assert any("340" in t and "Gold" in t for t in rendered.talking_points)
    assert any(t.startswith("120 ") for t in rendered.talking_points)


def test_talking_points_about_values_the_customer_lacks_are_left_out():
    rendered = render_script(default_script("forgot", "en"), {**VALUES, "points_expiring": None})
    assert rendered.talking_points == ["You still have 340 points (Gold)."]
    no_product = render_script(default_script("forgot", "en"), {**VALUES, "last_product": None})
    assert no_product.questions == ["Is there anything you need at the moment?"]
    assert "bought — from" in no_product.opening  # the opening is always said: the gap shows


def test_hostile_name_is_inserted_as_is_and_never_expanded():
    hostile = {**VALUES, "name": "{name}[/]{points}{0}{", "last_product": "[bold]x[/bold] {referral_code}"}
    rendered = render_script(default_script("let_down", "en"), hostile)
    assert rendered.opening == (
        "Hello {name}[/]{points}{0}{, I am calling about your order of [bold]x[/bold] {referral_code}. "
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
    with pytest.raises(ShopkeepError, match=r"unknown placeholder \{nmae\}, \{x_y\}; use: \{name\}"):
        save_script(store, "forgot", "en", edited)
    assert load_script(store, "forgot", "en") == default_script("forgot", "en")
