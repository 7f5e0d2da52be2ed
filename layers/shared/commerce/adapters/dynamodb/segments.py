"""Customer stats and segments in the main table (docs/data-model.md #138-#141)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from commerce.adapters.dynamodb.batch import first_page, in_partition, item_at, queried
from commerce.adapters.dynamodb.codec import from_item, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.domain.analytics import CUSTOMER_STATS_SK
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.segments import CustomerStats, Segment, SegmentMove, stats_from_item
from commerce.domain.staff_notes import StaffNote


class DynamoSegments:
    def __init__(self, client: Any, table: str) -> None:
        self._client, self._table = client, table

    def _query(self, **kwargs: Any) -> list[CustomerStats]:
        return [stats_from_item(from_item(i)) for i in queried(self._client, TableName=self._table, **kwargs)]

    def stats(self, shard: str) -> list[CustomerStats]:
        return self._query(**in_partition(shard, index="GSI1"))

    def in_segment(self, segment: Segment, limit: int) -> list[CustomerStats]:
        members = in_partition(f"SEGMENT#{segment.value}", index="GSI2")
        rows = first_page(self._client, TableName=self._table, Limit=limit, **members)
        return [stats_from_item(row) for row in rows]

    def set_segment(self, move: SegmentMove, events: Sequence[DomainEvent] = ()) -> bool:
        """Makes the move if the customer is still in `previous`, with `events` into the outbox in the same
        transaction; False (and nothing written) if someone moved them."""
        previous, segment = move.previous, move.segment
        condition = "attribute_not_exists(#segment)" if previous is None else "#segment = :previous"
        values = {":segment": {"S": segment.value}, ":index": {"S": f"SEGMENT#{segment.value}"}}
        if previous is not None:
            values[":previous"] = {"S": previous.value}
        update = {
            "TableName": self._table,
            "Key": {"PK": {"S": f"CUSTOMER#{move.customer_id}"}, "SK": {"S": CUSTOMER_STATS_SK}},
            "UpdateExpression": "SET #segment = :segment, GSI2PK = :index, GSI2SK = GSI1SK",
            "ConditionExpression": f"attribute_exists(PK) AND {condition}",
            "ExpressionAttributeNames": {"#segment": "segment"},
            "ExpressionAttributeValues": values,
        }
        try:
            with translated():
                self._client.transact_write_items(
                    TransactItems=[{"Update": update}, *outbox_writes(self._table, events)]
                )
        except Conflict:
            return False
        return True

    def get(self, customer_id: str) -> CustomerStats | None:
        found = item_at(
            self._client, self._table, f"CUSTOMER#{customer_id}", CUSTOMER_STATS_SK, consistent=False
        )
        return stats_from_item(found) if found else None


class DynamoStaffNotes:
    """Staff notes in the customer's partition (`NOTE#<time>#<id>`): erased with the customer."""

    def __init__(self, client: Any, table: str) -> None:
        self._client, self._table = client, table

    def add(self, customer_id: str, note: StaffNote) -> None:
        item = {
            "PK": f"CUSTOMER#{customer_id}",
            "SK": f"NOTE#{note.at.isoformat()}#{note.id}",
            "type": "staff_note",
            "id": note.id,
            "at": note.at.isoformat(),
            "author": note.author,
            "text": note.text,
        }
        with translated():
            self._client.put_item(
                TableName=self._table, Item=to_item(item), ConditionExpression="attribute_not_exists(PK)"
            )

    def list(self, customer_id: str) -> list[StaffNote]:
        partition = in_partition(f"CUSTOMER#{customer_id}", "NOTE#")
        rows = first_page(self._client, TableName=self._table, ScanIndexForward=False, Limit=100, **partition)
        return [StaffNote(r["id"], datetime.fromisoformat(r["at"]), r["author"], r["text"]) for r in rows]
