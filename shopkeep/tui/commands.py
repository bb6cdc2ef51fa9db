"""The command palette (ctrl+p): every screen, every global action, the language, and the keys of the
screen below."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from shopkeep import i18n
from shopkeep.i18n import _


class ShopkeepCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from shopkeep.tui.app import SCREENS_BY_KEY

        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (
                _("Go to {screen}").format(screen=_(name)),
                _("F{key} or {key}").format(key=key),
                partial(app.switch_mode, mode),
            )
            for key, (mode, name) in SCREENS_BY_KEY.items()
        ]
        commands.append((_("Search customers"), _("key {key}").format(key="/"), partial(app.run_action, "search")))
        commands.append((_("Show all keys"), _("key {key}").format(key="?"), partial(app.run_action, "keys")))
        commands.append(
            (_("Import orders from a file"), _("key i: the same import as `shopkeep import`"), app.action_import_file)
        )
        commands.append(
            (
                _("Shop settings"),
                _("name, caller, currency, phone country"),
                partial(app.run_action, "shop_settings"),
            )
        )
        # Each language named in itself: whoever cannot read the one in use still finds their own.
        for code, name in i18n.LANGUAGES.items():
            if code != i18n.language():
                commands.append(
                    (
                        _("Language: {language}").format(language=name),
                        _("key {key}: English, Russian, Polish in turn").format(key="F7"),
                        partial(app.run_action, f"language('{code}')"),
                    )
                )
        stale = getattr(app, "newest_order", None)
        if getattr(app, "data_is_old", False) and stale is not None:
            commands.append(
                (
                    _("Look at the shop as of its last order day ({day})").format(day=i18n.format_date(stale)),
                    _("key {key}").format(key="F9"),
                    app.action_as_of_last_order,
                )
            )
        screen = self.screen
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description and screen.check_action(binding.action, ()):
                commands.append(
                    (
                        f"{screen.title}: {_(binding.description)}",
                        _("key {key}").format(key=binding.key),
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
