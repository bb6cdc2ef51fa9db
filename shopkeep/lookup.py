"""Instant customer lookup: as-you-type fuzzy search over name, email, phone and the customer's reference.

The index is built once in memory; each keystroke then costs a few bisections over sorted keys, one
rapidfuzz pass over the indexed words that share the typed word's first letter, and set and dictionary
operations done in C; Python loops only over a bounded pool of candidates. Names and emails are folded
to Latin (see `shopkeep.translit`) so "petr smirnov" finds "Пётр Смирнов" and "wisniewska" finds
"Wiśniewska"; a name written another way in another script is found by how it sounds ("люси" finds
"Lucy", "sofi smyth" finds "Sophie Smith", "Вишневская" finds "Wiśniewska"). Phones match by digits in
any format: the whole number, the number without its country code or with its trunk prefix ("8 916 ...",
"07700 ...", "+44 (0)7700 ..."), or its last digits; no country needs to be set for that.

Scores run 0..100: 100 is a word, number, email or id typed in full, as it is written (in the script it
was typed in: "Иванова" puts Иванова Мария before Anna Ivanova, "Ivanova" the other way round); the same
word in another script or without its diacritics scores a little less; a prefix scores more the more of
the key it covers; a typo scores its similarity, damped so it never beats an exact hit; a word that only
sounds the same scores below both.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import phonenumbers
from rapidfuzz import fuzz, process

from shopkeep.errors import StoreError
from shopkeep.store import lookup as lookup_store
from shopkeep.translit import sound_keys, tokens

if TYPE_CHECKING:
    from shopkeep.store import Store

MIN_SCORE = 40.0  # weaker matches are noise: e.g. one word of three, and that one a typo
MAX_QUERY = 200  # characters; a pasted novel is searched by its beginning
PREFIX_BASE = 80.0  # a word prefix scores between this and 100 by how much of the word it covers
PHONE_PREFIX_BASE = 70.0
PHONE_SUFFIX_BASE = 60.0
ID_PREFIX_BASE = 75.0
EMAIL_START_BASE = 70.0
EMAIL_INSIDE_BASE = 60.0
ADDRESS_START_BASE = 95.0  # a fragment with '@' or '.' in it, found literally in an address, is meant as one
ADDRESS_INSIDE_BASE = 90.0
EMAIL_WEIGHT = 0.95  # the same word found in the name beats it found in the email
FUZZY_WEIGHT = 0.9  # a typo never beats an exact word
FUZZY_CUTOFF = 75.0  # rapidfuzz ratio below which a word is not a typo of another
FUZZY_LIMIT = 50  # typo candidates per typed word
MIN_FUZZY_LEN = 4  # shorter words are too ambiguous to correct
OTHER_SCRIPT = 0.5  # taken off a word found only as written another way: Иванова for "ivanova", Wiśniewska for "wisn"
SOUND_SCORE = 88.0  # a whole word that sounds the same: "люси" for Lucy, "sofi" for Sophie
SOUND_PREFIX_BASE = 60.0  # the beginning of a word that sounds the same: up to 80, below any real prefix
MIN_SOUND_LEN = 3  # shorter words sound like too many
SOUND_PREFIX_CAP = 200  # sound keys a typed beginning may stand for
MIN_PHONE_DIGITS = 3
MIN_SUFFIX_DIGITS = 4
RANGE_CAP = 300  # hits taken from one sorted range (phone, id, email fragment)
MULTI_POOL = 1000  # candidates scored for a query of several words, from its most selective word
BROAD_PREFIX = 100  # a short word beginning more indexed words than this is checked, not expanded
VERIFY_CAP = 5000  # up to this many customers with every other word are checked for a broad word
EXACT_REACH = 20_000  # above this, a query of several common words is ranked from a pool, not exactly
CACHE_SIZE = 512  # per-word results kept, so extending a query reuses its finished words
_END = "\U0010ffff"
_NOBODY = (None, None, None, None)  # a customer gone since the words were read (see CustomerIndex._known)
_SEP = "|"  # never inside a folded word
_FIELDS = ("name", "email")
_WEIGHTS = (1.0, EMAIL_WEIGHT)

_TRUNK_IN_BRACKETS = re.compile(r"\(\s*0\s*\)")  # "+44 (0)7400 ...": the trunk zero, not dialled from abroad
_LITERAL = re.compile(r"[^\W_]+")

Hits = dict[int, tuple[float, str]]  # customer id -> (score, matched_on)
Entry = tuple[float, str, str, frozenset[int]]  # (score, matched_on, indexed word, its customers)
Forms = dict[str, tuple[tuple[str, frozenset[int]], ...]]  # folded word -> (as written, its customers), ...


@dataclass(frozen=True)
class Match:
    customer_id: int
    score: float
    name: str | None
    email: str | None
    phone: str | None
    external_id: str | None
    matched_on: str  # 'name' | 'email' | 'phone' | 'id'


def _completion(typed: int, full: int, base: float) -> float:
    """`base` for a short beginning, rising to 100 for a key typed in full."""
    return base + (100.0 - base) * min(typed, full) / full


def _offer(hits: Hits, customer_id: int, score: float, field: str) -> None:
    old = hits.get(customer_id)
    if old is None or score > old[0]:
        hits[customer_id] = (score, field)


class _Meaning:
    """Everything one typed word may mean: entries best first, how many postings they hold, whom they reach."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.reach = sum(len(posting) for *_, posting in entries)

    @functools.cached_property
    def customers(self) -> frozenset[int]:
        return frozenset().union(*(posting for *_, posting in self.entries))


