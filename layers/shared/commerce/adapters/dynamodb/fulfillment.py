"""Shipments and carrier events: `ORDER#<id> / SHIPMENT#<shipment id>`, `ORDER#<id> / FULFILLMENT`
(the order's fulfillment status and the fulfillment workflow's parked task tokens), the tracking pointer
`TRACKING#<carrier>#<number> / SHIPMENT`, and `CARRIER_EVENT#<carrier>#<event id> / EVENT` (applied once)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.batch import first_page, in_partition, item_at
from commerce.adapters.dynamodb.codec import expiring_record, from_item, key, to_item
from commerce.adapters.dynamodb.errors import cancellation_reasons, condition_held, translated
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.adapters.dynamodb.stock import back_on_hand, movement
from commerce.domain.errors import Conflict
from commerce.domain.fulfillment import Pick, Shipment, ShipmentStatus
from commerce.domain.order import Order
from commerce.domain.payment_events import DuplicateEvent
from commerce.domain.ports import CarrierEventWrite, ShipmentPlan

FULFILLMENT_SK = "FULFILLMENT"
EVENT_RECORD_TTL = timedelta(days=30)


def shipment_to_item(s: Shipment) -> dict[str, Any]:
    return {
        "PK": f"ORDER#{s.order_id}",
        "SK": f"SHIPMENT#{s.id}",
        "type": "shipment",
        "id": s.id,
        "order_id": s.order_id,
        "location": s.location,
        "lines": [{"sku": p.sku, "location": p.location, "quantity": p.quantity} for p in s.lines],
        "carrier": s.carrier,
        "tracking_number": s.tracking_number,
        "tracking_url": s.tracking_url,
        "status": s.status.value,
        "last_event_at": s.last_event_at.isoformat() if s.last_event_at else None,
        "version": s.version,
    }


def shipment_from_item(row: dict[str, Any]) -> Shipment:
    return Shipment(
        id=row["id"],
        order_id=row["order_id"],
        location=row["location"],
        lines=tuple(Pick(p["sku"], p["location"], int(p["quantity"])) for p in row["lines"]),
        carrier=row["carrier"],
        tracking_number=row["tracking_number"],
        tracking_url=row.get("tracking_url", ""),
        status=ShipmentStatus(row["status"]),
        last_event_at=datetime.fromisoformat(row["last_event_at"]) if row.get("last_event_at") else None,
        version=int(row.get("version", 0)),
    )


def _tracking_key(carrier: str, number: str) -> dict[str, Any]:
    return key(f"TRACKING#{carrier}#{number}", "SHIPMENT")


class DynamoShipments:
    def __init__(
        self, client: Any, table: str, orders: DynamoOrders, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._client, self._table, self._orders = client, table, orders
        self._clock = clock or (lambda: datetime.now(UTC))

    # reading
    def stock_at_locations(self, skus: Sequence[str]) -> dict[str, dict[str, tuple[int, int]]]:
        levels: dict[str, dict[str, tuple[int, int]]] = {}
        for sku in dict.fromkeys(skus):
            partition = in_partition(f"SKU#{sku}", "STOCK#")
            rows = first_page(self._client, TableName=self._table, ConsistentRead=True, **partition)
            levels[sku] = {r["location"]: (int(r.get("on_hand", 0)), int(r.get("reserved", 0))) for r in rows}
        return levels

    def for_order(self, order_id: str) -> list[Shipment]:
        partition = in_partition(f"ORDER#{order_id}", "SHIPMENT#")
        rows = first_page(self._client, TableName=self._table, ConsistentRead=True, **partition)
        return sorted((shipment_from_item(row) for row in rows), key=lambda s: s.id)

    def find(self, carrier: str, tracking_number: str) -> Shipment | None:
        with translated():
            pointer = self._client.get_item(
                TableName=self._table, Key=_tracking_key(carrier, tracking_number), ConsistentRead=True
            ).get("Item")
            if not pointer:
                return None
            row = from_item(pointer)
        sk = f"SHIPMENT#{row['shipment_id']}"
        found = item_at(self._client, self._table, f"ORDER#{row['order_id']}", sk, consistent=True)
        return shipment_from_item(found) if found else None

    # starting fulfillment
    def start(self, order: Order, expected_version: int, plan: ShipmentPlan) -> None:
        now = self._clock()
        items = self._orders.order_writes(order, expected_version)
        items.append(
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(
                        {
                            "PK": f"ORDER#{order.id}",
                            "SK": FULFILLMENT_SK,
                            "type": "fulfillment",
                            "status": order.status.value,
                        }
                    ),
                }
            }
        )
        for s in plan.shipments:
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(shipment_to_item(s)),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
            pointer = {
                **_tracking_key(s.carrier, s.tracking_number),
                "order_id": {"S": s.order_id},
                "shipment_id": {"S": s.id},
            }
            items.append({"Put": {"TableName": self._table, "Item": pointer}})
        # One write per stock item (a transaction may not touch an item twice): the net of every move there.
        net: dict[tuple[str, str], int] = {}
        seen: dict[tuple[str, str], int] = {}
        for r in plan.reallocations:
            net[(r.sku, r.origin)] = net.get((r.sku, r.origin), 0) + r.quantity
            net[(r.sku, r.location)] = net.get((r.sku, r.location), 0) - r.quantity
            seen[(r.sku, r.location)] = r.seen_on_hand
            for location, quantity, note in (
                (r.origin, r.quantity, f"ships from {r.location}"),
                (r.location, -r.quantity, f"instead of {r.origin}"),
            ):
                items.append(
                    movement(self._table, r.sku, location, quantity, "adjustment", order.id, note, now)
                )
        for (sku, location), delta in net.items():
            if delta > 0:
                items.append(back_on_hand(self._table, sku, location, delta))
            elif delta < 0:
                items.append(
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key(f"SKU#{sku}", f"STOCK#{location}"),
                            "UpdateExpression": "ADD on_hand :minus",
                            "ConditionExpression": "on_hand >= :seen AND reserved <= :free_limit",
                            "ExpressionAttributeValues": {
                                ":minus": {"N": str(delta)},
                                ":seen": {"N": str(seen[(sku, location)])},
                                ":free_limit": {"N": str(seen[(sku, location)] + delta)},
                            },
                        }
                    }
                )
        with translated(Conflict, "the order or the stock changed meanwhile; read them again"):
            self._client.transact_write_items(TransactItems=items)

    # carrier events
    def _record(self, event_key: str) -> dict[str, Any]:
        now = self._clock()
        return expiring_record(
            f"CARRIER_EVENT#{event_key}",
            "EVENT",
            "carrier_event",
            now,
            EVENT_RECORD_TTL,
            applied_at=now.isoformat(),
        )

    def apply(self, carrier_event: CarrierEventWrite) -> None:
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": self._record(carrier_event.event_key),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(shipment_to_item(carrier_event.shipment)),
                    "ConditionExpression": "version = :v",
                    "ExpressionAttributeValues": {":v": {"N": str(carrier_event.expected_shipment_version)}},
                }
            },
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key(f"ORDER#{carrier_event.shipment.order_id}", FULFILLMENT_SK),
                    "UpdateExpression": "SET #s = :s",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":s": {"S": carrier_event.fulfillment_status}},
                }
            },
        ]
        if carrier_event.order is not None:
            items.extend(self._orders.order_writes(carrier_event.order, carrier_event.expected_order_version))
        items += self._units_back(carrier_event.shipment, carrier_event.units_back)
        items += outbox_writes(self._table, carrier_event.events)
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = cancellation_reasons(error)
            if reasons[:1] == ["ConditionalCheckFailed"]:
                raise DuplicateEvent(carrier_event.event_key) from error
            with translated(Conflict, "the shipment or its order changed meanwhile"):
                raise

    def _units_back(self, shipment: Shipment, sign: int) -> list[dict[str, Any]]:
        """A cancelled order's parcel that moved after all: its units leave (-1) or come back (+1) on hand.
        No condition: the carrier's fact stands, even if it leaves a location short (staff see the flag)."""
        if not sign:
            return []
        now, items = self._clock(), []
        for pick in shipment.lines:
            quantity = sign * pick.quantity
            items.append(back_on_hand(self._table, pick.sku, pick.location, quantity))
            note = f"parcel {shipment.id} {'came back' if sign > 0 else 'left'} after the order was cancelled"
            items.append(
                movement(
                    self._table, pick.sku, pick.location, quantity, "adjustment", shipment.order_id, note, now
                )
            )
        return items

    def remember(self, event_key: str) -> bool:
        return condition_held(
            self._client.put_item,
            TableName=self._table,
            Item=self._record(event_key),
            ConditionExpression="attribute_not_exists(PK)",
        )

    # the fulfillment workflow's task tokens
    def park_token(self, order_id: str, milestone: str, task_token: str) -> str:
        with translated():
            found = self._client.update_item(
                TableName=self._table,
                Key=key(f"ORDER#{order_id}", FULFILLMENT_SK),
                UpdateExpression="SET #t = :t",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#t": f"token_{milestone}"},
                ExpressionAttributeValues={":t": {"S": task_token}},
                ReturnValues="ALL_NEW",
            )["Attributes"]
        return str(from_item(found).get("status", ""))

    def token(self, order_id: str, milestone: str) -> str | None:
        found = item_at(self._client, self._table, f"ORDER#{order_id}", FULFILLMENT_SK, consistent=True)
        value = found.get(f"token_{milestone}") if found else None
        return str(value) if value else None
