"""The app opens fast because the heavy libraries load in the workers that use them, not at start;
and the core stays free of the screen: only `shopkeep/tui/` imports Textual."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import shopkeep
from shopkeep.cli import app
from shopkeep.store import Store

HEAVY = (
    "pydantic",
    "phonenumbers",
    "sqlite_utils",
    "numpy",
    "rapidfuzz",
    "shopkeep.calls",
    "shopkeep.loyalty",
    "shopkeep.retention",
    "shopkeep.lookup",
)
PACKAGE = Path(shopkeep.__file__).parent


def loaded_after(statement: str) -> set[str]:
    """The modules in `sys.modules` after running `statement` in a fresh interpreter."""
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(out.stdout.splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY))


def test_importing_the_app_loads_nothing_heavy():
    modules = loaded_after("import shopkeep.tui.app")
    assert "shopkeep.tui.screens.today" in modules  # the home screen itself is loaded
    assert heavy_in(modules) == []


def test_making_the_app_on_a_shop_loads_nothing_heavy(tmp_path):
    db = tmp_path / "shop.db"
    Store.open(db).close()
    modules = loaded_after(f"from shopkeep.tui.app import ShopkeepApp; ShopkeepApp({str(db)!r})")
    assert heavy_in(modules) == []


def test_the_check_sees_heavy_modules():
    found = set(heavy_in(loaded_after("import shopkeep.calls, shopkeep.lookup, shopkeep.upkeep")))  # upkeep: loyalty
    assert {"pydantic", "phonenumbers", "shopkeep.calls", "shopkeep.loyalty"} <= found


def test_the_command_line_loads_nothing_heavy():
    assert heavy_in(loaded_after("import shopkeep.cli")) == []


def test_the_shopkeep_command_reaches_the_app_without_anything_heavy(tmp_path):
    db = tmp_path / "shop.db"
    Store.open(db).close()
    opened = tmp_path / "opened"
    statement = f"""
import sys
from pathlib import Path
import shopkeep.tui
shopkeep.tui.run_app = lambda path, **kw: Path({str(opened)!r}).write_text(str(path))
from shopkeep.cli import main
sys.argv = ["shopkeep", "--db", {str(db)!r}]
try:
    main()
except SystemExit:
    pass
"""
    modules = loaded_after(statement)
    assert opened.read_text() == str(db)
    # Typer itself converts the --db value with pydantic: that one is not ours to defer.
    assert [m for m in heavy_in(modules) if m.split(".")[0] != "pydantic"] == []


def test_every_command_is_still_there():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in (
        "demo",
        "backup",
        "doctor",
        "import",
        "report",
        "find",
        "forget",
        "export",
        "points",
        "referrals",
        "calls",
    ):
        assert f"  {command} " in result.output
    exported = CliRunner().invoke(app, ["export", "--help"])
    assert "customers" in exported.output


def imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_tui_imports_textual():
    core = [p for p in PACKAGE.rglob("*.py") if (PACKAGE / "tui") not in p.parents]
    assert len(core) > 10  # the walk found the core
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(ast.parse(p.read_text())) if m.split(".")[0] == "textual"
        )
        for p in core
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}
    assert "textual.app" in imported_modules(ast.parse((PACKAGE / "tui" / "app.py").read_text()))
