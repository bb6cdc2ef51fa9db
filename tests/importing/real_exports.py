"""Header rows of real platform exports (as the platforms write them) and a helper to write small files.

The people, orders and notes in the tests are invented; the column names and their order are real.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path


def header_row(line: str) -> list[str]:
    """The columns of a header line as the platform writes it."""
    return next(csv.reader([line]))


# Shopify Admin > Orders > Export ("orders_export.csv"), one row per line item.
SHOPIFY = header_row(
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
    "Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
    "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,"
    "Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Phone,Receipt Number,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment References"
)

# Etsy Shop Manager > Settings > Options > Download Data > Orders ("EtsySoldOrders2026.csv").
ETSY = header_row(
    "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,Payment Method,Date Shipped,"
    "Street 1,Street 2,Ship City,Ship State,Ship Zipcode,Ship Country,Currency,Order Value,Coupon Code,"
    "Coupon Details,Discount Amount,Shipping Discount,Shipping,Sales Tax,Order Total,Status,Card Processing Fees,"
    "Order Net,Adjusted Order Total,Adjusted Card Processing Fees,Adjusted Net Order Amount,Buyer,Order Type,"
    "Payment Type,InPerson Discount,InPerson Location,SKU"
)

# WooCommerce "Advanced Order Export For WooCommerce" plugin, default fields, one row per product.
WOOCOMMERCE = header_row(
    "Order Number,Order Status,Order Date,Customer Note,First Name (Billing),Last Name (Billing),Company (Billing),"
    "Address 1&2 (Billing),City (Billing),State Code (Billing),Postcode (Billing),Country Code (Billing),"
    "Email (Billing),Phone (Billing),First Name (Shipping),Last Name (Shipping),Address 1&2 (Shipping),"
    "City (Shipping),State Code (Shipping),Postcode (Shipping),Country Code (Shipping),Payment Method Title,"
    "Cart Discount Amount,Order Subtotal Amount,Shipping Method Title,Order Shipping Amount,Order Refund Amount,"
    "Order Total Amount,Order Total Tax Amount,SKU,Item #,Item Name,Quantity (- Refund),Item Cost,Coupon Code"
)

# UCI "Online Retail" invoices.
UCI = header_row("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country")


def export_text(header: list[str], rows: list[dict[str, str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    """The CSV text a platform (or Excel re-saving it) writes: every column, empty where a row has no value."""
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, f"not a column of this export: {unknown}"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def write_export(
    path: Path, header: list[str], rows: list[dict[str, str]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    path.write_bytes(export_text(header, rows, delimiter).encode(encoding))
    return path
