"""The InventoryStore on the main table: stock levels, their movements and the records around them.

Items (docs/data-model.md, patterns #70-#89):

- a location, `LOCATION / LOC#<id>` (the item the checkout's stock reads already use, with more attributes);
- a stock level, `SKU#<sku> / STOCK#<location>`: `on_hand`, `reserved` (the checkout's shape, unchanged);
- a movement, `SKU#<sku> / MOVE#<time>#<rand>`: `reason`, `quantity` as before, plus `on_hand_delta`,
  `reserved_delta` and `reference`;
- a record: `<KIND>#<id> / <KIND>`, or `<PARENT KIND>#<parent id> / <KIND>#<id>` when filed under a
  parent; listed in GSI2 under `GSI2PK = <index>` only while it has an index (a sparse entry).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.batch import batch_get, first_page, in_partition, queried
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import cancellation_reasons, error_code, translated
from commerce.adapters.dynamodb.merged import Partitions, merged_page
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.adapters.dynamodb.stock import ledger_pk, stock_key
from commerce.domain.errors import Conflict, LimitExceeded
from commerce.domain.inventory import Location, LocationKind, Movement, StockLevel
from commerce.domain.inventory_ports import ANY_VERSION, Change, Record
from commerce.domain.ports import Page

APPLY_ATTEMPTS = 5
MAX_TRANSACTION_ITEMS = 100


class DynamoInventory:
    def __init__(self, client: Any, table: str, clock: Callable[[], datetime] | None = None) -> None:
        self._client = client
        self._table = table
        self._clock = clock or (lambda: datetime.now(UTC))

    # locations
    def save_location(self, location: Location) -> None:
        item = {
            "PK": "LOCATION",
            "SK": f"LOC#{location.id}",
            "type": "location",
            "id": location.id,
            "name": location.name,
            "kind": location.kind.value,
            "address": dict(location.address) or None,
        }
        with translated():
            self._client.put_item(TableName=self._table, Item=to_item(item))

    def list_locations(self) -> list[Location]:
        rows = self._query(
            KeyConditionExpression="PK = :pk", ExpressionAttributeValues=to_item({":pk": "LOCATION"})
        )
        return [
            Location(
                id=row["id"],
                name=row.get("name", row["id"]),
                kind=LocationKind(row.get("kind", "warehouse")),
                address=row.get("address", {}),
            )
            for row in rows
        ]

    # levels and movements
    def levels(self, sku: str) -> list[StockLevel]:
        rows: list[dict[str, Any]] = []
        for pk in self._partitions(sku):
            rows += self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                ExpressionAttributeValues=to_item({":pk": pk, ":prefix": "STOCK#"}),
                ConsistentRead=True,
            )
        return [
            StockLevel(sku, row["location"], row.get("on_hand", 0), row.get("reserved", 0)) for row in rows
        ]

    def movements(self, sku: str, limit: int | None = None) -> list[Movement]:
        return self._movements(self._partitions(sku), limit)

    def movements_since(self, sku: str, since: datetime, shards: int, limit: int) -> list[Movement]:
        """The SKU's newest movements since `since` (at most `limit` per partition), its shards known."""
        partitions = [f"SKU#{sku}", *(f"SKU#{sku}#SHARD#{n}" for n in range(1, shards))]
        return self._movements(partitions, limit, since)

    def _movements(
        self, partitions: list[str], limit: int | None, since: datetime | None = None
    ) -> list[Movement]:
        rows: list[dict[str, Any]] = []
        condition, values = "PK = :pk AND begins_with(SK, :prefix)", {":prefix": "MOVE#"}
        if since is not None:  # MOVE#<ISO time>#<rand>: the key sorts by time
            condition, values = (
                "PK = :pk AND SK BETWEEN :from AND :to",
                {
                    ":from": f"MOVE#{since.isoformat()}",
                    ":to": "MOVE#~",
                },
            )
        for pk in partitions:
            request: dict[str, Any] = {
                "KeyConditionExpression": condition,
                "ExpressionAttributeValues": to_item({":pk": pk, **values}),
                "ScanIndexForward": False,
                "ConsistentRead": True,
            }
            if limit is not None:
                request["Limit"] = limit
            rows += self._query(single_page=limit is not None, **request)
        rows.sort(key=lambda row: str(row["SK"]), reverse=True)  # MOVE#<time>#<rand>: newest first
        return [_movement(row) for row in rows[:limit]]

    def movement_page(self, sku: str, limit: int, position: Mapping[str, Any] | None) -> Page[Movement]:
        where = Partitions(None, "PK", "SK", self._partitions(sku))
        after = str(position["after"]) if position else None
        rows, next_after = merged_page(
            self._client, self._table, where, limit, after, prefix="MOVE#", newest_first=True
        )
        return Page(tuple(_movement(r) for r in rows), {"after": next_after} if next_after else None)

    def stock_and_policies(self, skus: Sequence[str]) -> dict[str, tuple[list[StockLevel], Record | None]]:
        """Every SKU's levels at the listed locations and its reorder policy, by BatchGetItem: 2 + locations
        keys per SKU, 100 a call (the inventory report reads a thousand SKUs in about 50 calls, not 5,000).
        A hot SKU's shards are read by its own Queries."""
        locations = [location.id for location in self.list_locations()]
        keys = [
            key(f"SKU#{sku}", sort)
            for sku in dict.fromkeys(skus)
            for sort in (f"HOT#{sku}", f"REORDER#{sku}", *(f"STOCK#{loc}" for loc in locations))
        ]
        levels: dict[str, list[StockLevel]] = {sku: [] for sku in skus}
        policies: dict[str, Record] = {}
        hot: set[str] = set()
        for row in self._batch_get(keys):
            sku, sort = str(row["PK"]).removeprefix("SKU#"), str(row["SK"])
            if sort.startswith("STOCK#"):
                levels[sku].append(
                    StockLevel(sku, row["location"], row.get("on_hand", 0), row.get("reserved", 0))
                )
            elif sort.startswith("REORDER#"):
                policies[sku] = _record(row)
            elif sort.startswith("HOT#"):
                hot.add(sku)
        for sku in hot:
            levels[sku] = self.levels(sku)
        return {sku: (sorted(levels[sku], key=lambda lv: lv.location), policies.get(sku)) for sku in skus}

    def _batch_get(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [from_item(i) for i in batch_get(self._client, self._table, keys, consistent=True)]

    def _partitions(self, sku: str) -> list[str]:
        """The SKU's partition keys: its own, and one per shard (1..N-1) while it is or was hot."""
        hot = self.get("hot", sku, ("sku", sku))
        shards = int(hot.data.get("max_shards", 1)) if hot else 1
        return [f"SKU#{sku}", *(f"SKU#{sku}#SHARD#{n}" for n in range(1, shards))]

    def apply(self, change: Change) -> None:
        for _ in range(APPLY_ATTEMPTS):
            seen = self._seen(change)
            items = self._items(change, seen)
            try:
                self._client.transact_write_items(TransactItems=items)
                return
            except ClientError as error:
                if error_code(error) != "TransactionCanceledException":
                    with translated():
                        raise
                reasons = cancellation_reasons(error)
                if any(r not in ("None", "ConditionalCheckFailed", "TransactionConflict") for r in reasons):
                    with translated():
                        raise
                failed = [items[i] for i, r in enumerate(reasons) if r == "ConditionalCheckFailed"]
                if any(not _is_stock(item) for item in failed):
                    raise Conflict("a record changed meanwhile; read it again") from error
                # Only stock moved under us (another reservation won a race): read again and retry.
        raise Conflict("stock is changing fast; try again")

    def _seen(self, change: Change) -> dict[tuple[str, str], StockLevel]:
        """The current levels of the places the movements touch, checked against the ledger's rules."""
        seen: dict[tuple[str, str], StockLevel] = {}
        for sku in {m.sku for m in change.movements}:
            for level in self.levels(sku):
                seen[(sku, level.location)] = level
        staged = dict(seen)
        for movement in change.movements:
            where = (movement.sku, movement.location)
            staged[where] = staged.get(where, StockLevel(*where)).after(movement)  # OutOfStock early
        return seen

    def _items(self, change: Change, seen: dict[tuple[str, str], StockLevel]) -> list[dict[str, Any]]:
        totals: dict[tuple[str, str], tuple[int, int]] = {}
        for m in change.movements:
            on_hand, reserved = totals.get((m.sku, m.location), (0, 0))
            totals[(m.sku, m.location)] = (on_hand + m.on_hand_delta, reserved + m.reserved_delta)
        items = [
            self._stock_update(sku, loc, d_on_hand, d_reserved, seen.get((sku, loc), StockLevel(sku, loc)))
            for (sku, loc), (d_on_hand, d_reserved) in totals.items()
        ]
        items += [
            {"Put": {"TableName": self._table, "Item": to_item(_movement_item(m))}} for m in change.movements
        ]
        for write in change.writes:
            put: dict[str, Any] = {"TableName": self._table, "Item": to_item(self._record_item(write.record))}
            if write.expected_version is None:
                put["ConditionExpression"] = "attribute_not_exists(PK)"
            elif write.expected_version != ANY_VERSION:
                put["ConditionExpression"] = "version = :expected"
                put["ExpressionAttributeValues"] = to_item({":expected": write.expected_version})
            items.append({"Put": put})
        items += outbox_writes(self._table, change.events)
        if len(items) > MAX_TRANSACTION_ITEMS:
            raise LimitExceeded("too many changes for one transaction; split them")
        return items

    def _stock_update(
        self, sku: str, loc: str, d_on_hand: int, d_reserved: int, seen: StockLevel
    ) -> dict[str, Any]:
        # No arithmetic in condition expressions, so (as the checkout does): on hand has not dropped since
        # it was read and reserved has not risen past what leaves the new available at zero or more.
        conditions: list[str] = []
        values: dict[str, Any] = {
            ":sku": sku,
            ":loc": loc,
            ":stock": "stock",
            ":doh": d_on_hand,
            ":dr": d_reserved,
        }
        if d_on_hand - d_reserved < 0:
            conditions.append("on_hand >= :seen AND (attribute_not_exists(reserved) OR reserved <= :most)")
            values[":seen"] = seen.on_hand
            values[":most"] = seen.on_hand + d_on_hand - d_reserved
        if d_reserved < 0:
            conditions.append("reserved >= :settled")
            values[":settled"] = -d_reserved
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": stock_key(sku, loc),
            "UpdateExpression": "SET sku = :sku, #loc = :loc, #type = :stock ADD on_hand :doh, reserved :dr",
            "ExpressionAttributeNames": {"#loc": "location", "#type": "type"},
            "ExpressionAttributeValues": to_item(values),
        }
        if conditions:
            update["ConditionExpression"] = " AND ".join(conditions)
        return {"Update": update}

    # records
    def get(self, kind: str, record_id: str, parent: tuple[str, str] | None = None) -> Record | None:
        pk, sk = _record_key(kind, record_id, parent)
        with translated():
            found = self._client.get_item(TableName=self._table, Key=key(pk, sk), ConsistentRead=True)
        return _record(from_item(found["Item"])) if "Item" in found else None

    def children(self, parent: tuple[str, str], kind: str) -> list[Record]:
        pk, _ = _record_key(kind, "", parent)
        rows = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=to_item({":pk": pk, ":prefix": f"{kind.upper()}#"}),
        )
        return [_record(row) for row in rows]

    def indexed(self, index: str, limit: int = 1000) -> list[Record]:
        request = {"TableName": self._table, "Limit": limit, **in_partition(index, index="GSI2")}
        # pages of at most `limit`, and no page after the one that fills it: not the whole index
        return [_record(from_item(i)) for i in islice(queried(self._client, **request), limit)]

    def index_page(self, index: str, limit: int, position: Mapping[str, Any] | None) -> Page[Record]:
        where = Partitions("GSI2", "GSI2PK", "GSI2SK", [index])
        after = str(position["after"]) if position else None
        rows, next_after = merged_page(self._client, self._table, where, limit, after, newest_first=True)
        return Page(tuple(_record(r) for r in rows), {"after": next_after} if next_after else None)

    def _record_item(self, record: Record) -> dict[str, Any]:
        pk, sk = _record_key(record.kind, record.id, record.parent)
        item: dict[str, Any] = {
            "PK": pk,
            "SK": sk,
            "type": record.kind,
            "id": record.id,
            "parent": list(record.parent) if record.parent else None,
            "data": dict(record.data),
            "version": record.version,
            "expires_at": record.expires_at,
        }
        if record.index:
            item.update(GSI2PK=record.index, GSI2SK=f"{record.index_sort}#{record.id}")
        return item

    def _query(self, single_page: bool = False, **request: Any) -> list[dict[str, Any]]:
        request = {"TableName": self._table, **request}
        if single_page:
            return first_page(self._client, **request)
        return [from_item(i) for i in queried(self._client, **request)]


