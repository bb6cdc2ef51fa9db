"""--db means the same before or after the command name, for every command (issue 13 point 1).

The commands are enumerated from the click group, so a new command is covered without touching this file.
Each runs three ways: `shopkeep --db X CMD ...`, `shopkeep CMD ... --db X` and `SHOPKEEP_DB=X shopkeep CMD ...`;
every database opened must be X, and the default database (in the test's own user data folder) must never
be created.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.paths import default_db_path
from shopkeep.store import Store

runner = CliRunner()
ORDERS = """Order ID,Date,Email,Name,Total,Currency,Status
1,2026-03-01,ann@example.com,Ann Example,10.00,EUR,paid
2,2026-04-01,bo@example.com,Bo Example,20.00,EUR,paid
3,2026-05-01,ann@example.com,Ann Example,30.00,EUR,paid
"""


def commands(command=None, path=()):
    """(path, command) for every command that runs: leaves, and groups that do something on their own."""
    command = command or typer.main.get_command(app)
    subcommands = getattr(command, "commands", None)
    runs = subcommands is None or getattr(command, "invoke_without_command", False)
    if path and runs:
        yield path, command
    if path == ():
        command.list_commands(None)  # loads the lazily registered commands
        subcommands = command.commands
    for name, sub in sorted((subcommands or {}).items()):
        yield from commands(sub, (*path, name))


def takes_db(command) -> bool:
    return any(p.name == "db" for p in command.params)


def arguments(command, orders: Path) -> list[str]:
    """Plausible values for what a command requires: a file for a path, #1 for a customer, 1 for a number."""
    args: list[str] = []
    for param in command.params:
        if param.param_type_name == "argument" and param.required:
            annotation = str(getattr(getattr(param, "type_descriptor", None), "annotation", ""))
            kind = getattr(getattr(param, "type", None), "name", "")
            if "Path" in annotation or kind == "path":
                args.append(str(orders))
            elif "int" in annotation or kind.startswith("integer"):
                args.append("1")
            else:
                args.append("#1")
        elif param.param_type_name == "option":
            if param.name == "yes":
                args.append("--yes")
            elif param.required:
                args += [param.opts[0], "test"]
    return args


@pytest.fixture
def shop(tmp_path):
    db = tmp_path / "shops" / "second-shop.db"
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    result = runner.invoke(app, ["import", str(orders), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db, orders


@pytest.fixture
def opened(monkeypatch):
    """Every database a command opens (its path, or ':memory:')."""
    paths: list[str] = []
    real_open, real_memory = Store.open.__func__, Store.memory.__func__

    def spy_open(cls, path, **kwargs):
        paths.append(str(Path(path).expanduser().resolve()))
        return real_open(cls, path, **kwargs)

    def spy_memory(cls, *args, **kwargs):
        paths.append(":memory:")
        return real_memory(cls, *args, **kwargs)

    monkeypatch.setattr(Store, "open", classmethod(spy_open))
    monkeypatch.setattr(Store, "memory", classmethod(spy_memory))
    monkeypatch.setattr("shopkeep.tui.run_app", lambda path, **kw: paths.append(str(Path(path).resolve())))
    # `shopkeep serve` would listen until stopped: the database every tab would open is recorded instead.
    monkeypatch.setattr("shopkeep.cli.serve_cmd._serve", lambda *args: paths.append(str(Path(args[-1]).resolve())))
    return paths


def test_the_enumeration_finds_the_commands_named_in_the_readme():
    found = {" ".join(path) for path, _ in commands()}
    assert {"import", "doctor", "backup", "export customers", "points add", "calls", "calls results"} <= found


@pytest.mark.parametrize("way", ["before", "after", "environment"])
def test_every_command_uses_the_database_given_wherever_it_is_given(shop, opened, monkeypatch, way):
    db, orders = shop
    default = default_db_path()
    assert not default.exists()
    checked = []
    for path, command in commands():
        if not takes_db(command):
            continue
        args = [*path, *arguments(command, orders)]
        if way == "before":
            argv, env = ["--db", str(db), *args], {}
        elif way == "after":
            argv, env = [*args, "--db", str(db)], {}
        else:
            argv, env = args, {"SHOPKEEP_DB": str(db)}
        opened.clear()
        result = runner.invoke(app, argv, env=env)
        assert "internal error" not in result.output, (argv, result.output)
        assert opened, f"`shopkeep {' '.join(argv)}` opened no database: {result.output}"
        assert set(opened) == {str(db.resolve())}, (argv, opened, result.output)
        assert not default.exists(), f"`shopkeep {' '.join(argv)}` created the default database"
        checked.append(" ".join(path))
    assert len(checked) >= 15


def test_doctor_reports_the_database_given_before_the_command(shop):
    db, _ = shop
    result = runner.invoke(app, ["--db", str(db), "doctor"])
    assert result.exit_code == 0, result.output
    assert "second-shop.db" in result.output.splitlines()[0]
    assert not default_db_path().exists()


def test_import_with_db_before_the_command_goes_into_that_database(tmp_path, shop):
    _, orders = shop
    other = tmp_path / "first-shop.db"
    result = runner.invoke(app, ["--db", str(other), "import", str(orders)])
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output
    with Store.open(other, create=False) as store:
        assert store.scalar("SELECT count(*) FROM orders") == 3
    assert not default_db_path().exists()


def test_the_app_opens_the_database_given(shop, opened):
    db, _ = shop
    assert runner.invoke(app, ["--db", str(db)]).exit_code == 0
    assert opened[-1] == str(db.resolve())


def test_two_different_databases_are_refused_before_anything_is_opened(tmp_path, shop, opened):
    db, orders = shop
    other = tmp_path / "other.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(orders), "--db", str(other)])
    assert result.exit_code != 0
    assert result.stderr.startswith("error: --db is given twice with different files")
    assert len(result.stderr.splitlines()) == 1
    assert opened == [] and not other.exists()
    same = runner.invoke(app, ["--db", str(db), "doctor", "--db", str(db.parent / "." / db.name)])
    assert same.exit_code == 0, same.output


def test_db_before_a_command_that_uses_no_database_is_refused(tmp_path, opened):
    result = runner.invoke(app, ["--db", str(tmp_path / "x.db"), "demo"])
    assert opened == []  # the demo did not start
    assert result.exit_code != 0
    assert result.stderr == "error: `shopkeep demo` does not use a database file; leave out --db\n"
