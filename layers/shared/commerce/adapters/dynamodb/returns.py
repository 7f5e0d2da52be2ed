"""Returns of an order: requested by the buyer, received by staff, their units back on hand."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from commerce.adapters.dynamodb.batch import first_page, in_partition, item_at, listed_before
from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.adapters.dynamodb.stock import back_on_hand, movement
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.returns import Return, ReturnLine, ReturnStatus

RECEIVED_INDEX = "RETURNS#received"


def return_to_item(item: Return) -> dict[str, Any]:
    row: dict[str, Any] = {
        "PK": f"ORDER#{item.order_id}",
        "SK": f"RETURN#{item.id}",
        "type": "return",
        "id": item.id,
        "order_id": item.order_id,
        "lines": [{"sku": line.sku, "quantity": line.quantity, "refund": line.refund} for line in item.lines],
        "reason": item.reason,
        "requested_at": item.requested_at.isoformat(),
        "status": item.status.value,
        "location": item.location,
        "received_at": item.received_at.isoformat() if item.received_at else None,
        "refund_id": item.refund_id,
        "refunded": item.refunded,
        "to_refund": item.to_refund,
    }
    if item.status is ReturnStatus.RECEIVED:  # listed for the sweeper while its refund and restock are due
        row.update(
            GSI2PK=RECEIVED_INDEX, GSI2SK=f"{(item.received_at or item.requested_at).isoformat()}#{item.id}"
        )
    return row


def return_from_item(row: dict[str, Any]) -> Return:
    return Return(
        id=row["id"],
        order_id=row["order_id"],
        lines=tuple(
            ReturnLine(line["sku"], int(line["quantity"]), int(line["refund"])) for line in row["lines"]
        ),
        reason=row.get("reason", ""),
        requested_at=datetime.fromisoformat(row["requested_at"]),
        status=ReturnStatus(row["status"]),
        location=row.get("location"),
        received_at=datetime.fromisoformat(row["received_at"]) if row.get("received_at") else None,
        refund_id=row.get("refund_id"),
        refunded=int(row.get("refunded", 0)),
        to_refund=int(row["to_refund"]) if row.get("to_refund") is not None else None,
    )


class DynamoReturns:
    """Returns: `ORDER#<id> / RETURN#<return id>` (listed under `GSI2PK = RETURNS#received` while received),
    found by id through `RETURN#<return id> / RETURN`; the
    units of an order asked back per SKU in `ORDER#<id> / RETURNED#<sku>` (`units`), raised in the
    transaction that adds a return under the condition that no other return was added meanwhile."""

    def __init__(self, client: Any, table: str, clock: Callable[[], datetime] | None = None) -> None:
        self._client, self._table = client, table
        self._clock = clock or (lambda: datetime.now(UTC))

    def add(self, item: Return, returned_before: Mapping[str, int], events: Sequence[DomainEvent]) -> None:
        pointer = {
            "PK": f"RETURN#{item.id}",
            "SK": "RETURN",
            "type": "return_pointer",
            "order_id": item.order_id,
        }
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(return_to_item(item)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {"Put": {"TableName": self._table, "Item": to_item(pointer)}},
        ]
        units: dict[str, int] = {}
        for line in item.lines:
            units[line.sku] = units.get(line.sku, 0) + line.quantity
        for sku, quantity in units.items():
            before = returned_before.get(sku, 0)
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": key(f"ORDER#{item.order_id}", f"RETURNED#{sku}"),
                        "UpdateExpression": "SET #type = :type, sku = :sku, units = :after",
                        # An order whose returns predate the count has none yet: its first write sets it.
                        "ConditionExpression": "attribute_not_exists(units) OR units = :before",
                        "ExpressionAttributeNames": {"#type": "type"},
                        "ExpressionAttributeValues": to_item(
                            {
                                ":type": "returned_units",
                                ":sku": sku,
                                ":before": before,
                                ":after": before + quantity,
                            }
                        ),
                    }
                }
            )
        items.extend(outbox_writes(self._table, events))
        with translated(Conflict, "a return of this order was asked for meanwhile"):
            self._client.transact_write_items(TransactItems=items)

    def get(self, return_id: str) -> Return | None:
        pointer = item_at(self._client, self._table, f"RETURN#{return_id}", "RETURN", consistent=True)
        if not pointer:
            return None
        pk, sk = f"ORDER#{pointer['order_id']}", f"RETURN#{return_id}"
        found = item_at(self._client, self._table, pk, sk, consistent=True)
        return return_from_item(found) if found else None

    def for_order(self, order_id: str) -> list[Return]:
        partition = in_partition(f"ORDER#{order_id}", "RETURN#")
        rows = first_page(self._client, TableName=self._table, ConsistentRead=True, **partition)
        return [return_from_item(row) for row in rows]

    def received_before(self, before: datetime, limit: int) -> list[Return]:
        waiting = listed_before(RECEIVED_INDEX, before.isoformat())
        rows = first_page(self._client, TableName=self._table, Limit=limit, **waiting)
        return [return_from_item(row) for row in rows]

    def receive(self, item: Return) -> None:
        with translated(Conflict, "the return was received already"):
            self._client.transact_write_items(TransactItems=[self._save(item, ReturnStatus.REQUESTED)])

    def reopen(self, item: Return) -> None:
        with translated(Conflict, "the return is no longer waiting for its refund"):
            self._client.transact_write_items(TransactItems=[self._save(item, ReturnStatus.RECEIVED)])

    def restock(self, item: Return, events: Sequence[DomainEvent]) -> None:
        if item.location is None:
            raise ValueError("a restocked return has a location")
        now = self._clock()
        items = [self._save(item, ReturnStatus.RECEIVED)]
        for line in item.lines:
            items.append(back_on_hand(self._table, line.sku, item.location, line.quantity))
            items.append(
                movement(
                    self._table, line.sku, item.location, line.quantity, "return", item.order_id, item.id, now
                )
            )
        items.extend(outbox_writes(self._table, events))
        with translated(Conflict, "the return was restocked already"):
            self._client.transact_write_items(TransactItems=items)

    def _save(self, item: Return, expected: ReturnStatus) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table,
                "Item": to_item(return_to_item(item)),
                "ConditionExpression": "#s = :expected",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {":expected": {"S": expected.value}},
            }
        }
