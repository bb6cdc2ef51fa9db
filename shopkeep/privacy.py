"""Erasure on request (`shopkeep forget CUSTOMER`): the person is erased from every copy shopkeep keeps.

What is erased, in the live database (one write transaction):
- the person's name, email, phone, platform id, city and birthday; their notes, call notes, call drafts, the
  text of promises made to them and the numbers marked wrong. Their orders stay as anonymous totals, so the
  shop's figures do not change;
- text elsewhere that names them (another customer's note, a call note, a product line, an imported file's
  name): the email, phone (any spelling), full name and surname are replaced by `[erased]`. The surname alone
  is left where other customers share it (it cannot be told whose it is): the report says so;
- the loyalty ledger's notes: their own entries' notes, and other entries' text that names them. The ledger
  stays append-only and auditable: each correction is a `ledger_redactions` row (which entry, when, why,
  what the note became) and the ledger's trigger allows no other change: amounts, reasons and dates never
  move (migration 0012);
- remembered column mappings that hold their details (a data row remembered as headers);
- their referral code (older codes began with the first name): replaced by a random one, everywhere it
  was recorded;
- their identity keys: replaced by slow hashes (below), so that a re-import does not bring them back.
Then the file is rewritten (VACUUM, `secure_delete`) and the WAL emptied, so the old bytes are gone.

The same erasure is then run on every copy: the backups in the `backups` folder beside the database and
any backup recorded elsewhere, and the migration backups (`shop.db.before-vNN-….bak`). A copy is copied by
SQLite (VACUUM INTO) to a temporary file beside it, erased there, vacuumed, synced and renamed over the
copy: a copy is never left half-done. Shopkeep's own half-written temporary files there are removed.
Exports and rejects files cannot be reached (they may have been copied, mailed, printed): `forget` lists
the ones it wrote (recorded in `written_files`) that still hold the person, for the owner to delete.

Forgotten identities: a re-import must recognise the person without the database holding anything from
which their phone or email can be recovered. A key is stored as
    inner = HMAC-SHA256(privacy_salt, kind NUL value)       (privacy_salt: a random setting)
    tag   = the first TAG_BITS bits of SHA-256("tag" || inner)
    hash  = scrypt(inner, per-entry random salt, N=2^15, r=8, p=1)   (32 MB, ≥ 50 ms per try)
A re-import of an old export is recognised by the orders already stored for the forgotten customer (no
hashing at all). For an order not seen before, the importer checks each identity no customer has only
against the entries with the same tag: one cheap HMAC per new identity, and scrypt only for the few whose
tag collides. The tag is the trade-off: it
tells an attacker which 1/2^TAG_BITS of the candidates to try, so brute force costs
(candidates / 2^TAG_BITS) x scrypt instead of candidates x scrypt; and an import costs, per new identity,
(forgotten people / 2^TAG_BITS) x scrypt. `benchmarks/forget_hash_cost.py` prints both with this machine's
figures. Keys forgotten before this scheme (HMAC only, brute-forceable in seconds) are re-keyed without
their plain value: their stored HMAC is `inner`, so the slow hash is computed over it, at the next
import, forget or backup scrub that meets them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

from shopkeep.clock import file_time_now
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _, ngettext
from shopkeep.store import APPLICATION_ID, Store, migrate
from shopkeep.store import privacy as queries

SALT_KEY = "privacy_salt"
# The slow hash: 32 MB of memory per try, about 70 ms on the development machine when it is idle (>= 50 ms
# is required; benchmarks/forget_hash_cost.py measures it). Stored with each entry: it can be raised later.
SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
TAG_BITS = 10
ENTRY_VERSION = "s1"
ERASED = "[erased]"
LEFTOVER_AGE = dt.timedelta(hours=1)  # a temporary file this old is not being written any more
_LEGACY = re.compile(r"[0-9a-f]{64}")


# -- hashing forgotten identities ---------------------------------------------------------------


def _salt(store: Store) -> bytes:
    salt = store.get_setting(SALT_KEY)
    if salt is None:
        salt = secrets.token_hex(16)
        store.set_setting(SALT_KEY, salt)
    return bytes.fromhex(salt)


def inner_digest(salt: bytes, kind: str, value: str) -> bytes:
    """The keyed digest of an identity key (what keys forgotten before issue 14 stored, in hex)."""
    return hmac.new(salt, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()


def tag_of(inner: bytes) -> str:
    """The short tag that picks the entries worth a slow hash: TAG_BITS bits, in hex."""
    bits = int.from_bytes(hashlib.sha256(b"tag\x00" + inner).digest()[:4], "big") >> (32 - TAG_BITS)
    return f"{bits:03x}"


def slow_hash(inner: bytes, salt: bytes, log2_n: int = SCRYPT_LOG2_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return hashlib.scrypt(inner, salt=salt, n=1 << log2_n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=32)


def entry_for(inner: bytes) -> str:
    """The stored value for a forgotten key: 's1:TAG:LOG2N:R:P:SALT:HASH' (the tag first, for lookups)."""
    salt = secrets.token_bytes(16)
    digest = slow_hash(inner, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)  # the parameters the entry records
    return f"{ENTRY_VERSION}:{tag_of(inner)}:{SCRYPT_LOG2_N}:{SCRYPT_R}:{SCRYPT_P}:{salt.hex()}:{digest.hex()}"


@dataclass(frozen=True)
class Entry:
    """One stored forgotten key: the slow hash's parameters, salt and digest."""

    customer_id: int
    log2_n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def matches(self, inner: bytes) -> bool:
        return hmac.compare_digest(slow_hash(inner, self.salt, self.log2_n, self.r, self.p), self.digest)


