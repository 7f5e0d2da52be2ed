"""Stock per SKU and location, and the ledger of movements that explains it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from commerce.adapters.dynamodb.batch import batch_get, first_page, in_partition
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.domain.errors import ValidationFailed
from commerce.domain.hot_sku import base_location, shard_location, shard_of

LOCATIONS_CACHE_SECONDS = 60.0


# hot SKU shards (inventory, docs/inventory.md): shard n > 0 of a location is an item of its own
# partition key, so a flash sale's writes spread over N partitions instead of one.
def ledger_pk(sku: str, location: str) -> str:
    """The partition key of a stock level's item and of its movements."""
    shard = shard_of(location)
    return f"SKU#{sku}" if shard == 0 else f"SKU#{sku}#SHARD#{shard}"


def stock_key(sku: str, location: str) -> dict[str, Any]:
    return key(ledger_pk(sku, location), f"STOCK#{base_location(location)}")


def hot_key(sku: str) -> dict[str, Any]:
    return key(f"SKU#{sku}", f"HOT#{sku}")


def back_on_hand(table: str, sku: str, location: str, quantity: int) -> dict[str, Any]:
    """Adds `quantity` on hand at the location, creating its stock item `SKU#<sku> / STOCK#<location>`."""
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
    table: str,
    sku: str,
    location: str,
    quantity: int,
    reason: str,
    order_id: str | None,
    note: str,
    now: datetime,
) -> dict[str, Any]:
    """The ledger line `SKU#<sku> / MOVE#<at>#<rand>` that explains a change of stock (an order's, or not)."""
    item: dict[str, Any] = {
        "PK": f"SKU#{sku}",
        "SK": f"MOVE#{now.isoformat()}#{uuid.uuid4().hex[:8]}",
        "type": "movement",
        "sku": sku,
        "location": location,
        "reason": reason,
        "quantity": quantity,
        "note": note,
        "at": now.isoformat(),
    }
    if order_id is not None:
        item["order_id"] = order_id
    return {"Put": {"TableName": table, "Item": to_item(item)}}


class DynamoStock:
    def __init__(self, client: Any, table: str, clock: Callable[[], datetime] | None = None) -> None:
        self._client = client
        self._table = table
        self._clock = clock or (lambda: datetime.now(UTC))
        self._locations: tuple[float, list[str]] | None = None

    def locations(self) -> list[str]:
        """Location ids, cached for a minute: they change rarely and every browse page needs them."""
        if self._locations and time.monotonic() - self._locations[0] < LOCATIONS_CACHE_SECONDS:
            return self._locations[1]
        rows = first_page(self._client, TableName=self._table, **in_partition("LOCATION"))
        found = sorted(row["id"] for row in rows)
        self._locations = (time.monotonic(), found)
        return found

    def available(self, skus: Sequence[str]) -> dict[str, int]:
        keys = [key(f"SKU#{sku}", f"STOCK#{loc}") for sku in dict.fromkeys(skus) for loc in self.locations()]
        totals = dict.fromkeys(skus, 0)
        for row in self._batch_get(keys, consistent=False):
            totals[row["sku"]] += max(0, row.get("on_hand", 0) - row.get("reserved", 0))
        for sku, shards in self.shard_levels(list(totals)).items():
            totals[sku] += sum(max(0, on_hand - reserved) for on_hand, reserved in shards.values())
        return totals

    def available_at(self, skus: Sequence[str], locations: Collection[str]) -> dict[str, int]:
        """Units available per SKU at these locations only (a sales channel's), shards included."""
        wanted = [loc for loc in self.locations() if loc in locations]
        keys = [key(f"SKU#{sku}", f"STOCK#{loc}") for sku in dict.fromkeys(skus) for loc in wanted]
        totals = dict.fromkeys(skus, 0)
        for row in self._batch_get(keys, consistent=False):
            totals[row["sku"]] += max(0, row.get("on_hand", 0) - row.get("reserved", 0))
        for sku, shards in self.shard_levels(list(totals)).items():
            totals[sku] += sum(
                max(0, on_hand - reserved)
                for loc, (on_hand, reserved) in shards.items()
                if base_location(loc) in locations
            )
        return totals

    def shard_levels(
        self, skus: Sequence[str], consistent: bool = False
    ) -> dict[str, dict[str, tuple[int, int]]]:
        """(on_hand, reserved) of the hot SKUs' shards 1..N-1 per shard location (`<location>@<n>`);
        SKUs that are not hot are left out. Two batch reads: the hot markers, then the shards."""
        markers = self._batch_get([hot_key(sku) for sku in dict.fromkeys(skus)], consistent)
        hot = {row["id"]: int(row.get("data", {}).get("max_shards", 1)) for row in markers}
        keys = [
            stock_key(sku, shard_location(loc, n))
            for sku, shards in hot.items()
            for loc in self.locations()
            for n in range(1, shards)
        ]
        found: dict[str, dict[str, tuple[int, int]]] = {sku: {} for sku in hot}
        for row in self._batch_get(keys, consistent):
            found[row["sku"]][row["location"]] = (row.get("on_hand", 0), row.get("reserved", 0))
        return found

    def _batch_get(self, keys: list[dict[str, Any]], consistent: bool) -> list[dict[str, Any]]:
        return [from_item(i) for i in batch_get(self._client, self._table, keys, consistent)]

    def receive(self, sku: str, location: str, quantity: int, note: str) -> None:
        if quantity <= 0:
            raise ValidationFailed("a receipt adds at least one unit")
        now = self._clock()
        with translated():
            self._client.transact_write_items(
                TransactItems=[
                    back_on_hand(self._table, sku, location, quantity),
                    movement(self._table, sku, location, quantity, "receipt", None, note, now),
                    {
                        # An Update, not a Put: a location's name, kind and address (inventory) stay.
                        "Update": {
                            "TableName": self._table,
                            "Key": key("LOCATION", f"LOC#{location}"),
                            "UpdateExpression": "SET id = :id",
                            "ExpressionAttributeValues": {":id": {"S": location}},
                        }
                    },
                ]
            )
        self._locations = None
