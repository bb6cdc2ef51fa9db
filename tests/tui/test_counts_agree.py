"""Every screen and command that shows a number of customers counts the same people (customers with a paid
order as of the day) or says what it counts instead: on the demo, and on a shop with refund-only customers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.widgets import Static
from typer.testing import CliRunner

from shopkeep import demo
from shopkeep.cli import app as cli
from shopkeep.paths import resource_path
from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from tests.conftest import new_customer, new_order, until
from tests.tui.conftest import AS_OF, fill

runner = CliRunner()


@pytest.fixture
def demo_db(tmp_path) -> Path:
    return demo.copy_demo(resource_path("demo.db"), tmp_path / "demo.db")


@pytest.fixture
def refunds_db(tmp_path) -> Path:
    """The small hostile-names shop, plus two customers whose only orders were refunded or cancelled."""
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        fill(store)
        with store.write():
            for cid, status in ((8, "refunded"), (9, "cancelled")):
                new_customer(store, id=cid, name=f"Only {status}", created_at="2026-01-01", updated_at="2026-01-01")
                new_order(
                    store,
                    cid,
                    source="generic",
                    order_key=f"x{cid}",
                    ordered_at="2026-10-01T10:00:00",
                    currency="PLN",
                    total=5000,
                    refunded=5000,
                    status=status,
                    created_at="2026-01-01",
                    updated_at="2026-01-01",
                )
    return path


def static(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.mark.parametrize(("shop", "with_sale", "without"), [("demo_db", 1_484, 16), ("refunds_db", 7, 2)])
async def test_every_customer_count_agrees_or_says_what_it_counts(shop, with_sale, without, request):
    db = request.getfixturevalue(shop)
    as_of = "2026-11-23"
    population = f"{with_sale:,} customers with a paid order ({without} more without one)"

    report = runner.invoke(cli, ["report", "--db", str(db), "--as-of", as_of])
    assert report.exit_code == 0, report.output
    assert population in report.output
    exported = runner.invoke(cli, ["export", "customers", "--db", str(db), "--as-of", as_of])
    assert len(list(csv.DictReader(io.StringIO(exported.stdout)))) == with_sale
    segments = runner.invoke(cli, ["export", "segments", "--db", str(db), "--as-of", as_of, "--format", "json"])
    assert segments.exit_code == 0, segments.output

    app = ShopkeepApp(db, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")  # Segments: the same customers, the shares of a stated base
        await until(pilot, lambda: "customers with a paid order" in static(app, "#status"))
        assert static(app, "#status").startswith(population)
        await pilot.press("6")  # Dashboard
        await until(pilot, lambda: population in static(app, "#kpis"))
        await pilot.press("4")  # Loyalty: everyone in the programme, and it says so
        await until(pilot, lambda: "in the programme" in static(app, "#loyalty-summary"))
        assert f"{with_sale + without:,} in the programme, paid order or not" in static(app, "#loyalty-summary")
