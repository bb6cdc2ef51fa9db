"""`pip install .` must give a working shopkeep: migrations and the demo ship inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("shopkeep-*.whl")
    return found


def test_wheel_carries_migrations_and_demo(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = sorted(p.name for p in (ROOT / "migrations").glob("*.sql"))
    assert migrations
    for name in migrations:
        assert f"shopkeep/_migrations/{name}" in names
    assert "shopkeep/_data/demo.db" in names


def test_installed_wheel_works_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(tmp_path)}
    db = tmp_path / "shop.db"
    code = (
        "import shopkeep, shopkeep.paths as p; from shopkeep.store import Store;"
        f"assert shopkeep.__file__.startswith({str(site)!r}), shopkeep.__file__;"
        "print(p.resource_path('migrations'));"
        f"s = Store.open({str(db)!r}); print(s.schema_version())"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    where, version = result.stdout.split()
    assert where.startswith(str(site))
    assert int(version) >= 1
    help_run = subprocess.run(
        [sys.executable, "-m", "shopkeep", "--help"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert help_run.returncode == 0, help_run.stderr
    assert "import" in help_run.stdout or "demo" in help_run.stdout
