"""Text encodings: files that are not UTF-8 are read in the code page their letters say, said in the summary;
a file whose code page cannot be told, or that mixes encodings, is refused with the way out."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.importing.readers import ImportFileError, read_layout, read_records
from shopkeep.store import Store
from tests.importing.real_exports import ETSY, SHOPIFY, WOOCOMMERCE, export_text, write_export

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["import", "--db", str(db_path), *map(str, args)])


def stored(db_path, sql: str) -> list[tuple]:
    with Store.open(db_path) as store:
        return [tuple(row) for row in store.conn.execute(sql)]


def cells(path) -> list[list[str]]:
    return [row for _, row in read_records(path, read_layout(path))]


# A Spanish shop's WooCommerce export, opened and saved again by Excel on Windows: Windows-1252, semicolons.
SPANISH = [
    {
        "Order Number": "1001",
        "Order Status": "completed",
        "Order Date": "2026-03-02 10:15",
        "First Name (Billing)": "José",
        "Last Name (Billing)": "García Muñoz",
        "City (Billing)": "Málaga",
        "Email (Billing)": "jose.garcia@example.es",
        "Order Total Amount": "24,50",
        "Item Name": "Jabón de oliva",
        "Quantity (- Refund)": "1",
        "Item Cost": "24,50",
    },
    {
        "Order Number": "1002",
        "Order Status": "completed",
        "Order Date": "2026-03-03 17:40",
        "First Name (Billing)": "Íñigo",
        "Last Name (Billing)": "Peña Ibáñez",
        "City (Billing)": "Logroño",
        "Email (Billing)": "inigo@example.es",
        "Order Total Amount": "12,00",
        "Item Name": "Vela aromática",
        "Quantity (- Refund)": "2",
        "Item Cost": "6,00",
    },
    {
        "Order Number": "1003",
        "Order Status": "completed",
        "Order Date": "2026-03-04 09:05",
        "First Name (Billing)": "Lucía",
        "Last Name (Billing)": "Fernández Gómez",
        "City (Billing)": "Cádiz",
        "Email (Billing)": "lucia@example.es",
        "Order Total Amount": "8,75",
        "Item Name": "Café molido",
        "Quantity (- Refund)": "1",
        "Item Cost": "8,75",
    },
]


def test_a_spanish_excel_export_in_windows_1252_keeps_its_names_and_says_how_it_was_read(db_path, tmp_path):
    path = write_export(tmp_path / "pedidos.csv", WOOCOMMERCE, SPANISH, encoding="cp1252", delimiter=";")
    result = run(db_path, path, "--currency", "EUR")
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[0]
    assert summary.startswith("pedidos.csv: 3 rows read; orders 3 new")
    assert summary.endswith("; read as Windows-1252 (Western European)")
    names = stored(db_path, "SELECT first_name, last_name, city FROM customers ORDER BY id")
    assert names == [
        ("José", "García Muñoz", "Málaga"),
        ("Íñigo", "Peña Ibáñez", "Logroño"),
        ("Lucía", "Fernández Gómez", "Cádiz"),
    ]
    assert stored(db_path, "SELECT product FROM order_lines ORDER BY order_id") == [
        ("Jabón de oliva",),
        ("Vela aromática",),
        ("Café molido",),
    ]


FRENCH = [
    {"Sale Date": "03/14/26", "Order ID": "3101", "Full Name": "Hélène Lefèvre", "Ship City": "Besançon"},
    {"Sale Date": "03/15/26", "Order ID": "3102", "Full Name": "François Bérard", "Ship City": "Orléans"},
    {"Sale Date": "03/16/26", "Order ID": "3103", "Full Name": "Chloé Noël", "Ship City": "Sète"},
    {"Sale Date": "03/17/26", "Order ID": "3104", "Full Name": "Zoë Cœur", "Ship City": "Saint-Étienne"},
]
GERMAN = [
    {"Name": "#2001", "Billing Name": "Jürgen Müller", "Billing City": "Köln", "Lineitem name": "Bäckerschürze"},
    {"Name": "#2002", "Billing Name": "Änne Weiß", "Billing City": "Düsseldorf", "Lineitem name": "Brotkörbchen"},
    {"Name": "#2003", "Billing Name": "Jörg Strauß", "Billing City": "Lübeck", "Lineitem name": "Gewürzmühle"},
]
POLISH = [
    {"Order Number": "501", "First Name (Billing)": "Zażółć", "Last Name (Billing)": "Gęślą Jaźń"},
    {"Order Number": "502", "First Name (Billing)": "Łukasz", "Last Name (Billing)": "Żółkiewski"},
    {"Order Number": "503", "First Name (Billing)": "Świętosława", "City (Billing)": "Łódź"},
]
RUSSIAN = [
    {"Order Number": "А-17", "First Name (Billing)": "Анна", "Last Name (Billing)": "Петрова"},
    {"Order Number": "А-18", "First Name (Billing)": "Иван", "City (Billing)": "Нижний Новгород"},
    {"Order Number": "А-19", "First Name (Billing)": "Ольга", "Item Name": "Чай «Иван-чай», 100 г"},
]


@pytest.mark.parametrize(
    ("header", "rows", "encoding", "delimiter"),
    [
        (ETSY, FRENCH, "cp1252", ";"),  # French Excel's "CSV (séparateur: point-virgule)"
        (SHOPIFY, GERMAN, "cp1252", ";"),
        (WOOCOMMERCE, SPANISH, "cp1252", ";"),
        (WOOCOMMERCE, POLISH, "cp1250", ";"),  # Polish Windows
        (WOOCOMMERCE, RUSSIAN, "cp1251", ";"),  # Russian Windows
    ],
    ids=["french-1252", "german-1252", "spanish-1252", "polish-1250", "russian-1251"],
)
def test_legacy_code_pages_are_told_apart_by_their_letters(tmp_path, header, rows, encoding, delimiter):
    path = write_export(tmp_path / "export.csv", header, rows, encoding=encoding, delimiter=delimiter)
    layout = read_layout(path)
    assert (layout.encoding, layout.delimiter, layout.headers) == (encoding, delimiter, header)
    expected = [[row.get(column, "") for column in header] for row in rows]
    assert cells(path) == expected


def test_polish_from_a_latin_2_system_is_not_read_as_windows_1250(tmp_path):
    path = write_export(tmp_path / "export.csv", WOOCOMMERCE, POLISH, encoding="iso8859_2", delimiter=";")
    assert read_layout(path).encoding == "iso8859_2"
    assert cells(path)[0][4:6] == ["Zażółć", "Gęślą Jaźń"]


def test_utf8_with_a_byte_order_mark_is_utf8_and_the_summary_says_nothing_about_it(db_path, tmp_path):
    path = write_export(tmp_path / "pedidos.csv", WOOCOMMERCE, SPANISH, encoding="utf-8-sig")
    assert read_layout(path).headers[0] == "Order Number"
    result = run(db_path, path, "--currency", "EUR")
    assert result.exit_code == 0, result.output
    assert "read as" not in result.stdout
    assert stored(db_path, "SELECT last_name FROM customers ORDER BY id")[1] == ("Peña Ibáñez",)


def test_excel_unicode_text_utf16_tab_separated_imports_and_says_utf16(db_path, tmp_path):
    path = tmp_path / "pedidos.txt"
    path.write_bytes(export_text(WOOCOMMERCE, SPANISH, delimiter="\t").encode("utf-16"))  # BOM + UTF-16LE
    assert path.read_bytes()[:2] == b"\xff\xfe"
    result = run(db_path, path, "--currency", "EUR")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith("; read as UTF-16")
    assert stored(db_path, "SELECT city FROM customers ORDER BY id")[1] == ("Logroño",)


def test_utf16_without_a_byte_order_mark_is_named_with_the_flag_that_reads_it(db_path, tmp_path):
    path = tmp_path / "pedidos.txt"
    path.write_bytes(export_text(WOOCOMMERCE, SPANISH, delimiter="\t").encode("utf-16-le"))
    result = run(db_path, path, "--currency", "EUR")
    assert result.exit_code == 1
    assert "looks like UTF-16 text without a byte-order mark: pass --encoding utf-16-le" in result.stderr
    result = run(db_path, path, "--currency", "EUR", "--encoding", "utf-16-le")
    assert result.exit_code == 0, result.output
    assert stored(db_path, "SELECT count(*) FROM orders") == [(3,)]


TINY = [
    {
        "Order Number": "7",
        "Order Date": "2026-03-02 10:15",
        "First Name (Billing)": "Ana",
        "Last Name (Billing)": "Muñoz",
        "Order Total Amount": "5,00",
    }
]


def test_letters_that_two_code_pages_read_differently_are_asked_about_not_guessed(db_path, tmp_path):
    # "Muñoz" alone: in Windows-1250 the same byte is "ń" ("Muńoz"), a Polish letter. Nothing tells which.
    path = write_export(tmp_path / "tiny.csv", WOOCOMMERCE, TINY, encoding="cp1252", delimiter=";")
    result = run(db_path, path, "--currency", "EUR")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: tiny.csv is not UTF-8, and its letters read differently as Windows-1252 (Western European) and"
        " Windows-1250 (Central European) (ñ or ń): pass --encoding cp1252 or --encoding cp1250, whichever"
        " shows the names right, or re-save the file as UTF-8"
    )
    assert stored(db_path, "SELECT count(*) FROM orders") == [(0,)]
    result = run(db_path, path, "--currency", "EUR", "--encoding", "windows-1252")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith("; read as Windows-1252 (Western European)")
    assert stored(db_path, "SELECT last_name FROM customers") == [("Muñoz",)]


def test_an_unknown_encoding_name_and_a_wrong_one_for_a_utf8_file_are_refused(db_path, tmp_path):
    path = write_export(tmp_path / "pedidos.csv", WOOCOMMERCE, SPANISH)
    result = run(db_path, path, "--currency", "EUR", "--encoding", "klingon")
    assert result.exit_code == 1
    assert "--encoding 'klingon' is not a text encoding" in result.stderr
    result = run(db_path, path, "--currency", "EUR", "--encoding", "cp1251")
    assert result.exit_code == 1
    assert "pedidos.csv is UTF-8 text (line 2 and every other line with accents): leave out --encoding" in (
        result.stderr
    )
    bom = write_export(tmp_path / "bom.csv", WOOCOMMERCE, SPANISH, encoding="utf-8-sig")
    result = run(db_path, bom, "--currency", "EUR", "--encoding", "cp1252")
    assert result.exit_code == 1
    assert "bom.csv starts with a UTF-8 byte-order mark, so it is not Windows-1252" in result.stderr
    assert stored(db_path, "SELECT count(*) FROM orders") == [(0,)]


# -- mixed encodings (issue 11, point 8) ---------------------------------------------------------


def mixed_file(tmp_path, majority: str, minority: str, minority_rows: set[int]):
    """A Polish shop's export: each row encoded as `majority`, the rows numbered in `minority_rows` as `minority`
    (as when lines from an old Windows export are pasted into a UTF-8 one)."""
    rows = [
        {
            "Order Number": str(600 + n),
            "Order Date": f"2026-04-{n + 1:02d} 12:00",
            "First Name (Billing)": first,
            "Last Name (Billing)": last,
            "City (Billing)": city,
            "Email (Billing)": f"klient{n}@example.pl",
            "Order Total Amount": "10,00",
        }
        for n, (first, last, city) in enumerate(
            [
                ("Zażółć", "Gęślą Jaźń", "Łódź"),
                ("Łukasz", "Żółkiewski", "Kraków"),
                ("Świętosława", "Wróbel", "Gdańsk"),
                ("Bożena", "Kłos", "Poznań"),
                ("Jędrzej", "Ślęzak", "Białystok"),
            ]
        )
    ]
    lines = export_text(WOOCOMMERCE, rows, delimiter=";").splitlines(keepends=True)
    data = b"".join(
        line.encode(minority if number in minority_rows else majority) for number, line in enumerate(lines, 1)
    )
    path = tmp_path / "zamowienia.csv"
    path.write_bytes(data)
    return path


def test_a_utf8_file_with_a_windows_1250_line_is_refused_at_that_line(db_path, tmp_path):
    path = mixed_file(tmp_path, "utf-8", "cp1250", {4})
    result = run(db_path, path, "--currency", "PLN")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: zamowienia.csv: line 4 is not UTF-8 text, though other lines with accents are: the file mixes two"
        " encodings; re-save the whole file as UTF-8 (in Excel: Save As, CSV UTF-8) and import it again"
    )
    assert stored(db_path, "SELECT count(*) FROM customers") == [(0,)]


def test_a_windows_1250_file_with_a_utf8_line_is_refused_at_the_utf8_line(db_path, tmp_path):
    path = mixed_file(tmp_path, "cp1250", "utf-8", {5})
    result = run(db_path, path, "--currency", "PLN")
    assert result.exit_code == 1
    assert "line 5 is UTF-8 text, unlike the rest of the file (Windows-1250 (Central European))" in result.stderr
    assert stored(db_path, "SELECT count(*) FROM customers") == [(0,)]
    result = run(db_path, path, "--currency", "PLN", "--encoding", "cp1250")  # naming it does not hide the mix
    assert result.exit_code == 1
    assert "line 5 is UTF-8 text" in result.stderr


def test_a_line_in_another_encoding_after_the_first_megabyte_is_named_exactly(db_path, tmp_path):
    # The encoding is decided from the first megabyte (UTF-8 here); the reader decodes ahead of the line it
    # returns, so the line named must be found again in the bytes.
    rows = [
        {
            "Order Number": str(n),
            "Order Date": "2026-04-01 12:00",
            "Last Name (Billing)": "Żółkiewski",
            "Email (Billing)": f"k{n}@example.pl",
            "Order Total Amount": "10,00",
        }
        for n in range(12_000)
    ]
    text = export_text(WOOCOMMERCE, rows, delimiter=";")
    assert len(text.encode()) > 1 << 20
    bad = "99999;;2026-04-02 12:00;;;Gęślą;;;;;;;;;;;;;;;;;;;;;;10,00;;;;;;;\r\n".encode("cp1250")
    path = tmp_path / "zamowienia.csv"
    path.write_bytes(text.encode() + bad + b"100000;;2026-04-03 12:00;;;;;;;;;;;;;;;;;;;;;;;;;;10,00;;;;;;;\r\n")
    result = run(db_path, path, "--currency", "PLN")
    assert result.exit_code == 1
    assert "zamowienia.csv: line 12002 is not UTF-8 text, unlike the lines before it" in result.stderr
    assert stored(db_path, "SELECT count(*) FROM orders") == [(0,)]


def test_a_mixed_file_is_refused_by_the_reader_too(tmp_path):
    with pytest.raises(ImportFileError, match="line 2 is not UTF-8 text"):
        read_layout(mixed_file(tmp_path, "utf-8", "cp1250", {2}))


def test_a_windows_1252_file_whose_first_megabyte_is_plain_ascii_is_not_taken_for_utf8(tmp_path):
    plain = [
        {"Order Number": str(n), "Last Name (Billing)": "Smith", "Order Total Amount": "10,00"} for n in range(25_000)
    ]
    text = export_text(WOOCOMMERCE, plain + SPANISH, delimiter=";")
    assert text.index("José") > 1 << 20
    path = tmp_path / "pedidos.csv"
    path.write_bytes(text.encode("cp1252"))
    assert read_layout(path).encoding == "cp1252"
    assert cells(path)[-1][5] == "Fernández Gómez"
