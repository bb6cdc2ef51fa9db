"""Running one command imports that command's module alone, not every command's: `shopkeep find` starts
without numpy, retention or the importer (issue 19: cold commands start fast)."""

from __future__ import annotations

import json
import subprocess
import sys

import typer.main

from shopkeep.cli import COMMAND_MODULES, _register, app


def test_every_registered_command_is_in_the_table_with_its_module():
    _register()
    registered = {
        (info.name or typer.main.get_command_name(info.callback.__name__)): {info.callback.__module__}
        for info in app.registered_commands
        if info.callback.__module__ != "shopkeep.cli"  # `demo` lives in the launcher itself
    }
    for group in app.registered_groups:
        registered[group.name] = {command.callback.__module__ for command in group.typer_instance.registered_commands}
    table = {name: {f"shopkeep.cli.{module}" for module in modules} for name, modules in COMMAND_MODULES.items()}
    assert table == registered


PROBE = """
import json, sys
from shopkeep.cli import main
sys.argv = ["shopkeep", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = sorted(name for name in sys.modules if name.startswith("shopkeep.") or name == "numpy")
print(json.dumps(loaded), file=sys.stderr)
"""


def _modules_after(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_find_loads_only_what_finding_needs(tmp_path):
    db = tmp_path / "shop.db"
    subprocess.run([sys.executable, "-m", "shopkeep", "settings", "--db", str(db)], capture_output=True, timeout=120)
    loaded = _modules_after("find", "anna", "--db", str(db))
    assert "shopkeep.cli.find_cmd" in loaded
    assert not loaded & {"shopkeep.cli.import_cmd", "shopkeep.cli.serve_cmd", "shopkeep.importing", "numpy"}


def test_help_still_lists_every_command():
    done = subprocess.run([sys.executable, "-m", "shopkeep", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    for name in [*COMMAND_MODULES, "demo"]:
        assert f" {name} " in done.stdout, name
