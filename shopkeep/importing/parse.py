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
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _
from shopkeep.importing.mappings import load_mapping, save_mapping
from shopkeep.importing.model import CANONICAL_FIELDS, MONEY_FIELDS, BadRow, BadValue, ParsedRow
from shopkeep.importing.presets import (
    FORMATS,
    GENERIC,
    NOT_A_SALE,
    Preset,
    RowRule,
    UnknownLayoutError,
    customers_export,
    detect_preset,
    find_header,
    grain_for,
    map_headers,
    matches,
    normalise_header,
    preset_named,
    refund_questions,
)
from shopkeep.importing.readers import CsvLayout, ImportFileError, read_layout, read_records
from shopkeep.importing.values import (
    DMY,
    FLAG_WORDS,
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
    flag_set,
    normalise_email,
    parse_currency,
    parse_datetime,
    parse_minor_units,
    parse_money,
    parse_quantity,
    parse_status,
    phone_e164,
    resolve_date_format,
    status_key,
)
from shopkeep.shop import currency_of_country, phone_country, shop_currency
from shopkeep.store import Store

__all__ = [
    "DateFormatError",
    "ImportFileError",
    "ImportOptions",
    "ParsePlan",
    "ParseStats",
    "Skipped",
    "UnknownLayoutError",
    "parse_rows",
    "plan_file",
]

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
SAMPLE_ROWS = 500  # records read to tell a yes/no column from an amount and to suggest a --map example
NATIONAL_PHONE = N_("written without a country code; left empty")
IDENTITY_FIELDS = ("customer_id", "email", "phone", "name", "first_name", "last_name")
PEOPLE_CACHE = 250_000  # phones and emails repeat per customer: room for a large shop's customers (~50 MB)


@dataclass
class ImportOptions:
    """What the owner chose on the command line."""

    format: str = "auto"
    overrides: dict[str, str] = field(default_factory=dict)  # canonical field -> header ('' unmaps)
    date_format: str | None = None
    currency: str | None = None
    country: str | None = None
    minor_units: bool = False  # every amount is a whole number of minor units (cents)
    encoding: str | None = None  # the owner's --encoding; detected when None


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
    currency: str | None = None  # for rows whose file says none: --currency, the platform's, or the shop's
    currency_from: str | None = None  # 'option', 'platform', 'shop' or 'country'
    country: str | None = None  # of phones written without +code: --country or the shop's
    minor_units: bool = False
    statuses: dict[str, str | None] = field(default_factory=dict)  # the platform's status words
    flags: list[tuple[str, str]] = field(default_factory=list)  # (yes/no header, status it sets)
    no_amount: str | None = None  # rows without an amount are skipped for this reason
    rule: RowRule | None = None
    title: str = ""  # "a Shopify orders export"
    settings: dict[str, str] = field(default_factory=dict)  # shop settings the import remembers (first time)


@dataclass(frozen=True)
class Skipped:
    """A record that is not an order; not an error."""

    line: int
    reason: str


@dataclass
class ParseStats:
    """What the rows said beyond their values: phones that need a country, the country column's values."""

    national_phones: int = 0  # phones written without a country code, left empty
    first_national: BadValue | None = None
    countries: Counter = field(default_factory=Counter)  # country cells of the rows with such a phone
    currencies: Counter = field(default_factory=Counter)  # and their currencies


# -- the plan -------------------------------------------------------------------------------------


