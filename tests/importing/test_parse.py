"""From a file to typed rows: the plan (layout, date order, remembered mappings) and the rows."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopkeep.errors import ShopkeepError
from shopkeep.importing.model import BadValue, ParsedRow
from shopkeep.importing.parse import (
    DateFormatError,
    ImportOptions,
    Skipped,
    UnknownLayoutError,
    parse_rows,
    plan_file,
)
from shopkeep.store import Store


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def parse(path: Path, options: ImportOptions | None = None, store: Store | None = None, warnings=None):
    options = options or ImportOptions()
    plan = plan_file(path, options, store)
    return list(parse_rows(path, plan, options, on_warning=None if warnings is None else warnings.append))


def test_a_shopify_export_becomes_typed_line_rows(tmp_path):
    path = write(
        tmp_path,
        "Name,Email,Financial Status,Created at,Currency,Total,Discount Amount,Lineitem quantity,Lineitem name,"
        "Lineitem price,Lineitem sku,Billing Name,Billing Phone,Phone\n"
        "#1001, Ann@Example.COM ,paid,2026-04-05 21:06:21 +0400,EUR,20.50,1.00,2,Mug,8.00,MUG-1,Ann Tester,"
        "+48 600 123 456,\n"
        "#1001,,,2026-04-05 21:06:21 +0400,,,,1,Plate,4.50,PL-1,,,\n",
    )
    first, second = parse(path)
    assert first == ParsedRow(
        line=2,
        order_id="#1001",
        ordered_at=dt.datetime(2026, 4, 5, 21, 6, 21),
        email="ann@example.com",
        phone="+48600123456",  # from Billing Phone: the Phone column is empty
        name="Ann Tester",
        total=2050,
        unit_price=800,
        quantity=2.0,
        currency="EUR",
        status="paid",
        sku="MUG-1",
        product="Mug",
        discount=100,
    )
    assert (second.line, second.order_id, second.unit_price, second.total, second.currency) == (
        3,
        "#1001",
        450,
        None,
        None,
    )


def test_cp1251_semicolons_and_quoted_newlines_keep_editor_line_numbers(tmp_path):
    text = (
        "Номер заказа;Дата;Клиент;Телефон;Сумма;Статус\r\n"
        '1;01.02.2024;"Анна\r\nПетрова";8 (916) 123-45-67;1 234,50;Выполнен\r\n'  # lines 2-3
        "2;02.02.2024;Иван;;1,234;Отменен\r\n"  # line 4: ambiguous amount
        "3;31.02.2024;Олег;;10,00;Оплачен\r\n"  # line 5: no such day
        "4;03.02.2024;Мария;;99,90;Выполнен\r\n"  # line 6
    )
    path = write(tmp_path, text, "cp1251")
    rows = parse(path, ImportOptions(currency="RUB", country="RU"))
    assert isinstance(rows[0], ParsedRow)
    assert (rows[0].line, rows[0].name, rows[0].total, rows[0].phone) == (2, "Анна Петрова", 123450, "+79161234567")
    assert rows[0].ordered_at == dt.datetime(2024, 2, 1)
    assert rows[1] == [BadValue(4, "Сумма", "1,234", rows[1][0].reason)]
    assert "ambiguous" in rows[1][0].reason
    assert [(b.line, b.column) for b in rows[2]] == [(5, "Дата")]
    assert (rows[3].line, rows[3].total, rows[3].status, rows[3].currency) == (6, 9990, "paid", "RUB")


def test_utf8_bom_file_reads_its_first_column(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total,Currency\n7,2024-05-01,5.00,PLN\n", "utf-8-sig")
    (row,) = parse(path)
    assert (row.order_id, row.total, row.currency) == ("7", 500, "PLN")


def test_an_undecidable_slash_date_column_stops_and_asks(tmp_path):
    path = write(
        tmp_path,
        "Order ID,Date,Total\n1,01/02/2024,5.00\n2,03/04/2024,6.00\n3,12/11/2024,7.00\n",
    )
    with pytest.raises(DateFormatError, match="--date-format DD/MM/YYYY") as caught:
        plan_file(path, ImportOptions(currency="EUR"))
    assert '"Date"' in str(caught.value) and "line 2" in str(caught.value)
    rows = parse(path, ImportOptions(currency="EUR", date_format="DD/MM/YYYY"))
    assert [r.ordered_at.date() for r in rows] == [dt.date(2024, 2, 1), dt.date(2024, 4, 3), dt.date(2024, 11, 12)]
    rows = parse(path, ImportOptions(currency="EUR", date_format="%m/%d/%Y"))
    assert rows[0].ordered_at.date() == dt.date(2024, 1, 2)


def test_one_late_value_decides_the_whole_column_never_row_by_row(tmp_path):
    lines = [f"{n},{n % 12 + 1}/1/2010 8:26,1.00" for n in range(50)] + ["99,12/13/2010 9:00,1.00"]
    path = write(tmp_path, "InvoiceNo,InvoiceDate,UnitPrice\n" + "\n".join(lines) + "\n")
    options = ImportOptions(currency="GBP")
    assert plan_file(path, options).date_format == "MDY"
    rows = parse(path, options)
    assert rows[0].ordered_at == dt.datetime(2010, 1, 1, 8, 26)  # month first, like the decisive row
    assert rows[-1].ordered_at == dt.datetime(2010, 12, 13, 9, 0)


def test_unknown_layout_names_the_headers_and_shows_the_map_option(tmp_path):
    path = write(tmp_path, "When,Who,How much\n2024-01-01,x,5\n")
    with pytest.raises(UnknownLayoutError) as caught:
        plan_file(path, ImportOptions(currency="EUR"))
    message = str(caught.value)
    assert '"When", "Who", "How much"' in message
    assert "the order date" in message and "the order total" in message
    assert '--map ordered_at="When"' in message
    assert "\n" not in message
    rows = parse(path, ImportOptions(currency="EUR", overrides={"ordered_at": "When", "total": "how much"}))
    assert (rows[0].ordered_at, rows[0].total) == (dt.datetime(2024, 1, 1), 500)


def test_a_file_without_a_header_row_is_refused_without_echoing_personal_data(tmp_path):
    path = write(tmp_path, "1001,ann@example.com,+48600123456,Anna Kowalska,2024-01-01,12.00\n")
    with pytest.raises(ShopkeepError) as caught:
        plan_file(path, ImportOptions(currency="EUR"))
    message = str(caught.value)
    assert "ann@example.com" not in message and "600123456" not in message and "Kowalska" not in message
    assert "seems to have no header row" in message and "column 2 an email address" in message


def test_the_example_names_a_likely_column(tmp_path):
    path = write(tmp_path, "Ref,Buyer,Purchased on (date),Paid\n1,x,2024-01-01,5\n")
    with pytest.raises(UnknownLayoutError, match=re.escape('e.g. --map ordered_at="Purchased on (date)"')):
        plan_file(path, ImportOptions(currency="EUR"))


def test_line_grained_files_need_an_order_id(tmp_path):
    path = write(
        tmp_path,
        "Name,Created at,Financial Status,Lineitem quantity,Lineitem price,Total,Currency\n"
        "#1,2024-01-01,paid,1,5.00,5.00,EUR\n",
    )
    with pytest.raises(UnknownLayoutError, match="order id"):
        plan_file(path, ImportOptions(overrides={"order_id": ""}))


def test_a_file_without_currency_needs_the_option(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total\n1,2024-01-01,5.00\n")
    with pytest.raises(UnknownLayoutError, match="pass --currency EUR"):
        plan_file(path, ImportOptions())
    (row,) = parse(path, ImportOptions(currency="eur"))
    assert (row.currency, row.total) == ("EUR", 500)


def test_currency_without_decimals_rejects_cents(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total\n1,2024-01-01,5.50\n2,2024-01-01,1500\n")
    bad, good = parse(path, ImportOptions(currency="JPY"))
    assert bad[0].reason == "too many decimals (2); the currency allows 0"
    assert (good.total, good.currency) == (1500, "JPY")


def test_bad_options_are_one_clear_line(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total\n1,2024-01-01,5.00\n")
    for options, message in (
        (ImportOptions(currency="euros"), "3-letter code"),
        (ImportOptions(currency="EUR", country="Narnia"), "2-letter ISO code"),
        (ImportOptions(currency="EUR", format="magento"), "choose one of auto, shopify"),
        (ImportOptions(currency="EUR", overrides={"colour": "Total"}), "unknown field"),
        (ImportOptions(currency="EUR", overrides={"total": "Sum"}), "no such column"),
        (ImportOptions(currency="EUR", date_format="whenever"), "unknown date format"),
    ):
        with pytest.raises(ShopkeepError, match=message):
            plan_file(path, options)


def test_a_mapping_given_once_is_remembered_for_the_same_headers(tmp_path):
    store = Store.memory()
    first = write(tmp_path, "When,Ref,Paid\n01/02/2024,A1,5.00\n", name="march.csv")
    options = ImportOptions(
        currency="EUR", overrides={"ordered_at": "When", "order_id": "Ref", "total": "Paid"}, date_format="DD/MM/YYYY"
    )
    plan = plan_file(first, options, store)
    # Next month's file: same headers (spelt a little differently), no options repeated.
    second = write(tmp_path, "when,REF,paid\n03/04/2024,A2,6.00\n", name="april.csv")
    again = plan_file(second, ImportOptions(currency="EUR"), store)
    assert again.fields == {"ordered_at": "when", "order_id": "REF", "total": "paid"}
    assert again.date_format == plan.date_format == "DMY"
    (row,) = parse_rows(second, again, ImportOptions(currency="EUR"))
    assert (row.order_id, row.ordered_at, row.total) == ("A2", dt.datetime(2024, 4, 3), 600)
    # Other headers are not affected.
    other = write(tmp_path, "When,Ref\n01/02/2024,A1\n", name="other.csv")
    with pytest.raises(UnknownLayoutError):
        plan_file(other, ImportOptions(currency="EUR"), store)


def test_a_dry_run_uses_but_does_not_remember_a_mapping(tmp_path):
    store = Store.memory()
    path = write(tmp_path, "When,Paid\n2024-01-02,5.00\n")
    options = ImportOptions(currency="EUR", overrides={"ordered_at": "When", "total": "Paid"})
    assert plan_file(path, options, store, remember=False).fields == {"ordered_at": "When", "total": "Paid"}
    with pytest.raises(UnknownLayoutError):
        plan_file(path, ImportOptions(currency="EUR"), store)


def test_tilda_callback_forms_and_blank_lines_are_skipped_not_errors(tmp_path):
    path = write(
        tmp_path,
        "Email;Name;Phone;Сумма заказа;Статус оплаты;tranid;formname;Date\n"
        "a@b.pl;Ann;+48600123456;1500;Оплачено;818396:1;Cart;2020-03-31 08:17:04\n"
        ";Bob;+48600123457;;;818396:2;Callback;2020-03-31 09:00:00\n"
        "\n"
        "c@d.pl;Cat;;990,50;;818396:3;cart;2020-04-01 10:00:00\n",
    )
    rows = parse(path, ImportOptions(currency="RUB"))
    assert [type(r).__name__ for r in rows] == ["ParsedRow", "Skipped", "Skipped", "ParsedRow"]
    assert rows[1] == Skipped(3, "not an order (another form)")
    assert rows[2] == Skipped(4, "blank line")
    assert (rows[0].order_id, rows[0].total, rows[0].status) == ("818396:1", 150000, "paid")
    assert (rows[3].line, rows[3].total) == (5, 99050)


def test_square_items_join_date_and_time_and_read_refunds(tmp_path):
    path = write(
        tmp_path,
        "Date,Time,Time Zone,Item,Qty,SKU,Gross Sales,Discounts,Transaction ID,Event Type,Customer ID,Customer Name\n"
        "2026-07-18,13:45:10,Eastern Time,Latte,2,LAT,$8.00,-$1.00,T1,Payment,C9,\n"
        "2026-07-19,09:00:00,Eastern Time,Latte,-1,LAT,-$4.00,$0.00,T2,Refund,C9,N/A\n",
    )
    sale, refund = parse(path, ImportOptions(currency="USD"))
    assert (sale.ordered_at, sale.line_total, sale.discount, sale.quantity) == (
        dt.datetime(2026, 7, 18, 13, 45, 10),
        800,
        100,
        2.0,
    )
    assert (sale.customer_id, sale.name) == ("C9", None)
    # Payment or Refund is in the sign of the amounts: one transaction may hold both
    assert (refund.line_total, refund.quantity) == (-400, -1.0)


def test_etsy_dates_are_month_first(tmp_path):
    path = write(
        tmp_path,
        "Sale Date,Order ID,Buyer User ID,Full Name,Order Total,Currency,Status\n"
        "12/31/22,1001,77,Ann Tester,25.00,USD,Completed\n"
        "01/02/23,1002,,Bob,10.00,USD,Canceled\n",
    )
    first, second = parse(path)
    assert first.ordered_at == dt.datetime(2022, 12, 31)
    assert second.ordered_at == dt.datetime(2023, 1, 2)
    assert (second.status, second.customer_id) == ("cancelled", None)


def test_a_platform_order_is_only_a_fallback_for_undecidable_columns(tmp_path):
    header = "Sale Date,Order ID,Full Name,Order Total,Currency\n"
    uk = write(tmp_path, header + "02/01/23,1,A,1.00,GBP\n31/01/23,2,B,1.00,GBP\n", name="uk.csv")
    assert parse(uk)[0].ordered_at == dt.datetime(2023, 1, 2)  # the column says day first
    us = write(tmp_path, header + "02/01/23,1,A,1.00,USD\n", name="us.csv")
    assert parse(us)[0].ordered_at == dt.datetime(2023, 2, 1)  # undecidable: Etsy writes month first


def test_uci_invoices_keep_cancellations_and_guest_rows(tmp_path):
    path = write(
        tmp_path,
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
        "C536379,D,Discount,-1,12/1/2010 9:41,27.50,NA,United Kingdom\n"
        "536380,22961,JAM MAKING SET,24,12/13/2010 9:41,1.45,,France\n",
    )
    first, credit, guest = parse(path, ImportOptions(currency="GBP"))
    assert (first.order_id, first.quantity, first.unit_price, first.customer_id) == ("536365", 6.0, 255, "17850")
    assert (credit.order_id, credit.quantity, credit.customer_id) == ("C536379", -1.0, None)
    assert (guest.customer_id, guest.country, guest.ordered_at) == (None, "France", dt.datetime(2010, 12, 13, 9, 41))


def test_bad_phones_and_emails_are_warnings_not_bad_rows(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total,Email,Phone\n1,2024-01-01,5.00,not-an-email,12\n")
    warnings: list[BadValue] = []
    (row,) = parse(path, ImportOptions(currency="EUR", country="PL"), warnings=warnings)
    assert isinstance(row, ParsedRow) and (row.email, row.phone, row.total) == (None, None, 500)
    assert [(w.line, w.column) for w in warnings] == [(2, "Email"), (2, "Phone")]
    assert all(w.value == "" for w in warnings)  # warnings never carry the personal value


def test_rows_with_missing_or_extra_cells(tmp_path):
    path = write(
        tmp_path,
        "Order ID,Date,Total,City\n1,2024-01-01,5.00\n2,2024-01-01,5.00,Łódź,surprise\n3,2024-01-01,5.00,Łódź,\n",
    )
    short, extra, trailing = parse(path, ImportOptions(currency="EUR"))
    assert (short.order_id, short.city) == ("1", None)
    assert extra == [BadValue(3, "(record)", "", "has 5 cells but the header has 4")]
    assert (trailing.order_id, trailing.city) == ("3", "Łódź")


def test_a_row_with_every_problem_reports_them_all(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total,Status,Currency,Quantity\n1,soon,1e3,lost,€€€,many\n")
    (bad,) = parse(path)
    assert {b.column for b in bad} == {"Date", "Total", "Status", "Currency", "Quantity"}
    assert all(b.line == 2 for b in bad)


def test_a_repeated_bad_date_is_bad_on_every_line(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total\n1,soon,5.00\n2,soon,5.00\n3,2024-01-01,5.00\n")
    first, second, good = parse(path, ImportOptions(currency="EUR"))
    assert [b.line for b in first + second] == [2, 3]
    assert good.ordered_at == dt.datetime(2024, 1, 1)


def test_order_rows_need_a_date_and_some_money(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total\n1,,5.00\n2,2024-01-01,\n")
    no_date, no_money = parse(path, ImportOptions(currency="EUR"))
    assert [(b.column, b.reason) for b in no_date] == [("Date", "no order date")]
    assert [(b.column, b.reason) for b in no_money] == [("Total", "no amount")]


def test_parse_rows_streams(tmp_path):
    path = write(tmp_path, "Order ID,Date,Total\n" + "".join(f"{n},2024-01-01,1.00\n" for n in range(5000)))
    options = ImportOptions(currency="EUR")
    rows = parse_rows(path, plan_file(path, options), options)
    assert next(rows).order_id == "0"  # a generator: nothing is read ahead into a list
    assert sum(1 for _ in rows) == 4999


@given(data=st.binary(max_size=600), prefix=st.sampled_from([b"", b"Order ID,Date,Total\n", b"\xef\xbb\xbfa;b\n"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_bytes_never_raise_anything_but_a_clear_error(data, prefix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_bytes(prefix + data)
        options = ImportOptions(currency="EUR")
        try:
            plan = plan_file(path, options)
            for item in parse_rows(path, plan, options):
                assert isinstance(item, ParsedRow | Skipped | list)
        except ShopkeepError as exc:
            assert str(exc) and "\n" not in str(exc)


def test_a_header_with_a_line_break_inside_is_named_by_its_number_in_a_one_line_message(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b'"\x01\n\x01"\n')
    with pytest.raises(UnknownLayoutError) as caught:
        plan_file(path, ImportOptions())
    assert "\n" not in str(caught.value) and '"column 1"' in str(caught.value)
