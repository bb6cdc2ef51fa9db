"""Which text encoding a file that is not UTF-8 is in, decided from its content, or not at all.

Shop exports that are not UTF-8 come from Excel or old desktop tools in one of a few code pages:
Windows-1252 (Western Europe and the Americas), Windows-1251 (Cyrillic), Windows-1250 (Central
Europe), ISO-8859-2, KOI8-R and Mac Roman. The bytes of such a file decode in several of them, so
the choice is made from its words that contain non-ASCII bytes, the same words decoded each way:

1. charset-normalizer measures each decoding's mess and its language coherence;
2. a decoding whose words are implausible (a symbol between two letters as in "Za¿ó³æ", Latin and
   Cyrillic letters in one word as in "Gуmez", a capital right after a small letter as in "GÛmez")
   loses to one whose words are not;
3. so does a decoding that needs letters of more languages: "Muñoz Ibáñez Logroño" is Spanish,
   "Muńoz Ibáńez Logrońo" would be Polish and Czech at once.

charset-normalizer alone cannot tell Windows-1252 from Windows-1250 on names: on a Spanish shop's
export of 20 orders it ranks "Muńoz" and "Muñoz" equal (and lists the Windows-1250 reading first).
Two readings that remain equally likely and differ in letters are not guessed between: the owner is
asked for `--encoding`. Readings that differ only in symbols are not worth asking about.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from shopkeep.i18n import N_, _

# Legacy code pages shops' tools write, the likeliest first (an equal reading takes the first name).
CANDIDATES = ("cp1252", "cp1250", "cp1251", "iso8859_2", "koi8_r", "mac_roman")

_LABELS = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8",
    "utf_16": "UTF-16",
    "utf_16_le": N_("UTF-16 (little-endian)"),
    "utf_16_be": N_("UTF-16 (big-endian)"),
    "cp1252": N_("Windows-1252 (Western European)"),
    "cp1250": N_("Windows-1250 (Central European)"),
    "cp1251": N_("Windows-1251 (Cyrillic)"),
    "iso8859_2": N_("ISO-8859-2 (Central European)"),
    "iso8859_1": N_("ISO-8859-1 (Western European)"),
    "koi8_r": N_("KOI8-R (Cyrillic)"),
    "mac_roman": "Mac Roman",
}
UTF8_NAMES = frozenset({"utf_8", "utf_8_sig"})

MAX_WORDS = 5_000  # distinct non-ASCII words the decision is made from (about 0.3 s to judge)
MAX_WORD_BYTES = 128 * 1024
MAX_LINE_BYTES = (1 << 20) * 4 + 4  # a line longer than the readers accept (1 Mi characters) is refused there
UNREADABLE_SHARE = 0.2  # when more of the best reading's words than this are implausible, no reading is right
_FIT_MARGIN = 0.1
_CHAOS_MARGIN = 0.05
_COHERENCE_MARGIN = 0.1


def codec_name(name: str) -> str | None:
    """The Python codec name for an owner's `--encoding` ('Windows-1252' -> 'cp1252'), None when unknown
    or not a text encoding."""
    try:
        info = codecs.lookup(name.strip())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name.replace("-", "_")


def describe(encoding: str) -> str:
    """'cp1252' -> 'Windows-1252 (Western European)', for messages and the import summary."""
    name = codec_name(encoding) or encoding
    return _(_LABELS[name]) if name in _LABELS else name.replace("_", "-")


def is_utf8(encoding: str) -> bool:
    return (codec_name(encoding) or encoding) in UTF8_NAMES


# -- what the file holds --------------------------------------------------------------------------


@dataclass
class LineScan:
    """What each physical line of a file is, by bytes: ASCII, UTF-8 with other letters, or neither."""

    utf8_lines: int = 0  # lines with non-ASCII text that is valid UTF-8
    legacy_lines: int = 0  # lines that are not valid UTF-8
    first_utf8: int | None = None
    first_legacy: int | None = None
    too_long: int | None = None  # the first line longer than MAX_LINE_BYTES
    words: dict[bytes, None] = field(default_factory=dict)  # distinct non-ASCII words of the legacy lines
    word_bytes: int = 0

    def add(self, number: int, line: bytes) -> None:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            self.legacy_lines += 1
            if self.first_legacy is None:
                self.first_legacy = number
            if len(self.words) < MAX_WORDS and self.word_bytes < MAX_WORD_BYTES:
                self._collect(line)
            return
        self.utf8_lines += 1
        if self.first_utf8 is None:
            self.first_utf8 = number

    def _collect(self, line: bytes) -> None:
        for word in line.translate(_SPLIT).split():
            if not word.isascii() and word not in self.words:
                self.words[word] = None
                self.word_bytes += len(word)


# Cells are split into words at ASCII space, the delimiters and quotes.
_SPLIT = bytes.maketrans(b',;\t|"', b"     ")


def scan_lines(fh: BinaryIO, chunk_size: int = 1 << 20) -> LineScan:
    """Every physical line (ended by CR, LF or CRLF, as an editor numbers them) of the open file."""
    scan = LineScan()
    number = 0
    carry = b""
    while chunk := fh.read(chunk_size):
        data = carry + chunk
        end = len(data) - 1 if data.endswith(b"\r") else len(data)  # a CR may be the first half of CRLF
        cut = max(data.rfind(b"\n", 0, end), data.rfind(b"\r", 0, end)) + 1
        body, carry = data[:cut], data[cut:]
        if len(carry) > MAX_LINE_BYTES:
            scan.too_long = number + _breaks(body) + 1
            return scan
        if body.isascii():
            number += _breaks(body)
            continue
        for line in body.splitlines(keepends=True):
            number += 1
            if not line.isascii():
                scan.add(number, line)
    if carry:
        number += 1
        if not carry.isascii():
            scan.add(number, carry)
    return scan


def _breaks(data: bytes) -> int:
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def first_undecodable_line(fh: BinaryIO, encoding: str, chunk_size: int = 1 << 20) -> int | None:
    """The editor number of the first line that does not decode in `encoding` (a single-byte code page
    or UTF-8), or None."""
    number = 0
    carry = b""
    while chunk := fh.read(chunk_size):
        lines = (carry + chunk).splitlines(keepends=True)
        carry = lines.pop() if not lines[-1].endswith(b"\n") else b""
        for line in lines:
            number += 1
            if not _decodes(line, encoding):
                return number
    if carry and not _decodes(carry, encoding):
        return number + 1
    return None


def _decodes(line: bytes, encoding: str) -> bool:
    if line.isascii():
        return True
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# -- choosing a code page -------------------------------------------------------------------------


@dataclass
class Reading:
    """The file's non-ASCII words decoded in one code page (or in several that read them the same)."""

    encodings: list[str]
    words: list[str]
    implausible: int = 0
    fit: float = 1.0  # share of the words with letters beyond ASCII that one home language spells
    languages: int = 0
    chaos: float = 1.0
    coherence: float = 0.0

    @property
    def encoding(self) -> str:
        return self.encodings[0]


