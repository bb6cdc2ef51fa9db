"""Outputs are written whole or not at all (issue 11 point 7): exports, rejects files and backups on a full
disk leave nothing partial behind, keep the file that was there, and say so in one line; `forget` says what
really happened. Two kinds of tests: ENOSPC injected into the write path (always run), and a real full disk
(a tiny tmpfs mounted for the test; needs root and a working `mount`)."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopkeep import outputs
from shopkeep.cli import app
from shopkeep.exporting import write_rows
from shopkeep.outputs import OutputError, atomic_text, staged
from shopkeep.store import Store

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
HEADER = "Order ID,Date,Email,Name,Total,Currency,Status"


def orders_csv(folder: Path, customers: int, *, bad: int = 0) -> Path:
    """A generic order export: one order per (invented) customer, then `bad` rows with no amount."""
    lines = [HEADER]
    for i in range(customers):
        day = f"2026-0{1 + i % 8}-{10 + i % 18}"
        lines.append(f"{i + 1},{day},person{i}@example.com,Person {i} Testname,{10 + i % 90}.50,EUR,paid")
    for i in range(bad):
        lines.append(f"B{i},2026-03-01,bad{i}@example.com,{'Someone With A Long Name ' * 4}{i},,EUR,paid")
    path = folder / "orders.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_shop(db: Path, folder: Path, customers: int) -> Path:
    result = runner.invoke(app, ["import", str(orders_csv(folder, customers)), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def leftovers(folder: Path, *keep: str) -> list[str]:
    """Files in `folder` other than `keep` (a temporary file left behind would show here)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# -- ENOSPC injected into the write path -------------------------------------------------------------------


class FillingFile:
    """A text file that takes `room` characters, then fails the way a full disk does (the part that fitted
    is on disk: a truncated file, as the old code left)."""

    def __init__(self, real, room: int):
        self.real, self.room = real, room

    def write(self, text: str) -> int:
        if len(text) > self.room:
            self.real.write(text[: self.room])
            self.real.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(text)
        return self.real.write(text)

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


@pytest.fixture
def disk_fills_after(monkeypatch):
    """Every output file opened by shopkeep.outputs takes `room` characters, then the disk is full."""

    def install(room: int) -> None:
        real_open = open
        monkeypatch.setattr(outputs, "open", lambda *a, **k: FillingFile(real_open(*a, **k), room), raising=False)

    return install


def test_a_full_disk_keeps_the_old_export_whole_and_leaves_no_partial_file(tmp_path, disk_fills_after):
    target = tmp_path / "customers.csv"
    target.write_text("the export of last week\n", encoding="utf-8")
    disk_fills_after(100)
    rows = [(f"name {i}", i) for i in range(1000)]
    with pytest.raises(OutputError) as caught:
        write_rows(target, "csv", ("name", "orders"), rows)
    assert str(caught.value) == f"the disk is full: {target} was not written"
    assert target.read_text(encoding="utf-8") == "the export of last week\n"
    assert leftovers(tmp_path) == ["customers.csv"]


def test_a_full_disk_leaves_no_file_at_all_where_there_was_none(tmp_path, disk_fills_after):
    disk_fills_after(0)
    with pytest.raises(OutputError, match="the disk is full"):
        write_rows(tmp_path / "out.json", "json", ("name",), [("x",)])
    assert leftovers(tmp_path) == []


def test_a_complete_export_replaces_the_old_one_owner_only(tmp_path):
    target = tmp_path / "customers.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o644)
    assert write_rows(target, "csv", ("name", "orders"), [("Ann", 2), ("Bo", 1)]) == 2
    assert target.read_bytes() == "\ufeffname,orders\r\nAnn,2\r\nBo,1\r\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == ["customers.csv"]


def test_an_error_while_the_rows_are_produced_leaves_the_old_file(tmp_path):
    target = tmp_path / "customers.csv"
    target.write_text("old\n", encoding="utf-8")

    def rows():
        yield ("Ann", 2)
        raise sqlite3.OperationalError("interrupted")

    with pytest.raises(sqlite3.OperationalError):
        write_rows(target, "csv", ("name", "orders"), rows())
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == ["customers.csv"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.ENOSPC, "the disk is full: {path} was not written"),
        (getattr(errno, "EDQUOT", errno.ENOSPC), "the disk is full: {path} was not written"),
        (errno.EACCES, "permission denied: {path} was not written"),
        (errno.EROFS, "read-only file system: {path} was not written"),
    ],
)
def test_os_errors_become_one_plain_line(tmp_path, code, message):
    path = tmp_path / "x.csv"
    assert outputs.describe(OSError(code, os.strerror(code)), path) == message.format(path=path)


