"""Which column means what: platform presets and generic synonyms, matched by header name.

Headers are compared case-, space- and punctuation-insensitively ("Email (Billing)" ==
"email billing"). Columns are never taken by position.

A preset also carries what the platform means by its values: its currency (Gumroad writes USD), amounts in
minor units (Lemon Squeezy's cents), its own status words (Stripe's `requires_payment_method` is not a sale),
yes/no columns that set a status (Gumroad's `Fully Refunded?`), columns that are never money (Tilda's
delivery option text) and, for PayPal, which rows are sales at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _
from shopkeep.importing.model import MONEY_FIELDS, ParsedRow
from shopkeep.importing.values import flag_set, normalise_email


class UnknownLayoutError(ShopkeepError):
    """The file's columns cannot be mapped to orders without the owner's help."""


def normalise_header(header: str) -> str:
    """'Email (Billing)' -> 'emailbilling'; letters of every script and digits only."""
    return "".join(ch for ch in header.casefold().replace("ё", "е") if ch.isalnum())


# A platform rule sees each parsed row and the row's cells by header name; it may correct the row and
# returns why the row is not an order (it is then skipped and counted), or None.
RowRule = Callable[[ParsedRow, Callable[[str], str]], "str | None"]
NOT_A_SALE = "not a sale: a failed, unfinished or abandoned payment"


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
    title: str = ""  # the export as the owner knows it: "a Shopify orders export"
    also: tuple[tuple[str, ...], ...] = ()  # other signatures (other layouts of the same export)
    currency: str | None = None  # the currency every amount is in when the file has no currency column
    minor_units: bool = False  # amounts are whole numbers of the currency's minor unit (cents)
    statuses: dict[str, str | None] = field(default_factory=dict)  # status_key -> status; None: not a sale
    flags: tuple[tuple[str, str], ...] = ()  # (yes/no header, status): a set flag gives the status, first wins
    ignored: tuple[str, ...] = ()  # headers never read as a field (not what their name suggests)
    no_amount: str | None = None  # rows with no amount at all are not orders (form leads): the reason
    rule: RowRule | None = None

    @property
    def signatures(self) -> tuple[tuple[str, ...], ...]:
        return (self.signature, *self.also) if self.signature else self.also


# -- platform rules -------------------------------------------------------------------------------

# PayPal activity types that move money but are not a buyer paying the shop.
_PAYPAL_NOT_SALES = (
    "conversion",
    "transfer",
    "withdrawal",
    "deposit",
    "hold",
    "release",
    "reserve",
    "authorization",
    "fee",
    "bank",
    "tax collected",
    "debit card",
    "cashback",
)


def _paypal(row: ParsedRow, cell: Callable[[str], str]) -> str | None:
    """Money received from a buyer is a sale (the buyer: From Email Address); a refund to a buyer is a
    credit (the buyer: To Email Address); everything else (payments the shop made, transfers, withdrawals,
    fees, currency conversions, holds) is not an order."""
    kind = cell("Type").casefold()
    impact = cell("Balance Impact").casefold()
    total = row.total or 0
    if total > 0 and impact != "debit" and not any(word in kind for word in _PAYPAL_NOT_SALES):
        return None
    if total < 0 and ("refund" in kind or "reversal" in kind or "chargeback" in kind):
        row.email = normalise_email(cell("To Email Address"))
        return None
    return N_("not a sale: a transfer, fee, withdrawal or a payment the shop made")


def _gumroad(row: ParsedRow, cell: Callable[[str], str]) -> str | None:
    """The sales export ends with a `Totals` row: not a sale. A lost dispute took the money back."""
    if cell("Purchase ID").strip().casefold() == "totals" and row.ordered_at is None:
        return N_("the totals row")
    if flag_set(cell("Disputed?")) and not flag_set(cell("Dispute Won?")):
        row.status = "refunded"
    return None


_STRIPE_STATUSES: dict[str, str | None] = {
    "paid": "paid",
    "succeeded": "paid",
    "refunded": "refunded",
    "partially refunded": "partially_refunded",
    "pending": "pending",
    "uncaptured": "pending",
    "requires capture": "pending",
    **dict.fromkeys(
        (
            "failed",
            "requires payment method",
            "requires action",
            "requires confirmation",
            "canceled",
            "cancelled",
            "incomplete",
            "blocked",
            "expired",
        )
    ),
}

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
            title="a Shopify orders export",
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
            fallbacks={
                "city": ("City (Billing)",),
                "phone": ("Phone (Shipping)", "Customer Phone", "Phone"),
                "email": ("Customer Email", "Email"),
                "country": ("Country Code (Billing)",),
            },
            title="a WooCommerce orders export",
        ),
        Preset(
            name="square",
            grain="line",
            signature=("Transaction ID", "Event Type", "Gross Sales"),
            # the Item Sales export as it is today: the transaction id may be missing, "Details" names it
            also=(("Time Zone", "Item", "Qty", "Gross Sales", "Net Sales"),),
            fields={
                "order_id": ("Transaction ID", "Details", "Payment ID"),
                "ordered_at": ("Date",),
                "customer_id": ("Customer ID",),
                "name": ("Customer Name",),
                # what the buyer paid for the items (after discounts, before tax); refunds are negative rows
                "line_total": ("Net Sales", "Gross Sales"),
                "discount": ("Discounts",),
                "product": ("Item",),
                "quantity": ("Qty",),
                "sku": ("SKU",),
            },
            time_column="Time",
            # Payment or Refund: the signed amounts already say it (one transaction holds both)
            ignored=("Event Type",),
            title="a Square Item Sales export",
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
            title="an Etsy sold orders export",
        ),
        Preset(
            name="tilda",
            grain="order",
            signature=("tranid", "formname"),
            also=(("tranid", "formid"),),
            fields={
                "order_id": ("tranid",),
                "ordered_at": ("Date", "Дата", "sent"),
                "email": ("Email", "E-mail", "Почта"),
                "phone": ("Phone", "телефон", "Телефон"),
                "name": ("Name", "имя", "Имя", "ФИО"),
                "total": ("Сумма заказа", "Сумма", "Amount"),
                "status": ("Статус оплаты", "Payment status", "paymentstatus"),
                "city": ("city", "город"),
            },
            # form fields are named by the shop: the Latin-named one may be empty where the Russian one is filled
            fallbacks={"name": ("имя", "ФИО"), "phone": ("телефон",), "email": ("E-mail", "Почта")},
            row_filter=("formname", "Cart"),
            # payment status: 1 paid, 0 not paid yet; 2 the payment failed or was returned (no revenue either way)
            statuses={"0": "pending", "1": "paid", "2": "cancelled"},
            # the delivery option as the buyer chose it ("Курьером по Киеву=99"): text, not an amount
            ignored=("delivery", "Доставка", "Способ доставки", "Адрес доставки", "Адрес_доставки"),
            no_amount="a form lead without an amount, not an order",
            title="a Tilda leads export",
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
            title="a PrestaShop orders export",
        ),
        Preset(
            name="stripe",
            grain="order",
            signature=("id", "Amount", "Amount Refunded", "Status"),
            fields={
                "order_id": ("id",),
                "ordered_at": ("Created date (UTC)", "Created (UTC)", "Created"),
                "customer_id": ("Customer ID",),
                "email": ("Customer Email",),
                "name": ("Customer Name", "Card Name"),
                "total": ("Amount",),
                "refunded": ("Amount Refunded",),
                "currency": ("Currency",),
                "status": ("Status",),
                "country": ("Card Address Country",),
            },
            statuses=_STRIPE_STATUSES,
            ignored=("Captured", "Converted Amount", "Converted Amount Refunded", "Fee", "Taxes On Fee"),
            title="a Stripe payments export",
        ),
        Preset(
            name="paypal",
            grain="order",
            signature=("Transaction ID", "Gross", "From Email Address", "To Email Address"),
            fields={
                "order_id": ("Transaction ID",),
                "ordered_at": ("Date",),
                "name": ("Name",),
                "email": ("From Email Address",),
                "phone": ("Contact Phone Number",),
                "total": ("Gross",),
                "currency": ("Currency",),
                "status": ("Status",),
                "product": ("Item Title",),
                "shipping": ("Shipping and Handling Amount",),
                "city": ("Town/City",),
                "country": ("Country Code", "Country"),
            },
            time_column="Time",
            statuses={
                "completed": "paid",
                "cleared": "paid",
                "pending": "pending",
                "uncleared": "pending",
                "unclaimed": "pending",
                "held": "pending",
                "reversed": "refunded",
                "refunded": "refunded",
                "partially refunded": "partially_refunded",
                "denied": None,
                "canceled": None,
                "cancelled": None,
                "failed": None,
                "expired": None,
            },
            ignored=("Fee", "Net", "Balance", "Sales Tax", "Insurance Amount", "Invoice Number", "Receipt ID"),
            rule=_paypal,
            title="a PayPal activity download",
        ),
        Preset(
            name="gumroad",
            grain="order",
            signature=("Purchase ID", "Purchase Email", "Sale Price ($)"),
            fields={
                "order_id": ("Purchase ID",),
                "ordered_at": ("Purchase Time (UTC timezone)", "Purchase Date"),
                "email": ("Purchase Email",),
                "name": ("Buyer Name",),
                "total": ("Sale Price ($)",),
                "refunded": ("Partial Refund ($)",),
                "shipping": ("Shipping ($)",),
                "discount_code": ("Discount Code",),
                "product": ("Item Name",),
                "quantity": ("Quantity",),
                "city": ("City",),
                "country": ("Country",),
            },
            fallbacks={"email": ("Buyer Email",)},
            currency="USD",  # every "($)" column is in US dollars, whatever the buyer paid in
            flags=(
                ("Fully Refunded?", "refunded"),
                ("Refunded?", "partially_refunded"),
                ("Pre-order authorization?", "pending"),
            ),
            ignored=(
                "Item Price ($)",
                "Variants Price ($)",
                "Subtotal ($)",
                "Taxes ($)",
                "Fees ($)",
                "Net Total ($)",
                "Tip ($)",
                "Order Number",
                "Buyer Total",
                "Buyer Refunded Total",
                "Disputed?",
                "Dispute Won?",
            ),
            rule=_gumroad,
            title="a Gumroad sales export",
        ),
        Preset(
            name="lemonsqueezy",
            grain="order",
            signature=("identifier", "order_number", "user_email", "total"),
            fields={
                "order_id": ("identifier", "order_number"),
                "ordered_at": ("created_at",),
                "customer_id": ("customer_id",),
                "email": ("user_email",),
                "name": ("user_name",),
                "total": ("total",),
                "refunded": ("refunded_amount",),
                "discount": ("discount_total",),
                "currency": ("currency",),
                "status": ("status",),
            },
            minor_units=True,  # "a positive integer in cents"
            statuses={
                "paid": "paid",
                "pending": "pending",
                "refunded": "refunded",
                "partial refund": "partially_refunded",
                "failed": None,
                "fraudulent": None,
            },
            ignored=(
                "refunded",  # true/false
                "subtotal",
                "setup_fee",
                "tax",
                "subtotal_usd",
                "setup_fee_usd",
                "discount_total_usd",
                "tax_usd",
                "total_usd",
                "currency_rate",
            ),
            title="a Lemon Squeezy orders export",
        ),
    )
}

# Exports of people, not orders: recognised so that they are not read as orders.
CUSTOMER_EXPORTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("a Shopify customers export", ("First Name", "Last Name", "Email", "Total Spent", "Total Orders")),
)

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


def _matched(preset: Preset, present: set[str]) -> int:
    """How many headers of the preset's best matching signature the file has (0: none matches)."""
    return max(
        (len(sig) for sig in preset.signatures if all(normalise_header(h) in present for h in sig)),
        default=0,
    )


