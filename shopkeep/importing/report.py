"""What an import tells the owner, in the same words wherever it runs: `shopkeep import` and the app's
Import command both check the files with `check_file`, say a file's result with `summary` and
`follow_up`, and a refused file with `error_lines` (the command) or `error_line` (the app's one line).
No message holds a customer's data: bad values are shown through importing.shapes.shown."""

from __future__ import annotations

import os
from pathlib import Path

from shopkeep.errors import ShopkeepError
from shopkeep.importing.encoding import describe, is_utf8
from shopkeep.importing.load import ImportResult
from shopkeep.importing.shapes import shown

REPORTED_ERRORS = 20


def check_file(path: Path) -> None:
    """Refuse, before any database is opened, a file that cannot be imported at all."""
    if not path.exists():
        raise ShopkeepError(f"no such file: {path}; nothing was imported")
    if path.is_dir():
        raise ShopkeepError(f"{path} is a folder, not a file; nothing was imported")
    if not os.access(path, os.R_OK):
        raise ShopkeepError(f"cannot read {path}: permission denied; nothing was imported")


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def summary(result: ImportResult) -> str:
    """'orders.csv: 12 rows read; orders 10 new, 0 already known, 0 updated; customers 7 new, …'."""
    head = f"{result.file} (dry run, nothing written)" if result.dry_run else result.file
    read_as = f"; read as {describe(result.encoding)}" if result.encoding and not is_utf8(result.encoding) else ""
    return (
        f"{head}: {result.rows_read} rows read; orders {result.orders_new} new, {result.orders_known} already known,"
        f" {result.orders_updated} updated; customers {result.customers_new} new, {result.customers_matched} matched;"
        f" {result.guest_orders} guest orders; {result.skipped} skipped{_why_skipped(result)}{read_as}"
    )


def _why_skipped(result: ImportResult) -> str:
    """' (2 not a sale …; 1 the totals row)': the records that are not orders, by reason (blank lines aside)."""
    reasons = [(reason, n) for reason, n in result.skipped_reasons.most_common() if reason != "blank line"]
    return f" ({'; '.join(f'{n} {reason}' for reason, n in reasons)})" if reasons else ""


def follow_up(result: ImportResult) -> list[str]:
    """What else the owner should know about a file that went in: notes, cells left empty, rows left out."""
    lines = [f"{result.file}: {note}" for note in result.notes]
    if result.warning_count:
        first = result.warnings[0]
        lines.append(
            f"{result.file}: {plural(result.warning_count, 'phone or email', 'phones or emails')} could not be read"
            f" and {'was' if result.warning_count == 1 else 'were'} left empty"
            f" (first: line {first.line}, column {first.column!r})"
        )
    if result.rejected and result.rejects_path is not None:
        lines.append(f"{result.file}: {plural(result.rejected, 'bad row')} left out, written to {result.rejects_path}")
    elif result.rejected:
        lines.append(f"{result.file}: {plural(result.rejected, 'bad row')} would be left out")
    return lines


def _refused(result: ImportResult) -> str:
    return f"{result.file}: {plural(result.error_count, 'bad value')}; nothing was imported from this file"


def _bad_value(error) -> str:
    return f"line {error.line}, column {error.column!r}, value {shown(error.value)}: {error.reason}"


def error_lines(result: ImportResult) -> list[str]:
    """A refused file (bad values, nothing written), as the command prints it: the first REPORTED_ERRORS."""
    lines = [f"error: {_refused(result)}"]
    lines += [f"  {_bad_value(error)}" for error in result.errors[:REPORTED_ERRORS]]
    if result.error_count > REPORTED_ERRORS:
        lines.append(f"  … and {result.error_count - REPORTED_ERRORS} more")
    lines.append("  fix the file, or import the good rows with --skip-bad --rejects FILE")
    return lines


def error_line(result: ImportResult) -> str:
    """A refused file in one line: what `error_lines` starts with, and its first bad value."""
    first = f" (first: {_bad_value(result.errors[0])})" if result.errors else ""
    return _refused(result) + first
