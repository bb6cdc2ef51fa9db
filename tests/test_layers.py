"""The layers hold: screens and commands -> core -> store -> small leaves, and SQL lives in the store.

The contracts are in pyproject.toml ([tool.importlinter]); `lint-imports` runs them by hand too.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "shopkeep"


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_the_import_contracts_are_kept():
    done = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


# A string that starts like an SQL statement (upper case, as this code base writes SQL).
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|VACUUM|CREATE|ALTER|DROP|WITH|ATTACH|BEGIN)\b")

# Known SQL outside shopkeep/store/, each with its reason. Move it into a store module and delete the line;
# never add one without a reason a reviewer accepts.
ALLOWED = {
    ("shopkeep/loyalty.py", "SELECT id, customer_id, delta"): "one ledger read; loyalty.py is being reworked (scale)",
    ("shopkeep/privacy.py", "PRAGMA secure_delete"): "the forget's zeroing pragma; privacy.py is being reworked",
    # forget (issue 14), merged while the contract was written: to move into shopkeep/store/privacy.py
    ("shopkeep/privacy.py", "SELECT id, name, last_name FROM customers"): "forget: names to redact (issue 14)",
    ("shopkeep/privacy.py", "SELECT DISTINCT i.file_name"): "forget: the files an order came from (issue 14)",
    ("shopkeep/privacy.py", "VACUUM"): "forget: scrubbing a backup copy in place (issue 14)",
    ("shopkeep/privacy.py", "PRAGMA journal_mode"): "forget: scrubbing a backup copy in place (issue 14)",
    ("shopkeep/privacy.py", "BEGIN IMMEDIATE"): "forget: scrubbing a backup copy in place (issue 14)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def sql_outside_the_store() -> list[tuple[str, int, str]]:
    """(file, line, statement start) of every SQL string literal in shopkeep/ but outside shopkeep/store/."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("shopkeep/store/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            if is_text and SQL.match(node.value):
                found.append((rel, node.lineno, node.value.strip()))
    return found


def _allowed(rel: str, text: str) -> bool:
    return any(rel == place and text.startswith(start) for place, start in ALLOWED)


def test_sql_lives_in_the_store():
    stray = [f"{rel}:{line}: {text[:60]!r}" for rel, line, text in sql_outside_the_store() if not _allowed(rel, text)]
    assert not stray, "SQL outside shopkeep/store/ (move it into a store module):\n" + "\n".join(stray)


def test_the_sql_check_sees_sql_and_not_prose(tmp_path):
    """The check itself: a statement in code is found, the same words in a docstring or in prose are not."""
    source = '"""SELECT in a docstring is prose."""\nX = "SELECT 1"\nY = "Select a customer"\nZ = f"UPDATE {X} SET"\n'
    tree = ast.parse(source)
    skip = _docstrings(tree)
    hits = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip and SQL.match(n.value)
    ]
    assert hits == ["SELECT 1", "UPDATE "]


def test_every_module_below_the_screens_is_kept_from_terminal_libraries():
    """The forbidden contract names its modules one by one: none placed in a layer may be left out of it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    placed = {f"shopkeep.{name.strip()}" for layer in layers for name in re.split(r"[|:]", layer)}
    forbidden = next(c for c in config["contracts"] if c["type"] == "forbidden")
    assert set(forbidden["source_modules"]) == placed - {"shopkeep.__main__", "shopkeep.tui", "shopkeep.cli"}


def test_each_rule_of_the_store_is_written_once():
    """Whether a customer exists, how to reach customers, the upper bound of "as of a day": one function
    each (shopkeep.store.customers, shopkeep.clock), not a copy per module that can drift apart."""
    defined: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") in (
                "customer_exists",
                "contacts",
                "day_after",
            ):
                defined.setdefault(node.name.lstrip("_"), []).append(path.relative_to(ROOT).as_posix())
    assert defined == {
        "customer_exists": ["shopkeep/store/customers.py"],
        "contacts": ["shopkeep/store/customers.py"],
        "day_after": ["shopkeep/clock.py"],
    }
