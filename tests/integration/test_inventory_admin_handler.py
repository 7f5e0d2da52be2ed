"""The inventory_admin and restock functions against moto built from template.yaml."""

from __future__ import annotations

import uuid
from typing import Any

from local.tools import jobs

from .conftest import Stack
from .test_admin_catalog_handler import admin_event

FN = "InventoryAdminFunction"


def _call(stack: Stack, method: str, route: str, body: Any = None, **params: str) -> tuple[int, Any]:
    status, _, answer = stack.call(FN, admin_event(method, route, body, **params))
    return status, answer


def _sku() -> str:
    return f"INV-{uuid.uuid4().hex[:8].upper()}"


def _locations(stack: Stack) -> None:
    for location_id, kind in (("wh-test", "warehouse"), ("store-test", "store")):
        body = {"name": location_id, "kind": kind, "address": {"country": "DE"}}
        status, answer = _call(stack, "PUT", "/admin/locations/{location_id}", body, location_id=location_id)
        assert status == 200, answer


def test_staff_receive_adjust_and_read_a_skus_stock_with_its_movements(stack: Stack) -> None:
    _locations(stack)
    sku = _sku()
    status, stock = _call(
        stack, "POST", "/admin/inventory/{sku}/receipts", {"location": "wh-test", "quantity": 12}, sku=sku
    )
    assert status == 200, stock
    adjustment = {"location": "wh-test", "quantity": -2, "reason": "damaged", "note": "wet boxes"}
    status, stock = _call(stack, "POST", "/admin/inventory/{sku}/adjustments", adjustment, sku=sku)
    assert status == 200, stock
    assert (stock["on_hand"], stock["available"]) == (10, 10)
    assert [(m["reason"], m["on_hand_change"]) for m in stock["recent_movements"]] == [
        ("adjustment", -2),
        ("receipt", 12),
    ]


def test_an_adjustment_below_zero_is_a_409_problem_and_changes_nothing(stack: Stack) -> None:
    _locations(stack)
    sku = _sku()
    _call(stack, "POST", "/admin/inventory/{sku}/receipts", {"location": "wh-test", "quantity": 1}, sku=sku)
    body = {"location": "wh-test", "quantity": -5, "reason": "lost"}
    status, problem = _call(stack, "POST", "/admin/inventory/{sku}/adjustments", body, sku=sku)
    assert status == 409, problem
    assert _call(stack, "GET", "/admin/inventory/{sku}", sku=sku)[1]["on_hand"] == 1


def test_a_transfer_is_in_transit_until_received(stack: Stack) -> None:
    _locations(stack)
    sku = _sku()
    _call(stack, "POST", "/admin/inventory/{sku}/receipts", {"location": "wh-test", "quantity": 5}, sku=sku)
    body = {"sku": sku, "source": "wh-test", "destination": "store-test", "quantity": 3}
    status, transfer = _call(stack, "POST", "/admin/inventory/transfers", body)
    assert status == 201, transfer
    assert transfer["status"] == "in_transit"
    assert _call(stack, "GET", "/admin/inventory/{sku}", sku=sku)[1]["on_hand"] == 2
    status, received = _call(
        stack, "POST", "/admin/inventory/transfers/{transfer_id}/receive", transfer_id=transfer["id"]
    )
    assert status == 200 and received["status"] == "received"
    levels = {
        lv["location"]: lv["on_hand"]
        for lv in _call(stack, "GET", "/admin/inventory/{sku}", sku=sku)[1]["locations"]
    }
    assert levels == {"wh-test": 2, "store-test": 3}


def test_the_scheduled_restock_job_drafts_a_purchase_order_that_is_received_into_stock(stack: Stack) -> None:
    _locations(stack)
    sku = _sku()
    supplier = f"sup-{uuid.uuid4().hex[:6]}"
    _call(stack, "POST", "/admin/inventory/{sku}/receipts", {"location": "wh-test", "quantity": 3}, sku=sku)
    policy = {
        "reorder_point": 5,
        "reorder_quantity": 20,
        "supplier": supplier,
        "lead_time_days": 3,
        "location": "wh-test",
    }
    status, answer = _call(stack, "PUT", "/admin/inventory/{sku}/reorder-policy", policy, sku=sku)
    assert status == 200, answer

    first = jobs.run("restock", stack.runtime.invoke)
    assert jobs.run("restock", stack.runtime.invoke)["drafted"] == []
    (po_id,) = [
        po
        for po in first["drafted"]
        if _call(stack, "GET", "/admin/inventory/purchase-orders/{purchase_order_id}", purchase_order_id=po)[
            1
        ]["supplier"]
        == supplier
    ]
    status, po = _call(
        stack, "POST", "/admin/inventory/purchase-orders/{purchase_order_id}/send", purchase_order_id=po_id
    )
    assert status == 200 and po["status"] == "sent"
    status, po = _call(
        stack,
        "POST",
        "/admin/inventory/purchase-orders/{purchase_order_id}/receipts",
        {"lines": {sku: 20}},
        purchase_order_id=po_id,
    )
    assert status == 200 and po["status"] == "received", po
    stock = _call(stack, "GET", "/admin/inventory/{sku}", sku=sku)[1]
    assert stock["on_hand"] == 23
    assert stock["recent_movements"][0]["reference"] == po_id


def test_a_customer_cannot_read_stock(stack: Stack) -> None:
    status, _, _ = stack.call(FN, admin_event("GET", "/admin/inventory/{sku}", groups=None, sku="ANY-SKU"))
    assert status == 403


def test_the_local_job_runner_reads_both_schedules_from_the_template() -> None:
    found = jobs.schedules()
    assert found["restock"].function == "RestockFunction"
    assert found["restock"].expression == "rate(1 hour)"
    assert found["reservation-sweeper"].function == "ReservationSweeperFunction"


def test_a_location_address_with_an_empty_or_odd_field_name_is_refused_and_browse_keeps_working(
    stack: Stack,
) -> None:
    for odd in ({"": "x"}, {"City": "Paris"}, {"postal code": "75001"}):
        body = {"name": "odd", "kind": "store", "address": odd}
        status, answer = _call(stack, "PUT", "/admin/locations/{location_id}", body, location_id="odd")
        assert status == 400, (odd, answer)
    status, _, _ = stack.call("BrowseFunction", admin_event("GET", "/products", None))
    assert status == 200
