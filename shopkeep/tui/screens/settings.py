"""The shop's settings as a form: its name, the caller's name, its currency, the country of its phones."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from shopkeep import shop
from shopkeep.i18n import N_, _
from shopkeep.tui.base import ShopModal
from shopkeep.tui.safe import plain

LABELS = {
    "shop_name": N_("Shop name (title bar, call scripts)"),
    "caller_name": N_("Who calls (call scripts)"),
    "currency": N_("Currency (e.g. PLN, EUR, GBP)"),
    "phone_country": N_("Country of phones without +code (e.g. PL, GB)"),
    "free_delivery_from": N_("Orders from this amount ship free (empty: the scripts do not offer it)"),
    "language": N_("Language: en, ru, pl (empty: the system's)"),
}


class ShopSettingsModal(ShopModal[shop.SettingsChange | None]):
    """Returns the settings the owner changed (each checked by `shop.check_setting`), or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, current: shop.ShopSettings) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Shop settings (Enter saves, Esc cancels; an empty field clears it)"))
            for field, value in self.current.items():
                yield Label(_(LABELS.get(field, field)))
                yield Input(value=value or "", id=f"setting-{field}")
            yield Static("", id="settings-error")

    @on(Input.Submitted)
    def _done(self) -> None:
        changed: dict[str, str] = {}
        currency = self.query_one("#setting-currency", Input).value.strip().upper() or None
        for field, before in self.current.items():
            text = self.query_one(f"#setting-{field}", Input).value
            try:
                shop.check_setting(field, text, currency)
            except ValueError as exc:
                self.query_one("#settings-error", Static).update(plain(str(exc)))
                self.query_one(f"#setting-{field}", Input).focus()
                return
            if text.strip() != (before or ""):
                changed[field] = text
        self.dismiss(shop.SettingsChange(**changed))

    def action_cancel(self) -> None:
        self.dismiss(None)
