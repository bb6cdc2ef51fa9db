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
from shopkeep.i18n import N_, _, format_date, format_number, ngettext
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
    return f"{format_number(share * 100, digits=1)}%"


def report_text(r: Retention) -> str:
    k = r.kpis
    cur = r.currency

    def cash(amount: int) -> str:
        return money.format(amount, cur)

    if k.time_to_second_order_days is None:
        ttso = _("no customer has come back yet")
    else:
        days = round(k.time_to_second_order_days)
        ttso = ngettext("{n} day", "{n} days", days).format(n=format_number(days))
    figures = [
        (_("Customers"), r.population()),
        (
            _("Customers who ordered in the last 12 months"),
            _("{active} of {all}").format(
                active=format_number(k.customers_active), all=format_number(len(r.customers))
            ),
        ),
        (_("Repeat purchase rate"), _pct(k.repeat_purchase_rate)),
        (_("Revenue (net of refunds and credit notes)"), cash(k.revenue)),
        (_("Revenue from returning customers"), _pct(k.returning_revenue_share)),
        (_("Average order, first orders"), cash(k.aov_new)),
        (_("Average order, repeat orders"), cash(k.aov_returning)),
        (_("Lifetime value, average / median"), f"{cash(k.ltv_mean)} / {cash(k.ltv_median)}"),
        (_("Time to second order (median)"), ttso),
    ]
    width = max(len(label) for label, _value in figures) + 2
    lines = [
        _("Shop report as of {day} (money in {currency})").format(day=format_date(r.as_of), currency=cur),
        "",
        *(f"{label:<{width}}{value}" for label, value in figures),
    ]
    if k.other_currency_orders:
        lines.append(
            ngettext(
                "{n} order in another currency is left out of the money figures.",
                "{n} orders in other currencies are left out of the money figures.",
                k.other_currency_orders,
            ).format(n=format_number(k.other_currency_orders))
        )
    names = {s.name: _(s.name) for s in r.segments}
    first = max([22, *(len(name) + 2 for name in names.values())])
    lines += [
        "",
        _("Segments"),
        "  " + _("segment").ljust(first) + _("customers").rjust(10) + _("revenue").rjust(20) + _("share").rjust(8),
    ]
    for s in r.segments:
        lines.append(
            f"  {names[s.name]:<{first}}{format_number(s.customers):>10}{cash(s.revenue):>20}{_pct(s.share):>8}"
        )
    lines += [
        "",
        _("Revenue by month (last {n})").format(n=RECENT_MONTHS),
        "  " + _("month").ljust(9) + _("new").rjust(18) + _("returning").rjust(18) + _("guests").rjust(18),
    ]
    for m in k.months[-RECENT_MONTHS:]:
        lines.append(f"  {m.month:<9}{cash(m.new):>18}{cash(m.returning):>18}{cash(m.guests):>18}")
    header = "".join(f"{'m' + str(i):>6}" for i in range(COHORT_MONTHS + 1))
    lines += [
        "",
        _("Cohort retention: share of each month's new customers ordering again (last {n} cohorts)").format(
            n=RECENT_MONTHS
        ),
        "  " + _("cohort").ljust(9) + _("size").rjust(6) + header,
    ]
    for c in k.cohorts[-RECENT_MONTHS:]:
        cells = "".join(f"{round(v * 100):>5}%" for v in c.retention)
        lines.append(f"  {c.month:<9}{c.customers:>6}{cells}")
    return "\n".join(lines)


@app.command(help=N_("The shop's retention figures: repeat rate, lifetime value, segments, cohorts."))
@handled
def report(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option("--format", help=N_("text or json."))] = "text",
) -> None:
    if fmt not in ("text", "json"):
        raise ShopkeepError(_("unknown format {fmt!r} (use text or json)").format(fmt=fmt))
    with open_store(db, create=False) as store:
        retention = cached_compute(store, as_of_for(store, as_of))
    typer.echo(report_json(retention) if fmt == "json" else report_text(retention))
