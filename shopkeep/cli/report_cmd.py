"""`shopkeep report`: the shop's retention figures, for a terminal or as JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any

import typer

from shopkeep import money
from shopkeep.cli import app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, open_store
from shopkeep.errors import ShopkeepError
from shopkeep.retention import Retention, cached_compute
from shopkeep.retention.kpis import COHORT_MONTHS

RECENT_MONTHS = 12


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def report_json(r: Retention) -> str:
    """Money as integer minor units; `minor_digits` says how many decimals the currency has."""
    body = {
        "as_of": r.as_of,
        "currency": r.currency,
        "minor_digits": money.digits(r.currency),
        "kpis": dataclasses.asdict(r.kpis),
        "segments": [dataclasses.asdict(s) for s in r.segments],
    }
    return json.dumps(body, default=_json_default, ensure_ascii=False, indent=2)


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def report_text(r: Retention) -> str:
    k = r.kpis
    cur = r.currency

    def cash(amount: int) -> str:
        return money.format(amount, cur)

    ttso = (
        "no customer has come back yet"
        if k.time_to_second_order_days is None
        else (f"{k.time_to_second_order_days:.0f} days")
    )
    lines = [
        f"Shop report as of {r.as_of.isoformat()} (money in {cur})",
        "",
        f"Customers                                    {r.population()}",
        f"Customers who ordered in the last 12 months  {k.customers_active:,} of {len(r.customers):,}",
        f"Repeat purchase rate                         {_pct(k.repeat_purchase_rate)}",
        f"Revenue (net of refunds and credit notes)    {cash(k.revenue)}",
        f"Revenue from returning customers             {_pct(k.returning_revenue_share)}",
        f"Average order, first orders                  {cash(k.aov_new)}",
        f"Average order, repeat orders                 {cash(k.aov_returning)}",
        f"Lifetime value, average / median             {cash(k.ltv_mean)} / {cash(k.ltv_median)}",
        f"Time to second order (median)                {ttso}",
    ]
    if k.other_currency_orders:
        lines.append(f"{k.other_currency_orders} orders in other currencies are left out of the money figures.")
    lines += ["", "Segments", f"  {'segment':<22}{'customers':>10}{'revenue':>20}{'share':>8}"]
    for s in r.segments:
        lines.append(f"  {s.name:<22}{s.customers:>10,}{cash(s.revenue):>20}{_pct(s.share):>8}")
    lines += [
        "",
        f"Revenue by month (last {RECENT_MONTHS})",
        f"  {'month':<9}{'new':>18}{'returning':>18}{'guests':>18}",
    ]
    for m in k.months[-RECENT_MONTHS:]:
        lines.append(f"  {m.month:<9}{cash(m.new):>18}{cash(m.returning):>18}{cash(m.guests):>18}")
    header = "".join(f"{'m' + str(i):>6}" for i in range(COHORT_MONTHS + 1))
    lines += [
        "",
        f"Cohort retention: share of each month's new customers ordering again (last {RECENT_MONTHS} cohorts)",
        f"  {'cohort':<9}{'size':>6}{header}",
    ]
    for c in k.cohorts[-RECENT_MONTHS:]:
        cells = "".join(f"{round(v * 100):>5}%" for v in c.retention)
        lines.append(f"  {c.month:<9}{c.customers:>6}{cells}")
    return "\n".join(lines)


@app.command()
@handled
def report(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """The shop's retention figures: repeat rate, lifetime value, segments, cohorts."""
    if fmt not in ("text", "json"):
        raise ShopkeepError(f"unknown format {fmt!r} (use text or json)")
    with open_store(db, create=False) as store:
        retention = cached_compute(store, as_of_for(store, as_of))
    typer.echo(report_json(retention) if fmt == "json" else report_text(retention))
