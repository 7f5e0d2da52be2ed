"""The outbox relay: committed events reach the bus once the fast path or the sweeper gets to them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import DependencyFailed
from commerce.domain.events import DomainEvent
from commerce.services.outbox import OutboxRelay
from tests.fakes.events import InMemoryEvents
from tests.fakes.outbox import InMemoryOutbox

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _event(kind: str, minutes_ago: int = 0) -> DomainEvent:
    return DomainEvent(type=kind, occurred_at=NOW - timedelta(minutes=minutes_ago), data={"order_id": "o1"})


def _relay() -> tuple[OutboxRelay, InMemoryOutbox, InMemoryEvents]:
    outbox, bus = InMemoryOutbox(), InMemoryEvents()
    return OutboxRelay(outbox, bus, lambda: NOW), outbox, bus


def test_delivering_committed_events_publishes_them_and_empties_the_outbox() -> None:
    relay, outbox, bus = _relay()
    events = [_event("OrderCancelled"), _event("RefundIssued")]
    outbox.add(events)

    relay.deliver(events)

    assert bus.published == events
    assert outbox.entries == {}


def test_a_failed_publish_leaves_the_events_for_the_sweeper_which_sends_them_with_the_same_ids() -> None:
    relay, outbox, bus = _relay()
    events = [_event("OrderCancelled", minutes_ago=5)]
    outbox.add(events)
    bus.fail_next = DependencyFailed("EventBridge refused 1 events")

    relay.deliver(events)  # the change is committed: the caller is not failed for the bus

    assert bus.published == [] and list(outbox.entries) == [events[0].event_id]
    assert relay.sweep() == 1
    assert [e.event_id for e in bus.published] == [events[0].event_id]
    assert outbox.entries == {}


def test_the_sweeper_leaves_events_younger_than_its_grace_to_the_fast_path() -> None:
    relay, outbox, bus = _relay()
    outbox.add([_event("OrderCancelled", minutes_ago=0), _event("RefundIssued", minutes_ago=3)])

    assert relay.sweep(grace=timedelta(minutes=1)) == 1

    assert bus.types() == ["RefundIssued"]
    assert [e.type for e in outbox.entries.values()] == ["OrderCancelled"]


def test_the_sweeper_publishes_leftovers_oldest_first_in_batches_the_bus_accepts() -> None:
    relay, outbox, bus = _relay()
    outbox.add([_event(f"E{n:02}", minutes_ago=60 - n) for n in range(23)])

    assert relay.sweep(limit=50) == 23

    assert bus.types() == [f"E{n:02}" for n in range(23)]
    assert outbox.entries == {}


def test_a_sweep_that_fails_midway_keeps_what_it_has_not_published() -> None:
    relay, outbox, bus = _relay()
    outbox.add([_event(f"E{n:02}", minutes_ago=60 - n) for n in range(15)])
    published_batches: list[int] = []
    real_publish = bus.publish

    def publish_once(events: list[DomainEvent]) -> None:
        if published_batches:
            raise DependencyFailed("EventBridge is down")
        published_batches.append(len(events))
        real_publish(events)

    bus.publish = publish_once  # type: ignore[method-assign]

    with pytest.raises(DependencyFailed):
        relay.sweep()

    assert published_batches == [10]
    assert len(outbox.entries) == 5