@dataclass
class Choice:
    """The code page chosen, or (encoding None) the two readings that could not be told apart."""

    encoding: str | None
    rivals: tuple[str, str] | None = None
    letters: list[tuple[str, str]] = field(default_factory=list)  # a few letters read differently by the rivals
    unreadable: bool = False  # no candidate reads the words as text


def choose(words: Iterable[bytes], candidates: Iterable[str] = CANDIDATES) -> Choice:
    """The code page the words are written in; see the module's docstring."""
    words = list(words)
    readings: dict[tuple[str, ...], Reading] = {}
    for encoding in candidates:
        try:
            decoded = tuple(word.decode(encoding) for word in words)
        except UnicodeDecodeError:
            continue
        reading = readings.get(decoded)
        if reading is None:
            readings[decoded] = Reading([encoding], list(decoded))
        else:
            reading.encodings.append(encoding)
    if not readings:
        return Choice(None, unreadable=True)
    ranked = list(readings.values())
    for reading in ranked:
        _judge(reading)
    _measure(ranked)
    order = {name: n for n, name in enumerate(CANDIDATES)}
    ranked.sort(
        key=lambda r: (
            -round(r.fit / _FIT_MARGIN),
            r.languages,
            round(r.chaos / _CHAOS_MARGIN),
            -round(r.coherence / _COHERENCE_MARGIN),
            order.get(r.encoding, len(order)),
        )
    )
    best = ranked[0]
    if words and best.implausible > UNREADABLE_SHARE * len(words):
        return Choice(None, unreadable=True)
    for other in ranked[1:]:
        letters = _letters_read_differently(best, other)
        if letters and not _clearly_better(best, other):
            return Choice(None, (best.encoding, other.encoding), letters[:3])
    return Choice(best.encoding)


def _judge(reading: Reading) -> None:
    """How plausible the reading's words are, and how well one language of its code page spells them."""
    homes = {language for encoding in reading.encodings for language in HOME_LANGUAGES.get(encoding, ())}
    spelt = dict.fromkeys(homes, 0)
    counted = 0
    letters: set[str] = set()
    for word in reading.words:
        own = {ch.lower() for ch in word if _non_ascii_letter(ch)}
        letters |= own
        if _implausible(word):
            reading.implausible += 1
            counted += 1
        elif own:
            counted += 1
            for language in homes:
                if own <= _ALPHABET_SETS[language]:
                    spelt[language] += 1
    reading.fit = max(spelt.values(), default=0) / counted if counted else 1.0
    reading.languages = languages_needed(letters)


def _measure(readings: list[Reading]) -> None:
    """charset-normalizer's mess ratio and language coherence of each reading (its own measures, applied to
    every reading: its `from_bytes` skips code pages it deems similar to one that failed)."""
    from charset_normalizer.cd import coherence_ratio  # imported here: only files that are not UTF-8 need it
    from charset_normalizer.md import mess_ratio

    for reading in readings:
        text = " ".join(reading.words)
        reading.chaos = mess_ratio(text, maximum_threshold=1.0)
        reading.coherence = max((ratio for _language, ratio in coherence_ratio(text)), default=0.0)