def parse_entry(value: str, customer_id: int = 0) -> tuple[str, Entry] | None:
    """(tag, entry) of a stored forgotten key, or None for a key stored before the slow hash."""
    parts = value.split(":")
    if len(parts) != 7 or parts[0] != ENTRY_VERSION:
        return None
    _, tag, log2_n, r, p, salt, digest = parts
    return tag, Entry(customer_id, int(log2_n), int(r), int(p), bytes.fromhex(salt), bytes.fromhex(digest))


def upgrade_legacy_keys(conn: sqlite3.Connection, cache: dict[str, str] | None = None) -> int:
    """Re-key the forgotten keys stored as a bare HMAC (before issue 14) with the slow hash over that HMAC,
    in the open transaction. Needs no plain value. Returns how many were re-keyed."""
    upgraded = 0
    for kind, value, _salt in queries.forgotten_keys(conn):
        if not _LEGACY.fullmatch(value):
            continue
        new = cache.get(value) if cache is not None else None
        if new is None:
            new = entry_for(bytes.fromhex(value))
            if cache is not None:
                cache[value] = new
        queries.swap_forgotten_key(conn, kind, value, new)
        upgraded += 1
    return upgraded


class ForgottenKeys:
    """Lets the importer recognise people who were erased: by an order of theirs already stored (a re-import:
    no hashing), else by an identity key (one slow hash per tag match). Build it inside the import's write
    transaction: the lists it reads are then the ones the import's writes are checked against (a `forget`
    committed while the import waited for the lock is seen). Keys forgotten before the slow hash existed
    are re-keyed first (in that transaction)."""

    def __init__(self, store: Store):
        self._by_tag: dict[tuple[str, str], list[Entry]] = {}
        self._legacy: dict[tuple[str, str], int] = {}
        self._seen: dict[tuple[str, str], int | None] = {}
        self._orders: dict[tuple[str, str], int] = {}
        self._salt: bytes | None = None
        if not queries.has_forgotten(store.conn):
            return
        self._salt = _salt(store)
        self._orders = queries.forgotten_orders(store.conn)
        rows = queries.forgotten_keys(store.conn)
        if store.conn.in_transaction and any(_LEGACY.fullmatch(value) for _, value, _ in rows):
            store.conn.execute("PRAGMA secure_delete = ON")  # the old HMACs are zeroed where they stood
            upgrade_legacy_keys(store.conn)
            rows = queries.forgotten_keys(store.conn)
        for kind, value, customer_id in rows:
            parsed = parse_entry(value, customer_id)
            if parsed is not None:
                self._by_tag.setdefault((kind, parsed[0]), []).append(parsed[1])
            elif _LEGACY.fullmatch(value):
                self._legacy[(kind, value)] = customer_id

    def customer_of_order(self, source: str, order_key: str) -> int | None:
        """The forgotten customer an order already stored belongs to: a re-import of an old export is
        recognised by its orders, with no hashing at all."""
        return self._orders.get((source, order_key)) if self._orders else None

    def customer_for(self, kind: str, value: str) -> int | None:
        """The forgotten customer this identity key belonged to, or None. A slow hash only on a tag match."""
        if self._salt is None:
            return None
        fkind = f"{queries.FORGOTTEN}{kind}"
        seen = self._seen.get((fkind, value), False)
        if seen is not False:
            return seen
        inner = inner_digest(self._salt, kind, value)
        found = self._legacy.get((fkind, inner.hex()))
        if found is None:
            for entry in self._by_tag.get((fkind, tag_of(inner)), ()):
                if entry.matches(inner):
                    found = entry.customer_id
                    break
        if len(self._seen) < 100_000 and (found is not None or (fkind, tag_of(inner)) in self._by_tag):
            self._seen[(fkind, value)] = found  # only slow answers are worth remembering
        return found


