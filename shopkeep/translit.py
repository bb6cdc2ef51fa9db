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


# -- how a name sounds ---------------------------------------------------------------------------------
# Spellings of one name across English, Polish and Russian (typed in Cyrillic and folded to Latin above)
# differ in a few regular ways: "Sophie" / "Софи" (sofi), "Lucy" / "Люси" (liusi), "Smith" / "Смит",
# "Wiśniewska" / "Вишневская" (vishnevskaia), "Fletcher" / "Флетчер". A sound key undoes those by
# spelling each sound one way (upper-case letters mark sounds Latin has no one letter for: C = ч,
# T = ц, J = дж). Where the languages read a spelling two ways ("ch": ч in English, х in Polish; "j":
# й in Polish, дж in English; "rz": ж in Polish; "c" before e/i: s in English, ц in Polish) the word
# gets a key for each reading, so either spelling meets it. Keys are coarse on purpose ("Lucy" and
# "Luci" share one); the search ranks a word that only sounds alike below the word itself.
_SOUND_FIRST = (("shch", "s"), ("sch", "s"), ("tch", "C"), ("dzh", "J"), ("cz", "C"))
_SOUND_READINGS = (("ch", ("C", "h")), ("j", ("i", "J")), ("rz", ("z", "rz")))
_SOUND_RULES = (
    ("sh", "s"),
    ("sz", "s"),
    ("zh", "z"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("qu", "kv"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("ts", "T"),
    ("ee", "i"),
    ("oo", "u"),
)
_FRONT_C = re.compile(r"c(?=[ei])")  # y is already i
_SOUND_VOWELS = (
    (re.compile(r"ie$"), "i"),  # English -ie: Sophie / Софи
    (re.compile(r"iu"), "u"),  # ю: Люси (liusi) / Lucy
    (re.compile(r"io"), "e"),  # Polish io, Russian ё (folded to e): Piotr / Пётр
    (re.compile(r"ia"), "a"),  # я: Мария / Maria, -ская / -ska
    (re.compile(r"ie"), "e"),  # Polish -ie- / Russian е: Wiśniewska / Вишневская
    (re.compile(r"([aeiou])h$"), r"\1"),  # a silent final h: Sarah / Сара
    (re.compile(r"(.)\1+"), r"\1"),  # double letters: Anna / Ана
)
MAX_SOUND_KEYS = 8


def sound_keys(word: str) -> tuple[str, ...]:
    """How a folded word (see `fold`) sounds: one key, or a few when its spelling reads several ways.

    Words that sound alike in English, Polish or Russian share a key: sound_keys("luci") and
    sound_keys("liusi") (Люси) both hold "lusi". Not a word of letters only: no keys."""
    if not word.isalpha() or not word.isascii():
        return ()
    for old, new in _SOUND_FIRST:
        word = word.replace(old, new)
    readings = [word]
    for spelling, sounds in _SOUND_READINGS:
        if spelling in word:
            readings = [reading.replace(spelling, sound) for reading in readings for sound in sounds]
    keys: list[str] = []
    for reading in readings:
        for old, new in _SOUND_RULES:
            reading = reading.replace(old, new)
        for front in ("s", "T") if _FRONT_C.search(reading) else ("s",):
            key = _FRONT_C.sub(front, reading).replace("c", "k")
            for pattern, replacement in _SOUND_VOWELS:
                key = pattern.sub(replacement, key)
            keys.append(key)
    return tuple(dict.fromkeys(keys))[:MAX_SOUND_KEYS]
