# Two commands a shop owner or a new developer needs: `make demo` and `make test`.
# Each creates the virtualenv on first use; only Python >= 3.11 and make are required.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench demo-db clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/shopkeep demo

# The whole suite, then again with the real date moved a year forward and a year back (faketime):
# nothing may depend on today's date. Without faketime those two runs are skipped, and it says so.
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider
test: $(STAMP)
	$(PYTEST); rc=$$?; if [ $$rc -eq 5 ]; then echo 'no tests collected'; rc=0; fi; [ $$rc -eq 0 ] || exit $$rc; \
	if ! command -v faketime >/dev/null 2>&1; then \
		echo "note: faketime is not installed (apt-get install faketime): the runs with the date moved were skipped"; \
		exit 0; \
	fi; \
	for shift in +365d -365d; do \
		echo "== the whole suite again, with the real date moved $$shift"; \
		faketime -f "$$shift" $(PYTEST) || exit $$?; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .

demo-db: $(STAMP)
	$(BIN)/python -m shopkeep.demo build demo.db

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
