"""Hostile input everywhere: odd files, spreadsheet formulas, very long text, random real-looking exports."""

from __future__ import annotations

import csv
import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()


def _clean_failure(result) -> None:
    """Exit 1 with one readable line on stderr, never an escaped exception or a traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: ")


def test_empty_binary_and_giant_header_files_are_refused_in_one_line(tmp_path, db_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    giant = tmp_path / "giant.csv"
    with giant.open("wb") as fh:  # a 2 GB file whose header line never ends (sparse: no disk used)
        fh.write(b"Order ID," * 200_000)
        fh.truncate(2 * 1024**3)
    for path in (empty, binary, giant, tmp_path / "missing.csv"):
        result = runner.invoke(app, ["import", str(path), "--db", str(db_path)])
        _clean_failure(result)
        assert len(result.stderr.strip().splitlines()) == 1
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM orders") == 0


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+SUM(A1:A9)", "-2+3", "@cmd", "\tTAB", "\rCR"]


def test_every_export_neutralises_spreadsheet_formulas(tmp_path, db_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Order ID", "Order Date", "Customer ID", "Email", "Name", "Total", "Currency", "Status"])
    for n, name in enumerate(FORMULAS):
        writer.writerow([f"F{n}", f"2026-05-0{n + 1}", f"=1+{n}", f"f{n}@example.com", name, "10.00", "EUR", "paid"])
    export = tmp_path / "orders.csv"
    export.write_text(buffer.getvalue(), encoding="utf-8")
    result = runner.invoke(app, ["import", str(export), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO calls (customer_id, called_at, outcome, reason, note) VALUES (1, '2026-05-10T10:00:00',"
            " 'will_return', 'forgot', '=cmd|'' /C calc''!A0')"
        )
    outputs = {}
    for what in (
        ["export", "customers"],
        ["export", "segments"],
        ["export", "calls"],
        ["find", "example", "--format", "csv"],
    ):
        out = tmp_path / f"{what[-1]}.csv"
        args = [*what, "--db", str(db_path)]
        if what[0] == "export":
            args += ["--format", "csv", "-o", str(out), *(["--as-of", "2026-06-01"] if what[1] != "calls" else [])]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs[what[-1]] = out.read_text(encoding="utf-8-sig") if what[0] == "export" else result.stdout
    for text in outputs.values():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell or cell[0] not in "=@\t\r" or cell.startswith("'"), cell
                if cell and cell[0] in "+-":
                    assert cell.lstrip("+-").replace(".", "", 1).replace(" ", "").isdigit(), cell
    customers = list(csv.DictReader(io.StringIO(outputs["customers"])))
    assert {c["name"] for c in customers} >= {'\'=HYPERLINK("http://evil.example","x")', "'+SUM(A1:A9)"}
    assert stat_mode(tmp_path / "customers.csv") == 0o600


def stat_mode(path) -> int:
    return os.stat(path).st_mode & 0o777


def test_very_long_names_and_notes_survive_import_and_export(tmp_path, db_path):
    long_name = "Anna " + "Maria-" * 20_000
    export = tmp_path / "orders.csv"
    export.write_text(
        "Order ID,Order Date,Email,Name,Total,Currency,Status\n"
        f'L1,2026-05-01,l@example.com,"{long_name}",5.00,EUR,paid\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", str(export), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["find", "anna maria", "--db", str(db_path)])
    assert result.exit_code == 0
    assert "Anna" in result.stdout


HEADERS = [
    "Order ID",
    "Order Date",
    "Customer ID",
    "Email",
    "Phone",
    "Name",
    "Total",
    "Currency",
    "Status",
    "SKU",
    "Quantity",
    "Unit Price",
]
cell = st.one_of(
    st.sampled_from(
        [
            "",
            "NA",
            "0",
            "-1",
            "1,234",
            "1 234,50",
            "12.5.3",
            "2026-13-45",
            "31.02.2026",
            "01/02/2026",
            "paid",
            "Отменен",
            "€12",
            "NaN",
            "1e5",
            "+7 916 123-45-67",
            "x@y",
            "[b]bold[/b]",
            "\x1b[31m",
            "=cmd()",
            '"',
            "\n",
            ";",
            "2026-05-01T10:00:00+03:00",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8, unique=True),
    rows=st.lists(st.lists(cell, min_size=8, max_size=8), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
)
def test_random_real_looking_exports_never_give_a_traceback(tmp_path, headers, rows, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row[: len(headers)])
    path = tmp_path / "random.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    db = tmp_path / "fuzz.db"
    result = runner.invoke(app, ["import", str(path), "--db", str(db), "--currency", "EUR", "--country", "RU"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    with Store.open(db) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"


# Where a person's text lands when cells shift: every column the import types or reports on.
TYPED_COLUMNS = ["Order ID", "Order Date", "Total", "Currency", "Status", "Quantity", "Unit Price", "Email", "Phone"]
personal_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzżółćęśąźńäöüéèñ", min_size=4, max_size=12).map(
    lambda word: "Qz" + word  # never a header, a status word or a currency code
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    placed=st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(TYPED_COLUMNS), personal_word),
        min_size=1,
        max_size=6,
    ),
    second_word=st.booleans(),
)
def test_no_message_ever_prints_a_persons_text_from_the_file(tmp_path, placed, second_word):
    header = ["Order ID", "Order Date", "Email", "Phone", "Name", "Total", "Currency", "Status", "Quantity"]
    header.append("Unit Price")
    rows = [
        {
            "Order ID": f"{n}",
            "Order Date": f"2026-05-0{n + 1}",
            "Email": f"b{n}@example.com",
            "Name": "Qzname",
            "Total": "5.00",
            "Currency": "EUR",
            "Status": "paid",
            "Quantity": "1",
            "Unit Price": "5.00",
        }
        for n in range(4)
    ]
    words = []
    for row, column, word in placed:
        text = f"{word} Qzsurname" if second_word else word
        rows[row][column] = text
        words.append(word)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "shifted.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--db", str(tmp_path / "p.db"), "--country", "PL"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    output = result.stdout + result.stderr
    assert "Qz" not in output, output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.lists(st.binary(min_size=0, max_size=30), min_size=1, max_size=8),
    quote=st.sampled_from([b"", b'"', b'""', b'"x\n', b'\n"']),
)
def test_random_bytes_in_any_code_page_and_stray_quotes_never_give_a_traceback(tmp_path, body, quote):
    path = tmp_path / "bytes.csv"
    rows = b"".join(b"1,2026-05-01,b@example.com," + cell.replace(b"\x00", b"") + b",5.00,EUR\n" for cell in body)
    path.write_bytes(b"Order ID,Order Date,Email,Name,Total,Currency\n" + quote + rows)
    db = tmp_path / "bytes.db"
    result = runner.invoke(app, ["import", str(path), "--db", str(db)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 1:
        assert result.stderr.startswith("error: ") and "Traceback" not in result.output
