from __future__ import annotations

import csv
import io
import json
import stat

from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.exporting import neutralise, write_rows


def test_formula_cells_get_an_apostrophe():
    for text in ("=1+1", "@SUM(A1)", "\tx", "\rx", "+A1", "-A1", "-1+2", "+cmd|' /C calc'!A0", "-", "+"):
        assert neutralise(text) == "'" + text


def test_numbers_phones_and_plain_text_stay_as_they_are():
    for text in ("-12.50", "+3", "1299.50", "+48601234567", "+14155550100", "Anna", "00042", "", "a=b"):
        assert neutralise(text) == text


@settings(max_examples=200)
@given(st.text(max_size=20))
def test_no_neutralised_cell_starts_a_formula(text):
    out = neutralise(text)
    assert out == text or out == "'" + text
    if out == text and text:
        assert text[0] not in "=@\t\r"


def test_csv_file_is_owner_only_and_neutralised(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o644)
    count = write_rows(target, "csv", ("name", "orders"), [("=HYPERLINK()", 3), (None, 0)])
    assert count == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows == [["name", "orders"], ["'=HYPERLINK()", "3"], ["", "0"]]


def test_json_keeps_values(tmp_path):
    target = tmp_path / "out.json"
    write_rows(target, "json", ("name", "orders"), [("=x", 3)])
    assert json.loads(target.read_text(encoding="utf-8-sig")) == [{"name": "=x", "orders": 3}]


def test_a_credit_note_in_another_currency_is_still_exported_beside_the_shops(store):
    """Issue 19: `export customers` skips the search for other currencies when the figures saw none; a credit
    note in another currency (no sale in it) must still count as seen."""
    import datetime as dt

    from shopkeep.customer_export import customer_rows
    from shopkeep.retention import compute
    from tests.conftest import new_customer, new_order

    eva = new_customer(store, name="Eva Berg", email="eva@example.com")
    new_order(store, eva, ordered_at="2026-10-01T10:00:00", total=4_000, currency="EUR", status="paid")
    new_order(store, eva, ordered_at="2026-10-02T10:00:00", total=-1_500, currency="USD", kind="credit", status="paid")
    bob = new_customer(store, name="Bob Ray", email="bob@example.com")
    new_order(store, bob, ordered_at="2026-10-03T10:00:00", total=2_000, currency="EUR", status="paid")
    retention = compute(store, dt.date(2026, 11, 23))
    rows = {row[2]: row for row in customer_rows(store, retention, retention.customers.values())}
    assert rows["eva@example.com"][-1] == "-15.00 USD"
    assert rows["bob@example.com"][-1] is None
