"""Each function starts with the environment its template gives it and nothing more.

The local stack runs every function in one process with all their variables merged, so a variable one
function forgot but another sets goes unnoticed there. Here each handler is imported (its cold start: the
settings its factories read are validated) with its own variables only, in a child process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from local.samyaml import load_template
from local.specs import parameter_values, template_environments

REPO = Path(__file__).resolve().parents[2]

# Imports each handler in turn with its environment only; prints the functions whose cold start failed.
COLD_STARTS = """
import importlib, json, os, sys
failed = {}
for logical_id, (code_dir, module, environment) in json.load(sys.stdin).items():
    os.environ.clear()
    os.environ.update(environment)
    sys.path.insert(0, code_dir)
    try:
        importlib.import_module(module)
    except Exception as error:  # noqa: BLE001 - every failure is reported
        failed[logical_id] = f"{type(error).__name__}: {error}"
    finally:
        sys.path.remove(code_dir)
        for name, loaded in list(sys.modules.items()):
            if (getattr(loaded, "__file__", None) or "").startswith(code_dir):
                del sys.modules[name]
print(json.dumps(failed))
"""


def _value(node: Any, name: str) -> str:
    # A resource's name or ARN is only known once deployed: any non-empty text stands for it.
    return str(node) if isinstance(node, str | int | float | bool) else f"deployed-{name.lower()}"


def _functions() -> dict[str, tuple[str, str, dict[str, str]]]:
    sam = load_template(REPO / "template.yaml")
    found = {}
    for logical_id, variables in template_environments(sam, parameter_values(sam, None)).items():
        properties = sam["Resources"][logical_id]["Properties"]
        environment = {name: _value(node, name) for name, node in variables.items()}
        environment |= {
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "true",
        }
        module = properties.get("Handler", "app.lambda_handler").rsplit(".", 1)[0]
        found[logical_id] = (str(REPO / properties["CodeUri"]), module, environment)
    return found


def test_every_function_starts_with_only_the_variables_its_template_gives_it() -> None:
    functions = _functions()
    child = subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, "-c", COLD_STARTS],
        input=json.dumps(functions),
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO / "layers" / "shared")},
        timeout=120,
        check=True,
    )

    assert len(functions) > 20
    assert json.loads(child.stdout.splitlines()[-1]) == {}
