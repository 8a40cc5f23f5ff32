# Two commands on a fresh machine with Python 3.11+ and make:
#   make run   - set up .venv, load the illustrative demo data into SQLite, start the app on 127.0.0.1
#   make test  - set up .venv, run ruff, mypy and the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]" --config-settings editable_mode=compat
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/iotready demo load
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
