"""What the import prints never carries a name, a note or a product from the file: only lines, columns, what
was expected, and a value only where it is plainly not about a person (digits and punctuation)."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.importing.shapes import shown
from tests.importing.real_exports import SHOPIFY, export_text

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["import", "--db", str(db_path), *map(str, args)])


def order(number: int, **cells: str) -> dict[str, str]:
    row = {
        "Name": f"#{1000 + number}",
        "Email": f"buyer{number}@example.com",
        "Financial Status": "paid",
        "Currency": "USD",
        "Total": "10.00",
        "Created at": "2026-05-02 10:00:00 +0200",
        "Lineitem quantity": "1",
        "Lineitem name": "Mug",
        "Lineitem price": "10.00",
        "Billing Name": f"Buyer {number}",
    }
    row.update(cells)
    return row


# Cells shifted into the wrong columns, as when a note with an unquoted comma moves everything along.
HOSTILE = [
    order(1, Total="Eve Secretname"),
    order(2, **{"Created at": "Mrs Zofia Tajemnicza"}),
    order(3, Currency="Kowalski"),
    order(4, **{"Financial Status": "call Jan Ukryty after 6"}),
    order(5, **{"Lineitem quantity": "Wróblewska"}),
    order(6, **{"Lineitem price": "Chocolate box for Marta Sekretna"}),
    order(7, Total='=HYPERLINK("http://x","Ola Poufna")'),
]
PERSONAL = ("Secretname", "Zofia", "Tajemnicza", "Kowalski", "Ukryty", "Wróblewska", "Marta", "Sekretna", "Poufna")


@pytest.mark.parametrize("skip_bad", [False, True], ids=["all-or-nothing", "skip-bad"])
def test_bad_values_are_described_by_their_shape_never_printed(db_path, tmp_path, skip_bad):
    path = tmp_path / "orders_export.csv"
    path.write_text(export_text(SHOPIFY, [*HOSTILE, order(8)]), encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = run(db_path, path, *(["--skip-bad", "--rejects", rejects] if skip_bad else []))
    output = result.stdout + result.stderr
    for text in PERSONAL:
        assert text not in output
    if skip_bad:
        assert result.exit_code == 0, output
        assert "7 bad rows left out, written to" in result.stdout
        with rejects.open(encoding="utf-8") as fh:  # the owner's own file keeps the rows as they were
            assert "Eve Secretname" in {row["Total"] for row in csv.DictReader(fh)}
    else:
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert "  line 2, column 'Total', value (text of 2 words, not shown): not a number" in lines
        assert "  line 4, column 'Currency', value (a word of 8 letters, not shown):" in "\n".join(lines)


def test_plain_values_are_still_shown(db_path, tmp_path):
    path = tmp_path / "orders_export.csv"
    rows = [order(1, Total="12x"), order(2, **{"Created at": "31.02.2026"}), order(3, Total="1,234")]
    path.write_text(export_text(SHOPIFY, rows), encoding="utf-8")
    result = run(db_path, path)
    assert result.exit_code == 1
    assert "line 2, column 'Total', value '12x':" in result.stderr
    assert "line 3, column 'Created at', value '31.02.2026':" in result.stderr
    assert "line 4, column 'Total', value '1,234': ambiguous number" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.50", "'12.50'"),
        ("12,50 zł", "'12,50 zł'"),
        ("EUR 12", "'EUR 12'"),
        ("10:00 PM", "'10:00 PM'"),
        ("x", "'x'"),
        ("", "''"),
        ("Eve", "(a word of 3 letters, not shown)"),
        ("Secretname", "(a word of 10 letters, not shown)"),
        ("Eve Secretname", "(text of 2 words, not shown)"),
        ("eve@example.com", "(an email address, not shown)"),
        ("+48 601 234 567", "(a phone number, not shown)"),
        ("ул. Ленина 5", "(text of 3 words, not shown)"),
    ],
)
def test_shown_keeps_only_what_is_plainly_not_personal(value, expected):
    assert shown(value) == expected
