"""Issue 15: the README's key tables are current: every key a screen binds is named in the README's row for that
screen (or, for the keys that mean the same everywhere, in the table of shared keys or the line of global keys)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from shopkeep.tui.app import ShopkeepApp
from shopkeep.tui.screens.card import CustomerCardScreen
from shopkeep.tui.screens.customers import CustomersScreen
from shopkeep.tui.screens.loyalty import LoyaltyScreen
from shopkeep.tui.screens.no_phone import NoPhoneScreen
from shopkeep.tui.screens.referrals import ReferralsScreen
from shopkeep.tui.screens.segments import MembersScreen, SegmentsScreen
from shopkeep.tui.screens.today import TodayScreen

README = Path(__file__).resolve().parents[2] / "README.md"
SHOWN_AS = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter", "down": "↓", "left": "←"}


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("### Every day") : text.index("### In a browser")]


def _row(section: str, title: str) -> str:
    return next(line for line in section.splitlines() if f"**{title}**" in line)


def _keys(screen: type) -> list[str]:
    keys = []
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or binding.key == "escape":  # Esc is "back" everywhere
            continue
        key = binding.key_display if binding.key_display and len(binding.key_display) <= 2 else binding.key
        keys.append(SHOWN_AS.get(key, key if len(key) == 1 else key.replace("f", "F", 1) if key[1:].isdigit() else key))
    return keys


def _named(text: str, key: str) -> bool:
    if key.isdigit():  # the number keys are named as one range
        return "`1`–`6`" in text
    return re.search(rf"`{re.escape(key)}`|\b{re.escape(key)}\b" if key == "Enter" else f"`{re.escape(key)}`", text)


def test_every_screen_s_keys_are_in_its_readme_row():
    section = _section()
    shared = section[section.index("The same keys mean the same thing") :]
    everywhere = section  # the app's own keys: the screens table, the shared table and the line of global keys
    places = [
        (TodayScreen, _row(section, "Today") + shared),
        (NoPhoneScreen, _row(section, "Today")),
        (CustomersScreen, _row(section, "Customers")),
        (SegmentsScreen, _row(section, "Segments")),
        (MembersScreen, _row(section, "Segments")),
        (LoyaltyScreen, _row(section, "Loyalty")),
        (ReferralsScreen, _row(section, "Referrals")),
        (CustomerCardScreen, shared),
        (ShopkeepApp, everywhere),
    ]
    missing = [f"{screen.__name__}: {key}" for screen, text in places for key in _keys(screen) if not _named(text, key)]
    assert not missing, f"keys the README does not name where they work: {missing}"
