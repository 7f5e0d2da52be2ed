"""GET /admin/reports/inventory on the reports function, against moto built from template.yaml."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from commerce import bootstrap
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

    _forget_snapshot()  # the figures as of now, not of a report read in the last minute
    report = _report(stack, after="HAT-EDW", limit="200")  # the page holding this test's SKUs

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


def test_the_report_of_the_demo_catalog_is_one_getitem_from_its_snapshot_and_read_in_batches(
    stack: Stack,
) -> None:
    client = boto3.client("dynamodb")
    calls: list[str] = []
    client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    reports = bootstrap.inventory_reports(Settings.from_env(), client)

    computed = reports.compute(datetime.now(UTC))
    skus = len(computed.skus)
    locations = len(
        DynamoInventory(boto3.client("dynamodb"), Settings.from_env().table_name).list_locations()
    )

    assert skus >= 250 and "Scan" not in calls  # the demo catalog
    # levels, hot markers and policies in BatchGetItems (2 keys a SKU and one per location, 100 a call),
    # one movements Query per SKU (and per shard of a hot SKU), plus the catalog's pages of 101, the low-stock
    # list and the locations; it used to be five calls for every SKU
    assert calls.count("BatchGetItem") <= skus * (2 + locations) // 100 + 1
    assert calls.count("GetItem") == 0 and calls.count("Query") <= skus + skus // 100 + 10

    reports.report()  # stores the snapshot (or finds one)
    calls.clear()
    page = reports.report()
    assert calls == ["GetItem"]  # what a request costs while the snapshot is younger than a minute
    assert len(page.skus) == 25 and page.next_after is not None


def test_the_report_pages_through_every_sku_once(stack: Stack) -> None:
    seen: list[str] = []
    after: str | None = None
    for _ in range(20):
        page = _report(stack, limit="200", **({"after": after} if after else {}))
        seen += [s["sku"] for s in page["skus"]]
        after = page["next_after"]
        if after is None:
            break
    assert seen == sorted(set(seen)) and len(seen) >= 250  # the demo catalog's SKUs, and the tests'


def _report(stack: Stack, **query: str) -> dict[str, Any]:
    event = admin_event("GET", "/admin/reports/inventory")
    event["queryStringParameters"] = query
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    status, _, page = stack.call("ReportsFunction", event)
    assert status == 200, page
    return dict(page)


def _forget_snapshot() -> None:
    boto3.client("dynamodb").delete_item(
        TableName=Settings.from_env().table_name, Key={"PK": {"S": "REPORT#inventory"}, "SK": {"S": "REPORT"}}
    )
