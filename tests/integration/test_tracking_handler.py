"""The tracking and after-sales handlers called with the sample events in events/, against the moto stack."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from commerce.adapters.carriers import sign
from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.fulfillment import DynamoShipments
from commerce.adapters.dynamodb.orders import DynamoOrders, order_to_item
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.config import Settings
from commerce.domain.fulfillment import Pick, Shipment
from commerce.domain.order import Order, OrderStatus
from commerce.domain.ports import ShipmentPlan
from tests.unit.order_builders import an_order

from .conftest import Stack, sample_event

TRACKING = "TrackingFunction"
NOW = datetime.now(UTC)


def _secret() -> str:
    arn = Settings.from_env().carrier_secret_arn
    assert arn
    return str(
        json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])[
            "webhook_secret"
        ]
    )


def _fulfilling_order(stack: Stack) -> tuple[Order, Shipment]:
    order = an_order(
        OrderStatus.FULFILLING, 2500, at=NOW, id=str(uuid.uuid4()), reservations=(), payment_intent_id=None
    )
    client, table = boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]
    client.put_item(TableName=table, Item=to_item(order_to_item(order)))
    shipment = Shipment(
        f"{order.id}-1",
        order.id,
        "wh-paris",
        (Pick("SKU-1", "wh-paris", 1),),
        "simulated",
        f"SIM{uuid.uuid4().hex[:10]}",
        "",
    )
    shipments = DynamoShipments(client, table, DynamoOrders(client, table))
    # the order Put is conditioned on its version
    shipments.start(order, order.version, ShipmentPlan([shipment]))
    return order, shipment


def _delivery(
    shipment: Shipment, status: str, secret: str | None = None, event_id: str | None = None
) -> dict[str, Any]:
    event = sample_event(
        "carrier-webhook.json",
        EVENT_ID=event_id or f"evt_{uuid.uuid4().hex[:8]}",
        TRACKING_NUMBER=shipment.tracking_number,
        STATUS=status,
    )
    event["body"] = event["body"].replace("2026-11-27T12:00:00+00:00", datetime.now(UTC).isoformat())
    event["headers"]["x-carrier-signature"] = sign(
        secret or _secret(), int(time.time()), event["body"].encode()
    )
    return event


def test_a_signed_tracking_update_moves_the_shipment_and_the_order_once(stack: Stack) -> None:
    order, shipment = _fulfilling_order(stack)
    event = _delivery(shipment, "in_transit", event_id="evt_once")

    answers = [stack.call(TRACKING, event) for _ in range(3)]

    assert [(status, body["result"]) for status, _, body in answers] == [
        (200, "applied"),
        (200, "duplicate"),
        (200, "duplicate"),
    ]
    client, table = boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]
    stored = DynamoOrders(client, table).get(order.id)
    assert stored is not None and stored.status is OrderStatus.SHIPPED
    record = client.get_item(TableName=table, Key=key("CARRIER_EVENT#simulated#evt_once", "EVENT"))["Item"]
    assert "outbox" not in record  # the update's events are in the one outbox, delivered at once
    waiting = DynamoOutbox(client, table).pending(datetime.now(UTC) + timedelta(days=1), 1000)
    assert [e for e in waiting if e.data.get("order_id") == order.id] == []


def test_a_forged_or_unsigned_update_is_refused_and_changes_nothing(stack: Stack) -> None:
    order, shipment = _fulfilling_order(stack)
    forged = _delivery(shipment, "delivered", secret="not-the-secret")
    unsigned = _delivery(shipment, "delivered")
    del unsigned["headers"]["x-carrier-signature"]

    for event in (forged, unsigned):
        status, _, body = stack.call(TRACKING, event)
        assert status == 400 and body["type"].endswith("/invalid-signature")
    stored = DynamoOrders(boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]).get(order.id)
    assert stored is not None and stored.status is OrderStatus.FULFILLING


def test_a_cancellation_with_a_wrong_order_token_is_not_found(stack: Stack) -> None:
    order, _ = _fulfilling_order(stack)
    status, _, body = stack.call(
        "AfterSalesFunction",
        sample_event("after-sales-cancel.json", ORDER_ID=order.id, ORDER_TOKEN="a-guess"),
    )
    assert status == 404 and body["status"] == 404
