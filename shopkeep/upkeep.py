"""What follows new orders: purchase points, referral links and rewards, expiry, tier changes.

Run after every import (CLI and TUI alike) and by `shopkeep points sync`. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopkeep import loyalty, referrals
from shopkeep.store import Store


@dataclass(frozen=True)
class Upkeep:
    purchases: loyalty.SyncResult
    referrals: referrals.ReferralSync
    expired: int
    tier_changes: int

    def lines(self) -> list[str]:
        p, r = self.purchases, self.referrals
        return [
            f"points: {p.points_awarded} awarded on {_count(p.orders_awarded, 'order')},"
            f" {p.points_reversed} taken back on {_count(p.orders_reversed, 'refunded order')}, {self.expired} expired",
            f"referrals: {r.links.linked} linked ({r.links.flagged} flagged), {r.rewarded} rewarded;"
            f" tier changes: {self.tier_changes}",
        ]


def _count(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def after_import(store: Store, as_of: dt.date) -> Upkeep:
    purchases = loyalty.sync_purchase_points(store, as_of)
    refs = referrals.sync_referrals(store, as_of)
    expired = loyalty.expire_points(store, as_of)
    tiers = loyalty.refresh_tiers(store, as_of)
    return Upkeep(purchases, refs, expired, len(tiers))
