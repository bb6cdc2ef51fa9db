"""Referrals: every customer's own readable code, who brought whom, rewards, leaderboard and chains.

A code looks like `7K2Q-M9XD`: two groups of four characters from an alphabet without look-alikes
(no 0/O, 1/I), drawn at random. A code carries nothing of the person (an earlier version began with the
first name: those codes stay until their owner is forgotten, when the code is replaced). The demo shop
(a referral salt `demo-<seed>`) derives its codes from the salt and the customer id instead, so that the
demo is the same on every build. A friend is linked to the one who sent them from
the code on their first order, or by hand ("who sent you?" at the counter needs no code). Links
that look like one person on both sides are flagged and never rewarded; the reward (points for
both) is given once, when the friend's first order is paid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from shopkeep.clock import day_after
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _
from shopkeep.loyalty import load_rules, shop_currency
from shopkeep.store import Store
from shopkeep.store import customers as customers_sql
from shopkeep.store import loyalty as loyalty_sql
from shopkeep.store import referrals as sql
from shopkeep.store.customers import ContactRow

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 characters: no 0/O or 1/I to misread
CODE_CHARS = 8  # 40 bits: guessing another customer's code is hopeless
DEMO_SALT_PREFIX = "demo-"
PREFIX_MAX = 8
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{1,22}[A-Z0-9]")
ADVOCATE_MIN_REFERRALS = 2
MAX_CHAIN_DEPTH = 50

_TO_LATIN = str.maketrans(
    "абвгдеёзийклмнопрстуфыэіґ",
    "abvgdeeziyklmnoprstufyeig",
) | str.maketrans(
    {
        "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
        "ю": "yu", "я": "ya", "ї": "yi", "є": "ye", "ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d",
    }
)  # fmt: skip


class ReferralError(ShopkeepError):
    """A referral that cannot be recorded as asked."""


# -- codes -----------------------------------------------------------------------------------


def to_ascii(text: str) -> str:
    """Latin letters for a name in Cyrillic or with diacritics: 'Анна' -> 'anna', 'Łucja' -> 'lucja'."""
    latin = text.lower().translate(_TO_LATIN)
    return unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()


def code_prefix(name: str | None) -> str:
    """The first name in ASCII capitals: the style of codes before they were random (the demo's fictional
    referrers still have theirs). Never used for a new code: a code must not name anyone."""
    words = (name or "").split()
    letters = "".join(c for c in to_ascii(words[0]) if "a" <= c <= "z") if words else ""
    return (letters or "friend")[:PREFIX_MAX].upper()


def make_code(customer_id: int, salt: str, attempt: int = 0) -> str:
    """A new code: random; in the demo shop (`demo-` salt) derived from the salt, the id and the attempt."""
    if salt.startswith(DEMO_SALT_PREFIX):
        material = hmac.new(salt.encode(), f"{customer_id}:{attempt}".encode(), hashlib.sha256).digest()[:CODE_CHARS]
    else:
        material = secrets.token_bytes(CODE_CHARS)
    return _spell(material)


# Byte -> its character: 256 is a multiple of the alphabet's 32, so every character is equally likely.
_BYTE_TO_CHAR = bytes(ord(CODE_ALPHABET[b % len(CODE_ALPHABET)]) for b in range(256))


def _spell(material: bytes) -> str:
    """CODE_CHARS bytes as a code: `7K2Q-M9XD`."""
    chars = material.translate(_BYTE_TO_CHAR).decode("ascii")
    return f"{chars[:4]}-{chars[4:]}"


def make_codes(customer_ids: list[int], salt: str) -> list[str]:
    """A first code for each customer (as `make_code` with attempt 0), the random ones from one read of the
    system's random source for all of them."""
    if salt.startswith(DEMO_SALT_PREFIX):
        return [make_code(cid, salt) for cid in customer_ids]
    material = secrets.token_bytes(CODE_CHARS * len(customer_ids))
    return [_spell(material[n : n + CODE_CHARS]) for n in range(0, len(material), CODE_CHARS)]


def new_code(taken: Callable[[str], bool], customer_id: int, salt: str, first: str | None = None) -> str:
    """A code nobody has (`taken` says which are), for this customer; `first` is its first attempt when
    already drawn (make_codes)."""
    attempt = 0
    code = make_code(customer_id, salt) if first is None else first
    while taken(code):
        attempt += 1
        code = make_code(customer_id, salt, attempt)
    return code


def shop_salt(store: Store) -> str:
    salt = store.get_setting(sql.SALT_KEY)
    if not salt:
        salt = secrets.token_hex(8)
        store.set_setting(sql.SALT_KEY, salt)
    return str(salt)


