"""A file whose first line is an order, not column names: refused with what to do, and its data never
remembered as a mapping."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.importing.mappings import load_mapping, save_mapping
from shopkeep.importing.readers import read_layout
from shopkeep.importing.shapes import data_like_header
from shopkeep.store import Store
from tests.importing.real_exports import ETSY, SHOPIFY, UCI, WOOCOMMERCE, export_text

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["import", "--db", str(db_path), *map(str, args)])


ROWS = [
    {
        "Order Number": "4471",
        "Order Status": "completed",
        "Order Date": "2026-02-11 14:03",
        "First Name (Billing)": "Anna",
        "Last Name (Billing)": "Secretname",
        "Email (Billing)": "anna.secretname@example.com",
        "Phone (Billing)": "+48 601 234 567",
        "Order Total Amount": "149.90",
        "Item Name": "Linen apron",
    },
    {
        "Order Number": "4472",
        "Order Status": "completed",
        "Order Date": "2026-02-12 09:30",
        "First Name (Billing)": "Bob",
        "Last Name (Billing)": "Hiddenberg",
        "Email (Billing)": "bob@example.com",
        "Order Total Amount": "20.00",
        "Item Name": "Tea towel",
    },
]
PERSONAL = ("Anna", "Secretname", "anna.secretname", "601 234 567", "601234567", "Linen apron", "Hiddenberg")


def headerless(tmp_path):
    """A WooCommerce export saved without its header row (the plugin's "output column titles" unticked)."""
    text = export_text(WOOCOMMERCE, ROWS).split("\r\n", 1)[1]
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_without_a_header_row_is_refused_with_what_to_do_and_no_personal_data(db_path, tmp_path):
    result = run(db_path, headerless(tmp_path), "--currency", "EUR")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: orders.csv seems to have no header row: its first line holds data (column 1 a number, column 3 a"
        " date, column 13 an email address, column 14 a phone number), not column names. Add a first line naming"
        " its 35 columns (e.g. Order ID,Date,Email,Total) and import it again"
    )
    for text in PERSONAL:
        assert text not in result.output
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM orders") == 0


def test_mapping_columns_of_a_headerless_file_never_remembers_its_first_order(db_path, tmp_path):
    path = headerless(tmp_path)
    result = run(db_path, path, "--currency", "EUR", "--map", "order_id=4471", "--map", "ordered_at=2026-02-11 14:03")
    assert result.exit_code == 1
    assert "seems to have no header row" in result.stderr
    for text in PERSONAL:
        assert text not in result.output
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM header_mappings") == 0


def test_the_mapping_store_refuses_a_data_row_as_headers_whoever_calls_it(store):
    data_row = ["4471", "2026-02-11 14:03", "anna.secretname@example.com", "Anna Secretname", "149.90"]
    save_mapping(store, data_row, {"order_id": "4471", "total": "149.90"}, None, None)
    assert store.scalar("SELECT count(*) FROM header_mappings") == 0
    assert load_mapping(store, data_row) is None
    real = ["Ref", "When", "Mail", "Money"]
    save_mapping(store, real, {"order_id": "Ref", "total": "Money"}, None, None)
    assert load_mapping(store, real)["mapping"] == {"order_id": "Ref", "total": "Money"}


def test_a_first_line_of_names_and_numbers_only_is_refused_too(db_path, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("1001,Anna Secretname,Kraków,15\n1002,Bob Hiddenberg,Gdańsk,20\n", encoding="utf-8")
    result = run(db_path, path, "--currency", "PLN")
    assert result.exit_code == 1
    assert "seems to have no header row" in result.stderr
    assert "column 1 a number, column 4 a number" in result.stderr
    assert "Secretname" not in result.output and "Kraków" not in result.output


@pytest.mark.parametrize(
    "header",
    [
        SHOPIFY,
        ETSY,
        WOOCOMMERCE,
        UCI,
        ["tranid", "formname", "Name", "Email", "Phone", "Сумма заказа", "Статус оплаты", "Date"],  # Tilda
        ["Date", "Time", "Time Zone", "Gross Sales", "Discounts", "Net Sales", "Transaction ID", "Event Type"],
        ["Order ID", "Order Date", "Total (€)", "VAT 23", "Address 2", "Billing Address1", "Tax 1 Value"],
    ],
    ids=["shopify", "etsy", "woocommerce", "uci", "tilda", "square", "odd-names"],
)
def test_real_header_rows_are_not_taken_for_data(tmp_path, header):
    assert data_like_header(header) == []
    path = tmp_path / "export.csv"
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    assert read_layout(path).headers == header
