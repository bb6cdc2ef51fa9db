"""The screens come from one table (SCREENS_BY_KEY): each number key reaches a screen that exists."""

from __future__ import annotations

import importlib

from textual.screen import Screen

from shopkeep.tui.app import HOME_MODE, SCREENS_BY_KEY, ShopkeepApp


def test_every_number_key_has_its_screen_and_every_screen_a_key():
    modes = [mode for mode, _ in SCREENS_BY_KEY.values()]
    assert sorted(ShopkeepApp.MODES) == sorted(modes)
    assert ShopkeepApp.DEFAULT_MODE == HOME_MODE in modes
    for mode, title in SCREENS_BY_KEY.values():
        screen = getattr(importlib.import_module(f"shopkeep.tui.screens.{mode}"), f"{title}Screen")
        assert issubclass(screen, Screen), mode
    keys = {b.key: b.action for b in ShopkeepApp.BINDINGS if b.action.startswith("switch_mode")}
    for key, (mode, _) in SCREENS_BY_KEY.items():
        assert keys[key] == keys[f"f{key}"] == f"switch_mode('{mode}')"
