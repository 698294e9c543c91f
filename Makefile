# Two commands do everything on a fresh Debian/Ubuntu machine: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8501
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-db system-browser deps vendor bench clean-db

run: setup
	$(BIN)/objets serve --port $(PORT)

# Database ready with reference data and (when empty) the national demo.
setup: system-db deps vendor
	$(BIN)/objets setup

# The whole suite against throwaway databases; never touches the `make run` data. Two
# processes, a test file each at a time (a file's module fixtures are built once); the
# slowest tests are listed at the end.
test: system-db system-browser deps vendor
	$(BIN)/objets db start
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=25

bench: setup system-browser
	$(BIN)/objets bench

system-db:
	@bash dashboard/ops/system_packages.sh venv node postgres

system-browser:
	@bash dashboard/ops/system_packages.sh chromium

deps: $(STAMP)

$(STAMP): pyproject.toml
	@echo "==> environnement Python ($(VENV))"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

vendor:
	@bash dashboard/ops/vendor.sh

clean-db:
	-$(BIN)/objets db stop
