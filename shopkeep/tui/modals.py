"""Small dialogs: on the customer card a note, a call, a points adjustment, who sent a customer; on Today
the reason for a call."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from shopkeep.clock import parse_day_ahead
from shopkeep.customer_ref import label as label_of
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _, ngettext
from shopkeep.notes import clean_text
from shopkeep.tui.base import ShopModal
from shopkeep.tui.safe import plain
from shopkeep.tui.undo import outcome_words

if TYPE_CHECKING:
    from shopkeep.call_session import CallOutcome
    from shopkeep.lookup import CustomerIndex
    from shopkeep.loyalty import PointsChange

REFERRER_RESULTS = 8


def _words(code: str) -> str:
    return outcome_words(code)


class NoteModal(ShopModal[str | None]):
    """Returns the typed note, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Add a note (Enter saves, Esc cancels)"))
            yield Input(placeholder=_("What should you remember about this customer?"), id="note")

    @on(Input.Submitted, "#note")
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(clean_text(event.value).strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CallModal(ShopModal["CallOutcome | None"]):
    """Returns the call to log (`shopkeep.call_session.CallOutcome`, for `shopkeep.calls.log_call`), or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, as_of: dt.date) -> None:
        super().__init__()
        self.as_of = as_of  # a call-back day is after it

    def compose(self) -> ComposeResult:
        from shopkeep import reasons
        from shopkeep.calls import OUTCOMES  # pydantic: slow to import, not needed at start

        with Vertical(classes="dialog"):
            yield Label(_("Log a call (Enter in the note saves, Esc cancels)"))
            yield Select([(_words(o), o) for o in OUTCOMES], value="no_answer", allow_blank=False, id="outcome")
            yield Select(
                [(label.capitalize(), r) for r, label in reasons.labels().items()],
                prompt=_("Reason (if you learnt it)"),
                id="reason",
            )
            yield Input(placeholder=_("Call back on (YYYY-MM-DD), for 'Call later'"), id="callback")
            yield Input(placeholder=_("Note"), id="call-note")

    @on(Input.Submitted, "#call-note")
    def _done(self, event: Input.Submitted) -> None:
        try:
            call = self.call(event.value)
        except ShopkeepError as exc:
            self.notify(str(exc), severity="error")
            return
        self.dismiss(call)

    def call(self, note: str) -> CallOutcome:
        """The call as the form says it (a call-back day that is not a day after today is refused)."""
        from shopkeep.call_session import CallOutcome

        reason = self.query_one("#reason", Select).value
        callback = self.query_one("#callback", Input).value.strip()
        return CallOutcome(
            outcome=str(self.query_one("#outcome", Select).value),
            reason=None if reason is Select.NULL else str(reason),
            note=note,
            callback_on=parse_day_ahead(callback, self.as_of, after_today=True) if callback else None,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class PointsModal(ShopModal["PointsChange | None"]):
    """Returns the change (`shopkeep.loyalty.PointsChange`): positive adds, negative redeems; None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, who: str, balance: int) -> None:
        super().__init__()
        self.who = who
        self.balance = balance

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Adjust points: +50 adds, -20 redeems (Enter saves, Esc cancels)"))
            has = ngettext("has {n} point", "has {n} points", self.balance).format(n=self.balance)
            yield Static(Content.assemble(plain(self.who), " " + has), id="points-balance")
            yield Input(placeholder="+50", id="points", restrict=r"[+-]?[0-9]*")
            yield Input(placeholder=_("Why (optional)"), id="points-note")

    @on(Input.Submitted)
    def _done(self) -> None:
        text = self.query_one("#points", Input).value.strip()
        if text in ("", "+", "-") or int(text) == 0:
            self.notify(_("Type a number of points, e.g. +50 or -20."), severity="warning")
            self.query_one("#points", Input).focus()
            return
        self.dismiss(self.change(int(text)))

    def change(self, points: int) -> PointsChange:
        from shopkeep.loyalty import PointsChange

        return PointsChange(points, clean_text(self.query_one("#points-note", Input).value).strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReferrerModal(ShopModal[int | None]):
    """ "Who sent you?": search customers as you type and pick the one who sent `customer_id`.
    Returns the chosen customer's id, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel")), Binding("down", "to_list", N_("Results"), show=False)]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.index: CustomerIndex | None = None  # once built
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Who sent this customer? Type a name or phone; Enter picks, Esc cancels"))
            yield Input(placeholder=_("Name, phone or email of who sent them"), id="who")
            yield Static(plain(_("Building the search index…")), id="who-status")
            yield OptionList(id="who-matches", markup=False)

    def on_mount(self) -> None:
        self.query_one("#who", Input).focus()
        self._build_index()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        from shopkeep.lookup import CustomerIndex

        with self.app.open_store() as store:  # type: ignore[attr-defined]
            index = CustomerIndex.from_store(store)
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: CustomerIndex) -> None:
        self.index = index
        self._search(self.query_one("#who", Input).value)

    @on(Input.Changed, "#who")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.1, lambda: self._search(event.value))

    def _search(self, query: str) -> None:
        if self.index is None:
            return
        matches = [m for m in self.index.search(query, limit=REFERRER_RESULTS + 1) if m.customer_id != self.customer_id]
        options = self.query_one("#who-matches", OptionList)
        options.clear_options()
        for m in matches[:REFERRER_RESULTS]:
            detail = clean_text(m.email or m.phone or m.external_id or "")
            who = label_of(m.customer_id, m.external_id, m.name)
            label = Content.assemble(plain(who), (f"  {detail}", "dim"))
            options.add_option(Option(label, id=str(m.customer_id)))
        if matches:
            options.highlighted = 0
        shown = min(len(matches), REFERRER_RESULTS)
        found = ngettext("{n} match.", "{n} matches.", shown).format(n=shown)
        status = _("Type to search.") if not query.strip() else found
        self.query_one("#who-status", Static).update(plain(status if matches or not query.strip() else _("No match.")))

    @on(Input.Submitted, "#who")
    def _submitted(self) -> None:
        options = self.query_one("#who-matches", OptionList)
        if options.highlighted is None:
            self.notify(_("No customer picked: type a name, then Enter."), severity="warning")
            return
        self.dismiss(int(options.get_option_at_index(options.highlighted).id or 0))

    @on(OptionList.OptionSelected, "#who-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_to_list(self) -> None:
        self.query_one("#who-matches", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonPicker(ShopModal[str | None]):
    """Picks why a customer stopped buying, which picks the script: every reason at once, the current one
    highlighted; its number or ↑↓ and Enter choose. Returns the reason's code, or None on Esc (no change)."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Keep")),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, reasons: dict[str, str], current: str) -> None:
        """`reasons`: code -> label, in the order to show them; `current`: the code in use now."""
        super().__init__()
        self.reasons = list(reasons.items())
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Why did they stop buying? A number or ↑↓ Enter picks the script; Esc keeps it"))
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (f"{n}  ", "bold"),
                            _(label).capitalize(),
                            ("  " + _("← now") if code == self.current else "", "dim"),
                        ),
                        id=code,
                    )
                    for n, (code, label) in enumerate(self.reasons, start=1)
                ),
                id="reasons",
            )

    def on_mount(self) -> None:
        options = self.query_one("#reasons", OptionList)
        codes = [code for code, _ in self.reasons]
        options.highlighted = codes.index(self.current) if self.current in codes else 0
        options.focus()

    @on(OptionList.OptionSelected, "#reasons")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, position: int) -> None:
        if position < len(self.reasons):
            self.dismiss(self.reasons[position][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