def detect_preset(headers: list[str]) -> Preset:
    """The preset whose signature headers are all present (the most specific), else generic."""
    present = {normalise_header(h) for h in headers}
    best = max(PRESETS.values(), key=lambda p: _matched(p, present))
    return best if _matched(best, present) else GENERIC


def matches(preset: Preset, headers: list[str]) -> bool:
    """True when the file has one of the preset's signatures (generic matches anything)."""
    return preset is GENERIC or _matched(preset, {normalise_header(h) for h in headers}) > 0


def customers_export(headers: list[str]) -> str | None:
    """What the file is when it is an export of people rather than orders ("a Shopify customers export")."""
    present = {normalise_header(h) for h in headers}
    return next((what for what, sig in CUSTOMER_EXPORTS if all(normalise_header(h) in present for h in sig)), None)


def preset_named(name: str) -> Preset:
    if name == "generic":
        return GENERIC
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownLayoutError(
            _("unknown format {fmt!r}; choose one of {names}").format(fmt=name, names=", ".join(FORMATS))
        ) from None


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
                if header is None or normalise_header(header) in used:
                    continue
                if canonical in MONEY_FIELDS and header.rstrip().endswith("?"):
                    continue  # "Refunded?" is a yes/no question, never an amount
                mapping[canonical] = header
                used.add(normalise_header(header))
                break
    return mapping


