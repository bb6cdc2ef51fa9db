"""A call script laid out to be read at a glance while on the phone: the opening line, what to ask,
what to say, and the offers with the one chosen marked, under headings in the script's language; the
tips for the caller come last, dimmed and apart, so they are not read out. All of it literal text (it
holds customer data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from shopkeep.tui.safe import plain

if TYPE_CHECKING:
    from shopkeep.scripts import Script


def script_content(script: Script, reason_label: str, offer: int | None) -> Content:
    """The script as Content; `offer` is the index of the chosen offer (None: none chosen yet)."""
    from shopkeep.scripts import HEADINGS

    words = HEADINGS[script.language]
    parts = [
        Content.assemble(plain(script.title).stylize("bold $accent"), (f"  ({reason_label})", "dim")),
        Content(""),
        plain(script.opening, multiline=True).stylize("bold"),
    ]

    def block(heading: Content, lines: list[Content]) -> None:
        if lines:
            parts.extend([Content(""), heading, *lines])

    block(Content.styled(words.ask, "bold underline"), [Content.assemble("• ", plain(q)) for q in script.questions])
    block(
        Content.styled(words.say, "bold underline"), [Content.assemble("• ", plain(t)) for t in script.talking_points]
    )
    offers = []
    for n, text in enumerate(script.offers):
        if n == offer:
            offers.append(Content.assemble(("▶ ", "bold $success"), plain(text).stylize("bold reverse")))
        else:
            offers.append(Content.assemble("  ", plain(text)))
    block(Content.assemble((words.offer, "bold underline"), (f"  ({words.choose})", "dim")), offers)
    block(
        Content.styled(f"─ {words.tips} ─", "dim italic"),
        [Content.assemble("· ", plain(tip)).stylize("dim italic") for tip in script.notes],
    )
    return Content("\n").join(parts)


class ScriptView(Static):
    """Shows one rendered script; `show` replaces it."""

    def show(self, script: Script, reason_label: str, offer: int | None) -> None:
        self.update(script_content(script, reason_label, offer))
