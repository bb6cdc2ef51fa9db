"""Writing exports (CSV or JSON) safely: owner-only files, and no cell a spreadsheet would run.

A text cell starting with = @ tab or CR, or with + or - followed by anything but a plain number
(-12.50) or an E.164 phone (+48601234567), is a formula to Excel/LibreOffice/Sheets: such cells
get a leading apostrophe. Numbers and phones stay as they are. Every CSV export goes through
`write_rows`; JSON is for programs and keeps values as they are. A file is written whole or not at all
(a temporary file beside it, renamed when complete: shopkeep.outputs).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.outputs import Written, atomic_text

FORMATS = ("csv", "json")
_TRIGGERS = ("=", "@", "\t", "\r")
_FIRST = frozenset("=@\t\r+-")  # the first characters that may make a formula (the rest are let through at once)
_SIGNED_NUMBER = re.compile(r"[+-]\d+(\.\d+)?")
_E164 = re.compile(r"\+[1-9]\d{1,14}")


def neutralise(text: str) -> str:
    """The text, with a leading apostrophe if a spreadsheet would treat it as a formula."""
    if not text or text[0] not in _FIRST:
        return text
    if text.startswith(_TRIGGERS):
        return "'" + text
    if text[0] in "+-" and not (_SIGNED_NUMBER.fullmatch(text) or _E164.fullmatch(text)):
        return "'" + text
    return text


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value and value[0] in _FIRST:
        return neutralise(value)
    return value


@contextmanager
def open_output(path: Path | None, record: Written | None = None) -> Iterator[TextIO]:
    """An owner-only (0600) file at `path` that appears only once complete (see shopkeep.outputs), listed
    in the database's written files with `record`; or stdout when None."""
    if path is None:
        yield sys.stdout
        return
    # utf-8-sig: spreadsheet programs read the names in any language correctly.
    with atomic_text(path, encoding="utf-8-sig", record=record) as fh:
        yield fh


def write_rows(
    path: Path | None,
    fmt: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    record: Written | None = None,
) -> int:
    """Write `rows` (values in `columns` order) as CSV or JSON (a list of objects); return the count.
    A file holding customers' data is written with `record` (the store it came from and what it is), so
    that `shopkeep forget` can name it later."""
    if fmt not in FORMATS:
        raise ShopkeepError(_("unknown format {fmt!r} (use csv or json)").format(fmt=fmt))
    count = 0
    with open_output(path, record) as out:
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([csv_cell(v) for v in row])
                count += 1
        else:
            records = [dict(zip(columns, row, strict=True)) for row in rows]
            count = len(records)
            json.dump(records, out, ensure_ascii=False, indent=2)
            out.write("\n")
    return count