def test_a_target_that_is_a_folder_or_in_a_missing_folder_is_refused_before_writing(tmp_path):
    with pytest.raises(OutputError, match="is a folder: give a file name"):
        write_rows(tmp_path, "csv", ("a",), [])
    with pytest.raises(OutputError, match="does not exist"):
        write_rows(tmp_path / "nope" / "x.csv", "csv", ("a",), [])
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        write_rows(tmp_path / "file" / "x.csv", "csv", ("a",), [])


def test_a_device_is_written_in_place_not_replaced(tmp_path):
    with atomic_text("/dev/null") as out:
        out.write("nothing\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_staged_without_overwrite_never_replaces_an_existing_file(tmp_path):
    target = tmp_path / "backup.db"
    with pytest.raises(OutputError, match="already exists"), staged(target, overwrite=False) as tmp:
        tmp.write_bytes(b"new")
        target.write_bytes(b"appeared meanwhile")
    assert target.read_bytes() == b"appeared meanwhile"
    assert leftovers(tmp_path) == ["backup.db"]


def test_cli_export_on_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path, db_path, disk_fills_after):
    make_shop(db_path, tmp_path, 50)
    target = tmp_path / "out" / "customers.csv"
    target.parent.mkdir()
    target.write_text("last week\n", encoding="utf-8")
    disk_fills_after(500)
    result = runner.invoke(
        app, ["export", "customers", "--db", str(db_path), "--as-of", "2026-09-30", "-o", str(target)]
    )
    assert result.exit_code == 1
    assert result.stderr == f"error: the disk is full: {target} was not written\n"
    assert target.read_text(encoding="utf-8") == "last week\n"
    assert leftovers(target.parent) == ["customers.csv"]


