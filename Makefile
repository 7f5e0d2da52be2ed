# Every command a developer or CI needs. `make dev` and `make test` work on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
export SAM_CLI_TELEMETRY := 0
export AWS_DEFAULT_REGION ?= us-east-1
# A Python 3.12 for `sam build` (the Lambda runtime is python3.12); pyenv's copy when there is one.
PY312_BIN := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin))

.PHONY: help setup dev test lint typecheck template-check asl-check openapi openapi-check \
        unit integration e2e build bench fmt clean

help:
	@echo "make dev      set up, start the local stack on http://127.0.0.1:3000 with demo data"
	@echo "make test     set up, run every check and test (what CI runs)"
	@echo "make build    sam build: deployable artifact with Python 3.12 bytecode"
	@echo "make openapi  regenerate docs/openapi.json from the code"
	@echo "make bench    run the benchmarks in bench/"
	@echo "make fmt      format the code"

# ------------------------------------------------------------------ setup
$(VENV)/.installed: requirements-dev.txt requirements-lock.txt layers/shared/requirements.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c requirements-lock.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# ------------------------------------------------------------------ run
dev: setup
	$(PY) -m local

# ------------------------------------------------------------------ checks
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

template-check: setup
	$(BIN)/cfn-lint template.yaml
	$(BIN)/sam validate --lint --template-file template.yaml

asl-check: setup
	@shopt -s nullglob; files=(statemachines/*.json); \
	for f in "$${files[@]}"; do \
	  echo "asl-validator $$f"; \
	  npx --no-install asl-validator --json-path "$$f"; \
	done

openapi: setup
	$(PY) -m local.openapi --write docs/openapi.json

openapi-check: setup
	$(PY) -m local.openapi --check docs/openapi.json

unit: setup
	$(BIN)/pytest tests/unit -q

integration: setup
	$(BIN)/pytest tests/integration -q

e2e: setup
	$(BIN)/pytest tests/e2e -q

test: setup lint typecheck template-check asl-check openapi-check
	$(BIN)/pytest tests/unit tests/integration -q --cov --cov-report=term:skip-covered
	$(BIN)/pytest tests/e2e -q

# ------------------------------------------------------------------ build and measure
build: setup
	@test -n "$(PY312_BIN)" || { echo "make build needs Python 3.12 (the Lambda runtime): pyenv install 3.12" >&2; exit 1; }
	PATH="$(PY312_BIN):$$PATH" $(BIN)/sam build --template-file template.yaml

bench: setup
	$(PY) bench/coldstart.py

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf .aws-sam .local .pytest_cache .mypy_cache .ruff_cache .coverage
