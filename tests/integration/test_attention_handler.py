"""GET /admin/attention on the back-office function, against moto built from template.yaml: every section
for an admin (held and flagged orders found through their index entries), the webhooks section null for
staff without integrations, 403 for a customer."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import boto3

from commerce.adapters.dynamodb.codec import to_item
from commerce.adapters.dynamodb.orders import DynamoOrders, order_to_item
from commerce.domain.order import OrderStatus

from .conftest import Stack
from .test_admin_catalog_handler import admin_event
from .test_dynamodb_orders import _order

BACK_OFFICE = "BackOfficeFunction"
LATER = datetime(2400, 1, 1, tzinfo=UTC) + timedelta(minutes=uuid.uuid4().int % 100_000)  # newest of all


def test_an_admin_sees_held_and_flagged_orders_and_every_other_section(stack: Stack) -> None:
    client, table = boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]
    orders = DynamoOrders(client, table)
    held = replace(_order({"HAT-1": 1}), status=OrderStatus.ON_HOLD, created_at=LATER, hold_reasons=("new",))
    conflict = replace(_order({"HAT-1": 1}), status=OrderStatus.CANCELLED, created_at=LATER)
    for order in (held, conflict):
        client.put_item(TableName=table, Item=to_item(order_to_item(order)))
    orders.save(conflict.flagged(LATER, "fulfillment_conflict", "scanned after the cancel"), conflict.version)

    status, _, page = stack.call(BACK_OFFICE, admin_event("GET", "/admin/attention", groups="[admin]"))

    assert status == 200, page
    assert page["held_orders"]["count"] >= 1
    assert page["held_orders"]["items"][0] == {
        "id": held.id,
        "email": held.email,
        "created_at": LATER.isoformat().replace("+00:00", "Z"),
        "total": 1200,
        "currency": "EUR",
        "hold_reasons": ["new"],
    }
    assert page["fulfillment_conflicts"][0]["order_id"] == conflict.id
    assert page["fulfillment_conflicts"][0]["flags"] == ["fulfillment_conflict"]
    assert set(page["sales"]) == {"today", "week"}
    assert isinstance(page["disputes"], list)
    assert page["webhooks"]["dead_lettered_deliveries"] >= 0
    assert set(page["stock"]) == {"low", "out"}


def test_staff_without_integrations_get_no_webhooks_section_and_a_customer_gets_403(stack: Stack) -> None:
    status, _, page = stack.call(BACK_OFFICE, admin_event("GET", "/admin/attention", groups="[staff]"))
    refused, _, problem = stack.call(
        BACK_OFFICE, admin_event("GET", "/admin/attention", groups="[customers]")
    )

    assert status == 200, page
    assert page["webhooks"] is None and page["held_orders"] is not None and page["stock"] is not None
    assert refused == 403 and problem["status"] == 403
