"""Everything shopkeep writes is readable by the owner only, whatever the umask."""

from __future__ import annotations

import os
import stat

from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_wal_backups_exports_and_rejects_are_private_even_with_a_loose_umask(tmp_path):
    old = os.umask(0o022)
    try:
        db = tmp_path / "data" / "shop.db"
        export = tmp_path / "orders.csv"
        export.write_text(
            "Order ID,Order Date,Email,Name,Total,Currency,Status\n"
            "1,2026-05-01,a@example.com,Ann,5.00,EUR,paid\n"
            "2,2026-05-02,b@example.com,Bob,oops,EUR,paid\n",
            encoding="utf-8",
        )
        result = runner.invoke(
            app, ["import", str(export), "--db", str(db), "--skip-bad", "--rejects", str(tmp_path / "rejects.csv")]
        )
        assert result.exit_code == 0, result.output
        with Store.open(db) as store:
            store.conn.execute("PRAGMA wal_autocheckpoint = 0")
            store.set_setting("x", 1)
            assert mode(db) == 0o600
            assert mode(f"{db}-wal") == 0o600
            assert mode(f"{db}-shm") == 0o600
        assert mode(db.parent) == 0o700
        assert mode(tmp_path / "rejects.csv") == 0o600
        assert runner.invoke(app, ["backup", str(tmp_path / "copy.db"), "--db", str(db)]).exit_code == 0
        assert mode(tmp_path / "copy.db") == 0o600
        out = tmp_path / "customers.csv"
        assert runner.invoke(app, ["export", "customers", "--db", str(db), "-o", str(out)]).exit_code == 0
        assert mode(out) == 0o600
        calls = tmp_path / "calls.csv"
        assert runner.invoke(app, ["export", "calls", "--db", str(db), "-o", str(calls)]).exit_code == 0
        assert mode(calls) == 0o600
    finally:
        os.umask(old)
