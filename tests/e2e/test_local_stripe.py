"""localstripe in the local stack: the stripe SDK talks to it, and its signed webhooks reach our API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
import stripe

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.orders import order_to_item
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, Reservation
from commerce.domain.order_lines import OrderLine, OrderTotals
from local.stack import LocalStack
from local.stripe import LocalStripeServer

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def poll(check: Callable[[], Any], seconds: float = 20.0, every: float = 0.1) -> Any:
    """The first truthy answer of check(), or AssertionError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(every)
    raise AssertionError(f"nothing after {seconds} s")


def stripe_client(stack: LocalStack) -> stripe.StripeClient:
    return stripe.StripeClient(stack.stripe_keys.api_key, base_addresses={"api": stack.stripe_url})


def dynamodb(stack: LocalStack) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def a_pending_order(
    stack: LocalStack, order_id: str, amount: int, payment_intent_id: str | None = None
) -> None:
    """An order waiting for payment (on its PaymentIntent), written straight to the table as checkout would
    leave it."""
    now = datetime.now(UTC)
    money = Money(amount, "EUR")
    order = Order(
        id=order_id,
        status=OrderStatus.PENDING_PAYMENT,
        currency="EUR",
        lines=(OrderLine("E2E-SKU", "Test item", 1, money, money),),
        totals=OrderTotals(money, Money(0, "EUR"), Money(0, "EUR"), Money(0, "EUR"), money),
        email="stripe-e2e@example.com",
        shipping_address={"country": "FR"},
        billing_address={"country": "FR"},
        created_at=now,
        reservations=(Reservation("E2E-SKU", "main", 1),),
        reservation_expires_at=now + timedelta(minutes=15),
        order_token_hash="unused",
        payment_intent_id=payment_intent_id,
    )
    assert stack.deployment is not None
    table = stack.deployment.physical_ids["MainTable"]
    dynamodb(stack).put_item(TableName=table, Item=to_item(order_to_item(order)))


def stored_order(stack: LocalStack, order_id: str) -> dict[str, Any]:
    assert stack.deployment is not None
    table = stack.deployment.physical_ids["MainTable"]
    found = dynamodb(stack).get_item(
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
    secrets = boto3.client(
        "secretsmanager",
        endpoint_url=stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

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
