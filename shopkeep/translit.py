"""Folding text so that spellings meet: lower-case Latin, no diacritics, Cyrillic transliterated.

"Пётр Смирнов", "Petr Smirnov" and "PETR SMIRNOV" all fold to "petr smirnov"; "Wiśniewska" folds to
"wisniewska". The same fold is applied to what is indexed and to what is typed, so a few deliberate
simplifications (kh -> h, y -> i, ii -> i) make common romanisation variants meet too ("Sergey" /
"Sergei", "Yuliya" / "Iuliia" / "Юлия", "Dmitry" / "Дмитрий", "Khabib" / "Habib").
"""

from __future__ import annotations

import re
import unicodedata

# A simple Cyrillic -> Latin table (Russian, Ukrainian, Belarusian letters). Lower case only: we lower first.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
# Latin letters that carry no combining mark under NFKD, so stripping marks would not simplify them.
_LATIN_SPECIAL = {"ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_TABLE = str.maketrans(_CYRILLIC | _LATIN_SPECIAL)
# Applied after transliteration, on both sides: romanisation variants that should meet.
_VARIANTS = (("kh", "h"), ("y", "i"), ("ii", "i"))
_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case Latin without diacritics; Cyrillic transliterated. Non-letters are kept as they are."""
    lowered = text.lower().translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for old, new in _VARIANTS:
        stripped = stripped.replace(old, new)
    return stripped


def tokens(text: str) -> list[str]:
    """The folded words and numbers of `text`, in order (punctuation and markup brackets split words)."""
    return _TOKEN.findall(fold(text))
