"""A signed carrier update for a cancelled order's parcel, through the tracking handler against the moto
stack: the order stays cancelled and is flagged once, the units its cancellation put back leave again, and
the flag is counted for its alarm."""

from __future__ import annotations

import json
from dataclasses import replace

import boto3
import pytest

from commerce.adapters.dynamodb.codec import from_item, key
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.domain.order import OrderStatus, StockState

from .conftest import Stack
from .test_tracking_handler import TRACKING, _delivery, _fulfilling_order


def on_hand(stack: Stack, sku: str, location: str) -> int:
    found = (
        boto3.client("dynamodb")
        .get_item(
            TableName=stack.deployment.physical_ids["MainTable"],
            Key=key(f"SKU#{sku}", f"STOCK#{location}"),
            ConsistentRead=True,
        )
        .get("Item")
    )
    return int(from_item(found).get("on_hand", 0)) if found else 0


def test_a_scan_of_a_cancelled_orders_parcel_flags_it_and_takes_its_units_off_hand_again(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = DynamoOrders(boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"])
    order, shipment = _fulfilling_order(stack)
    current = orders.get(order.id)
    assert current is not None
    # As the cancel left it: cancelled, its sold units put back on hand.
    cancelled = replace(
        current, status=OrderStatus.CANCELLED, stock=StockState.RELEASED, version=current.version + 1
    )
    orders.save(cancelled, current.version)
    before = on_hand(stack, "SKU-1", "wh-paris")
    capsys.readouterr()

    scanned = stack.call(TRACKING, _delivery(shipment, "in_transit"))
    delivered = stack.call(TRACKING, _delivery(shipment, "delivered"))

    assert (scanned[2]["result"], delivered[2]["result"]) == ("applied", "applied")
    stored = orders.get(order.id)
    assert stored is not None and stored.status is OrderStatus.CANCELLED
    assert stored.flags == ("fulfillment_conflict",)
    assert on_hand(stack, "SKU-1", "wh-paris") == before - 1
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    counted = [blob for blob in emitted if "OrdersFlagged" in blob]
    assert sorted(str(blob.get("flag")) for blob in counted) == ["None", "fulfillment_conflict"]
