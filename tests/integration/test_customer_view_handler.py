"""GET /admin/customers/{id} on the recommendations and customer view function: the returns and disputes of
the customer's orders, against moto built from template.yaml."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import boto3

from commerce.adapters.dynamodb.codec import to_item
from commerce.adapters.dynamodb.customers import DynamoCustomers
from commerce.adapters.dynamodb.orders import order_to_item
from commerce.adapters.dynamodb.returns import DynamoReturns
from commerce.config import Settings
from commerce.domain.customer import Profile
from commerce.domain.order import Order, OrderStatus, TimelineEntry
from commerce.domain.returns import Return, ReturnLine

from .conftest import Stack
from .test_admin_catalog_handler import admin_event
from .test_dynamodb_orders import NOW, _order


def _save(order: Order) -> None:
    boto3.client("dynamodb").put_item(
        TableName=Settings.from_env().table_name, Item=to_item(order_to_item(order))
    )


def test_staff_see_a_customers_returns_and_the_orders_disputed_now_or_before(stack: Stack) -> None:
    table, client = Settings.from_env().table_name, boto3.client("dynamodb")
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    DynamoCustomers(client, table).save_profile(
        Profile.new(sub, "ret@example.com", NOW - timedelta(days=60)), None
    )
    delivered = replace(_order({"HAT-1": 2}, customer=sub), status=OrderStatus.DELIVERED)
    disputed_then_won = replace(
        _order({"HAT-2": 1}, customer=sub),
        status=OrderStatus.PAID,
        timeline=(TimelineEntry(NOW, "dispute_opened", "fraudulent"), TimelineEntry(NOW, "dispute_won")),
    )
    disputed = replace(_order({"HAT-3": 1}, customer=sub), status=OrderStatus.DISPUTED)
    for order in (delivered, disputed_then_won, disputed):
        _save(order)
    returned = Return(
        f"ret-{uuid.uuid4().hex[:12]}", delivered.id, (ReturnLine("HAT-1", 1, 1200),), "too big", NOW
    )
    DynamoReturns(client, table).add(returned, {}, [])

    status, _, whole = stack.call(
        "RecommendationsAndCustomerViewFunction",
        admin_event("GET", "/admin/customers/{customer_id}", customer_id=sub),
    )

    assert status == 200, whole
    assert [(r["id"], r["order_id"], r["status"]) for r in whole["returns"]] == [
        (returned.id, delivered.id, "requested")
    ]
    assert whole["returns"][0]["lines"] == [{"sku": "HAT-1", "quantity": 1, "refund": 1200}]
    assert {o["id"] for o in whole["disputes"]} == {disputed.id, disputed_then_won.id}
