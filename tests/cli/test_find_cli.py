from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app

runner = CliRunner()
STAMP = "2026-06-01T10:00:00"


def _add(store, name=None, email=None, phone=None, external_id=None, *, first=None, last=None, forgotten=False):
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO customers (external_id, name, first_name, last_name, email, phone, created_at, updated_at,"
            " forgotten_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (external_id, name, first, last, email, phone, STAMP, STAMP, STAMP if forgotten else None),
        )
    return cursor.lastrowid


@pytest.fixture
def shop(store):
    ids = {
        "anna": _add(store, "Анна Иванова", "anna.ivanova@mail.ru", "+79161234567", "1042"),
        "ivan": _add(store, "Иван Иванов", "ivan.ivanov@mail.ru", "+79167654321", "1043"),
        "zofia": _add(store, "Zofia Wiśniewska", "zofia@wp.pl", "+48600123456"),
        "parts": _add(store, first="Oliver", last="Pemberton", phone="+447700900123"),
        "markup": _add(store, "[@click=app.quit]Pay[/] [bold red]x[/]", "pay@example.com"),
        "formula": _add(store, '=HYPERLINK("http://evil")', "-2+3@example.com"),
        "gone": _add(store, "Forgotten Person", forgotten=True),
    }
    return ids


def _find(db_path, *args):
    return runner.invoke(app, ["find", *args, "--db", str(db_path)])


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_table_shows_best_match_first_with_its_fields(shop, db_path):
    result = _find(db_path, "ivnaova")
    assert result.exit_code == 0, result.output
    header, first, *_ = result.stdout.splitlines()
    assert header.split() == ["customer", "name", "email", "phone", "matched_on", "score"]
    assert first.split()[:5] == ["1042", "Анна", "Иванова", "anna.ivanova@mail.ru", "+79161234567"]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("8 916 123-45-67", "anna"),
        ("wisniewska", "zofia"),
        ("pemberton", "parts"),  # name built from first and last name
        ("07700 900123", "parts"),
        ("1043", "ivan"),
    ],
)
def test_finds_people_by_any_field(shop, db_path, query, who):
    rows = _csv(_find(db_path, query, "--format", "csv").stdout)
    assert rows[0]["customer"] == {"anna": "1042", "ivan": "1043"}.get(who, f"#{shop[who]}")


def test_a_reference_finds_its_customer_first_not_phones_that_contain_it(store, db_path):
    # '#133' and '133' are customer 133's reference (no platform id); phones containing 133 come after.
    people = [_add(store, "Jan Kowalski", phone=f"+48601133{n:03d}") for n in range(1, 150)]
    own = people[132]
    for query in (f"#{own}", str(own)):
        rows = _csv(_find(db_path, query, "--format", "csv").stdout)
        assert (rows[0]["customer"], rows[0]["matched_on"]) == (f"#{own}", "id")


def test_csv_has_columns_and_neutralises_formulas(shop, db_path):
    result = _find(db_path, "hyperlink", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert list(rows[0]) == ["customer", "name", "email", "phone", "matched_on", "score"]
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["email"] == "'-2+3@example.com"
    assert rows[0]["phone"] == ""


def test_markup_in_names_is_printed_literally(shop, db_path):
    result = _find(db_path, "pay")
    assert result.exit_code == 0, result.output
    assert "[@click=app.quit]Pay[/] [bold red]x[/]" in result.stdout


def test_control_characters_in_names_do_not_reach_the_terminal(store, db_path):
    _add(store, "Eve\x1b[2J\nNewline")
    result = _find(db_path, "eve")
    assert "\x1b" not in result.stdout
    assert len(result.stdout.splitlines()) == 2  # header and one row


def test_limit(shop, db_path):
    rows = _csv(_find(db_path, "iv", "--limit", "1", "--format", "csv").stdout)
    assert len(rows) == 1


def test_forgotten_customers_are_not_found(shop, db_path):
    result = _find(db_path, "forgotten person")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no customer matches"


def test_no_match_says_so_and_exits_zero(shop, db_path):
    result = _find(db_path, "zzzzqqq")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no customer matches"
    csv_result = _find(db_path, "zzzzqqq", "--format", "csv")
    assert csv_result.exit_code == 0
    assert csv_result.stdout.strip() == "customer,name,email,phone,matched_on,score"
    assert "no customer matches" in csv_result.stderr


def test_empty_database_finds_nothing(store, db_path):
    result = _find(db_path, "anna")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no customer matches"


def test_missing_database_is_one_clear_error(tmp_path):
    result = runner.invoke(app, ["find", "anna", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "nope.db").exists()


def test_shop_country_reads_national_phones(store, db_path):
    # Belarus dials "8 0" before the area code: only the shop's country makes "8 029 ..." +375 29 ...
    who = _add(store, "Jan Kowalski", phone="+375291234567")
    _add(store, "Decoy", phone="+375297654321")
    assert _find(db_path, "8 029 123-45-67").stdout.strip() == "no customer matches"
    store.set_setting("country", "BY")
    rows = _csv(_find(db_path, "8 029 123-45-67", "--format", "csv").stdout)
    assert rows[0]["customer"] == f"#{who}"