def ensure_codes(store: Store) -> int:
    """Give every customer without a referral code their code; returns how many got one.

    In bulk: every first attempt is drawn at once, the database says in one query which of them some
    customer already has, and all are written by one statement. A code taken (by the database or by an
    earlier customer of this batch: rare) is drawn again for that customer alone, as `new_code` does."""
    with store.write() as conn:
        salt = shop_salt(store)
        missing = sql.ids_without_code(store)
        if not missing:
            return 0
        firsts = make_codes(missing, salt)
        drawn = set(firsts)
        stored = sql.codes_in_use(store, drawn)
        given: set[str] = set()

        def taken(code: str) -> bool:
            if code in given:
                return True
            if code in drawn:
                return code in stored
            return sql.customer_with_code(store, code) is not None

        codes = []
        for cid, first in zip(missing, firsts, strict=True):
            code = first if first not in stored and first not in given else new_code(taken, cid, salt, first)
            given.add(code)
            codes.append(code)
        sql.set_codes(conn, missing, codes)
    return len(missing)


def assign_code(store: Store, customer_id: int, code: str) -> str:
    """Give a customer a code of the shop's own choosing (e.g. one already printed on cards or used
    in the shop platform), instead of the generated one. Returns the code as stored (capitals)."""
    code = code.strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        raise ReferralError(_("a referral code is 3 to 24 letters, digits or dashes"))
    with store.write() as conn:
        if not customers_sql.customer_exists(store, customer_id):
            raise ReferralError(_("no customer #{id}").format(id=customer_id))
        owner = sql.customer_with_code(store, code)
        if owner is not None and owner != customer_id:
            raise ReferralError(_("that code already belongs to customer #{id}").format(id=owner))
        sql.set_code(conn, customer_id, code)
    return code


# -- linking ---------------------------------------------------------------------------------


def _same_name(a: str | None, b: str | None) -> bool:
    """Equal ignoring case and spacing (both present)."""
    return bool(a and b and " ".join(a.casefold().split()) == " ".join(b.casefold().split()))


# Why a link is flagged, as people read it (the stored flag is the key).
FLAG_LABELS = {
    "same_phone": N_("same phone"),
    "same_email": N_("same email"),
    "same_address": N_("same name and city"),
}


def flag_label(flag: str | None) -> str:
    """'same phone' for 'same_phone', in the language in use; '' for no flag."""
    if not flag:
        return ""
    return _(FLAG_LABELS[flag]) if flag in FLAG_LABELS else flag.replace("_", " ")


def fraud_flag(referrer: ContactRow, referred: ContactRow) -> str | None:
    """Why a link looks like one person on both sides (not rewarded), or None."""
    if referrer.phone and referrer.phone == referred.phone:
        return "same_phone"
    if referrer.email and referrer.email == referred.email:
        return "same_email"
    same_city = referrer.city and (referrer.city.casefold().strip() == (referred.city or "").casefold().strip())
    if same_city and _same_name(referrer.name, referred.name):
        return "same_address"
    return None


@dataclass(frozen=True)
class Referral:
    id: int
    referrer_id: int
    referred_id: int
    source: str
    code: str | None
    created_at: str
    flag: str | None
    rewarded_at: str | None


def _insert(store: Store, conn: Any, referrer_id: int, referred_id: int, source: str, code: str | None, at: str) -> int:
    people = customers_sql.contacts(store, [referrer_id, referred_id], forgotten=True)
    flag = fraud_flag(people[referrer_id], people[referred_id])
    return sql.insert_referral(
        conn, referrer_id=referrer_id, referred_id=referred_id, source=source, code=code, created_at=at, flag=flag
    )


def link_referral(store: Store, referred_id: int, referrer_id: int, source: str = "manual") -> Referral:
    """Record that `referrer_id` sent `referred_id` ("who sent you?"). Refused for oneself, for a
    customer who already has a referrer, and for a loop; flagged (not rewarded) when it looks like fraud."""
    if referred_id == referrer_id:
        raise ReferralError(_("customer #{id} cannot refer themselves").format(id=referred_id))
    with store.write() as conn:
        for cid in (referred_id, referrer_id):
            if not customers_sql.customer_exists(store, cid):
                raise ReferralError(_("no customer #{id}").format(id=cid))
        existing = sql.referrer_of(store, referred_id)
        if existing is not None:
            raise ReferralError(
                _("customer #{id} was already referred by #{sender}").format(id=referred_id, sender=existing)
            )
        if referrer_id in {r["id"] for r in sql.downline(store, referred_id, MAX_CHAIN_DEPTH)}:
            raise ReferralError(
                _("customer #{id} was brought by #{other}: that would be a loop").format(
                    id=referrer_id, other=referred_id
                )
            )
        referral_id = _insert(store, conn, referrer_id, referred_id, source, None, store.clock.now_iso())
    row = sql.referral(store, referral_id)
    assert row is not None
    return Referral(**row)


