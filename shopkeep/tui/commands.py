"""The command palette (ctrl+p): every screen, every global action, and the keys of the screen below."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from shopkeep.i18n import _


class ShopkeepCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from shopkeep.tui.app import SCREENS_BY_KEY

        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"Go to {name}", f"F{key} or {key}", partial(app.switch_mode, mode))
            for key, (mode, name) in SCREENS_BY_KEY.items()
        ]
        commands.append(("Search customers", "key /", partial(app.run_action, "search")))
        commands.append(("Show all keys", "key ?", partial(app.run_action, "keys")))
        commands.append(
            (_("Import orders from a file"), _("key i: the same import as `shopkeep import`"), app.action_import_file)
        )
        commands.append(
            ("Shop settings", "name, caller, currency, phone country", partial(app.run_action, "shop_settings"))
        )
        stale = getattr(app, "newest_order", None)
        if getattr(app, "data_is_old", False) and stale is not None:
            commands.append(
                (
                    f"Look at the shop as of its last order day ({stale.isoformat()})",
                    "key F9",
                    app.action_as_of_last_order,
                )
            )
        screen = self.screen
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description and screen.check_action(binding.action, ()):
                commands.append(
                    (
                        f"{screen.title}: {binding.description}",
                        f"key {binding.key}",
                        partial(screen.run_action, binding.action),
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
