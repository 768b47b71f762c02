# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= quotegraph.db

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/quotegraph demo --db $(DB)
	@echo
	@echo "Browse it:  $(BIN)/quotegraph serve --db $(DB)   then open http://127.0.0.1:8000/"

# Two test processes, one per core of the CI machine; a file's tests stay in one process,
# so its session fixtures (parsed PolNeAR dev, the sample store) are built once.
TEST_WORKERS ?= 2

test: lint
	bash scripts/install-browser.sh
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# ruff (style and lint) and mypy (types, configured in pyproject.toml) over the package.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
