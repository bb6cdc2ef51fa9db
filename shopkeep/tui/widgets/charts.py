"""Small charts drawn as Content: stacked horizontal bars and a shaded cohort grid (no markup involved)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from shopkeep.i18n import _

BLOCK = "█"
# Background shades for retention shares: 0–10%, 10–20%, 20–35%, 35–50%, 50%+.
SHADES = ((0.10, "#1b2a3a"), (0.20, "#1f4e79"), (0.35, "#2e75b6"), (0.50, "#5b9bd5"), (2.0, "#9dc3e6"))


def stacked_bars(rows: Sequence[tuple[str, Sequence[int], str]], styles: Sequence[str], width: int) -> Content:
    """One line per (label, values, note): the label, a bar whose parts are the values on one shared
    scale (the longest bar is `width` cells), then the note."""
    if not rows:
        return Content.styled(_("no data yet"), "dim")
    biggest = max(sum(values) for _, values, _ in rows) or 1
    label_width = max(len(label) for label, _, _ in rows)
    lines = []
    for label, values, note in rows:
        parts = [Content(f"{label:<{label_width}} ")]
        running = drawn = 0
        for value, style in zip(values, styles, strict=True):
            running += max(value, 0)
            end = running * width // biggest
            parts.append(Content.styled(BLOCK * (end - drawn), style))
            drawn = end
        parts.append(Content(" " * (width - drawn + 1)))
        parts.append(Content.styled(note, "dim"))
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


def shade(share: float) -> str:
    return next(colour for limit, colour in SHADES if share < limit)


def cohort_grid(rows: Sequence[tuple[str, int, Sequence[float]]], months: int) -> Content:
    """Rows of (cohort month, customers, share ordering in month 0, 1, ...): a shaded grid of percentages."""
    if not rows:
        return Content.styled(_("no data yet"), "dim")
    cohort, size_word = _("cohort"), _("size")
    first = max(8, len(cohort) + 1, *(len(month) for month, _size, _shares in rows))
    second = max(5, len(size_word) + 1)
    heading = f"{cohort:<{first}}{size_word:>{second}} " + "".join(f"{f'+{k}':>5}" for k in range(1, months))
    lines = [Content.styled(heading, "bold")]
    for month, size, shares in rows:
        cells = [Content(f"{month:<{first}}{size:>{second}} ")]
        for share in shares[1:months]:
            cells.append(Content.styled(f"{round(100 * share):>4}%", f"#ffffff on {shade(share)}"))
        lines.append(Content.assemble(*cells))
    return Content("\n").join(lines)
