"""Column detection by header name: platform presets and generic synonyms (EN/RU/PL)."""

from __future__ import annotations

import pytest

from shopkeep.importing.parse import ImportOptions, plan_file
from shopkeep.importing.presets import detect_preset, map_headers, normalise_header

# Header rows as the platforms write them (subsets of the real exports; no data rows needed).
SHOPIFY = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,"
    "Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
    "Lineitem compare at price,Lineitem sku,Billing Name,Billing City,Billing Phone,Shipping Name,Shipping City,"
    "Shipping Country,Notes,Cancelled at,Refunded Amount,Id,Phone"
)
WOOCOMMERCE = (
    "Order Number,Order Status,Order Date,Customer Note,First Name (Billing),Last Name (Billing),City (Billing),"
    "Country Code (Billing),Email (Billing),Phone (Billing),City (Shipping),Payment Method Title,"
    "Cart Discount Amount,Order Subtotal Amount,Order Shipping Amount,Order Refund Amount,Order Total Amount,"
    "SKU,Item #,Item Name,Quantity,Item Cost,Coupon Code,Discount Amount"
)
SQUARE = (
    "Date,Time,Time Zone,Category,Item,Qty,Price Point Name,SKU,Modifiers Applied,Gross Sales,Discounts,"
    "Net Sales,Tax,Transaction ID,Payment ID,Device Name,Notes,Details,Event Type,Location,Customer ID,"
    "Customer Name,Customer Reference ID"
)
ETSY = (
    "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,Payment Method,Date Shipped,"
    "Ship City,Ship State,Ship Zipcode,Ship Country,Currency,Order Value,Coupon Code,Discount Amount,Shipping,"
    "Sales Tax,Order Total,Status,Order Net,Adjusted Order Total,Buyer"
)
TILDA = "Email;Name;Phone;Сумма заказа;Статус оплаты;tranid;formid;formname;referer;Date"
PRESTASHOP = "ID;Reference;New client;Delivery;Customer;Total;Payment;Status;Date"
UCI = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
RUSSIAN = "Номер заказа;Дата;Клиент;Телефон;E-mail;Сумма;Статус;Валюта"
POLISH = "Numer zamówienia;Data zamówienia;Imię i nazwisko;Telefon;Adres e-mail;Kwota;Waluta;Miasto"


def plan(tmp_path, header: str, **options):
    path = tmp_path / "export.csv"
    path.write_text(header + "\n", encoding="utf-8")
    options.setdefault("currency", "EUR")
    return plan_file(path, ImportOptions(**options))


