"""Dashboard (key 6): the shop's KPIs, what the calls achieved (beside the practice figures), revenue by month
(new vs returning) and cohort retention."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from shopkeep import money, reasons
from shopkeep.i18n import _
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.safe import plain
from shopkeep.tui.widgets.charts import cohort_grid, stacked_bars

if TYPE_CHECKING:
    from shopkeep.calls import Results
    from shopkeep.retention import Retention
    from shopkeep.retention.kpis import Kpis

MONTHS_SHOWN = 18
BAR_STYLES = ("#e8a33d", "#4f9d69", "#7f7f7f")  # new, returning, guests


def kpi_lines(k: Kpis, population: str) -> Content:
    def pct(x: float) -> str:
        return f"{100 * x:.0f}%"

    def cash(minor: int) -> str:
        return money.format(minor, k.currency)

    second = "—" if k.time_to_second_order_days is None else f"{k.time_to_second_order_days:.0f} days"
    pairs = [
        ("Customers", f"{population}; {k.customers_active:,} bought in the last 12 months"),
        ("Revenue", cash(k.revenue)),
        ("Repeat purchase rate", pct(k.repeat_purchase_rate)),
        ("Revenue from returning", pct(k.returning_revenue_share)),
        ("Average order", f"new {cash(k.aov_new)} · returning {cash(k.aov_returning)}"),
        ("Lifetime value", f"mean {cash(k.ltv_mean)} · median {cash(k.ltv_median)}"),
        ("Time to 2nd order", f"median {second}"),
    ]
    lines = [Content.assemble((f"{label:<24}", "dim"), value) for label, value in pairs]
    if k.other_currency_orders:
        lines.append(Content.styled(f"{k.other_currency_orders} orders in other currencies are left out", "dim"))
    return Content("\n").join(lines)


def month_note(month: str, total: str, as_of: dt.date) -> str:
    """A month's revenue; the month of `as_of`, unless that is its last day, is said to be only part of one."""
    if month != as_of.strftime("%Y-%m") or (as_of + dt.timedelta(days=1)).day == 1:
        return total
    return _("{total} so far (month to {day})").format(total=total, day=as_of.isoformat())


def call_lines(r: Results, labels: dict[str, str], practice: tuple[float, float, float]) -> Content:
    """`shopkeep.calls.Results` beside the practice figures (agree rate, call → order, AOV lift)."""
    title = Content.styled("Calls: what they achieved, and what shops usually see", "bold")
    if not r.calls:
        return Content("\n").join([title, Content("No calls logged yet: results appear after the first calls.")])

    def pct(x: float | None, signed: bool = False) -> str:
        return "—" if x is None else f"{100 * x:+.0f}%" if signed else f"{100 * x:.0f}%"

    agree, conversion, lift = practice
    rows = [
        ("", "yours", "usually"),
        ("Calls made", str(r.calls), ""),
        ("Reached", f"{r.reached} ({pct(r.reach_rate)})", ""),
        ("Agreed to return", pct(r.agree_rate), f"about {pct(agree)}"),
        ("Call → order", f"{r.won_back} ({pct(r.conversion)})", f"about {pct(conversion)}"),
        ("Won-back order vs before", pct(r.aov_lift, signed=True), f"about {pct(lift, signed=True)}"),
    ]
    lines = [title]
    lines += [Content.assemble((f"{label:<26}", "dim"), f"{yours:<14}", (usual, "dim")) for label, yours, usual in rows]
    lines.append(Content.styled("By reason", "dim"))
    lines += [
        Content.assemble((f"  {labels.get(x.reason, x.reason):<24}", "dim"), f"{x.calls} calls, {x.won_back} won back")
        for x in r.per_reason
    ]
    return Content("\n").join(lines)


class DashboardScreen(ShopScreen):
    TITLE = "Dashboard"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(plain("Computing the shop's figures…"), id="kpis", classes="kpis")
            yield Static(plain("Counting the calls…"), id="calls", classes="chart")
            yield Static(id="revenue", classes="chart")
            yield Static(id="cohorts", classes="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.shop.want_retention(self, self._on_retention)
        self._load_calls()

    def on_screen_resume(self) -> None:
        self._load_calls()  # calls logged on another screen since

    @work(thread=True, exclusive=True, group="calls", exit_on_error=False)
    def _load_calls(self) -> None:
        from shopkeep import calls

        with self.shop.open_store() as store:
            results = calls.call_results(store, self.shop.as_of)
        practice = (calls.PRACTICE_AGREE_RATE, calls.PRACTICE_CONVERSION, calls.PRACTICE_AOV_LIFT)
        self.app.call_from_thread(self._show_calls, call_lines(results, reasons.labels(), practice))

    def _show_calls(self, lines: Content) -> None:
        self.query_one("#calls", Static).update(lines)

    def _on_retention(self, retention: Retention) -> None:
        self._summarise(retention)

    @work(thread=True, exclusive=True, group="kpis", exit_on_error=False)
    def _summarise(self, retention: Retention) -> None:
        retention.kpis  # noqa: B018 - worked out here, once, off the screen's thread (issue 19)
        self.app.call_from_thread(self._show_kpis, retention)

    def _show_kpis(self, retention: Retention) -> None:
        k = retention.kpis
        risk = Content.assemble((f"{'Churn risk':<24}", "dim"), plain(retention.risk_quality.message))
        self.query_one("#kpis", Static).update(Content("\n").join([kpi_lines(k, retention.population()), risk]))
        months = k.months[-MONTHS_SHOWN:]
        legend = Content.assemble(
            ("Revenue by month  ", "bold"),
            ("█ new  ", BAR_STYLES[0]),
            ("█ returning  ", BAR_STYLES[1]),
            ("█ guests", BAR_STYLES[2]),
        )
        rows = [
            (
                m.month,
                (m.new, m.returning, m.guests),
                month_note(m.month, money.format(m.new + m.returning + m.guests, k.currency), retention.as_of),
            )
            for m in months
        ]
        longest = max((len(note) for _, _, note in rows), default=0)
        width = max(10, self.size.width - 40 - max(0, longest - 12))  # the notes stay on their line
        bars = stacked_bars(rows, BAR_STYLES, width)
        self.query_one("#revenue", Static).update(Content("\n").join([legend, bars]))
        grid = cohort_grid([(c.month, c.customers, c.retention) for c in k.cohorts[-12:]], months=13)
        title = Content.styled(
            "Cohort retention: share of each month's new customers ordering again k months later", "bold"
        )
        self.query_one("#cohorts", Static).update(Content("\n").join([title, grid]))