def plan_file(path: Path, options: ImportOptions, store: Store | None = None, *, remember: bool = True) -> ParsePlan:
    """Read the headers, pick the preset and mapping, and decide the date order from the whole column.

    With a store, a mapping saved for the same headers is used, and one given now (--map or
    --date-format) is saved unless `remember` is False (a dry run).
    Raises ImportFileError, UnknownLayoutError or DateFormatError with one clear line.
    """
    path = Path(path)
    if options.format not in FORMATS:
        raise UnknownLayoutError(
            _("unknown format {fmt!r}; choose one of {names}").format(fmt=options.format, names=", ".join(FORMATS))
        )
    if options.currency:
        _option_currency(options.currency)
    if options.country:
        check_country(options.country)
    layout = read_layout(path, options.encoding)
    headers = layout.headers
    saved = load_mapping(store, headers) if store is not None else None

    detected = detect_preset(headers)
    if options.format != "auto":
        preset = preset_named(options.format)
        _check_format(path, preset, detected, headers)
    elif saved and saved["format"]:
        preset = preset_named(saved["format"])
    else:
        preset = detected
        if preset is GENERIC and (what := customers_export(headers)):
            raise UnknownLayoutError(_customers_message(path, what))
    mapping = map_headers(preset, headers)
    chosen = set(options.overrides)
    if saved:
        for canonical, saved_header in saved["mapping"].items():
            if canonical not in CANONICAL_FIELDS:
                continue
            chosen.add(canonical)
            header = find_header(headers, saved_header) if saved_header else None
            if header is not None:
                mapping[canonical] = header
            elif not saved_header:  # the owner un-mapped it
                mapping.pop(canonical, None)
    _apply_overrides(mapping, options.overrides, headers)
    samples = _sample(path, layout)
    _prefer_filled(mapping, preset, headers, samples, chosen)
    flags = [(h, status) for name, status in preset.flags if (h := find_header(headers, name))]
    flags += _yes_no_columns(mapping, headers, samples, explicit=chosen | _preset_fields(preset, mapping, headers))
    if not flags and "status" not in mapping:
        flags = [(header, "refunded") for header in refund_questions(headers)]
    grain = grain_for(preset, mapping)
    _check_layout(path, headers, mapping, grain, samples)
    currency, currency_from = _default_currency(options, preset, store)
    if "currency" not in mapping and currency is None:
        raise UnknownLayoutError(
            _(
                "{file} has no currency column and the shop's currency is not known yet:"
                " pass --currency EUR (or your currency) once; it is remembered"
            ).format(file=path.name)
        )
    country = check_country(options.country) if options.country else None
    if country is None and store is not None:
        country = phone_country(store)

    chosen_date_format = resolve_date_format(options.date_format) if options.date_format else None
    remembered = chosen_date_format or (saved or {}).get("date_format")
    date_format = remembered or _decide_date_order(path, layout, mapping["ordered_at"], preset.date_format)
    if store is not None and remember and (options.overrides or chosen_date_format):
        unmapped = {f: "" for f, h in options.overrides.items() if not h.strip()}
        save_mapping(store, headers, {**mapping, **unmapped}, preset.name, remembered)

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
        fallbacks={k: list(dict.fromkeys(v)) for k, v in fallbacks.items() if v},
        time_column=find_header(headers, preset.time_column) if preset.time_column else None,
        row_filter=_row_filter(preset, headers),
        currency=currency,
        currency_from=currency_from,
        country=country,
        minor_units=options.minor_units or preset.minor_units,
        statuses=preset.statuses,
        flags=flags,
        no_amount=preset.no_amount,
        rule=preset.rule,
        title=preset.title,
        settings=_settings_learnt(store, options, currency, currency_from) if store is not None and remember else {},
    )


def _default_currency(options: ImportOptions, preset: Preset, store: Store | None) -> tuple[str | None, str | None]:
    """The currency of rows whose file does not say it, and where it came from: --currency, the platform's
    own (Gumroad: USD), the shop's (its setting, else its orders), or the one --country implies (RU: RUB)."""
    if options.currency:
        return _option_currency(options.currency), "option"
    if preset.currency:
        return preset.currency, "platform"
    known = shop_currency(store) if store is not None else None
    if known:
        return known, "shop"
    country = options.country or (phone_country(store) if store is not None else None)
    implied = currency_of_country(country)
    return (implied, "country") if implied else (None, None)


