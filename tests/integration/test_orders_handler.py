"""The staff's order routes against moto built from template.yaml: the list filtered by email and channel
(OrdersFunction), one order whole with its refunds, shipments and returns, and the staff cancel
(AfterSalesFunction): 403 without the permission, 404 for an unknown order, 409 once it has shipped."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import boto3

from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.fulfillment import DynamoShipments
from commerce.adapters.dynamodb.orders import DynamoOrders, email_index_entry, order_to_item
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.refunds import DynamoRefundLedger
from commerce.adapters.dynamodb.returns import DynamoReturns
from commerce.adapters.label_store import S3LabelStore
from commerce.domain.carrier_rates import CarrierLabel, LabelFormat
from commerce.domain.fulfillment import Pick, Shipment
from commerce.domain.order import Order, OrderStatus, Reservation, StockState
from commerce.domain.ports import ShipmentPlan
from commerce.domain.returns import Return, ReturnLine

from .conftest import Stack
from .test_admin_catalog_handler import admin_event
from .test_dynamodb_orders import _order

ORDERS, AFTER_SALES = "OrdersFunction", "AfterSalesFunction"
DAY = datetime(2031, 3, 1, tzinfo=UTC) + timedelta(days=uuid.uuid4().int % 5000)  # this module's own day


def _table(stack: Stack) -> tuple[Any, str]:
    return boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]


def _saved(stack: Stack, order: Order) -> Order:
    """The order as checkout leaves it in the table: the order and its email index entry."""
    client, table = _table(stack)
    client.put_item(TableName=table, Item=to_item(order_to_item(order)))
    client.put_item(TableName=table, Item=to_item(email_index_entry(order)))
    return order


def _listed(stack: Stack, groups: str = "[staff]", **query: str) -> tuple[int, Any]:
    event = admin_event("GET", "/admin/orders", groups=groups)
    event["queryStringParameters"] = query
    event["rawQueryString"] = urlencode(query)
    status, _, body = stack.call(ORDERS, event)
    return status, body


def test_staff_find_an_email_s_orders_in_any_case_and_narrow_them_by_channel_page_by_page(
    stack: Stack,
) -> None:
    email = f"Lin.{uuid.uuid4().hex[:8]}@Example.com"
    period = {"from": DAY.isoformat(), "to": (DAY + timedelta(days=1)).isoformat()}
    made = [
        _saved(
            stack,
            replace(
                _order({"HAT-1": 1}, email=email),
                status=status,
                channel=channel,
                created_at=DAY + timedelta(minutes=n),
            ),
        )
        for n, (status, channel) in enumerate(
            [(OrderStatus.PAID, None), (OrderStatus.ON_HOLD, "app"), (OrderStatus.PAID, "app")]
        )
    ]
    _saved(stack, replace(_order({"HAT-1": 1}, email="other@example.com"), created_at=DAY, channel="app"))

    status, first = _listed(stack, email=email.upper(), limit="2", **period)
    _, rest = _listed(stack, email=email.upper(), limit="2", cursor=first["next_cursor"], **period)
    _, on_app = _listed(stack, email=email.lower(), channel="app", **period)
    _, paid_on_app = _listed(stack, email=email, channel="app", status="paid", **period)
    _, held_on_app = _listed(stack, channel="app", status="on_hold", **period)

    assert status == 200, first
    assert [o["id"] for o in first["items"] + rest["items"]] == [o.id for o in reversed(made)]
    assert rest["next_cursor"] is None
    assert [o["id"] for o in on_app["items"]] == [made[2].id, made[1].id]
    assert [o["id"] for o in paid_on_app["items"]] == [made[2].id]
    assert [o["id"] for o in held_on_app["items"]] == [made[1].id]


def test_the_order_list_refuses_callers_without_orders_read_and_a_cursor_of_another_email(
    stack: Stack,
) -> None:
    for groups in (None, "[customers]"):
        status, body = _listed(stack, groups=groups or "[]")
        assert status == 403, body
    email = f"pager.{uuid.uuid4().hex[:8]}@example.com"
    for n in range(2):
        _saved(stack, replace(_order({"HAT-1": 1}, email=email), created_at=DAY + timedelta(hours=n)))
    _, first = _listed(stack, email=email, limit="1")

    status, body = _listed(stack, email="someone@example.com", limit="1", cursor=first["next_cursor"])

    assert status == 400, body


def _fulfilled_and_refunded(stack: Stack) -> tuple[Order, Shipment, Return]:
    client, table = _table(stack)
    order = _saved(stack, replace(_order({"HAT-9": 2}), status=OrderStatus.FULFILLING, created_at=DAY))
    shipment = Shipment(
        f"{order.id}-1",
        order.id,
        "paris",
        (Pick("HAT-9", "paris", 2),),
        "simulated",
        f"SIM{uuid.uuid4().hex[:10]}",
        "https://track.example/SIM",
    )
    DynamoShipments(client, table, DynamoOrders(client, table)).start(
        order, order.version, ShipmentPlan([shipment])
    )
    bucket = stack.deployment.physical_ids["ShippingLabelsBucket"]
    label = CarrierLabel(shipment.id, "simulated", shipment.tracking_number, LabelFormat.PDF, b"%PDF-1.4")
    S3LabelStore(boto3.client("s3"), bucket).put(label, DAY)
    DynamoRefundLedger(client, table).record_outside(order.id, "re_dashboard", 300, 0)
    returned = Return(f"ret-{uuid.uuid4().hex[:12]}", order.id, (ReturnLine("HAT-9", 1, 1000),), "size", DAY)
    DynamoReturns(client, table).add(returned, {}, [])
    return order, shipment, returned


def test_staff_read_one_order_whole_with_its_refunds_shipments_and_returns(stack: Stack) -> None:
    order, shipment, returned = _fulfilled_and_refunded(stack)

    status, _, whole = stack.call(
        ORDERS, admin_event("GET", "/admin/orders/{order_id}", groups="[support]", order_id=order.id)
    )

    assert status == 200, whole
    assert (whole["id"], whole["status"], whole["email"]) == (order.id, "fulfilling", order.email)
    assert [(r["id"], r["amount"], r["currency"], r["status"]) for r in whole["refunds"]] == [
        ("re_dashboard", 300, "EUR", "refunded_outside_shop")
    ]
    assert whole["shipments"] == [
        {
            "id": shipment.id,
            "status": "label_created",
            "carrier": "simulated",
            "tracking_number": shipment.tracking_number,
            "tracking_url": "https://track.example/SIM",
            "label_available": True,
            "lines": [{"sku": "HAT-9", "quantity": 2}],
        }
    ]
    assert [(r["id"], r["status"], r["lines"]) for r in whole["returns"]] == [
        (returned.id, "requested", [{"sku": "HAT-9", "quantity": 1}])
    ]


def test_one_order_is_403_without_orders_read_and_404_when_unknown(stack: Stack) -> None:
    route = "/admin/orders/{order_id}"
    refused = stack.call(ORDERS, admin_event("GET", route, groups="[customers]", order_id="ord-1"))
    unknown = stack.call(ORDERS, admin_event("GET", route, order_id=str(uuid.uuid4())))

    assert refused[0] == 403, refused
    assert unknown[0] == 404 and unknown[2]["status"] == 404, unknown


def _cancel(stack: Stack, order_id: str, groups: str = "[staff]") -> tuple[int, Any]:
    event = admin_event(
        "POST",
        "/admin/orders/{order_id}/cancel",
        {"reason": "the buyer phoned"},
        groups=groups,
        order_id=order_id,
    )
    status, _, body = stack.call(AFTER_SALES, event)
    return status, body


def test_staff_cancel_a_paid_order_its_units_back_on_hand_and_its_cancel_announced_once(
    stack: Stack,
) -> None:
    client, table = _table(stack)
    sku = f"HAT-{uuid.uuid4().hex[:6].upper()}"
    order = _saved(
        stack,
        replace(
            _order({sku: 2}),
            status=OrderStatus.PAID,
            stock=StockState.SOLD,
            reservations=(Reservation(sku, "paris", 2),),
        ),
    )

    first = _cancel(stack, order.id)
    again = _cancel(stack, order.id)

    assert first[0] == 200, first
    assert (first[1]["status"], first[1]["cancel_reason"]) == ("cancelled", "cancelled_by_staff")
    assert again == first
    requested = next(e for e in first[1]["timeline"] if e["event"] == "cancel_requested")
    assert requested["detail"].startswith("cancelled_by_staff: ")
    assert requested["detail"].endswith(": the buyer phoned")
    stock = client.get_item(TableName=table, Key=key(f"SKU#{sku}", "STOCK#paris"))["Item"]
    assert stock["on_hand"] == {"N": "2"}
    waiting = DynamoOutbox(client, table).pending(datetime.now(UTC) + timedelta(days=1), 1000)
    assert [e for e in waiting if e.data.get("order_id") == order.id] == []  # delivered at once


def test_a_staff_cancel_is_409_once_shipped_403_without_orders_manage_and_404_when_unknown(
    stack: Stack,
) -> None:
    shipped = _saved(stack, replace(_order({"HAT-1": 1}), status=OrderStatus.SHIPPED))
    paid = _saved(stack, replace(_order({"HAT-1": 1}), status=OrderStatus.PAID))

    status, body = _cancel(stack, shipped.id)
    assert status == 409 and body["type"].endswith("/already-shipped"), body
    status, body = _cancel(stack, paid.id, groups="[support]")
    assert status == 403, body
    status, body = _cancel(stack, str(uuid.uuid4()))
    assert status == 404, body
    stored = DynamoOrders(*_table(stack)).get(paid.id)
    assert stored is not None and stored.status is OrderStatus.PAID
