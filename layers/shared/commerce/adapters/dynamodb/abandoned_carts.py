"""marketing (issue 9): the abandoned-cart index, GSI2 entries on the cart item itself
(docs/marketing-events.md, data-model #170-#175):

- `ABANDONED_CARTS#<shard> / <last touch>#<cart id>`: a cart with lines and a contact, written by every save
  (adapters/dynamodb/carts.py), gone when the cart is emptied, checked out or claimed (the item is deleted);
- `ABANDONED_CARTS_OUTBOX#<shard> / <claimed at>#<cart id>`: claimed by a run, its event in `outbox` until
  it is on the bus; then the entry is removed, until the next touch lists the cart again."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.domain.cart import Cart
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.marketing import ANNOUNCING_PREFIX, WATCH_PREFIX, WATCH_SHARDS, index_time, watch_shard


class DynamoAbandonedCarts:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def idle(self, touched_before: datetime, limit: int) -> list[str]:
        return [cart_id for cart_id, _ in self._query(WATCH_PREFIX, touched_before, limit)]

    def claim(self, cart: Cart, event: DomainEvent | None) -> bool:
        values: dict[str, Any] = {":v": cart.version, ":watch": WATCH_PREFIX}
        if event is None:
            update = "SET announced_version = :v REMOVE GSI2PK, GSI2SK"
        else:
            update = (
                "SET announced_version = :v, GSI2PK = :pk, GSI2SK = :sk, outbox = :outbox, outbox_id = :id"
            )
            values.update(
                {
                    ":pk": f"{ANNOUNCING_PREFIX}{watch_shard(cart.id)}",
                    ":sk": f"{index_time(event.occurred_at)}#{cart.id}",
                    ":outbox": json.dumps(event.envelope()),
                    ":id": event.event_id,
                }
            )
        try:
            with translated():
                self._client.update_item(
                    TableName=self._table,
                    Key=key(f"CART#{cart.id}", "CART"),
                    UpdateExpression=update,
                    # unchanged since read (a touch bumps the version) and still listed as idle, not claimed
                    ConditionExpression="version = :v AND begins_with(GSI2PK, :watch)",
                    ExpressionAttributeValues=to_item(values),
                )
        except Conflict:
            return False
        return True

    def announced(self, cart_id: str, event_id: str) -> None:
        try:
            with translated():
                self._client.update_item(
                    TableName=self._table,
                    Key=key(f"CART#{cart_id}", "CART"),
                    UpdateExpression="REMOVE GSI2PK, GSI2SK, outbox, outbox_id",
                    ConditionExpression="outbox_id = :id",
                    ExpressionAttributeValues=to_item({":id": event_id}),
                )
        except Conflict:
            pass  # touched (listed again) or checked out (deleted) since: nothing of the claim is left

    def unannounced(self, claimed_before: datetime) -> list[tuple[str, DomainEvent]]:
        rows = self._query(ANNOUNCING_PREFIX, claimed_before, 1000)
        return [(cart_id, DomainEvent.from_envelope(json.loads(row["outbox"]))) for cart_id, row in rows]

    def _query(self, prefix: str, before: datetime, limit: int) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for shard in range(WATCH_SHARDS):
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": "GSI2",
                "KeyConditionExpression": "GSI2PK = :pk AND GSI2SK < :before",
                "ExpressionAttributeValues": to_item(
                    {
                        ":pk": f"{prefix}{shard}",
                        ":before": f"{index_time(before)}~",
                    }  # `~` sorts after `#<id>`
                ),
                "ProjectionExpression": "#id, outbox",
                "ExpressionAttributeNames": {"#id": "id"},
            }
            while len(found) < limit:
                with translated():
                    page = self._client.query(**request, Limit=limit - len(found))
                found += [(row["id"], row) for row in (from_item(i) for i in page.get("Items", []))]
                if "LastEvaluatedKey" not in page:
                    break
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return found