# -- what names the person -----------------------------------------------------------------------


_SEP = r"[\s\-./()]*"


def _fold(text: str) -> str:
    from shopkeep.referrals import to_ascii

    return to_ascii(text)


def _phone_pattern(e164: str) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", e164)
        return _SEP.join(digits) if len(digits) >= 6 else None
    national = phonenumbers.national_significant_number(number)
    if len(national) < 5:
        return None
    code = str(number.country_code)
    prefix = rf"(?:(?:\+|00)?{_SEP}{code}{_SEP}|0{_SEP})?"
    return rf"(?<!\d){prefix}{_SEP.join(national)}(?!\d)"


@dataclass
class Mentions:
    """The person's email, phones, full names and surname, found in any text (case and diacritics aside)."""

    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    use_surnames: bool = True  # False when other customers share the surname: it would name them too
    _regex: re.Pattern[str] | None = field(default=None, repr=False)

    def copy(self) -> Mentions:
        return Mentions(set(self.emails), set(self.phones), set(self.names), set(self.surnames), self.use_surnames)

    def add(self, row: dict, extra_phones: Iterable[str] = ()) -> None:
        if row.get("email"):
            self.emails.add(row["email"])
        for phone in (row.get("phone"), *extra_phones):
            if phone:
                self.phones.add(phone)
        first, last, name = row.get("first_name"), row.get("last_name"), row.get("name")
        for full in (name, f"{first} {last}" if first and last else None):
            if full and len(full.split()) >= 2:
                self.names.add(" ".join(full.split()))
                self.names.add(" ".join(reversed(full.split())))
        surname = last or (name.split()[-1] if name and len(name.split()) >= 2 else None)
        if surname and len(surname.strip()) >= 2:
            self.surnames.add(surname.strip())
        self._regex = None

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones or self.names or self.surnames)

    def regex(self, *, surnames: bool = True) -> re.Pattern[str] | None:
        parts = [re.escape(e) for e in sorted(self.emails)]
        parts += [p for p in (_phone_pattern(x) for x in sorted(self.phones)) if p]
        words = set(self.names) | (set(self.surnames) if surnames else set())
        for word in sorted(words | {_fold(w) for w in words}, key=len, reverse=True):
            if word.strip():
                parts.append(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in word.split()) + r"(?!\w)")
        if not parts:
            return None
        return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)

    def _compiled(self) -> re.Pattern[str] | None:
        if self._regex is None:
            self._regex = self.regex(surnames=self.use_surnames)
        return self._regex

    def search(self, text: str | None) -> bool:
        regex = self._compiled()
        return bool(text) and regex is not None and regex.search(text) is not None

    def scrub(self, text: str) -> str:
        regex = self._compiled()
        return text if regex is None else regex.sub(ERASED, text)


