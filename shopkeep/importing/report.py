"""What an import tells the owner, in the same words wherever it runs: `shopkeep import` and the app's
Import command both check the files with `check_file`, say a file's result with `summary` and
`follow_up`, and a refused file with `error_lines` (the command) or `error_line` (the app's one line).
No message holds a customer's data: bad values are shown through importing.shapes.shown."""

from __future__ import annotations

import os
from pathlib import Path

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _, ngettext
from shopkeep.importing.encoding import describe, is_utf8
from shopkeep.importing.load import ImportResult
from shopkeep.importing.shapes import shown

REPORTED_ERRORS = 20


def check_file(path: Path) -> None:
    """Refuse, before any database is opened, a file that cannot be imported at all."""
    if not path.exists():
        raise ShopkeepError(_("no such file: {path}; nothing was imported").format(path=path))
    if path.is_dir():
        raise ShopkeepError(_("{path} is a folder, not a file; nothing was imported").format(path=path))
    if not os.access(path, os.R_OK):
        raise ShopkeepError(_("cannot read {path}: permission denied; nothing was imported").format(path=path))


def summary(result: ImportResult) -> str:
    """One line a file's import is told in (counts as plain numbers: scripts and logs read them too):
    'orders.csv: 12 rows read; orders 10 new, 0 already known, 0 updated; customers 7 new, …'."""
    head = _("{file} (dry run, nothing written)").format(file=result.file) if result.dry_run else result.file
    read_as = ""
    if result.encoding and not is_utf8(result.encoding):
        read_as = _("; read as {encoding}").format(encoding=describe(result.encoding))
    parts = [
        ngettext("{n} row read", "{n} rows read", result.rows_read).format(n=result.rows_read),
        _("orders {new} new, {known} already known, {updated} updated").format(
            new=result.orders_new, known=result.orders_known, updated=result.orders_updated
        ),
        _("customers {new} new, {matched} matched").format(new=result.customers_new, matched=result.customers_matched),
        ngettext("{n} guest order", "{n} guest orders", result.guest_orders).format(n=result.guest_orders),
        _("{n} skipped").format(n=result.skipped) + _why_skipped(result) + read_as,
    ]
    return f"{head}: " + "; ".join(parts)


def _why_skipped(result: ImportResult) -> str:
    """' (2 not a sale …; 1 the totals row)': the records that are not orders, by reason (blank lines aside)."""
    reasons = [(reason, n) for reason, n in result.skipped_reasons.most_common() if reason != "blank line"]
    return f" ({'; '.join(f'{n} {_(reason)}' for reason, n in reasons)})" if reasons else ""


def follow_up(result: ImportResult) -> list[str]:
    """What else the owner should know about a file that went in: notes, cells left empty, rows left out."""
    lines = [f"{result.file}: {note}" for note in result.notes]
    if result.warning_count:
        first = result.warnings[0]
        sentence = ngettext(
            "{n} phone or email could not be read and was left empty (first: line {line}, column {column!r})",
            "{n} phones or emails could not be read and were left empty (first: line {line}, column {column!r})",
            result.warning_count,
        )
        lines.append(f"{result.file}: " + sentence.format(n=result.warning_count, line=first.line, column=first.column))
    if result.rejected and result.rejects_path is not None:
        line = ngettext(
            "{n} bad row left out, written to {path}", "{n} bad rows left out, written to {path}", result.rejected
        ).format(n=result.rejected, path=result.rejects_path)
        lines.append(f"{result.file}: {line}")
    elif result.rejected:
        line = ngettext("{n} bad row would be left out", "{n} bad rows would be left out", result.rejected)
        lines.append(f"{result.file}: {line.format(n=result.rejected)}")
    return lines


def _refused(result: ImportResult) -> str:
    return ngettext(
        "{file}: {n} bad value; nothing was imported from this file",
        "{file}: {n} bad values; nothing was imported from this file",
        result.error_count,
    ).format(file=result.file, n=result.error_count)


def _bad_value(error) -> str:
    where = _("line {line}, column {column!r}, value {value}").format(
        line=error.line, column=error.column, value=shown(error.value)
    )
    return f"{where}: {_(error.reason)}"


def error_lines(result: ImportResult) -> list[str]:
    """A refused file (bad values, nothing written), as the command prints it: the first REPORTED_ERRORS."""
    lines = [_("error: {message}").format(message=_refused(result))]
    lines += [f"  {_bad_value(error)}" for error in result.errors[:REPORTED_ERRORS]]
    if result.error_count > REPORTED_ERRORS:
        lines.append("  " + _("… and {n} more").format(n=result.error_count - REPORTED_ERRORS))
    lines.append("  " + _("fix the file, or import the good rows with --skip-bad --rejects FILE"))
    return lines


def error_line(result: ImportResult) -> str:
    """A refused file in one line: what `error_lines` starts with, and its first bad value."""
    first = " " + _("(first: {value})").format(value=_bad_value(result.errors[0])) if result.errors else ""
    return _refused(result) + first
