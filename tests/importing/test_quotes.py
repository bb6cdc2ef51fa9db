"""Unbalanced quotes: a quote left open is named at the line it opens on, never blamed on a missing amount,
and never lets a note swallow the rows below it in silence."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.importing.readers import ImportFileError, read_layout, read_records
from shopkeep.store import Store
from tests.importing.real_exports import SHOPIFY, export_text

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["import", "--db", str(db_path), *map(str, args)])


def order(number: int, note: str = "") -> dict[str, str]:
    return {
        "Name": f"#{1000 + number}",
        "Email": f"buyer{number}@example.com",
        "Financial Status": "paid",
        "Currency": "USD",
        "Total": f"{10 + number}.00",
        "Created at": f"2026-05-0{number} 10:00:00 +0200",
        "Lineitem quantity": "1",
        "Lineitem name": "Mug",
        "Lineitem price": f"{10 + number}.00",
        "Billing Name": f"Buyer {number}",
        "Notes": note,
    }


def shopify_lines(count: int) -> list[str]:
    return export_text(SHOPIFY, [order(n) for n in range(1, count + 1)]).splitlines(keepends=True)


def orders_stored(db_path) -> int:
    with Store.open(db_path) as store:
        return store.scalar("SELECT count(*) FROM orders")


def with_note(line: str, note: str) -> str:
    """The record with its Notes cell written as `note`, raw (quotes as given)."""
    cells = line.rstrip("\r\n").split(",")
    cells[SHOPIFY.index("Notes")] = note
    return ",".join(cells) + "\r\n"


def test_a_quote_never_closed_is_named_where_it_opens_and_nothing_is_imported(db_path, tmp_path):
    lines = shopify_lines(4)
    lines[2] = with_note(lines[2], '"Leave at the door')  # line 3: the quote opens and is never closed
    path = tmp_path / "orders_export.csv"
    path.write_text("".join(lines), encoding="utf-8")
    result = run(db_path, path)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: orders_export.csv: line 3: a quote opened here is never closed"
    assert orders_stored(db_path) == 0


def test_a_quote_left_open_on_the_last_line_is_named_too(tmp_path):
    lines = shopify_lines(3)
    lines[-1] = with_note(lines[-1], '"Gift wrap, please')
    path = tmp_path / "orders_export.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 4: a quote opened here is never closed"):
        list(read_records(path, read_layout(path)))


def test_a_stray_quote_closed_by_another_far_below_does_not_swallow_the_rows_between(db_path, tmp_path):
    lines = shopify_lines(8)
    lines[2] = with_note(lines[2], '"Ring twice')  # opens on line 3 ...
    lines[7] = with_note(lines[7], 'call first"')  # ... and the next stray quote (line 8) closes it
    path = tmp_path / "orders_export.csv"
    path.write_text("".join(lines), encoding="utf-8")
    result = run(db_path, path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: orders_export.csv: line 3: a quote opened here runs on to line 8, taking in 5 lines that look"
        " like rows: a closing quote is missing (or a quote inside the text is not doubled)"
    )
    assert orders_stored(db_path) == 0


def test_notes_over_several_lines_with_commas_and_doubled_quotes_still_import(db_path, tmp_path):
    note = 'Deliver after 5pm, ring twice.\nIf out, leave with the neighbour, flat 2, "Kowalski".\nThanks, A.'
    rows = [order(1, note), order(2), order(3, 'He said "fragile",\ntwice')]
    path = tmp_path / "orders_export.csv"
    path.write_text(export_text(SHOPIFY, rows), encoding="utf-8")
    result = run(db_path, path)
    assert result.exit_code == 0, result.output
    assert orders_stored(db_path) == 3
    records = list(read_records(path, read_layout(path)))
    assert [line for line, _ in records] == [2, 5, 6]


def test_an_inch_mark_inside_an_unquoted_cell_on_the_last_line_is_not_a_quote(db_path, tmp_path):
    rows = [order(1), order(2)]
    rows[1]["Lineitem name"] = 'Frame 8" x 10"'
    text = export_text(SHOPIFY, rows).replace('"Frame 8"" x 10"""', 'Frame 8" x 10"').rstrip("\r\n")
    path = tmp_path / "orders_export.csv"
    path.write_text(text, encoding="utf-8")  # and no line break at the end
    result = run(db_path, path)
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as store:
        assert store.scalar("SELECT product FROM order_lines WHERE order_id = 2") == 'Frame 8" x 10"'


def test_a_quoted_cell_over_an_implausible_number_of_lines_is_refused(tmp_path):
    lines = shopify_lines(2)
    lines[1] = with_note(lines[1], '"' + "a line of a very long note\r\n" * 1500 + 'end"')
    path = tmp_path / "orders_export.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 2: a quote opened here runs on to line 1502"):
        list(read_records(path, read_layout(path)))
