"""Who the demo shop is and the simulation's defaults: the same arguments always build the same shop."""

from __future__ import annotations

import datetime as dt

DEFAULT_TODAY = dt.date(2026, 11, 23)  # the demo's own "today" (setting `demo_today`)
DEMO_MOMENT = dt.time(8, 0)  # every bookkeeping time of the demo: its today, 08:00
DEFAULT_SEED = 2026
DEFAULT_CUSTOMERS = 1500
HISTORY_DAYS = 730

SHOP_NAME = "Tea & Co"
CURRENCY = "GBP"
COUNTRY = "GB"
