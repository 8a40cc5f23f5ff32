# Two commands on a fresh machine with Python 3.11+ and make:
#   make run   - set up .venv, load the illustrative demo data into SQLite, start the app on 127.0.0.1
#   make test  - set up .venv, run ruff, mypy and the whole test suite (CI runs exactly this)
# And for the developer's loop:
#   make check - lint, types and every test that needs neither a browser nor PostgreSQL, in parallel (not the
#                slow full-scale ones)
#   make mutate - mutation testing of the core with mutmut (slow; never part of test/check; docs/testing.md)
#                 MUTANTS="assessment.workflow.*" limits the run to one module's mutants
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
# Test workers: one per core (pytest-xdist); a file's tests stay on one worker, so its fixtures are made once.
# --durations: the 30 slowest tests close every run (CI time is watched: docs/testing.md).
WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --durations=30

.PHONY: setup run test check lint bench clean mutate mutate-results

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]" --config-settings editable_mode=compat
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/iotready demo load
	$(BIN)/python -m ui.serve --server.address 127.0.0.1 --server.port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

test: lint
	$(PYTEST)

check: lint
	env -u TEST_DATABASE_URL $(PYTEST) -m "not browser and not postgres and not slow"

# Mutation testing (issue 27): the core and its tests are configured under [tool.mutmut] in pyproject.toml.
# Results are cached in mutants/ (git-ignored): a re-run only re-tests what changed. `make mutate-results` lists them.
# MUTATE_TESTS='tests/scoring tests/recommendations' runs each mutant against those tests only (tools/mutate.py).
MUTANTS ?=
MUTATE_TESTS ?=
mutate: setup
	env -u TEST_DATABASE_URL MUTATE_TESTS='$(MUTATE_TESTS)' $(BIN)/python tools/mutate.py run $(MUTANTS)

mutate-results: setup
	$(BIN)/mutmut results

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache mutants .mutmut-cache html
