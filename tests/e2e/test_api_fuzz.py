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
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from local.stack import LocalStack

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

# Not positive_data_acceptance: a valid request for a product, cart or order that does not exist is a
# rightful 404, and generated ids never exist.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    endpoints = tmp_path_factory.mktemp("local") / "endpoints.json"
    with LocalStack(
        api_port=0, aws_port=0, issuer_port=0, stripe_port=0, seed=True, endpoints_file=endpoints
    ) as running:
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
        base_url=stack.api_url, headers=_headers_for(case, bearer), checks=CHECKS, timeout=30
    )
