"""From a file to typed rows: decide the plan once, then stream the rows.

    plan = plan_file(path, options, store)      # headers, preset, mapping, date order
    for item in parse_rows(path, plan, options):
        ParsedRow       -> a record with typed values
        list[BadValue]  -> a record that cannot be imported, with every reason
        Skipped         -> not an order (a blank line, a Tilda callback form)

Nothing here holds more than one record at a time, except bounded caches of repeated values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shopkeep.errors import ShopkeepError
from shopkeep.importing.model import CANONICAL_FIELDS, BadRow, BadValue, ParsedRow
from shopkeep.importing.presets import (
    FORMATS,
    Preset,
    UnknownLayoutError,
    detect_preset,
    find_header,
    grain_for,
    map_headers,
    preset_named,
)
from shopkeep.importing.readers import CsvLayout, ImportFileError, read_layout, read_records
from shopkeep.importing.values import (
    DMY,
    MDY,
    YMD,
    BadCell,
    DateFormatError,
    Failed,
    Memo,
    check_country,
    classify_date,
    clean_text,
    currency_digits,
    normalise_email,
    parse_currency,
    parse_datetime,
    parse_money,
    parse_quantity,
    parse_status,
    phone_e164,
    resolve_date_format,
)
from shopkeep.store import Store
from shopkeep.store.mappings import load_mapping, save_mapping

__all__ = [
    "DateFormatError",
    "ImportFileError",
    "ImportOptions",
    "ParsePlan",
    "Skipped",
    "UnknownLayoutError",
    "parse_rows",
    "plan_file",
]

MONEY_FIELDS = ("total", "unit_price", "line_total", "discount", "shipping", "refunded")
UNSIGNED_MONEY = frozenset({"discount", "refunded"})  # written with or without a minus: the amount counts
TEXT_FIELDS = (
    "order_id",
    "customer_id",
    "name",
    "first_name",
    "last_name",
    "sku",
    "product",
    "discount_code",
    "city",
    "country",
    "referral_code",
)
MAX_VALUE_CHARS = 100  # of a bad cell kept for the report
PEOPLE_CACHE = 250_000  # phones and emails repeat per customer: room for a large shop's customers (~50 MB)


@dataclass
class ImportOptions:
    """What the owner chose on the command line."""

    format: str = "auto"
    overrides: dict[str, str] = field(default_factory=dict)  # canonical field -> header ('' unmaps)
    date_format: str | None = None
    currency: str | None = None
    country: str | None = None


@dataclass
class ParsePlan:
    """Everything decided before the rows are parsed."""

    source: str  # preset name
    grain: str  # 'order' | 'line'
    fields: dict[str, str]  # canonical -> header
    date_format: str  # 'YMD' | 'DMY' | 'MDY' or a strptime pattern, decided from the whole column
    headers: list[str]
    encoding: str
    delimiter: str
    fallbacks: dict[str, list[str]] = field(default_factory=dict)  # headers read when the field's cell is empty
    time_column: str | None = None  # joined to the date (Square)
    row_filter: tuple[str, str] | None = None  # (header, value) of rows that are orders (Tilda formname=Cart)


@dataclass(frozen=True)
class Skipped:
    """A record that is not an order; not an error."""

    line: int
    reason: str


# -- the plan -------------------------------------------------------------------------------------


def plan_file(path: Path, options: ImportOptions, store: Store | None = None, *, remember: bool = True) -> ParsePlan:
    """Read the headers, pick the preset and mapping, and decide the date order from the whole column.

    With a store, a mapping saved for the same headers is used, and one given now (--map or
    --date-format) is saved unless `remember` is False (a dry run).
    Raises ImportFileError, UnknownLayoutError or DateFormatError with one clear line.
    """
    path = Path(path)
    if options.format not in FORMATS:
        raise UnknownLayoutError(f"unknown format {options.format!r}; choose one of {', '.join(FORMATS)}")
    if options.currency:
        _option_currency(options.currency)
    if options.country:
        check_country(options.country)
    layout = read_layout(path)
    headers = layout.headers
    saved = load_mapping(store, headers) if store is not None else None

    if options.format != "auto":
        preset = preset_named(options.format)
    elif saved and saved["format"]:
        preset = preset_named(saved["format"])
    else:
        preset = detect_preset(headers)
    mapping = map_headers(preset, headers)
    if saved:
        for canonical, saved_header in saved["mapping"].items():
            header = find_header(headers, saved_header)
            if header is not None and canonical in CANONICAL_FIELDS:
                mapping[canonical] = header
    _apply_overrides(mapping, options.overrides, headers)
    grain = grain_for(preset, mapping)
    _check_layout(path, headers, mapping, grain)
    if "currency" not in mapping and not options.currency:
        raise UnknownLayoutError(f"{path.name} has no currency column: pass --currency EUR (or your currency)")

    chosen_date_format = resolve_date_format(options.date_format) if options.date_format else None
    remembered = chosen_date_format or (saved or {}).get("date_format")
    date_format = remembered or _decide_date_order(path, layout, mapping["ordered_at"], preset.date_format)
    if store is not None and remember and (options.overrides or chosen_date_format):
        save_mapping(store, headers, mapping, preset.name, remembered)

    fallbacks = {
        canonical: [h for name in names if (h := find_header(headers, name)) and h != mapping.get(canonical)]
        for canonical, names in preset.fallbacks.items()
        if canonical in mapping
    }
    return ParsePlan(
        source=preset.name,
        grain=grain,
        fields=mapping,
        date_format=date_format,
        headers=headers,
        encoding=layout.encoding,
        delimiter=layout.delimiter,
        fallbacks={k: v for k, v in fallbacks.items() if v},
        time_column=find_header(headers, preset.time_column) if preset.time_column else None,
        row_filter=_row_filter(preset, headers),
    )


def _option_currency(text: str) -> str:
    try:
        return parse_currency(text)
    except BadCell:
        raise ShopkeepError(f"--currency {text!r} is not a currency code: use a 3-letter code like EUR") from None


def _row_filter(preset: Preset, headers: list[str]) -> tuple[str, str] | None:
    if preset.row_filter is None:
        return None
    header = find_header(headers, preset.row_filter[0])
    return (header, preset.row_filter[1]) if header else None


def _apply_overrides(mapping: dict[str, str], overrides: dict[str, str], headers: list[str]) -> None:
    for canonical, wanted in overrides.items():
        if canonical not in CANONICAL_FIELDS:
            raise UnknownLayoutError(f"--map {canonical}=...: unknown field; fields are {', '.join(CANONICAL_FIELDS)}")
        if not wanted.strip():
            mapping.pop(canonical, None)
            continue
        header = wanted if wanted in headers else find_header(headers, wanted)
        if header is None:
            raise UnknownLayoutError(f"--map {canonical}={wanted!r}: no such column; columns are {_list(headers)}")
        mapping[canonical] = header


def _list(headers: list[str], limit: int = 40) -> str:
    """Headers for a message. A file without a header row has data there: never echo what looks personal."""
    shown = ", ".join(f'"{_safe_header(h, n)}"' for n, h in enumerate(headers[:limit], 1))
    return shown + (f" and {len(headers) - limit} more" if len(headers) > limit else "")


def _safe_header(header: str, number: int) -> str:
    """The header as it may be shown: by its number when it looks personal, is long or is not printable
    (a line break inside it would break the one-line message)."""
    if "@" in header or sum(ch.isdigit() for ch in header) >= 6 or len(header) > 60 or not header.isprintable():
        return f"column {number}"
    return header


# Words that hint which unmapped column an example `--map` should name.
_HINTS = {
    "ordered_at": ("date", "time", "when", "дата", "data", "czas"),
    "order_id": ("order", "invoice", "number", "заказ", "номер", "zamów", "numer"),
    "total": ("total", "sum", "amount", "price", "сумм", "цена", "итог", "kwot", "cena", "suma", "razem"),
}


def _check_layout(path: Path, headers: list[str], mapping: dict[str, str], grain: str) -> None:
    missing = []
    if "ordered_at" not in mapping:
        missing.append(("ordered_at", "the order date"))
    if "order_id" not in mapping and grain == "line":
        missing.append(("order_id", "the order id (needed to group the lines of one order)"))
    if not any(f in mapping for f in ("total", "line_total", "unit_price")):
        missing.append(("total", "the order total"))
    if not missing:
        return
    example_field, _ = missing[0]
    unmapped = [h for h in headers if h not in mapping.values() and _safe_header(h, 0) == h]
    hinted = [h for h in unmapped if any(word in h.casefold() for word in _HINTS[example_field])]
    example = (hinted or unmapped or ["Column name"])[0]
    raise UnknownLayoutError(
        f"cannot tell which column of {path.name} holds {' and '.join(what for _, what in missing)}. "
        f"Columns found: {_list(headers)}. Name them with --map FIELD=HEADER, "
        f'e.g. --map {example_field}="{example}"'
    )


def _decide_date_order(path: Path, layout: CsvLayout, header: str, platform_order: str | None) -> str:
    """YMD, DMY or MDY from the whole column: the first value that settles it decides.

    When no value settles it, the platform's known order (Etsy: month first) is used, else the owner is asked.
    """
    index = layout.headers.index(header)
    seen_either = None
    for line, cells in read_records(path, layout):
        if index >= len(cells):
            continue
        text = cells[index].strip()
        if not text:
            continue
        kind = classify_date(text)
        if kind in (YMD, DMY, MDY):
            return kind
        if kind == "either" and seen_either is None:
            seen_either = line
    if platform_order:
        return platform_order
    if seen_either is not None:
        raise DateFormatError(
            f'the dates in column "{header}" could be day/month or month/day (first at line {seen_either}): '
            "pass --date-format DD/MM/YYYY or --date-format MM/DD/YYYY"
        )
    return YMD


# -- the rows -------------------------------------------------------------------------------------


def parse_rows(
    path: Path,
    plan: ParsePlan,
    options: ImportOptions,
    on_warning: Callable[[BadValue], None] | None = None,
) -> Iterator[ParsedRow | list[BadValue] | Skipped]:
    """Every record in file order, typed. Constant memory. Unusable phones and emails become None
    and are reported to `on_warning` (if given) instead of making the row bad."""
    path = Path(path)
    width = len(plan.headers)
    index: dict[str, int] = {}
    for i, header in enumerate(plan.headers):
        index.setdefault(header, i)
    fields = plan.fields
    col = {f: index[h] for f, h in fields.items() if h in index}
    fallback_cols = {f: [index[h] for h in hs if h in index] for f, hs in plan.fallbacks.items()}
    default_currency = _option_currency(options.currency) if options.currency else None
    region = check_country(options.country) if options.country else None
    # Memos of repeated cell texts; the loop looks in their caches first (a miss or a failure calls them).
    phone = Memo(functools.partial(phone_e164, region=region), PEOPLE_CACHE)
    email = Memo(normalise_email, PEOPLE_CACHE)
    status = Memo(parse_status)
    currency_of = Memo(parse_currency)
    date_format = plan.date_format
    phones, emails, statuses, currencies = phone.cache, email.cache, status.cache, currency_of.cache
    last_date_text, last_date = "", None  # dates repeat on the adjacent lines of one order, rarely elsewhere
    money_by_digits: dict[int, Memo[int]] = {}
    money_by_currency: dict[str | None, Memo[int]] = {}
    time_col = index.get(plan.time_column) if plan.time_column else None
    filter_col = index.get(plan.row_filter[0]) if plan.row_filter else None
    filter_value = plan.row_filter[1].casefold() if plan.row_filter else ""
    text_cols = [(f, col[f], fallback_cols.get(f, ())) for f in TEXT_FIELDS if f in col]
    money_cols = [(f, col[f]) for f in MONEY_FIELDS if f in col]
    no_money_field = money_cols[0][0] if money_cols else "total"
    currency_col = col.get("currency")
    date_col = col["ordered_at"]
    email_col = col.get("email")
    phone_cols = [col["phone"], *fallback_cols.get("phone", ())] if "phone" in col else []
    status_col = col.get("status")
    quantity_col = col.get("quantity")
    order_id_required = plan.grain == "line"
    date_required = plan.grain == "order"
    last_currency = default_currency

    for line, cells in read_records(path, CsvLayout(plan.headers, plan.encoding, plan.delimiter)):
        if len(cells) != width:
            if not any(c.strip() for c in cells):
                yield Skipped(line, "blank line")
                continue
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                yield [BadValue(line, "(record)", "", f"has {len(cells)} cells but the header has {width}")]
                continue
            cells = (cells + [""] * width)[:width]
        if filter_col is not None and cells[filter_col].strip().casefold() != filter_value:
            yield Skipped(line, "not an order (another form)")
            continue

        bad: list[BadValue] = []
        row = ParsedRow(line)

        currency = default_currency
        if currency_col is not None and (text := cells[currency_col]):
            try:
                currency = currencies.get(text)
                if currency is None or type(currency) is Failed:
                    currency = currency_of(text)
            except BadCell as exc:
                bad.append(_bad(line, fields, "currency", text, exc))
        row.currency = currency
        if currency:
            last_currency = currency
        money = money_by_currency.get(currency or last_currency)
        if money is None:
            digits = currency_digits(currency or last_currency)
            money = money_by_digits.get(digits) or Memo(functools.partial(parse_money, digits=digits))
            money_by_currency[currency or last_currency] = money_by_digits[digits] = money
        amounts = money.cache

        text = cells[date_col]
        if time_col is not None and (clock := cells[time_col].strip()):
            text = f"{text.strip()} {clock}"
        if text and not text.isspace():
            try:
                if text != last_date_text:
                    last_date = parse_datetime(text, date_format)
                    last_date_text = text
                row.ordered_at = last_date
            except BadCell as exc:
                bad.append(_bad(line, fields, "ordered_at", text, exc))
        elif date_required:
            bad.append(_bad(line, fields, "ordered_at", "", "no order date"))

        for name, i, more in text_cols:
            value = cells[i]
            # Already clean (printable, no space at either end, longer than any placeholder): kept as it is.
            if not (len(value) > 4 and value.isprintable() and value[0] != " " != value[-1]):
                value = clean_text(value) if value else None
                for j in more:
                    if value is not None:
                        break
                    value = clean_text(cells[j])
            if value is not None:
                setattr(row, name, value)
        if order_id_required and row.order_id is None:
            bad.append(_bad(line, fields, "order_id", "", "no order id"))

        has_money = False
        for name, i in money_cols:
            text = cells[i]
            if text and not text.isspace():
                try:
                    value = amounts.get(text)
                    if value is None or type(value) is Failed:
                        value = money(text)
                except BadCell as exc:
                    bad.append(_bad(line, fields, name, text, exc))
                    continue
                setattr(row, name, abs(value) if name in UNSIGNED_MONEY else value)
                has_money = True
        if not has_money and not bad:
            bad.append(_bad(line, fields, no_money_field, "", "no amount"))
        if has_money and currency is None and date_required:
            bad.append(_bad(line, fields, "currency", "", "no currency: pass --currency EUR (or your currency)"))

        if quantity_col is not None and (text := cells[quantity_col]):
            try:
                row.quantity = parse_quantity(text)
            except BadCell as exc:
                bad.append(_bad(line, fields, "quantity", text, exc))
        if status_col is not None and (text := cells[status_col]):
            try:
                value = statuses.get(text)
                row.status = status(text) if value is None or type(value) is Failed else value
            except BadCell as exc:
                bad.append(_bad(line, fields, "status", text, exc))

        # Clean text is its own cache key: most emails and phones are found before any cleaning.
        if email_col is not None and (text := cells[email_col]):
            value = emails.get(text)
            if value is None and (text := clean_text(text)):
                value = email(text)
                if value is None and on_warning is not None:
                    on_warning(BadValue(line, fields["email"], "", "not an email address; left empty"))
            row.email = value
        for i in phone_cols:  # the first phone given counts
            if not (text := cells[i]):
                continue
            value = phones.get(text)
            if value is None:
                if not (text := clean_text(text)):
                    continue
                value = phone(text)
                if value is None and on_warning is not None:
                    on_warning(BadValue(line, fields["phone"], "", "not a valid phone number; left empty"))
            row.phone = value
            break

        yield BadRow(bad, row.order_id) if bad else row


def _bad(line: int, fields: dict[str, str], name: str, text: str, reason: object) -> BadValue:
    return BadValue(line, fields.get(name, name), text[:MAX_VALUE_CHARS], str(reason))