def _settings_learnt(store: Store, options: ImportOptions, currency: str | None, source: str | None) -> dict[str, str]:
    """The shop's currency and phone country this import tells for the first time (remembered if it goes in)."""
    learnt = {}
    if currency and source in ("option", "country") and shop_currency(store) is None:
        learnt["currency"] = currency
    if options.country and store.get_setting("country") is None:
        learnt["country"] = check_country(options.country)
    return learnt


def _check_format(path: Path, preset: Preset, detected: Preset, headers: list[str]) -> None:
    """A named --format whose headers are not in the file, when the file is plainly another export."""
    if matches(preset, headers):
        return
    if (what := customers_export(headers)) is not None:
        raise UnknownLayoutError(_customers_message(path, what))
    if detected is not GENERIC and detected is not preset:
        raise UnknownLayoutError(
            f"{path.name}: this looks like {detected.title}, not {preset.title}:"
            f" import it without --format (or with --format {detected.name})"
        )


def _customers_message(path: Path, what: str) -> str:
    return (
        f"{path.name}: this is {what} (people, not orders): import the orders export instead"
        " (Shopify: Orders > Export, orders_export.csv); the customers come with their orders"
    )


def _preset_fields(preset: Preset, mapping: dict[str, str], headers: list[str]) -> set[str]:
    """Fields mapped to a column the platform preset names itself (trusted); synonyms are guesses."""
    if preset is GENERIC:
        return set()
    return {
        name
        for name, wanted in preset.fields.items()
        if name in mapping and mapping[name] in {find_header(headers, w) for w in wanted}
    }


def _sample(path: Path, layout: CsvLayout) -> list[list[str]]:
    """The first SAMPLE_ROWS records."""
    rows = []
    for _line, cells in read_records(path, layout):
        rows.append(cells)
        if len(rows) >= SAMPLE_ROWS:
            break
    return rows


def _column(headers: list[str], samples: list[list[str]], header: str) -> list[str]:
    """The non-empty sampled values of one column."""
    index = headers.index(header)
    return [cells[index].strip() for cells in samples if index < len(cells) and cells[index].strip()]


def _prefer_filled(
    mapping: dict[str, str], preset: Preset, headers: list[str], samples: list[list[str]], chosen: set[str]
) -> None:
    """A platform field with several possible columns (Square's order: Transaction ID, Details, Payment ID)
    reads the first one that has values, not merely the first one present."""
    if not samples or preset is GENERIC:
        return
    used = set(mapping.values())
    for name, wanted in preset.fields.items():
        if name in chosen or len(wanted) < 2 or name not in mapping or _column(headers, samples, mapping[name]):
            continue
        for other in wanted:
            header = find_header(headers, other)
            if header is not None and header not in used and _column(headers, samples, header):
                used.discard(mapping[name])
                mapping[name] = header
                used.add(header)
                break


def _yes_no_columns(
    mapping: dict[str, str], headers: list[str], samples: list[list[str]], explicit: set[str]
) -> list[tuple[str, str]]:
    """A yes/no column found by a synonym of an amount ("Refunded": 0/1, true/false) is never money: it is
    un-mapped, and a refund flag gives the refunded status to the rows it is set on."""
    flags = []
    for name in MONEY_FIELDS:
        header = mapping.get(name)
        if header is None or name in explicit:
            continue
        values = {v.casefold() for v in _column(headers, samples, header)}
        if values and values <= FLAG_WORDS and values != {"0"}:
            del mapping[name]
            if name == "refunded" and "status" not in mapping:
                flags.append((header, "refunded"))
    return flags


def _option_currency(text: str) -> str:
    try:
        return parse_currency(text)
    except BadCell:
        raise ShopkeepError(
            _("--currency {text!r} is not a currency code: use a 3-letter code like EUR").format(text=text)
        ) from None


def _row_filter(preset: Preset, headers: list[str]) -> tuple[str, str] | None:
    if preset.row_filter is None:
        return None
    header = find_header(headers, preset.row_filter[0])
    return (header, preset.row_filter[1]) if header else None


