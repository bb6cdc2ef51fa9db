"""What follows new orders: purchase points, referral links and rewards, expiry, tier changes.

Run after every `shopkeep import` (the app itself does not import), after the demo build, and by
`shopkeep points sync`. Idempotent. The first one sets
the loyalty programme's start day (shopkeep.loyalty.ensure_start_day) and says so; orders before it earn
nothing, so a first import of years of history does not award (and then expire) points for all of it.
An import marks its upkeep as owed in its own transaction; the upkeep clears the mark once done. An import
killed in between leaves the mark, and the next shopkeep command (or `doctor`) finishes the upkeep: `heal`.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from shopkeep import loyalty, referrals
from shopkeep.i18n import _, ngettext
from shopkeep.store import Store
from shopkeep.store import upkeep as sql


@dataclass(frozen=True)
class Upkeep:
    purchases: loyalty.SyncResult
    referrals: referrals.ReferralSync
    expired: int
    tier_changes: int
    start: loyalty.StartDay | None = None  # the programme's start day (None: the shop has no order yet)

    def lines(self) -> list[str]:
        p, r = self.purchases, self.referrals
        first = [self.start.line()] if self.start is not None and self.start.newly_set else []
        awarded = ngettext("{points} awarded on {n} order", "{points} awarded on {n} orders", p.orders_awarded).format(
            points=p.points_awarded, n=p.orders_awarded
        )
        reversed_ = ngettext(
            "{points} taken back on {n} refunded order", "{points} taken back on {n} refunded orders", p.orders_reversed
        ).format(points=p.points_reversed, n=p.orders_reversed)
        return [
            *first,
            _("points: {awarded}, {reversed}, {expired} expired").format(
                awarded=awarded, reversed=reversed_, expired=self.expired
            ),
            _("referrals: {linked} linked ({flagged} flagged), {rewarded} rewarded; tier changes: {changes}").format(
                linked=r.links.linked, flagged=r.links.flagged, rewarded=r.rewarded, changes=self.tier_changes
            ),
        ]


def after_import(store: Store, as_of: dt.date) -> Upkeep:
    mark = sql.pending(store)  # read first: every import that left it has committed, its orders are seen
    start = loyalty.ensure_start_day(store, as_of)  # the first import starts the programme: history earns nothing
    purchases = loyalty.sync_purchase_points(store, as_of)
    refs = referrals.sync_referrals(store, as_of)
    expired = loyalty.expire_points(store, as_of)
    tiers = loyalty.refresh_tiers(store, as_of)
    if mark is not None:
        sql.clear_pending(store, mark)
    return Upkeep(purchases, refs, expired, len(tiers), start)


@dataclass(frozen=True)
class Pending:
    """An import's upkeep that is owed: `running` while the process that imported is still alive."""

    import_id: int | None
    running: bool


def pending(store: Store) -> Pending | None:
    mark = sql.pending(store)
    if mark is None:
        return None
    owner = sql.owner(mark)
    import_id = owner.get("import")
    return Pending(import_id if isinstance(import_id, int) else None, _running(owner))


def _running(owner: dict) -> bool:
    """Whether the process that left the mark still runs (and so is doing the upkeep itself)."""
    pid = owner.get("pid")
    if not isinstance(pid, int) or owner.get("host") != socket.gethostname():
        return False
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no safe way to ask here (os.kill would end the process): finish it anyway
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def heal(store: Store, as_of: dt.date) -> str | None:
    """Finish the upkeep of an import stopped before it (killed, a power cut) and return the one line that
    says so; None when nothing was owed, or the importing process is still at it."""
    owed = pending(store)
    if owed is None or owed.running:
        return None
    done = after_import(store, as_of)
    if owed.import_id is not None:
        said = _("import #{id} was stopped before its points were given; finished now: {done}")
    else:
        said = _("an import was stopped before its points were given; finished now: {done}")
    return said.format(id=owed.import_id, done="; ".join(done.lines()))
