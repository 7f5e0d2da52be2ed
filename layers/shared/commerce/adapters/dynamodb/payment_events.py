"""The record of applied Stripe events, `STRIPE_EVENT#<id> / EVENT`, written with the event's effect and the
domain events it announces (`outbox_writes`) in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.codec import expiring_record
from commerce.adapters.dynamodb.errors import cancellation_reasons, condition_held, translated
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.payment_events import DuplicateEvent

EVENT_SK = "EVENT"
# Stripe retries a delivery for up to three days; a record kept ten times longer outlives any replay.
EVENT_RECORD_TTL = timedelta(days=30)
_NOT_SEEN = "attribute_not_exists(PK)"


class DynamoPaymentEventLog:
    def __init__(
        self, client: Any, table: str, orders: DynamoOrders, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._client, self._table, self._orders = client, table, orders
        self._clock = clock or (lambda: datetime.now(UTC))

    def _record(self, event_id: str) -> dict[str, Any]:
        now = self._clock()
        return expiring_record(
            f"STRIPE_EVENT#{event_id}",
            EVENT_SK,
            "stripe_event",
            now,
            EVENT_RECORD_TTL,
            event_id=event_id,
            applied_at=now.isoformat(),
        )

    def apply(
        self, event_id: str, order: Order, expected_version: int, events: Sequence[DomainEvent] = ()
    ) -> None:
        record = {
            "Put": {
                "TableName": self._table,
                "Item": self._record(event_id),
                "ConditionExpression": _NOT_SEEN,
            }
        }
        items = [
            record,
            *self._orders.order_writes(order, expected_version),
            *outbox_writes(self._table, events),
        ]
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = cancellation_reasons(error)
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise DuplicateEvent(event_id) from error
            with translated(Conflict, "the order changed meanwhile"):
                raise

    def remember(self, event_id: str) -> bool:
        return condition_held(
            self._client.put_item,
            TableName=self._table,
            Item=self._record(event_id),
            ConditionExpression=_NOT_SEEN,
        )
