"""What every shopkeep screen shares: a title, worker errors as notifications, the empty state."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from shopkeep.errors import ShopkeepError
from shopkeep.tui.safe import plain

if TYPE_CHECKING:
    from shopkeep.tui.app import ShopkeepApp


def describe_error(error: BaseException | None) -> str:
    """One line for the owner. Never the exception's text unless it is ours (ours carry no customer data)."""
    if isinstance(error, ShopkeepError):
        return str(error)
    if isinstance(error, sqlite3.OperationalError):
        return f"database problem: {error}"
    return f"something went wrong ({type(error).__name__}); nothing was saved by this step"


def notify_worker_error(node: Screen | ShopkeepApp, event: Worker.StateChanged) -> None:
    if event.state is WorkerState.ERROR:
        node.app.notify(describe_error(event.worker.error), severity="error", timeout=8)


class ShopScreen(Screen):
    """Base class for the app's screens: header, footer, errors from workers shown as notifications."""

    @property
    def shop(self) -> ShopkeepApp:
        return cast("ShopkeepApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        notify_worker_error(self, event)


class EmptyState(Static):
    """An honest message where a feature has nothing to show (yet)."""

    def __init__(self, message: str, **kwargs) -> None:
        super().__init__(plain(message, multiline=True), **kwargs)