def _reserved(preset: Preset) -> set[str]:
    """Headers (normalised) a preset reads for another purpose, never mapped to a field by synonym."""
    reserved = {normalise_header(preset.time_column)} if preset.time_column else set()
    if preset.row_filter:
        reserved.add(normalise_header(preset.row_filter[0]))
    reserved.update(normalise_header(header) for header in preset.ignored)
    reserved.update(normalise_header(header) for header, _flag in preset.flags)
    return reserved


def refund_questions(headers: list[str]) -> list[str]:
    """Yes/no headers that ask whether the order was refunded ("Refunded?")."""
    names = {normalise_header(name) for name in GENERIC_FIELDS["refunded"]}
    return [h for h in headers if h.rstrip().endswith("?") and normalise_header(h) in names]


def find_header(headers: list[str], wanted: str) -> str | None:
    """The file's spelling of a header, compared loosely."""
    key = normalise_header(wanted)
    return next((h for h in headers if normalise_header(h) == key), None)


def grain_for(preset: Preset, mapping: dict[str, str]) -> str:
    """A preset knows its grain; a generic file is line-grained when it has line columns and an order id
    to group them by. Without an order id each row is one order (a purchase log: customer, date, qty, amount)."""
    if preset is not GENERIC:
        return preset.grain
    return "line" if "order_id" in mapping and any(f in mapping for f in LINE_FIELDS) else "order"
