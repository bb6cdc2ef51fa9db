"""What every shopkeep screen shares: a title, worker errors as notifications, the empty state, and the
language: keys, titles and texts read in the language in use, redrawn when it is switched."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import TYPE_CHECKING, cast

from textual import events
from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _, language
from shopkeep.tui.safe import plain

if TYPE_CHECKING:
    from shopkeep.tui.app import ShopkeepApp


def describe_error(error: BaseException | None) -> str:
    """One line for the owner. Never the exception's text unless it is ours (ours carry no customer data)."""
    if isinstance(error, ShopkeepError):
        return str(error)
    if isinstance(error, sqlite3.OperationalError):
        return _("database problem: {error}").format(error=error)
    return _("something went wrong ({error}); nothing was saved by this step").format(error=type(error).__name__)


def notify_worker_error(node: Screen | ShopkeepApp, event: Worker.StateChanged) -> None:
    if event.state is WorkerState.ERROR:
        node.app.notify(describe_error(event.worker.error), severity="error", timeout=8)


def translated_bindings(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """Key descriptions and tooltips in the language in use. BINDINGS are made at import (marked with
    N_), and the footer, the `?` panel and the palette all read a screen's `active_bindings`: translating
    there makes every one of them follow a language switch."""
    out = {}
    for key, active in bindings.items():
        binding = active.binding
        description = _(binding.description) if binding.description else ""
        tooltip = _(binding.tooltip) if binding.tooltip else ""
        if description != binding.description or tooltip != binding.tooltip:
            binding = dataclasses.replace(binding, description=description, tooltip=tooltip)
            active = active._replace(binding=binding, tooltip=_(active.tooltip) if active.tooltip else "")
        out[key] = active
    return out


# The Russian keyboard (ЙЦУКЕН) on the keys of the Latin one: a key pressed with the Russian layout on means
# the key printed beside it (ф is a, ц is w), so that no one has to switch layouts to use the keys.
_RUSSIAN = "йцукенгшщзхъфывапролджэячсмитьбюё"
_LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
LAYOUT_KEYS = dict(zip(_RUSSIAN + _RUSSIAN.upper(), _LATIN + _LATIN.upper(), strict=True))


async def key_by_layout(screen: Screen, event: events.Key) -> None:
    """A Cyrillic letter no widget took (a typing box takes it as text) runs the key on the same place of
    the Latin keyboard, if the screen has it."""
    latin = LAYOUT_KEYS.get(event.character or "")
    if latin is None:
        return
    active = screen.active_bindings.get(latin)
    if active is not None and active.enabled:
        event.stop()
        await screen.app.run_action(active.binding.action, active.node)


class ShopScreen(Screen):
    """Base class for the app's screens: header, footer, errors from workers shown as notifications.
    `TITLE` is marked with N_ and shown translated; `retranslate` redraws what a screen drew in the
    language used before a switch (called at once for a screen on view, else when it is shown again)."""

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name, id, classes)
        if self.TITLE:
            self.title = _(self.TITLE)
        self._own_title = self.title  # the translated TITLE, until the screen names itself otherwise
        self.drawn_in = language()

    @property
    def shop(self) -> ShopkeepApp:
        return cast("ShopkeepApp", self.app)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated_bindings(super().active_bindings)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        notify_worker_error(self, event)

    async def on_key(self, event: events.Key) -> None:
        await key_by_layout(self, event)

    def on_screen_resume(self) -> None:
        self.follow_language()

    def follow_language(self) -> None:
        """Redraw in the language in use if this screen was drawn in another."""
        if self.drawn_in == language():
            return
        self.drawn_in = language()
        if self.TITLE and self.title == self._own_title:
            self.title = self._own_title = _(self.TITLE)
        self.retranslate()
        self.refresh_bindings()

    def retranslate(self) -> None:
        """Draw again whatever text this screen drew (a screen with texts of its own overrides this)."""


class ShopModal(ModalScreen[ScreenResultType]):
    """A dialog whose keys read in the language in use (in the `?` panel)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated_bindings(super().active_bindings)

    async def on_key(self, event: events.Key) -> None:
        await key_by_layout(self, event)


class EmptyState(Static):
    """An honest message where a feature has nothing to show (yet)."""

    def __init__(self, message: str, **kwargs) -> None:
        super().__init__(plain(message, multiline=True), **kwargs)