def _record_key(kind: str, record_id: str, parent: tuple[str, str] | None) -> tuple[str, str]:
    if parent:
        return f"{parent[0].upper()}#{parent[1]}", f"{kind.upper()}#{record_id}"
    return f"{kind.upper()}#{record_id}", kind.upper()


def _record(row: dict[str, Any]) -> Record:
    index = row.get("GSI2PK")
    return Record(
        kind=row["type"],
        id=row["id"],
        data=row.get("data", {}),
        version=row.get("version", 1),
        parent=(row["parent"][0], row["parent"][1]) if row.get("parent") else None,
        index=index,
        index_sort=row["GSI2SK"].rsplit("#", 1)[0] if index else "",
        expires_at=row.get("expires_at"),
    )


def _movement(row: dict[str, Any]) -> Movement:
    return Movement(
        sku=row["sku"],
        location=row["location"],
        reason=row["reason"],
        quantity=row["quantity"],
        at=datetime.fromisoformat(row["at"]),
        reference=row.get("reference") or row.get("order_id"),
        note=row.get("note", ""),
    )


def _movement_item(m: Movement) -> dict[str, Any]:
    return {
        "PK": ledger_pk(m.sku, m.location),
        "SK": f"MOVE#{m.at.isoformat()}#{uuid.uuid4().hex[:8]}",
        "type": "movement",
        "sku": m.sku,
        "location": m.location,
        "reason": m.reason,
        "quantity": m.quantity,
        "on_hand_delta": m.on_hand_delta,
        "reserved_delta": m.reserved_delta,
        "reference": m.reference,
        "note": m.note,
        "at": m.at.isoformat(),
    }


def _is_stock(item: dict[str, Any]) -> bool:
    update = item.get("Update")
    return update is not None and str(update["Key"]["SK"]["S"]).startswith("STOCK#")
