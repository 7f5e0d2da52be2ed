"""End-to-end tests: HTTP against a local stack (moto + template + real handlers) with demo data."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from local.stack import LocalStack
from local.webhook_receiver import WebhookReceiver
from tests.event_catalog import problems


class Api:
    """A tiny HTTP client bound to the stack's base address."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def request(self, method: str, path: str, **kwargs: object) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=30, **kwargs)  # type: ignore[arg-type]

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: object) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: object) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: object) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


def _has_a_stack_of_its_own(item: pytest.Item) -> bool:
    fixture_info = getattr(item, "_fixtureinfo", None)
    definitions = fixture_info.name2fixturedefs.get("stack") if fixture_info else None
    return bool(definitions) and definitions[-1].scope != "session"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A local stack resets moto's process-wide state when it starts and when it stops, so two stacks
    must never be alive at once: the modules with a stack of their own run first, one after the other,
    and the session stack (started by the first test that needs it) serves every test after them."""
    here = Path(__file__).parent
    positions = [i for i, item in enumerate(items) if here in Path(str(item.path)).parents]
    ordered = sorted((items[i] for i in positions), key=lambda item: not _has_a_stack_of_its_own(item))
    for position, item in zip(positions, ordered, strict=True):
        items[position] = item


@contextmanager
def local_stack(tmp_path_factory: pytest.TempPathFactory, seed: bool, **options: Any) -> Iterator[LocalStack]:
    """A local stack on free ports, with its endpoints file in a folder of its own."""
    endpoints = Path(tmp_path_factory.mktemp("local")) / "endpoints.json"
    with LocalStack(
        api_port=0, aws_port=0, issuer_port=0, stripe_port=0, seed=seed, endpoints_file=endpoints, **options
    ) as running:
        yield running


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with local_stack(tmp_path_factory, seed=True, parameters=E2E_PARAMETERS) as running:
        yield running
        check_every_event_the_bus_received(running)


# event catalog and outbound webhooks
# Webhook retries a second apart: the tests see the backoff without waiting a day (docs/webhooks.md).
E2E_PARAMETERS = {"WebhookRetrySchedule": "1,1,1,1,1,1"}


def check_every_event_the_bus_received(running: LocalStack) -> None:
    """At the end of the session: every event the local bus received during the suite matches its schema
    in docs/events/, and none lacks one (docs/events.md, "How the end-to-end suite checks emitted events")."""
    if running.events is None:
        return
    found = problems(running.events.drain())
    assert not found, "events that do not match the catalog (docs/events.md):\n" + "\n".join(found)


@pytest.fixture(scope="session")
def api(stack: LocalStack) -> Api:
    return Api(stack.api_url)


class Tokens:
    """Signs demo users in at the stack's local OpenID issuer, over HTTP, as `make token` does."""

    def __init__(self, issuer_url: str) -> None:
        self.issuer_url = issuer_url

    def mint(self, role: str = "customer", email: str | None = None, **extra: object) -> str:
        body = {"role": role, **({"email": email} if email else {}), **extra}
        response = requests.post(f"{self.issuer_url}/token", json=body, timeout=10)
        assert response.status_code == 200, response.text
        return str(response.json()["id_token"])

    def headers(self, role: str = "customer", email: str | None = None) -> dict[str, str]:
        """An Authorization header for a fresh token of this user."""
        return {"Authorization": f"Bearer {self.mint(role, email)}"}


def aws_client(stack: LocalStack, service: str) -> Any:
    """A boto3 client of the running stack's moto server."""
    return boto3.client(
        service,
        endpoint_url=stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def unique_email(name: str) -> str:
    """An address no other test uses, so each test's customer starts with no data."""
    return f"{name}.{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture(scope="session")
def tokens(stack: LocalStack) -> Tokens:
    return Tokens(stack.issuer_url)


# outbound webhooks and connectors: a receiver on 127.0.0.1 and an admin who cleans up
class Script:
    """What the receiver answers on each path: a list of status codes, the last one repeating."""

    def __init__(self) -> None:
        self.plans: dict[str, list[int]] = {}

    def __call__(self, path: str, seen: int) -> int:
        plan = self.plans.get(path, [200])
        return plan[min(seen, len(plan) - 1)]


@pytest.fixture(scope="module")
def script() -> Script:
    return Script()


@pytest.fixture(scope="module")
def receiver(script: Script) -> Iterator[WebhookReceiver]:
    running = WebhookReceiver(answer=script).start()
    yield running
    running.stop()


@pytest.fixture
def admin(api: Api, tokens: Tokens) -> Iterator[Callable[..., Any]]:
    """Calls the admin API as an admin; deletes the subscriptions it created when the test ends."""
    headers = tokens.headers("admin")
    created: list[str] = []

    def call(method: str, path: str, **kwargs: Any) -> Any:
        response = api.request(method, path, headers=headers, **kwargs)
        if method == "POST" and path == "/admin/webhooks" and response.status_code == 201:
            created.append(response.json()["id"])
        return response

    yield call
    for subscription_id in created:
        api.delete(f"/admin/webhooks/{subscription_id}", headers=headers)
