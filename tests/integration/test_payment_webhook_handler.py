"""The Stripe webhook and order status handlers against moto tables built from template.yaml."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import stripe

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.orders import order_to_item
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, Reservation
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.services.carts import hash_token

from .conftest import Stack, sample_event

WEBHOOK = "PaymentWebhookFunction"


def webhook_secret(stack: Stack) -> str:
    arn = stack.deployment.physical_ids["StripeSecret"]
    value = boto3.client("secretsmanager", region_name="us-east-1").get_secret_value(SecretId=arn)
    return str(json.loads(value["SecretString"])["webhook_secret"])


def a_pending_order(stack: Stack, token: str = "order-token") -> str:  # noqa: S107 - a test value
    order_id = f"it-{uuid.uuid4().hex[:10]}"
    now = datetime.now(UTC)
    money = Money(2500, "EUR")
    order = Order(
        id=order_id,
        status=OrderStatus.PENDING_PAYMENT,
        currency="EUR",
        lines=(OrderLine("IT-SKU", "Item", 1, money, money),),
        totals=OrderTotals(money, Money(0, "EUR"), Money(0, "EUR"), Money(0, "EUR"), money),
        email="it@example.com",
        shipping_address={"country": "FR"},
        billing_address={"country": "FR"},
        created_at=now,
        reservations=(Reservation("IT-SKU", "main", 1),),
        reservation_expires_at=now + timedelta(minutes=15),
        order_token_hash=hash_token(token),
        payment_intent_id=f"pi_{order_id}",
    )
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName=stack.deployment.physical_ids["MainTable"], Item=to_item(order_to_item(order))
    )
    return order_id


def stored(stack: Stack, order_id: str) -> dict[str, Any]:
    found = boto3.client("dynamodb", region_name="us-east-1").get_item(
        TableName=stack.deployment.physical_ids["MainTable"],
        Key=key(f"ORDER#{order_id}", "ORDER"),
        ConsistentRead=True,
    )
    return from_item(found["Item"])


def delivery(
    stack: Stack, order_id: str, event_id: str, secret: str | None = None, at: int | None = None
) -> dict[str, Any]:
    event = sample_event(
        "payment-webhook-succeeded.json",
        ORDER_ID=order_id,
        EVENT_ID=event_id,
        PAYMENT_INTENT_ID=f"pi_{order_id}",
    )
    timestamp = int(time.time()) if at is None else at
    signature = stripe.WebhookSignature._compute_signature(
        f"{timestamp}.{event['body']}", secret or webhook_secret(stack)
    )
    event["headers"]["stripe-signature"] = f"t={timestamp},v1={signature}"
    return event


def test_a_signed_success_is_recorded_on_its_order_once(stack: Stack) -> None:
    order_id = a_pending_order(stack)
    event = delivery(stack, order_id, "evt_it_once")

    answers = [stack.call(WEBHOOK, event) for _ in range(3)]

    assert [(status, body["result"]) for status, _, body in answers] == [
        (200, "applied"),
        (200, "duplicate"),
        (200, "duplicate"),
    ]
    order = stored(stack, order_id)
    assert order["payment_outcome"] == "succeeded"
    assert order["version"] == 1


def test_a_base64_body_from_api_gateway_is_verified_on_its_bytes(stack: Stack) -> None:
    order_id = a_pending_order(stack)
    event = delivery(stack, order_id, "evt_it_b64")
    event["body"] = base64.b64encode(event["body"].encode()).decode()
    event["isBase64Encoded"] = True

    status, _, body = stack.call(WEBHOOK, event)

    assert (status, body["result"]) == (200, "applied")


def test_a_wrong_or_stale_signature_is_a_400_and_changes_nothing(stack: Stack) -> None:
    order_id = a_pending_order(stack)
    before = stored(stack, order_id)

    wrong = stack.call(WEBHOOK, delivery(stack, order_id, "evt_it_wrong", secret="whsec_other"))
    stale = stack.call(WEBHOOK, delivery(stack, order_id, "evt_it_stale", at=int(time.time()) - 3600))

    assert (wrong[0], stale[0]) == (400, 400)
    assert wrong[2]["type"].endswith("/invalid-signature")
    assert stored(stack, order_id) == before


def test_the_order_token_opens_the_order_and_nothing_else_does(stack: Stack) -> None:
    order_id = a_pending_order(stack, token="the-right-token")

    good = stack.call(
        "OrdersFunction", sample_event("orders-get.json", ORDER_ID=order_id, ORDER_TOKEN="the-right-token")
    )
    bad = stack.call(
        "OrdersFunction", sample_event("orders-get.json", ORDER_ID=order_id, ORDER_TOKEN="a-guess")
    )

    assert good[0] == 200
    assert good[2]["status"] == "pending_payment"
    assert good[2]["payment"]["status"] == "pending"
    assert bad[0] == 404


def test_a_rejected_signature_is_counted_for_its_alarm(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    order_id = a_pending_order(stack)
    capsys.readouterr()

    stack.call(WEBHOOK, delivery(stack, order_id, "evt_it_probe", secret="whsec_other"))

    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [blob.get("WebhookSignatureRejected") for blob in emitted] == [[1.0]]
    namespaces = {m["Namespace"] for blob in emitted for m in blob["_aws"]["CloudWatchMetrics"]}
    assert namespaces == {"Commerce"}  # what WebhookSignatureRejectedAlarm watches
