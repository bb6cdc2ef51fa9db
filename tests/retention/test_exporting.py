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
