"""Reading files: encodings, delimiters, quoted newlines, line numbers and files that are not CSV."""

from __future__ import annotations

import pytest

from shopkeep.importing.readers import ImportFileError, read_layout, read_records


def write(tmp_path, data: bytes, name: str = "orders.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def records(path):
    return list(read_records(path, read_layout(path)))


def test_utf8_bom_does_not_stick_to_the_first_header(tmp_path):
    path = write(tmp_path, "\ufeffName,Email\n#1,a@b.pl\n".encode())
    layout = read_layout(path)
    assert layout.headers == ["Name", "Email"]
    assert records(path) == [(2, ["#1", "a@b.pl"])]


def test_cp1251_with_semicolons_is_read_as_cyrillic(tmp_path):
    text = "Номер заказа;Дата;Клиент;Сумма\r\n1;01.02.2024;Анна Петрова;1 234,50\r\n"
    path = write(tmp_path, text.encode("cp1251"))
    layout = read_layout(path)
    assert (layout.encoding, layout.delimiter) == ("cp1251", ";")
    assert layout.headers == ["Номер заказа", "Дата", "Клиент", "Сумма"]
    assert records(path) == [(2, ["1", "01.02.2024", "Анна Петрова", "1 234,50"])]


def test_polish_excel_cp1250_is_not_mistaken_for_cyrillic(tmp_path):
    text = "Numer zamówienia;Imię i nazwisko;Miasto\r\n1;Łukasz Żółć;Łódź\r\n2;Świętosława Ślązak;Kraków\r\n"
    path = write(tmp_path, text.encode("cp1250"))
    assert read_layout(path).encoding == "cp1250"
    assert [cells for _, cells in records(path)][1] == ["2", "Świętosława Ślązak", "Kraków"]


def test_ukrainian_cp1251_stays_cp1251(tmp_path):
    text = "Номер;Клієнт;Місто\r\n1;Іванна Їжакевич;Київ\r\n2;Олексій Петрів;Львів\r\n"
    path = write(tmp_path, text.encode("cp1251"))
    assert read_layout(path).encoding == "cp1251"
    assert records(path)[0][1] == ["1", "Іванна Їжакевич", "Київ"]


def test_tabs_and_utf16_excel_unicode_text(tmp_path):
    path = write(tmp_path, "Order ID\tTotal\r\n7\t12,50\r\n".encode("utf-16"))
    layout = read_layout(path)
    assert layout.delimiter == "\t"
    assert records(path) == [(2, ["7", "12,50"])]


def test_delimiter_inside_quotes_does_not_count(tmp_path):
    path = write(tmp_path, b'"Total; gross",Date,Name\n1,2,3\n')
    assert read_layout(path).delimiter == ","


def test_line_numbers_are_those_an_editor_shows(tmp_path):
    data = (
        "Order ID,Note,Total\n"  # line 1
        '1,"two\nlines",5\n'  # lines 2-3
        "\n"  # line 4: blank
        '2,"three\r\nmore\nlines",6\n'  # lines 5-7
        "3,plain,7\n"  # line 8
    )
    path = write(tmp_path, data.encode())
    got = records(path)
    assert [line for line, _ in got] == [2, 4, 5, 8]
    assert got[0][1] == ["1", "two\nlines", "5"]
    assert got[1][1] == []


def test_leading_blank_lines_before_the_header(tmp_path):
    path = write(tmp_path, b"\n\nOrder ID,Total\n1,5\n")
    assert read_layout(path).headers == ["Order ID", "Total"]
    assert records(path) == [(4, ["1", "5"])]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00rest-of-an-xlsx", "Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel .xls"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"Order ID,Total\n1,\x00\x00\x00\x01\n", "binary"),
        (b",,,\n1,2,3,4\n", "no header"),
    ],
)
def test_files_that_are_not_csv_get_one_clear_line(tmp_path, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_layout(write(tmp_path, data))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        read_layout(tmp_path / "nope.csv")
    with pytest.raises(ImportFileError, match="folder"):
        read_layout(tmp_path)


def test_a_huge_header_line_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # one 8 MB line with no newline, as from a broken export
        chunk = b"column," * 1024
        for _ in range(1100):
            fh.write(chunk)
    with pytest.raises(ImportFileError, match="header line is longer than 64 KiB"):
        read_layout(path)


def test_a_huge_data_line_names_its_line(tmp_path):
    path = write(tmp_path, b"Order ID,Note\n1,ok\n2," + b"x" * (1 << 20) + b"\n3,ok\n")
    with pytest.raises(ImportFileError, match="line 3 is longer than"):
        records(path)


CLEAN_MEGABYTE = "Order ID,Note\n" + "".join(f"{n},żółw\n" for n in range(100_000))  # lines 1-100001


def test_a_runaway_quoted_cell_names_the_line_it_starts_on(tmp_path):
    runaway = b'3,"never closed\n' + b"more text in the same cell\n" * 50_000  # many short lines, > 1 MB
    path = write(tmp_path, b"Order ID,Note\n1,ok\n2,ok\n" + runaway)
    with pytest.raises(ImportFileError, match="line 4: a cell is longer than 1024 KiB"):
        records(path)


def test_utf8_that_turns_invalid_later_names_the_line(tmp_path):
    path = write(tmp_path, CLEAN_MEGABYTE.encode() + b"x,\xff\xfe bad\n")
    assert read_layout(path).encoding == "utf-8"
    with pytest.raises(ImportFileError, match="line 100002 is not UTF-8 text"):
        records(path)
