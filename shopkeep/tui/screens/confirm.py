"""Asking first: a yes/no dialog before anything that gives points or erases data."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label

from shopkeep.i18n import N_, _
from shopkeep.tui.base import ShopModal
from shopkeep.tui.safe import plain


class ConfirmModal(ShopModal[bool]):
    """Returns True only on `y`; `n` or Esc return False. (Enter does nothing: a key pressed from habit
    must not say yes.)"""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n", "answer(False)", N_("No")),
        Binding("escape", "answer(False)", N_("No"), show=False),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm"):
            yield Label(plain(self.question).stylize("bold"), id="confirm-question")
            if self.detail:
                yield Label(plain(self.detail), id="confirm-detail")
            yield Label(Content.styled(_("y: yes · n or Esc: no"), "dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
