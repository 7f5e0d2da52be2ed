"""A Stripe event's effect, its record and the domain events it announces (in the outbox) land in one
transaction: delivered at once they leave the outbox, and a crash before that leaves them for the sweeper
(moto built from template.yaml)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from commerce.adapters.dynamodb.codec import to_item
from commerce.adapters.dynamodb.orders import DynamoOrders, order_to_item
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.payment_events import DynamoPaymentEventLog
from commerce.config import Settings
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order, OrderStatus
from commerce.domain.payment_events import DuplicateEvent
from commerce.services.outbox import OutboxRelay
from tests.fakes.events import InMemoryEvents

from .conftest import Stack
from .test_dynamodb_orders import _order

# Long before anything the other tests write, so their entries never crowd these out of a page.
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)


def _world() -> tuple[DynamoPaymentEventLog, DynamoOutbox, Order]:
    client, table = boto3.client("dynamodb"), Settings.from_env().table_name
    order = replace(_order({"HAT-1": 1}), status=OrderStatus.DELIVERED)
    client.put_item(TableName=table, Item=to_item(order_to_item(order)))
    log = DynamoPaymentEventLog(client, table, DynamoOrders(client, table))
    return log, DynamoOutbox(client, table), order


def _flag(order: Order) -> DomainEvent:
    return DomainEvent(
        type="OrderFlagged",
        occurred_at=LONG_AGO,
        data={"order_id": order.id, "flag": "dispute_lost", "detail": "test"},
        event_id=str(uuid.uuid4()),
    )


def _in_outbox(outbox: DynamoOutbox, event: DomainEvent) -> bool:
    return event.event_id in {e.event_id for e in outbox.pending(LONG_AGO + timedelta(seconds=1), 500)}


def test_events_delivered_right_after_their_write_leave_the_outbox(stack: Stack) -> None:
    log, outbox, order = _world()
    event, stripe_event = _flag(order), f"evt_{uuid.uuid4().hex}"
    bus = InMemoryEvents()

    log.apply(stripe_event, order.flagged(LONG_AGO, "dispute_lost", "test"), order.version, [event])
    assert _in_outbox(outbox, event)
    OutboxRelay(outbox, bus, lambda: datetime.now(UTC)).deliver([event])

    assert [e.event_id for e in bus.published] == [event.event_id]
    assert not _in_outbox(outbox, event)


def test_a_replayed_stripe_event_changes_nothing_and_writes_no_second_entry(stack: Stack) -> None:
    log, outbox, order = _world()
    event, stripe_event = _flag(order), f"evt_{uuid.uuid4().hex}"
    flagged = order.flagged(LONG_AGO, "dispute_lost", "test")
    log.apply(stripe_event, flagged, order.version, [event])
    outbox.done([event])

    with pytest.raises(DuplicateEvent):
        log.apply(stripe_event, flagged, order.version, [event])

    assert not _in_outbox(outbox, event)


def test_events_a_crash_kept_from_the_bus_are_published_by_the_sweeper(stack: Stack) -> None:
    log, outbox, order = _world()
    event, stripe_event = _flag(order), f"evt_{uuid.uuid4().hex}"
    log.apply(stripe_event, order.flagged(LONG_AGO, "dispute_lost", "test"), order.version, [event])
    bus = InMemoryEvents()

    OutboxRelay(outbox, bus, lambda: datetime.now(UTC)).sweep()

    assert event.event_id in {e.event_id for e in bus.published}
    assert not _in_outbox(outbox, event)