# -- erasing in one database (the live one, or a copy) -------------------------------------------


@dataclass
class Erased:
    """What one database had erased."""

    customers: int = 0
    ledger_notes: int = 0
    texts: int = 0  # other records' text that named the person
    mappings: int = 0
    codes: int = 0
    rekeyed: int = 0


class _Hasher:
    """Slow hashes made once per forget run: the same key in the live database and its copies (which share
    the privacy salt) gets the same entry; legacy HMACs are re-keyed once."""

    def __init__(self) -> None:
        self.entries: dict[tuple[bytes, str, str], str] = {}
        self.legacy: dict[str, str] = {}

    def key(self, salt: bytes, kind: str, value: str) -> tuple[str, str]:
        entry = self.entries.get((salt, kind, value))
        if entry is None:
            entry = self.entries[(salt, kind, value)] = entry_for(inner_digest(salt, kind, value))
        return f"{queries.FORGOTTEN}{kind}", entry


def _erase_in(
    conn: sqlite3.Connection,
    customer_ids: list[int],
    mentions: Mentions,
    salt: bytes,
    hasher: _Hasher,
    *,
    when: str,
    why: str,
    new_code: str | None,
) -> Erased:
    """Erase the person (these customer records, and any text naming them) in an open write transaction."""
    done = Erased()
    for cid in customer_ids:
        if queries.still_personal(conn, cid):
            done.customers += 1
        keys = queries.plain_keys(conn, cid)
        queries.replace_keys(conn, cid, [hasher.key(salt, kind, value) for kind, value in keys])
        code = (queries.customer(conn, cid) or {}).get("referral_code")
        queries.erase_personal_data(conn, cid, when)
        if code and new_code and code != new_code:
            queries.replace_referral_code(conn, cid, code.strip().upper(), new_code)
            done.codes += 1
    done.rekeyed = upgrade_legacy_keys(conn, hasher.legacy)
    changes = []
    for entry_id, customer_id, reason, note in queries.ledger_notes(conn, customer_ids, mentions.search):
        owners_words = customer_id in customer_ids and reason not in queries.SYSTEM_REASONS
        after = ERASED if owners_words else mentions.scrub(note)
        if after != note:
            changes.append((entry_id, after))
    queries.redact_ledger(conn, changes, when, why)
    done.ledger_notes = len(changes)
    for (table, column), rows in queries.mentioning(conn, mentions.search).items():
        scrubbed = [(rowid, mentions.scrub(text)) for rowid, text in rows]
        queries.rewrite_text(conn, table, column, scrubbed)
        done.texts += len(scrubbed)
    for headers_key, text in queries.mappings(conn):
        if mentions.search(text):
            queries.forget_mapping(conn, headers_key)
            done.mappings += 1
    return done


def _mentions_of(conn: sqlite3.Connection, customer_ids: list[int], into: Mentions) -> None:
    for cid in customer_ids:
        row = queries.customer(conn, cid)
        if row is not None:
            into.add(row, queries.wrong_phones(conn, cid))


def _surname_shared(conn: sqlite3.Connection, mentions: Mentions, customer_ids: list[int]) -> int:
    """How many other customers (not forgotten) bear one of the person's surnames."""
    if not mentions.surnames:
        return 0
    folded = {_fold(s).casefold() for s in mentions.surnames}
    shared = 0
    for row in conn.execute(
        "SELECT id, name, last_name FROM customers WHERE forgotten_at IS NULL AND (name IS NOT NULL"
        " OR last_name IS NOT NULL)"
    ):
        if row[0] in customer_ids:
            continue
        words = {_fold(w).casefold() for w in f"{row[1] or ''} {row[2] or ''}".split()}
        if words & folded:
            shared += 1
    return shared


# -- copies ---------------------------------------------------------------------------------------


@dataclass
class CopyResult:
    path: Path
    kind: str  # 'backup' or 'migration backup'
    erased: Erased | None = None  # None: it held nothing of the person
    error: str | None = None