@pytest.mark.parametrize(
    ("header", "source", "grain", "expected"),
    [
        (
            SHOPIFY,
            "shopify",
            "line",
            {
                "order_id": "Name",
                "ordered_at": "Created at",
                "status": "Financial Status",
                "quantity": "Lineitem quantity",
                "unit_price": "Lineitem price",
                "sku": "Lineitem sku",
                "product": "Lineitem name",
                "total": "Total",
                "currency": "Currency",
                "email": "Email",
                "phone": "Phone",
                "name": "Billing Name",
                "city": "Shipping City",
                "discount_code": "Discount Code",
                "discount": "Discount Amount",
                "shipping": "Shipping",
            },
        ),
        (
            WOOCOMMERCE,
            "woocommerce",
            "line",
            {
                "order_id": "Order Number",
                "ordered_at": "Order Date",
                "email": "Email (Billing)",
                "phone": "Phone (Billing)",
                "first_name": "First Name (Billing)",
                "last_name": "Last Name (Billing)",
                "total": "Order Total Amount",
                "status": "Order Status",
                "sku": "SKU",
                "product": "Item Name",
                "quantity": "Quantity",
                "unit_price": "Item Cost",
                "discount_code": "Coupon Code",
                "city": "City (Shipping)",
            },
        ),
        (
            SQUARE,
            "square",
            "line",
            {
                "order_id": "Transaction ID",
                "ordered_at": "Date",
                "customer_id": "Customer ID",
                "name": "Customer Name",
                "line_total": "Net Sales",
                "status": None,
                "discount": "Discounts",
                "product": "Item",
                "quantity": "Qty",
                "sku": "SKU",
            },
        ),
        (
            ETSY,
            "etsy",
            "order",
            {
                "order_id": "Order ID",
                "ordered_at": "Sale Date",
                "customer_id": "Buyer User ID",
                "name": "Full Name",
                "total": "Order Total",
                "currency": "Currency",
                "status": "Status",
                "discount_code": "Coupon Code",
                "discount": "Discount Amount",
                "city": "Ship City",
            },
        ),
        (
            TILDA,
            "tilda",
            "order",
            {
                "order_id": "tranid",
                "ordered_at": "Date",
                "email": "Email",
                "phone": "Phone",
                "name": "Name",
                "total": "Сумма заказа",
                "status": "Статус оплаты",
            },
        ),
        (
            PRESTASHOP,
            "prestashop",
            "order",
            {
                "order_id": "ID",
                "ordered_at": "Date",
                "name": "Customer",
                "total": "Total",
                "status": "Status",
                "country": "Delivery",
            },
        ),
        (
            UCI,
            "generic",
            "line",
            {
                "order_id": "InvoiceNo",
                "ordered_at": "InvoiceDate",
                "customer_id": "CustomerID",
                "unit_price": "UnitPrice",
                "quantity": "Quantity",
                "sku": "StockCode",
                "product": "Description",
                "country": "Country",
            },
        ),
        (
            RUSSIAN,
            "generic",
            "order",
            {
                "order_id": "Номер заказа",
                "ordered_at": "Дата",
                "name": "Клиент",
                "phone": "Телефон",
                "email": "E-mail",
                "total": "Сумма",
                "status": "Статус",
                "currency": "Валюта",
            },
        ),
        (
            POLISH,
            "generic",
            "order",
            {
                "order_id": "Numer zamówienia",
                "ordered_at": "Data zamówienia",
                "name": "Imię i nazwisko",
                "phone": "Telefon",
                "email": "Adres e-mail",
                "total": "Kwota",
                "currency": "Waluta",
                "city": "Miasto",
            },
        ),
    ],
    ids=["shopify", "woocommerce", "square", "etsy", "tilda", "prestashop", "uci", "russian", "polish"],
)
def test_each_layout_is_recognised_by_its_headers(tmp_path, header, source, grain, expected):
    got = plan(tmp_path, header)
    assert (got.source, got.grain) == (source, grain)
    assert {field: got.fields.get(field) for field in expected} == expected


def test_platform_extras_beyond_single_columns(tmp_path):
    shopify = plan(tmp_path, SHOPIFY)
    assert shopify.fallbacks["phone"] == ["Billing Phone"]  # Shopify's Phone is often empty
    square = plan(tmp_path, SQUARE)
    assert square.time_column == "Time"
    tilda = plan(tmp_path, TILDA)
    assert tilda.row_filter == ("formname", "Cart")
    assert plan(tmp_path, ETSY).date_format == "MDY"


def test_tilda_forms_named_in_russian(tmp_path):
    got = plan(tmp_path, "tranid;formname;Date;имя;телефон;Email;Сумма заказа")
    assert got.source == "tilda"
    assert (got.fields["name"], got.fields["phone"], got.fields["total"]) == ("имя", "телефон", "Сумма заказа")


def test_columns_are_found_by_name_not_position(tmp_path):
    shuffled = ",".join(reversed(UCI.split(",")))
    assert plan(tmp_path, shuffled).fields == plan(tmp_path, UCI).fields


def test_headers_match_loosely():
    assert normalise_header("Email (Billing)") == normalise_header("email_billing") == "emailbilling"
    assert normalise_header(" E-MAIL ") == normalise_header("email")
    assert normalise_header("Дата заказа") == "датазаказа"
    headers = ["ORDER-DATE", "order id", "total amount", "e_mail"]
    assert map_headers(detect_preset(headers), headers) == {
        "order_id": "order id",
        "ordered_at": "ORDER-DATE",
        "total": "total amount",
        "email": "e_mail",
    }


def test_a_named_format_beats_detection(tmp_path):
    got = plan(tmp_path, "Order ID,Date,Total", format="prestashop", overrides={"order_id": "Order ID"})
    assert got.source == "prestashop"
    assert got.fields["order_id"] == "Order ID"
