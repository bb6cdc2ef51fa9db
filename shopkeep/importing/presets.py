"""Which column means what: platform presets and generic synonyms, matched by header name.

Headers are compared case-, space- and punctuation-insensitively ("Email (Billing)" ==
"email billing"). Columns are never taken by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shopkeep.errors import ShopkeepError


class UnknownLayoutError(ShopkeepError):
    """The file's columns cannot be mapped to orders without the owner's help."""


def normalise_header(header: str) -> str:
    """'Email (Billing)' -> 'emailbilling'; letters of every script and digits only."""
    return "".join(ch for ch in header.casefold().replace("ё", "е") if ch.isalnum())


@dataclass(frozen=True)
class Preset:
    name: str
    grain: str  # 'order' | 'line'
    signature: tuple[str, ...]  # headers that identify the platform, all present
    fields: dict[str, tuple[str, ...]]  # canonical field -> headers, the first present wins
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # read when the field's cell is empty
    date_format: str | None = None  # the platform's fixed date order, if it has one
    time_column: str | None = None  # a separate time-of-day column joined to the date
    row_filter: tuple[str, str] | None = None  # (header, value): rows with another value are not orders


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="shopify",
            grain="line",
            signature=("Name", "Created at", "Financial Status", "Lineitem quantity"),
            fields={
                "order_id": ("Name",),
                "ordered_at": ("Created at",),
                "status": ("Financial Status",),
                "quantity": ("Lineitem quantity",),
                "unit_price": ("Lineitem price",),
                "sku": ("Lineitem sku",),
                "product": ("Lineitem name",),
                "total": ("Total",),
                "currency": ("Currency",),
                "email": ("Email",),
                "phone": ("Phone", "Billing Phone", "Shipping Phone"),
                "name": ("Billing Name", "Shipping Name"),
                "city": ("Shipping City", "Billing City"),
                "country": ("Shipping Country", "Billing Country"),
                "discount_code": ("Discount Code",),
                "discount": ("Discount Amount",),
                "shipping": ("Shipping",),
                "refunded": ("Refunded Amount",),
            },
            fallbacks={
                "phone": ("Billing Phone", "Shipping Phone"),
                "name": ("Shipping Name",),
                "city": ("Billing City",),
                "country": ("Billing Country",),
            },
        ),
        Preset(
            name="woocommerce",
            grain="line",
            signature=("Order Number", "Order Date", "Order Total Amount"),
            fields={
                "order_id": ("Order Number",),
                "ordered_at": ("Order Date",),
                "email": ("Email (Billing)",),
                "phone": ("Phone (Billing)",),
                "first_name": ("First Name (Billing)",),
                "last_name": ("Last Name (Billing)",),
                "total": ("Order Total Amount",),
                "currency": ("Order Currency", "Currency"),
                "status": ("Order Status",),
                "sku": ("SKU",),
                "product": ("Item Name", "Name"),
                "quantity": ("Quantity",),
                "unit_price": ("Item Cost",),
                "discount_code": ("Coupon Code",),
                "discount": ("Cart Discount Amount",),
                "shipping": ("Order Shipping Amount",),
                "refunded": ("Order Refund Amount",),
                "city": ("City (Shipping)", "City (Billing)"),
                "country": ("Country Code (Shipping)", "Country Code (Billing)"),
            },
            fallbacks={"city": ("City (Billing)",)},
        ),
        Preset(
            name="square",
            grain="line",
            signature=("Transaction ID", "Event Type", "Gross Sales"),
            fields={
                "order_id": ("Transaction ID",),
                "ordered_at": ("Date",),
                "customer_id": ("Customer ID",),
                "name": ("Customer Name",),
                "line_total": ("Gross Sales",),
                "status": ("Event Type",),
                "discount": ("Discounts",),
                "product": ("Item",),
                "quantity": ("Qty",),
                "sku": ("SKU",),
            },
            time_column="Time",
        ),
        Preset(
            name="etsy",
            grain="order",
            signature=("Sale Date", "Order ID", "Order Total"),
            fields={
                "order_id": ("Order ID",),
                "ordered_at": ("Sale Date",),
                "customer_id": ("Buyer User ID",),
                "name": ("Full Name", "Buyer"),
                "first_name": ("First Name",),
                "last_name": ("Last Name",),
                "total": ("Order Total",),
                "currency": ("Currency",),
                "status": ("Status",),
                "discount_code": ("Coupon Code",),
                "discount": ("Discount Amount",),
                "shipping": ("Shipping",),
                "city": ("Ship City", "Delivery City"),
                "country": ("Ship Country", "Delivery Country"),
            },
            date_format="MDY",
        ),
        Preset(
            name="tilda",
            grain="order",
            signature=("tranid", "formname"),
            fields={
                "order_id": ("tranid",),
                "ordered_at": ("Date", "Дата"),
                "email": ("Email", "E-mail"),
                "phone": ("Phone", "телефон", "Телефон"),
                "name": ("Name", "имя", "Имя"),
                "total": ("Сумма заказа", "Сумма", "Amount"),
                "status": ("Статус оплаты", "Payment status"),
                "city": ("city", "город"),
            },
            row_filter=("formname", "Cart"),
        ),
        Preset(
            name="prestashop",
            grain="order",
            signature=("ID", "Reference", "Customer", "Total", "Status"),
            fields={
                "order_id": ("ID",),
                "ordered_at": ("Date",),
                "name": ("Customer",),
                "total": ("Total",),
                "status": ("Status",),
                "country": ("Delivery",),
            },
        ),
    )
}

# Generic synonyms in English, Russian and Polish, most specific first.
GENERIC_FIELDS: dict[str, tuple[str, ...]] = {
    "order_id": (
        "Order ID",
        "Order Number",
        "Order No",
        "Order #",
        "InvoiceNo",
        "Invoice Number",
        "Invoice",
        "Transaction ID",
        "Номер заказа",
        "ID заказа",
        "Заказ",
        "Номер",
        "Numer zamówienia",
        "Nr zamówienia",
        "ID zamówienia",
        "Zamówienie",
        "Order",
    ),
    "ordered_at": (
        "Order Date",
        "InvoiceDate",
        "Created at",
        "Purchase Date",
        "Sale Date",
        "Date",
        "Дата заказа",
        "Дата создания",
        "Дата",
        "Data zamówienia",
        "Data zakupu",
        "Data",
    ),
    "customer_id": (
        "Customer ID",
        "CustomerID",
        "Client ID",
        "Buyer ID",
        "Customer Number",
        "ID клиента",
        "Код клиента",
        "ID покупателя",
        "ID klienta",
        "Numer klienta",
    ),
    "email": ("Email", "E-mail", "Email Address", "Customer Email", "Почта", "Электронная почта", "Adres e-mail"),
    "phone": ("Phone", "Phone Number", "Telephone", "Mobile", "Tel", "Телефон", "Тел", "Telefon", "Numer telefonu"),
    "name": (
        "Customer Name",
        "Full Name",
        "Name",
        "Customer",
        "Client",
        "Buyer",
        "ФИО",
        "Клиент",
        "Покупатель",
        "Имя клиента",
        "Imię i nazwisko",
        "Klient",
        "Nabywca",
        "Kupujący",
    ),
    "first_name": ("First Name", "Firstname", "Given Name", "Имя", "Imię"),
    "last_name": ("Last Name", "Lastname", "Surname", "Family Name", "Фамилия", "Nazwisko"),
    "total": (
        "Order Total",
        "Total",
        "Grand Total",
        "Total Amount",
        "Amount",
        "Сумма заказа",
        "Сумма",
        "Итого",
        "Kwota",
        "Suma",
        "Razem",
        "Wartość zamówienia",
        "Do zapłaty",
    ),
    "unit_price": ("Unit Price", "UnitPrice", "Price", "Item Price", "Цена", "Cena", "Cena jednostkowa"),
    "quantity": ("Quantity", "Qty", "Количество", "Кол-во", "Ilość"),
    "line_total": ("Line Total", "Item Total", "Сумма позиции", "Wartość pozycji"),
    "currency": ("Currency", "Currency Code", "Валюта", "Waluta"),
    "status": ("Order Status", "Status", "Payment Status", "Статус заказа", "Статус", "Status zamówienia"),
    "sku": ("SKU", "StockCode", "Stock Code", "Product Code", "Артикул", "Код товара", "Kod produktu", "Indeks"),
    "product": (
        "Product",
        "Product Name",
        "Item",
        "Item Name",
        "Description",
        "Товар",
        "Наименование",
        "Produkt",
        "Nazwa produktu",
    ),
    "discount": ("Discount", "Discount Amount", "Скидка", "Rabat"),
    "discount_code": ("Discount Code", "Coupon", "Coupon Code", "Promo Code", "Промокод", "Купон", "Kod rabatowy"),
    "shipping": ("Shipping", "Shipping Cost", "Delivery Cost", "Доставка", "Стоимость доставки", "Koszt dostawy"),
    "city": ("City", "Shipping City", "Город", "Miasto", "Miejscowość"),
    "country": ("Country", "Страна", "Kraj"),
    "referral_code": ("Referral Code", "Referral", "Реферальный код", "Kod polecający"),
    "refunded": ("Refunded Amount", "Refund Amount", "Refunded", "Refund", "Возврат", "Zwrot"),
}

GENERIC = Preset(name="generic", grain="order", signature=(), fields=GENERIC_FIELDS)
FORMATS = ("auto", *PRESETS, "generic")
LINE_FIELDS = ("quantity", "unit_price", "line_total", "sku")


def detect_preset(headers: list[str]) -> Preset:
    """The preset whose signature headers are all present (the most specific), else generic."""
    present = {normalise_header(h) for h in headers}
    matches = [p for p in PRESETS.values() if all(normalise_header(s) in present for s in p.signature)]
    return max(matches, key=lambda p: len(p.signature), default=GENERIC)


def preset_named(name: str) -> Preset:
    if name == "generic":
        return GENERIC
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownLayoutError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}") from None


def map_headers(preset: Preset, headers: list[str]) -> dict[str, str]:
    """canonical field -> header as written in the file: the preset's names, then generic synonyms."""
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    mapping: dict[str, str] = {}
    used = _reserved(preset)
    for source in (preset.fields, GENERIC_FIELDS) if preset is not GENERIC else (GENERIC_FIELDS,):
        for canonical, names in source.items():
            if canonical in mapping:
                continue
            for name in names:
                header = by_norm.get(normalise_header(name))
                if header is not None and normalise_header(header) not in used:
                    mapping[canonical] = header
                    used.add(normalise_header(header))
                    break
    return mapping


def _reserved(preset: Preset) -> set[str]:
    """Headers (normalised) a preset reads for another purpose, never mapped to a field by synonym."""
    reserved = {normalise_header(preset.time_column)} if preset.time_column else set()
    if preset.row_filter:
        reserved.add(normalise_header(preset.row_filter[0]))
    return reserved


def find_header(headers: list[str], wanted: str) -> str | None:
    """The file's spelling of a header, compared loosely."""
    key = normalise_header(wanted)
    return next((h for h in headers if normalise_header(h) == key), None)


def grain_for(preset: Preset, mapping: dict[str, str]) -> str:
    """A preset knows its grain; a generic file is line-grained when it has line columns."""
    if preset is not GENERIC:
        return preset.grain
    return "line" if any(f in mapping for f in LINE_FIELDS) else "order"