def copies_of(db_path: Path, recorded: Iterable[dict]) -> list[tuple[Path, str]]:
    """The copies of this database shopkeep made: migration backups beside it, backups in its `backups`
    folder and backups recorded elsewhere (that still exist)."""
    found: dict[Path, str] = {}
    folder = db_path.parent
    migration = re.compile(rf"{re.escape(db_path.name)}\.before-v\d+-[0-9T]+(?:-\d+)?\.bak")
    backup = re.compile(rf"{re.escape(db_path.stem)}-\d{{8}}-\d{{6}}(?:-\d+)?\.db")
    with suppress(OSError):
        for path in sorted(folder.iterdir()):
            if migration.fullmatch(path.name) and path.is_file():
                found[path.absolute()] = "migration backup"
    with suppress(OSError):
        for path in sorted((folder / "backups").iterdir()):
            if backup.fullmatch(path.name) and path.is_file():
                found[path.absolute()] = "backup"
    for row in recorded:
        path = Path(row["path"])
        if row["kind"] == "backup" and path.is_file():
            found.setdefault(path.absolute(), "backup")
    return sorted(found.items())


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_shopkeep(conn: sqlite3.Connection) -> bool:
    return queries.application_id(conn) == APPLICATION_ID or migrate.is_unmarked_shopkeep(conn)


def _scrub_copy(
    path: Path,
    person: dict,
    mentions: Mentions,
    live_salt: bytes,
    hasher: _Hasher,
    *,
    when: str,
    why: str,
    new_code: str | None,
) -> Erased | None:
    """Erase the person from one copy. The copy is left as it was unless it held something of them (or
    keys to re-key); then SQLite copies it (VACUUM INTO) to a temporary file beside it, the person is erased
    there with secure_delete, the file vacuumed and synced, and renamed over the copy."""
    keys = person["keys"]
    lineage = (person["id"], person["created_at"])
    with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None)) as src:
        try:
            if not _is_shopkeep(src):
                raise ShopkeepError(_("not a shopkeep database"))
        except sqlite3.DatabaseError:
            raise ShopkeepError(_("not a readable database (damaged, or not SQLite)")) from None
        ids = queries.matching_customers(src, keys, lineage)
        local = mentions.copy()
        _mentions_of(src, ids, local)
        legacy = any(_LEGACY.fullmatch(v) for _, v, _ in queries.forgotten_keys(src))
        personal = any(queries.still_personal(src, cid) for cid in ids)
        named = bool(local) and (
            bool(queries.mentioning(src, local.search))
            or bool(queries.ledger_notes(src, ids, local.search))
            or any(local.search(text) for _, text in queries.mappings(src))
        )
        if not (personal or named or legacy):
            return None
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".scrub")
        os.close(fd)
        tmp = Path(name)
        tmp.unlink()  # VACUUM INTO wants a fresh name
        src.execute("VACUUM INTO ?", (str(tmp),))
    try:
        with closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA secure_delete = ON")
            raw = queries.get_setting(conn, SALT_KEY)
            salt = bytes.fromhex(json.loads(raw)) if raw else live_salt
            conn.execute("BEGIN IMMEDIATE")
            if raw is None:
                queries.put_setting(conn, SALT_KEY, json.dumps(live_salt.hex()))
            erased = _erase_in(conn, ids, local, salt, hasher, when=when, why=why, new_code=new_code)
            conn.execute("COMMIT")
            conn.execute("VACUUM")
        os.chmod(tmp, 0o600)
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except BaseException:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        raise
    return erased


