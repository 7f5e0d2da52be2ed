"""The abandoned-cart index, GSI2 entries on the cart item itself
(docs/marketing-events.md, data-model #170-#173): `ABANDONED_CARTS#<shard> / <last touch>#<cart id>`, a cart
with lines and a contact, written by every save (adapters/dynamodb/carts.py), gone when the cart is emptied,
checked out (the item is deleted) or claimed. A claim takes the cart off the index and writes its
CartAbandoned into the outbox (adapters/dynamodb/outbox.py) in one transaction."""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from typing import Any

from commerce.adapters.dynamodb.batch import listed_before, queried
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.domain.cart import Cart
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.marketing import WATCH_PREFIX, WATCH_SHARDS, index_time


class DynamoAbandonedCarts:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def idle(self, touched_before: datetime, limit: int) -> list[str]:
        found: list[str] = []
        for shard in range(WATCH_SHARDS):
            # `~` sorts after `#<id>`: a cart touched at exactly that time is idle too
            idle = listed_before(f"{WATCH_PREFIX}{shard}", f"{index_time(touched_before)}~")
            request: dict[str, Any] = {
                "TableName": self._table,
                "ProjectionExpression": "#id",
                "ExpressionAttributeNames": {"#id": "id"},
                **idle,
            }
            wanted = limit - len(found)
            found += [
                from_item(i)["id"] for i in islice(queried(self._client, **request, Limit=wanted), wanted)
            ]
        return found

    def claim(self, cart: Cart, event: DomainEvent | None) -> bool:
        claim = {
            "Update": {
                "TableName": self._table,
                "Key": key(f"CART#{cart.id}", "CART"),
                "UpdateExpression": "SET announced_version = :v REMOVE GSI2PK, GSI2SK",
                # unchanged since read (a touch bumps the version) and still listed as idle, not claimed
                "ConditionExpression": "version = :v AND begins_with(GSI2PK, :watch)",
                "ExpressionAttributeValues": to_item({":v": cart.version, ":watch": WATCH_PREFIX}),
            }
        }
        try:
            with translated():
                self._client.transact_write_items(
                    TransactItems=[claim, *outbox_writes(self._table, [event] if event else [])]
                )
        except Conflict:
            return False
        return True
