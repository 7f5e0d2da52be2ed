"""Handlers called with the sample events in events/, against moto tables built from template.yaml."""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.cloudformation import Deployment, deploy
from local.lambdas import LambdaRuntime
from local.seed import seed_demo_data
from local.testing import offline_aws

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "events"


@dataclass
class Stack:
    deployment: Deployment
    runtime: LambdaRuntime

    def call(self, function: str, event: dict[str, Any]) -> tuple[int, dict[str, Any], Any]:
        """Invoke a function with an HTTP API event; (status, headers, decoded JSON body)."""
        response = self.runtime.invoke(function, event)
        body = json.loads(response["body"]) if response.get("body") else None
        return response["statusCode"], response.get("headers", {}), body

    def cart(self, lines: Mapping[str, int]) -> tuple[str, str]:
        """A new guest cart holding `lines` (SKU: quantity); its id and token."""
        status, _, body = self.call("CartFunction", sample_event("cart-create.json"))
        assert status == 201, body
        cart_id, token = body["id"], body["token"]
        for sku, quantity in lines.items():
            event = sample_event("cart-set-line.json", CART_ID=cart_id, CART_TOKEN=token, SKU=sku)
            event["body"] = json.dumps({"quantity": quantity})
            status, _, body = self.call("CartFunction", event)
            assert status == 200, body
        return cart_id, token


def sample_event(name: str, **replacements: str) -> dict[str, Any]:
    """A sample from events/, with placeholder words (CART_ID, SKU, ...) replaced everywhere."""
    text = (EVENTS / name).read_text()
    if replacements:
        # One pass, longest placeholder first: a value put in (a random cart token holding "SKU") is never
        # scanned for the next placeholder.
        words = re.compile("|".join(re.escape(p) for p in sorted(replacements, key=len, reverse=True)))
        text = words.sub(lambda match: replacements[match.group(0)], text)
    return copy.deepcopy(json.loads(text))


def routed(event: dict[str, Any], method: str, route: str, path: str, body: Any = None) -> dict[str, Any]:
    """A sample event sent to another route: its route key, path and method, and its JSON body, replaced."""
    event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {route}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["body"] = None if body is None else json.dumps(body)
    return event


def table_world(**adapters: Callable[[Any, str], Any]) -> dict[str, Any]:
    """The DynamoDB client and main table of the stack's environment, and each named adapter built on them."""
    from commerce.config import Settings  # noqa: PLC0415 - read once the stack's environment is in place

    client, table = boto3.client("dynamodb"), Settings.from_env().table_name
    return {"client": client, "table": table} | {name: make(client, table) for name, make in adapters.items()}


def checkout_event(cart_id: str, token: str, key: str | None = None, **request: Any) -> dict[str, Any]:
    """The guest checkout sample for a cart, under a fresh idempotency key unless given one; `request`
    replaces fields of its body."""
    event = sample_event(
        "checkout-guest.json", CART_ID=cart_id, CART_TOKEN=token, IDEMPOTENCY_KEY=key or str(uuid.uuid4())
    )
    if request:
        event["body"] = json.dumps(json.loads(event["body"]) | request)
    return event


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    with offline_aws():
        deployment = deploy(REPO / "template.yaml")
        runtime = LambdaRuntime(deployment.functions, REPO)
        seed_demo_data()
        try:
            yield Stack(deployment, runtime)
        finally:
            runtime.close()
