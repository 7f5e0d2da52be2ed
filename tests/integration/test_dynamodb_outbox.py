"""The outbox on moto built from template.yaml: entries land with their change or not at all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.outbox import DynamoOutbox, outbox_writes
from commerce.config import Settings
from commerce.domain.events import DomainEvent
from commerce.services.outbox import OutboxRelay
from tests.fakes.events import InMemoryEvents
from tests.integration.outbox_events import refunds_issued

from .conftest import Stack, table_world

# Long before anything the other tests write, so their entries never crowd these out of a page.
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    return table_world(outbox=DynamoOutbox)


def _mine(outbox: DynamoOutbox, events: list[DomainEvent]) -> list[DomainEvent]:
    ids = {e.event_id for e in events}
    return [e for e in outbox.pending(datetime.now(UTC) + timedelta(days=1), 500) if e.event_id in ids]


def test_events_written_with_a_change_come_back_pending_oldest_first_ids_and_data_intact(
    world: dict[str, Any],
) -> None:
    events = refunds_issued(12, LONG_AGO)  # more than one shard's worth

    world["client"].transact_write_items(TransactItems=outbox_writes(world["table"], events))

    assert _mine(world["outbox"], events) == events
    world["outbox"].done(events)
    assert _mine(world["outbox"], events) == []


def test_entries_of_a_transaction_that_fails_its_condition_are_not_written(world: dict[str, Any]) -> None:
    events = refunds_issued(2, LONG_AGO + timedelta(days=1))
    refused = {
        "ConditionCheck": {
            "TableName": world["table"],
            "Key": {"PK": {"S": f"ORDER#{uuid.uuid4()}"}, "SK": {"S": "ORDER"}},
            "ConditionExpression": "attribute_exists(PK)",
        }
    }

    with pytest.raises(ClientError):
        world["client"].transact_write_items(TransactItems=[refused, *outbox_writes(world["table"], events)])

    assert _mine(world["outbox"], events) == []


def test_a_retried_write_of_the_same_event_leaves_one_entry(world: dict[str, Any]) -> None:
    events = refunds_issued(1, LONG_AGO + timedelta(days=2))
    for _ in range(2):
        world["client"].transact_write_items(TransactItems=outbox_writes(world["table"], events))

    assert _mine(world["outbox"], events) == events
    world["outbox"].done(events)
    world["outbox"].done(events)  # finishing twice is no error
    assert _mine(world["outbox"], events) == []


def test_the_relay_sweeps_what_a_crash_left_and_only_what_is_older_than_its_grace(
    world: dict[str, Any],
) -> None:
    now = datetime.now(UTC)
    old, fresh = refunds_issued(1, now - timedelta(minutes=10)), refunds_issued(1, now)
    world["outbox"].add([*old, *fresh])
    bus = InMemoryEvents()

    OutboxRelay(world["outbox"], bus, lambda: now).sweep(grace=timedelta(minutes=1), limit=500)

    assert old[0].event_id in {e.event_id for e in bus.published}
    assert fresh[0].event_id not in {e.event_id for e in bus.published}
    left = {e.event_id for e in world["outbox"].pending(now + timedelta(minutes=1), 500)}
    assert old[0].event_id not in left and fresh[0].event_id in left
    world["outbox"].done(fresh)


def test_the_scheduled_sweeper_function_publishes_events_a_crash_left_in_the_outbox(stack: Stack) -> None:
    outbox = DynamoOutbox(boto3.client("dynamodb"), Settings.from_env().table_name)
    left = refunds_issued(2, datetime.now(UTC) - timedelta(minutes=10))
    outbox.add(left)

    answer = stack.runtime.invoke("ReservationSweeperFunction", {})

    assert answer["outbox_relayed"] >= 2
    assert _mine(outbox, left) == []