def _leftovers(db_path: Path) -> tuple[list[Path], list[Path]]:
    """Shopkeep's half-written temporary files in the data folder and its backups folder (an export, backup
    or erasure stopped half-way): those old enough to be abandoned are removed; newer ones are named.
    Their age is measured against the wall clock, as the file system stamps them (not the shop's clock,
    which may be set to another day)."""
    removed, kept = [], []
    now = file_time_now()
    pattern = re.compile(r"\..+\.[A-Za-z0-9_]+\.(?:part|scrub|creating)")
    for folder in (db_path.parent, db_path.parent / "backups"):
        with suppress(OSError):
            for path in sorted(folder.iterdir()):
                if not pattern.fullmatch(path.name) or not path.is_file():
                    continue
                age = now - path.stat().st_mtime
                if age >= LEFTOVER_AGE.total_seconds():
                    with suppress(OSError):
                        path.unlink()
                        removed.append(path.absolute())
                        continue
                kept.append(path.absolute())
    return removed, kept


# -- files the owner has to deal with -------------------------------------------------------------


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    kind: str  # export, rejects
    what: str | None
    written_at: str


def _holds(path: Path, mentions: Mentions) -> bool | None:
    """Whether an export or rejects file names the person (read as text, in pieces); None when nothing of
    the person is known any more to look for (a second run, after the first erased it all)."""
    regex = mentions.regex(surnames=mentions.use_surnames)
    if regex is None:
        return None
    tail = ""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            text = tail + chunk.decode("utf-8", errors="replace")
            if regex.search(text):
                return True
            tail = text[-256:]
    return False


def _written_holding(
    recorded: list[dict], mentions: Mentions, forgotten_at: str | None
) -> tuple[list[WrittenFile], list[WrittenFile]]:
    """The exports and rejects files still there that hold the person, and those that may (unreadable, or
    written before an earlier erasure when nothing of the person is known any more to look for)."""
    holding, unsure = [], []
    for row in recorded:
        if row["kind"] == "backup":
            continue
        path = Path(row["path"])
        item = WrittenFile(path, row["kind"], row["what"], row["written_at"])
        try:
            if not path.is_file():
                continue
            holds = _holds(path, mentions)
        except OSError:
            holds = None
        if holds:
            holding.append(item)
        elif holds is None and (forgotten_at is None or item.written_at <= forgotten_at):
            unsure.append(item)
    return holding, unsure


# -- forget ---------------------------------------------------------------------------------------


class ErasedNotScrubbed(ShopkeepError):
    """The erasure was committed (the person is gone from every screen, export and search), but the old
    bytes could not be overwritten in the database file afterwards: forgetting the same customer again
    finishes the job."""

    def __init__(self, customer_id: int, cause: BaseException):
        self.customer_id = customer_id
        self.cause = cause
        super().__init__(
            _("customer #{id} was erased, but the old bytes are still in the file: {reason}").format(
                id=customer_id, reason=cause
            )
        )


@dataclass
class ForgetReport:
    """What `forget` did, and what is left for the owner. Holds no personal data (paths and counts only)."""

    customer_id: int
    again: bool = False  # the customer had been forgotten before
    live: Erased = field(default_factory=Erased)
    wal_emptied: bool = True
    surname_shared: int = 0  # other customers with the same surname: text naming only it was left alone
    copies: list[CopyResult] = field(default_factory=list)
    leftovers_removed: list[Path] = field(default_factory=list)
    leftovers_kept: list[Path] = field(default_factory=list)
    holding: list[WrittenFile] = field(default_factory=list)  # exports/rejects that still name the person
    unsure: list[WrittenFile] = field(default_factory=list)  # could not be read
    imported_files: list[str] = field(default_factory=list)  # the owner's own files their orders came from

    @property
    def complete(self) -> bool:
        """Whether shopkeep did all it can (what remains is the owner's: files it cannot reach)."""
        return self.wal_emptied and not any(c.error for c in self.copies)


def _person(store: Store, customer_id: int) -> dict:
    conn = store.conn
    row = queries.customer(conn, customer_id)
    if row is None:
        raise ShopkeepError(_("no customer #{id}").format(id=customer_id))
    return {**row, "keys": queries.plain_keys(conn, customer_id), "wrong": queries.wrong_phones(conn, customer_id)}


