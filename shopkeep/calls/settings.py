"""What the owner sets for the call list (`CallSettings`: the daily cap, the windows of each check, the
script language), kept in the shop's settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _, ngettext
from shopkeep.store import Store

if TYPE_CHECKING:
    pass


SETTINGS_KEY = "calls"


class CallSettings(BaseModel):
    """The owner's knobs for the list, stored as JSON under the `calls` setting."""

    daily_cap: int = Field(15, ge=1, le=500)
    # share of the cap kept for win-back and welcome calls, so that call-backs, late compensation and
    # refunds never crowd them out (promised calls still all come, even beyond the cap)
    fresh_share_percent: int = Field(50, ge=0, le=100)
    cooldown_days: int = Field(14, ge=0, le=365)  # nobody called within this many days, unless scheduled
    welcome_from_days: int = Field(3, ge=0, le=365)  # welcome call this many days after a first order ...
    welcome_to_days: int = Field(10, ge=0, le=365)  # ... up to this many
    complaint_days: int = Field(30, ge=1, le=365)  # a refund or cancellation this recent puts them on the list
    won_back_days: int = Field(30, ge=1, le=365)  # an order this soon after a reached call counts as won back
    min_churn_risk: float = Field(0.3, ge=0, le=1)  # retention's churn risk from which a customer is slipping
    min_orders: int = Field(2, ge=1)  # a win-back call is for customers who came back at least once
    delivery_share_percent: int = Field(15, ge=1, le=100)  # shipping above this share of spend → "delivery"
    language: Literal["en", "ru", "pl"] = "en"

    @model_validator(mode="after")
    def _welcome_window(self) -> CallSettings:
        if self.welcome_from_days > self.welcome_to_days:
            raise ValueError(_("the welcome window ends before it starts"))
        return self


def load_settings(store: Store) -> CallSettings:
    raw = store.get_setting(SETTINGS_KEY, {})
    try:
        return CallSettings.model_validate(raw)
    except ValidationError as exc:
        count = exc.error_count()
        raise ShopkeepError(
            ngettext(
                "the '{key}' settings are invalid ({n} problem)",
                "the '{key}' settings are invalid ({n} problems)",
                count,
            ).format(key=SETTINGS_KEY, n=count)
        ) from None


def save_settings(store: Store, settings: CallSettings) -> None:
    store.set_setting(SETTINGS_KEY, settings.model_dump())
