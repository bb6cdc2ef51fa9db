from __future__ import annotations

import json

from typer.testing import CliRunner

from shopkeep.cli import app
from tests.retention.conftest import add_history, add_order

runner = CliRunner()


def test_report_reads_well_in_a_terminal(store, db_path):
    add_history(store, ["2026-01-05", "2026-01-25"], total=6_000)
    add_history(store, ["2026-02-01"], total=3_000)
    add_order(store, None, "2026-02-02", 1_000, currency="USD")
    result = runner.invoke(app, ["report", "--db", str(db_path), "--as-of", "2026-06-30"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Shop report as of 2026-06-30 (money in EUR)")
    assert "Repeat purchase rate                         50.0%" in out
    assert "Revenue (net of refunds and credit notes)    €150.00" in out
    assert "Time to second order (median)                20 days" in out
    assert "1 order in another currency is left out of the money figures." in out
    assert "  2026-01       1  100%    0%    0%" in out


def test_report_json_and_the_environment_date(store, db_path, monkeypatch):
    add_history(store, ["2026-01-05", "2026-03-25"], total=6_000)
    monkeypatch.setenv("SHOPKEEP_TODAY", "2026-02-01")
    result = runner.invoke(app, ["report", "--db", str(db_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-02-01" and data["minor_digits"] == 2
    assert data["kpis"]["revenue"] == 6_000 and data["kpis"]["customers"] == 1
    assert sum(s["customers"] for s in data["segments"]) == 1


def test_report_bad_date_is_one_line(store, db_path):
    result = runner.invoke(app, ["report", "--db", str(db_path), "--as-of", "30.06.2026"])
    assert result.exit_code == 1 and result.stderr.startswith("error: not a date")