def _apply_overrides(mapping: dict[str, str], overrides: dict[str, str], headers: list[str]) -> None:
    for canonical, wanted in overrides.items():
        if canonical not in CANONICAL_FIELDS:
            raise UnknownLayoutError(
                _("--map {field}=...: unknown field; fields are {names}").format(
                    field=canonical, names=", ".join(CANONICAL_FIELDS)
                )
            )
        if not wanted.strip():
            mapping.pop(canonical, None)
            continue
        header = wanted if wanted in headers else find_header(headers, wanted)
        if header is None:
            raise UnknownLayoutError(
                _("--map {field}={wanted!r}: no such column; columns are {columns}").format(
                    field=canonical, wanted=wanted, columns=_list(headers)
                )
            )
        mapping[canonical] = header


def _list(headers: list[str], limit: int = 40) -> str:
    """Headers for a message. A file without a header row has data there: never echo what looks personal."""
    shown = ", ".join(f'"{_safe_header(h, n)}"' for n, h in enumerate(headers[:limit], 1))
    return shown + (_(" and {n} more").format(n=len(headers) - limit) if len(headers) > limit else "")


def _safe_header(header: str, number: int) -> str:
    """The header as it may be shown: by its number when it looks personal, is long or is not printable
    (a line break inside it would break the one-line message)."""
    if "@" in header or sum(ch.isdigit() for ch in header) >= 6 or len(header) > 60 or not header.isprintable():
        return _("column {number}").format(number=number)
    return header


# Words that make a column the better example for a `--map` hint (among those whose values fit).
_HINTS = {
    "ordered_at": ("date", "time", "when", "дата", "data", "czas"),
    "order_id": ("order", "invoice", "number", "id", "ref", "заказ", "номер", "zamów", "numer"),
    "total": ("total", "sum", "amount", "price", "paid", "сумм", "цена", "итог", "kwot", "cena", "suma", "razem"),
}
_FITS = 0.9  # share of a column's sampled values that must read as the field for it to be suggested


def _check_layout(
    path: Path, headers: list[str], mapping: dict[str, str], grain: str, samples: list[list[str]]
) -> None:
    missing = []
    if "ordered_at" not in mapping:
        missing.append(("ordered_at", _("the order date")))
    if "order_id" not in mapping and grain == "line":
        missing.append(("order_id", _("the order id (needed to group the lines of one order)")))
    if not any(f in mapping for f in ("total", "line_total", "unit_price")):
        missing.append(("total", _("the order total")))
    if not missing:
        return
    example = next(
        (
            _('e.g. --map {field}="{header}"').format(field=name, header=header)
            for name, _what in missing
            if (header := _example(name, headers, mapping, samples)) is not None
        ),
        "",
    )
    holds = _(" and ").join(what for _name, what in missing)
    raise UnknownLayoutError(
        _(
            "cannot tell which column of {file} holds {what}. Columns found: {columns}. Name them with --map "
            "FIELD=HEADER"
        ).format(file=path.name, what=holds, columns=_list(headers))
        + (f", {example}" if example else "")
    )


def _example(name: str, headers: list[str], mapping: dict[str, str], samples: list[list[str]]) -> str | None:
    """An unmapped column whose sampled values read as the field (dates for a date, amounts for a total,
    mostly different values for an order id), the one whose name hints at it first; None when none fits."""
    used = set(mapping.values())
    fitting = [
        header
        for header in dict.fromkeys(headers)
        if header not in used and _safe_header(header, 0) == header and _fits(name, _column(headers, samples, header))
    ]
    hinted = [h for h in fitting if any(word in h.casefold() for word in _HINTS[name])]
    return (hinted or fitting or [None])[0]


