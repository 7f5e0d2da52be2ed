# Shared build of a function's own code for `sam build` (template.yaml: Metadata BuildMethod makefile).
#
# Each functions/<op>/Makefile is two lines:
#     include $(dir $(abspath $(lastword $(MAKEFILE_LIST))))../function.mk
#     build-<LogicalId>: build-function
# sam runs `make build-<LogicalId>` with ARTIFACTS_DIR set. This copies the function's folder (app.py and any
# other module or data file; no Makefile, caches or tests) and compiles it to CPython 3.12 bytecode, hash-based
# and unchecked like the layer's (layers/shared/Makefile says why), so Lambda's read-only /var/task has it.
# The dependencies and the commerce package come from the CommerceLayer.
# A new function needs both its Makefile and `Metadata: {BuildMethod: makefile}` in template.yaml; without
# them sam ships its code without bytecode, and `make build` fails on the check of the artifact.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# The function's folder: the Makefile that included this one (sam runs make in a scratch copy).
FUNCTION_DIR := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))
PYTHON312 ?= python3.12

.PHONY: build-function
build-function:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: build functions with 'make build' (sam build)" >&2; exit 1; }
	@$(PYTHON312) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || \
	  { echo "$(notdir $(FUNCTION_DIR)): '$(PYTHON312)' is not a Python 3.12; put one on PATH (pyenv install 3.12)" >&2; exit 1; }
	tar -C "$(FUNCTION_DIR)" --exclude=Makefile --exclude=__pycache__ --exclude='*.py[co]' --exclude=tests \
	  --exclude='test_*.py' -cf - . | tar -C "$(ARTIFACTS_DIR)" -xf -
	@# -d: the path the code has in Lambda goes into the .pyc, so the files do not depend on the build folder.
	$(PYTHON312) -m compileall -q -j0 --invalidation-mode unchecked-hash -d /var/task "$(ARTIFACTS_DIR)"
	@missing=0; while IFS= read -r -d '' src; do \
	  pyc="$$(dirname "$$src")/__pycache__/$$(basename "$$src" .py).cpython-312.pyc"; \
	  test -f "$$pyc" || { echo "no bytecode for $$src" >&2; missing=1; }; \
	done < <(find "$(ARTIFACTS_DIR)" -name '*.py' -print0); \
	test -f "$(ARTIFACTS_DIR)/__pycache__/app.cpython-312.pyc" || { echo "no app.cpython-312.pyc in $(ARTIFACTS_DIR)" >&2; missing=1; }; \
	test "$$missing" = 0
