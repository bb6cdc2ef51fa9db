"""A first run that guides (an empty database says how to import) and old data that is not misread (the app
says the newest order is long ago, F9 restarts it as of that day; `shopkeep --as-of DAY` opens it so)."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from shopkeep.cli import app as cli
from shopkeep.first_run import import_command, stale_note
from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from tests.conftest import new_customer, new_order
from tests.tui.test_today import text, until

NOW = "2011-12-01T10:00:00"


def test_the_note_on_old_data_names_the_day_and_the_exact_command(tmp_path):
    db = tmp_path / "my shop.db"
    assert stale_note(dt.date(2026, 12, 5), dt.date(2026, 9, 1), db) is None
    note = stale_note(dt.date(2026, 12, 5), dt.date(2011, 12, 9), db)
    assert "newest order is from 2011-12-09" in note
    assert f"shopkeep --db '{db}' --as-of 2011-12-09" in note
    assert import_command(db) == f"shopkeep --db '{db}' import orders.csv"


async def test_an_empty_database_says_how_to_import(tmp_path):
    db = tmp_path / "new.db"
    Store.open(db).close()
    app = ShopkeepApp(db, as_of=dt.date(2026, 12, 5))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "No orders in this shop yet" in text(app, "#facts-name"), "the first-run text")
        assert f"shopkeep --db {db} import orders.csv" in text(app, "#facts")
        assert "Nobody to call" not in text(app, "#facts-name")


def _old_shop(db) -> None:
    with Store.open(db) as store, store.write():
        for cid in range(1, 6):
            new_customer(
                store, id=cid, name=f"Customer {cid}", phone=f"+4420790000{cid:02d}", created_at=NOW, updated_at=NOW
            )
            for k in range(4):
                day = dt.date(2011, 12, 9) - dt.timedelta(days=30 * k + 7 * cid)
                new_order(
                    store,
                    cid,
                    source="generic",
                    order_key=f"o{cid}-{k}",
                    ordered_at=f"{day.isoformat()}T12:00:00",
                    currency="GBP",
                    total=2000,
                    created_at=NOW,
                    updated_at=NOW,
                )


async def test_old_data_is_said_and_f9_starts_again_as_of_the_last_order_day(tmp_path):
    db = tmp_path / "uci.db"
    _old_shop(db)
    app = ShopkeepApp(db, as_of=dt.date(2026, 12, 5))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.data_is_old, "the figures")
        note = app.last_notice
        assert "The newest order is from 2011-12-02" in note and "--as-of 2011-12-02" in note
        await until(pilot, lambda: "newest order 2011-12-02 (F9: as of that day)" in text(app, "#today-status"), "hint")
        await pilot.press("f9")
    assert app.return_value == dt.date(2011, 12, 2)  # run_app opens the app again as of that day

    again = ShopkeepApp(db, as_of=app.return_value)
    async with again.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: again.retention is not None, "the figures")
        assert not again.data_is_old
        assert "as of 2011-12-02" in again.sub_title


def test_the_app_takes_as_of_like_the_commands(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("shopkeep.tui.run_app", lambda path, **kw: opened.append(kw["as_of"]))
    db = str(tmp_path / "shop.db")
    ok = CliRunner().invoke(cli, ["--db", db, "--as-of", "2011-12-09"])
    assert ok.exit_code == 0, ok.output
    assert opened == [dt.date(2011, 12, 9)]
    bad = CliRunner().invoke(cli, ["--db", db, "--as-of", "9 Dec"])
    assert bad.exit_code != 0 and "not a date" in bad.output and "Traceback" not in bad.output
    misplaced = CliRunner().invoke(cli, ["--db", db, "--as-of", "2011-12-09", "calls"])
    assert misplaced.exit_code != 0 and "put --as-of after the command" in misplaced.output
