"""Issue 14, "Done when": a normal week of use, then `forget`, and nothing of the person is left in any file
shopkeep wrote or anything under its data folder, once the owner deletes the files `forget` names.

The week: the shop's database was made by an older shopkeep (schema 10) that imported a file with a
remembered --map and remembered a data row as headers; this shopkeep opens it (the upgrade writes a
migration backup), imports a file with --skip-bad --rejects, makes a backup, exports customers and calls,
and gives points whose reason names the person. Then `forget`.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions
from shopkeep.paths import resource_path
from shopkeep.store import Store

runner = CliRunner()

EMAIL = "zofia.brzeczyszczyk@example.pl"
E164 = "+48600700800"
NATIONAL = "600700800"
SURNAME = "Brzęczyszczyk"
SURNAME_ASCII = "Brzeczyszczyk"

# An export of a platform shopkeep has no preset for: the city column needs --map (remembered).
MAPPED = """Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status,Delivery town
A1,2026-03-01,000731,Zofia.Brzeczyszczyk@example.pl,+48 600 700 800,Zofia Brzęczyszczyk,120.00,PLN,paid,Kraków
A2,2026-05-01,000731,zofia.brzeczyszczyk@example.pl,600 700 800,Zofia Brzęczyszczyk,80.00,PLN,paid,Kraków
B1,2026-04-01,000999,jan.lis@example.pl,+48 501 222 333,Jan Lis,50.00,PLN,paid,Gdańsk
"""
# A later file with a bad row of hers (no total): it goes to the rejects file.
LATER = """Order ID,Order Date,Email,Phone,Name,Total,Currency,Status
C1,2026-06-01,zofia.brzeczyszczyk@example.pl,600-700-800,Zofia Brzęczyszczyk,30.00,PLN,paid
C2,2026-06-02,zofia.brzeczyszczyk@example.pl,600-700-800,Zofia Brzęczyszczyk,,PLN,paid
C3,2026-06-03,jan.lis@example.pl,+48 501 222 333,Jan Lis,20.00,PLN,paid
"""


def _needles() -> list[bytes]:
    texts = {EMAIL, EMAIL.capitalize(), E164, NATIONAL, "600 700 800", "600-700-800", SURNAME, SURNAME_ASCII}
    found = set()
    for text in texts:
        for variant in (text, text.upper(), text.lower()):
            found.add(variant.encode("utf-8"))
            found.add(variant.encode("utf-16-le"))
    return sorted(found)


def _holding(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [n for n in _needles() if n in data]


def _old_schema_db(db: Path, tmp_path: Path) -> None:
    """A database as shopkeep left it at schema version 10, used for a while: an import with a remembered
    --map, and a headerless file's first row remembered as its headers (what issue 14 found)."""
    old = tmp_path / "migrations-v10"
    old.mkdir()
    for sql in sorted(resource_path("migrations").glob("*.sql")):
        if int(sql.name[:4]) <= 10:
            shutil.copy(sql, old / sql.name)
    mapped = tmp_path / "downloads" / "orders-march.csv"
    mapped.write_text(MAPPED, encoding="utf-8")
    with Store.open(db, migrations_dir=old) as store:
        assert store.schema_version() == 10
        result = import_file(store, mapped, ImportOptions(overrides={"city": "Delivery town"}, country="PL"))
        assert result.ok and result.customers_new == 2
        assert store.scalar("SELECT count(*) FROM header_mappings") == 1
        # What the older shopkeep stored for a headerless file imported with --map (this one refuses both).
        data_row = ["A9", "2026-02-01", EMAIL, "+48 600 700 800", "Zofia Brzęczyszczyk", "12.00", "PLN", "paid"]
        with store.write() as conn:
            conn.execute(
                "INSERT INTO header_mappings (headers_key, headers, mapping, format, updated_at)"
                " VALUES ('k', ?, ?, 'generic', '2026-02-01')",
                (json.dumps(data_row, ensure_ascii=False), json.dumps({"email": EMAIL}, ensure_ascii=False)),
            )


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_week_of_use_then_forget_leaves_nothing_of_the_person_in_any_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "downloads").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    db = data / "shop.db"
    _old_schema_db(db, tmp_path)

    # Monday: this shopkeep opens the old database: the upgrade writes a migration backup first.
    _cli("doctor", "--db", str(db))
    migration_backups = list(data.glob("shop.db.before-v*.bak"))
    assert len(migration_backups) == 1 and _holding(migration_backups[0])

    # Tuesday: a file with a bad row, imported with --skip-bad --rejects.
    later = tmp_path / "downloads" / "orders-june.csv"
    later.write_text(LATER, encoding="utf-8")
    rejects = out / "rejects.csv"
    _cli("import", str(later), "--db", str(db), "--country", "PL", "--skip-bad", "--rejects", str(rejects))
    assert _holding(rejects)

    # Wednesday: a backup into the backups folder beside the database.
    _cli("backup", "--db", str(db))
    backups = list((data / "backups").glob("*.db"))
    assert len(backups) == 1 and _holding(backups[0])

    # Thursday: exports, one of them into the data folder itself.
    customers_csv = out / "customers.csv"
    _cli("export", "customers", "--db", str(db), "-o", str(customers_csv))
    customers_json = data / "customers.json"
    _cli("export", "customers", "--db", str(db), "--format", "json", "-o", str(customers_json))
    calls_csv = out / "calls.csv"
    _cli("export", "calls", "--db", str(db), "-o", str(calls_csv))
    segments_csv = out / "segments.csv"
    _cli("export", "segments", "--db", str(db), "-o", str(segments_csv))
    assert _holding(customers_csv)

    # Friday: points for her review, the reason naming her; and points for Jan, whose reason names her.
    _cli("points", "add", EMAIL, "50", "--reason", f"Google review by Zofia {SURNAME} ({E164})", "--db", str(db))
    jan_note = f"brought Zofia {SURNAME} to the shop"
    _cli("points", "add", "jan.lis@example.pl", "20", "--reason", jan_note, "--db", str(db))

    # The erasure request.
    result = runner.invoke(app, ["forget", EMAIL, "--yes", "--db", str(db)])
    assert result.exit_code == 0, result.output
    output = result.output
    for needle in _needles():
        assert needle.decode("utf-8", errors="ignore") not in output or not needle.strip()
    assert "migration backup scrubbed" in output and "backup scrubbed" in output
    assert "loyalty ledger: 2 notes erased" in output
    assert "remembered column mappings: 1 mapping held their details" in output
    assert "orders-march.csv" in output and "orders-june.csv" in output  # the owner's own files
    # The files to delete: exactly the exports and rejects file that hold her (not the segments export).
    to_delete = sorted(Path(p) for p in re.findall(r"delete (\S+): the ", output))
    assert to_delete == sorted([customers_csv, rejects, customers_json])

    # The owner deletes them, as told. Then no file shopkeep wrote, nor anything under the data folder,
    # holds her email, phone (E.164 or national, in any spelling) or surname.
    for path in to_delete:
        path.unlink()
    with Store.open(db) as store:
        written = [Path(r["path"]) for r in store.rows("SELECT path FROM written_files")]
        assert sorted(written) == sorted(
            {customers_csv, rejects, customers_json, calls_csv, segments_csv, backups[0].absolute()}
        ), "every export, rejects file and backup is listed"
        manual = store.rows("SELECT delta, note FROM loyalty_ledger WHERE reason = 'adjust' ORDER BY id")
        assert manual == [{"delta": 50, "note": "[erased]"}, {"delta": 20, "note": "brought [erased] to the shop"}]
        assert store.scalar("SELECT count(*) FROM ledger_redactions") == 2
    everything = [p for p in data.rglob("*") if p.is_file()] + [p for p in written if p.exists()]
    assert migration_backups[0] in everything and backups[0] in everything and db in everything
    left = {str(p): _holding(p) for p in everything}
    assert {p: n for p, n in left.items() if n} == {}
    for copy in (db, migration_backups[0], backups[0]):
        with closing(sqlite3.connect(copy)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The shop's figures are whole: her orders stay, anonymous.
    with Store.open(db) as store:
        assert store.scalar("SELECT sum(total) FROM orders") == 30000
        assert store.scalar("SELECT count(*) FROM customers WHERE forgotten_at IS NOT NULL") == 1