@dataclass
class LinkResult:
    linked: int = 0
    flagged: int = 0
    own_code: int = 0  # customers who used their own code: never linked
    unknown_code: int = 0


def link_from_orders(store: Store) -> LinkResult:
    """Link every customer without a referrer whose first order carries another customer's code."""
    result = LinkResult()
    with store.write() as conn:
        for row in sql.unlinked_first_orders_with_code(store):
            referrer = sql.customer_with_code(store, row["code"])
            if referrer is None:
                result.unknown_code += 1
            elif referrer == row["customer_id"]:
                result.own_code += 1
            else:
                referral_id = _insert(
                    store, conn, referrer, row["customer_id"], "import", row["code"], row["ordered_at"]
                )
                result.linked += 1
                result.flagged += sql.referral(store, referral_id)["flag"] is not None  # type: ignore[index]
    return result


def reward_referrals(store: Store, as_of: dt.date) -> int:
    """Give both sides their points for every unflagged referral whose friend has paid an order up to
    `as_of`, once (dated with that order). Returns how many referrals were rewarded."""
    rules = load_rules(store)
    end = day_after(as_of)
    with store.write() as conn:
        due = sql.due_rewards(store, end)
        for row in due:
            for side, cid, points in (
                ("referrer", row["referrer_id"], rules.referrer_points),
                ("referred", row["referred_id"], rules.referred_points),
            ):
                if points > 0:
                    loyalty_sql.insert_entry(
                        conn,
                        customer_id=cid,
                        delta=points,
                        reason="referral",
                        created_at=row["paid_at"],
                        reference=f"referral:{row['id']}",
                        key=f"referral:{row['id']}:{side}",
                    )
            sql.mark_rewarded(conn, row["id"], row["paid_at"])
    return len(due)


@dataclass
class ReferralSync:
    codes_created: int
    links: LinkResult
    rewarded: int


def sync_referrals(store: Store, as_of: dt.date) -> ReferralSync:
    """After an import: codes for new customers, links from the codes used, rewards now due."""
    codes = ensure_codes(store)
    links = link_from_orders(store)
    return ReferralSync(codes, links, reward_referrals(store, as_of))


# -- leaderboard, chains, advocates -----------------------------------------------------------


@dataclass(frozen=True)
class LeaderRow:
    customer_id: int
    name: str | None
    referred: int  # friends brought in the period (unflagged)
    revenue: int  # their net revenue in the period, minor units of `currency`
    currency: str


def leaderboard(
    store: Store, as_of: dt.date, period: Literal["month", "ever"] = "month", limit: int = 20
) -> list[LeaderRow]:
    """Who brought the most customers (then revenue): in the month of `as_of` up to it, or ever."""
    if period not in ("month", "ever"):
        raise ReferralError(_("period must be 'month' or 'ever', not {period!r}").format(period=period))
    currency = shop_currency(store)
    start = as_of.replace(day=1).isoformat() if period == "month" else "0000-01-01"
    end = day_after(as_of)
    return [
        LeaderRow(r["customer_id"], r["name"], r["referred"], r["revenue"], currency)
        for r in sql.leaderboard_rows(store, start, end, currency, limit)
    ]


@dataclass
class ChainNode:
    customer_id: int
    flag: str | None = None
    children: list[ChainNode] = field(default_factory=list)


@dataclass
class Chain:
    customer_id: int
    up: list[int]  # who sent them, who sent that one, ... nearest first
    down: list[ChainNode]  # the tree of everyone they brought


def chain(store: Store, customer_id: int) -> Chain:
    up: list[int] = []
    current = sql.referrer_of(store, customer_id)
    while current is not None and current not in up and current != customer_id and len(up) < MAX_CHAIN_DEPTH:
        up.append(current)
        current = sql.referrer_of(store, current)
    nodes: dict[int, ChainNode] = {}
    roots: list[ChainNode] = []
    for row in sql.downline(store, customer_id, MAX_CHAIN_DEPTH):
        if row["id"] in nodes:
            continue
        node = nodes[row["id"]] = ChainNode(row["id"], row["flag"])
        (roots if row["parent"] == customer_id else nodes[row["parent"]].children).append(node)
    return Chain(customer_id, up, roots)


def names(store: Store, ids: list[int]) -> dict[int, str | None]:
    """Customer id -> name (None once forgotten), for the chain's labels."""
    return {cid: row.name for cid, row in customers_sql.contacts(store, ids, forgotten=True).items()} if ids else {}


def advocates(store: Store) -> set[int]:
    """Brand advocates: customers who brought at least two (unflagged) customers."""
    return sql.advocate_ids(store, ADVOCATE_MIN_REFERRALS)
