"""A function's cold start loads what its own routes use: the composition module of its bounded context, not
every context's adapters and SDKs; and the collector paused during a Lambda init runs again once the handler
is made. Each handler is imported in a child process, with its template's environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .test_function_environments import REPO, _functions

# Imports one handler; prints which of the named modules it loaded, and the collector's state.
COLD_START = """
import gc, importlib, json, os, sys
code_dir, module, watched = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
sys.path.insert(0, code_dir)
importlib.import_module(module)
print(json.dumps({
    "loaded": [name for name in watched if name in sys.modules],
    "collecting": gc.isenabled(),
    "frozen": gc.get_freeze_count(),
}))
"""

NOT_FOR_THE_STOREFRONT = (
    "stripe",
    "requests",
    "commerce.bootstrap",
    "commerce.composition.payments",
    "commerce.adapters.carriers",
    "commerce.adapters.stripe_payments",
    "commerce.services.checkout",
    "commerce.services.daily_report",
    "commerce.domain.order",
)


def _cold_start(logical_id: str, watched: tuple[str, ...], **extra: str) -> dict[str, object]:
    code_dir, module, environment = _functions()[logical_id]
    child = subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, "-c", COLD_START, code_dir, module, ",".join(watched)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={
            **environment,
            **extra,
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPO / "layers" / "shared"),
        },
        timeout=120,
        check=True,
    )
    found: dict[str, object] = json.loads(child.stdout.splitlines()[-1])
    return found


def test_browsing_loads_neither_stripe_nor_the_carriers_nor_the_other_contexts() -> None:
    assert _cold_start("BrowseFunction", NOT_FOR_THE_STOREFRONT)["loaded"] == []


def test_checkout_loads_stripe_which_its_every_request_uses() -> None:
    assert _cold_start("CheckoutFunction", ("stripe",))["loaded"] == ["stripe"]


def test_the_collector_paused_for_a_lambda_init_runs_again_over_fewer_objects_once_the_handler_is_made() -> (
    None
):
    started = _cold_start("BrowseFunction", (), AWS_EXECUTION_ENV="AWS_Lambda_python3.12")

    assert started["collecting"] is True
    assert isinstance(started["frozen"], int) and started["frozen"] > 10_000


def test_elsewhere_the_collector_is_left_alone() -> None:
    started = _cold_start("BrowseFunction", ())

    assert started["collecting"] is True and started["frozen"] == 0
