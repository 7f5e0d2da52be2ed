"""The Outbox: events wait until done, oldest first, each once however often it is added."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commerce.domain.events import DomainEvent
from tests.integration.outbox_events import refunds_issued

from .conftest import Shop

# Long before anything other tests write, so no one else's entry comes before these.
LONG_AGO = datetime(1990, 1, 1, tzinfo=UTC)


def some_events(count: int) -> list[DomainEvent]:
    return refunds_issued(count, LONG_AGO)


def test_added_events_wait_oldest_first_intact_until_done(shop: Shop) -> None:
    events = some_events(5)
    shop.outbox.add(list(reversed(events)))

    assert shop.outbox.pending(LONG_AGO + timedelta(days=1), 3) == events[:3]
    shop.outbox.done(events[:3])
    assert shop.outbox.pending(LONG_AGO + timedelta(days=1), 10) == events[3:]
    shop.outbox.done(events[3:])
    assert shop.outbox.pending(LONG_AGO + timedelta(days=1), 10) == []


def test_only_events_older_than_the_bound_are_pending(shop: Shop) -> None:
    events = some_events(3)
    shop.outbox.add(events)

    assert shop.outbox.pending(events[2].occurred_at, 10) == events[:2]
    shop.outbox.done(events)


def test_an_event_added_twice_waits_once_and_done_twice_is_no_error(shop: Shop) -> None:
    [event] = some_events(1)
    shop.outbox.add([event])
    shop.outbox.add([event])

    assert shop.outbox.pending(LONG_AGO + timedelta(days=1), 10) == [event]
    shop.outbox.done([event])
    shop.outbox.done([event])
    assert shop.outbox.pending(LONG_AGO + timedelta(days=1), 10) == []
