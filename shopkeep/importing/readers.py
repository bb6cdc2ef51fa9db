"""Reading export files: encoding, delimiter, header and records, with editor line numbers.

Reads UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), and the legacy code pages
shops' tools write (Windows-1252, -1250, -1251, ISO-8859-2, KOI8-R, Mac Roman), chosen from the content
(see encoding.py) or named by the owner; sniffs comma, semicolon or tab from the header line; copes with
quoted newlines. Physical lines are read with a length cap, so a file that is one enormous line never
gets into memory.

Refused, each with the line to look at: a file whose lines are in two encodings, a quote that is never
closed or that swallows lines looking like rows, and a first line that holds data instead of column names.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _
from shopkeep.importing import encoding as encodings
from shopkeep.importing.shapes import data_like_header
from shopkeep.paths import database_in_use

SAMPLE_BYTES = 1 << 20  # what the encoding is decided from
MAX_HEADER_CHARS = 64 * 1024
MAX_LINE_CHARS = 1 << 20
DELIMITERS = (",", ";", "\t")
MAX_QUOTED_LINES = 1000  # a quoted cell running over more lines than this is a quote left open
ROW_LIKE_LINES = 3  # lines inside one quoted cell that look like rows of the file before it is refused

csv.field_size_limit(MAX_LINE_CHARS)

_MAGIC = {
    b"PK\x03\x04": N_("a zip or Excel .xlsx file"),
    b"\xd0\xcf\x11\xe0": N_("an Excel .xls file"),
    b"%PDF": N_("a PDF file"),
    b"SQLite format 3\x00": N_("a database file"),
}


class ImportFileError(ShopkeepError):
    """The file cannot be read as an order export."""


@dataclass(frozen=True)
class CsvLayout:
    headers: list[str]
    encoding: str
    delimiter: str


RESAVE = N_("re-save the whole file as UTF-8 (in Excel: Save As, CSV UTF-8) and import it again")


def detect_encoding(path: Path, forced: str | None = None) -> str:
    """The file's text encoding: a byte-order mark, else UTF-8 when the first megabyte is UTF-8, else
    the legacy code page its words read best in (all its lines are looked at). `forced` is the owner's
    `--encoding`. Raises ImportFileError when the file mixes encodings or the code page is not clear."""
    name = None
    if forced is not None:
        name = encodings.codec_name(forced)
        if name is None:
            raise ImportFileError(
                _("--encoding {forced!r} is not a text encoding: use e.g. utf-8, cp1252, cp1251 or cp1250").format(
                    forced=forced
                )
            )
    with _open_binary(path) as fh:
        sample = fh.read(SAMPLE_BYTES)
    bom = _bom_encoding(sample)
    if bom is not None:
        if name is not None and name.split("_")[:2] != encodings.codec_name(bom).split("_")[:2]:
            raise ImportFileError(
                _("{file} starts with a {value} byte-order mark, so it is not {value2}: leave out --encoding").format(
                    file=path.name, value=encodings.describe(bom), value2=encodings.describe(name)
                )
            )
        return bom
    if not sample.strip():
        raise ImportFileError(_("{file} is empty").format(file=path.name))
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            raise ImportFileError(
                _("{file} is {what}, not CSV: export or save it as CSV first").format(file=path.name, what=_(what))
            )
    if name is not None and name.startswith(("utf_16", "utf_32")):
        return name
    if b"\x00" in sample:
        unmarked = _unmarked_utf16(sample)
        if unmarked:
            raise ImportFileError(
                _("{file} looks like UTF-16 text without a byte-order mark: pass --encoding {unmarked}").format(
                    file=path.name, unmarked=unmarked
                )
            )
        raise ImportFileError(_("{file} is not a text file (binary data): export it as CSV").format(file=path.name))
    if name in encodings.UTF8_NAMES:
        return "utf-8"
    if name is None:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
        except UnicodeDecodeError:
            pass
        else:
            if len(sample) < SAMPLE_BYTES or not sample.isascii():
                return "utf-8"  # a later line that is not UTF-8 is refused, by its number, as it is read
    with _open_binary(path) as fh:  # not UTF-8, or plain ASCII so far: every line is looked at
        scan = encodings.scan_lines(fh)
    if name is None and not scan.legacy_lines:
        return "utf-8"  # (a line too long for the scan is refused as the file is read)
    if scan.too_long is not None:
        raise ImportFileError(
            _("{file}: line {too_long} is longer than {value} KiB").format(
                file=path.name, too_long=scan.too_long, value=MAX_LINE_CHARS // 1024
            )
        )
    if scan.utf8_lines and scan.legacy_lines:
        raise ImportFileError(_mixed_message(path, scan, name))
    if name is not None:
        if scan.utf8_lines:
            raise ImportFileError(
                _(
                    "{file} is UTF-8 text (line {first_utf8} and every other line with accents): leave out "
                    "--encoding {forced}"
                ).format(file=path.name, first_utf8=scan.first_utf8, forced=forced)
            )
        return name
    choice = encodings.choose(scan.words)
    if choice.encoding is not None:
        return choice.encoding
    if choice.rivals is not None:
        first, second = choice.rivals
        letters = ", ".join(f"{a} or {b}" for a, b in choice.letters)
        raise ImportFileError(
            _(
                "{file} is not UTF-8, and its letters read differently as {value} and {value2} ({letters}): pass "
                "--encoding {first} or --encoding {second}, whichever shows the names right, or re-save the file "
                "as UTF-8"
            ).format(
                file=path.name,
                value=encodings.describe(first),
                value2=encodings.describe(second),
                letters=letters,
                first=first,
                second=second,
            )
        )
    raise ImportFileError(
        _(
            "{file} is not UTF-8 and reads as none of the code pages shopkeep knows"
            " (Windows-1252, -1250, -1251, ISO-8859-2, KOI8-R, Mac Roman): pass --encoding NAME, or {resave}"
        ).format(file=path.name, resave=_(RESAVE))
    )


def _bom_encoding(sample: bytes) -> str | None:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _unmarked_utf16(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is zero, as in UTF-16 text of Latin letters."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4 and odd.count(0) >= 0.9 * len(odd) and not even.count(0):
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) >= 0.9 * len(even) and not odd.count(0):
        return "utf-16-be"
    return None


def _mixed_message(path: Path, scan: encodings.LineScan, forced: str | None) -> str:
    """A file with UTF-8 lines and lines in another encoding: the first line unlike the majority."""
    if scan.utf8_lines >= scan.legacy_lines:
        return _(
            "{file}: line {line} is not UTF-8 text, though other lines with accents are:"
            " the file mixes two encodings; {resave}"
        ).format(file=path.name, line=scan.first_legacy, resave=_(RESAVE))
    legacy = forced or encodings.choose(scan.words).encoding
    rest = f" ({encodings.describe(legacy)})" if legacy else ""
    return _(
        "{file}: line {line} is UTF-8 text, unlike the rest of the file{rest}: the file mixes two encodings; {resave}"
    ).format(file=path.name, line=scan.first_utf8, rest=rest, resave=_(RESAVE))


def not_the_database(path: Path) -> None:
    """An import never reads a database this process holds (reading it with Python would drop SQLite's locks)."""
    if database_in_use(path) is not None:
        raise ImportFileError(
            _("{file} is the shop's database, not an export: import the platform's CSV").format(file=path.name)
        )


def _open_binary(path: Path):
    not_the_database(path)
    try:
        if path.is_dir():
            raise ImportFileError(_("{file} is a folder, not a file").format(file=path.name))
        return path.open("rb")
    except FileNotFoundError:
        raise ImportFileError(_("no such file: {path}").format(path=path)) from None
    except PermissionError:
        raise ImportFileError(_("cannot read {path}: permission denied").format(path=path)) from None
    except OSError as exc:
        raise ImportFileError(_("cannot read {path}: {value}").format(path=path, value=exc.strerror or exc)) from None


READ_BUFFER = 1 << 20  # bytes read at a time: few reads, so the import's writer thread rarely takes over mid-file


def _open_text(path: Path, encoding: str) -> TextIO:
    _open_binary(path).close()
    return path.open("r", encoding=encoding, newline="", buffering=READ_BUFFER)


def _capped_lines(fh: TextIO, path: Path, raw: list[str]) -> Iterator[str]:
    """Physical lines, refusing any longer than MAX_LINE_CHARS. Each line is also appended to `raw` (the
    lines of the record being read, which the reader clears); at the end, None is appended."""
    readline = fh.readline
    append = raw.append
    number = 1
    while line := readline(MAX_LINE_CHARS):
        if len(line) == MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise ImportFileError(
                _("{file}: line {number} is longer than {value} KiB").format(
                    file=path.name, number=number, value=MAX_LINE_CHARS // 1024
                )
            )
        number += 1
        append(line)
        yield line
    append(None)


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most columns, counting outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_layout(path: Path, encoding: str | None = None) -> CsvLayout:
    """Encoding (detected, or the owner's `encoding`), delimiter and the header row.
    Raises ImportFileError for anything but a CSV with a header row."""
    encoding = detect_encoding(path, encoding)
    with _open_text(path, encoding) as fh:
        try:
            first = fh.readline(MAX_HEADER_CHARS + 1)
            while first and not first.strip():
                first = fh.readline(MAX_HEADER_CHARS + 1)
        except UnicodeDecodeError:
            raise ImportFileError(
                _("{file}: the header line is not readable text ({encoding})").format(file=path.name, encoding=encoding)
            ) from None
        if len(first) > MAX_HEADER_CHARS:
            raise ImportFileError(
                _("{file}: the header line is longer than 64 KiB; is this really a CSV export?").format(file=path.name)
            )
    if not first.strip():
        raise ImportFileError(_("{file} has no header line").format(file=path.name))
    delimiter = _sniff_delimiter(first)
    for _line, headers in _records(path, encoding, delimiter, first.count(delimiter) + 1):
        if headers:
            if any(h.strip() for h in headers):
                headers = [h.strip().lstrip("\ufeff") for h in headers]
                _refuse_data_as_header(path, headers)
                return CsvLayout(headers, encoding, delimiter)
            break
    raise ImportFileError(_("{file} has no header line").format(file=path.name))


def _refuse_data_as_header(path: Path, headers: list[str]) -> None:
    """A first line holding an order (an email, a phone, a date, an amount) is not taken for column names."""
    found = data_like_header(headers)
    if found:
        what = ", ".join(
            _("column {number} {shape}").format(number=number, shape=_(shape)) for number, shape in found[:4]
        )
        raise ImportFileError(
            _(
                "{file} seems to have no header row: its first line holds data ({what}), not column names. Add a "
                "first line naming its {n} columns (e.g. Order ID,Date,Email,Total) and import it again"
            ).format(file=path.name, what=what, n=len(headers))
        )


def _records(path: Path, encoding: str, delimiter: str, width: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells) for every record, blank lines included as [].

    `width` (the number of columns) tells a quoted cell that swallowed rows from a note with line breaks.
    """
    with _open_text(path, encoding) as fh:
        raw: list[str | None] = []  # the physical lines of the record being read
        reader = csv.reader(_capped_lines(fh, path, raw), delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                end = reader.line_num
                if end > start or raw[-1] is None:  # a cell over several lines, or the end of the file
                    _check_quotes(path, start, raw, delimiter, width)
                yield start, cells
                start = end + 1
                raw.clear()
        except csv.Error as exc:
            raise ImportFileError(
                _("{file}: line {start}: {value}").format(file=path.name, start=start, value=_csv_problem(exc))
            ) from None
        except UnicodeDecodeError:
            raise ImportFileError(_undecodable_message(path, encoding, reader.line_num + 1)) from None


def _undecodable_message(path: Path, encoding: str, near: int) -> str:
    """The exact line that does not decode (the text reader decodes ahead of the line it returns)."""
    line = near
    if not encoding.replace("-", "_").startswith(("utf_16", "utf_32")):
        with _open_binary(path) as fh:
            line = encodings.first_undecodable_line(fh, encoding) or near
    if encodings.is_utf8(encoding):
        return (
            f"{path.name}: line {line} is not UTF-8 text, unlike the lines before it: the file mixes two encodings;"
            f" {RESAVE}"
        )
    return f"{path.name}: line {line} is not {encodings.describe(encoding)} text: {RESAVE}"


def _quoted_spans(raw: list[str | None], delimiter: str) -> tuple[list[tuple[int, int]], int | None]:
    """Where quoted cells open and close, as indexes into `raw` (as Python's csv reader reads quotes: only
    at the start of a cell), and the index of the line where a quote opened that is still open at the end."""
    spans = []
    opened: int | None = None
    field_start = True
    for i, line in enumerate(raw):
        if line is None:
            break
        j, n = 0, len(line)
        while j < n:
            ch = line[j]
            if opened is not None:
                if ch == '"':
                    if j + 1 < n and line[j + 1] == '"':
                        j += 1
                    else:
                        spans.append((opened, i))
                        opened = None
                        field_start = False
            elif ch == '"' and field_start:
                opened = i
            else:
                field_start = ch == delimiter or ch in "\r\n"
            j += 1
    return spans, opened


def _check_quotes(path: Path, start: int, raw: list[str | None], delimiter: str, width: int | None) -> None:
    """Refuse a quote that is never closed, or one that runs over many lines looking like rows."""
    spans, unclosed = _quoted_spans(raw, delimiter)
    if unclosed is not None:
        raise ImportFileError(
            _("{file}: line {value}: a quote opened here is never closed").format(
                file=path.name, value=start + unclosed
            )
        )
    enough = max(2, (width or 0) - 1)  # delimiters on a line that looks like a row of this file
    for opened, closed in spans:
        if closed - opened > MAX_QUOTED_LINES:
            raise ImportFileError(
                _(
                    "{file}: line {value}: a quote opened here runs on to line {value2}: a closing quote is "
                    "missing (or a quote inside the text is not doubled)"
                ).format(file=path.name, value=start + opened, value2=start + closed)
            )
        row_like = sum(1 for line in raw[opened + 1 : closed + 1] if line and line.count(delimiter) >= enough)
        if row_like >= ROW_LIKE_LINES and row_like * 2 >= closed - opened:
            raise ImportFileError(
                _(
                    "{file}: line {value}: a quote opened here runs on to line {value2}, taking in {row_like} "
                    "lines that look like rows: a closing quote is missing (or a quote inside the text is not "
                    "doubled)"
                ).format(file=path.name, value=start + opened, value2=start + closed, row_like=row_like)
            )


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger" in text:
        return _("a cell is longer than {kib} KiB (is a quote opened here never closed?)").format(
            kib=MAX_LINE_CHARS // 1024
        )
    return _("not valid CSV ({reason})").format(reason=text)


def read_records(path: Path, layout: CsvLayout) -> Iterator[tuple[int, list[str]]]:
    """The data records after the header: (editor line of the record's first line, cells)."""
    records = _records(path, layout.encoding, layout.delimiter, len(layout.headers))
    for _line, cells in records:
        if cells:
            break
    yield from records