def _clearly_better(best: Reading, other: Reading) -> bool:
    if best.fit - other.fit >= _FIT_MARGIN or other.languages > best.languages:
        return True
    return other.chaos - best.chaos >= _CHAOS_MARGIN or best.coherence - other.coherence >= _COHERENCE_MARGIN


def _letters_read_differently(a: Reading, b: Reading) -> list[tuple[str, str]]:
    """Pairs of characters the two readings decode the same bytes to, where one of them is a letter."""
    pairs: dict[tuple[str, str], None] = {}
    for x, y in zip(a.words, b.words, strict=True):
        if x == y or len(x) != len(y):  # single-byte code pages: one byte, one character
            continue
        for cx, cy in zip(x, y, strict=True):
            if cx != cy and (cx.isalpha() or cy.isalpha()):
                pairs[(cx, cy)] = None
    return list(pairs)


# -- what a plausible word looks like -------------------------------------------------------------

# Characters that may stand between two letters of a word: apostrophes, the Catalan middle dot, dashes.
_IN_WORD = frozenset("’‘´ʼ·–‐-«»„“”‚‹›№")


def _non_ascii_letter(ch: str) -> bool:
    return not ch.isascii() and ch.isalpha()


def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def _implausible(word: str) -> bool:
    """A symbol or control character between two letters, Latin and Cyrillic letters in one run of
    letters, or, where a letter beyond ASCII is involved, a capital right after a small letter or
    between a letter and a small letter ("GÛmez")."""
    previous = ""
    script = ""
    last = len(word) - 1
    for i, ch in enumerate(word):
        if not ch.isprintable():
            return True
        if ch.isalpha():
            ch_script = _script(ch)
            if script and ch_script != script and {script, ch_script} & {"CYRILLIC", "GREEK"}:
                return True
            script = ch_script
            capital_inside = previous.isalpha() and ch.isupper() and not (previous + ch).isascii()
            if capital_inside and (previous.islower() or (i < last and word[i + 1].islower() and not ch.isascii())):
                return True
        else:
            script = ""
            if (
                not ch.isascii()
                and ch not in _IN_WORD
                and previous.isalpha()
                and i + 1 < len(word)
                and word[i + 1].isalpha()
            ):
                return True
        previous = ch
    return False


# Lower-case letters beyond ASCII of the languages written in these code pages.
ALPHABETS = {
    "Spanish": "áéíóúñü",
    "Catalan": "àèéíïòóúüç",
    "Portuguese": "áâãàçéêíóôõúü",
    "French": "àâæçéèêëîïôœùûüÿ",
    "Italian": "àèéìíîòóùú",
    "German": "äöüß",
    "Dutch": "áéíóúàèëïöü",
    "Danish/Norwegian": "åæøéöä",
    "Swedish/Finnish": "åäöéšž",
    "Icelandic": "áðéíóúýþæö",
    "Estonian": "äõöüšž",
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Slovene/Croatian/Bosnian": "čćđšž",
    "Romanian": "ăâîșțşţ",
    "Albanian": "çë",
    "Russian": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "Ukrainian": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "Belarusian": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "Bulgarian": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "Serbian/Macedonian": "абвгдђѓежзѕијклљмнњопрстћќуфхцчџш",
}
_ALPHABET_SETS = {language: frozenset(letters) for language, letters in ALPHABETS.items()}

# The languages each code page is the Windows (or Mac, or Unix) default for: a file written in a code page
# is mostly in one of its home languages. German is written in Windows-1250 too, but a German shop's
# Windows writes Windows-1252, so a German file is no evidence for Windows-1250.
_WESTERN = (
    "Spanish",
    "Catalan",
    "Portuguese",
    "French",
    "Italian",
    "German",
    "Dutch",
    "Danish/Norwegian",
    "Swedish/Finnish",
    "Icelandic",
    "Estonian",
    "Albanian",
)
_CENTRAL = ("Polish", "Czech", "Slovak", "Hungarian", "Slovene/Croatian/Bosnian", "Romanian", "Albanian")
_CYRILLIC = ("Russian", "Ukrainian", "Belarusian", "Bulgarian", "Serbian/Macedonian")
HOME_LANGUAGES = {
    "cp1252": _WESTERN,
    "mac_roman": _WESTERN,
    "iso8859_1": _WESTERN,
    "cp1250": _CENTRAL,
    "iso8859_2": _CENTRAL,
    "cp1251": _CYRILLIC,
    "koi8_r": _CYRILLIC,
}


def languages_needed(letters: Iterable[str]) -> int:
    """How many languages' alphabets it takes to hold these letters (greedy; a letter of none counts one)."""
    remaining = set(letters)
    count = 0
    alphabets = list(_ALPHABET_SETS.values())
    while remaining:
        best = max(alphabets, key=lambda alphabet: len(alphabet & remaining))
        if not best & remaining:
            return count + len(remaining)
        remaining -= best
        count += 1
    return count
