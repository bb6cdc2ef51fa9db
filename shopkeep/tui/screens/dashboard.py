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
from shopkeep.i18n import N_, _, format_date, ngettext
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.format import number, pct
from shopkeep.tui.safe import plain
from shopkeep.tui.widgets.charts import cohort_grid, stacked_bars

if TYPE_CHECKING:
    from shopkeep.calls import Results
    from shopkeep.retention import Retention
    from shopkeep.retention.kpis import Kpis

MONTHS_SHOWN = 18
BAR_STYLES = ("#e8a33d", "#4f9d69", "#7f7f7f")  # new, returning, guests


def labelled(pairs: list[tuple[str, Content | str]], width: int) -> list[Content]:
    """Label, value lines with the values in one column: `width` wide, or wider for a longer label."""
    width = max([width, *(len(label) + 2 for label, _ in pairs)])
    return [Content.assemble((f"{label:<{width}}", "dim"), value) for label, value in pairs]


def kpi_lines(k: Kpis, population: str, risk: Content | None = None) -> Content:
    def cash(minor: int) -> str:
        return money.format(minor, k.currency)

    days = k.time_to_second_order_days
    second = "—" if days is None else ngettext("{n} day", "{n} days", round(days)).format(n=number(days))
    pairs: list[tuple[str, Content | str]] = [
        (
            _("Customers"),
            _("{population}; {active} bought in the last 12 months").format(
                population=population, active=number(k.customers_active)
            ),
        ),
        (_("Revenue"), cash(k.revenue)),
        (_("Repeat purchase rate"), pct(k.repeat_purchase_rate)),
        (_("Revenue from returning"), pct(k.returning_revenue_share)),
        (
            _("Average order"),
            _("new {new} · returning {returning}").format(new=cash(k.aov_new), returning=cash(k.aov_returning)),
        ),
        (
            _("Lifetime value"),
            _("mean {mean} · median {median}").format(mean=cash(k.ltv_mean), median=cash(k.ltv_median)),
        ),
        (_("Time to 2nd order"), _("median {days}").format(days=second)),
    ]
    if risk is not None:
        pairs.append((_("Churn risk"), risk))
    lines = labelled(pairs, 24)
    if k.other_currency_orders:  # above the churn risk line
        left_out = ngettext(
            "{n} order in other currencies is left out",
            "{n} orders in other currencies are left out",
            k.other_currency_orders,
        )
        lines.insert(
            len(pairs) - (risk is not None), Content.styled(left_out.format(n=number(k.other_currency_orders)), "dim")
        )
    return Content("\n").join(lines)


def month_note(month: str, total: str, as_of: dt.date) -> str:
    """A month's revenue; the month of `as_of`, unless that is its last day, is said to be only part of one."""
    if month != as_of.strftime("%Y-%m") or (as_of + dt.timedelta(days=1)).day == 1:
        return total
    return _("{total} so far (month to {day})").format(total=total, day=format_date(as_of))


def call_lines(r: Results, labels: dict[str, str], practice: tuple[float, float, float]) -> Content:
    """`shopkeep.calls.Results` beside the practice figures (agree rate, call → order, AOV lift)."""
    title = Content.styled(_("Calls: what they achieved, and what shops usually see"), "bold")
    if not r.calls:
        return Content("\n").join([title, Content(_("No calls logged yet: results appear after the first calls."))])

    def about(x: float, signed: bool = False) -> str:
        return _("about {share}").format(share=pct(x, signed=signed))

    agree, conversion, lift = practice
    rows = [
        ("", _("yours"), _("usually")),
        (_("Calls made"), number(r.calls), ""),
        (_("Reached"), f"{number(r.reached)} ({pct(r.reach_rate)})", ""),
        (_("Agreed to return"), pct(r.agree_rate), about(agree)),
        (_("Call → order"), f"{number(r.won_back)} ({pct(r.conversion)})", about(conversion)),
        (_("Won-back order vs before"), pct(r.aov_lift, signed=True), about(lift, signed=True)),
    ]
    width = max([26, *(len(label) + 2 for label, _yours, _usual in rows)])
    lines = [title]
    lines += [
        Content.assemble((f"{label:<{width}}", "dim"), f"{yours:<14}", (usual, "dim")) for label, yours, usual in rows
    ]
    lines.append(Content.styled(_("By reason"), "dim"))
    names = [_(labels.get(x.reason, x.reason)) for x in r.per_reason]
    width = max([24, *(len(name) + 1 for name in names)])
    for reason, x in zip(names, r.per_reason, strict=True):
        calls = ngettext("{n} call", "{n} calls", x.calls).format(n=number(x.calls))
        won = ngettext("{n} won back", "{n} won back", x.won_back).format(n=number(x.won_back))
        lines.append(Content.assemble((f"  {reason:<{width}}", "dim"), f"{calls}, {won}"))
    return Content("\n").join(lines)


class DashboardScreen(ShopScreen):
    TITLE = N_("Dashboard")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(plain(_("Computing the shop's figures…")), id="kpis", classes="kpis")
            yield Static(plain(_("Counting the calls…")), id="calls", classes="chart")
            yield Static(id="revenue", classes="chart")
            yield Static(id="cohorts", classes="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.shop.want_retention(self, self._on_retention)
        self._load_calls()

    def on_screen_resume(self) -> None:
        self._load_calls()  # calls logged on another screen since

    def retranslate(self) -> None:
        self._load_calls()
        if self.shop.retention is not None:
            self._on_retention(self.shop.retention)

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
        risk = plain(retention.risk_quality.message)
        self.query_one("#kpis", Static).update(kpi_lines(k, retention.population(), risk))
        months = k.months[-MONTHS_SHOWN:]
        legend = Content.assemble(
            (_("Revenue by month") + "  ", "bold"),
            ("█ " + _("new") + "  ", BAR_STYLES[0]),
            ("█ " + _("returning") + "  ", BAR_STYLES[1]),
            ("█ " + _("guests"), BAR_STYLES[2]),
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
            _("Cohort retention: share of each month's new customers ordering again k months later"), "bold"
        )
        self.query_one("#cohorts", Static).update(Content("\n").join([title, grid]))
