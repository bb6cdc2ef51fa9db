"""mypy passes over shopkeep/ (config in pyproject.toml [tool.mypy]): a wrong type is caught before a user does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_passes_over_shopkeep():
    beside = Path(sys.executable).with_name("mypy")
    found = str(beside) if beside.exists() else shutil.which("mypy")
    if found is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    done = subprocess.run([found], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
