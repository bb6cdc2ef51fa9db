"""Today's customers without a phone (key `e` on Today): the same reasons as the call list, each with an
email or SMS to copy into the owner's mail tool; `s` logs it as sent, like a call outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from shopkeep.i18n import N_, _
from shopkeep.tui.base import ShopScreen
from shopkeep.tui.safe import cell, plain
from shopkeep.tui.undo import Undoable

if TYPE_CHECKING:
    from shopkeep.calls import CallItem
    from shopkeep.messages import Outreach


class NoPhoneScreen(ShopScreen):
    TITLE = N_("No phone: write instead")
    BINDINGS = [
        Binding("y", "copy", N_("Copy message")),
        Binding("t", "channel", N_("Email/SMS")),
        Binding("s", "sent", N_("Logged as sent")),
        Binding("escape", "app.pop_screen", N_("Back")),
    ]
    DEFAULT_CSS = """
    NoPhoneScreen #no-phone-main { height: 1fr; }
    NoPhoneScreen #outreach { width: 11fr; }
    NoPhoneScreen #message-box { width: 9fr; padding: 0 1 0 2; border-left: vkey $foreground 20%; }
    NoPhoneScreen #no-phone-status { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, items: list[CallItem]) -> None:
        super().__init__()
        self.items = list(items)  # the most valuable first
        self.rows: list[Outreach] = []
        self.channel = "email"
        self.sent: dict[int, Outreach] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(_("Writing the messages…")), id="no-phone-status")
        with Horizontal(id="no-phone-main"):
            yield DataTable(id="outreach", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="message-box"):
                yield Static(id="message")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#outreach", DataTable)
        table.add_columns(_("Customer"), _("Email"), _("Why"))
        table.focus()
        self.shop.undone.subscribe(self, self._undone)
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        from shopkeep.messages import outreach

        with self.shop.open_store() as store:
            rows = outreach(store, self.items)
        self.app.call_from_thread(self._show, rows)

    def retranslate(self) -> None:
        table = self.query_one("#outreach", DataTable)
        table.clear(columns=True)
        table.add_columns(_("Customer"), _("Email"), _("Why"))
        if self.rows:
            self._fill()

    def _show(self, rows: list[Outreach]) -> None:
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        table = self.query_one("#outreach", DataTable)
        table.clear()
        for o in self.rows:
            who = f"{o.name} ({o.ref})" if o.name else o.ref
            table.add_row(cell(who), cell(o.email or _("no email")), cell(o.why), key=str(o.customer_id))
        with_email = sum(1 for o in self.rows if o.email)
        status = _(
            "{without} without a phone · {with_email} with an email · {sent} sent"
            " · y: copy · t: email/SMS · s: sent · u: undo"
        ).format(without=len(self.rows), with_email=with_email, sent=len(self.sent))
        self.query_one("#no-phone-status", Static).update(plain(status))
        self._show_message()

    def _current(self) -> Outreach | None:
        table = self.query_one("#outreach", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#outreach")
    def _highlighted(self) -> None:
        self._show_message()

    def _text(self, o: Outreach) -> str:
        if self.channel == "sms":
            return o.message.sms
        return _("Subject: {subject}").format(subject=o.message.subject) + f"\n\n{o.message.body}"

    def _show_message(self) -> None:
        o = self._current()
        box = self.query_one("#message", Static)
        if o is None:
            box.update(plain(_("Nobody left to write to.")))
            return
        if self.channel == "email":
            head = Content.styled(_("Email to {address}").format(address=o.email or _("no email on record")), "bold")
        else:
            head = Content.styled(_("Short text (SMS or a messenger)"), "bold")
        box.update(Content("\n\n").join([head, plain(self._text(o), multiline=True)]))

    def action_copy(self) -> None:
        o = self._current()
        if o is not None:
            self.app.copy_to_clipboard(self._text(o))
            self.notify(_("Message copied: paste it in your mail tool, then press s once it is sent."))

    def action_channel(self) -> None:
        self.channel = "sms" if self.channel == "email" else "email"
        self._show_message()

    def action_sent(self) -> None:
        o = self._current()
        if o is not None:
            self._write_sent(o)

    @work(thread=True, group="write", exit_on_error=False)
    def _write_sent(self, o: Outreach) -> None:
        from shopkeep import calls

        with self.shop.open_store() as store:
            call_id = calls.log_call(store, o.customer_id, "message_sent", reason=o.reason, list_date=self.shop.as_of)
        self.app.call_from_thread(self._sent, o, call_id)

    def _sent(self, o: Outreach, call_id: int) -> None:
        self.shop.remember(Undoable("call", call_id, o.customer_id, _("Message sent to {who}").format(who=o.ref)))
        self.sent[o.customer_id] = o
        self.rows = [r for r in self.rows if r.customer_id != o.customer_id]
        self.shop.call_logged.publish((o.customer_id, "message_sent"))
        self.notify(_("Logged: message sent to {who} (u: undo).").format(who=o.ref))
        self._fill()

    def _undone(self, entry: Undoable) -> None:
        o = self.sent.pop(entry.customer_id, None)
        if entry.kind == "call" and o is not None:
            order = [i.customer_id for i in self.items]
            self.rows = sorted([*self.rows, o], key=lambda r: order.index(r.customer_id))
            self._fill()
