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


def test_wheel_carries_the_compiled_catalogs_not_their_sources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = sorted((ROOT / "shopkeep" / "locale").glob("*/LC_MESSAGES/*.po"))
    assert {p.parent.parent.name for p in sources} >= {"ru", "pl"}
    for po in sources:
        where = po.relative_to(ROOT).with_suffix(".mo").as_posix()
        assert where in names, f"{where} is not in the wheel"
    assert not [name for name in names if name.endswith((".po", ".pot"))]


def test_installed_wheel_speaks_polish(wheel, tmp_path):
    """The compiled catalogs are read from the installed package: `shopkeep --help` in Polish."""
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(PYTHONPATH=str(site), HOME=str(tmp_path), LANG="pl_PL.UTF-8")
    result = subprocess.run(
        [sys.executable, "-m", "shopkeep", "--help"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Zatrzymaj klientów, których Twój sklep już zdobył." in result.stdout
    assert "Użycie:" in result.stdout
    assert not list(site.glob("shopkeep/locale/*/LC_MESSAGES/*.po"))  # read compiled, not compiled at start
