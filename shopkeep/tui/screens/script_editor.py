"""The script editor on Today (key s): the owner rewrites the script for one reason in the current
language, with a live preview for the customer on screen. Edits live in the database (`call_scripts`);
a reset brings the shipped default back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Static, TextArea
from textual.worker import Worker

from shopkeep import reasons
from shopkeep.i18n import N_, _
from shopkeep.tui.base import ShopModal, notify_worker_error
from shopkeep.tui.safe import plain
from shopkeep.tui.widgets.script_view import script_content

if TYPE_CHECKING:
    from shopkeep.scripts import Script

LANGUAGE_NAMES = {"en": N_("English"), "ru": N_("Russian"), "pl": N_("Polish")}  # a script's language
_LISTS = (
    ("questions", N_("Questions to ask")),
    ("talking_points", N_("Talking points")),
    ("offers", N_("Offers")),
    ("notes", N_("Tips for the caller, shown apart and not read out")),
)


class ScriptEditor(ShopModal[bool]):
    """Edits one script. Returns True when the stored script changed (saved or reset), else False."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("ctrl+o", "reset", N_("Reset to default")),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    DEFAULT_CSS = """
    ScriptEditor #editor { width: 96%; height: 90%; padding: 0 1; border: round $accent; background: $surface; }
    ScriptEditor #editor-fields { width: 1fr; }
    ScriptEditor #editor-side { width: 1fr; padding-left: 2; border-left: vkey $foreground 20%; }
    ScriptEditor TextArea { height: 5; }
    ScriptEditor .field { color: $text-muted; margin-top: 1; }
    ScriptEditor Label { width: 100%; }  /* a long title (a reason's words, a language) wraps, never cut */
    ScriptEditor #editor-error { color: $error; }
    """

    def __init__(self, reason: str, language: str, script: Script, values: dict[str, object]) -> None:
        super().__init__()
        self.reason = reason
        self.language = language
        self.script = script
        self.values = values
        self._reset_armed = False

    def compose(self) -> ComposeResult:
        from shopkeep.scripts import PLACEHOLDERS

        label = reasons.label(self.reason)
        language = _(LANGUAGE_NAMES.get(self.language, self.language))
        with Horizontal(id="editor"):
            with VerticalScroll(id="editor-fields"):
                yield Label(
                    Content.styled(
                        _("Script for '{reason}' in {language}").format(reason=label, language=language), "bold"
                    )
                )
                yield Static(Content.styled(_("ctrl+s saves · ctrl+o resets to the default · Esc cancels"), "dim"))
                yield Label("", id="editor-error")
                yield Label(_("Title"), classes="field")
                yield Input(self.script.title, id="editor-title", select_on_focus=False)
                yield Label(_("Opening line"), classes="field")
                yield Input(self.script.opening, id="editor-opening", select_on_focus=False)
                for name, heading in _LISTS:
                    yield Label(Content(_("{heading} (one per line)").format(heading=_(heading))), classes="field")
                    yield TextArea("\n".join(getattr(self.script, name)), id=f"editor-{name}", soft_wrap=True)
            with VerticalScroll(id="editor-side"):
                placeholders = " ".join("{" + p + "}" for p in PLACEHOLDERS)
                yield Static(Content.styled(_("Placeholders: {names}").format(names=placeholders), "dim"))
                yield Label(Content.styled(_("Preview for the customer on screen"), "bold"), classes="field")
                yield Static(id="editor-preview")

    def on_mount(self) -> None:
        self.query_one("#editor-opening", Input).focus()
        self._preview()

    def edited(self) -> Script:
        from shopkeep.scripts import Script

        def lines(name: str) -> list[str]:
            text = self.query_one(f"#editor-{name}", TextArea).text
            return [line.strip() for line in text.splitlines() if line.strip()]

        return Script(
            title=self.query_one("#editor-title", Input).value.strip(),
            opening=self.query_one("#editor-opening", Input).value.strip(),
            questions=lines("questions"),
            talking_points=lines("talking_points"),
            offers=lines("offers"),
            notes=lines("notes"),
            language=self.language,  # type: ignore[arg-type]  # a str the screen holds; pydantic checks it
        )

    def _problem(self, script: Script) -> str | None:
        from shopkeep.scripts import unknown_placeholders

        unknown = unknown_placeholders(script)
        if unknown:
            names = ", ".join("{" + key + "}" for key in unknown)
            return _("Unknown placeholder: {names} — not saved").format(names=names)
        if not script.title or not script.opening:
            return _("The title and the opening line cannot be empty")
        return None

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _preview(self) -> None:
        from shopkeep.scripts import render_script

        self._reset_armed = False
        script = self.edited()
        self.query_one("#editor-error", Label).update(plain(self._problem(script) or ""))
        rendered = render_script(script, self.values)
        preview = script_content(rendered, reasons.label(self.reason), None)
        self.query_one("#editor-preview", Static).update(preview)

    def action_save(self) -> None:
        script = self.edited()
        problem = self._problem(script)
        if problem:
            self.query_one("#editor-error", Label).update(plain(problem))
            return
        self._write(script)

    def action_reset(self) -> None:
        if not self._reset_armed:
            self._reset_armed = True
            self.query_one("#editor-error", Label).update(
                plain(_("Press ctrl+o again to throw away your edit and use the shipped script"))
            )
            return
        self._write(None)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, script: Script | None) -> None:
        from shopkeep import scripts

        with self.app.open_store() as store:  # type: ignore[attr-defined]
            if script is None:
                scripts.reset_script(store, self.reason, self.language)
            else:
                scripts.save_script(store, self.reason, self.language, script)
        self.app.call_from_thread(self.dismiss, True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        notify_worker_error(self, event)

    def action_cancel(self) -> None:
        self.dismiss(False)
