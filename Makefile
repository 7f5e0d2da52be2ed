# Every command a developer or CI needs. `make dev` and `make test` work on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# checkov pins boto3 and pydantic of its own, so it gets a virtual environment of its own.
TOOLS_VENV := .venv-tools
export SAM_CLI_TELEMETRY := 0
export AWS_DEFAULT_REGION ?= us-east-1
# A Python 3.12 for `sam build` (the Lambda runtime is python3.12); pyenv's copy when there is one.
PY312_BIN := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin))

.PHONY: help setup dev test lint typecheck template-check asl-check openapi openapi-check \
        unit integration e2e fuzz model-fuzz build bench fmt clean token demo security audit template \
        load carrier-advance run-job browser daily-report erp-drop storefront console browser-test deploy event-sample

help:
	@echo "make dev      set up, build the web apps, start the local stack with demo data: shop :3006, console :3007, API :3000"
	@echo "make test     set up, run every check and test (what CI runs)"
	@echo "make storefront  build the storefront (web/storefront/dist/); make dev serves it on :3006"
	@echo "make console  build the back-office console (web/console/dist/); make dev serves it on :3007"
	@echo "make browser-test  the storefront and the console in headless Chromium on a local stack (tests/browser)"
	@echo "make fuzz     schemathesis on every operation of docs/openapi.json, many examples each; model-fuzz"
	@echo "make model-fuzz  the order lifecycle model test, MODEL_EXAMPLES=500 random interleavings"
	@echo "make security checkov on the template, the secret scan, the IAM policy rules"
	@echo "make audit    pip-audit on the locked dependencies (needs PyPI's vulnerability API)"
	@echo "make build    sam build: deployable artifact with Python 3.12 bytecode"
	@echo "make deploy   build, sam deploy, then the storefront and the console: config.json, upload, invalidation"
	@echo "make openapi  regenerate docs/openapi.json from the code"
	@echo "make template regenerate template.yaml from infra/"
	@echo "make bench    run the benchmarks in bench/"
	@echo "make load     mixed storefront load on a local stack of its own (bench/load.py)"
	@echo "make fmt      format the code"
	@echo "make run-job JOB=restock  run a scheduled job now in the running local stack"
	@echo "make event-sample NAME=checkout-guest  a filled, signed sample event for sam local invoke"

# setup
$(VENV)/.installed: requirements-dev.txt requirements-lock.txt layers/shared/requirements.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c requirements-lock.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