def test_cli_rejects_file_on_a_full_disk_says_the_good_rows_went_in(tmp_path, db_path, disk_fills_after):
    source = orders_csv(tmp_path, 5, bad=50)
    rejects = tmp_path / "out" / "rejects.csv"
    rejects.parent.mkdir()
    disk_fills_after(300)
    result = runner.invoke(app, ["import", str(source), "--db", str(db_path), "--skip-bad", "--rejects", str(rejects)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: orders.csv: the good rows were imported, but the rejects file could not be written:"
        f" the disk is full: {rejects} was not written"
    ]
    assert leftovers(rejects.parent) == []
    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM orders") == 5


def test_cli_backup_that_fails_half_way_leaves_nothing(tmp_path, db_path, monkeypatch):
    make_shop(db_path, tmp_path, 20)
    real_backup = Store.backup

    def backup_then_full(self, target):
        real_backup(self, target)  # the copy is half written ...
        with open(target, "r+b") as fh:
            fh.truncate(4096)
        raise sqlite3.OperationalError("database or disk is full")  # ... when the disk fills

    monkeypatch.setattr(Store, "backup", backup_then_full)
    folder = tmp_path / "bk"
    result = runner.invoke(app, ["backup", f"{folder}/", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: the disk is full: {folder}/shop-")
    assert result.stderr.endswith(".db was not written\n")
    assert leftovers(folder) == []


def test_forget_that_fails_after_the_erasure_says_the_person_was_erased(tmp_path, db_path, monkeypatch):
    make_shop(db_path, tmp_path, 3)
    from shopkeep.store import privacy as privacy_sql

    real_scrub = privacy_sql.scrub_files

    def full(store):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(privacy_sql, "scrub_files", full)
    result = runner.invoke(app, ["forget", "person1@example.com", "--yes", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stdout.startswith("customer #2 WAS erased")
    assert result.stderr.startswith("error: but the erased values could not yet be overwritten")
    assert "(the disk is full)" in result.stderr and "shopkeep forget '#2' --yes" in result.stderr
    with Store.open(db_path) as store:
        row = store.one("SELECT email, name, forgotten_at FROM customers WHERE id = 2")
    assert row["email"] is None and row["name"] is None and row["forgotten_at"]
    monkeypatch.setattr(privacy_sql, "scrub_files", real_scrub)  # space freed: the same command finishes it
    again = runner.invoke(app, ["forget", "#2", "--yes", "--db", str(db_path)])
    assert again.exit_code == 0, again.output
    assert b"person1@example.com" not in db_path.read_bytes()


def test_forget_whose_erasure_cannot_be_saved_says_nothing_was_erased(tmp_path, db_path, monkeypatch):
    make_shop(db_path, tmp_path, 3)
    from shopkeep.store import privacy as privacy_sql

    def full(store, customer_id, when):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(privacy_sql, "erase_personal_data", full)
    result = runner.invoke(app, ["forget", "#2", "--yes", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == "error: customer #2 was NOT erased: the disk is full; nothing was changed\n"
    with Store.open(db_path) as store:
        assert store.scalar("SELECT email FROM customers WHERE id = 2") == "person1@example.com"


# -- a real full disk: a tiny tmpfs ------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs mounted for the test."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the injected-ENOSPC tests cover the same code)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk, then give back about `leave` bytes."""
    filler = disk / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        for size in (4096, 1):
            try:
                while True:
                    fh.write(chunk[:size])
            except OSError:
                pass
    if leave:
        os.truncate(filler, filler.stat().st_size - leave)
    return filler


def shopkeep(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shopkeep", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_real_full_disk_export_keeps_the_old_file_and_says_the_disk_is_full(tmp_path, db_path, small_disk):
    make_shop(db_path, tmp_path, 400)
    target = small_disk / "customers.csv"
    target.write_text("last week\n", encoding="utf-8")
    fill(small_disk, leave=16384)
    result = shopkeep("export", "customers", "--db", str(db_path), "--as-of", "2026-09-30", "-o", str(target))
    assert result.returncode == 1
    assert result.stderr == f"error: the disk is full: {target} was not written\n"
    assert target.read_text(encoding="utf-8") == "last week\n"
    assert leftovers(small_disk, "filler") == ["customers.csv"]


def test_real_full_disk_backup_leaves_no_file_and_then_works_with_room(tmp_path, db_path, small_disk):
    make_shop(db_path, tmp_path, 400)
    filler = fill(small_disk, leave=65536)
    result = shopkeep("backup", f"{small_disk}/", "--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: the disk is full: {small_disk}/shop-")
    assert result.stderr.endswith(".db was not written\n") and len(result.stderr.splitlines()) == 1
    assert leftovers(small_disk, "filler") == []
    filler.unlink()
    again = shopkeep("backup", f"{small_disk}/", "--db", str(db_path))
    assert again.returncode == 0, again.stderr
    (written,) = leftovers(small_disk)
    assert again.stdout == f"wrote a backup to {small_disk / written}\n"
    copy = sqlite3.connect(small_disk / written)
    assert copy.execute("SELECT count(*) FROM customers").fetchone()[0] == 400
    copy.close()


def test_real_full_disk_rejects_file_is_not_left_truncated(tmp_path, db_path, small_disk):
    source = orders_csv(tmp_path, 5, bad=400)
    rejects = small_disk / "rejects.csv"
    fill(small_disk, leave=8192)
    result = shopkeep("import", str(source), "--db", str(db_path), "--skip-bad", "--rejects", str(rejects))
    assert result.returncode == 1
    assert result.stderr.endswith(f"could not be written: the disk is full: {rejects} was not written\n")
    assert leftovers(small_disk, "filler") == []


def test_real_full_disk_forget_says_the_person_was_erased_and_a_second_run_finishes(tmp_path, small_disk):
    db = make_shop(small_disk / "shop.db", tmp_path, 1500)  # ~1.2 MB: rewriting it needs that much room
    keeper = sqlite3.connect(db, isolation_level=None)  # another connection: the WAL file stays between runs
    keeper.execute("CREATE TABLE room (x BLOB)")
    keeper.execute("INSERT INTO room VALUES (zeroblob(300000))")  # the WAL grows to ~300 KB ...
    keeper.execute("DROP TABLE room")
    keeper.execute("PRAGMA wal_checkpoint(RESTART)")  # ... and is reused from its start, without new space
    fill(small_disk)
    result = shopkeep("forget", "person7@example.com", "--yes", "--db", str(db))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == "customer #8 WAS erased: personal data removed, orders kept as anonymous totals\n"
    assert result.stderr.startswith("error: but the erased values could not yet be overwritten")
    assert "(the disk is full)" in result.stderr and len(result.stderr.splitlines()) == 1
    row = keeper.execute("SELECT email, name, forgotten_at FROM customers WHERE id = 8").fetchone()
    assert row[0] is None and row[1] is None and row[2]
    (small_disk / "filler").unlink()
    again = shopkeep("forget", "#8", "--yes", "--db", str(db))
    assert again.returncode == 0, again.stderr
    keeper.close()
    assert b"person7@example.com" not in db.read_bytes()


def test_real_read_only_disk_is_one_plain_line_for_export_and_backup(tmp_path, db_path, small_disk):
    make_shop(db_path, tmp_path, 5)
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    assert remounted.returncode == 0, remounted.stderr
    target = small_disk / "customers.csv"
    export = shopkeep("export", "customers", "--db", str(db_path), "--as-of", "2026-09-30", "-o", str(target))
    assert export.returncode == 1
    assert export.stderr == f"error: read-only file system: {target} was not written\n"
    backup = shopkeep("backup", str(small_disk / "copy.db"), "--db", str(db_path))
    assert backup.returncode == 1
    assert backup.stderr == f"error: read-only file system: {small_disk / 'copy.db'} was not written\n"