def _top_customers(entries: list[Entry], cap: int, within: frozenset[int] | None = None) -> Hits:
    """The first `cap` customers of `entries` (best first; only those `within`, if given), with their best entry."""
    found: Hits = {}
    for score, field, _, posting in entries:
        members = posting if within is None else posting & within
        fresh = itertools.islice(itertools.filterfalse(found.__contains__, members), cap - len(found))
        found.update(dict.fromkeys(fresh, (score, field)))
        if len(found) >= cap:
            break
    return found


def _scores_within(entries: list[Entry], candidates: Iterable[int]) -> Hits:
    """The best entry of each candidate that `entries` contain."""
    remaining = set(candidates)
    found: Hits = {}
    for score, field, _, posting in entries:
        if not remaining:
            break
        hit = remaining & posting
        if hit:
            found.update(dict.fromkeys(hit, (score, field)))
            remaining -= hit
    return found


def _joined(words: Iterable[str]) -> str:
    return _SEP + _SEP.join(words) + _SEP


def _phone_digits_joined(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring groups of digits are one phone number: "8 903 111-22-34" -> "89031112234"."""
    joined: list[tuple[str, str]] = []
    for word, written in words:
        if word.isdigit() and joined and joined[-1][0].isdigit():
            joined[-1] = (joined[-1][0] + word, joined[-1][0] + word)
        else:
            joined.append((word, word if word.isdigit() else written))
    return joined


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _written(text: str) -> list[tuple[str, str]]:
    """(folded word, the word as written, lower-case) for each word of `text`, in order."""
    return [
        (word, written)
        for written in _LITERAL.findall(unicodedata.normalize("NFC", text.lower()))
        for word in tokens(written)
    ]


@dataclass(frozen=True)
class _Query:
    """What was typed, read once: its text, its words (folded, and as typed), its digits."""

    text: str
    words: list[str]  # folded, each once, in order
    written: dict[str, str]  # folded word -> as typed (its first)
    digits: str
    phone_like: bool
    one_token: bool

    @classmethod
    def of(cls, query: str) -> _Query:
        text = _TRUNK_IN_BRACKETS.sub(" ", query.strip()[:MAX_QUERY])
        typed = _phone_digits_joined(_written(text))
        digits = _digits(text)
        return cls(
            text,
            list(dict.fromkeys(word for word, _ in typed)),
            dict(reversed(typed)),
            digits,
            len(digits) >= MIN_PHONE_DIGITS and not any(ch.isalpha() for ch in text),
            len(text.split()) == 1,
        )


def _forms(found: dict[str, dict[str, list[int]]]) -> Forms:
    return {word: tuple((written, frozenset(ids)) for written, ids in ways.items()) for word, ways in found.items()}


class _Words:
    """The words the index knows (folded name and email words) and how its name words sound: what a typed word
    may mean is looked up here. In memory (the app's index), or read from the database (StoredWords: a cold
    search that builds an index of the few customers it may find, with every word of every customer known)."""

    def starting_with(self, prefix: str) -> list[str]:
        """Every known word beginning with `prefix`, sorted."""
        raise NotImplementedError

    def count_starting(self, prefix: str, beyond: int) -> int:
        """How many known words begin with `prefix` (counted up to `beyond` + 1 at least)."""
        raise NotImplementedError

    def with_initial(self, initial: str) -> list[str]:
        """Every known word beginning with the letter `initial`, sorted."""
        raise NotImplementedError

    def sounding(self, key: str) -> list[tuple[str, list[str]]]:
        """The first SOUND_PREFIX_CAP sound keys beginning with `key`, sorted, each with its name words."""
        raise NotImplementedError

    def forms(self, word: str, field: str) -> tuple[tuple[str, frozenset[int]], ...]:
        """How `word` is written in that field ('name' or 'email'), each way with its customers: the ways in the
        order they first occur (by customer id, then place in the text)."""
        raise NotImplementedError


class _MemoryWords(_Words):
    def __init__(self, vocab: list[str], sounds: dict[str, list[str]], forms: dict[str, Forms]):
        self._vocab, self._sounds, self._sound_vocab = vocab, sounds, sorted(sounds)
        self._forms = forms
        self._by_initial: dict[str, list[str]] = {}
        for word in vocab:
            self._by_initial.setdefault(word[0], []).append(word)

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self._vocab, prefix)
        return lo, bisect.bisect_left(self._vocab, prefix + _END, lo)

    def starting_with(self, prefix: str) -> list[str]:
        lo, hi = self._range(prefix)
        return self._vocab[lo:hi]

    def count_starting(self, prefix: str, beyond: int) -> int:
        lo, hi = self._range(prefix)
        return hi - lo

    def with_initial(self, initial: str) -> list[str]:
        return self._by_initial.get(initial, [])

    def sounding(self, key: str) -> list[tuple[str, list[str]]]:
        lo = bisect.bisect_left(self._sound_vocab, key)
        hi = min(bisect.bisect_left(self._sound_vocab, key + _END, lo), lo + SOUND_PREFIX_CAP)
        return [(sound, self._sounds[sound]) for sound in self._sound_vocab[lo:hi]]

    def forms(self, word: str, field: str) -> tuple[tuple[str, frozenset[int]], ...]:
        return self._forms[field].get(word, ())


class _SortedKeys:
    """(key, customer id) pairs sorted by key, for exact and prefix hits by bisection."""

    def __init__(self, pairs: Iterable[tuple[str, int]]):
        ordered = sorted(pairs)
        self.keys = [key for key, _ in ordered]
        self.ids = [customer_id for _, customer_id in ordered]

    def starting_with(self, prefix: str, cap: int = RANGE_CAP) -> Iterator[tuple[str, int]]:
        lo = bisect.bisect_left(self.keys, prefix)
        hi = min(bisect.bisect_left(self.keys, prefix + _END, lo), lo + cap)
        return zip(self.keys[lo:hi], self.ids[lo:hi], strict=True)


class CustomerIndex:
    """An in-memory search index over customers. Build once; `search` is safe to call from a worker thread.

    With `words` and `more` (see `find`): the words are those of every customer, read from the database, and
    `rows` only the customers a number, reference or address typed may find; `more(ids)` gives the rows of any
    other customer the search comes to (their words checked, or their fields shown)."""

    def __init__(
        self,
        rows: Iterable[dict[str, Any]],
        default_region: str | None = None,
        words: _Words | None = None,
        more: Callable[[list[int]], Iterable[dict[str, Any]]] | None = None,
    ):
        self._region = default_region
        self._more = more
        self._people: dict[int, tuple[str | None, str | None, str | None, str | None]] = {}
        self._phone_digits: dict[int, str] = {}
        self._words_of: dict[int, tuple[str, str]] = {}  # name words, email words: each "|w1|w2|"
        name_words: dict[str, dict[str, list[int]]] = {}  # folded word -> as written -> customers
        email_words: dict[str, dict[str, list[int]]] = {}
        phone_heads: list[tuple[str, int]] = []
        phone_tails: list[tuple[str, int]] = []
        ids: list[tuple[str, int]] = []
        emails: list[tuple[str, int]] = []
        written_cache: dict[str, list[tuple[str, str]]] = {}  # names repeat: fold each spelling once

        def words_of(text: str) -> list[tuple[str, str]]:
            found = written_cache.get(text)
            if found is None:
                found = written_cache[text] = _written(text)
            return found

        for row in rows:
            customer_id, name, email, phone, external_id = self._person(row, words_of)
            for word, written in words_of(name) if name else ():
                name_words.setdefault(word, {}).setdefault(written, []).append(customer_id)
            if email:
                address = email.strip().lower()
                emails.append((address, customer_id))
                for word, written in words_of(address):
                    email_words.setdefault(word, {}).setdefault(written, []).append(customer_id)
            if phone:
                digits = self._phone_digits[customer_id]
                # With the country code, and without a 1-, 2- or 3-digit one: national input meets either.
                phone_heads.extend((digits[k:], customer_id) for k in range(4) if len(digits) - k >= MIN_PHONE_DIGITS)
                phone_tails.append((digits[::-1], customer_id))
            # The customer's reference (shopkeep.customer_ref): the platform's id, else '#533' (or '533').
            if external_id and external_id.strip():
                ids.append((external_id.strip().lower(), customer_id))
            else:
                ids.append((str(customer_id), customer_id))
            ids.append((f"#{customer_id}", customer_id))
        if words is None:
            name_forms, email_forms = _forms(name_words), _forms(email_words)
            sounds: dict[str, list[str]] = {}
            for word in name_forms:
                for key in sound_keys(word):
                    sounds.setdefault(key, []).append(word)
            vocab = sorted(name_forms.keys() | email_forms.keys())
            words = _MemoryWords(vocab, sounds, {"name": name_forms, "email": email_forms})
        self._words = words
        self._phone_heads = _SortedKeys(phone_heads)
        self._phone_tails = _SortedKeys(phone_tails)
        self._ids = _SortedKeys(ids)
        self._emails = emails
        self._email_starts: list[int] = []
        offset = 0
        for address, _ in emails:
            self._email_starts.append(offset)
            offset += len(address) + 1
        self._email_blob = "\n".join(address for address, _ in emails)
        self._meaning_cache: dict[tuple[str, str], _Meaning] = {}

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]], default_region: str | None = None) -> CustomerIndex:
        """rows: dicts with id, name, email, phone (E.164), external_id. `default_region` reads national phones."""
        return cls(rows, default_region)

    @classmethod
    def from_store(cls, store: Store) -> CustomerIndex:
        """Every customer not forgotten; phones typed without a country code are read in the shop's country."""
        return cls(lookup_store.searchable_customers(store), lookup_store.shop_country(store))

    # -- searching ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[Match]:
        """The best `limit` matches for what was typed so far, best first. Empty or punctuation-only: []."""
        q = _Query.of(query)
        if limit < 1 or not q.words:
            return []
        hits: Hits = {}
        if q.phone_like:
            self._phone_hits(q.text, q.digits, hits)
        else:
            self._word_hits([(word, q.written[word]) for word in q.words], limit, hits)
        if q.one_token:
            self._id_hits(q.text.lower(), hits)
            self._email_fragment_hits(q.text.lower(), hits)
        kept = (item for item in hits.items() if item[1][0] >= MIN_SCORE)
        best = heapq.nlargest(limit, kept, key=lambda item: (item[1][0], -item[0]))
        self._known(customer_id for customer_id, _ in best)
        return [self._match(customer_id, score, field) for customer_id, (score, field) in best]

    def _person(
        self, row: dict[str, Any], words_of: Callable[[str], list[tuple[str, str]]] = _written
    ) -> tuple[int, str | None, str | None, str | None, str | None]:
        """Keep what a search reads of one customer (fields, words, phone digits); their id and fields."""
        customer_id = int(row["id"])
        name, email, phone, external_id = (row.get("name"), row.get("email"), row.get("phone"), row.get("external_id"))
        self._people[customer_id] = (name, email, phone, external_id)
        own_names = dict.fromkeys(word for word, _ in words_of(name)) if name else {}
        own_emails = dict.fromkeys(word for word, _ in words_of(email.strip().lower())) if email else {}
        self._words_of[customer_id] = (_joined(own_names), _joined(own_emails))
        if phone:
            self._phone_digits[customer_id] = _digits(phone)
        return customer_id, name, email, phone, external_id

    def _known(self, customer_ids: Iterable[int]) -> None:
        """Read the customers the index does not hold yet (only with `more`, see the class)."""
        if self._more is not None:
            missing = [cid for cid in customer_ids if cid not in self._people]
            for row in self._more(missing) if missing else ():
                self._person(row)
            for cid in missing:
                if cid not in self._people:
                    self._people[cid], self._words_of[cid] = _NOBODY, (_SEP, _SEP)

    def _match(self, customer_id: int, score: float, field: str) -> Match:
        name, email, phone, external_id = self._people[customer_id]
        return Match(customer_id, round(score, 1), name, email, phone, external_id, field)

    def _word_hits(self, typed: list[tuple[str, str]], limit: int, hits: Hits) -> None:
        """`typed`: each word folded, and as it was typed (lower-case)."""
        words = [word for word, _ in typed]
        as_typed = dict(typed)
        if len(words) == 1:
            # Entries come best first and a customer's score is its best entry: the first `limit` are the best.
            hits.update(_top_customers(self._meaning(*typed[0]).entries, limit))
            return
        expanded, phones, broad = self._roles(words)
        checkers: dict[str, Callable[[str, Iterable[int]], Hits]] = {w: self._phone_within for w in phones}
        checkers |= {w: self._beginning_within for w in broad}
        if not expanded:
            return
        # Customers with every expanded word beat those missing one, so when at least `limit` have every word
        # (found by set intersections in C, unless even the rarest word is very common) only they are scored.
        # The word reaching fewest customers picks which MULTI_POOL of them, best first, are scored in Python.
        meanings = [self._meaning(word, as_typed[word]) for word in expanded]
        meanings = sorted((m for m in meanings if m.entries), key=lambda m: m.reach)
        if not meanings:
            return
        driver, others = meanings[0], meanings[1:]
        everyone: frozenset[int] = frozenset()
        if len(meanings) == len(expanded) and driver.reach <= EXACT_REACH:
            everyone = driver.customers.intersection(*(m.customers for m in others))
        checked: list[Hits] = []
        if checkers and 0 < len(everyone) <= VERIFY_CAP:
            for word, check in checkers.items():
                checked.append(check(word, everyone))
                everyone = everyone.intersection(checked[-1])
        if len(everyone) >= limit:
            pool = _top_customers(driver.entries, MULTI_POOL, everyone)
        else:  # the few with every word, and the best of the rest
            pool = _top_customers(driver.entries, MULTI_POOL) | _scores_within(driver.entries, everyone)
        scored = [
            pool,
            *(_scores_within(m.entries, pool) for m in others),
            *(checked or [check(word, pool) for word, check in checkers.items()]),
        ]
        for customer_id in pool:
            parts = [by_word[customer_id] for by_word in scored if customer_id in by_word]
            hits[customer_id] = (sum(score for score, _ in parts) / len(words), max(parts)[1])

    def _roles(self, words: list[str]) -> tuple[list[str], list[str], list[str]]:
        """The words of a query of several: those expanded (prefixes, typos, sounds), the digits checked against
        phones ("anna 4567"), and the short words that begin very many indexed words ("petr s"), checked against
        the candidates instead of being expanded; if no word is left to expand, the short words are."""
        phones = [w for w in words if w.isdigit() and len(w) >= MIN_PHONE_DIGITS]
        broad = [w for w in words if w not in phones and len(w) < MIN_FUZZY_LEN]
        broad = [w for w in broad if self._prefix_count(w) > BROAD_PREFIX]
        expanded = [w for w in words if w not in phones and w not in broad] or broad
        return expanded, phones, [w for w in broad if w not in expanded]

    def _prefix_count(self, word: str) -> int:
        return self._words.count_starting(word, BROAD_PREFIX)

    def _beginning_within(self, word: str, candidates: Iterable[int]) -> Hits:
        """Candidates with a word beginning with `word` (its first such word scores; no typos: it is short)."""
        typed, rest, needle = len(word), 100.0 - PREFIX_BASE, _SEP + word
        found: Hits = {}
        candidates = list(candidates)
        self._known(candidates)
        for customer_id in candidates:
            for field, joined, weight in zip(_FIELDS, self._words_of[customer_id], _WEIGHTS, strict=True):
                at = joined.find(needle)
                if at >= 0:
                    length = joined.find(_SEP, at + 1) - at - 1
                    score = (PREFIX_BASE + rest * typed / length) * weight
                    if score > found.get(customer_id, (0.0, ""))[0]:
                        found[customer_id] = (score, field)
        return found

    def _phone_within(self, typed: str, candidates: Iterable[int]) -> Hits:
        """Candidates whose phone ends with the digits `typed`, or begins with them (national or not)."""
        heads = (typed, typed[1:]) if typed[0] in "08" and len(typed) > MIN_PHONE_DIGITS else (typed,)
        found: Hits = {}
        candidates = list(candidates)
        self._known(candidates)
        for customer_id in candidates:
            digits = self._phone_digits.get(customer_id)
            if digits is None:
                continue
            if digits.endswith(typed):
                found[customer_id] = (_completion(len(typed), len(digits), PHONE_SUFFIX_BASE), "phone")
            elif any(digits.startswith(head, k) for head in heads for k in range(4)):
                found[customer_id] = (_completion(len(typed), len(digits), PHONE_PREFIX_BASE), "phone")
        return found

    def _meaning(self, word: str, written: str | None = None) -> _Meaning:
        """Every indexed word `word` may mean (its beginning, itself, a typo of it, a word that sounds the same),
        scored, best first. `written`: the word as typed; a word found only written another way (another script,
        other diacritics) scores OTHER_SCRIPT less."""
        written = word if written is None else written
        cached = self._meaning_cache.get((word, written))
        if cached is not None:
            return cached
        scored = self._scored(word)
        entries: list[Entry] = []
        for known, score in scored.items():
            for field, weight in (("name", 1.0), ("email", EMAIL_WEIGHT)):
                for way, posting in self._words.forms(known, field):
                    as_typed = score if way.startswith(written) else score - OTHER_SCRIPT
                    entries.append((as_typed * weight, field, known, posting))
        entries.sort(key=lambda entry: (-entry[0], entry[1] != "name", entry[2]))
        if len(self._meaning_cache) >= CACHE_SIZE:
            self._meaning_cache.clear()
        meaning = self._meaning_cache[(word, written)] = _Meaning(entries)
        return meaning

    def _scored(self, word: str) -> dict[str, float]:
        """The indexed words `word` may mean (its beginning, itself, a typo of it, a word that sounds the same)
        with their scores."""
        typed, rest = len(word), 100.0 - PREFIX_BASE
        scored = {known: PREFIX_BASE + rest * typed / len(known) for known in self._words.starting_with(word)}
        if len(word) >= MIN_FUZZY_LEN:
            same_initial = self._words.with_initial(word[0])
            for known, ratio, _ in process.extract(
                word, same_initial, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=FUZZY_LIMIT
            ):
                scored[known] = max(scored.get(known, 0.0), ratio * FUZZY_WEIGHT)
        if len(word) >= MIN_SOUND_LEN:
            self._sounding(word, scored)
        return scored

    def _sounding(self, word: str, scored: dict[str, float]) -> None:
        """Add the name words that sound like `word`, or begin like it sounds, to `scored`."""
        for key in sound_keys(word):
            for sound, known_words in self._words.sounding(key):
                if sound == key:
                    score = SOUND_SCORE
                else:
                    score = SOUND_PREFIX_BASE + (PREFIX_BASE - SOUND_PREFIX_BASE) * len(key) / len(sound)
                for known in known_words:
                    if score > scored.get(known, 0.0):
                        scored[known] = score

    def _typed_heads(self, text: str, digits: str) -> list[str]:
        """The beginnings a typed number may have in a phone: as typed, without its international or trunk
        prefix, as read in the shop's country."""
        heads = [digits]
        if digits.startswith("00"):  # international prefix
            heads.append(digits[2:])
        elif digits[0] in "08":  # national trunk prefix: 0 in most of Europe, 8 in Russia and nearby
            heads.append(digits[1:])
        if self._region and not text.startswith("+"):
            try:
                parsed = phonenumbers.parse(text, self._region)
                heads.append(f"{parsed.country_code}{parsed.national_number}")
            except phonenumbers.NumberParseException:
                pass
        return list(dict.fromkeys(h for h in heads if len(h) >= MIN_PHONE_DIGITS))

    def _phone_hits(self, text: str, digits: str, hits: Hits) -> None:
        for head in self._typed_heads(text, digits):
            for key, customer_id in self._phone_heads.starting_with(head):
                _offer(hits, customer_id, _completion(len(head), len(key), PHONE_PREFIX_BASE), "phone")
        if len(digits) >= MIN_SUFFIX_DIGITS:
            for key, customer_id in self._phone_tails.starting_with(digits[::-1]):
                _offer(hits, customer_id, _completion(len(digits), len(key), PHONE_SUFFIX_BASE), "phone")

    def _id_hits(self, typed: str, hits: Hits) -> None:
        for key, customer_id in self._ids.starting_with(typed):
            _offer(hits, customer_id, _completion(len(typed), len(key), ID_PREFIX_BASE), "id")

    def _email_fragment_hits(self, typed: str, hits: Hits) -> None:
        """Any part of an address: 'nna.ivan', 'ivanova@', '@example.org'."""
        if len(typed) < 3:
            return
        address_like = "@" in typed or "." in typed
        start_base = ADDRESS_START_BASE if address_like else EMAIL_START_BASE
        inside_base = ADDRESS_INSIDE_BASE if address_like else EMAIL_INSIDE_BASE
        found = 0
        pos = self._email_blob.find(typed)
        while pos >= 0 and found < RANGE_CAP:
            i = bisect.bisect_right(self._email_starts, pos) - 1
            address, customer_id = self._emails[i]
            start = self._email_starts[i]
            base = start_base if pos == start else inside_base
            _offer(hits, customer_id, _completion(len(typed), len(address), base), "email")
            found += 1
            pos = self._email_blob.find(typed, start + len(address) + 1)


# -- one search, cold: the kept words instead of the whole index (issue 19) ---------------------------------

MAX_CANDIDATES = 20_000  # customers a typed number, reference or address may find: beyond, the whole index
MAX_MEANINGS = 400  # words a query may mean (each read with its customers): beyond, the whole index
WORDS_PER_WRITE = 20_000  # customers whose words are made and kept in one transaction


class _TooBroad(Exception):
    """The query may mean too many words to read them one by one: the whole index is cheaper."""


class StoredWords(_Words):
    """Every customer's words as kept in the database (store.lookup, migrations/0023), read as asked."""

    def __init__(self, store: Store):
        self._store = store
        self._initials: dict[str, list[str]] = {}
        self._forms: dict[tuple[str, str], tuple[tuple[str, frozenset[int]], ...]] = {}

    def starting_with(self, prefix: str) -> list[str]:
        return lookup_store.kept_words_starting(self._store, prefix, prefix + _END)

    def count_starting(self, prefix: str, beyond: int) -> int:
        return len(lookup_store.kept_words_starting(self._store, prefix, prefix + _END, beyond + 1))

    def with_initial(self, initial: str) -> list[str]:
        if initial not in self._initials:
            self._initials[initial] = self.starting_with(initial)
        return self._initials[initial]

    def sounding(self, key: str) -> list[tuple[str, list[str]]]:
        return lookup_store.kept_sounds_starting(self._store, key, key + _END, SOUND_PREFIX_CAP)

    def forms(self, word: str, field: str) -> tuple[tuple[str, frozenset[int]], ...]:
        found = self._forms.get((word, field))
        if found is None:
            if len(self._forms) >= 2 * MAX_MEANINGS:
                raise _TooBroad
            ways: dict[str, list[int]] = {}
            for written, customer_id in lookup_store.kept_forms(self._store, word, field):
                ways.setdefault(written, []).append(customer_id)
            found = self._forms[(word, field)] = tuple((way, frozenset(ids)) for way, ids in ways.items())
        return found


def _kept_rows(customer_id: int, name: str | None, email: str | None) -> tuple[list[tuple], list[tuple]]:
    """A customer's words as kept: (word, field, as written, customer, place) and (sound, word, customer)."""
    names = _written(name) if name else []
    emails = _written(email.strip().lower()) if email else []
    words = [(word, "name", written, customer_id, n) for n, (word, written) in enumerate(names)]
    words += [(word, "email", written, customer_id, n) for n, (word, written) in enumerate(emails)]
    sounds = [(key, word, customer_id) for word in dict.fromkeys(w for w, _ in names) for key in sound_keys(word)]
    return words, sounds


def keep_words(store: Store, patience: float = 0.2) -> bool:
    """Make and keep the words of every customer who has none kept yet (after an import: all its new ones).
    For the import's upkeep to call, and for a cold search first. False when the database could not take them
    at once (another process writing, a read-only file): the caller then builds the whole index."""
    saved = store.patience, store.on_wait
    store.patience, store.on_wait = patience, lambda: None
    try:
        while lookup_store.words_missing_count(store):  # a read: no write lock taken when nothing is missing
            # Read and kept in one write transaction: a name changed or a customer forgotten by another
            # process in between would otherwise bring their old words back (the triggers fired already).
            with store.write() as conn:
                batch = lookup_store.words_missing(store, WORDS_PER_WRITE)
                words: list[tuple] = []
                sounds: list[tuple] = []
                for customer_id, name, email in batch:
                    more_words, more_sounds = _kept_rows(customer_id, name, email)
                    words += more_words
                    sounds += more_sounds
                lookup_store.keep_words(conn, [row[0] for row in batch], words, sounds)
            if not batch:
                break
    except (StoreError, sqlite3.Error):
        return False
    finally:
        store.patience, store.on_wait = saved
    return True


def find(store: Store, query: str, limit: int = 20) -> list[Match]:
    """`CustomerIndex.from_store(store).search(query, limit)`, without building the index of every customer:
    the words the query may mean, and their customers, are read from every customer's kept words (keep_words);
    only the customers a typed number, reference or address may find are indexed, and the rows of the few
    others the search comes to are read when it does. Scores, typos, sounds and order are the index's own
    (tests/test_lookup_stored.py runs the lookup tests' queries both ways). A query that may mean very many
    words (one or two letters) builds the whole index, as does a database whose words cannot be kept."""
    if not store.conn.in_transaction and not keep_words(store):
        return CustomerIndex.from_store(store).search(query, limit)
    with store.snapshot():
        if lookup_store.words_missing_count(store):  # another process added customers since
            return CustomerIndex.from_store(store).search(query, limit)
        words = StoredWords(store)
        region = lookup_store.shop_country(store)
        candidates = _candidates(CustomerIndex([], region, words), store, query)
        if candidates is not None:
            rows = lookup_store.customers_by_id(store, candidates)
            index = CustomerIndex(rows, region, words, lambda ids: lookup_store.customers_by_id(store, ids))
            try:
                return index.search(query, limit)
            except _TooBroad:
                pass
        return CustomerIndex.from_store(store).search(query, limit)


def _candidates(probe: CustomerIndex, store: Store, query: str) -> set[int] | None:
    """Every customer a typed number, reference or address in `query` may find (more, never fewer), or None
    when that is too many to be worth it. (The customers its words find come from the kept words.)"""
    q = _Query.of(query)
    if not q.words or not (q.phone_like or q.one_token):
        return set()
    phone_parts = [*probe._typed_heads(q.text, q.digits), q.digits] if q.phone_like else []
    one = q.text.lower() if q.one_token else None
    fragment = one if one is not None and len(one) >= 3 else None
    found = lookup_store.customers_matching(store, phone_parts, one, fragment)
    return None if len(found) > MAX_CANDIDATES else found


# -- finding the customer a command is about -------------------------------------------------


def customers_by_phone(store: Store, text: str) -> list[int]:
    """Customers with this phone, typed in any format (national numbers in the shop's country)."""
    try:
        number = phonenumbers.parse(text, lookup_store.shop_country(store))
    except phonenumbers.NumberParseException:
        return []
    if not phonenumbers.is_possible_number(number):
        return []
    return lookup_store.find_customers(
        store, "phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    )
