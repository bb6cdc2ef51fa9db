"""Today (key 1, the home screen): the morning call list. The owner calls down the list with the
current customer's key facts and the script for the likely reason on screen, presses one key for
what happened, types an optional note, and the next customer appears at once. The session's rules
(who is next, what a key writes, which promise `g` closes) are `shopkeep.call_session.CallSession`'s;
this screen shows it and performs the writes it returns in workers.

The home screen: it paints before anything heavy loads. `shopkeep.calls` (pydantic, the loyalty rules),
`shopkeep.scripts` and `phonenumbers` are imported inside the workers and callbacks that use them
(and the app computes the retention figures only after the first frame is on the terminal)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Digits, Footer, Header, Input, Label, Static

from shopkeep import money, reasons
from shopkeep.clock import parse_day_ahead
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _, format_date, ngettext, pgettext
from shopkeep.tui.base import ShopModal, ShopScreen, describe_error
from shopkeep.tui.format import day, given_words, number, pct
from shopkeep.tui.format import phone as phone_text
from shopkeep.tui.safe import cell, plain
from shopkeep.tui.undo import outcome_words
from shopkeep.tui.widgets.script_view import ScriptView

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shopkeep import calls
    from shopkeep.call_session import CallSession, KeepPromise, LogCall, Pending, SaveDraft
    from shopkeep.retention import CustomerMetrics, Retention
    from shopkeep.scripts import Script
    from shopkeep.store import Store
    from shopkeep.tui.undo import Undoable

KIND_LABELS = {
    "callback": N_("call back"),
    "compensation_late": N_("compensation late"),
    "complaint": N_("refund"),
    "welcome": N_("welcome"),
    "winback": N_("win back"),
}
OUTCOME_LABELS = {
    "will_return": N_("Will return"),
    "not_interested": N_("Not interested"),
    "call_later": N_("Call later"),
}
DRAFT_DELAY = 0.3  # seconds of quiet typing before the half-typed note goes to disk
CALLBACK_DAYS = 7  # the call-back day offered first
LOOK_BACK_DAYS = (7, 14, 30)
BIG_PHONE_SIZE = (100, 30)  # the phone in large digits from this terminal width and height
NAME_WIDTH = 18  # names in the list are cut to this; the full name is beside it
NO_PHONE_SHOWN = 100  # customers without a phone listed, the most valuable first (a shop may keep no phones)
_DIGIT_CHARS = frozenset(" 0123456789+-()")
NOTE_PROMPT = N_("What did they say? (optional)")
COLUMNS = (N_("Name"), N_("Phone"), N_("Reason"), N_("Why"))


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _pct(rate: float | None) -> str:
    return pct(rate)


def results_line(r: calls.Results) -> Content:
    """Today's call results beside what shop owners report (the one-line bar above the footer)."""
    from shopkeep import calls

    lift = pct(r.aov_lift, signed=True)

    def fig(label: str, value: str, practice: str) -> Content:
        return Content.assemble((f"{label} ", "dim"), (value, "bold"), (f" (~{practice})", "dim"))

    return Content(" · ").join(
        [
            Content.assemble((_("Calls") + " ", "dim"), (number(r.calls), "bold")),
            Content.assemble((_("reached") + " ", "dim"), (_pct(r.reach_rate), "bold")),
            fig(_("agreed"), _pct(r.agree_rate), _pct(calls.PRACTICE_AGREE_RATE)),
            fig(_("call→order"), _pct(r.conversion), _pct(calls.PRACTICE_CONVERSION)),
            fig(_("order vs before"), lift, pct(calls.PRACTICE_AOV_LIFT, signed=True)),
            Content.styled(_("v: details"), "dim"),
        ]
    )


@dataclass(frozen=True)
class Details:
    """What the screen shows for one customer beyond the list row: script values and a saved draft."""

    values: dict[str, object]
    draft: str | None
    promises: tuple[calls.PromiseRecord, ...] = ()  # not yet kept


class NoteInput(Input):
    """The note after an outcome: Enter saves it with the call, Esc saves the call without it."""

    BINDINGS = [Binding("escape", "skip", N_("Skip note"))]

    class Skipped(Message):
        pass

    def action_skip(self) -> None:
        self.post_message(self.Skipped())


