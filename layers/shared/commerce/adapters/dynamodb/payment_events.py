"""The record of applied Stripe events, `STRIPE_EVENT#<id> / EVENT`, written with the event's effect.

The domain events an effect announces are written in the same transaction twice over: into the outbox
(`outbox_writes`), which the sweeper publishes if nothing else does, and on the record (`outbox`), so the
provider's next delivery of the event can announce them at once. `announced` clears both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.errors import cancellation_reasons, error_code, translated
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import DynamoOutbox, outbox_writes
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.payment_events import DuplicateEvent

EVENT_SK = "EVENT"
# Stripe retries a delivery for up to three days; a record kept ten times longer outlives any replay.
EVENT_RECORD_TTL = timedelta(days=30)
_NOT_SEEN = "attribute_not_exists(PK)"


def event_key(event_id: str) -> dict[str, Any]:
    return key(f"STRIPE_EVENT#{event_id}", EVENT_SK)


class DynamoPaymentEventLog:
    def __init__(
        self, client: Any, table: str, orders: DynamoOrders, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._client, self._table, self._orders = client, table, orders
        self._clock = clock or (lambda: datetime.now(UTC))

    def _record(self, event_id: str, announce: Sequence[DomainEvent]) -> dict[str, Any]:
        now = self._clock()
        item: dict[str, Any] = {
            "PK": f"STRIPE_EVENT#{event_id}",
            "SK": EVENT_SK,
            "type": "stripe_event",
            "event_id": event_id,
            "applied_at": now.isoformat(),
            "expires_at": int((now + EVENT_RECORD_TTL).timestamp()),
        }
        if announce:
            item["outbox"] = [json.dumps(event.envelope()) for event in announce]
        return to_item(item)

    def apply(
        self, event_id: str, order: Order, expected_version: int, announce: Sequence[DomainEvent] = ()
    ) -> None:
        record = {
            "Put": {
                "TableName": self._table,
                "Item": self._record(event_id, announce),
                "ConditionExpression": _NOT_SEEN,
            }
        }
        items = [
            record,
            *self._orders.order_writes(order, expected_version),
            *outbox_writes(self._table, announce),
        ]
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = (
                cancellation_reasons(error) if error_code(error) == "TransactionCanceledException" else []
            )
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise DuplicateEvent(event_id) from error
            with translated(Conflict, "the order changed meanwhile"):
                raise

    def remember(self, event_id: str) -> bool:
        try:
            self._client.put_item(
                TableName=self._table, Item=self._record(event_id, ()), ConditionExpression=_NOT_SEEN
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            with translated():
                raise
        return True

    def unannounced(self, event_id: str) -> list[DomainEvent]:
        with translated():
            found = self._client.get_item(TableName=self._table, Key=event_key(event_id), ConsistentRead=True)
        outbox = found.get("Item", {}).get("outbox", {}).get("L", [])
        events = []
        for entry in outbox:
            events.append(DomainEvent.from_envelope(json.loads(entry["S"])))
        return events

    def announced(self, event_id: str) -> None:
        with translated():
            old = self._client.update_item(
                TableName=self._table,
                Key=event_key(event_id),
                UpdateExpression="REMOVE outbox",
                ConditionExpression="attribute_exists(PK)",
                ReturnValues="ALL_OLD",
            ).get("Attributes", {})
        published = [
            DomainEvent.from_envelope(json.loads(e["S"])) for e in old.get("outbox", {}).get("L", [])
        ]
        DynamoOutbox(self._client, self._table).done(published)
