"""localstripe in the local stack: the stripe SDK talks to it, and its signed webhooks reach our API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import stripe

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.orders import order_to_item
from local.stack import LocalStack
from local.stripe import LocalStripeServer
from tests.polling import poll
from tests.unit.order_builders import an_order

from .conftest import aws_client

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def stripe_client(stack: LocalStack) -> stripe.StripeClient:
    return stripe.StripeClient(stack.stripe_keys.api_key, base_addresses={"api": stack.stripe_url})


def a_pending_order(
    stack: LocalStack, order_id: str, amount: int, payment_intent_id: str | None = None
) -> None:
    """An order waiting for payment (on its PaymentIntent), written straight to the table as checkout would
    leave it."""
    order = an_order(
        total=amount,
        sku="E2E-SKU",
        at=datetime.now(UTC),
        id=order_id,
        email="stripe-e2e@example.com",
        order_token_hash="unused",
        payment_intent_id=payment_intent_id,
    )
    assert stack.deployment is not None
    table = stack.deployment.physical_ids["MainTable"]
    aws_client(stack, "dynamodb").put_item(TableName=table, Item=to_item(order_to_item(order)))


def stored_order(stack: LocalStack, order_id: str) -> dict[str, Any]:
    assert stack.deployment is not None
    table = stack.deployment.physical_ids["MainTable"]
    found = aws_client(stack, "dynamodb").get_item(
        TableName=table, Key=key(f"ORDER#{order_id}", "ORDER"), ConsistentRead=True
    )
    return from_item(found["Item"])


def test_the_endpoints_file_names_localstripe_and_it_answers(stack: LocalStack) -> None:
    endpoints = json.loads(stack.endpoints_file.read_text(encoding="utf-8"))

    assert endpoints["stripe"] == stack.stripe_url
    assert stack.stripe_url.startswith("http://127.0.0.1:")
    assert requests.get(f"{stack.stripe_url}/js.stripe.com/v3/", timeout=5).status_code == 200


def test_the_stripe_secret_holds_the_keys_of_this_start(stack: LocalStack) -> None:
    assert stack.deployment is not None
    secrets = aws_client(stack, "secretsmanager")

    value = json.loads(
        secrets.get_secret_value(SecretId=stack.deployment.physical_ids["StripeSecret"])["SecretString"]
    )

    assert value == stack.stripe_keys.as_secret()
    assert value["api_key"].startswith("sk_test_local")
    assert value["webhook_secret"].startswith("whsec_local")


def test_the_functions_see_localstripe_as_their_stripe_api_base(stack: LocalStack) -> None:
    assert stack.runtime is not None
    webhook = stack.runtime.functions["PaymentWebhookFunction"]

    assert webhook.environment["STRIPE_API_BASE"] == stack.stripe_url
    assert os.environ["STRIPE_API_BASE"] == stack.stripe_url


def test_a_confirmed_payment_intent_sends_a_signed_webhook_that_our_api_applies(stack: LocalStack) -> None:
    order_id = f"e2e-{uuid.uuid4().hex[:12]}"
    client = stripe_client(stack)
    intent = client.v1.payment_intents.create(
        params={"amount": 1999, "currency": "eur", "metadata": {"order_id": order_id}}
    )
    a_pending_order(stack, order_id, amount=1999, payment_intent_id=intent.id)
    # localstripe does not implement confirm(payment_method=...): set it first, then confirm.
    client.v1.payment_intents.update(intent.id, params={"payment_method": "pm_card_visa"})
    confirmed = client.v1.payment_intents.confirm(intent.id)

    assert confirmed.status == "succeeded"
    order = poll(lambda: (o := stored_order(stack, order_id)).get("payment_outcome") and o)
    assert order["payment_outcome"] == "succeeded"
    assert [entry["event"] for entry in order["timeline"]] == ["payment_succeeded"]


def test_a_webhook_with_a_bad_signature_is_refused(stack: LocalStack) -> None:
    body = json.dumps({"id": "evt_forged", "type": "payment_intent.succeeded", "data": {"object": {}}})

    response = requests.post(
        f"{stack.api_url}/webhooks/stripe",
        data=body,
        headers={"content-type": "application/json", "stripe-signature": f"t={int(time.time())},v1=00ff"},
        timeout=10,
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_stopping_localstripe_leaves_no_process_and_frees_the_port() -> None:
    server = LocalStripeServer(port=0).start()
    pid, url = server.pid, server.url
    assert pid is not None

    server.stop()
    server.stop()  # twice is fine

    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/js.stripe.com/v3/", timeout=2)


def test_ctrl_c_on_python_m_local_stops_localstripe_too(tmp_path: Path) -> None:
    endpoints_file = tmp_path / "endpoints.json"
    environment = os.environ | {"PYTHONPATH": os.pathsep.join([str(REPO / "layers" / "shared"), str(REPO)])}
    ports = ["--api-port", "0", "--aws-port", "0", "--stripe-port", "0", "--issuer-port", "0"]
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "local", *ports, "--no-seed", "--endpoints-file", str(endpoints_file)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        stripe_url = poll(
            lambda: endpoints_file.exists() and json.loads(endpoints_file.read_text()).get("stripe"), 60
        )
        assert requests.get(f"{stripe_url}/js.stripe.com/v3/", timeout=5).status_code == 200

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    with pytest.raises(requests.ConnectionError):
        requests.get(f"{stripe_url}/js.stripe.com/v3/", timeout=2)
