"""Schemathesis against docs/openapi.json on a local stack: every operation, valid and invalid requests.

A bounded, derandomized run is part of `make test` (FUZZ_EXAMPLES per operation, 10 by default);
`make fuzz` runs the same with many more examples. The module has a stack of its own, since the admin
operations change the catalog the other e2e tests read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks

from local.stack import LocalStack

from .conftest import local_stack

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))

schema = schemathesis.openapi.from_path(OPENAPI)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
    # The bearer token is sent by the test (a real one per role), not made up by the generator.
    with_security_parameters=False,
)

# Every check schemathesis has: no 5xx; status codes, content types, headers and bodies as documented;
# requests the schema forbids rejected; a method the path does not take a 405 with a true Allow header.
# Valid requests are held to `the_server_validates_as_the_document_does` instead of the built-in
# positive_data_acceptance, which wants a 2xx, 404 or 409 for every schema-valid request: this API
# refuses well-formed requests on purpose with documented problems (a currency the shop does not sell is a
# 400 `unsupported-currency`, a SKU not on sale a 422 `not-sellable`, a category that does not exist a
# 400), which no JSON Schema states.
load_all_checks()
CHECKS = [c for c in REGISTERED_CHECKS.get_all() if c.__name__ != "positive_data_acceptance"]
SCHEMA_REFUSAL = "the request does not match the API schema"
# JSON Schema's integer admits 2.0; the API's strict models refuse a number with a fraction part, written
# or not (docs/security.md: "fractions" are a 400). A "Value error" is a model's own rule (a currency in
# ISO 4217, `event_types` or `connector`), a meaning no JSON Schema states.
STRICT_INTEGERS = "Input should be a valid integer"
MODEL_RULE = "Value error"


@schemathesis.check
def the_server_validates_as_the_document_does(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """A request the document allows never fails the server's own schema validation: where it does, the
    code enforces a limit the document does not state."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    try:
        problem = response.json()
    except ValueError:
        return None
    if not isinstance(problem, dict) or problem.get("detail") != SCHEMA_REFUSAL:
        return None
    errors = [
        e
        for e in problem.get("errors", [])
        if e.get("message") != STRICT_INTEGERS and not str(e.get("message", "")).startswith(MODEL_RULE)
    ]
    if errors:
        raise AssertionError(f"a request the document allows failed the server's validation: {errors}")
    return None


CHECKS.append(the_server_validates_as_the_document_does)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with local_stack(tmp_path_factory, seed=True) as running:
        yield running


def _mint(issuer_url: str, role: str, email: str) -> str:
    response = requests.post(f"{issuer_url}/token", json={"role": role, "email": email}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["id_token"])


@pytest.fixture(scope="module")
def bearer(stack: LocalStack) -> dict[str, dict[str, str]]:
    """An Authorization header per kind of route: /admin... an admin's token (every permission, so each
    operation's own answers are what is checked), the other signed-in routes a customer's."""
    customer = _mint(stack.issuer_url, "customer", "fuzz.customer@example.com")
    admin = _mint(stack.issuer_url, "admin", "fuzz.admin@example.com")
    return {
        "customer": {"Authorization": f"Bearer {customer}"},
        "admin": {"Authorization": f"Bearer {admin}"},
    }


def _headers_for(case: schemathesis.Case, bearer: dict[str, dict[str, str]]) -> dict[str, str]:
    if not case.operation.definition.raw.get("security"):
        return {}
    return bearer["admin"] if case.operation.path.startswith("/admin") else bearer["customer"]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_holds_to_its_schema(
    case: schemathesis.Case, stack: LocalStack, bearer: dict[str, dict[str, str]]
) -> None:
    case.call_and_validate(
        base_url=stack.api_url,
        headers=_headers_for(case, bearer),
        checks=CHECKS,
        timeout=30,
    )
