# Two commands a shop owner or a new developer needs: `make demo` and `make test`.
# Each creates the virtualenv on first use; only Python >= 3.11 and make are required.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-scale demo-db clean catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/shopkeep demo

# The whole suite, then again with the real date moved a year forward and a year back (time-machine,
# tests/shifted): nothing may depend on today's date. pytest-xdist workers (the slow tests are
# stolen by whichever worker is free). Test databases are written as the owner's are (synchronous=FULL),
# so on a disk every commit waits for fsync: where /dev/shm (memory) has room, the tests keep their
# temporary files there (a new database: ~25 ms instead of ~95 ms here); elsewhere the usual $TMPDIR.
# Python's bytecode cache stays on for the tests even where the environment turns it off
# (PYTHONDONTWRITEBYTECODE): each of the suite's few hundred processes (xdist workers, `python -m shopkeep`
# under test) would otherwise compile shopkeep and rewrite the test modules' asserts again, ~3 s of CPU per
# worker. The cache is kept under .venv/pycache, out of the tree. Four workers: the TUI and process tests
# spend part of their time waiting, so four keep both cores busy.
TEST_TMPDIR := $(shell d=/dev/shm; [ -d $$d ] && [ -w $$d ] && [ "$$(df -Pk $$d | awk 'NR==2 {print $$4}')" -gt 4000000 ] && echo $$d)
PYTEST := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache \
	$(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR) )$(BIN)/python -m pytest -q -p no:cacheprovider -n 4 --dist worksteal
test: $(STAMP)
	$(PYTEST); rc=$$?; if [ $$rc -eq 5 ]; then echo 'no tests collected'; rc=0; fi; [ $$rc -eq 0 ] || exit $$rc; \
	for shift in +365 -365; do \
		echo "== the whole suite again, with the real date moved $$shift days"; \
		SHOPKEEP_TEST_SHIFT_DAYS=$$shift $(PYTEST) || exit $$?; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .

# Translations (Babel): extract the messages of both domains (shopkeep/tui -> shopkeep_tui.pot, the rest of
# shopkeep -> shopkeep.pot), bring every ru/pl .po up to them, compile the .mo files (build products).
catalogs: $(STAMP)
	$(BIN)/python tools/catalogs.py

demo-db: $(STAMP)
	$(BIN)/python -m shopkeep.demo build demo.db

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

# Issue 19: every row of the 1M-order table in one run (the export and database are kept in ~/.cache/shopkeep-bench).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .mypy_cache .import_linter_cache
