"""Units coming back to stock after a sale: an order cancelled before shipment, or a return received.

Written here, not in the stock adapter (being reworked for the inventory ledger), with the same item shapes:
the stock item `SKU#<sku> / STOCK#<location>` (`on_hand`, `reserved`) and a movement
`SKU#<sku> / MOVE#<at>#<rand>` (`reason`, `quantity`, `location`, `order_id`, `note`, `at`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.domain.errors import Conflict
from commerce.domain.order import Order


def back_on_hand(table: str, sku: str, location: str, quantity: int) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table,
            "Key": key(f"SKU#{sku}", f"STOCK#{location}"),
            "UpdateExpression": "SET sku = :sku, #loc = :loc, #type = :type, "
            "reserved = if_not_exists(reserved, :zero) ADD on_hand :q",
            "ExpressionAttributeNames": {"#loc": "location", "#type": "type"},
            "ExpressionAttributeValues": {
                ":sku": {"S": sku},
                ":loc": {"S": location},
                ":type": {"S": "stock"},
                ":zero": {"N": "0"},
                ":q": {"N": str(quantity)},
            },
        }
    }


def movement(
    table: str, sku: str, location: str, quantity: int, reason: str, order_id: str, note: str, now: datetime
) -> dict[str, Any]:
    item = {
        "PK": f"SKU#{sku}",
        "SK": f"MOVE#{now.isoformat()}#{uuid.uuid4().hex[:8]}",
        "type": "movement",
        "sku": sku,
        "location": location,
        "reason": reason,
        "quantity": quantity,
        "order_id": order_id,
        "note": note,
        "at": now.isoformat(),
    }
    return {"Put": {"TableName": table, "Item": to_item(item)}}


class DynamoRestock:
    def __init__(
        self, client: Any, table: str, orders: DynamoOrders, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._client, self._table, self._orders = client, table, orders
        self._clock = clock or (lambda: datetime.now(UTC))

    def restock(self, order: Order, expected_version: int, reason: str) -> None:
        """A cancelled order's sold units back on hand: an `adjustment` movement each (+q; `release` is for
        reserved units; so on_hand stays receipts + adjustments + returns - sales in the ledger)."""
        now = self._clock()
        items = self._orders.order_writes(order, expected_version)
        for r in order.reservations:
            items.append(back_on_hand(self._table, r.sku, r.location, r.quantity))
            items.append(
                movement(self._table, r.sku, r.location, r.quantity, "adjustment", order.id, reason, now)
            )
        with translated(Conflict, "the order changed meanwhile; read it again"):
            self._client.transact_write_items(TransactItems=items)