def _fits(name: str, values: list[str]) -> bool:
    if not values:
        return False
    if name == "ordered_at":
        good = sum(_is_date(v) for v in values)
    elif name == "total":
        good = sum(not _looks_personal(v) and v.casefold() not in FLAG_WORDS and _reads(parse_money, v) for v in values)
    else:  # order_id: mostly different values, none a date, an amount with decimals or a person's contact
        if len(set(values)) < 0.3 * len(values) or (len(values) > 1 and len(set(values)) == 1):
            return False
        good = sum(not _looks_personal(v) and classify_date(v) is None and not ("." in v or "," in v) for v in values)
    return good >= _FITS * len(values)


def _is_date(value: str) -> bool:
    kind = classify_date(value)
    return kind is not None and _reads(parse_datetime, value, DMY if kind == "either" else kind)


def _reads(parse: Callable[..., object], *args: object) -> bool:
    try:
        parse(*args)
    except BadCell:
        return False
    return True


def _looks_personal(value: str) -> bool:
    return "@" in value or (sum(ch.isdigit() for ch in value) >= 9 and value.lstrip().startswith(("+", "0", "(")))


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
            _(
                'the dates in column "{header}" could be day/month or month/day (first at line {line}):'
                " pass --date-format DD/MM/YYYY or --date-format MM/DD/YYYY"
            ).format(header=header, line=seen_either)
        )
    return YMD


# -- the rows -------------------------------------------------------------------------------------