class CallLaterModal(ShopModal[dt.date | None]):
    """Asks the call-back day: a date, or +N days. Returns it, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, as_of: dt.date) -> None:
        super().__init__()
        self.as_of = as_of

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Call back on which day? (YYYY-MM-DD, or +days)"))
            yield Input(value=(self.as_of + dt.timedelta(days=CALLBACK_DAYS)).isoformat(), id="callback-day")
            yield Label("", id="callback-error")
            yield Label(Content.styled(_("Enter saves · Esc cancels"), "dim"))

    def parse(self, text: str) -> dt.date:
        return parse_day_ahead(text, self.as_of, after_today=True)

    @on(Input.Submitted, "#callback-day")
    def _done(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(self.parse(event.value))
        except ShopkeepError as exc:
            self.query_one("#callback-error", Label).update(plain(str(exc)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ResultsModal(ShopModal[None]):
    """Call results per reason, and the look back: of the list from N days ago, who came back."""

    BINDINGS = [
        Binding("escape", "dismiss", N_("Close")),
        Binding("d", "days", N_("Look back 7/14/30 days")),
    ]
    DEFAULT_CSS = """
    ResultsModal .dialog { width: 90; max-height: 90%; }
    ResultsModal DataTable { height: auto; max-height: 14; margin-bottom: 1; }
    """

    def __init__(self, as_of: dt.date) -> None:
        super().__init__()
        self.as_of = as_of
        self.days = LOOK_BACK_DAYS[0]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(Content.styled(_("Results by reason"), "bold"))
            yield DataTable(id="by-reason", cursor_type="none", zebra_stripes=True)
            yield Static(plain(_("Looking back…")), id="look-back")
            yield Label(Content.styled(_("d: 7 / 14 / 30 days back · Esc: close"), "dim"))

    def on_mount(self) -> None:
        table = self.query_one("#by-reason", DataTable)
        table.add_columns(_("Reason"), _("Calls"), _("Reached"), _("Won back"))
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        from shopkeep import calls

        with self.app.open_store() as store:  # type: ignore[attr-defined]
            results = calls.call_results(store, self.as_of)
            back = calls.look_back(store, self.days, self.as_of)
        self.app.call_from_thread(self._show, results, back)

    def _show(self, results: calls.Results, back: calls.LookBack) -> None:
        table = self.query_one("#by-reason", DataTable)
        table.clear()
        for r in results.per_reason:
            table.add_row(
                reasons.label(r.reason),
                cell(number(r.calls), justify="right"),
                cell(number(r.reached), justify="right"),
                cell(number(r.won_back), justify="right"),
            )
        if not results.per_reason:
            table.add_row(_("no calls yet"), "", "", "")
        look = _("Look back: of the {listed} on the list of {day}, {came_back} ordered again by {as_of}").format(
            listed=number(back.listed),
            day=format_date(back.list_date),
            came_back=number(back.came_back),
            as_of=format_date(back.as_of),
        )
        lines = [Content.styled(look, "bold")]
        for title, rows in ((_("by reason"), back.by_reason), (_("by what the call ended with"), back.by_outcome)):
            lines.append(Content.styled(title, "underline"))
            for row in rows:
                label = reasons.label(row.label) if row.label in reasons.BY_KEY else outcome_words(row.label).lower()
                came = _("{came_back} of {listed} came back").format(
                    came_back=f"{number(row.came_back):>4}", listed=f"{number(row.listed):<4}"
                )
                lines.append(Content(f"  {label:<28} {came}"))
        self.query_one("#look-back", Static).update(Content("\n").join(lines))

    def action_days(self) -> None:
        self.days = LOOK_BACK_DAYS[(LOOK_BACK_DAYS.index(self.days) + 1) % len(LOOK_BACK_DAYS)]
        looking = ngettext("Looking back {n} day…", "Looking back {n} days…", self.days).format(n=self.days)
        self.query_one("#look-back", Static).update(plain(looking))
        self._load()


class TodayScreen(ShopScreen):
    TITLE = N_("Today")
    BINDINGS = [
        # At 80×24 the footer shows the outcome keys, undo and `?`; the rest are named where they apply
        # ("r: change", "e: show", "v: details", "g: given") and listed by `?`.
        Binding("a", "outcome('no_answer')", N_("No answer")),
        Binding("w", "outcome('will_return')", N_("Will return")),
        Binding("n", "outcome('not_interested')", N_("Not interested")),
        Binding("l", "outcome('call_later')", N_("Later")),
        Binding("x", "outcome('wrong_number')", N_("Wrong number"), show=False),
        Binding("r", "reason", N_("Reason"), show=False),
        Binding("o", "offer", N_("Offer"), show=False),
        Binding("e", "no_phone", N_("No phone"), show=False),
        Binding("v", "results", N_("Results"), show=False),
        Binding("s", "edit_script", N_("Edit script"), show=False),
        Binding("t", "language", N_("Script language"), show=False),
        Binding("m", "promise", N_("Promise"), show=False),
        Binding("g", "given", N_("Promise given"), show=False),
        # Only on an empty shop, where it is the one thing to do (`i` works anywhere, from the app).
        Binding("i", "import_orders", N_("Import orders")),
    ]
    DEFAULT_CSS = """
    TodayScreen #today-status { height: auto; padding: 0 1; color: $text-muted; }
    TodayScreen #today-main { height: 1fr; }
    TodayScreen #today-left { width: 12fr; }
    TodayScreen #today-right { width: 13fr; padding: 0 1 0 2; border-left: vkey $foreground 20%; }
    TodayScreen #calls { height: 1fr; min-height: 4; scrollbar-size-horizontal: 0; }
    TodayScreen #no-phone { height: auto; max-height: 10; padding: 0 1; border-top: hkey $foreground 20%; }
    TodayScreen #no-phone-list { text-wrap: nowrap; text-overflow: ellipsis; }
    TodayScreen #facts-box { height: auto; padding: 0 1; border-top: hkey $foreground 20%; }
    TodayScreen #phone-big { width: auto; color: $success; }
    TodayScreen #note-row { height: auto; display: none; padding: 0 1; }
    TodayScreen #note-row.open { display: block; }
    TodayScreen #note-label { color: $accent; text-style: bold; }
    TodayScreen #results { height: auto; padding: 0 1; background: $boost; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.session: CallSession | None = None  # the calling session's rules and state, once the list is built
        self.metrics: Mapping[int, CustomerMetrics] = {}
        self.currency: str | None = None  # the shop's (retention's): figures and promised money are in it
        self.details: dict[int, Details] = {}
        self.scripts: dict[str, Script] = {}
        self.summary: calls.CallList | None = None
        self._draft_timer: Timer | None = None
        self._write_lock = threading.Lock()  # one write at a time: a late draft never outlives its call
        self._requested: set[int] = set()
        self._list_asked = False  # the list is built once; the owner works through it

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(_("Building today's list…")), id="today-status")
        with Horizontal(id="today-main"):
            with Vertical(id="today-left"):
                yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="no-phone"):
                    yield Static(id="no-phone-list")
                with Vertical(id="facts-box"):
                    yield Static(id="facts-name")
                    yield Digits(id="phone-big")
                    yield Static(id="facts")
            with VerticalScroll(id="today-right"):
                yield ScriptView(id="script")
        with Vertical(id="note-row"):
            yield Label(id="note-label")
            yield NoteInput(placeholder=_(NOTE_PROMPT), id="note", select_on_focus=False)
        yield Static(plain(_("Results: counting…")), id="results")
        # ctrl+p still opens the palette: the footer at 80 columns is for the call keys
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#calls", DataTable)
        table.add_columns(*(_(title) for title in COLUMNS))
        self.query_one("#no-phone").display = False
        table.focus()
        self.shop.want_retention(self, self._on_retention)  # computed once the first frame is shown
        self._read_kept_list()  # meanwhile, the list kept today (if nothing changed since) needs no figures
        self.shop.call_logged.subscribe(self, self._logged_elsewhere)
        self.shop.undone.subscribe(self, self._undone)
        self.shop.promise_closed.subscribe(self, self._promise_closed_elsewhere)

    def on_resize(self) -> None:
        self._show_current()

    def retranslate(self) -> None:
        self.query_one("#note", NoteInput).placeholder = _(NOTE_PROMPT)
        table = self.query_one("#calls", DataTable)
        table.clear(columns=True)
        table.add_columns(*(_(title) for title in COLUMNS))
        if self.session is None:
            self.query_one("#today-status", Static).update(plain(_("Building today's list…")))
            return
        self.query_one("#no-phone-list", Static).update(self._no_phone_content())
        self._fill_table()
        self._load_results()
        if self.session.pending is not None:
            self._note_label(self.session.pending)

    # -- loading -------------------------------------------------------------------------------------

    def _on_retention(self, retention: Retention) -> None:
        was_empty = self._list_asked and not self.made and len(self.metrics) == 0
        self.metrics = retention.customers
        self.currency = retention.currency
        if not self._list_asked or (was_empty and len(retention.customers)):  # (the first import: a list now)
            self._list_asked = True
            self._build_list(retention)
        else:
            self._show_current()

    @work(thread=True, group="today-kept", exit_on_error=False)
    def _read_kept_list(self) -> None:
        from shopkeep import calls
        from shopkeep.scripts import REASONS, load_script

        with self.shop.open_store() as store:
            result = calls.kept_list(store, self.shop.as_of)
            if result is None or not (result.items or result.no_phone):
                return  # built once the figures are in (an empty list waits for them: is the shop empty?)
            settings = calls.load_settings(store)
            scripts = {reason: load_script(store, reason, settings.language) for reason in REASONS}
            first = {i.customer_id: self._details_of(store, i.customer_id) for i in result.items[:1]}
        self.app.call_from_thread(self._kept_list_read, result, scripts, first)

    def _kept_list_read(
        self, result: calls.CallList | None, scripts: dict[str, Script], first: dict[int, Details]
    ) -> None:
        if self.summary is None:  # else the list built from the figures came first: it stands
            self._list_asked = True
            self._show_list(result, scripts, first)

    @work(thread=True, exclusive=True, group="today-list", exit_on_error=False)
    def _build_list(self, retention: Retention) -> None:
        from shopkeep import calls
        from shopkeep.scripts import REASONS, load_script

        as_of = self.shop.as_of
        with self.shop.open_store() as store:
            settings = calls.load_settings(store)
            result = calls.today_list(store, as_of, settings, retention=retention)
            scripts = {reason: load_script(store, reason, settings.language) for reason in REASONS}
            first = {i.customer_id: self._details_of(store, i.customer_id) for i in result.items[:1]}
        self.app.call_from_thread(self._show_list, result, scripts, first)

    def _details_of(self, store: Store, customer_id: int) -> Details:
        from shopkeep import calls

        values = calls.placeholders(store, customer_id, self.shop.as_of)
        return Details(values, calls.load_draft(store, customer_id), tuple(calls.customer_promises(store, customer_id)))

    @work(thread=True, group="today-details", exit_on_error=False)
    def _load_details(self, customer_ids: list[int]) -> None:
        with self.shop.open_store() as store:
            found = {cid: self._details_of(store, cid) for cid in customer_ids}
        self.app.call_from_thread(self._details_loaded, found)

    def _details_loaded(self, found: dict[int, Details]) -> None:
        # a draft read before its call was logged is gone from the store: do not bring it back
        logged = self.session.is_logged if self.session else lambda cid: False
        self.details.update({cid: replace(d, draft=None) if logged(cid) else d for cid, d in found.items()})
        self._show_current()

    def _prefetch(self) -> None:
        """Details for the current customer and the next two, so that the next one appears at once."""
        if self.session is None:
            return
        pos = self.session.position
        wanted = [i.customer_id for i in self.session.items[pos : pos + 3] if i.customer_id not in self._requested]
        if wanted:
            self._requested.update(wanted)
            self._load_details(wanted)

    @work(thread=True, exclusive=True, group="today-results", exit_on_error=False)
    def _load_results(self) -> None:
        from shopkeep import calls

        with self.shop.open_store() as store:
            results = calls.call_results(store, self.shop.as_of)
        self.app.call_from_thread(self._show_results, results)

    def _show_results(self, results: calls.Results) -> None:
        self.query_one("#results", Static).update(results_line(results))

    def _logged_elsewhere(self, logged: tuple[int, str]) -> None:
        """A call logged from a customer's card: that customer is off the list (unless nobody answered),
        as if the call had been logged here."""
        customer_id, outcome = logged
        if self.session is None:
            return  # the list is still being built: it will see the call
        if self.session.logged_elsewhere(customer_id, outcome):
            self.details.pop(customer_id, None)
            self._requested.discard(customer_id)
            self._fill_table()
        self._load_results()

    def _undone(self, entry: Undoable) -> None:
        """A call undone (here or on a card): the customer is back on the list as before the call."""
        if entry.kind != "call" or self.session is None:
            return
        if self.session.undone(entry.customer_id):
            self.details.pop(entry.customer_id, None)
            self._requested.discard(entry.customer_id)
            self._fill_table()
        self._load_results()

    # -- showing -------------------------------------------------------------------------------------

    def _show_list(self, result: calls.CallList, scripts: dict[str, Script], first: dict[int, Details]) -> None:
        from shopkeep.call_session import CallSession

        self.summary = result
        self.scripts = scripts
        self.details.update(first)
        self._requested.update(first)
        self.session = CallSession(result.items, self.shop.as_of, result.no_phone)
        self.query_one("#no-phone-list", Static).update(self._no_phone_content())
        self._fill_table()
        self._load_results()  # after the list: the list comes first

    @property
    def no_phone(self) -> tuple[calls.CallItem, ...]:
        return self.session.no_phone if self.session else ()

    @property
    def made(self) -> int:
        return self.session.made if self.session else 0

    def _no_phone_content(self) -> Content:
        head = Content.styled(_("No phone: {n} — email or text them instead").format(n=len(self.no_phone)), "bold")
        lines = [
            Content.assemble("  ", plain(i.label), "  ", plain(i.why).stylize("dim"))
            for i in self.no_phone[:NO_PHONE_SHOWN]
        ]
        if len(self.no_phone) > NO_PHONE_SHOWN:
            more = _("… and {n} more, worth less").format(n=number(len(self.no_phone) - NO_PHONE_SHOWN))
            lines.append(Content.styled("  " + more, "dim"))
        return Content("\n").join([head, *lines])

    def _fill_table(self) -> None:
        table = self.query_one("#calls", DataTable)
        table.clear()
        session = self.session
        assert session is not None
        for item in session.items:
            reason = reasons.label(session.reason_of(item))
            table.add_row(
                cell(_short(item.name or item.ref, NAME_WIDTH)),
                cell(phone_text(item.phone)),
                cell(reason),
                cell(_("promise given today") if session.promise_kept(item) else item.why),
                key=str(item.customer_id),
            )
        if session.current is not None:
            table.move_cursor(row=session.position, animate=False)
        self._show_status()
        self._show_current()
        self.refresh_bindings()

    def _show_status(self) -> None:
        if self.session is None or self.summary is None:
            return
        parts = [_("{n} to call").format(n=number(self.session.remaining))]
        if self.made:
            parts.append(_("{n} logged").format(n=number(self.made)))
        if self.session.saving:
            parts.append(_("{n} saving…").format(n=number(self.session.saving)))
        if self.no_phone:
            parts.append(_("{n} without a phone (e: show)").format(n=number(len(self.no_phone))))
        if self.summary.over_cap:
            parts.append(_("{n} more for another day").format(n=number(self.summary.over_cap)))
        if self.summary.do_not_call:
            parts.append(_("{n} asked not to be called").format(n=number(self.summary.do_not_call)))
        if self.shop.data_is_old and self.shop.newest_order is not None:
            newest = format_date(self.shop.newest_order)
            parts.append(_("newest order {day} (F9: as of that day)").format(day=newest))
        today = _("Today {day}:").format(day=format_date(self.shop.as_of))
        self.query_one("#today-status", Static).update(plain(today + " " + " · ".join(parts)))

    def _show_current(self) -> None:
        session = self.session
        if session is None:
            return
        from shopkeep.scripts import render_script

        item = session.current
        self.refresh_bindings()  # the empty shop's import key comes and goes
        big = self.query_one("#phone-big", Digits)
        name = self.query_one("#facts-name", Static)
        facts = self.query_one("#facts", Static)
        script_view = self.query_one("#script", ScriptView)
        if item is None:
            big.display = False
            done = _("All done for today.") if self.made else _("Nobody to call today.")
            hint = ngettext(
                "{n} call logged. Results: v. Customers without a phone: e.",
                "{n} calls logged. Results: v. Customers without a phone: e.",
                self.made,
            ).format(n=number(self.made))
            if self._empty_shop:
                from shopkeep.first_run import empty_shop_text

                done, hint = _("No orders in this shop yet."), empty_shop_text(self.shop.db_path, "i")
            name.update(Content.styled(done, "bold"))
            facts.update(plain(hint, multiline=True))
            script_view.update("")
            return
        cid = item.customer_id
        phone = phone_text(item.phone)
        width, height = BIG_PHONE_SIZE
        big.display = self.size.width >= width and self.size.height >= height
        big.update("".join(ch for ch in phone if ch in _DIGIT_CHARS))
        name.update(
            Content.assemble(
                plain(item.label).stylize("bold"),
                "" if big.display else "   ",
                Content("") if big.display else plain(phone).stylize("bold $success"),
            )
        )
        facts.update(self._facts(item))
        details = self.details.get(cid)
        if details is None:
            script_view.update(plain(_("Loading the script…")))
        else:
            reason = session.reason_of(item)
            script = render_script(self.scripts[reason], details.values)
            script_view.show(script, reasons.label(reason), session.offer_of(cid))
        self._prefetch()

    def _facts(self, item: calls.CallItem) -> Content:
        m = self.metrics.get(item.customer_id)
        details = self.details.get(item.customer_id)
        assert self.session is not None
        reason = self.session.reason_of(item)
        pending = self.session.pending

        pairs: list[tuple[str, Content | str]] = []

        def line(label: str, value: Content | str) -> None:
            pairs.append((label, value))

        kind = _(KIND_LABELS[item.kind])
        line(pgettext("facts", "Why"), Content.assemble((kind + ": ", "bold"), plain(item.why)))
        line(
            pgettext("facts", "Reason"),
            Content.assemble((reasons.label(reason), "bold"), ("  " + _("(r: change)"), "dim")),
        )
        if m is not None and m.orders:
            ago = ngettext("{n} day ago", "{n} days ago", m.recency_days).format(n=number(m.recency_days))
            line(pgettext("facts", "Last order"), f"{day(m.last_order)} ({ago})")
            spent = money.format(m.revenue, m.currency, compact=True)
            line(
                pgettext("facts", "Orders"), _("{orders} · {money} in all").format(orders=number(m.orders), money=spent)
            )
            line(pgettext("facts", "Segment"), _(m.segment))
        if details is not None:
            v = details.values
            line(pgettext("facts", "Points"), f"{v['points']} ({_(str(v['tier']))})")
            if details.draft and pending is None:
                line(pgettext("facts", "Draft note"), plain(details.draft).stylize("italic"))
        currency = self.currency
        due = self._promise_due()
        for promise in details.promises if details is not None else ():
            given = "  " + _("(g: given)") if due is not None and promise.id == due.id else ""
            line(pgettext("facts", "Promised"), self._promise_content(promise, currency, given))
        promising = self.session.promising(item.customer_id)
        if promising is not None:
            promise = promising
            saved = "  " + _("(saved with the call)")
            line(pgettext("facts", "Promising"), self._promise_content(promise, currency, saved))
        width = max([11, *(len(label) + 1 for label, _value in pairs)])
        return Content("\n").join(
            Content.assemble((f"{label:<{width}}", "dim"), value if isinstance(value, Content) else plain(value))
            for label, value in pairs
        )

    @staticmethod
    def _promise_content(promise: calls.PromiseRecord | calls.Promise, currency: str | None, hint: str) -> Content:
        from shopkeep import calls

        what = f" — {promise.description}" if promise.description else ""
        return Content.assemble(plain(calls.promise_text(promise, currency) + what), (hint, "dim"))

    # -- keys ----------------------------------------------------------------------------------------

    @property
    def _empty_shop(self) -> bool:
        """No orders at all (the figures say so): not merely a list that is still being read."""
        figures = self.shop.retention
        return (
            figures is not None
            and len(figures.customers) == 0
            and not figures.without_sale
            and self.session is not None
            and self.session.current is None
            and not self.made
            and not self.no_phone
        )

    def action_import_orders(self) -> None:
        self.shop.action_import_file()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_orders":
            return self._empty_shop  # False hides it (and leaves `i` to the app's own binding)
        if action in ("outcome", "reason", "offer", "edit_script", "promise"):
            return self.session is not None and self.session.can_act
        if action == "given":
            return self._promise_due() is not None
        return True

    @on(DataTable.RowHighlighted, "#calls")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if self.session is not None and key is not None and self.session.select(int(key)):
            self._show_current()

    @on(DataTable.RowSelected, "#calls")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.shop.open_customer(int(event.row_key.value))

    def action_reason(self) -> None:
        from shopkeep.tui.modals import ReasonPicker

        item = self.session.current if self.session else None
        if item is None or self.session is None:
            return
        now = self.session.reason_of(item)
        self.app.push_screen(ReasonPicker(reasons.labels(), now), lambda r: self._reason_picked(item, r))

    def _reason_picked(self, item: calls.CallItem, reason: str | None) -> None:
        if reason is None or self.session is None or not self.session.switch_reason(item, reason):
            return
        table = self.query_one("#calls", DataTable)
        if str(item.customer_id) in table.rows:
            table.update_cell(str(item.customer_id), table.ordered_columns[2].key, cell(reasons.label(reason)))
        self._show_current()

    def _offers(self, item: calls.CallItem) -> list[str]:
        """The offers shown for this customer: those of the script for the reason in use, filled in."""
        from shopkeep.scripts import render_script

        assert self.session is not None
        details = self.details.get(item.customer_id)
        script = self.scripts[self.session.reason_of(item)]
        return render_script(script, details.values if details else {}).offers

    def action_offer(self) -> None:
        item = self.session.current if self.session else None
        if item is None or self.session is None:
            return
        self.session.next_offer(item.customer_id, len(self._offers(item)))
        self._show_current()

    # -- scripts and promises ---------------------------------------------------------------------------

    def action_edit_script(self) -> None:
        item = self.session.current if self.session else None
        details = self.details.get(item.customer_id) if item else None
        if item is not None and details is not None and self.session is not None:
            self._open_editor(self.session.reason_of(item), details.values)

    @work(thread=True, exclusive=True, group="today-scripts", exit_on_error=False)
    def _open_editor(self, reason: str, values: dict[str, object]) -> None:
        from shopkeep import calls
        from shopkeep.scripts import load_script
        from shopkeep.tui.screens.script_editor import ScriptEditor

        with self.shop.open_store() as store:
            language = calls.load_settings(store).language
            script = load_script(store, reason, language)
        editor = ScriptEditor(reason, language, script, values)
        self.app.call_from_thread(self.app.push_screen, editor, self._after_edit)

    def _after_edit(self, changed: bool | None) -> None:
        if changed:
            self._load_scripts(None)

    def action_language(self) -> None:
        self._load_scripts("next")

    @work(thread=True, exclusive=True, group="today-scripts", exit_on_error=False)
    def _load_scripts(self, switch: str | None) -> None:
        """The scripts again (after an edit), in the next language when `switch` says so."""
        from shopkeep import calls
        from shopkeep.scripts import LANGUAGES, REASONS, load_script

        with self.shop.open_store() as store:
            settings = calls.load_settings(store)
            if switch == "next":
                following = LANGUAGES[(LANGUAGES.index(settings.language) + 1) % len(LANGUAGES)]
                settings = settings.model_copy(update={"language": following})
                calls.save_settings(store, settings)
            scripts = {reason: load_script(store, reason, settings.language) for reason in REASONS}
        self.app.call_from_thread(self._scripts_loaded, scripts, settings.language if switch else None)

    def _scripts_loaded(self, scripts: dict[str, Script], language: str | None) -> None:
        from shopkeep.tui.screens.script_editor import LANGUAGE_NAMES

        self.scripts = scripts
        if self.session is not None:
            self.session.forget_offers()  # the offers may differ from those just replaced
        if language is not None:
            self.notify(_("Scripts in {language}").format(language=_(LANGUAGE_NAMES[language])), timeout=3)
        self._show_current()

    def action_promise(self) -> None:
        from shopkeep.tui.screens.promise import PromiseModal

        item = self.session.current if self.session else None
        if item is None or self.currency is None:
            return
        modal = PromiseModal(self.shop.as_of, self.currency)
        self.app.push_screen(modal, lambda p: self._promised(item.customer_id, p))

    def _promised(self, customer_id: int, promise: calls.Promise | None) -> None:
        if promise is not None and self.session is not None:
            self.session.promise(customer_id, promise)
            self.notify(_("Promise noted: it is saved with the call you log next"), timeout=3)
            self._show_current()

    def _promise_due(self) -> calls.PromiseRecord | None:
        """The current customer's open promise that `g` closes: the one that put them on the list, else the
        earliest due by today (a call-back outranks a late promise on the list); None if nothing is due."""
        item = self.session.current if self.session else None
        details = self.details.get(item.customer_id) if item else None
        if self.session is None or details is None:
            return None
        return self.session.promise_due(details.promises)

    def action_given(self) -> None:
        details = self.details.get(self.session.current.customer_id) if self.session and self.session.current else None
        write = self.session.give(details.promises) if self.session and details else None
        if write is not None:
            self._give(write)

    @work(thread=True, group="today-write", exit_on_error=False)
    def _give(self, write: KeepPromise) -> None:
        from shopkeep.call_session import perform

        with self._write_lock, self.shop.open_store() as store:
            perform(store, write)
            details = self._details_of(store, write.promise.customer_id)
        self.app.call_from_thread(self._given, write.promise, details)

    def _given(self, promise: calls.PromiseRecord, details: Details) -> None:
        self.details[promise.customer_id] = details
        self.notify(given_words(promise, self.currency), timeout=4)
        self._promise_closed_here(promise.customer_id, promise.id)
        self.shop.promise_closed.publish((promise.customer_id, promise.id))
        self._show_current()
        self.refresh_bindings()

    def _promise_closed_here(self, customer_id: int, promise_id: int) -> None:
        """The list row that was there for this promise says it is given (at once, not after a rebuild)."""
        if self.session is None:
            return
        item = next((i for i in self.session.items if i.customer_id == customer_id), None)
        self.session.kept(promise_id)
        if item is not None and item.promise_id == promise_id:
            table = self.query_one("#calls", DataTable)
            table.update_cell(str(customer_id), table.ordered_columns[3].key, cell(_("promise given today")))

    def _promise_closed_elsewhere(self, closed: tuple[int, int]) -> None:
        customer_id, promise_id = closed
        self._promise_closed_here(customer_id, promise_id)
        self._requested.discard(customer_id)
        self._load_details([customer_id])

    def action_no_phone(self) -> None:
        """Customers without a phone: their own list, with a message per reason to copy and log as sent."""
        from shopkeep.tui.screens.no_phone import NoPhoneScreen

        if self.session is not None:
            self.app.push_screen(NoPhoneScreen(self.session.no_phone_left()))

    def action_results(self) -> None:
        self.app.push_screen(ResultsModal(self.shop.as_of))

    def action_outcome(self, outcome: str) -> None:
        session = self.session
        item = session.current if session else None
        if session is None or item is None or not session.can_act:
            return
        if outcome == "wrong_number":
            self._ask_wrong_number(item)
        elif outcome == "call_later":
            self.app.push_screen(CallLaterModal(self.shop.as_of), lambda when: self._begin(outcome, when))
        else:
            self._begin(outcome, None)

    def _begin(self, outcome: str, callback_on: dt.date | None) -> None:
        """The session's answer to an outcome key: a call to log now, or a note to ask for."""
        from shopkeep import call_session

        session = self.session
        item = session.current if session else None
        if session is None or item is None:
            return
        step = session.begin(outcome, callback_on=callback_on, draft=self._draft_of(item), offers=self._offers(item))
        if isinstance(step, call_session.LogCall):
            self._logged(step)
        elif isinstance(step, call_session.Pending):
            self._ask_note(step)

    def _ask_wrong_number(self, item: calls.CallItem) -> None:
        """A wrong number erases the phone: asked first (and `u` undoes it)."""
        from shopkeep.tui.screens.confirm import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes and self.session is not None:
                write = self.session.log_now(item, "wrong_number", self._draft_of(item), self._offers(item))
                if write is not None:
                    self._logged(write)

        question = _("Mark {phone} as a wrong number?").format(phone=phone_text(item.phone))
        detail = _("The number is taken off the customer (an import will not bring it back); u undoes it.")
        self.app.push_screen(ConfirmModal(question, detail), answered)

    def _draft_of(self, item: calls.CallItem) -> str | None:
        details = self.details.get(item.customer_id)
        return details.draft if details else None

    def _note_label(self, pending: Pending) -> None:
        outcome = _(OUTCOME_LABELS[pending.outcome])
        if pending.callback_on:
            outcome = _("{outcome} on {day}").format(outcome=outcome, day=format_date(pending.callback_on))
        label = _("{outcome} — note (Enter saves, Esc skips the note):").format(outcome=outcome)
        self.query_one("#note-label", Label).update(plain(label))

    def _ask_note(self, pending: Pending) -> None:
        self._note_label(pending)
        self.query_one("#note-row").add_class("open")
        note = self.query_one("#note", NoteInput)
        note.value = self._draft_of(pending.item) or ""
        note.focus()
        self._show_current()
        self.refresh_bindings()

    @on(Input.Changed, "#note")
    def _typing(self, event: Input.Changed) -> None:
        draft = self.session.draft(event.value) if self.session else None
        if draft is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, lambda: self._save_draft(draft))

    @work(thread=True, group="today-draft", exit_on_error=False)
    def _save_draft(self, draft: SaveDraft) -> None:
        from shopkeep.call_session import perform

        with self._write_lock:
            if self.session is None or self.session.is_logged(draft.customer_id):
                return
            with self.shop.open_store() as store:
                perform(store, draft)

    @on(Input.Submitted, "#note")
    def _note_done(self, event: Input.Submitted) -> None:
        self._finish(event.value)

    @on(NoteInput.Skipped)
    def _note_skipped(self) -> None:
        self._finish(None)

    def _finish(self, note: str | None) -> None:
        pending = self.session.pending if self.session else None
        if self.session is None or pending is None:
            return
        write = self.session.finish(note, self._offers(pending.item))
        if write is not None:
            self._logged(write)

    def _logged(self, write: LogCall) -> None:
        """The session has moved on: save the call in a worker and show the next customer at once. The call
        counts as made once its write has committed; a write that fails puts the customer back on the list
        and says so."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._write_call(write)
        self.query_one("#note-row").remove_class("open")
        self.query_one("#note", NoteInput).value = ""
        self.details.pop(write.customer_id, None)  # the draft is gone with the call
        self._requested.discard(write.customer_id)
        self._fill_table()
        self.query_one("#calls", DataTable).focus()

    @work(thread=True, group="today-write", exit_on_error=False)
    def _write_call(self, write: LogCall) -> None:
        from shopkeep.call_session import perform

        try:
            with self._write_lock, self.shop.open_store() as store:
                call_id = perform(store, write)
        except Exception as error:  # shown to the owner; the customer goes back on the list
            self.app.call_from_thread(self._call_not_saved, write, error)
        else:
            self.app.call_from_thread(self._call_saved, write, call_id)

    def _call_saved(self, write: LogCall, call_id: int | None) -> None:
        from shopkeep.tui.undo import Undoable, outcome_words

        assert self.session is not None
        self.session.saved(write)
        if call_id is not None:
            what = _("{outcome} for {who}").format(outcome=outcome_words(write.outcome), who=write.item.ref)
            self.shop.remember(Undoable("call", call_id, write.customer_id, what))
        self._show_status()
        self._load_results()

    def _call_not_saved(self, write: LogCall, error: Exception) -> None:
        assert self.session is not None
        self.session.not_saved(write)
        self._fill_table()
        self._show_current()
        self.notify(
            _("The call was NOT saved ({error}). The customer is back on the list: log it again.").format(
                error=describe_error(error)
            ),
            severity="error",
            timeout=10,
        )
