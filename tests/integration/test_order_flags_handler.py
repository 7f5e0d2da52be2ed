"""Staff resolve an order's flag on the orders function, against moto built from template.yaml: the flag
off, who and why on the timeline, the order off GET /admin/attention's list once none is left; 409 for a
flag it does not carry, 404 for an unknown order, 403 without orders:manage."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.orders import DynamoOrders, order_to_item
from commerce.domain.order import Order, OrderStatus

from .conftest import Stack
from .test_admin_catalog_handler import admin_event
from .test_dynamodb_orders import _order

ORDERS, BACK_OFFICE = "OrdersFunction", "BackOfficeFunction"
LATEST = datetime(2500, 1, 1, tzinfo=UTC) + timedelta(minutes=uuid.uuid4().int % 100_000)  # newest of all


def _flagged(stack: Stack, *flags: str) -> Order:
    client, table = boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]
    order = replace(_order({"HAT-1": 1}), status=OrderStatus.CANCELLED, created_at=LATEST)
    client.put_item(TableName=table, Item=to_item(order_to_item(order)))
    flagged = order
    for flag in flags:
        flagged = flagged.flagged(LATEST, flag, "scanned after the cancel")
    DynamoOrders(client, table).save(flagged, order.version)
    return flagged


def _resolve(stack: Stack, order_id: str, flag: str, groups: str = "[staff]") -> tuple[int, Any]:
    route = "/admin/orders/{order_id}/flags/{flag}/resolve"
    event = admin_event(
        "POST", route, {"note": "carrier returns it"}, groups=groups, order_id=order_id, flag=flag
    )
    status, _, body = stack.call(ORDERS, event)
    return status, body


def _conflicts(stack: Stack) -> list[str]:
    status, _, page = stack.call(BACK_OFFICE, admin_event("GET", "/admin/attention", groups="[staff]"))
    assert status == 200, page
    return [f["order_id"] for f in page["fulfillment_conflicts"]]


def test_staff_resolve_the_last_flag_and_the_order_leaves_the_attention_list(stack: Stack) -> None:
    order = _flagged(stack, "fulfillment_conflict", "refund_outside_shop")
    assert order.id in _conflicts(stack)

    first = _resolve(stack, order.id, "refund_outside_shop")
    still_listed = _conflicts(stack)
    last = _resolve(stack, order.id, "fulfillment_conflict")
    again = _resolve(stack, order.id, "fulfillment_conflict")

    assert first[0] == 200 and first[1]["flags"] == ["fulfillment_conflict"], first
    assert order.id in still_listed
    assert last[0] == 200 and last[1]["flags"] == [], last
    assert last[1]["timeline"][-1]["event"] == "flag_resolved"
    assert again == last
    assert order.id not in _conflicts(stack)
    client, table = boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]
    assert "Item" not in client.get_item(TableName=table, Key=key(f"ORDER#{order.id}", "FLAGS"))


def test_resolving_is_409_for_a_flag_not_carried_404_when_unknown_and_403_without_orders_manage(
    stack: Stack,
) -> None:
    order = _flagged(stack, "fulfillment_conflict")

    not_carried = _resolve(stack, order.id, "payment_mismatch")
    unknown = _resolve(stack, str(uuid.uuid4()), "fulfillment_conflict")
    refused = _resolve(stack, order.id, "fulfillment_conflict", groups="[support]")

    assert not_carried[0] == 409 and not_carried[1]["status"] == 409, not_carried
    assert unknown[0] == 404, unknown
    assert refused[0] == 403, refused
    stored = DynamoOrders(boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]).get(order.id)
    assert stored is not None and stored.flags == ("fulfillment_conflict",)
