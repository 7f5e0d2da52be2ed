"""GET /admin/reports/inventory on the reports function, against moto built from template.yaml."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from commerce.adapters.dynamodb.inventory import DynamoInventory
from commerce.config import Settings
from commerce.domain.inventory import Movement, Reason
from commerce.domain.inventory_ports import Change

from .conftest import Stack
from .test_admin_catalog_handler import admin_event, create_product


def _admin(stack: Stack, method: str, route: str, body: Any = None, **params: str) -> Any:
    status, _, answer = stack.call("InventoryAdminFunction", admin_event(method, route, body, **params))
    assert status == 200, answer
    return answer


def _sell(sku: str, location: str, units: int, at: datetime) -> None:
    store = DynamoInventory(boto3.client("dynamodb"), Settings.from_env().table_name)
    order = f"ord-{uuid.uuid4().hex[:8]}"
    store.apply(Change(movements=[Movement(sku, location, Reason.RESERVATION, units, at, order)]))
    store.apply(Change(movements=[Movement(sku, location, Reason.SALE, units, at, order)]))


def test_the_inventory_report_values_stock_at_cost_and_shows_low_stock_and_days_of_cover(
    stack: Stack,
) -> None:
    location = f"wh-rep-{uuid.uuid4().hex[:6]}"
    _admin(
        stack,
        "PUT",
        "/admin/locations/{location_id}",
        {"name": "R", "kind": "warehouse"},
        location_id=location,
    )
    _, costed = create_product(stack)
    _, uncosted = create_product(stack)
    for sku, units in ((costed, 20), (uncosted, 5)):
        _admin(
            stack,
            "POST",
            "/admin/inventory/{sku}/receipts",
            {"location": location, "quantity": units},
            sku=sku,
        )
    policy = {"reorder_point": 3, "reorder_quantity": 10, "supplier": "acme", "lead_time_days": 5}
    answer = _admin(
        stack,
        "PUT",
        "/admin/inventory/{sku}/reorder-policy",
        {**policy, "location": location, "unit_cost": {"amount": 1250, "currency": "EUR"}},
        sku=costed,
    )
    assert answer["unit_cost"] == {"amount": 1250, "currency": "EUR"}
    _admin(
        stack,
        "PUT",
        "/admin/inventory/{sku}/reorder-policy",
        {**policy, "reorder_point": 5, "location": location},
        sku=uncosted,
    )
    _sell(costed, location, 14, datetime.now(UTC) - timedelta(days=1))

    status, _, report = stack.call("ReportsFunction", admin_event("GET", "/admin/reports/inventory"))

    assert status == 200, report
    (here,) = [loc for loc in report["locations"] if loc["location"] == location]
    assert here["units_on_hand"] == 6 + 5
    assert here["value_at_cost"] == [{"amount": 6 * 1250, "currency": "EUR"}]
    assert here["units_without_cost"] == 5
    skus = {s["sku"]: s for s in report["skus"]}
    assert (skus[costed]["available"], skus[costed]["units_sold_per_day"]) == (6, 0.5)
    assert skus[costed]["days_of_cover"] == 12.0
    assert skus[uncosted]["days_of_cover"] is None
    assert uncosted in report["low_stock"] and costed not in report["low_stock"]
    assert uncosted in report["without_cost"] and costed not in report["without_cost"]


def test_a_customer_cannot_read_the_inventory_report(stack: Stack) -> None:
    event = admin_event("GET", "/admin/reports/inventory", groups=None)
    status, _, problem = stack.call("ReportsFunction", event)
    assert status == 403, problem
