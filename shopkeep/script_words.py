"""The words a call script needs in each of its languages: how to greet and address the person, numbers
with their nouns ("1 балл", "2 балла", "5 баллов"), how long ago, what is owed and by when.

Pure functions of plain values; `shopkeep.scripts` turns a customer's facts into placeholder values with
them. Nothing here guesses where it cannot tell: a Polish customer whose gender the first name does not
show is greeted by first name, and "Pan/Pani" is left for the caller to choose.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# -- the person's name -------------------------------------------------------------------------------

# Surname endings that no first name has (Polish -ski/-ska, Russian -ов/-ова, ...): a name written
# surname first ("Иванова Мария", "Kowalska Anna") is read the right way round.
_SURNAME_END = re.compile(
    r"(?:[sc]k[ia]|dzk[ia]|wicz|[oe]va?|sk(?:y|ii|iy|aya|aia)|[оеё]ва?|[сц]к(?:ий|ая))$", re.IGNORECASE
)
# Russian patronymics (Петрович, Петровна, Ильич, Ivanovich): not a first name nor a surname.
_PATRONYMIC_END = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична|ovich|evich|ovna|evna|ichna)$", re.IGNORECASE)


@dataclass(frozen=True)
class PersonName:
    first: str | None  # the given name to greet by
    last: str | None  # the surname, when it can be told apart


def person_name(full: str | None, first: str | None = None, last: str | None = None) -> PersonName:
    """The given name and surname: from the export's own columns when it had them, else from the full
    name's words as written, read surname first after a comma ("Kowalski, Jan") or when its first word
    is plainly a surname and its last is not ("Иванова Мария"); a Russian patronymic is neither."""
    first = (first or "").strip() or None
    last = (last or "").strip() or None
    before, comma, after = (full or "").partition(",")  # "Kowalski, Jan": the surname first
    words = [*after.split(), *before.split()] if comma else before.split()
    if len(words) > 2:
        words = [w for w in words if not _patronymic(w)] or words
    if first is None and words:
        if len(words) >= 2 and _surname_like(words[0]) and not _surname_like(words[-1]):
            words = [*words[1:], words[0]]
        first = words[0]
        if last is None and len(words) >= 2:
            last = words[-1]
    elif last is None and len(words) >= 2 and words[0].casefold() == first.casefold():
        last = words[-1]
    return PersonName(first, last)


def _surname_like(word: str) -> bool:
    return len(word) > 4 and bool(_SURNAME_END.search(word))


def _patronymic(word: str) -> bool:
    return len(word) > 5 and bool(_PATRONYMIC_END.search(word))


# -- Polish: Pan or Pani ----------------------------------------------------------------------------

# Polish female first names end in -a; these men's names do too.
_MEN_IN_A = frozenset(
    {"kuba", "barnaba", "bonawentura", "kosma", "jarema", "dyzma", "zawisza", "nikita", "ilja", "luca"}
)
# Names given to women and men alike: they tell nothing.
_EITHER = frozenset({"alex", "sasza", "sasha", "kim", "sam", "robin", "chris", "charlie", "jo", "andrea", "nikola"})
# Men's names in -i, -y, -o (the rest of the names not in -a or a consonant tell nothing: Sophie, Grace).
_MEN_IN_VOWEL = frozenset({"jerzy", "antoni", "ignacy", "bruno", "hugo", "leo", "remi", "konstanty"})
# Women's names that end in a consonant (Polish and the commonest others a Polish shop meets).
_WOMEN_IN_CONSONANT = frozenset(
    {
        "abigail",
        "beatrycze",
        "carmen",
        "dagmar",
        "ellen",
        "elizabeth",
        "ester",
        "esther",
        "hannah",
        "ingrid",
        "inez",
        "isabel",
        "judith",
        "karen",
        "karmen",
        "margaret",
        "megan",
        "miriam",
        "nel",
        "rachel",
        "rut",
        "ruth",
        "sarah",
    }
)
_VOWELS = frozenset("aeiouyąęó")


def polish_gender(person: PersonName) -> str | None:
    """'f', 'm', or None when the name does not show it. The first name decides (women's names end in -a,
    but Kuba and Barnaba are men; men's end in a consonant, but Miriam and Ingrid are women); a Polish
    surname in -ska or -ski settles a first name that tells nothing and contradicts one that does."""
    by_first = _gender_of_first(person.first) if person.first else None
    by_last = _gender_of_surname(person.last) if person.last else None
    if by_first and by_last and by_first != by_last:
        return None
    return by_first or by_last


def _latin(word: str) -> bool:
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in word)


def _gender_of_first(first: str) -> str | None:
    """By the Polish rule, for a name in Latin letters; a name in another script is not guessed at."""
    name = first.casefold()
    if len(name) < 2 or not name.isalpha() or not _latin(name) or name in _EITHER:
        return None
    if name in _MEN_IN_A or name in _MEN_IN_VOWEL:
        return "m"
    if name in _WOMEN_IN_CONSONANT:
        return "f"
    if name.endswith("a"):
        return "f"
    if name[-1] not in _VOWELS:
        return "m"
    return None


def _gender_of_surname(last: str) -> str | None:
    name = last.casefold()
    if not _latin(name):
        return None
    if re.search(r"(?:sk|ck|dzk)a$", name):
        return "f"
    if re.search(r"(?:sk|ck|dzk)i$", name):
        return "m"
    return None


def polish_address(person: PersonName, gender: str | None) -> str | None:
    """How to address the person on the phone: 'Pani Wiśniewska', 'Panie Kowalski' (Pan in the vocative),
    or the first name when the surname or the gender is not known."""
    if gender and person.last:
        return f"{'Pani' if gender == 'f' else 'Panie'} {person.last}"
    return person.first


def polish_pronouns(gender: str | None) -> tuple[str, str]:
    """(Pan, Panu): the polite 'you' and 'to you'; both written out for the caller to choose when unknown."""
    return {"f": ("Pani", "Pani"), "m": ("Pan", "Panu")}.get(gender or "", ("Pan/Pani", "Panu/Pani"))


# -- greeting ---------------------------------------------------------------------------------------------


def greeting(language: str, name: str | None, shop: str | None, caller: str | None) -> str:
    """The first words of every call: hello to the person, who is calling and from which shop. Reads
    naturally whichever of the three is missing."""
    if language == "ru":
        hello = f"Здравствуйте, {name}!" if name else "Здравствуйте!"
        quoted = shop.strip('«»"') if shop else None
        shop_ = f"«{quoted}»" if quoted else None
        if caller and shop_:
            intro = f"Меня зовут {caller}, я из магазина {shop_}."
        elif shop_:
            intro = f"Это магазин {shop_}."
        else:
            intro = f"Меня зовут {caller}." if caller else ""
        return f"{hello} {intro}".strip()
    if language == "pl":
        hello = f"Dzień dobry, {name}!" if name else "Dzień dobry!"
        if caller and shop:
            intro = f"Mówi {caller} ze sklepu {shop}."
        elif shop:
            intro = f"Z tej strony sklep {shop}."
        else:
            intro = f"Mówi {caller}." if caller else ""
        return f"{hello} {intro}".strip()
    hello = f"Hello {name}" if name else "Hello"
    if caller and shop:
        return f"{hello}, this is {caller} from {shop}."
    if shop or caller:
        return f"{hello}, this is {shop or caller}."
    return f"{hello}."


# -- numbers with their nouns -------------------------------------------------------------------------

# (one, few, many): English uses one and many; Russian and Polish pick by the last digits.
NOUNS: dict[str, dict[str, tuple[str, str, str]]] = {
    "en": {
        "day": ("day", "days", "days"),
        "week": ("week", "weeks", "weeks"),
        "month": ("month", "months", "months"),
        "year": ("year", "years", "years"),
        "point": ("point", "points", "points"),
        "bonus point": ("bonus point", "bonus points", "bonus points"),
    },
    "ru": {  # as said after "назад" and after a verb: the accusative
        "day": ("день", "дня", "дней"),
        "week": ("неделю", "недели", "недель"),
        "month": ("месяц", "месяца", "месяцев"),
        "year": ("год", "года", "лет"),
        "point": ("балл", "балла", "баллов"),
        "bonus point": ("бонусный балл", "бонусных балла", "бонусных баллов"),
    },
    "pl": {
        "day": ("dzień", "dni", "dni"),
        "week": ("tydzień", "tygodnie", "tygodni"),
        "month": ("miesiąc", "miesiące", "miesięcy"),
        "year": ("rok", "lata", "lat"),
        "point": ("punkt", "punkty", "punktów"),
        "bonus point": ("punkt bonusowy", "punkty bonusowe", "punktów bonusowych"),
    },
}


def counted(n: int, noun: str, language: str) -> str:
    """'1 балл', '2 балла', '5 баллов', '22 punkty', '1 point'."""
    one, few, many = NOUNS[language][noun]
    if language == "en":
        return f"{n} {one if n == 1 else many}"
    last, last_two = n % 10, n % 100
    if language == "ru" and last == 1 and last_two != 11:
        return f"{n} {one}"
    if language == "pl" and n == 1:
        return f"{n} {one}"
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return f"{n} {few}"
    return f"{n} {many}"


_AGO = {"en": "{} ago", "ru": "{} назад", "pl": "{} temu"}
_TODAY = {"en": ("today", "yesterday"), "ru": ("сегодня", "вчера"), "pl": ("dzisiaj", "wczoraj")}
_ONE = {  # a single unit, said without the number
    "en": {"week": "a week", "month": "a month", "year": "a year"},
    "ru": {"week": "неделю", "month": "месяц", "year": "год"},
    "pl": {"week": "tydzień", "month": "miesiąc", "year": "rok"},
}


def time_ago(days: int, language: str) -> str:
    """How long ago, as one would say it: 'yesterday', '5 days ago', '3 weeks ago', '2 месяца назад'."""
    if days <= 1:
        return _TODAY[language][max(days, 0)]
    if days < 14:
        n, unit = days, "day"
    elif days < 60:
        n, unit = round(days / 7), "week"
    elif days < 730:
        n, unit = round(days / 30.44), "month"
    else:
        n, unit = days // 365, "year"
    said = _ONE[language][unit] if n == 1 else counted(n, unit, language)
    return _AGO[language].format(said)


# -- what is owed, and by when -------------------------------------------------------------------------

_MONTHS = {
    "en": (
        *("January", "February", "March", "April", "May", "June"),
        *("July", "August", "September", "October", "November", "December"),
    ),
    "ru": (
        *("января", "февраля", "марта", "апреля", "мая", "июня"),
        *("июля", "августа", "сентября", "октября", "ноября", "декабря"),
    ),
    "pl": (
        *("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca"),
        *("lipca", "sierpnia", "września", "października", "listopada", "grudnia"),
    ),
}


def day_said(day: dt.date, language: str) -> str:
    """'12 November', '12 ноября', '12 listopada'."""
    return f"{day.day} {_MONTHS[language][day.month - 1]}"


# What a promise is, as the object of "we promised you ...": with its amount, and without one.
_OWED = {
    "en": {"refund": ("a refund of {}", "a refund"), "credit": ("a credit of {}", "a credit")},
    "ru": {"refund": ("возврат {}", "возврат денег"), "credit": ("компенсацию {}", "компенсацию")},
    "pl": {"refund": ("zwrot {}", "zwrot pieniędzy"), "credit": ("rekompensatę {}", "rekompensatę")},
}
_OWED_OTHER = {"en": "compensation", "ru": "компенсацию", "pl": "rekompensatę"}


def owed(kind: str, amount: str | None, points: int | None, description: str | None, language: str) -> str:
    """'a refund of £12.50', 'возврат 25 zł', '200 punktów bonusowych', or the owner's own words for it."""
    if kind == "bonus" and points:
        return counted(points, "bonus point", language)
    if kind in _OWED[language]:
        with_amount, without = _OWED[language][kind]
        return with_amount.format(amount) if amount else without
    return description or _OWED_OTHER[language]
