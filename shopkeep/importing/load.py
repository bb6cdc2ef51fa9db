"""Loading: grouped orders -> the store, one file per `BEGIN IMMEDIATE` transaction.

Streaming: orders are written in batches (multi-row INSERTs) inside the transaction, each batch on a second
thread while the next one is parsed; only the identity keys of customers (key -> id) and a bit mask of which
customer fields are known stay in memory.
By default a file is all-or-nothing: at the first bad row writing stops, the rest of the file is
still read to report every bad row, and the transaction is rolled back. With `skip_bad` the good
rows are imported and the bad ones are written to a rejects file with a `reason` column.
A dry run runs the same code and rolls back.
"""

from __future__ import annotations

import csv
import hashlib
import operator
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from shopkeep import collector
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _, ngettext
from shopkeep.importing.group import group_orders, normalise_name
from shopkeep.importing.model import BadValue, ParsedOrder
from shopkeep.importing.parse import (
    IDENTITY_FIELDS,
    NATIONAL_PHONE,
    ImportOptions,
    ParsePlan,
    ParseStats,
    parse_rows,
    plan_file,
)
from shopkeep.importing.readers import CsvLayout, not_the_database, read_records
from shopkeep.outputs import OutputError, Written, atomic_text
from shopkeep.privacy import ForgottenKeys
from shopkeep.shop import country_of_currency
from shopkeep.store import Store
from shopkeep.store import customers as customer_sql
from shopkeep.store import imports as import_sql
from shopkeep.store import orders as order_sql
from shopkeep.store.sales import PENDING_STATUSES

BATCH = 5000
OVERLAP = True  # each batch is written on a second thread while the next one is parsed (see _Writer)
BULK_ROWS = 50_000  # a file this large (and large beside the orders stored) builds the order indexes at the end
PROGRESS_EVERY = 10_000
KEPT_ERRORS = 200  # errors kept in ImportResult.errors; error_count has them all
RESOLVED_LIMIT = 150_000  # buyer-detail shortcuts kept before they are cleared (about 30 MB)

Progress = Callable[[int], None]
# A customer's known fields as a bit mask: bit i for customers.FILLABLE[i].
_BIT = {name: 1 << i for i, name in enumerate(customer_sql.FILLABLE)}
_CONTACT_BITS = _BIT["external_id"] | _BIT["email"] | _BIT["phone"]  # what identifies a buyer beyond a name
_PHONE_AT = customer_sql.FILLABLE.index("phone")
# The buyer details of a ParsedOrder, in customers.FILLABLE order (the order names the platform's id differently).
_buyer = operator.attrgetter(*({"external_id": "customer_ext_id"}.get(f, f) for f in customer_sql.FILLABLE))
# Identity keys as the key map holds them: 'kind<US>value'.
_EMAIL, _PHONE, _NAME = (f"{kind}{customer_sql.KEY_SEPARATOR}" for kind in ("email", "phone", "name"))


@dataclass
class ImportResult:
    """What one file did (or, for a dry run or a rejected file, would have done)."""

    file: str  # base name
    format: str = ""
    encoding: str = ""  # the text encoding the file was read in
    rows_read: int = 0
    orders_new: int = 0
    orders_known: int = 0
    orders_updated: int = 0
    customers_new: int = 0
    customers_matched: int = 0
    guest_orders: int = 0
    skipped: int = 0  # records the format says are not orders (e.g. callback forms)
    skipped_reasons: Counter = field(default_factory=Counter)  # reason -> records (blank lines left out)
    guests_phone_unread: int = 0  # guest orders whose phone could not be read
    pending_orders: int = 0  # placed, not paid yet (shopkeep.store.sales): no sale until paid
    national_phones: int = 0  # phones written without a country code, left empty
    notes: list[str] = field(default_factory=list)  # what the owner should know: one line each
    remembered: dict[str, str] = field(default_factory=dict)  # shop settings this import set
    rejected: int = 0  # bad rows left out with skip_bad
    errors: list[BadValue] = field(default_factory=list)  # the first KEPT_ERRORS
    error_count: int = 0
    warnings: list[BadValue] = field(default_factory=list)  # cells left empty (bad phone, email): the first few
    warning_count: int = 0
    dry_run: bool = False
    rejects_path: Path | None = None
    ok: bool = True  # False: bad rows and not skip_bad, nothing was written

    def counts(self) -> dict[str, int]:
        counts = {name: getattr(self, name) for name in import_sql.COUNTS}
        counts["skipped"] += self.rejected
        return counts