def forget(store: Store, customer_id: int, *, copies: bool = True) -> ForgetReport:
    """Erase one person from the database and (with `copies`) from every copy shopkeep keeps.

    Raises ShopkeepError if there is no such customer (nothing erased), an SQLite error if the erasure
    could not be saved (nothing erased), or ErasedNotScrubbed if it was saved but the file could not be
    rewritten after it (e.g. a full disk). Forgetting a forgotten customer again is harmless, and finishes
    what a run stopped half-way left: the copies are found by the customer's number and creation time."""
    from shopkeep.referrals import new_code, shop_salt

    salt = _salt(store)
    now = store.clock.now_iso()
    why = f"erasure request for customer #{customer_id}"
    hasher = _Hasher()
    report = ForgetReport(customer_id)
    store.conn.execute("PRAGMA secure_delete = ON")  # freed cells are zeroed as they are deleted
    with store.write() as conn:
        person = _person(store, customer_id)
        report.again = person["forgotten_at"] is not None
        mentions = Mentions()
        mentions.add(person, person["wrong"])
        report.surname_shared = _surname_shared(conn, mentions, [customer_id])
        mentions.use_surnames = report.surname_shared == 0
        code = person["referral_code"]
        replacement = new_code(lambda c: queries.code_taken(conn, c), customer_id, shop_salt(store)) if code else None
        report.live = _erase_in(conn, [customer_id], mentions, salt, hasher, when=now, why=why, new_code=replacement)
        report.imported_files = sorted(
            {r["file_name"] for r in store.rows(
                "SELECT DISTINCT i.file_name FROM orders o JOIN imports i ON i.id = o.import_id"
                " WHERE o.customer_id = ?",
                (customer_id,),
            )}
        )  # fmt: skip
        recorded = queries.written_files(conn)
    try:
        report.wal_emptied = queries.scrub_files(store.conn)
    except (sqlite3.Error, OSError) as exc:
        raise ErasedNotScrubbed(customer_id, exc) from exc
    if store.path is None or not copies:
        return report
    for path, kind in copies_of(store.path, recorded):
        result = CopyResult(path, kind)
        try:
            result.erased = _scrub_copy(path, person, mentions, salt, hasher, when=now, why=why, new_code=replacement)
        except (ShopkeepError, sqlite3.Error, OSError) as exc:
            result.error = _reason(exc)
        report.copies.append(result)
    report.leftovers_removed, report.leftovers_kept = _leftovers(store.path)
    report.holding, report.unsure = _written_holding(recorded, mentions, person["forgotten_at"])
    return report


def _reason(exc: BaseException) -> str:
    from shopkeep.outputs import error_errno

    if error_errno(exc) is not None and isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, sqlite3.Error):
        return _("database problem: {reason}").format(reason=exc)
    return str(exc) or type(exc).__name__


