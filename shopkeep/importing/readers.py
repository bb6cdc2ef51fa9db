"""Reading export files: encoding, delimiter, header and records, with editor line numbers.

Reads UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), cp1251 and cp1250; sniffs
comma, semicolon or tab from the header line; copes with quoted newlines. Physical lines are read
with a length cap, so a file that is one enormous line never gets into memory.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from shopkeep.errors import ShopkeepError

SAMPLE_BYTES = 1 << 20  # what the encoding is decided from
MAX_HEADER_CHARS = 64 * 1024
MAX_LINE_CHARS = 1 << 20
DELIMITERS = (",", ";", "\t")

csv.field_size_limit(MAX_LINE_CHARS)

_MAGIC = {
    b"PK\x03\x04": "a zip or Excel .xlsx file",
    b"\xd0\xcf\x11\xe0": "an Excel .xls file",
    b"%PDF": "a PDF file",
    b"SQLite format 3\x00": "a database file",
}


class ImportFileError(ShopkeepError):
    """The file cannot be read as an order export."""


@dataclass(frozen=True)
class CsvLayout:
    headers: list[str]
    encoding: str
    delimiter: str


def detect_encoding(path: Path) -> str:
    """The file's text encoding, decided from its first megabyte."""
    with _open_binary(path) as fh:
        sample = fh.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not sample.strip():
        raise ImportFileError(f"{path.name} is empty")
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            raise ImportFileError(f"{path.name} is {what}, not CSV: export or save it as CSV first")
    if b"\x00" in sample:
        raise ImportFileError(f"{path.name} is not a text file (binary data): export it as CSV")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError:
        return _windows_code_page(sample)
    return "utf-8"


# Bytes that are common Polish letters in cp1250 (ą ł ś ż ź Ą Ł Ś Ż Ź) but rare letters in cp1251.
_CP1250_MARKERS = b"\xb9\xb3\x9c\xbf\x9f\xa5\xa3\x8c\xaf\x8f"
_BELOW_C0 = bytes(range(0xC0))


def _windows_code_page(sample: bytes) -> str:
    """cp1251 (Cyrillic, the usual case) or cp1250 (Central European, e.g. Polish Excel).

    In cp1251 text almost every byte above 0xBF is a Cyrillic letter; Polish text in cp1250 has
    few of those and many of the marker bytes.
    """
    markers = sum(sample.count(marker) for marker in _CP1250_MARKERS)
    cyrillic = len(sample.translate(None, _BELOW_C0))
    return "cp1250" if markers * 3 > cyrillic else "cp1251"


def _open_binary(path: Path):
    try:
        if path.is_dir():
            raise ImportFileError(f"{path.name} is a folder, not a file")
        return path.open("rb")
    except FileNotFoundError:
        raise ImportFileError(f"no such file: {path}") from None
    except PermissionError:
        raise ImportFileError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def _open_text(path: Path, encoding: str) -> TextIO:
    _open_binary(path).close()
    return path.open("r", encoding=encoding, newline="")


def _capped_lines(fh: TextIO, path: Path) -> Iterator[str]:
    """Physical lines, refusing any longer than MAX_LINE_CHARS."""
    readline = fh.readline
    number = 1
    while line := readline(MAX_LINE_CHARS):
        if len(line) == MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise ImportFileError(f"{path.name}: line {number} is longer than {MAX_LINE_CHARS // 1024} KiB")
        number += 1
        yield line


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


def read_layout(path: Path) -> CsvLayout:
    """Encoding, delimiter and the header row. Raises ImportFileError for anything but a CSV."""
    encoding = detect_encoding(path)
    with _open_text(path, encoding) as fh:
        try:
            first = fh.readline(MAX_HEADER_CHARS + 1)
            while first and not first.strip():
                first = fh.readline(MAX_HEADER_CHARS + 1)
        except UnicodeDecodeError:
            raise ImportFileError(f"{path.name}: the header line is not readable text ({encoding})") from None
        if len(first) > MAX_HEADER_CHARS:
            raise ImportFileError(f"{path.name}: the header line is longer than 64 KiB; is this really a CSV export?")
    if not first.strip():
        raise ImportFileError(f"{path.name} has no header line")
    delimiter = _sniff_delimiter(first)
    for _, headers in _records(path, encoding, delimiter):
        if headers:
            if any(h.strip() for h in headers):
                return CsvLayout([h.strip().lstrip("\ufeff") for h in headers], encoding, delimiter)
            break
    raise ImportFileError(f"{path.name} has no header line")


def _records(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells) for every record, blank lines included as []."""
    with _open_text(path, encoding) as fh:
        reader = csv.reader(_capped_lines(fh, path), delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise ImportFileError(f"{path.name}: line {start}: {_csv_problem(exc)}") from None
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{path.name}: line {reader.line_num + 1} is not {encoding} text; save the file as UTF-8"
            ) from None


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger" in text:
        return f"a cell is longer than {MAX_LINE_CHARS // 1024} KiB"
    return "not valid CSV (" + text + ")"


def read_records(path: Path, layout: CsvLayout) -> Iterator[tuple[int, list[str]]]:
    """The data records after the header: (editor line of the record's first line, cells)."""
    records = _records(path, layout.encoding, layout.delimiter)
    for _, cells in records:
        if cells:
            break
    yield from records
