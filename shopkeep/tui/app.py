"""The shopkeep app: six screens as Textual modes (each keeps its state), a command palette, workers."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich.segment import Segments
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.widgets import Input
from textual.worker import Worker

from shopkeep import i18n
from shopkeep.clock import Clock
from shopkeep.i18n import N_, _
from shopkeep.notes import clean_text
from shopkeep.store import Store
from shopkeep.tui.base import ShopScreen, describe_error, notify_worker_error
from shopkeep.tui.commands import ShopkeepCommands
from shopkeep.tui.screens.today import TodayScreen
from shopkeep.tui.undo import Undoable, undo_in_store

if TYPE_CHECKING:
    from shopkeep.retention import Retention
    from shopkeep.shop import SettingsChange
    from shopkeep.tui.screens.import_file import ImportProgressModal, ImportRequest


def _later(module: str, name: str) -> Callable[[], Screen]:
    """A screen imported when first shown, so that starting the app only loads the home screen."""

    def make() -> Screen:
        return getattr(importlib.import_module(f"shopkeep.tui.screens.{module}"), name)()

    return make


# The one list of screens: number key -> (mode, title). Mode `m` titled `T` is the class `TScreen` in
# shopkeep/tui/screens/m.py; `ShopkeepApp.MODES` and the number-key bindings are derived from this.
# The title is English (N_), translated where shown.
SCREENS_BY_KEY = {
    "1": ("today", N_("Today")),
    "2": ("customers", N_("Customers")),
    "3": ("segments", N_("Segments")),
    "4": ("loyalty", N_("Loyalty")),
    "5": ("referrals", N_("Referrals")),
    "6": ("dashboard", N_("Dashboard")),
}
HOME_MODE = "today"  # imported at start; every other screen on first use
_MODES: dict[str, str | Callable[[], Screen]] = {
    mode: TodayScreen if mode == HOME_MODE else _later(mode, f"{title}Screen")
    for mode, title in SCREENS_BY_KEY.values()
}


class ShopkeepApp(App):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "shopkeep"
    MODES = _MODES
    DEFAULT_MODE = HOME_MODE
    COMMANDS = App.COMMANDS | {ShopkeepCommands}
    BINDINGS = [
        # F1–F6 switch screens from anywhere (a search box takes digits); digits too where nothing is typed.
        # The footer shows them as one entry, "F1-6 Screens"; `?` lists each.
        Binding("f1", "switch_mode('today')", N_("Screens"), key_display="F1-6", tooltip=N_("F1 Today … F6 Dashboard")),
        *(
            Binding(f"f{key}", f"switch_mode('{mode}')", name, key_display=f"F{key}", show=False)
            for key, (mode, name) in list(SCREENS_BY_KEY.items())[1:]
        ),
        *(Binding(key, f"switch_mode('{mode}')", name, show=False) for key, (mode, name) in SCREENS_BY_KEY.items()),
        Binding("u", "undo", N_("Undo")),
        Binding("question_mark", "keys", N_("Keys"), key_display="?"),
        Binding("slash", "search", N_("Search"), key_display="/", show=False),
        Binding("escape", "back", N_("Back"), show=False),
        Binding("q", "quit", N_("Quit"), show=False),
        Binding("ctrl+r", "reload", N_("Reload"), show=False),
        Binding("f7", "next_language", N_("Language: English, Russian, Polish"), show=False),
        Binding("f9", "as_of_last_order", N_("As of the last order day"), show=False),
        Binding("i", "import_file", N_("Import orders"), show=False),
    ]
    WATCH_SECONDS = 2.0
    WRITE_PATIENCE_SECONDS = 30 * 60

    def __init__(self, db_path: Path, *, demo: bool = False, as_of: dt.date | None = None):
        super().__init__()
        self.db_path = Path(db_path)
        self.demo = demo
        self.clock: Clock | None = None
        with self.open_store() as store:
            shop_name = store.get_setting("shop_name")
            chosen = store.get_setting("language")
            # One clock for the whole session: what the screens read as of and what every write is stamped with.
            self.clock = Clock.resolve(as_of) if as_of is not None else store.clock
        self.as_of = self.clock.as_of
        if isinstance(chosen, str) and i18n.normalize(chosen):
            i18n.set_language(chosen)  # the shop's own choice; else what the process was started in
        self._show_shop_name(shop_name)
        self.retention: Retention | None = None  # once loaded
        self.last_notice = ""  # the latest notification's text
        self.newest_order: dt.date | None = None  # the latest order day in the figures
        self.data_is_old = False  # that day is long before `as_of`: the figures as of today mislead
        self.retention_ready: Signal[Retention] = Signal(self, "retention-ready")
        self._retention_worker: Worker | None = None
        # Which request for the figures is the latest: a computation asked for before a write can finish after
        # the one asked for after it, and its older figures must not replace the newer ones.
        self._retention_asked = 0
        self._retention_wanted = False
        self._painted = False  # the first frame is on the terminal
        # Published when another process (an import, `shopkeep forget`) changed orders or customers.
        self.data_changed: Signal[None] = Signal(self, "data-changed")
        # Published with (customer id, outcome) when a call is logged outside Today (from a customer's card).
        self.call_logged: Signal[tuple[int, str]] = Signal(self, "call-logged")
        # Published with (customer id, promise id) when a promise is marked given (Today or a card).
        self.promise_closed: Signal[tuple[int, int]] = Signal(self, "promise-closed")
        # What `u` can undo in this session, the newest last; published once an undo has been written.
        self.undo_stack: list[Undoable] = []
        self.undone: Signal[Undoable] = Signal(self, "undone")
        self._watcher: Store | None = None
        self._seen: tuple[int, tuple[int, int, int]] | None = None
        self._importing = False  # an import of this app's is running: it says what it did itself
        # The file and options last imported (or tried): the form starts from them.
        self._last_import: ImportRequest | None = None

    def on_mount(self) -> None:
        self._watcher = self.open_store()
        self._seen = (self._watcher.data_version(), self._watcher.change_signature())
        self.set_interval(self.WATCH_SECONDS, self._check_for_changes)

    def on_ready(self) -> None:
        # Textual posts Ready while the first frame may still be held back (start-up is one batch
        # update): the callback below runs once that frame has been written.
        self.call_after_refresh(self._first_paint_done)

    def _first_paint_done(self) -> None:
        """Heavy start-up work (the retention compute: seconds of CPU on a big shop, holding the GIL in
        bursts) begins only now, so that it never delays the first paint."""
        self._painted = True
        if self._retention_wanted:
            self._start_retention()

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()

    def _check_for_changes(self, *, force: bool = False) -> None:
        """Poll PRAGMA data_version (no table read); look closer only when something committed."""
        if self._watcher is None or self._seen is None or self._importing:
            return
        version = self._watcher.data_version()
        if version == self._seen[0] and not force:
            return
        signature = self._watcher.change_signature()
        changed = signature != self._seen[1]
        self._seen = (version, signature)
        if changed or force:
            self.refresh_retention()
            self.data_changed.publish(None)
            if changed:
                self.notify(_("New orders or customers in the database: the figures are refreshed."))

    def action_reload(self) -> None:
        self._check_for_changes(force=True)

    # -- conventions every screen uses -----------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is literal text: messages name customers, files and errors, never markup.
        (Screens' and widgets' notify end here too, whatever `markup` they pass.)"""
        self.last_notice = message
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def open_store(self) -> Store:
        """A new connection for the calling thread (workers: `with self.app.open_store() as store:`)."""
        store = Store.open(self.db_path, create=False, clock=self.clock)
        store.patience = self.WRITE_PATIENCE_SECONDS  # a long import holds the lock: wait, do not fail
        return store

    def want_retention(self, node: Screen, callback: Callable[[Retention], object]) -> None:
        """Call `callback(retention)` now if the figures are ready, else once they are computed (once for
        all screens); and again whenever they are recomputed, for as long as `node` lives."""
        self.retention_ready.subscribe(node, callback)
        if self.retention is not None:
            callback(self.retention)
        else:
            self._retention_wanted = True
            self._start_retention()

    def _start_retention(self) -> None:
        if self._painted and (self._retention_worker is None or self._retention_worker.is_finished):
            self._retention_worker = self._load_retention(self._retention_asked)

    def refresh_retention(self) -> None:
        """After a write that changes figures: recompute (cheap when nothing relevant changed) and publish."""
        self.retention = None
        self._retention_asked += 1
        self._retention_worker = self._load_retention(self._retention_asked)

    @work(thread=True, group="retention", exit_on_error=False)
    def _load_retention(self, asked: int) -> None:
        from shopkeep.retention import cached_compute

        with self.open_store() as store:
            result = cached_compute(store, self.as_of)
        result.read_contacts()  # the screens show names: read here, not on the main thread
        self.call_from_thread(self._retention_loaded, result, asked)

    def _retention_loaded(self, result: Retention, asked: int) -> None:
        from shopkeep.first_run import stale_note

        if asked != self._retention_asked:
            return  # asked for before a later write: the figures asked for since then will come
        first = self.newest_order is None and not self.data_is_old
        self.retention = result
        self.newest_order = result.newest_order()  # from the figures' arrays: no 100k metrics made here
        note = stale_note(self.as_of, self.newest_order, self.db_path)
        self.data_is_old = note is not None
        if note is not None and first:
            self.notify(note, title=_("Old data"), severity="warning", timeout=30)
        self.retention_ready.publish(result)

    def action_as_of_last_order(self) -> None:
        """Start the screens again with the clock on the newest order's day (the same as `--as-of DAY`)."""
        if self.newest_order is None or not self.data_is_old:
            self.notify(_("The data reaches today: nothing to change."))
            return
        self.exit(result=self.newest_order)

    def open_customer(self, customer_id: int) -> None:
        """Push the customer card on the current screen's stack."""
        from shopkeep.tui.screens.card import CustomerCardScreen

        self.push_screen(CustomerCardScreen(customer_id))

    # -- actions -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A dialog is finished with Enter or Esc: no quitting or switching screens from under it."""
        return not (action in ("quit", "switch_mode", "search", "undo") and isinstance(self.screen, ModalScreen))

    def action_search(self) -> None:
        self.switch_mode("customers")
        self.call_after_refresh(lambda: self.screen.query_one("#search", Input).focus())

    def _show_shop_name(self, shop_name: object) -> None:
        """The shop's name is the app's title (the terminal's or browser tab's) and leads the header."""
        self.shop_name = clean_text(str(shop_name)) if shop_name else "shopkeep"
        self.title = self.shop_name
        as_of = _("as of {day}").format(day=i18n.format_date(self.as_of))
        self.sub_title = f"{self.shop_name} · {as_of} · {self.db_path}" + (" " + _("(demo copy)") if self.demo else "")

    def action_shop_settings(self) -> None:
        """The shop's settings form (the same as `shopkeep settings`)."""
        from shopkeep.shop import load_settings
        from shopkeep.tui.screens.settings import ShopSettingsModal

        with self.open_store() as store:
            current = load_settings(store)
        self.push_screen(ShopSettingsModal(current), self._save_shop_settings)

    def _save_shop_settings(self, changed: SettingsChange | None) -> None:
        if changed is not None and changed.texts():
            self._write_shop_settings(changed)

    @work(thread=True, group="settings", exit_on_error=False)
    def _write_shop_settings(self, changed: SettingsChange) -> None:
        from shopkeep.shop import save_settings

        with self.open_store() as store:
            now = save_settings(store, changed.texts())
        self.call_from_thread(self._shop_settings_saved, now.shop_name, now.language)

    def _shop_settings_saved(self, shop_name: str | None, language: str | None = None) -> None:
        self._show_shop_name(shop_name)
        if language and i18n.normalize(language) and i18n.normalize(language) != i18n.language():
            self.action_language(language)  # the language field of the form: the screens follow at once
        self.notify(_("Shop settings saved."))
        self.refresh_retention()  # the currency may have changed

    def remember(self, entry: Undoable) -> None:
        """A write `u` can undo (call it once the write has committed)."""
        self.undo_stack.append(entry)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify(_("Nothing to undo in this session."), severity="warning")
            return
        self._undo(self.undo_stack.pop())

    @work(thread=True, group="undo", exit_on_error=False)
    def _undo(self, entry: Undoable) -> None:
        with self.open_store() as store:
            undo_in_store(store, entry)
        self.call_from_thread(self._undo_done, entry)

    def _undo_done(self, entry: Undoable) -> None:
        self.notify(_("Undone: {what}.").format(what=entry.what))
        self.undone.publish(entry)
        if entry.kind == "call":
            self.refresh_retention()

    def action_import_file(self) -> None:
        """Ask for an export file and import it with the same importer as `shopkeep import`."""
        from shopkeep.tui.screens.import_file import ImportFileModal

        self.push_screen(ImportFileModal(self._last_import), self._import_chosen)

    def _import_chosen(self, request: ImportRequest | None) -> None:
        from shopkeep.tui.screens.import_file import ImportProgressModal

        if request is None:
            return
        self._last_import = request
        progress = ImportProgressModal(request.path.name)
        self.push_screen(progress)
        self._importing = True
        self._run_import(request, progress)

    @work(thread=True, group="import", exclusive=True, exit_on_error=False)
    def _run_import(self, request: ImportRequest, progress: ImportProgressModal) -> None:
        """One transaction for the file (nothing is written when a row is bad), then the same upkeep as the
        command (loyalty points, referrals); said in the command's words."""
        from shopkeep.errors import ShopkeepError
        from shopkeep.importing.load import import_file
        from shopkeep.importing.report import error_line, follow_up, summary
        from shopkeep.upkeep import after_import

        path = request.path
        title = _("Nothing was imported")
        try:
            with self.open_store() as store:
                result = import_file(
                    store, path, request.options(), progress=lambda rows: self.call_from_thread(progress.rows, rows)
                )
                if not result.ok:
                    lines, ok = [error_line(result)], False
                else:
                    lines, ok = [summary(result), *follow_up(result)], True
                    lines += after_import(store, store.clock.as_of).lines()
        except ShopkeepError as exc:
            message = str(exc)
            lines, ok = [message if path.name in message else f"{path.name}: {message}"], False
        except Exception as exc:  # a disk or database failure, or a bug: said in one line, and the app goes on
            title = _("The import stopped")
            reason = describe_error(exc)
            lines = [f"{path.name}: " + _("{reason}. Import it again: nothing is added twice.").format(reason=reason)]
            ok = False
        finally:
            self.call_from_thread(progress.dismiss)
        self.call_from_thread(self._imported, lines, ok, title)

    def _imported(self, lines: list[str], ok: bool, title: str = "") -> None:
        self._importing = False  # also after a failure: the app watches other processes' changes again
        if not ok:
            self.notify(lines[0], title=title, severity="error", timeout=15)
            return
        self._last_import = None  # done: the next import is another file
        self.notify("\n".join(lines), title=_("Imported"), timeout=15)
        if self._watcher is not None:  # this app's own write: no "new orders in the database" notice
            self._seen = (self._watcher.data_version(), self._watcher.change_signature())
        self.refresh_retention()
        self.data_changed.publish(None)

    # -- the language people read ------------------------------------------------------------------

    def action_next_language(self) -> None:
        """F7: English, Russian, Polish in turn."""
        codes = list(i18n.LANGUAGES)
        self.action_language(codes[(codes.index(i18n.language()) + 1) % len(codes)])

    def action_language(self, code: str) -> None:
        """Show everything in `code` from now on, redraw what is on screen, and keep it as the shop's choice.
        (The call scripts keep their own language, switched per call on Today.)"""
        i18n.set_language(code)
        self._show_shop_name(self.shop_name)
        for screen in self.screen_stack:  # what is on view now; the other screens follow when shown
            if isinstance(screen, ShopScreen):
                screen.follow_language()
        self.screen.refresh_bindings()
        self.notify(_("Language: {language}").format(language=i18n.LANGUAGES[i18n.language()]), timeout=3)
        self._save_language(i18n.language())

    @work(thread=True, group="settings", exit_on_error=False)
    def _save_language(self, code: str) -> None:
        from shopkeep import shop

        with self.open_store() as store:
            if "language" in shop.SETTING_KEYS:
                shop.save_settings(store, {"language": code})
            else:  # until the settings know the field: the same key
                store.set_setting("language", code)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterator[SystemCommand]:
        """Textual's own commands (theme, quit, keys, screenshot...) in the language in use."""
        for command in super().get_system_commands(screen):
            yield SystemCommand(_(command.title), _(command.help), command.callback, command.discover)

    def action_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            tables = self.screen.query("DataTable, LazyTable")
            self.screen.set_focus(tables.first() if tables else None)
        elif self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        elif len(self.screen_stack) > 1:
            self.pop_screen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        notify_worker_error(self, event)

    def _fatal_error(self) -> None:
        """Textual's own crash report prints local variables, which would hold customer data: not ours."""
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()