def parse_rows(
    path: Path,
    plan: ParsePlan,
    options: ImportOptions,
    on_warning: Callable[[BadValue], None] | None = None,
    stats: ParseStats | None = None,
) -> Iterator[ParsedRow | list[BadValue] | Skipped]:
    """Every record in file order, typed. Constant memory. Unusable phones and emails become None
    and are reported to `on_warning` (if given) instead of making the row bad; `stats` (if given)
    counts the phones written without a country code."""
    path = Path(path)
    width = len(plan.headers)
    index: dict[str, int] = {}
    for i, header in enumerate(plan.headers):
        index.setdefault(header, i)
    fields = plan.fields
    col = {f: index[h] for f, h in fields.items() if h in index}
    fallback_cols = {f: [index[h] for h in hs if h in index] for f, hs in plan.fallbacks.items()}
    default_currency = plan.currency or (_option_currency(options.currency) if options.currency else None)
    region = plan.country or (check_country(options.country) if options.country else None)
    minor_units = plan.minor_units or options.minor_units
    # Memos of repeated cell texts; the loop looks in their caches first (a miss or a failure calls them).
    phone = Memo(functools.partial(phone_e164, region=region), PEOPLE_CACHE)
    email = Memo(normalise_email, PEOPLE_CACHE)
    status = Memo(parse_status)
    currency_of = Memo(parse_currency)
    date_format = plan.date_format
    phones, emails, statuses, currencies = phone.cache, email.cache, status.cache, currency_of.cache
    platform_statuses = plan.statuses
    last_date_text, last_date = "", None  # dates repeat on the adjacent lines of one order, rarely elsewhere
    money_by_digits: dict[int, Memo[int]] = {}
    money_by_currency: dict[str | None, Memo[int]] = {}
    time_col = index.get(plan.time_column) if plan.time_column else None
    filter_col = index.get(plan.row_filter[0]) if plan.row_filter else None
    filter_value = plan.row_filter[1].casefold() if plan.row_filter else ""
    flag_cols = [(index[h], st) for h, st in plan.flags if h in index]
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
    rule = plan.rule
    by_name = {normalise_header(h): i for i, h in reversed(list(enumerate(plan.headers)))} if rule else {}

    for line, cells in read_records(path, CsvLayout(plan.headers, plan.encoding, plan.delimiter)):
        if len(cells) != width:
            if not any(c.strip() for c in cells):
                yield Skipped(line, "blank line")
                continue
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                yield [
                    BadValue(
                        line,
                        "(record)",
                        "",
                        _("has {n} cells but the header has {width}").format(n=len(cells), width=width),
                    )
                ]
                continue
            cells = (cells + [""] * width)[:width]
        if filter_col is not None and cells[filter_col].strip().casefold() != filter_value:
            yield Skipped(line, N_("not an order (another form)"))
            continue

        bad: list[BadValue] = []
        row = ParsedRow(line)

        if status_col is not None and (text := cells[status_col]) and not text.isspace():
            key = status_key(text) if platform_statuses else ""
            if key in platform_statuses:
                row.status = platform_statuses[key]
                if row.status is None:
                    yield Skipped(line, NOT_A_SALE)
                    continue
            else:
                try:
                    value = statuses.get(text)
                    row.status = status(text) if value is None or type(value) is Failed else value
                except BadCell as exc:
                    bad.append(_bad(line, fields, "status", text, exc))
        for i, flag_status in flag_cols:
            if flag_set(cells[i]):
                row.status = flag_status
                break

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
            money = money_by_digits.get(digits) or Memo(
                parse_minor_units if minor_units else functools.partial(parse_money, digits=digits)
            )
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
            bad.append(_bad(line, fields, "ordered_at", "", N_("no order date")))

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
            bad.append(_bad(line, fields, "order_id", "", N_("no order id")))

        has_money = any_amount = False
        for name, i in money_cols:
            text = cells[i]
            if text and not text.isspace():
                any_amount = True
                try:
                    cached = amounts.get(text)  # an amount, a Failed reason, or None
                    amount = cached if type(cached) is int else money(text)
                except BadCell as exc:
                    bad.append(_bad(line, fields, name, text, exc))
                    continue
                setattr(row, name, abs(amount) if name in UNSIGNED_MONEY else amount)
                has_money = True
        if not any_amount and plan.no_amount is not None:
            yield Skipped(line, plan.no_amount)
            continue
        if not has_money and not bad:
            bad.append(_bad(line, fields, no_money_field, "", N_("no amount")))
        if has_money and currency is None and date_required:
            bad.append(_bad(line, fields, "currency", "", N_("no currency: pass --currency EUR (or your currency)")))

        if quantity_col is not None and (text := cells[quantity_col]):
            try:
                row.quantity = parse_quantity(text)
            except BadCell as exc:
                bad.append(_bad(line, fields, "quantity", text, exc))

        # Clean text is its own cache key: most emails and phones are found before any cleaning.
        if email_col is not None and (text := cells[email_col]):
            value = emails.get(text)
            if value is None and (text := clean_text(text)):
                value = email(text)
                if value is None and on_warning is not None:
                    on_warning(BadValue(line, fields["email"], "", N_("not an email address; left empty")))
            row.email = value
        unread = None  # the first phone cell that could not be read
        for i in phone_cols:  # the first phone that reads counts; the next column is tried when one does not
            if not (text := cells[i]):
                continue
            value = phones.get(text)
            if value is None:
                if not (text := clean_text(text)):
                    continue
                value = phone(text)
            if value is not None:
                row.phone = value
                break
            if unread is None:
                unread = (i, text)
        if row.phone is None and unread is not None:
            row.phone_unread = True
            national = region is None and not unread[1].lstrip().startswith(("+", "00"))
            warning = BadValue(
                line,
                plan.headers[unread[0]],
                "",
                NATIONAL_PHONE if national else N_("not a valid phone number; left empty"),
            )
            if national and stats is not None:
                stats.national_phones += 1
                stats.first_national = stats.first_national or warning
                if row.country:
                    stats.countries[row.country.strip().upper()] += 1
                if currency:
                    stats.currencies[currency] += 1
            if on_warning is not None:
                on_warning(warning)

        if rule is not None:

            def cell(name: str, cells: list[str] = cells) -> str:
                i = by_name.get(normalise_header(name))
                return "" if i is None else cells[i]

            reason = rule(row, cell)
            if reason is not None:
                yield Skipped(line, reason)
                continue

        yield BadRow(bad, row.order_id) if bad else row


def _bad(line: int, fields: dict[str, str], name: str, text: str, reason: object) -> BadValue:
    return BadValue(line, fields.get(name, name), text[:MAX_VALUE_CHARS], str(reason))
