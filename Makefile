# Haven: `make demo` runs the demo; `make test` runs the tests. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HAVEN := $(BIN)/haven
DIST := src/haven/static/dist
PY_DEPS := pyproject.toml constraints.txt

.DEFAULT_GOAL := help
.PHONY: help demo test setup setup-dev assets migrate lint format typecheck check clean

help:
	@echo "make demo   set up, seed synthetic data and run Haven on http://127.0.0.1:8000"
	@echo "make test   set up and run the whole test suite (DATABASE_URL picks the database)"
	@echo "make check  lint, format check and type check"

$(BIN)/python:
	@python=$$(scripts/find-python) && echo "Using $$python" && "$$python" -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python $(PY_DEPS)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[assets]'
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,assets]'
	@touch $@

$(DIST)/.built: $(VENV)/.installed package.json package-lock.json frontend/build.mjs $(wildcard frontend/*.scss)
	scripts/npm ci --no-audit --no-fund --loglevel=error
	scripts/npm run --silent build
	@touch $@

setup: $(VENV)/.installed $(DIST)/.built
setup-dev: $(VENV)/.installed-dev $(DIST)/.built

assets: $(DIST)/.built

demo: setup
	@HAVEN_DEMO_MODE=true $(HAVEN) migrate --noinput -v 0
	@HAVEN_DEMO_MODE=true $(HAVEN) seed_demo --quiet-list
	@HAVEN_DEMO_MODE=true scripts/run-demo

test: setup-dev
	@scripts/ensure-test-tools
	$(BIN)/pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format:
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

typecheck:
	$(BIN)/mypy

check: setup-dev lint typecheck

clean:
	rm -rf $(VENV) node_modules $(DIST) .mypy_cache .ruff_cache .pytest_cache
