"""One registry of churn reasons (shopkeep.reasons): everything a reason needs is there, or this fails."""

from __future__ import annotations

import pytest

from shopkeep import calls, messages, reasons, scripts
from shopkeep.calls import CallSettings, suggest_reason
from shopkeep.reasons import REASONS, Reason

from .helpers import order


def gaps(registry: tuple[Reason, ...]) -> list[str]:
    """What a reason in `registry` lacks to work everywhere (empty when nothing does)."""
    missing = []
    for reason in registry:
        if not reason.label.strip():
            missing.append(f"{reason.key}: no label")
        for language in scripts.LANGUAGES:
            if (reason.key, language) not in scripts._DEFAULTS:
                missing.append(f"{reason.key}: no default {language} script")
            if reason.key not in messages._TEXTS.get(language, {}):
                missing.append(f"{reason.key}: no {language} message for customers without a phone")
        if (reason.check is None) != (reason.check_order is None):
            missing.append(f"{reason.key}: a check needs its place in the order of checks, and only a check has one")
    return missing


def test_every_reason_has_a_label_a_script_and_a_message_in_every_language():
    assert gaps(REASONS) == []
    for reason in REASONS:
        for language in scripts.LANGUAGES:
            assert scripts.default_script(reason.key, language).title


def test_a_new_reason_without_its_scripts_is_caught():
    new = (*REASONS, Reason("too_far", "too far away", lambda orders, settings, late: None, check_order=6))
    assert gaps(new) == [
        "too_far: no default en script",
        "too_far: no en message for customers without a phone",
        "too_far: no default ru script",
        "too_far: no ru message for customers without a phone",
        "too_far: no default pl script",
        "too_far: no pl message for customers without a phone",
    ]
    assert gaps((Reason("quiet", " "),)) == [
        "quiet: no label",
        *(
            f"quiet: no {what}"
            for lang in ("en", "ru", "pl")
            for what in (f"default {lang} script", f"{lang} message for customers without a phone")
        ),
    ]


def test_the_other_lists_derive_from_the_registry():
    keys = tuple(r.key for r in REASONS)
    assert scripts.REASONS == keys == tuple(calls.REASON_LABELS)
    assert len(set(keys)) == len(keys)
    assert calls.REASON_LABELS["delivery"] == "delivery cost"
    orders = [r.check_order for r in REASONS if r.check_order is not None]
    assert len(set(orders)) == len(orders)  # one place each in the order of checks
    assert reasons.FALLBACK in keys and reasons.BY_KEY[reasons.FALLBACK].check is None
    assert reasons.label("let_down") == "let down" and reasons.label("no_such") == "no such"


def test_the_checks_run_in_their_order():
    s = CallSettings()
    refunded_with_dear_delivery = [order(1, 90, shipping=2000), order(1, 60, shipping=1000, status="refunded")]
    assert suggest_reason(refunded_with_dear_delivery, s)[0] == "let_down"  # let down is checked before delivery
    assert suggest_reason(refunded_with_dear_delivery, s, promise_late=True)[0] == "compensation"
    assert suggest_reason(
        [order(1, 90, discount=500, city="Kraków"), order(1, 60, discount=100, city="Gdańsk")], s
    ) == (
        "prices",
        "every order used a discount",
    )
    assert suggest_reason([], s) == ("forgot", "")


def test_the_demo_calls_about_known_reasons_with_notes_for_each():
    from shopkeep import demo

    assert set(demo.CALL_NOTES) == set(demo.OFFERS) <= set(reasons.KEYS)


@pytest.mark.parametrize("reason", [r for r in REASONS if r.check is not None], ids=lambda r: r.key)
def test_each_check_says_why_in_plain_words(reason):
    s = CallSettings()
    assert reason.check([], s, False) is None  # no orders, nothing late: no evidence


def test_labels_are_shown_in_the_language_in_use(monkeypatch):
    monkeypatch.setattr(reasons, "_", lambda text: text.upper())
    assert reasons.label("delivery") == "DELIVERY COST"
    assert list(reasons.labels().items())[:2] == [("forgot", "FORGOT ABOUT US"), ("delivery", "DELIVERY COST")]