class _Rollback(Exception):
    """Leaves Store.write() without committing (dry runs, rejected files)."""


def file_digest(path: Path) -> tuple[str, int]:
    """The sha256 of the file's bytes and how many line breaks it has (at least its number of records)."""
    not_the_database(path)
    digest = hashlib.sha256()
    lines = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            lines += chunk.count(b"\n")
    return digest.hexdigest(), lines


def import_file(
    store: Store,
    path: str | Path,
    options: ImportOptions,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    rejects_path: str | Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one export file. Raises only ShopkeepError subclasses, for problems with the whole file.

    Bad rows do not raise: the result has ok=False and the errors (nothing written, unless skip_bad).
    """
    path = Path(path)
    if skip_bad and rejects_path is None:
        raise ShopkeepError(_("{file}: --skip-bad needs --rejects FILE for the rows left out").format(file=path.name))
    if skip_bad and not Path(rejects_path).parent.is_dir():
        raise ShopkeepError(
            _("{file}: the folder for the rejects file does not exist: {folder}").format(
                file=path.name, folder=Path(rejects_path).parent
            )
        )
    plan = plan_file(path, options, store, remember=not dry_run)
    file_hash, lines = file_digest(path)
    warnings: list[BadValue] = []
    warning_count = 0
    stats = ParseStats()

    def warn(warning: BadValue) -> None:
        nonlocal warning_count
        if warning.reason == NATIONAL_PHONE:
            return  # counted in stats, said once with the flag that reads them
        warning_count += 1
        if len(warnings) < KEPT_ERRORS:
            warnings.append(warning)

    result, rejected = load_parsed(
        store,
        parse_rows(path, plan, options, on_warning=warn, stats=stats),
        source=plan.source,
        grain=plan.grain,
        file_name=path.name,
        file_hash=file_hash,
        dry_run=dry_run,
        skip_bad=skip_bad,
        progress=progress,
        defer_indexes=lines >= BULK_ROWS and lines * 4 >= order_sql.count_estimate(store),
        settings=plan.settings,
    )
    result.warnings, result.warning_count = warnings, warning_count
    result.national_phones = stats.national_phones
    if result.ok:
        result.notes = _notes(result, plan, stats)
    result.encoding = plan.encoding
    if skip_bad and rejected and not dry_run:
        result.rejects_path = Path(rejects_path)
        try:
            write_rejects(path, plan, rejected, result.rejects_path, Written(store, "rejects", path.name))
        except OutputError as exc:
            raise ShopkeepError(
                f"{path.name}: the good rows were imported, but the rejects file could not be written: {exc}"
            ) from None
    return result


def load_parsed(
    store: Store,
    items: Iterable[object],
    *,
    source: str,
    grain: str,
    file_name: str,
    file_hash: str,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
    defer_indexes: bool = False,
    settings: dict[str, str] | None = None,
) -> tuple[ImportResult, dict[int, str]]:
    """Load a stream of parsed items (ParsedRow, list[BadValue], skipped records) of one file.

    `defer_indexes` (a large file) builds the plain indexes of orders once at the end, in the same transaction.
    `settings` (the shop's currency or phone country told for the first time) are saved with the file.
    Returns the result and, for skip_bad, the rejected lines (line -> reason).
    """
    result = ImportResult(file=file_name, format=source, dry_run=dry_run)
    rejected: dict[int, str] = {}
    try:
        with (
            _collector_paused(),
            import_sql.bulk_cache(store.conn),
            store.write() as conn,
            order_sql.indexes_deferred(conn) if defer_indexes else nullcontext(),
        ):
            # Read under the write lock: a `forget` committed while this import waited for it is seen.
            forgotten = ForgottenKeys(store)
            now = store.clock.now_iso()
            import_id = import_sql.start(conn, file_name, file_hash, source, now)
            loader = _Loader(store, source, grain, import_id, now, forgotten, result)
            try:
                add = loader.add
                for item in group_orders(_counted(items, result, progress), source, grain, whole_orders=skip_bad):
                    if type(item) is ParsedOrder:
                        if result.error_count == 0 or skip_bad:
                            add(item)
                    elif isinstance(item, list):
                        _record_errors(result, item, rejected if skip_bad else None)
                    else:
                        result.skipped += 1
                        result.skipped_reasons[getattr(item, "reason", "")] += 1
                if result.error_count and not skip_bad:
                    result.ok = False
                    raise _Rollback
                loader.finish()
            finally:
                loader.writer.stop()  # whichever way the file ends: the connection is this thread's again
            result.rejected = len(rejected)
            import_sql.finish(conn, import_id, result.counts(), store.clock.now_iso())
            if dry_run:
                raise _Rollback
            for key, value in (settings or {}).items():
                store.set_setting(key, value)
            result.remembered = dict(settings or {})
    except _Rollback:
        pass
    except sqlite3.IntegrityError as exc:
        raise ShopkeepError(
            _("{file}: the database refused an order ({reason}); nothing was imported").format(
                file=file_name, reason=exc
            )
        ) from None
    if progress is not None:
        progress(result.rows_read)
    return result, rejected


def _notes(result: ImportResult, plan: ParsePlan, stats: ParseStats) -> list[str]:
    """What the owner should know about this file beyond the counts, and the flag that fixes it."""
    notes = []
    if result.remembered:
        told = {"currency": _("currency {value}"), "country": _("phone country {value}")}
        said = _(" and ").join(told[key].format(value=value) for key, value in sorted(result.remembered.items()))
        notes.append(
            _("the shop's {said} remembered: used for the next files that do not say theirs").format(said=said)
        )
    country = _likely_country(plan, stats)
    if country:
        flag = _("pass --country {code} (the likeliest: {why})").format(code=country[0], why=country[1])
    else:
        flag = _("pass --country XX")
    if stats.national_phones:
        first = stats.first_national
        notes.append(
            ngettext(
                "{n} phone written without a country code was left empty (first: line {line}, column {column!r}):"
                " {flag} and import the file again",
                "{n} phones written without a country code were left empty (first: line {line}, column {column!r}):"
                " {flag} and import the file again",
                stats.national_phones,
            ).format(n=stats.national_phones, line=first.line, column=first.column, flag=flag)
        )
    orders = result.orders_new + result.orders_known + result.orders_updated
    if result.pending_orders:
        notes.append(
            ngettext(
                "{n} of {orders} orders is pending (placed, not paid yet):"
                " no revenue or points until a later export says paid",
                "{n} of {orders} orders are pending (placed, not paid yet):"
                " no revenue or points until a later export says paid",
                result.pending_orders,
            ).format(n=result.pending_orders, orders=orders)
        )
    if result.guest_orders >= 2 and result.guest_orders * 2 > orders:
        head = _("{n} of {orders} orders are guest orders (no customer)").format(n=result.guest_orders, orders=orders)
        if result.guests_phone_unread * 2 >= result.guest_orders:
            fix = _("the --country above") if stats.national_phones else flag
            notes.append(
                ngettext(
                    "{head}: {n} has a phone that could not be read; {fix} fixes it",
                    "{head}: {n} have a phone that could not be read; {fix} fixes it",
                    result.guests_phone_unread,
                ).format(head=head, n=result.guests_phone_unread, fix=fix)
            )
        elif not any(name in plan.fields for name in IDENTITY_FIELDS):
            notes.append(
                _(
                    "{head}: no column of the file names the buyer; name one with --map email=HEADER"
                    " (or phone=, name=, customer_id=)"
                ).format(head=head)
            )
        else:
            notes.append(_("{head}: their rows give no email, phone, name or customer id").format(head=head))
    return notes


def _likely_country(plan: ParsePlan, stats: ParseStats) -> tuple[str, str] | None:
    """The country the phones without +code are most likely from, and why: the file's country column,
    else the currency (GBP: GB). None when nothing says it (EUR is written in many countries)."""
    import phonenumbers

    for code, _count in stats.countries.most_common():
        if code in phonenumbers.SUPPORTED_REGIONS:
            return code, _('the "{column}" column').format(column=plan.fields.get("country", "country"))
    for currency, _count in stats.currencies.most_common():
        if (code := country_of_currency(currency)) is not None:
            return code, _("the currency {code}").format(code=currency)
    if (code := country_of_currency(plan.currency)) is not None:
        return code, _("the currency {code}").format(code=plan.currency)
    return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one file loads (it is switched back on after, if it was on).

    The rows and orders of a file make no reference cycles, so nothing waits to be collected; but the collector
    would keep walking the file's growing key maps and caches. Measured: about 6% less CPU at 1M rows.
    Only on the main thread (the CLI): an import in a TUI worker leaves the process's collector alone.
    """
    with collector.paused():
        yield


def _counted(items: Iterable[object], result: ImportResult, progress: Progress | None) -> Iterator[object]:
    for item in items:
        result.rows_read += 1
        if progress is not None and result.rows_read % PROGRESS_EVERY == 0:
            progress(result.rows_read)
        yield item


def _record_errors(result: ImportResult, errors: list[BadValue], rejected: dict[int, str] | None) -> None:
    for error in errors:
        result.error_count += 1
        if len(result.errors) < KEPT_ERRORS:
            result.errors.append(error)
        if rejected is not None:
            reason = f"{error.column}: {error.reason}"
            rejected[error.line] = f"{rejected[error.line]}; {reason}" if error.line in rejected else reason


_HASH_TEXT = "\x1f".join(["%s"] * 18)
_HASH_START = hashlib.blake2b(digest_size=16)


def content_hash(order: ParsedOrder, ordered_at: str) -> str:
    """A digest of everything the file says about the order (not where in the file it stands).

    The input is the text of these fields joined by US (None is "None"): the same text as ever, so orders
    imported before are still recognised.
    """
    o = order
    # "%s" of a str, an int or None is the text an f-string gives, a quarter faster (one C loop, no format spec).
    text = _HASH_TEXT % (
        o.order_number,
        ordered_at,
        o.currency,
        o.total,
        o.status,
        o.kind,
        o.discount,
        o.shipping,
        o.discount_code,
        o.city,
        o.country,
        o.referral_code,
        o.customer_ext_id,
        o.email,
        o.phone,
        o.name,
        o.first_name,
        o.last_name,
    )
    if o.refunded:  # only when there is one: orders imported before refunds were read keep their hash
        text += f"\x1frefunded={o.refunded}"
    if o.lines:
        text += repr([(n.line_no, n.sku, n.product, n.quantity, n.unit_price, n.line_total) for n in o.lines])
    digest = _HASH_START.copy()  # the same digest as blake2b(text, digest_size=16), without setting one up per order
    digest.update(text.encode())
    return digest.hexdigest()


def _mask(values: tuple) -> int:
    """Bit i set when values[i] (in customers.FILLABLE order) is known."""
    mask = 0
    for bit, value in zip(_BIT.values(), values, strict=True):
        if value is not None:
            mask |= bit
    return mask


# Where each column of a stored order comes from, by name (every one of orders.ORDER_COLUMNS): `o` is the
# ParsedOrder, `self` the _Loader. Compiled once into _Loader._row, which builds the row as a plain tuple in
# the store's column order: no order kept by hand, and no per-row cost of a named tuple (about 2 s at 1M rows).
_ORDER_ROW = {
    "id": "order_id",
    "source": "self.source",
    "order_key": "o.order_key",
    "order_number": "o.order_number",
    "customer_id": "customer_id",
    "ordered_at": "ordered_at",
    "status": "o.status",
    "kind": "o.kind",
    "currency": "o.currency",
    "total": "o.total",
    "refunded": "o.refunded",
    "discount": "o.discount",
    "shipping": "o.shipping",
    "discount_code": "o.discount_code",
    "city": "o.city",
    "country": "o.country",
    "referral_code": "o.referral_code",
    "import_id": "self.import_id",
    "content_hash": "digest",
    "created_at": "self.now",
    "updated_at": "self.now",
}


def _row_builder(sources: dict[str, str]) -> Callable[..., tuple]:
    """(loader, order, order_id, customer_id, ordered_at, digest) -> the order's row in ORDER_COLUMNS order."""
    if set(sources) != set(order_sql.ORDER_COLUMNS):
        raise RuntimeError(
            f"the loader does not fill exactly the order columns: {set(sources) ^ set(order_sql.ORDER_COLUMNS)}"
        )
    values = ", ".join(sources[column] for column in order_sql.ORDER_COLUMNS)
    namespace: dict[str, Callable[..., tuple]] = {}
    exec(f"def _row(self, o, order_id, customer_id, ordered_at, digest):\n    return ({values},)", {}, namespace)
    return namespace["_row"]


class _Writer:
    """Writes one batch on a second thread while this one reads and parses the next batch.

    SQLite lets go of Python's lock while it works, so its inserts and Python's parsing run side by side (on
    two cores about a third less wall time at 1M orders). The connection is used by one thread at a time:
    every other use of it first waits for the batch (`wait`), and an error the batch met is raised there.
    """

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, work: Callable[..., None], *args: object) -> None:
        self.wait()

        def run() -> None:
            try:
                work(*args)
            except BaseException as exc:  # handed to the main thread by wait()
                self._error = exc

        self._thread = threading.Thread(target=run, name="shopkeep-import-writer", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Until the batch being written is in; raises the error it met, if any."""
        self._join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def stop(self) -> None:
        """Until the batch being written is done, its error (if any) dropped: the caller is already leaving
        with an error of its own, or has waited before."""
        self._join()
        self._error = None

    def _join(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        interrupted: BaseException | None = None
        while thread.is_alive():  # a Ctrl+C here waits for the batch (milliseconds) before it ends the import
            try:
                thread.join()
            except BaseException as exc:
                interrupted = exc
        if interrupted is not None:
            raise interrupted


class _Loader:
    """Writes orders and customers of one file inside the open transaction."""

    def __init__(
        self,
        store: Store,
        source: str,
        grain: str,
        import_id: int,
        now: str,
        forgotten: ForgottenKeys,
        result: ImportResult,
    ):
        self.conn = store.conn
        self.source = source
        self.ext_prefix = f"ext:{source}{customer_sql.KEY_SEPARATOR}"
        self.import_id = import_id
        self.now = now
        self.forgotten = forgotten
        self.result = result
        self.keys = customer_sql.key_map(store)
        self.masks = customer_sql.filled_masks(store)
        self.wrong_phones = customer_sql.wrong_phones(store)
        self.next_customer = customer_sql.next_id(store)
        self.first_new_customer = self.next_customer
        self.matched: set[int] = set()
        # Buyer details (customers.FILLABLE order) already resolved in this file -> customer id: a shortcut.
        self.resolved: dict[tuple, int] = {}
        self.next_order = order_sql.next_id(store)
        self.first_new_order = self.next_order
        # Stored orders whose rows in this file are not adjacent: key -> [hash before, counted as].
        self.reclassify: dict[str, list[str]] = {}
        # Line-item files: order keys already written from this file, to merge non-adjacent rows.
        self.seen: set[str] | None = set() if grain == "line" else None
        self.batch: list[ParsedOrder] = []
        self.new_customers: list[tuple] = []
        self.new_keys: list[tuple[str, str, int]] = []
        self.new_orders: list[tuple] = []
        self.new_lines: list[tuple] = []
        self.writer = _Writer()

    def add(self, order: ParsedOrder) -> None:
        self.batch.append(order)
        if len(self.batch) >= BATCH:
            self._flush()

    def finish(self) -> None:
        self._flush()
        self._write_pending()
        self.result.customers_matched = len(self.matched)

    # -- one batch -----------------------------------------------------------------------------

    def _flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        # What needs no stored order (the date's text, the digest, the buyer) is worked out while the previous
        # batch is still being written; a buyer that must change a stored customer waits for it (_customer).
        prepared = []
        for order in batch:
            ordered_at = order.ordered_at.isoformat("T", "seconds")  # positional: a third faster than by keyword
            prepared.append((order, ordered_at, content_hash(order, ordered_at), self._customer(order)))
        self.writer.wait()  # the previous batch is in: its orders are found
        found = order_sql.existing(self.conn, self.source, list(dict.fromkeys(o.order_key for o in batch)))
        one = self._one
        for order, ordered_at, digest, customer_id in prepared:
            one(order, found, ordered_at, digest, customer_id)
        if OVERLAP:
            self.writer.start(self._insert, *self._take())  # written while the next batch is read
        else:
            self._write_pending()

    def _write_pending(self) -> None:
        """Write what waits, now: a query or an update of it follows."""
        self.writer.wait()
        self._insert(*self._take())

    def _take(self) -> tuple[list[tuple], list[tuple[str, str, int]], list[tuple], list[tuple]]:
        taken = (self.new_customers, self.new_keys, self.new_orders, self.new_lines)
        self.new_customers, self.new_keys, self.new_orders, self.new_lines = [], [], [], []
        return taken

    def _insert(
        self, customers: list[tuple], keys: list[tuple[str, str, int]], orders: list[tuple], lines: list[tuple]
    ) -> None:
        if customers:
            customer_sql.insert_customers(self.conn, customers)
        if keys:
            customer_sql.insert_keys(self.conn, keys)
        if orders:
            order_sql.insert_orders(self.conn, orders)
        if lines:
            order_sql.insert_lines(self.conn, lines)

    def _one(
        self,
        order: ParsedOrder,
        found: dict[str, tuple[int, str]],
        ordered_at: str,
        digest: str,
        customer_id: int | None,
    ) -> None:
        """One order, with its ISO date, its content hash and its customer (None: a guest) worked out before."""
        result = self.result
        if order.status in PENDING_STATUSES and order.kind == "order":
            result.pending_orders += 1
        if customer_id is None:
            result.guest_orders += 1
            if order.phone_unread:
                result.guests_phone_unread += 1
        key = order.order_key
        if self.seen is not None:
            if key in self.seen:
                self._merge(order, found[key][0], digest)
                return
            self.seen.add(key)
        prior = found.get(key)
        if prior is None:
            order_id = self.next_order
            self.next_order += 1
            self.new_orders.append(self._row(order, order_id, customer_id, ordered_at, digest))
            if order.lines:
                self._lines(order, order_id, 0)
            result.orders_new += 1
        elif prior[1] == digest:
            result.orders_known += 1
            return
        else:
            order_id = prior[0]
            self._write_pending()  # the prior version may still be waiting in this batch
            row = self._row(order, order_id, customer_id, ordered_at, digest)
            order_sql.replace_order(self.conn, order_id, row)
            self._lines(order, order_id, 0)
            result.orders_updated += 1
            if self.seen is not None:
                self.reclassify[key] = [prior[1], "orders_updated"]
        found[key] = (order_id, digest)

    _row = _row_builder(_ORDER_ROW)

    def _lines(self, order: ParsedOrder, order_id: int, offset: int) -> None:
        for line in order.lines:
            self.new_lines.append(
                (
                    order_id,
                    line.line_no + offset,
                    line.sku,
                    line.product,
                    line.quantity,
                    line.unit_price,
                    line.line_total,
                )
            )

    def _merge(self, order: ParsedOrder, order_id: int, digest: str) -> None:
        """More rows of an order written earlier from this file (its rows were not adjacent)."""
        self._write_pending()
        stored_total, stored_line_sum, last_line = order_sql.totals_for_merge(self.conn, order_id)
        stored_hash = order_sql.existing(self.conn, self.source, [order.order_key])[order.order_key][1]
        fragment_derived = bool(order.lines) and order.total == sum(line.line_total for line in order.lines)
        if stored_total == stored_line_sum:  # the stored total came from its lines
            total = stored_total + order.total if fragment_derived else order.total
        else:  # the stored order had its own total: it is taken once
            total = stored_total
        self._lines(order, order_id, last_line)
        self._write_pending()
        merged_hash = hashlib.blake2b(f"{stored_hash}+{digest}".encode(), digest_size=16).hexdigest()
        kind = "credit" if total < 0 else "order"
        order_sql.set_merged(self.conn, order_id, total, kind, merged_hash, self.now)
        if order_id >= self.first_new_order:
            return  # counted once as new
        # An order stored before this file: known or updated depends on the whole merged order.
        entry = self.reclassify.setdefault(order.order_key, [stored_hash, "orders_known"])
        outcome = "orders_known" if merged_hash == entry[0] else "orders_updated"
        if outcome != entry[1]:
            setattr(self.result, entry[1], getattr(self.result, entry[1]) - 1)
            setattr(self.result, outcome, getattr(self.result, outcome) + 1)
            entry[1] = outcome

    # -- customers -----------------------------------------------------------------------------

    def _known_only_by_name(self, order: ParsedOrder) -> int | None:
        """The customer known by this name alone (no platform id, email or phone), when the order brings the
        first contact for it: the same buyer, imported before without a readable phone (e.g. before --country)."""
        name = normalise_name(order.name)
        customer_id = self.keys.get(_NAME + name) if name else None
        if customer_id is None or self.masks.get(customer_id, 0) & _CONTACT_BITS:
            return None
        return customer_id

    def _customer(self, order: ParsedOrder) -> int | None:
        """The customer this order belongs to (created if new), or None for a guest order."""
        values = _buyer(order)  # in customers.FILLABLE order
        customer_id = self.resolved.get(values)
        if customer_id is not None:  # the same buyer details as an earlier order: nothing new to learn
            if customer_id < self.first_new_customer:
                self.matched.add(customer_id)
            return customer_id
        keys: list[str] = []  # 'kind<US>value', the most specific first
        if order.customer_ext_id:
            keys.append(self.ext_prefix + order.customer_ext_id)
        if order.email:
            keys.append(_EMAIL + order.email)
        if order.phone:
            keys.append(_PHONE + order.phone)
        if not keys:
            name = normalise_name(order.name)
            if name is None:
                return None
            keys.append(_NAME + name)
        key_map = self.keys
        customer_id = None
        for key in keys:
            customer_id = key_map.get(key)
            if customer_id is not None:
                break
        else:
            # An erased person: an order of theirs stored before (no hashing), else one of their identities.
            customer_id = self.forgotten.customer_of_order(self.source, order.order_key)
            for key in keys if customer_id is None else ():
                kind, _, value = key.partition(customer_sql.KEY_SEPARATOR)
                customer_id = self.forgotten.customer_for(kind, value)
                if customer_id is not None:
                    break
            if customer_id is not None:  # attach anonymously, learn nothing
                self.matched.add(customer_id)
                return customer_id
            customer_id = self._known_only_by_name(order)
        if customer_id is None:
            customer_id = self.next_customer
            self.next_customer += 1
            self.new_customers.append((customer_id, *values, self.now, self.now))
            self.masks[customer_id] = _mask(values)
            self.result.customers_new += 1
        else:
            if customer_id < self.first_new_customer:
                self.matched.add(customer_id)
            known = self.masks.get(customer_id, 0)
            fill = values
            if order.phone is not None and order.phone in self.wrong_phones.get(customer_id, ()):
                fill = (*values[:_PHONE_AT], None, *values[_PHONE_AT + 1 :])  # found wrong by the owner: not again
            if known != customer_sql.ALL_FILLED and (mask := _mask(fill)) & ~known:
                self._write_pending()  # the customer may still be waiting in this batch
                customer_sql.fill_missing(self.conn, customer_id, fill, self.now)
                self.masks[customer_id] = known | mask
        for key in keys:
            if key not in key_map:
                key_map[key] = customer_id
                kind, _, value = key.partition(customer_sql.KEY_SEPARATOR)
                self.new_keys.append((kind, value, customer_id))
        if len(self.resolved) >= RESOLVED_LIMIT:
            self.resolved.clear()
        self.resolved[values] = customer_id
        return customer_id


def write_rejects(
    source: Path, plan: ParsePlan, rejected: dict[int, str], target: Path, record: Written | None = None
) -> None:
    """The rejected records with their original columns plus `reason`, owner-only (0600), written whole
    or not at all (shopkeep.outputs), and listed in the database's written files with `record`."""
    with atomic_text(target, record=record) as out:
        writer = csv.writer(out)
        writer.writerow([*plan.headers, "reason"])
        for line, cells in read_records(source, CsvLayout(plan.headers, plan.encoding, plan.delimiter)):
            if line in rejected:
                writer.writerow([*cells, rejected[line]])