STOREFRONT := web/storefront
$(STOREFRONT)/node_modules/.installed: $(STOREFRONT)/package.json $(STOREFRONT)/package-lock.json
	cd $(STOREFRONT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

CONSOLE := web/console
$(CONSOLE)/node_modules/.installed: $(CONSOLE)/package.json $(CONSOLE)/package-lock.json
	cd $(CONSOLE) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(TOOLS_VENV)/.installed: requirements-tools.txt requirements-tools-lock.txt
	python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/pip install --quiet -r requirements-tools.txt -c requirements-tools-lock.txt
	touch $@

setup: $(VENV)/.installed node_modules/.installed $(STOREFRONT)/node_modules/.installed $(CONSOLE)/node_modules/.installed

# The storefront: type-checked, then bundled into web/storefront/dist/ (docs/storefront.md).
storefront: setup
	cd $(STOREFRONT) && npm run --silent typecheck && npm run --silent build

# The back-office console: type-checked, then bundled into web/console/dist/ (docs/console.md).
console: setup
	cd $(CONSOLE) && npm run --silent typecheck && npm run --silent build

# run
dev: setup storefront console
	$(PY) -m local

demo: setup
	$(PY) -m local.tools.demo

# `make carrier-advance ORDER=<id> [TO=in_transit|delivered|delivery_failed|returned_to_sender]`
# sends the simulated carrier's signed tracking webhooks for the order's shipments (local/tools/carrier.py).
carrier-advance: $(VENV)/.installed
	@test -n "$(ORDER)" || { echo "usage: make carrier-advance ORDER=<order id> [TO=delivered]" >&2; exit 1; }
	@$(PY) -m local.tools.carrier --order "$(ORDER)" $(if $(TO),--to "$(TO)")

# `make token ROLE=customer EMAIL=ada@example.com` (ROLE: customer, support, staff or admin; EMAIL defaults per role)
# prints an ID token from the running stack's local issuer, to send as `Authorization: Bearer <token>`.
token: $(VENV)/.installed
	@$(PY) -m local.tools.id_token --role "$(or $(ROLE),customer)" $(if $(EMAIL),--email "$(EMAIL)")

# `make run-job JOB=restock` (or JOB=reservation-sweeper) runs a scheduled job now in the running local
# stack, with the target and input of its schedule in template.yaml (inventory, docs/inventory.md).
# INPUT='{"after_minutes": 0}' is merged into the schedule's input (marketing, docs/marketing-events.md).
run-job: $(VENV)/.installed
	@$(PY) -m local.tools.jobs "$(JOB)" $(if $(INPUT),--input '$(INPUT)')

# `make erp-drop FILE=counts.csv` drops the CSV in the running local stack's ERP
# bucket (erp/stock/) and prints the import's report (local/tools/erp_drop.py, docs/erp-stock.md).
erp-drop: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make erp-drop FILE=<counts.csv>" >&2; exit 1; }
	@$(PY) -m local.tools.erp_drop "$(FILE)"

# `make -s event-sample NAME=cart-get ARGS="CART_ID=<id> CART_TOKEN=<token>"` prints events/cart-get.json filled
# in (and signed, for the webhooks) for `sam local invoke <Function> -e -`; the function is named on stderr.
event-sample: $(VENV)/.installed
	@test -n "$(NAME)" || { echo "usage: make -s event-sample NAME=<sample in events/> [ARGS='NAME=VALUE ...']" >&2; exit 1; }
	@$(PY) -m local.tools.event_sample "$(NAME)" $(ARGS)

# checks
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

# template.yaml is generated from infra/ (stack.yaml, resources/<context>.yaml); edit there, then `make template`.
template: setup
	$(PY) -m infra.template --write

template-check: setup
	$(PY) -m infra.template --check
	$(BIN)/cfn-lint template.yaml
	$(BIN)/sam validate --lint --template-file template.yaml

asl-check: setup
	@shopt -s nullglob; files=(statemachines/*.json); \
	for f in "$${files[@]}"; do \
	  echo "asl-validator $$f"; \
	  npx --no-install asl-validator --json-path "$$f"; \
	done

openapi: setup
	$(PY) -m local.tools.openapi --write docs/openapi.json

openapi-check: setup
	$(PY) -m local.tools.openapi --check docs/openapi.json

# checkov on the template, offline (no policy download, no update check): zero failed checks; every skip's
# reason is written once, in the Checkov section of infra/stack.yaml. Then the secret scan and the IAM policy rules.
security: setup $(TOOLS_VENV)/.installed
	CKV_SKIP_PACKAGE_UPDATE_CHECK=true $(TOOLS_VENV)/bin/checkov -f template.yaml --framework cloudformation \
	  --skip-download --quiet --compact
	$(BIN)/pytest tests/unit/test_no_secrets.py tests/unit/test_iam_policies.py -q

# pip-audit on every locked dependency: fails on a known vulnerability with a fix available, and on any
# release it could not look up. Not in `make test`: these machines reach PyPI's package index but not its
# per-release JSON API that pip-audit asks (docs/security.md, "Dependencies").
audit: setup $(TOOLS_VENV)/.installed
	$(PY) -m local.tools.dependency_audit --pip-audit $(TOOLS_VENV)/bin/pip-audit

unit: setup
	$(BIN)/pytest tests/unit -q

integration: setup browser
	$(BIN)/pytest tests/integration -q

e2e: setup
	$(BIN)/pytest tests/e2e -q

# schemathesis against docs/openapi.json on a local stack of its own. `make test` runs it with 10 examples per
# operation (in tests/e2e); this runs it longer: `make fuzz FUZZ_EXAMPLES=1000` for longer still.
fuzz: setup model-fuzz
	FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),200) $(BIN)/pytest tests/e2e/test_api_fuzz.py -q -p no:logging

# The order lifecycle model (tests/integration/test_order_lifecycle_model.py): `make test` runs a few dozen
# interleavings with a fixed seed; this runs many more, and longer ones: `make model-fuzz MODEL_EXAMPLES=2000`.
model-fuzz: setup
	MODEL_EXAMPLES=$(or $(MODEL_EXAMPLES),500) MODEL_STEPS=$(or $(MODEL_STEPS),50) \
	  $(BIN)/pytest tests/integration/test_order_lifecycle_model.py -q -p no:logging

test: setup browser storefront console lint typecheck template-check asl-check security openapi-check
	$(BIN)/pytest tests/unit tests/integration -q --cov --cov-report=term:skip-covered
	$(BIN)/pytest tests/e2e -q
	$(MAKE) browser-test

# The storefront and the console in headless Chromium (Debian's, driven by Playwright) on a local stack of their
# own; each main page's screenshot lands in test-results/storefront/ and test-results/console/.
browser-test: setup browser storefront console
	$(BIN)/pytest tests/browser -q

# analytics
# Headless Chromium for the daily report's screenshot test (tests/integration/test_daily_report_screenshot.py),
# from Debian's packages when it is not on the machine yet (CI runs as root; elsewhere sudo asks once).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq chromium >/dev/null; }

# Yesterday's report (or DAY=YYYY-MM-DD) from the running local stack (`make dev`), copied to .local/reports/.
daily-report: $(VENV)/.installed
	$(PY) -m local.tools.daily_report $(if $(DAY),--day "$(DAY)")

# build and measure
build: $(VENV)/.installed
	@# --no-cached: samconfig.toml turns sam's build cache on, and it is keyed on each CodeUri folder only, so a
	@# change to functions/function.mk or requirements-lock.txt would not rebuild. The artifact is what deploys.
	@py312=""; \
	for cand in $(if $(PY312_BIN),"$(PY312_BIN)/python3.12") "$$(command -v python3.12 || true)"; do \
	  if [ -n "$$cand" ] && "$$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then \
	    py312="$$cand"; break; \
	  fi; \
	done; \
	if [ -z "$$py312" ]; then \
	  echo "make build: no Python 3.12 found (the Lambda runtime is python3.12, and the layer's bytecode" >&2; \
	  echo "must be compiled by it). Install one: 'pyenv install 3.12', or put a python3.12 on PATH." >&2; \
	  exit 1; \
	fi; \
	echo "make build: compiling with $$py312 ($$("$$py312" -c 'import sys; print(sys.version.split()[0])'))"; \
	PATH="$$(dirname "$$py312"):$$PATH" $(BIN)/sam build --template-file template.yaml --no-cached
	@# The artifact must carry CPython 3.12 bytecode for every module, or every cold start recompiles.
	@$(PY) -c "$$CHECK_ARTIFACT" .aws-sam/build

# `make deploy [STOREFRONT_ORIGIN=https://shop.example.com] [CORS_ORIGINS="https://admin.example.com"]`: the stack (samconfig.toml's parameters, with the
# storefront's origin for its sign-in and CORS), then both web apps, the storefront at the root and the console under
# /console/, each with its config.json, then one invalidation (local/deploy_web.py; docs/storefront.md and
# docs/console.md, "Deploying"). AWS credentials come from the usual places.
STOREFRONT_BUILD ?= npm --prefix web/storefront run build
CONSOLE_BUILD ?= $(MAKE) console
deploy: build node_modules/.installed $(STOREFRONT)/node_modules/.installed
	$(STOREFRONT_BUILD)
	$(CONSOLE_BUILD)
	$(PY) -m local.deploy_web --sam $(BIN)/sam $(if $(STOREFRONT_ORIGIN),--origin "$(STOREFRONT_ORIGIN)") \
	  $(foreach origin,$(CORS_ORIGINS),--cors-origin "$(origin)")

# Fails unless the built artifact has a .cpython-312.pyc beside every .py (functions and layer) and the
# packages whose compile matters most for the cold start (docs/performance.md).
define CHECK_ARTIFACT
import pathlib, sys
root = pathlib.Path(sys.argv[1])
layer = root / "CommerceLayer" / "python"
need = [layer / p / "__pycache__" / "__init__.cpython-312.pyc"
        for p in ("commerce", "pydantic", "pydantic_core", "boto3", "botocore", "aws_lambda_powertools")]
functions = sorted(d for d in root.iterdir() if (d / "app.py").is_file())
need += [d / "__pycache__" / "app.cpython-312.pyc" for d in functions]
sources = list(root.rglob("*.py"))
missing = [s for s in sources if not (s.parent / "__pycache__" / f"{s.stem}.cpython-312.pyc").is_file()]
absent = [n for n in need if not n.is_file()]
for p in absent + missing[:20]:
    print(f"make build: no bytecode: {p}", file=sys.stderr)
if absent or missing or not functions:
    sys.exit("make build: the artifact lacks Python 3.12 bytecode (see the lines above); not deployable as is")
pycs = len(list(root.rglob("*.cpython-312.pyc")))
print(f"make build: {root} OK: {pycs} .cpython-312.pyc for {len(sources)} .py; functions: "
      + ", ".join(d.name for d in functions))
endef
export CHECK_ARTIFACT

# `make bench BENCH_ARGS="--runs 30"` passes options through.
bench: $(VENV)/.installed
	@test -f .aws-sam/build/template.yaml || $(MAKE) build
	$(PY) bench/coldstart.py $(BENCH_ARGS)

# load: `make load LOAD_ARGS="--clients 8 --operations 600"`; exits non-zero on
# errors or oversells. A local stack of its own on free ports, stopped at the end.
load: $(VENV)/.installed
	$(PY) bench/load.py $(LOAD_ARGS)

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf .aws-sam .local .pytest_cache .mypy_cache .ruff_cache .coverage .venv-tools
