"""How a script is laid out to be read on the phone: headings in the script's language, the tips apart."""

from __future__ import annotations

import datetime as dt

import pytest

from shopkeep.scripts import LANGUAGES, default_script, render_script
from shopkeep.tui.widgets.script_view import script_content

FACTS = {
    "name": "Anna Nowak",
    "shop": "Tea & Co",
    "last_product": "Green tea",
    "days_since": 61,
    "points": 340,
    "owed_kind": "refund",
    "owed_amount": 2500,
    "currency": "PLN",
    "owed_due": dt.date(2026, 11, 12),
}


@pytest.mark.parametrize(
    ("language", "headings", "tips"),
    [
        ("en", ["Ask", "Offer  (o: choose)"], "─ Tips for you — not to read out ─"),
        ("ru", ["Спросите", "Предложите  (o — выбрать)"], "─ Подсказки для вас — не зачитывать ─"),
        ("pl", ["Zapytaj", "Zaproponuj  (o — wybierz)"], "─ Wskazówki dla Ciebie — nie do czytania ─"),
    ],
)
def test_headings_are_in_the_scripts_language_and_the_tips_come_last_apart(language, headings, tips):
    script = render_script(default_script("compensation", language), FACTS)
    content = script_content(script, "compensation late", None)
    lines = content.plain.splitlines()
    for heading in headings:
        assert heading in lines
    others = {"en": ["Спросите", "Zapytaj"], "ru": ["Ask", "Zapytaj"], "pl": ["Ask", "Спросите"]}[language]
    assert not set(others) & set(lines)
    at = lines.index(tips)
    assert lines[at - 1] == ""  # a block of its own, after the offers
    assert lines[at + 1 :] == [f"· {tip}" for tip in script.notes]
    offers = lines.index(headings[-1])
    assert offers < at and lines[offers + 1 : offers + 1 + len(script.offers)] == [f"  {o}" for o in script.offers]
    # the tips are dimmed; nothing read aloud is
    start = content.plain.index(tips)
    assert any("dim" in str(span.style) and span.start <= start < span.end for span in content.spans)
    opening = content.plain.index(script.opening)
    assert not any("dim" in str(span.style) and span.start <= opening < span.end for span in content.spans)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_script_without_tips_shows_no_tips_block(language):
    script = render_script(default_script("other", language), FACTS)
    assert script.notes == []
    assert "─ " not in script_content(script, "other", None).plain