def report_lines(report: ForgetReport) -> Iterator[tuple[str, str]]:
    """The report as (section, line): section 'done' (what shopkeep erased) or 'todo' (what the owner must
    still do). Paths are absolute; nothing of the person is named."""
    ref = f"#{report.customer_id}"
    live = report.live
    if report.again:
        yield "done", _("customer {ref} forgotten: already forgotten; checked again").format(ref=ref)
    else:
        yield (
            "done",
            _("customer {ref} forgotten: personal data erased, orders kept as anonymous totals").format(ref=ref),
        )
    if not report.again or live.customers:
        yield (
            "done",
            _(
                "database: name, email, phone, platform id, city, notes, call notes and drafts erased;"
                " their identity keys replaced by slow hashes (a re-import attaches their orders anonymously)"
            ),
        )
    if live.ledger_notes:
        yield (
            "done",
            ngettext(
                "loyalty ledger: {n} note erased (recorded as redactions; points unchanged)",
                "loyalty ledger: {n} notes erased (recorded as redactions; points unchanged)",
                live.ledger_notes,
            ).format(n=live.ledger_notes),
        )
    if live.texts:
        yield (
            "done",
            ngettext(
                "other records' text that named them: {n} field scrubbed",
                "other records' text that named them: {n} fields scrubbed",
                live.texts,
            ).format(n=live.texts),
        )
    if live.mappings:
        yield (
            "done",
            ngettext(
                "remembered column mappings: {n} mapping held their details and was removed"
                " (the next such file needs --map again)",
                "remembered column mappings: {n} mappings held their details and were removed"
                " (the next such file needs --map again)",
                live.mappings,
            ).format(n=live.mappings),
        )
    if live.codes:
        yield "done", _("their referral code was replaced by a random one")
    if live.rekeyed:
        yield (
            "done",
            ngettext(
                "{n} key of people forgotten earlier re-hashed with the slow hash",
                "{n} keys of people forgotten earlier re-hashed with the slow hash",
                live.rekeyed,
            ).format(n=live.rekeyed),
        )
    for copy in report.copies:
        if copy.error is None and copy.erased is not None:
            yield "done", _("{kind} scrubbed: {path}").format(kind=_copy_kind(copy.kind), path=copy.path)
    clean = [c for c in report.copies if c.error is None and c.erased is None]
    if clean:
        yield (
            "done",
            ngettext(
                "{n} other copy checked: nothing of them in it",
                "{n} other copies checked: nothing of them in it",
                len(clean),
            ).format(n=len(clean)),
        )
    for path in report.leftovers_removed:
        yield "done", _("removed a half-written temporary file: {path}").format(path=path)
    if not report.wal_emptied:
        yield (
            "todo",
            _(
                "another shopkeep (the app?) is reading the database, so its WAL still holds old pages:"
                " close it, then run `shopkeep forget '{ref}' --yes` again"
            ).format(ref=ref),
        )
    for copy in report.copies:
        if copy.error is not None:
            yield (
                "todo",
                _("could not scrub the {kind} {path} ({reason}): delete it").format(
                    kind=_copy_kind(copy.kind), path=copy.path, reason=copy.error
                ),
            )
    for path in report.leftovers_kept:
        yield (
            "todo",
            _("a temporary file is still being written, or was left by a crash: {path}; delete it when done").format(
                path=path
            ),
        )
    for item in report.holding:
        yield "todo", _("delete {path}: {what} holds them").format(path=item.path, what=_described(item))
    for item in report.unsure:
        yield "todo", _("check {path}: {what} may hold them").format(path=item.path, what=_described(item))
    if report.imported_files:
        yield (
            "todo",
            _(
                "the files you imported their orders from still hold them: {files}"
                " (a re-import attaches the orders anonymously)"
            ).format(files=", ".join(report.imported_files)),
        )
    if report.surname_shared:
        yield (
            "todo",
            ngettext(
                "{n} other customer shares their surname: text naming them by surname alone was left as it was;"
                " check notes that mention them",
                "{n} other customers share their surname: text naming them by surname alone was left as it was;"
                " check notes that mention them",
                report.surname_shared,
            ).format(n=report.surname_shared),
        )
    yield (
        "todo",
        _(
            "copies shopkeep did not make are not reached: files you exported from the app, printed, mailed,"
            " or synced elsewhere"
        ),
    )


# The kinds of copies and exports shopkeep keeps, as people read them.
_COPY_KINDS = {"backup": N_("backup"), "migration backup": N_("migration backup")}
_EXPORTS = {
    "customers": N_("the customers export"),
    "segments": N_("the segments export"),
    "calls": N_("the calls export"),
}


def _copy_kind(kind: str) -> str:
    return _(_COPY_KINDS[kind]) if kind in _COPY_KINDS else kind


def _described(item: WrittenFile) -> str:
    """'the customers export written 2026-11-23 09:37:45', 'the rejects file of orders.csv written …'."""
    when = item.written_at.replace("T", " ")
    if item.kind == "rejects":
        if item.what:
            return _("the rejects file of {file} written {when}").format(file=item.what, when=when)
        return _("the rejects file written {when}").format(when=when)
    if item.what in _EXPORTS:
        return _("{export} written {when}").format(export=_(_EXPORTS[item.what]), when=when)
    if item.what:
        return _("the {what} export written {when}").format(what=item.what, when=when)
    return _("the export written {when}").format(when=when)
