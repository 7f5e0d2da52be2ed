"""Channel reservations expire, against moto built from template.yaml: the reservation sweeper finds one
past its time through the sparse index, gives its units back with a release movement and an event, and
the channel's commit then answers 409."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import boto3

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.config import Settings

from .conftest import Stack
from .test_channels_handler import FN, _receive, channel_event, market  # noqa: F401


def _expire(channel: str, external_id: str) -> None:
    """Moves the reservation's expiry (its data and its sparse index entry) to a minute ago."""
    client, table = boto3.client("dynamodb"), Settings.from_env().table_name
    item_key = key(f"CHANNEL#{channel}", f"CHANNEL_ORDER#{external_id}")
    row = from_item(client.get_item(TableName=table, Key=item_key, ConsistentRead=True)["Item"])
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    assert row["GSI2PK"] == "CHANNEL_RESERVATIONS"
    client.update_item(
        TableName=table,
        Key=item_key,
        UpdateExpression="SET GSI2SK = :sk, #data.expires_at = :at",
        ExpressionAttributeNames={"#data": "data"},
        ExpressionAttributeValues=to_item({":sk": f"{past}#{external_id}", ":at": past}),
    )


def _movements(sku: str) -> list[str]:
    rows = boto3.client("dynamodb").query(
        TableName=Settings.from_env().table_name,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :m)",
        ExpressionAttributeValues=to_item({":pk": f"SKU#{sku}", ":m": "MOVE#"}),
    )["Items"]
    return sorted(from_item(r)["reason"] for r in rows)


def test_a_reservation_past_its_time_is_released_by_the_sweeper_and_its_commit_is_a_409(
    stack: Stack,
    market: tuple[str, str],  # noqa: F811
) -> None:
    channel, api_key = market
    sku = f"EX-{uuid.uuid4().hex[:8].upper()}"
    _receive(stack, sku, "wh-paris", 4)
    external_id = f"X-{uuid.uuid4().hex[:8]}"
    body = {"external_order_id": external_id, "lines": {sku: 3}}
    status, _, reserved = stack.call(
        FN, channel_event("POST", "/channels/{channel_id}/reservations", body, api_key, channel_id=channel)
    )
    assert status == 201, reserved
    created = datetime.fromisoformat(reserved["created_at"])
    assert datetime.fromisoformat(reserved["expires_at"]) == created + timedelta(minutes=30)
    _expire(channel, external_id)

    report = stack.runtime.invoke("ReservationSweeperFunction", {})

    assert report["channel_reservations_expired"] >= 1
    stock_route = "/channels/{channel_id}/stock/{sku}"
    _, _, stock = stack.call(
        FN, channel_event("GET", stock_route, None, api_key, channel_id=channel, sku=sku)
    )
    assert stock["available"] == 4
    assert _movements(sku) == ["receipt", "release", "reservation"]
    commit = "/channels/{channel_id}/reservations/{external_order_id}/commit"
    status, _, refused = stack.call(
        FN, channel_event("POST", commit, None, api_key, channel_id=channel, external_order_id=external_id)
    )
    assert status == 409 and refused["type"].endswith("/reservation-expired"), refused
    route = "/channels/{channel_id}/reservations/{external_order_id}"
    _, _, order = stack.call(
        FN, channel_event("GET", route, None, api_key, channel_id=channel, external_order_id=external_id)
    )
    assert order["status"] == "expired"
