"""The transactional outbox: domain events written in the same transaction as the state change they announce.

An entry is `OUTBOX#<shard> / <occurred_at>#<event_id>` holding the event's envelope as JSON. A writer adds
`outbox_writes(table, events)` to the TransactWriteItems that makes its change, so the change and its events
land together or not at all. The relay publishes them right after the commit and deletes the entries
(`done`); whatever a crash leaves is found by `pending` (a Query per shard, oldest first) and published by
the sweeper with the same event id. The shard comes from the event id: eight partitions take the writes of
every order at once, and a sweep reads eight short ranges.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from commerce.adapters.dynamodb.batch import first_page
from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.domain.events import DomainEvent

OUTBOX_SHARDS = 8
_BATCH_WRITE = 25


def outbox_shard(event_id: str) -> str:
    return f"OUTBOX#{zlib.crc32(event_id.encode()) % OUTBOX_SHARDS}"


def outbox_key(event: DomainEvent) -> dict[str, Any]:
    return key(outbox_shard(event.event_id), f"{_at(event.occurred_at)}#{event.event_id}")


def outbox_writes(table: str, events: Sequence[DomainEvent]) -> list[dict[str, Any]]:
    """TransactWriteItems `Put` entries to add to the transaction that makes the state change. A repeated
    event id overwrites its own entry (same key), so a retried write leaves one entry, not two."""
    writes = []
    for event in events:
        item = {
            **outbox_key(event),
            "type": {"S": "outbox"},
            "event_id": {"S": event.event_id},
            "event_type": {"S": event.type},
            "envelope": {"S": json.dumps(event.envelope())},
        }
        writes.append({"Put": {"TableName": table, "Item": item}})
    return writes


class DynamoOutbox:
    def __init__(self, client: Any, table: str) -> None:
        self._client, self._table = client, table

    def add(self, events: Sequence[DomainEvent]) -> None:
        """Writes entries on their own, for a writer whose change is not a DynamoDB transaction."""
        if events:
            with translated():
                self._client.transact_write_items(TransactItems=outbox_writes(self._table, events))

    def pending(self, older_than: datetime, limit: int) -> list[DomainEvent]:
        """Events that occurred before `older_than` and are still in the outbox, oldest first."""
        found: list[tuple[str, DomainEvent]] = []
        for shard in range(OUTBOX_SHARDS):
            rows = first_page(
                self._client,
                TableName=self._table,
                KeyConditionExpression="PK = :pk AND SK < :before",
                ExpressionAttributeValues=to_item({":pk": f"OUTBOX#{shard}", ":before": _at(older_than)}),
                ConsistentRead=True,
                Limit=limit,
            )
            for row in rows:
                found.append((row["SK"], DomainEvent.from_envelope(json.loads(row["envelope"]))))
        found.sort(key=lambda entry: entry[0])
        return [event for _, event in found[:limit]]

    def done(self, events: Sequence[DomainEvent]) -> None:
        """Deletes the events' entries (an entry already gone is no error: two relays may finish one)."""
        keys = list({json.dumps(outbox_key(e), sort_keys=True): outbox_key(e) for e in events}.values())
        for start in range(0, len(keys), _BATCH_WRITE):
            pending: dict[str, Any] = {
                self._table: [{"DeleteRequest": {"Key": k}} for k in keys[start : start + _BATCH_WRITE]]
            }
            while pending:
                with translated():
                    result = self._client.batch_write_item(RequestItems=pending)
                pending = result.get("UnprocessedItems") or {}


def _at(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
